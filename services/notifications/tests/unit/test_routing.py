"""Which channel and address each message takes, and why one is skipped."""

from notifications.domain.model import Channel, Contact, Kind, SkipReason
from notifications.domain.routing import Route, channels_for, routes_for

DISCORD_ID = "123456789012345678"
WEBHOOK = "https://discord.com/api/webhooks/1/abc"


def test_a_recipient_without_a_contact_is_skipped_with_the_reason():
    assert routes_for(None, kind=Kind.session, discord_ready=True) == [
        Route(Channel.email, None, SkipReason.no_contact)
    ]


def test_a_kind_routed_to_discord_only_goes_to_discord_and_a_muted_kind_nowhere():
    contact = Contact(
        "u1",
        email="u1@example.com",
        discord_id=DISCORD_ID,
        kind_channels={Kind.reminder: (Channel.discord,), Kind.marketing: ()},
    )

    assert channels_for(contact, Kind.reminder) == [Channel.discord]
    assert channels_for(contact, Kind.session) == [Channel.email]
    assert routes_for(contact, kind=Kind.marketing, discord_ready=True) == [
        Route(Channel.email, None, SkipReason.opted_out)
    ]


def test_discord_without_a_bot_is_not_configured_and_without_an_id_not_connected():
    contact = Contact("u1", channels=(Channel.discord,), discord_id=DISCORD_ID)
    unlinked = Contact("u2", channels=(Channel.discord, Channel.email))

    assert routes_for(contact, kind=Kind.session, discord_ready=False) == [
        Route(Channel.discord, DISCORD_ID, SkipReason.not_configured)
    ]
    assert routes_for(unlinked, kind=Kind.session, discord_ready=True) == [
        Route(Channel.discord, None, SkipReason.no_discord),
        Route(Channel.email, None, SkipReason.no_email),
    ]


def test_a_mentors_channel_webhook_needs_no_bot():
    mentor = Contact(
        "m1", channels=(Channel.discord,), discord_id=DISCORD_ID, discord_webhook_url=WEBHOOK
    )

    assert routes_for(mentor, kind=Kind.session, discord_ready=False) == [
        Route(Channel.discord, WEBHOOK)
    ]


def test_a_message_for_one_channel_ignores_the_preferences():
    contact = Contact("u1", email="u1@example.com", discord_id=DISCORD_ID)

    assert routes_for(contact, kind=Kind.account, discord_ready=True, only=Channel.discord) == [
        Route(Channel.discord, DISCORD_ID)
    ]
