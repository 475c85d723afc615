"""Discord OAuth2 (scope `identify`): the consent URL, and a code exchanged for the user id."""

from urllib.parse import urlencode

import httpx

SCOPE = "identify"


class DiscordOAuthFailed(Exception):
    pass


class DiscordOAuth:
    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        api_url: str,
        authorize_url: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
    ) -> None:
        self._http = http
        self._api = api_url.rstrip("/")
        self._authorize_url = authorize_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri

    def consent_url(self, state: str) -> str:
        query = {
            "client_id": self._client_id,
            "response_type": "code",
            "redirect_uri": self._redirect_uri,
            "scope": SCOPE,
            "state": state,
            "prompt": "consent",
        }
        return f"{self._authorize_url}?{urlencode(query)}"

    async def user_id_for(self, code: str) -> str:
        """Exchange the authorization code for a token, then read the user's id."""
        try:
            token = await self._http.post(
                f"{self._api}/oauth2/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self._redirect_uri,
                },
                auth=(self._client_id, self._client_secret),
            )
            if not token.is_success:
                raise DiscordOAuthFailed(f"token exchange refused: {token.status_code}")
            access = token.json()["access_token"]
            user = await self._http.get(
                f"{self._api}/users/@me", headers={"Authorization": f"Bearer {access}"}
            )
            if not user.is_success:
                raise DiscordOAuthFailed(f"user lookup refused: {user.status_code}")
            return str(user.json()["id"])
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise DiscordOAuthFailed(f"Discord did not answer as expected: {exc!r}") from exc
