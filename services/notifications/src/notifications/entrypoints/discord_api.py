"""HTTP: connect a Discord account (OAuth2, scope `identify`)."""

from typing import Annotated

from fastapi import APIRouter, Query

from notifications.adapters.discord_oauth import DiscordOAuthFailed
from notifications.adapters.oauth_state import InvalidState, sign_state, user_of_state
from notifications.adapters.unit_of_work import SqlNotificationsUnitOfWork
from notifications.domain.errors import BadOAuthState, DiscordNotConfigured, DiscordUnavailable
from notifications.entrypoints.deps import Deps
from notifications.entrypoints.schemas import ConnectUrl, DiscordConnected
from notifications.service_layer.contacts import connect_discord
from shared.http.deps import CurrentUser, Uow

router = APIRouter(prefix="/v1", tags=["discord"])

OAuthParam = Annotated[str, Query(min_length=1, max_length=2000)]


NOT_CONFIGURED: dict[int | str, dict[str, str]] = {
    409: {"description": "DISCORD_NOT_CONFIGURED: no Discord credentials here (not retryable)"}
}


@router.get("/me/discord/connect", response_model=ConnectUrl, responses=NOT_CONFIGURED)
async def discord_connect_url(user: CurrentUser, deps: Deps) -> ConnectUrl:
    """Discord's consent page for the caller; the signed `state` brings them back."""
    if deps.oauth is None:
        raise DiscordNotConfigured(
            "Discord OAuth is not configured (NOTIFICATIONS_DISCORD_CLIENT_ID)"
        )
    state = sign_state(
        user.id,
        secret=deps.oauth_state_secret.get_secret_value(),
        ttl_seconds=deps.oauth_state_ttl_seconds,
    )
    return ConnectUrl(url=deps.oauth.consent_url(state))


@router.get("/discord/callback", response_model=DiscordConnected, responses=NOT_CONFIGURED)
async def discord_callback(
    code: OAuthParam, state: OAuthParam, uow: Uow, deps: Deps
) -> DiscordConnected:
    """Where Discord sends the user back: the code becomes their Discord id on the contact."""
    if deps.oauth is None:
        raise DiscordNotConfigured("Discord OAuth is not configured")
    try:
        user_id = user_of_state(state, secret=deps.oauth_state_secret.get_secret_value())
    except InvalidState as exc:
        raise BadOAuthState(f"the connection link is invalid or expired: {exc}") from exc
    try:
        discord_id = await deps.oauth.user_id_for(code)
    except DiscordOAuthFailed as exc:
        raise DiscordUnavailable(str(exc)) from exc
    await connect_discord(user_id, discord_id, uow=SqlNotificationsUnitOfWork(uow), deps=deps)
    await uow.commit()
    return DiscordConnected(user_id=user_id, discord_id=discord_id)
