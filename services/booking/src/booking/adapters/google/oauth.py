"""Google OAuth for a mentor's calendar: consent URL with a signed state, code exchange."""

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httplib2  # type: ignore[import-untyped]
import jwt

from booking.domain.errors import CalendarConnectFailed

AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URI = "https://oauth2.googleapis.com/token"
SCOPES = (
    "https://www.googleapis.com/auth/calendar.freebusy",
    "https://www.googleapis.com/auth/calendar.events",
)
STATE_AUDIENCE = "booking-google-connect"
STATE_LIFETIME = timedelta(minutes=10)

HttpFactory = Callable[[], Any]
"""Makes an httplib2-compatible `Http` (tests pass googleapiclient's HttpMockSequence)."""


def default_http() -> httplib2.Http:
    return httplib2.Http(timeout=5)


class GoogleOAuth:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        state_key: str,
        http: HttpFactory = default_http,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._state_key = state_key
        self._http = http

    def consent_url(self, mentor_id: str, *, now: datetime) -> str:
        """Offline access (a refresh token), free/busy and events scopes, a signed state."""
        state = jwt.encode(
            {"sub": mentor_id, "aud": STATE_AUDIENCE, "exp": now + STATE_LIFETIME},
            self._state_key,
            algorithm="HS256",
        )
        query = {
            "client_id": self._client_id,
            "redirect_uri": self._redirect_uri,
            "response_type": "code",
            "scope": " ".join(SCOPES),
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
            "state": state,
        }
        return f"{AUTH_URI}?{urlencode(query)}"

    def mentor_of_state(self, state: str, *, now: datetime) -> str:
        """The mentor a state was issued to; a forged or stale one is refused."""
        try:
            claims = jwt.decode(
                state,
                self._state_key,
                algorithms=["HS256"],
                audience=STATE_AUDIENCE,
                options={"verify_exp": False},
            )
        except jwt.PyJWTError:
            raise CalendarConnectFailed("the sign-in state is not ours") from None
        if datetime.fromtimestamp(claims["exp"], tz=now.tzinfo) <= now:
            raise CalendarConnectFailed("the sign-in took too long; connect again")
        return str(claims["sub"])

    def exchange_code(self, code: str) -> str:
        """The refresh token Google gives for an authorization code (blocking I/O)."""
        body = urlencode(
            {
                "code": code,
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "redirect_uri": self._redirect_uri,
                "grant_type": "authorization_code",
            }
        )
        try:
            response, content = self._http().request(
                TOKEN_URI,
                "POST",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except (OSError, httplib2.HttpLib2Error) as exc:
            raise CalendarConnectFailed(f"Google did not answer: {exc.__class__.__name__}") from exc
        if int(response.status) != 200:
            raise CalendarConnectFailed(f"Google refused the code ({response.status})")
        token = json.loads(content).get("refresh_token")
        if not token:
            raise CalendarConnectFailed("Google gave no refresh token; connect again")
        return str(token)
