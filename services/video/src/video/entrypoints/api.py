"""HTTP: what video knows of a session (tokens come with the video issue)."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select

from shared.auth import CurrentUser
from shared.errors import NotFound
from video.adapters.tables import sessions

router = APIRouter(prefix="/v1", tags=["video"])


class SessionRead(BaseModel):
    session_id: UUID
    mentor_id: str
    student_id: str
    starts_at: datetime
    ends_at: datetime
    status: str


@router.get("/sessions/{session_id}", response_model=SessionRead)
async def get_session(request: Request, session_id: UUID, user: CurrentUser):
    """A session as video sees it; only its participants and admins may look."""
    async with request.app.state.runtime.session_factory() as db:
        row = (
            await db.execute(select(sessions).where(sessions.c.session_id == session_id))
        ).first()
    if row is None or not (user.is_admin or user.id in (row.mentor_id, row.student_id)):
        raise NotFound(f"no session {session_id}")
    return row._mapping
