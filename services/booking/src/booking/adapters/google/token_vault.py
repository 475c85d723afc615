"""Refresh tokens encrypted at rest with Fernet (AES-128-CBC + HMAC), key from settings."""

from cryptography.fernet import Fernet


class TokenVault:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def open(self, sealed: str) -> str:
        return self._fernet.decrypt(sealed.encode()).decode()
