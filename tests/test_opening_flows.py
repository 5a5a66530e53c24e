"""The front door in every language (A1, A2, A4, B1, B3, E4): greetings, names, what is
typed while buttons are open, new requests in a long-lived chat; on the sample data."""

from __future__ import annotations

import asyncio

import pytest

from bot.events import Event, StaffNotice
from bot.models import Person
from bot.tickets.model import Priority, Status
from tests.fakes import Harness
from tests.openings import Parts, sample_parts


@pytest.fixture(scope="module")
def parts() -> Parts:
    return asyncio.run(sample_parts())


def harness(parts: Parts, *locales: str) -> Harness:
    h = Harness(kb=parts.kb, departments=parts.departments, catalog=parts.catalog)
    h.locales = locales
    return h


@pytest.mark.parametrize(
    ("text", "language", "greeting"),
    [
        ("Guten Abend", "de", "Hallo!"),
        ("Moin moin", "de", "Hallo!"),
        ("Godaften", "da", "Hej!"),
        ("Hejsan!", "sv", "Hej!"),
        ("Dobrý večer", "sk", "Zdravím Vás!"),
        ("Καλησπέρα", "el", "Γεια σας!"),
    ],
)
async def test_a4_a_short_greeting_is_answered_in_its_language(
    parts: Parts, text: str, language: str, greeting: str
) -> None:
    h = harness(parts)
    replies = await h.say(text)
    assert (await h.conversation()).language == language
    assert replies[0].startswith(greeting)  # neutral at any hour: no "Guten Tag" at 23:30


async def test_a2_a_german_name_after_a_short_greeting_is_a_name_not_a_topic(parts: Parts) -> None:
    h = harness(parts)
    await h.say("Guten Abend")
    replies = await h.say("Ich heiße Jürgen Hoffmann")
    conv = await h.conversation()
    assert (conv.name, conv.topic, conv.ticket) == ("Jürgen Hoffmann", "", "")
    assert replies == ["Freut mich, Jürgen Hoffmann. Wie kann ich Ihnen heute helfen?"]
    replies = await h.say("Wie lange habe ich Zeit, um eine Bestellung zurückzuschicken?")
    assert "Welches Team" not in " ".join(replies)
    assert (await h.conversation()).topic.startswith("Wie lange")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Guten Tag, hier schreibt Petra Schulz.", "Petra Schulz"),
        ("Hej, det er Mette", "Mette"),
        ("Hej, det är Anna Lindgren", "Anna Lindgren"),
        ("Dobrý deň, tu je Marek", "Marek"),
        ("Γεια σας, με λένε Νίκο", "Νίκο"),
        ("Hi, it's Sam here", "Sam"),
    ],
)
async def test_a1_a_greeting_that_carries_the_name_is_no_request(
    parts: Parts, text: str, name: str
) -> None:
    h = harness(parts)
    replies = await h.say(text)
    conv = await h.conversation()
    assert (conv.name, conv.topic, conv.ticket) == (name, "", "")
    assert len(replies) == 2  # the greeting, then "how can I help?"; nobody is fetched


async def test_a2_greek_addresses_the_customer_in_the_vocative(parts: Parts) -> None:
    h = harness(parts)
    replies = await h.say("Καλημέρα, με λένε Γιώργος Παπαδόπουλος")
    assert replies[0].startswith("Γεια σας, Γιώργο Παπαδόπουλε!")
    assert (await h.conversation()).name == "Γιώργος Παπαδόπουλος"  # stored as given


async def test_a4_the_platform_locale_decides_a_greeting_two_languages_share(
    parts: Parts,
) -> None:
    swedish, danish = harness(parts, "sv-SE", "en"), harness(parts, "da-DK")
    await swedish.say("Hej")
    await danish.say("Hej")
    assert (await swedish.conversation()).language == "sv"
    assert (await danish.conversation()).language == "da"


async def test_a4_the_locale_never_overrules_what_the_text_clearly_says(parts: Parts) -> None:
    h = harness(parts, "en-US")
    await h.say("Guten Morgen, ich habe eine Frage zu meiner Rechnung")
    assert (await h.conversation()).language == "de"


async def test_a4_a_longer_message_corrects_an_early_guess(parts: Parts) -> None:
    h = harness(parts, "da-DK")  # a Danish browser, a Swedish customer
    await h.say("Hej")
    await h.say("Jag heter Karin och mitt paket har fortfarande inte kommit fram")
    assert (await h.conversation()).language == "sv"


async def _at_team_buttons(h: Harness) -> None:
    """An opening no entry answers and no team can be told from: the team buttons open."""
    await h.say("Hello, I'm Olivia")
    await h.say("Something strange is going on and I need somebody to look at it")
    assert [a for _, a, _ in h.buttons()] == ["pick_department"] * len(h.buttons())
    assert h.buttons()


async def test_b3_a_team_named_in_words_while_the_buttons_are_open_is_taken(
    parts: Parts,
) -> None:
    h = harness(parts)
    await _at_team_buttons(h)
    replies = await h.say("billing please")
    conv = await h.conversation()
    assert conv.department == "billing"
    assert conv.ticket
    assert "Billing team" in replies[0]


async def test_b3_a_question_typed_while_the_buttons_are_open_is_answered(parts: Parts) -> None:
    h = harness(parts)
    await _at_team_buttons(h)
    replies = await h.say("How do I reset my password?")
    assert "Which team" not in " ".join(replies)
    assert any(label == "Yes, thanks" for label, _, _ in h.buttons()), replies


