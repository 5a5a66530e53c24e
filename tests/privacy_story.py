"""A customer's whole story with the bot, for the data-rights tests: every kind of record."""

from __future__ import annotations

from pathlib import Path

from bot.departments import load_departments
from bot.kb.live import LiveKnowledgeBase
from bot.models import Person
from bot.ports import Store
from tests.fakes import Harness
from tests.kb_samples import ENTRIES

NAME = "Zebulon Quixwhistle"
KEY = "web:cust-1"  # the Harness customer
QUESTION = "When will my Quixwhistle card arrive?"
PROBLEM = "My Quixotronic toaster hums the anthem at midnight"
ANSWER = "Only in B flat during full moons"
COMMENT = "Marvellous service for my toaster"
STAFF_TEXTS = (
    "Does the Quixotronic hum in B flat?",
    "Zebulon sounds sincere about the toaster",
    "Zebulon insisted on singing",
    "How is the Quixotronic humming?",
    "Recalibrated the Quixotronic hum",
    "Did Zebulon pay for the Quixotronic warranty?",
)
# Nothing of these may remain anywhere once the customer is deleted.
SECRETS = (NAME, "Zebulon", "Quixwhistle", "Quixotronic", QUESTION, PROBLEM, ANSWER, COMMENT)
OTHER_NAME, OTHER_TEXT = "Bartholomew Kettleby", "My Veltrax kettle whistles in F sharp"


async def story_harness(store: Store | None = None) -> Harness:
    """The sample departments and knowledge base; staff "demo" is on every team and a lead."""
    departments = load_departments(Path(__file__).parents[1] / "data")
    h = Harness(NAME, store=store, kb=LiveKnowledgeBase.of(ENTRIES), departments=departments)
    await h.bot.services.staff.add("demo", "Demo Agent")
    h.staff = await h.bot.services.staff.by_person(Person("web", "demo"))
    return h


async def live_through(h: Harness) -> None:
    """A lookup and a yes, a handoff, claim, relay, note, flag, follow-up, a question to another
    department, resolve, confirm, rating and comment."""
    await h.say(QUESTION)
    await h.click("kb_yes", "card-arrival")
    await h.say(PROBLEM)  # a new request: the answered question lends it no team
    await h.click("pick_department", "billing")
    ticket = (await h.conversation()).ticket
    await h.command("claim", ticket)
    await h.command("reply", f"{ticket} {STAFF_TEXTS[0]}")
    await h.say(ANSWER)
    await h.command("note", f"{ticket} {STAFF_TEXTS[1]}")
    await h.command("flag", f"{KEY} {STAFF_TEXTS[2]}")
    await h.command("followup", f"{ticket} 3d {STAFF_TEXTS[3]}")
    await h.command("ask", f"{ticket} billing {STAFF_TEXTS[5]}")
    await h.command("resolve", f"{ticket} {STAFF_TEXTS[4]}")
    await h.click("solved_yes", ticket)
    await h.click("rate", f"{ticket}:4")
    await h.say(COMMENT)


async def another_customer(h: Harness) -> Harness:
    other = h.another_customer(OTHER_NAME)
    await other.say(OTHER_TEXT)
    return other
