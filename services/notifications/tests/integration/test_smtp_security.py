"""STARTTLS and AUTH against a relay that requires both (aiosmtpd with a self-signed CA)."""

import datetime as dt
import ipaddress
import ssl

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from notifications.adapters import mail_sink
from shared.testing.helpers import eventually

from .test_email import booked

USER, PASSWORD = "relay-user", "relay-password-123"


@pytest.fixture
def certificate(tmp_path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: its PEM file and its key file."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "relay.pem", tmp_path / "relay.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok)


@pytest.fixture
def secure_relay(certificate):
    cert_file, key_file = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    sink = mail_sink.start(
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=True,
        auth_require_tls=True,
    )
    yield sink, cert_file
    sink.stop()


async def test_mail_goes_through_starttls_and_auth_and_wrong_credentials_retry(
    start_notifications, secure_relay
):
    sink, ca = secure_relay
    common = {"smtp_port": sink.port, "smtp_starttls": True, "smtp_cert_bundle": ca}
    good = await start_notifications(smtp_username=USER, smtp_password=PASSWORD, **common)
    await good.contact("s1")
    envelope = await good.publish(booked(mentor="m-without-contact"))

    [sent] = await good.settled(1, event_id=envelope.id, recipient="s1")

    assert sent.status == "sent"
    assert [m.rcpt_tos for m in sink.received] == [["s1@example.com"]]


async def test_wrong_relay_credentials_are_retried_not_failed(start_notifications, secure_relay):
    sink, ca = secure_relay
    app = await start_notifications(
        smtp_port=sink.port,
        smtp_starttls=True,
        smtp_cert_bundle=ca,
        smtp_username=USER,
        smtp_password="wrong",
        smtp_timeout_seconds=2,
        send_backoff_base_seconds=30,
    )
    await app.contact("s1")
    envelope = await app.publish(booked(mentor="m-without-contact"))

    async def tried() -> list:
        rows = await app.deliveries(event_id=envelope.id, recipient="s1")
        return [r for r in rows if r.attempts >= 1 and r.last_error]

    [row] = await eventually(tried, within=15)

    assert (row.status, row.attempts) == ("pending", 1)  # our configuration, not the mail
    assert sink.received == []
