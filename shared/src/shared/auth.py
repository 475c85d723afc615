"""Bearer JWT verification (Clerk RS256 via JWKS or PEM; HS256 with a dev secret in dev mode)."""

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter, ValidationError

from shared.errors import DomainError, ErrorKind
from shared.settings import ServiceSettings
from shared.types import UserId

_USER_ID: TypeAdapter[str] = TypeAdapter(UserId)


class Role(StrEnum):
    student = "student"
    mentor = "mentor"
    admin = "admin"


@dataclass(frozen=True)
class User:
    id: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def acts_for(self, *owners: str, role: Role | None = None) -> bool:
        """The one permission rule of the routes: an admin, or one of `owners` themself (and,
        with `role`, only in that role). A route answers 403 or, to hide that a resource
        exists, 404 when it is False."""
        if self.is_admin:
            return True
        return self.id in owners and (role is None or self.role is role)


class Unauthorized(DomainError):
    code = "UNAUTHORIZED"
    kind = ErrorKind.unauthorized


class WrongRole(DomainError):
    code = "FORBIDDEN"
    kind = ErrorKind.forbidden


class TokenVerifier:
    """Turns a bearer token into a `User`, or raises `Unauthorized`."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url) if settings.jwt_jwks_url else None

    async def verify(self, token: str) -> User:
        try:
            key, algorithms = await self._key_for(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._settings.jwt_audience or None,
                issuer=self._settings.jwt_issuer or None,
                options={
                    "require": ["sub", "exp"],
                    "verify_aud": bool(self._settings.jwt_audience),
                },
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid token: {exc}") from exc
        role = claims.get(self._settings.jwt_role_claim)
        # Any JSON value may sit in a claim: only a string can name a role (a list or an
        # object is unhashable and would otherwise fail the membership test as a 500).
        if not isinstance(role, str) or role not in Role.__members__:
            raise Unauthorized(f"token has no valid '{self._settings.jwt_role_claim}' claim")
        try:
            user_id = _USER_ID.validate_python(claims["sub"], strict=True)
        except ValidationError as exc:
            raise Unauthorized("token 'sub' is not a valid user id") from exc
        return User(id=user_id, role=Role(role))

    async def _key_for(self, token: str) -> tuple[Any, list[str]]:  # PyJWK.key is untyped
        if self._jwks is not None:
            signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
            return signing_key.key, ["RS256"]
        if self._settings.jwt_public_key:
            return self._settings.jwt_public_key, ["RS256"]
        if self._settings.dev_mode:
            return self._settings.jwt_dev_secret.get_secret_value(), ["HS256"]
        raise Unauthorized("no token verifier is configured")


# Declared for OpenAPI (Swagger's "Authorize"); auto_error off so that a missing token is
# our own 401 problem, not FastAPI's 403.
BEARER_SCHEME = "bearer"
bearer = HTTPBearer(
    scheme_name=BEARER_SCHEME,
    bearerFormat="JWT",
    description=(
        "A Clerk session JWT; in dev mode `make token` (or "
        "`uv run mentorship token --user u1 --role student`) prints one."
    ),
    auto_error=False,
)
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


async def current_user(request: Request, credentials: BearerCredentials) -> User:
    """The caller of a protected operation; 401 without a valid bearer token."""
    if credentials is None or not credentials.credentials.strip():
        raise Unauthorized("missing bearer token")
    verifier: TokenVerifier = request.app.state.verifier
    return await verifier.verify(credentials.credentials.strip())


CurrentUser = Annotated[User, Depends(current_user)]


def require_role(*roles: Role) -> Any:  # FastAPI types Depends(...) as Any
    """A dependency that lets only the given roles through (403 otherwise)."""

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise WrongRole(f"requires role {' or '.join(roles)}")
        return user

    return Depends(check)


Admin = Annotated[User, require_role(Role.admin)]
"""An operator; routes take it from `shared.http.deps` with the other aliases."""
