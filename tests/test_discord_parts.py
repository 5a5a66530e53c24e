"""The Discord adapter's pure parts: text, button ids, embeds and translators."""

from __future__ import annotations

import discord
import pytest

from bot.adapters.discord_commands import SUBCOMMANDS, split_commands
from bot.adapters.discord_embeds import card_embed, joined, relayed_text, reply_parts
from bot.adapters.discord_events import (
    Said,
    conversation_address,
    person,
    staff_address,
    to_click,
    to_command,
    to_incoming,
    to_reply_command,
    to_staff_click,
)
from bot.adapters.discord_staff import transient
from bot.adapters.discord_text import bold, readable, split_message, utf16_len
from bot.adapters.discord_views import (
    CUSTOM_ID_CHARS,
    CUSTOMER,
    STAFF,
    ButtonStash,
    OurButton,
    Pressed,
    answered_view,
    custom_id,
    parse_custom_id,
    view_of,
)
from bot.cards import Card
from bot.handlers.commands import Command
from bot.i18n import Catalog
from bot.models import Address, Button, Incoming, Kind, Reply
from bot.seen import Seen
from bot.storage import MemoryStore

BOT = "100"
ALICE = person(7, "Alice", ("55",))


def said(content: str, channel: str = "9", parent: str = "", **names: str) -> Said:
    return Said(1, ALICE, channel, parent, "1", content, names=dict(names.items()))


def test_long_text_is_split_at_a_break_and_nothing_is_lost() -> None:
    text = ("A first paragraph. " * 80).strip() + "\n\n" + "word " * 500
    parts = split_message(text)
    assert len(parts) == 3
    assert all(utf16_len(p) <= 2000 for p in parts)
    assert parts[0].endswith("A first paragraph.")  # cut at the paragraph break
    assert " ".join(parts).split() == text.split()


def test_a_text_without_spaces_and_emoji_still_fits() -> None:
    unbroken = "x" * 4500
    assert [len(p) for p in split_message(unbroken)] == [2000, 2000, 500]
    emoji = "🙂" * 1500  # two UTF-16 units each: Discord counts 3,000
    parts = split_message(emoji)
    assert all(utf16_len(p) <= 2000 for p in parts)
    assert "".join(parts) == emoji
    assert split_message("   ") == []


def test_mentions_become_names_and_the_bots_own_is_dropped() -> None:
    names = {"@7": "Alice", "@&55": "Support Staff", "#9": "general"}
    text = f"<@{BOT}> hi <@!7>, ask <@&55> in <#9> or <@8>"
    assert readable(text, names, BOT) == "hi @Alice, ask @Support Staff in #general or <@8>"


def test_bold_shows_markdown_characters_as_typed() -> None:
    assert bold("Sam (support)") == "**Sam (support)**"
    assert bold("*star*_x_") == "**\\*star\\*\\_x\\_**"


def test_button_ids_say_what_a_click_means() -> None:
    claim = custom_id(STAFF, 0, Button("Claim", "claim", "T-1001"))
    assert claim == "sb:s:0:claim:T-1001"
    assert parse_custom_id(claim) == Pressed(STAFF, "claim", "T-1001")
    file_it = parse_custom_id(custom_id(STAFF, 2, Button("Billing", "file", "D-1 billing")))
    assert file_it == Pressed(STAFF, "file", "D-1 billing")
    assert parse_custom_id(custom_id(CUSTOMER, 1, Button("5", "rate", "5"))) == Pressed(
        CUSTOMER, "rate", "5"
    )
    assert parse_custom_id("someone-elses-button") is None


async def test_a_button_too_long_for_an_id_keeps_its_value_in_the_store() -> None:
    stash = ButtonStash(MemoryStore())
    long = Button("Pick", "kb_pick", "an-entry-id-" + "x" * 120)
    stashed = await stash.id_for(CUSTOMER, 3, long)
    assert len(stashed) <= CUSTOM_ID_CHARS
    assert await stash.pressed(stashed) == Pressed(CUSTOMER, "kb_pick", long.value)
    assert await stash.pressed("sb:c:3:#" + "0" * 32) is None  # forgotten: a stale button


async def test_views_hold_our_persistent_buttons_only() -> None:
    stash = ButtonStash(MemoryStore())
    buttons = [Button(f"Choice {n}", "pick_department", str(n)) for n in range(30)]
    view = await view_of(buttons, CUSTOMER, stash)
    assert view is not None
    assert view.timeout is None
    assert len(view.children) == 25  # Discord's most per message
    assert all(isinstance(item, OurButton) for item in view.children)
    assert await view_of([], CUSTOMER, stash) is None
    [done] = answered_view("Yes, thanks").children
    assert isinstance(done, OurButton)
    assert (done.item.label, done.item.disabled) == ("✓ Yes, thanks", True)


