"""Handoff triggers: a request for a person, anger (E1), abuse (E3), threats (E4), repeats."""

from __future__ import annotations

from bot.conversation import Stage
from bot.departments import Contact, Department
from bot.events import Event, StaffNotice
from bot.kb.live import LiveKnowledgeBase
from bot.tickets.model import Priority
from tests.fakes import Harness
from tests.kb_samples import ENTRIES

ALWAYS = {"timezone": "Europe/Copenhagen", "always": True}
SUPPORT = {
    "support": Department(
        "support",
        {"en": "Support"},
        staff={"web": ("sam",)},
        hours=ALWAYS,
        threats=Contact("Legal team", {"web": "legal"}),
    )
}


def harness() -> Harness:
    return Harness(name="Anna", kb=LiveKnowledgeBase.of(ENTRIES), departments=SUPPORT)


async def test_a_person_is_fetched_when_asked_for_in_english() -> None:
    h = harness()
    await h.say("When will my card arrive?")
    replies = await h.say("Can I talk to a real person please?")
    assert replies[0] == "Of course. I'll get a colleague for you."
    assert replies[1].startswith("I've passed this to our Support team (ticket T-1001).")


async def test_a_person_is_fetched_when_asked_for_in_german_and_answered_in_german() -> None:
    h = harness()
    replies = await h.say("Hallo, ich will mit einem Menschen sprechen")
    assert (await h.conversation()).language == "de"
    assert replies[0].startswith(
        h.bot.services.catalog.text("de", "greet_named", name="Anna", company="Brightwave")
    )
    assert replies[1] == h.bot.services.catalog.text("de", "person_ok")


async def test_e1_an_angry_customer_is_calmed_first_and_gets_no_faq_answer() -> None:
    h = harness()
    await h.say("hello")
    replies = await h.say("This is RIDICULOUS!!! My card STILL hasn't arrived, worst service ever")
    assert replies[0] == "I hear you, and I understand how frustrating this is. I'm really sorry."
    assert "Cards arrive within" not in " ".join(replies)
    assert replies[1].startswith("I've passed this to our Support team")
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.priority is Priority.HIGH


async def test_e3_abuse_gets_a_firm_request_then_the_end_and_a_flag() -> None:
    h = harness()
    await h.say("When will my card arrive?")
    assert await h.say("you are all idiots") == [
        "I want to help you, but I have to ask you to keep it respectful. "
        "Please stop using that kind of language."
    ]
    assert await h.say("f*ck you, useless idiots") == [
        "I'm ending this conversation now, because the language hasn't stopped. "
        "You're welcome to write to us again when you're ready."
    ]
    assert (await h.conversation()).stage is Stage.ENDED
    assert await h.say("hello?") == [
        "This conversation has ended. You're welcome to start a new one when you're ready."
    ]
    flags = await h.store.get("customer_flags", "web:cust-1")
    assert flags is not None
    assert "abusive language after a warning" in flags["flags"][0]["reason"]


async def test_e4_a_threat_is_reported_the_ticket_urgent_and_the_customer_still_served() -> None:
    h = harness()
    notices: list[Event] = []

    async def listen(event: Event) -> None:
        notices.append(event)

    h.bot.services.bus.subscribe(listen)
    await h.say("When will my card arrive?")
    replies = await h.say("If this isn't fixed today I will sue you and take you to court")
    assert (
        replies[0]
        == "I understand this is serious. I've marked your request as urgent for our team."
    )
    assert replies[-1].startswith("I've passed this to our Support team (ticket T-1001).")
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.priority is Priority.URGENT
    assert "legal threat" in ticket.flags
    (notice,) = [n for n in notices if isinstance(n, StaffNotice)]
    assert notice.to == {"web": "legal"}
    assert notice.text.startswith("Threat reported in T-1001 (legal) by Anna:")


async def test_a_repeated_unresolved_complaint_joins_the_open_ticket() -> None:
    h = harness()
    await h.say("My smart fridge from another shop is making a clicking noise")
    again = h.another_customer("Anna")
    again.customer = h.customer  # the same customer, in a new conversation
    replies = await again.say("my smart fridge is still making that clicking noise")
    assert replies[-1] == (
        "I see this is about your open request T-1001. I've added it there and marked it as "
        "urgent for the team."
    )
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert "repeat complaint" in ticket.flags
    assert ticket.priority is Priority.HIGH
