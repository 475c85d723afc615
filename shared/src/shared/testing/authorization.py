"""The authorization table's vocabulary, its parser, and the callers' tokens (decision 0022).

tests/authorization.toml says, per route, who may call it; tests/test_authorization.py sends
every route as each caller here and compares the answer with the route's `Row`.
"""

import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, routing

from shared.auth_dev import DEV_JWT_SECRET

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ISSUER = "https://clerk.mentorship.test"

# The callers with a good token, as (user id, role); the order is the order of the requests
# of one operation: the object's own people before others.
USERS = {
    "student": ("authz-student", "student"),
    "mentor": ("authz-mentor", "mentor"),
    "other_student": ("authz-other-student", "student"),
    "other_mentor": ("authz-other-mentor", "mentor"),
    "admin": ("authz-admin", "admin"),
}
# Tokens that must not pass: expired, signed with another key, of another issuer, an HS256 one
# signed with the well-known dev secret (where an RS256 key is configured), and one with no
# signature at all (`alg: none`).
BAD_TOKENS = ("expired", "bad_signature", "other_issuer", "dev_token", "unsigned")
CALLERS = ("anonymous", *BAD_TOKENS, *USERS)
SIGNED_IN = frozenset(USERS)
WHO: dict[str, frozenset[str]] = {
    "anyone": frozenset(CALLERS),
    "provider": frozenset(),  # a provider's signature, which none of the callers holds
    "authenticated": SIGNED_IN,
    "student": frozenset({"student", "other_student"}),
    "mentor": frozenset({"mentor", "other_mentor"}),
    "admin": frozenset({"admin"}),
    "owner": frozenset({"student"}),
    "the mentor": frozenset({"mentor"}),
    "participant": frozenset({"student", "mentor"}),
}
ROW_KEYS = {"who", "others", "anonymous", "defect", "dev_only", "note", *CALLERS}


@dataclass(frozen=True)
class Row:
    """One route's rule: who is allowed, and the status each refused caller gets."""

    allowed: frozenset[str]
    refused: dict[str, int]
    defect: str = ""


def parse_row(where: str, spec: dict[str, Any]) -> Row:
    unknown = set(spec) - ROW_KEYS
    assert not unknown, f"{where}: unknown keys {sorted(unknown)}"
    terms = [term.strip() for term in spec["who"].split(",")]
    assert all(term in WHO for term in terms), f"{where}: who = {spec['who']!r}; use {list(WHO)}"
    # A caller named in the row is refused with its own status, whatever `who` says.
    allowed = frozenset[str]().union(*(WHO[term] for term in terms)) - set(spec)
    refused = {}
    for caller in CALLERS:
        if caller in allowed:
            continue
        default = spec.get("anonymous", 401) if caller not in SIGNED_IN else spec.get("others")
        status = spec.get(caller, default)
        assert status is not None, f"{where}: say what refused callers get (others = 403|404)"
        refused[caller] = int(status)
    return Row(allowed=allowed, refused=refused, defect=str(spec.get("defect", "")))


def load_table(path: Path, services: Iterable[str]) -> dict[str, dict[str, Row]]:
    """service -> "METHOD /path" -> Row; `[every_service]` rows apply to each service."""
    document = tomllib.loads(path.read_text())
    common = document.get("every_service", {})
    table = {}
    for service in services:
        rows = {**common, **document.get(service, {})}
        table[service] = {name: parse_row(f"{service} {name}", spec) for name, spec in rows.items()}
    return table


def routes_of(app: FastAPI) -> set[str]:
    """Every "METHOD /path" the app answers, those hidden from its OpenAPI too."""
    found = set()
    for context in routing.iter_route_contexts(app.routes):
        for method in getattr(context, "methods", None) or ():
            if method in METHODS:
                found.add(f"{method} {context.path_format}")
    return found


def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Keys:
    """The identity provider's signing key (its public half configured in the services), a
    stranger's key, and the Authorization header of every caller."""

    private: rsa.RSAPrivateKey = field(default_factory=_rsa_key)
    stranger: rsa.RSAPrivateKey = field(default_factory=_rsa_key)

    @property
    def public_pem(self) -> str:
        return (
            self.private.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def token(
        self,
        user: str,
        role: str,
        *,
        issuer: str = ISSUER,
        age: int = 0,
        key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        now = int(time.time()) - age
        claims = {"sub": user, "role": role, "iss": issuer, "iat": now, "exp": now + 600}
        return jwt.encode(claims, key or self.private, algorithm="RS256")

    def headers(self) -> dict[str, dict[str, str]]:
        tokens = {caller: self.token(*user) for caller, user in USERS.items()}
        tokens["expired"] = self.token(*USERS["student"], age=3600)
        tokens["bad_signature"] = self.token(*USERS["student"], key=self.stranger)
        tokens["other_issuer"] = self.token(*USERS["student"], issuer="https://evil.example")
        claims = jwt.decode(tokens["student"], options={"verify_signature": False})
        tokens["dev_token"] = jwt.encode(claims, DEV_JWT_SECRET, algorithm="HS256")
        tokens["unsigned"] = jwt.encode(claims, "", algorithm="none")
        headers = {caller: {"Authorization": f"Bearer {t}"} for caller, t in tokens.items()}
        return {"anonymous": {}, **headers}
