"""A token's `sub` is a user id like any other input: a NUL or a huge one is a 401."""

import pytest

from shared.auth import TokenVerifier, Unauthorized
from shared.auth_dev import DEV_JWT_SECRET, mint_dev_token
from shared.settings import ServiceSettings


def verifier() -> TokenVerifier:
    return TokenVerifier(ServiceSettings(dev_mode=True))


@pytest.mark.parametrize("sub", ["u\x00", "x" * 101, "a b", "\x7f"])
async def test_a_token_whose_subject_is_not_a_user_id_is_unauthorized(sub: str) -> None:
    token = mint_dev_token(user_id=sub, role="student", secret=DEV_JWT_SECRET)
    with pytest.raises(Unauthorized, match="'sub' is not a valid user id"):
        await verifier().verify(token)


async def test_a_token_with_a_plain_subject_names_the_user() -> None:
    token = mint_dev_token(user_id="user_2abc", role="mentor", secret=DEV_JWT_SECRET)
    user = await verifier().verify(token)
    assert (user.id, user.role) == ("user_2abc", "mentor")


@pytest.mark.parametrize("sub", ["../admin", "admin\u202e", ".dot", "a/b"])
async def test_a_token_whose_subject_leaves_the_user_id_alphabet_is_unauthorized(sub: str) -> None:
    token = mint_dev_token(user_id=sub, role="admin", secret=DEV_JWT_SECRET)
    with pytest.raises(Unauthorized, match="'sub' is not a valid user id"):
        await verifier().verify(token)
