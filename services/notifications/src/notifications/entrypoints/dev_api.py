"""HTTP, dev mode only: every mail the local SMTP sink received (`.dev/mail/*.eml`)."""

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query

from notifications.adapters.mail_sink import read_mailbox
from notifications.entrypoints.deps import Deps
from shared.errors import NotFound

router = APIRouter(prefix="/v1/dev", tags=["dev"])


@router.get("/mail", responses={404: {"description": "NOT_FOUND: not in dev mode"}})
async def dev_mail(
    deps: Deps, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[dict[str, Any]]:
    """Newest first: headers, text, HTML and attachments of each message."""
    if deps.dev_mail_dir is None:
        raise NotFound("the mail sink exists only in dev mode")
    return await asyncio.to_thread(read_mailbox, deps.dev_mail_dir, limit=limit)
