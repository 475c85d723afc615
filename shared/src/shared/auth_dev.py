"""Dev-mode token signer: HS256 JWTs that services accept only with `<NAME>_DEV_MODE=true`."""

import time

import jwt

DEV_JWT_SECRET = "dev-secret-change-me-please-0123456789"
DEV_ROLES = ("student", "mentor", "admin")


def mint_dev_token(
    *,
    user_id: str,
    role: str,
    secret: str,
    role_claim: str = "role",
    ttl_seconds: int = 3600,
) -> str:
    """An HS256 JWT for `user_id` (`sub`) with `role` in `role_claim`, valid `ttl_seconds`."""
    if role not in DEV_ROLES:
        raise ValueError(f"role must be one of {', '.join(DEV_ROLES)}, not {role!r}")
    if not user_id:
        raise ValueError("user_id must not be empty")
    now = int(time.time())
    claims = {"sub": user_id, role_claim: role, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, secret, algorithm="HS256")
