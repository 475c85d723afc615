"""The signed, short-lived `state` of the Discord OAuth flow: it names the user who started it."""

import time

import jwt

PURPOSE = "discord_connect"


class InvalidState(Exception):
    pass


def sign_state(user_id: str, *, secret: str, ttl_seconds: int) -> str:
    now = int(time.time())
    claims = {"sub": user_id, "purpose": PURPOSE, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, secret, algorithm="HS256")


def user_of_state(state: str, *, secret: str) -> str:
    """The user who asked to connect; raises InvalidState if forged, expired or reused elsewhere."""
    try:
        claims = jwt.decode(
            state, secret, algorithms=["HS256"], options={"require": ["sub", "exp", "purpose"]}
        )
    except jwt.PyJWTError as exc:
        raise InvalidState(str(exc)) from exc
    if claims["purpose"] != PURPOSE:
        raise InvalidState("not a Discord connection state")
    return str(claims["sub"])
