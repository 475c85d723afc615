"""A keep-alive HTTP/1.1 client for the load mix: bench/raw_http.py's approach, plus the
response fields (Retry-After), chunked bodies, `Connection: close` and reconnects."""

import asyncio
import json
from typing import Any


class Answer:
    __slots__ = ("body", "fields", "status")

    def __init__(self, status: int, fields: dict[str, str], body: bytes) -> None:
        self.status = status
        self.fields = fields  # lower-case names
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Client:
    """One keep-alive connection to 127.0.0.1:`port`; reopened after a close or an error."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        body = b"" if json_body is None else json.dumps(json_body).encode()
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self._port)
        assert self._reader is not None
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        if json_body is not None:
            lines.append("Content-Type: application/json")
        if token is not None:
            lines.append(f"Authorization: Bearer {token}")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        try:
            self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await self._writer.drain()
            head = (await self._reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split()[1])
            fields = {
                name.lower(): value
                for name, value in (line.split(": ", 1) for line in head[1:] if ": " in line)
            }
            if fields.get("transfer-encoding", "").lower() == "chunked":
                payload = await self._chunked()
            else:
                payload = await self._reader.readexactly(int(fields.get("content-length", "0")))
        except BaseException:
            await self.close()
            raise
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, fields, payload)

    async def _chunked(self) -> bytes:
        assert self._reader is not None
        parts = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)

    async def close(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        if writer is not None:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                pass
