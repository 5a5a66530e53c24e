"""Staff see every customer by the best name we know, never by a platform user id, and every
transcript line with its author: the name learned in the conversation, else the platform's
display name, else a polite phrase from the catalog (G2)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.departments import Department
from bot.i18n import Catalog
from bot.models import Person, Posted, Role
from bot.staff_names import StaffNames
from bot.staff_relay import StaffRelay
from tests.conftest import WebRig
from tests.fakes import START, Harness
from tests.test_staff_relay import FakeStaffSide

WEB_ID = "web-3f2a9c1d"  # a web visitor's id: what staff must never see instead of a name
UNCOVERED = "My smart fridge from another shop is making a clicking noise"
SUPPORT = {
    "support": Department(
        "support", {"en": "Support"}, staff={"web": ("sam",)}, queues={"slack": "C-SUPPORT"}
    )
}
CATALOG = Catalog.load()
LANGUAGES = CATALOG.languages
UNKNOWN = "Customer (name not given)"
AUTHORED_LINE = re.compile(r"^\[\d\d:\d\d\] [^:\s][^:]*: ")
LISTINGS = [  # (commands run first, the listing staff read)
    ((), ("queue", "")),
    ((), ("claim", "")),
    ((("claim", ""),), ("mine", "")),
    ((), ("ticket", "T-1001")),
    ((), ("conversations", "")),
    ((), ("show", "C-1")),
]


def visitor() -> Harness:
    """A web visitor the platform knows no name for."""
    h = Harness(departments=SUPPORT)
    h.customer = Person("web", WEB_ID, "")
    return h


async def named_in_the_chat() -> Harness:
    """Greets first (recorded before any name is known), then gives the name when asked."""
    h = visitor()
    await h.say("hello")
    assert (await h.conversation()).name == ""
    await h.say("Anna")
    await h.say(UNCOVERED)
    assert (await h.conversation()).ticket == "T-1001"
    return h


async def never_named() -> Harness:
    """Asks for a person straight away and never says a name."""
    h = visitor()
    await h.say("I want to talk to a person about my fridge")
    conv = await h.conversation()
    assert (conv.name, conv.ticket) == ("", "T-1001")
    return h


async def listing(h: Harness, before: tuple[tuple[str, str], ...], shown: tuple[str, str]) -> str:
    for name, text in before:
        await h.command(name, text)
    (text,) = await h.command(*shown)
    return text


def test_the_polite_phrase_is_written_in_every_language() -> None:
    phrases = {code: found.phrases.get("unknown_customer") for code, found in LANGUAGES.items()}
    assert phrases["en"] == UNKNOWN
    assert len(set(phrases.values())) == len(CATALOG.languages)  # each its own, none copied


@pytest.mark.parametrize(("before", "shown"), LISTINGS, ids=[s[0] for _, s in LISTINGS])
async def test_g3_listings_show_the_name_learned_in_the_chat_not_the_user_id(
    before: tuple[tuple[str, str], ...], shown: tuple[str, str]
) -> None:
    text = await listing(await named_in_the_chat(), before, shown)
    assert "Anna" in text
    assert WEB_ID not in text


@pytest.mark.parametrize(("before", "shown"), LISTINGS, ids=[s[0] for _, s in LISTINGS])
async def test_listings_name_a_customer_without_a_name_politely(
    before: tuple[tuple[str, str], ...], shown: tuple[str, str]
) -> None:
    text = await listing(await never_named(), before, shown)
    assert UNKNOWN in text
    assert WEB_ID not in text
    assert "(no name yet)" not in text


async def test_the_platform_display_name_is_used_when_none_was_learned() -> None:
    h = Harness(name="Bo Berg", departments=SUPPORT)
    await h.say("I want to talk to a person about my fridge")
    (queue,) = await h.command("queue")
    assert "Bo Berg" in queue
    assert UNKNOWN not in queue


async def test_the_card_in_the_queue_channel_shows_the_learned_name() -> None:
    h = visitor()
    side = FakeStaffSide()
    h.bot.services.bus.subscribe(StaffRelay(h.bot.services, side).on_event)
    await h.say("hello")
    await h.say("Anna")
    await h.say(UNCOVERED)
    [(channel, card)] = side.cards
    assert channel == "C-SUPPORT"
    assert ("Customer", "Anna · web") in card.fields
    assert all(WEB_ID not in value for _, value in card.fields)


async def test_a_reply_confirms_with_the_polite_phrase_when_no_name_is_known() -> None:
    h = await never_named()
    assert await h.command("reply", "T-1001 Which model is it?") == [f"Sent to {UNKNOWN} (C-1)."]


async def test_b3_show_gives_every_transcript_line_an_author() -> None:
    h = await named_in_the_chat()
    await h.command("claim")
    await h.command("reply", "T-1001 Which model is it?")
    (text,) = await h.command("show", "C-1")
    lines = text.splitlines()[1:]
    assert lines[0] == "[09:00] Anna: hello"  # said before the name was known
    assert lines[1].startswith("[09:00] Assistant: Hi! I'm the Brightwave support bot")
    assert lines[-1] == "[09:00] Sam Staff: Which model is it?"
    assert all(AUTHORED_LINE.match(line) for line in lines)


async def test_b3_the_ticket_transcript_gives_the_first_line_an_author() -> None:
    h = await named_in_the_chat()
    (text,) = await h.command("ticket", "T-1001")
    transcript = text.split("--- transcript ---\n", 1)[1].splitlines()
    assert transcript[0] == "[09:00] Anna: hello"
    assert all(AUTHORED_LINE.match(line) for line in transcript)


async def test_a_transcript_without_any_name_uses_the_polite_phrase() -> None:
    h = await never_named()
    (text,) = await h.command("ticket", "T-1001")
    transcript = text.split("--- transcript ---\n", 1)[1].splitlines()
    assert transcript[0] == f"[09:00] {UNKNOWN}: I want to talk to a person about my fridge"


def test_lines_recorded_without_an_author_still_get_one() -> None:
    names = StaffNames(CATALOG, "en")

    def author(role: Role) -> str:
        return names.author(None, Posted("web:conv-1", 1, role, "", "text", START))

    assert (author(Role.CUSTOMER), author(Role.BOT), author(Role.STAFF)) == (
        UNKNOWN,
        "Assistant",
        "Support team",
    )


async def web_visitor_named_later(rig: WebRig) -> str:
    """A web visitor without a name greets, then says who they are; their conversation id."""
    user = {"id": WEB_ID, "name": ""}
    first = await rig.client.post("/api/chat", json={"user": user, "text": "hello"})
    conversation = str((await first.json())["conversation"])
    body = {"user": user, "conversation": conversation, "text": "I'm Anna"}
    assert (await rig.client.post("/api/chat", json=body)).status == 200
    return conversation


async def staff_get(rig: WebRig, path: str) -> dict[str, Any]:
    response = await rig.client.get(path, headers=rig.staff_headers)
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


async def test_the_staff_api_lists_conversations_by_name_or_politely(web_rig: WebRig) -> None:
    await web_visitor_named_later(web_rig)
    user = {"id": "web-77aa", "name": ""}
    await web_rig.client.post("/api/chat", json={"user": user, "text": "hello"})
    listed = (await staff_get(web_rig, "/api/staff/conversations"))["conversations"]
    assert {item["ref"]: item["customer"] for item in listed} == {"C-1": "Anna", "C-2": UNKNOWN}


async def test_the_staff_api_gives_every_message_an_author(web_rig: WebRig) -> None:
    await web_visitor_named_later(web_rig)
    body = await staff_get(web_rig, "/api/staff/conversations/C-1/messages")
    authors = [(m["role"], m["author"]) for m in body["messages"]]
    assert authors[0] == (Role.CUSTOMER.value, "Anna")  # said before the name was known
    assert all(author for _, author in authors)
    assert {a for role, a in authors if role == Role.BOT.value} == {"Assistant"}