def test_a_card_is_an_embed_whose_colour_follows_the_status() -> None:
    fields = (("Customer", "Alice · discord"), ("Waiting", "3 min"))
    waiting = Card(
        "T-1",
        "Ticket T-1 · Orders · waiting",
        fields,
        "My parcel",
        (Button("Claim", "claim", "T-1"),),
        False,
    )
    embed = card_embed(waiting)
    assert (embed.title, embed.description) == ("Ticket T-1 · Orders · waiting", "My parcel")
    assert [(f.name, f.value) for f in embed.fields] == list(fields)
    claimed = card_embed(Card("T-1", "t", fields, "", (), False))
    closed = card_embed(Card("T-1", "t", fields, "", (), True))
    assert len({embed.colour, claimed.colour, closed.colour}) == 3
    assert card_embed(Card("T-1", "x" * 300, (), "", (), False)).title == "x" * 255 + "…"


def test_replies_show_their_author_and_staff_answers_are_joined() -> None:
    assert reply_parts(Reply("Hello", author="Sam (support)")) == ["**Sam (support)**\nHello"]
    assert reply_parts(Reply("Hi")) == ["Hi"]
    both = joined([Reply("One", (Button("A", "a"),)), Reply("Two", (Button("B", "b"),))])
    assert (both.text, [b.label for b in both.buttons]) == ("One\n\nTwo", ["A", "B"])
    assert relayed_text("Alice", "@everyone look") == ["**Alice**\n@everyone look"]


def test_messages_commands_and_clicks_become_incoming_events() -> None:
    dm = conversation_address("9")
    message = to_incoming(said(f"<@{BOT}> where is <#9>?", **{"#9": "general"}), dm, BOT)
    assert message == Incoming.message(ALICE, Address("discord", "9"), "where is #general?")
    attached = Said(2, ALICE, "9", "", "", "see this", attachments=("https://cdn/x.png",))
    assert to_incoming(attached, dm, BOT).text == "see this\nhttps://cdn/x.png"
    assert staff_address("thread-1", "queue") == Address("discord", "queue")
    assert staff_address("queue") == Address("discord", "queue")
    command = to_command(ALICE, staff_address("queue"), "claim", "  T-1 ")
    assert (command.kind, command.command, command.text) == (Kind.COMMAND, "claim", "T-1")
    assert to_staff_click(ALICE, staff_address("q"), Pressed(STAFF, "claim", "T-1")).text == "T-1"
    click = to_click(ALICE, dm, Pressed(CUSTOMER, "rate", "5"), "5")
    assert (click.kind, click.action, click.value, click.text) == (Kind.ACTION, "rate", "5", "5")
    reply = to_reply_command(ALICE, staff_address("q"), "T-1", "on its way")
    assert (reply.command, reply.text) == ("reply", "T-1 on its way")
    assert ALICE.groups == ("55",)  # role ids: departments list staff as role:<id>


def test_commands_beyond_discords_limit_go_under_more() -> None:
    async def nothing(ctx: object) -> list[Reply]:
        return []

    names = [f"c{n}" for n in range(24)] + ["gaps", "audit", "reload"]
    commands = [Command(n, f"/{n}", n, nothing) for n in names]
    direct, rest = split_commands(commands)
    assert len(direct) == SUBCOMMANDS - 1
    assert [c.name for c in rest] == ["gaps", "audit", "reload"]
    assert split_commands(commands[:25]) == (commands[:25], [])


def test_delivered_again_is_seen_and_the_memory_is_bounded() -> None:
    seen = Seen(limit=2)
    assert [seen.first_time(i) for i in (1, 1, 2, 3)] == [True, False, True, True]
    assert seen.first_time(1)  # the oldest was forgotten


def test_the_confirmation_of_a_relayed_reply_is_recognised() -> None:
    sent = Catalog.load().matcher("en", "reply_sent")
    assert sent("Sent to Alice (T-1001).")
    assert not sent("You don't have T-1001.")


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (OSError("down"), True),
        (TimeoutError(), True),
        (ValueError("not a text channel"), False),
    ],
)
def test_only_failures_that_waiting_may_cure_are_retried(error: Exception, retry: bool) -> None:
    assert transient(error) is retry


def test_discord_server_errors_are_retried_and_refusals_are_not() -> None:
    class Response:
        def __init__(self, status: int) -> None:
            self.status, self.reason = status, "x"

    server = discord.DiscordServerError(Response(503), "busy")  # type: ignore[arg-type]
    forbidden = discord.Forbidden(Response(403), "Missing Access")  # type: ignore[arg-type]
    assert transient(server)
    assert not transient(forbidden)
