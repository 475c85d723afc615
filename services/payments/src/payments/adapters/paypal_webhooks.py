"""PayPal webhook self-verification: CRC32 of the raw body, RSA-SHA256 with PayPal's certificate.

The signed message is `transmission_id|transmission_time|webhook_id|crc32(body)`. The
certificate comes from `PAYPAL-CERT-URL`, which must be on a PayPal host (anything else is
refused without being fetched); certificates are cached by URL. PayPal's retries of an event
are new transmissions, so only a transmission dated in the future (past the clock skew) is
refused by its time; a replay of an old one is a duplicate event id, answered and ignored.
"""

import base64
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from payments.adapters.stripe_webhooks import MAX_CLOCK_SKEW_SECONDS, VerifiedEvent, verified_event
from payments.domain.errors import WebhookRejected

PAYPAL_CERT_ORIGINS = (
    "https://api.paypal.com",
    "https://api-m.paypal.com",
    "https://api.sandbox.paypal.com",
    "https://api-m.sandbox.paypal.com",
)
MAX_CACHED_CERTS = 32


@dataclass(frozen=True)
class Transmission:
    transmission_id: str
    transmission_time: str
    signature: str
    cert_url: str
    auth_algo: str

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> "Transmission":
        try:
            return cls(
                transmission_id=headers["paypal-transmission-id"],
                transmission_time=headers["paypal-transmission-time"],
                signature=headers["paypal-transmission-sig"],
                cert_url=headers["paypal-cert-url"],
                auth_algo=headers.get("paypal-auth-algo", "SHA256withRSA"),
            )
        except KeyError as exc:
            raise WebhookRejected(f"missing PayPal header {exc.args[0]}") from exc


def _transmitted_at(transmission: Transmission) -> datetime:
    try:
        at = datetime.fromisoformat(transmission.transmission_time)
    except ValueError as exc:
        raise WebhookRejected("the transmission time is not an ISO 8601 instant") from exc
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


class PayPalVerifier:
    def __init__(
        self,
        *,
        webhook_id: str,
        allowed_origins: tuple[str, ...] = PAYPAL_CERT_ORIGINS,
        timeout: float = 5.0,
    ) -> None:
        self._webhook_id = webhook_id
        self._allowed = frozenset(origin.rstrip("/").lower() for origin in allowed_origins)
        self._timeout = timeout
        self._certs: dict[str, x509.Certificate] = {}
        self.fetched: list[str] = []  # cert URLs fetched, oldest first (observable in tests)

    async def verify(
        self, body: bytes, *, headers: Mapping[str, str], now: datetime
    ) -> VerifiedEvent:
        """The event's id and type if PayPal signed this body for our webhook id.

        `now` is the real time (not a dev clock): the certificate must be valid then and the
        transmission not dated beyond the clock skew after it.
        """
        if not self._webhook_id:
            raise WebhookRejected("no PayPal webhook id is configured")
        transmission = Transmission.from_headers(headers)
        if transmission.auth_algo != "SHA256withRSA":
            raise WebhookRejected(f"unsupported algorithm {transmission.auth_algo}")
        certificate = await self._certificate(transmission.cert_url, now=now)
        message = "|".join(
            (
                transmission.transmission_id,
                transmission.transmission_time,
                self._webhook_id,
                str(zlib.crc32(body)),
            )
        ).encode()
        key = certificate.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise WebhookRejected("the certificate holds no RSA key")
        try:
            key.verify(
                base64.b64decode(transmission.signature, validate=True),
                message,
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
            event = json.loads(body)
        except (InvalidSignature, ValueError) as exc:
            raise WebhookRejected(
                f"not a verifiable PayPal event: {exc.__class__.__name__}"
            ) from exc
        if _transmitted_at(transmission) > now + timedelta(seconds=MAX_CLOCK_SKEW_SECONDS):
            raise WebhookRejected(
                f"the transmission is dated more than {MAX_CLOCK_SKEW_SECONDS} s in the future"
            )
        if not isinstance(event, dict):
            raise WebhookRejected("the body is not a PayPal event")
        return verified_event(event.get("id"), event.get("event_type"))

    async def _certificate(self, url: str, *, now: datetime) -> x509.Certificate:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if origin not in self._allowed or parts.username or parts.password:
            raise WebhookRejected(f"certificate URL {url[:200]} is not on a PayPal host")
        certificate = self._certs.get(url)
        if certificate is None:
            try:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.get(url)
                response.raise_for_status()
                certificate = x509.load_pem_x509_certificate(response.content)
            except (httpx.HTTPError, ValueError) as exc:
                raise WebhookRejected(f"no usable certificate at {url[:200]}") from exc
            self.fetched.append(url)
            if len(self._certs) >= MAX_CACHED_CERTS:
                self._certs.pop(next(iter(self._certs)))
            self._certs[url] = certificate
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise WebhookRejected("the PayPal certificate is not valid now")
        return certificate
