"""The Slack adapter's pure parts on recorded payloads: events, clicks, commands, text, blocks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack_blocks import (
    CUSTOMER,
    STAFF,
    answered,
    parse_action_id,
    to_blocks,
    to_card_message,
)
from bot.adapters.slack_events import (
    click,
    command_parts,
    person,
    said,
    thread_address,
    to_click,
    to_command,
    to_incoming,
    to_staff_click,
)
from bot.adapters.slack_text import (
    escape,
    mentioned_users,
    plain_text,
    split_text,
)
from bot.adapters.staff_syntax import as_subcommands
from bot.cards import Card
from bot.models import Address, Button, Incoming, Kind, Reply

PAYLOADS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "slack" / "events.json").read_text(encoding="utf-8")
)
BOT = "U0BOT123"


# ----- events -----


def test_a_channel_message_becomes_a_customer_message_in_its_own_thread() -> None:
    message = said(PAYLOADS["channel_message"], BOT)
    assert message is not None
    assert (message.user, message.channel, message.root, message.private) == (
        "U061F7AUR",
        "C0SUPPORT",
        "1700000000.000100",
        False,
    )
    assert message.mentions_bot
    sender = person(message.user, "Anna")
    address = thread_address(message.channel, message.root)
    incoming = to_incoming(message, sender, address, {}, BOT)
    assert incoming == Incoming.message(
        sender,
        Address("slack", "C0SUPPORT", "1700000000.000100"),
        "Hi , my order <5512> never arrived & I need it",
    )


def test_a_thread_reply_belongs_to_the_thread_of_the_first_message() -> None:
    message = said(PAYLOADS["thread_reply"], BOT)
    assert message is not None
    assert (message.thread, message.root) == ("1700000000.000100", "1700000000.000100")


def test_direct_messages_and_shared_channels() -> None:
    dm = said(PAYLOADS["direct_message"], BOT)
    assert dm is not None
    assert dm.private
    shared = said(PAYLOADS["shared_channel_message"], BOT)
    assert shared is not None
    assert (shared.user, shared.profile_name, shared.private) == ("U0EXTERNAL", "Lena Kraft", False)


@pytest.mark.parametrize("name", ["bot_message", "own_message", "message_changed"])
def test_the_bot_itself_other_bots_and_edits_are_not_messages(name: str) -> None:
    assert said(PAYLOADS[name], BOT) is None


def test_a_thread_broadcast_is_a_message_in_its_thread() -> None:
    message = said(PAYLOADS["thread_broadcast"], BOT)
    assert message is not None
    assert message.root == "1700000000.000100"


def test_a_mention_reads_as_plain_text() -> None:
    message = said(PAYLOADS["app_mention"], BOT)
    assert message is not None
    incoming = to_incoming(message, person(message.user), thread_address("C0RANDOM", "1"), {}, BOT)
    assert incoming.text == (
        "can you help with #general and my order (https://example.com/order?id=1&x=2)?"
    )


# ----- clicks and commands -----


def test_a_customer_click_answers_the_conversation_of_its_thread() -> None:
    found = click(PAYLOADS["block_actions"])
    assert found is not None
    assert (found.kind, found.action, found.value, found.label) == (
        CUSTOMER,
        "kb_no",
        "order-delayed",
        "No, not really",
    )
    assert (found.channel, found.root, found.message_ts) == (
        "C0SUPPORT",
        "1700000000.000100",
        "1700000002.000110",
    )
    sender = person(found.user, "Anna")
    incoming = to_click(found, sender, thread_address(found.channel, found.root))
    assert (incoming.kind, incoming.action, incoming.text) == (
        Kind.ACTION,
        "kb_no",
        "No, not really",
    )


def test_a_card_button_is_a_staff_command() -> None:
    found = click(PAYLOADS["card_claim"])
    assert found is not None
    assert found.kind == STAFF
    incoming = to_staff_click(found, person(found.user, "Sam"))
    assert (incoming.kind, incoming.command, incoming.text) == (Kind.COMMAND, "claim", "T-1001")
    assert incoming.address == Address("slack", "C0ORDERS")


def test_buttons_that_are_not_ours_are_ignored() -> None:
    assert click(PAYLOADS["foreign_action"]) is None
    assert parse_action_id("s:3:file") == (STAFF, "file")
    assert parse_action_id("claim") is None


def test_a_slash_command_is_the_subcommand_and_its_arguments() -> None:
    body = PAYLOADS["slash_command"]
    incoming = to_command(person(body["user_id"]), body["channel_id"], body["text"])
    assert (incoming.command, incoming.text) == ("hold", "10 checking with billing & logistics")
    assert incoming.address == Address("slack", "C0ORDERS")
    assert command_parts("") == ("help", "")
    assert command_parts("  /Claim   T-12 ") == ("claim", "T-12")


# ----- text -----


def test_escaping_makes_mentions_and_links_inert() -> None:
    assert escape("<!channel> <@U1> <https://x|y> & co") == (
        "&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; &amp; co"
    )


def test_slack_markup_becomes_what_people_see() -> None:
    text = "<!here> <@U1|ann> <@W2> <#C3> <!subteam^S4|@ops> <mailto:a@b.c|a@b.c> <http://x.y>"
    assert plain_text(text, {"W2": "Bo"}) == "@here @ann @Bo #C3 @ops a@b.c http://x.y"
    assert mentioned_users("<@U1> and <@U1|a> and <@W2>") == ["U1", "W2"]


def test_command_hints_read_as_the_slack_subcommands() -> None:
    text = "Use /reply T-1 <text> or /claim; not https://x.io/claim or a/reply or /replying"
    assert as_subcommands(text, "/support", ["reply", "claim"]) == (
        "Use /support reply T-1 <text> or /support claim; "
        "not https://x.io/claim or a/reply or /replying"
    )


def test_long_text_is_split_at_spaces_and_never_inside_an_entity() -> None:
    text = escape("word & " * 800)
    pieces = split_text(text, 3000)
    assert all(len(p) <= 3000 for p in pieces)
    assert " ".join(pieces).split() == text.split()
    dense = "&amp;" * 1000
    pieces = split_text(dense, 3000)
    assert "".join(pieces) == dense
    assert all(p.startswith("&amp;") and p.endswith("&amp;") for p in pieces)


# ----- blocks -----


def test_a_reply_with_buttons_renders_escaped_with_kinded_unique_action_ids() -> None:
    buttons = (Button("Yes", "kb_yes", "e1"), Button("No", "kb_no", "e1"), Button("x" * 90, "a"))
    message = to_blocks(Reply("Is it <b> & co?", buttons, author="Sam <support>"), CUSTOMER)
    section, actions = message["blocks"]
    assert section["text"]["text"] == "*Sam &lt;support&gt;*\nIs it &lt;b&gt; &amp; co?"
    assert message["text"] == section["text"]["text"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == ["c:0:kb_yes", "c:1:kb_no", "c:2:a"]
    assert len(actions["elements"][2]["text"]["text"]) == 75
    assert "value" not in actions["elements"][2]


def test_a_card_renders_title_topic_fields_and_claim() -> None:
    fields = tuple((f"Field {n}", f"<!here> {n}") for n in range(12))
    card = Card(
        "T-7",
        "Ticket T-7 · Orders · waiting",
        fields,
        "<@U1> it broke",
        (Button("Claim", "claim", "T-7"),),
        False,
    )
    message = to_card_message(card)
    kinds = [b["type"] for b in message["blocks"]]
    assert kinds == ["header", "section", "section", "section", "actions"]
    assert message["blocks"][1]["text"]["text"] == "&lt;@U1&gt; it broke"
    assert len(message["blocks"][2]["fields"]) == 10
    assert message["blocks"][2]["fields"][0]["text"] == "*Field 0*\n&lt;!here&gt; 0"
    claim = message["blocks"][-1]["elements"][0]
    assert (claim["action_id"], claim["value"], claim["style"]) == ("s:0:claim", "T-7", "primary")
    assert "<" not in json.dumps(message)


def test_an_answered_question_keeps_its_text_and_shows_the_choice() -> None:
    blocks = PAYLOADS["block_actions"]["message"]["blocks"]
    kept = answered(blocks, "No, not really")
    assert [b["type"] for b in kept] == ["section", "context"]
    assert kept[1]["elements"][0]["text"] == "→ No, not really"
