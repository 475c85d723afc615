"""The HTTP stack's floor for bench/http_stack.py: a bare FastAPI app with the same `/healthz`
answer as a service's, and nothing else (no middleware, no broker, no database); `/readyz`
only so that the harness' `wait_ready` can wait for it."""

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "bare"}

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    return app
