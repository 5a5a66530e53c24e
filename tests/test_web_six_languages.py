"""One whole conversation per language through the web JSON API (A1-A4, C1, C2, C5, D2,
D3, F2, F5, G5): every bot message and button in the customer's language; and a threat in
that language makes an urgent, flagged ticket and tells the threats contact (E4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from bot.events import Event, StaffNotice
from bot.kb.language import detect_language
from bot.tickets.model import Priority
from tests.test_web_german_flow import Script, script  # noqa: F401  (the fixture)

MIN_WORDS_TO_DETECT = 4  # shorter labels ("Ja", "Nej") say too little to a detector
ENGLISH_TEAM_NAMES = ("Orders and delivery", "Billing", "Technical support")


@dataclass(frozen=True)
class Lines:
    """What a customer of this language writes, and a staff reply in it."""

    greeting: str
    name: str
    question: str
    staff_reply: str
    threat: str


LINES = {
    "en": Lines(
        "Good evening",
        "Oliver Bennett",
        "How long does delivery usually take?",
        "Thanks for waiting, I'm checking your order now.",
        "If you don't refund me this week I'll take you to court.",
    ),
    "de": Lines(
        "Guten Abend",
        "Ich heiße Klaus Weber",
        "Wie lange dauert die Lieferung normalerweise?",
        "Danke für Ihre Geduld, ich sehe mir Ihre Bestellung jetzt an.",
        "Wenn das nicht bis Freitag erledigt ist, schalte ich meinen Anwalt ein.",
    ),
    "da": Lines(
        "Godaften",
        "Jeg hedder Mette Holm",
        "Hvor lang tid tager levering normalt?",
        "Tak fordi du ventede, jeg kigger på din ordre nu.",
        "Hvis I ikke løser det i denne uge, kontakter jeg min advokat.",
    ),
    "sv": Lines(
        "God kväll",
        "Jag heter Erik Lund",
        "Hur lång tid tar leveransen vanligtvis?",
        "Tack för att du väntade, jag tittar på din beställning nu.",
        "Om ni inte löser det här den här veckan går jag till min advokat.",
    ),
    "sk": Lines(
        "Dobrý večer",
        "Volám sa Zuzana Kováčová",
        "Ako dlho zvyčajne trvá doručenie?",
        "Ďakujem za trpezlivosť, práve pozerám Vašu objednávku.",
        "Ak to do piatku nevyriešite, obrátim sa na právnika.",
    ),
    "el": Lines(
        "Καλησπέρα",
        "Με λένε Νίκος Αντωνίου",
        "Πόσο καιρό κάνει συνήθως η παράδοση;",
        "Ευχαριστώ για την υπομονή σας, κοιτάζω τώρα την παραγγελία σας.",
        "Αν δεν λυθεί αυτό μέχρι την Παρασκευή, θα πάω σε δικηγόρο.",
    ),
}


async def _through_to_a_person(talk: Script, lines: Lines) -> str:
    await talk.say(lines.greeting)
    await talk.say(lines.name)
    replies = await talk.say(lines.question)
    entry = next(b["value"] for r in replies for b in r["buttons"] if b["action"] == "kb_no")
    replies = await talk.click("kb_no", entry)
    if any(b["action"] == "kb_person" for r in replies for b in r["buttons"]):
        replies = await talk.click("kb_person", "")
    if any(b["action"] == "pick_department" for r in replies for b in r["buttons"]):
        await talk.click("pick_department", "orders")
    return str((await talk.bot.services.desk.queue("orders"))[0].id)


async def _staff_side(talk: Script, lines: Lines, ticket: str) -> None:
    assert (await talk.staff("claim", ticket)).startswith(f"You have {ticket}")
    await talk.staff("reply", f"{ticket} {lines.staff_reply}")
    await talk.staff("hold", f"{ticket} 10 check the warehouse")
    await talk.click("hold_ok", ticket)
    await talk.staff("reply", f"{ticket} {lines.staff_reply}")
    await talk.staff("transfer", f"{ticket} billing the invoice needs checking")
    await talk.click("transfer_ok", ticket)
    await talk.staff("claim", ticket)
    await talk.staff("resolve", f"{ticket} {lines.staff_reply}")
    await talk.click("solved_yes", ticket)
    await talk.click("rate", f"{ticket}:5")


def _bot_words(messages: list[dict[str, Any]]) -> list[str]:
    texts = [m["text"] for m in messages if m["role"] == "bot"]
    texts += [b["label"] for m in messages for b in m["buttons"]]
    return [t for t in texts if len(t.split()) >= MIN_WORDS_TO_DETECT]


@pytest.mark.parametrize("language", sorted(LINES))
async def test_g5_a_whole_conversation_stays_in_the_customers_language(
    script: Script,  # noqa: F811
    language: str,
) -> None:
    lines = LINES[language]
    ticket = await _through_to_a_person(script, lines)
    await _staff_side(script, lines, ticket)
    found = await script.bot.services.desk.get(ticket)
    assert found is not None
    assert (found.status.value, found.rating, found.department) == ("closed", 5, "billing")
    assert found.language == language
    messages = await script.messages()
    assert messages[0]["author"]  # the customer's first line has an author
    for text in _bot_words(messages):
        assert detect_language(text)[0] == language, text
    _team_names_in(language, messages, script)


def _team_names_in(language: str, messages: list[dict[str, Any]], talk: Script) -> None:
    """The teams are named in the customer's language in every sentence (G5)."""
    said = " ".join(m["text"] for m in messages if m["role"] in ("bot", "staff"))
    departments = talk.bot.services.departments
    for team in ("orders", "billing"):
        assert departments[team].name(language) in said
    if language != "en":
        assert not [name for name in ENGLISH_TEAM_NAMES if name in said]


@pytest.mark.parametrize("language", sorted(LINES))
async def test_e4_a_threat_in_any_language_is_urgent_flagged_and_reported(
    script: Script,  # noqa: F811
    language: str,
) -> None:
    notices: list[StaffNotice] = []

    async def listen(event: Event) -> None:
        if isinstance(event, StaffNotice):
            notices.append(event)

    script.bot.services.bus.subscribe(listen)
    replies = await script.say(LINES[language].threat)
    if any(b["action"] == "pick_department" for r in replies for b in r["buttons"]):
        await script.click("pick_department", "billing")
    conversation = await script.bot.services.conversations.get(f"web:{script.conversation}")
    assert conversation is not None
    assert conversation.language == language
    found = await script.bot.services.desk.get(conversation.ticket)
    assert found is not None
    assert found.priority is Priority.URGENT
    assert any("threat" in flag for flag in found.flags)
    assert [n.ticket for n in notices] == [found.id]
    assert notices[0].to == {"web": "demo"}