async def test_b3_anything_else_typed_at_the_buttons_joins_the_request(parts: Parts) -> None:
    h = harness(parts)
    await _at_team_buttons(h)
    replies = await h.say("It started after the update yesterday evening")
    assert replies[0].startswith("Got it, I've added that to your request.")
    assert "yesterday evening" in (await h.conversation()).topic


async def test_c1_while_waiting_for_a_person_a_sure_answer_is_still_given(parts: Parts) -> None:
    h = harness(parts)
    await _at_team_buttons(h)
    await h.click("pick_department", "technical")
    ticket = (await h.conversation()).ticket
    replies = await h.say("How do I reset my password?")
    assert replies[0].startswith(f"While you wait (your ticket {ticket} stays open):")
    assert (await h.conversation()).ticket == ticket


async def test_c3_while_waiting_an_unsure_match_is_not_offered_as_an_answer(parts: Parts) -> None:
    """Mid-request, only a sure answer interrupts (the KB has no opening hours entry)."""
    h = harness(parts)
    await _at_team_buttons(h)
    await h.click("pick_department", "technical")
    ticket = (await h.conversation()).ticket
    replies = await h.say("What are your opening hours?")
    assert not any(r.startswith("While you wait") for r in replies)
    assert ticket in " ".join(replies)


async def _rated(h: Harness) -> str:
    await _at_team_buttons(h)
    await h.click("pick_department", "technical")
    ticket = (await h.conversation()).ticket
    await h.command("claim", ticket)
    await h.command("resolve", f"{ticket} fixed the settings")
    await h.click("solved_yes", ticket)
    await h.click("rate", f"{ticket}:5")
    return ticket


async def test_f5_a_new_question_after_the_rating_is_a_new_request(parts: Parts) -> None:
    h = harness(parts)
    first = await _rated(h)
    replies = await h.say("Something else: can I change the delivery address of an order?")
    desk = h.bot.services.desk
    assert (await desk.get(first)).comment == ""  # type: ignore[union-attr]
    assert not any("Thank you, that helps" in r for r in replies)
    conv = await h.conversation()
    assert conv.topic.startswith("Something else")


async def test_g2_a_second_request_in_a_long_chat_has_its_own_topic(parts: Parts) -> None:
    h = harness(parts)
    first = await _rated(h)
    await h.click("skip_comment", first)
    await h.say("I need a person about a second, unrelated thing with my parcel locker code")
    await h.say("a person please")
    conv = await h.conversation()
    second = await h.bot.services.desk.get(conv.ticket)
    assert second is not None
    assert second.id != first
    assert "parcel locker" in second.topic
    assert second.first_seq > 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wenn das nicht bis Freitag gelöst ist, schalte ich meinen Anwalt ein.", "de"),
        ("Hvis det ikke er løst i morgen, kontakter jeg min advokat.", "da"),
        ("Om ni inte löser det här går jag till min advokat.", "sv"),
        ("Ak to nevyriešite, obrátim sa na právnika.", "sk"),
        ("Αν δεν λυθεί αυτό, θα πάω σε δικηγόρο.", "el"),
        ("If this isn't sorted by Friday I'm calling my lawyer.", "en"),
    ],
)
async def test_e4_a_threat_before_there_is_a_ticket_reaches_the_ticket_it_gets(
    parts: Parts, text: str, language: str
) -> None:
    h = harness(parts)
    notices: list[StaffNotice] = []

    async def listen(event: Event) -> None:
        if isinstance(event, StaffNotice):
            notices.append(event)

    h.bot.services.bus.subscribe(listen)
    await h.say(text)
    conv = await h.conversation()
    assert conv.language == language
    if not conv.ticket:  # the team is asked first: the bot promised no more than that
        await h.click("pick_department", "billing")
    ticket = await h.bot.services.desk.get((await h.conversation()).ticket)
    assert ticket is not None
    assert ticket.priority is Priority.URGENT
    assert any("threat" in flag for flag in ticket.flags)
    assert [n.ticket for n in notices] == [ticket.id]


async def test_d1_asking_for_a_person_after_a_resolve_reopens_the_ticket(parts: Parts) -> None:
    """Staff resolved it, the customer did not confirm and asks for a person: the ticket is
    open again with its handler, and nobody is told they are "number 0 in the queue"."""
    h = harness(parts)
    ticket = await _claimed_by_the_team(h)
    await h.command("resolve", f"{ticket} fixed the settings")
    replies = await h.say("It still does not work, I want to talk to a person please")
    text = " ".join(replies)
    assert "number 0" not in text
    assert ticket in text
    found = await h.bot.services.desk.get(ticket)
    assert found is not None
    assert found.status is Status.CLAIMED
    assert found.first("reopened") is not None


async def test_d1_asking_for_a_person_while_one_has_the_ticket_says_so(parts: Parts) -> None:
    h = harness(parts)
    ticket = await _claimed_by_the_team(h)
    replies = await h.say("Can I talk to a real person please?")
    assert "number 0" not in " ".join(replies)
    assert f"already has your ticket {ticket}" in " ".join(replies)


async def _claimed_by_the_team(h: Harness) -> str:
    """A technical-support ticket claimed by "demo", who is on that team in data/."""
    await h.bot.services.staff.add("demo", "Demo Agent")
    h.staff = await h.bot.services.staff.by_person(Person("web", "demo"))
    await _at_team_buttons(h)
    await h.click("pick_department", "technical")
    ticket = (await h.conversation()).ticket
    assert (await h.command("claim", ticket))[0].startswith(f"You have {ticket}")
    return ticket
