"""The closing buttons (F2 "solved?", F5 rating) act only on the customer's own tickets, and a
late rating of an old ticket does not take the conversation away from a newer one."""

from __future__ import annotations

import asyncio

import pytest

from bot.models import Person
from bot.tickets.model import Status
from tests.fakes import Harness
from tests.openings import Parts, sample_parts


@pytest.fixture(scope="module")
def parts() -> Parts:
    return asyncio.run(sample_parts())


async def _resolved_ticket(h: Harness) -> str:
    await h.bot.services.staff.add("demo", "Demo Agent")
    h.staff = await h.bot.services.staff.by_person(Person("web", "demo"))
    await h.say("Hello, my name is Ines")
    await h.say("My parcel has been stuck at the depot for a week, I want to talk to a person")
    if not (await h.conversation()).ticket:
        await h.click("pick_department", "orders")
    ticket = (await h.conversation()).ticket
    assert ticket
    await h.command("claim", ticket)
    await h.command("resolve", f"{ticket} The courier delivers it tomorrow")
    return ticket


def _harness(parts: Parts) -> Harness:
    return Harness(kb=parts.kb, departments=parts.departments, catalog=parts.catalog)


@pytest.mark.parametrize(
    ("action", "value"), [("solved_yes", "{t}"), ("solved_no", "{t}"), ("rate", "{t}:1")]
)
async def test_f2_someone_elses_ticket_is_untouched(parts: Parts, action: str, value: str) -> None:
    owner = _harness(parts)
    ticket = await _resolved_ticket(owner)
    if action == "rate":
        await owner.click("solved_yes", ticket)
    stranger = owner.another_customer("Mallory")
    await stranger.say("hi")
    replies = await stranger.click(action, value.format(t=ticket))
    assert replies == [owner.bot.services.catalog.text("en", "stale_button")]
    found = await owner.bot.services.desk.get(ticket)
    assert found is not None
    assert found.status is (Status.CLOSED if action == "rate" else Status.RESOLVED)
    assert found.rating is None


async def test_f5_a_late_rating_does_not_take_over_a_newer_ticket(parts: Parts) -> None:
    h = _harness(parts)
    first = await _resolved_ticket(h)
    await h.click("solved_yes", first)
    rating_buttons = h.replies
    await h.say("Something else: I was charged twice, I want to talk to a person")
    if not (await h.conversation()).ticket:
        await h.click("pick_department", "billing")
    second = (await h.conversation()).ticket
    assert second
    assert second != first
    assert rating_buttons  # the old rating prompt is still on screen
    replies = await h.click("rate", f"{first}:5")
    assert (await h.bot.services.desk.get(first)).rating == 5  # type: ignore[union-attr]
    conv = await h.conversation()
    assert conv.ticket == second
    assert "Anything you'd like to add" not in " ".join(replies)
