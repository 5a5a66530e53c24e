"""FAQ matcher: matching, typo tolerance, languages, rejection and batch lookups."""

from __future__ import annotations

import pytest

from bot.kb.entries import Entry
from bot.kb.matcher import Matcher
from bot.kb.thresholds import DEFAULT_THRESHOLD


def entry(entry_id: str, **questions: tuple[str, ...]) -> Entry:
    return Entry(entry_id, dict(questions), {lang: f"{entry_id} ({lang})" for lang in questions})


KB = [
    entry(
        "card_arrival",
        en=(
            "When will my card arrive?",
            "My card has not arrived yet",
            "How long does card delivery take?",
        ),
        de=("Wann kommt meine Karte an?", "Meine Karte ist noch nicht angekommen"),
        da=("Hvornår kommer mit kort?", "Mit kort er ikke kommet endnu"),
    ),
    entry(
        "password",
        en=("How do I reset my password?", "I forgot my password"),
        de=("Wie setze ich mein Passwort zurück?", "Ich habe mein Passwort vergessen"),
        da=("Hvordan nulstiller jeg min adgangskode?", "Jeg har glemt min adgangskode"),
    ),
    entry(
        "refund",
        en=("I want a refund", "How do I get my money back?"),
        de=("Ich möchte eine Rückerstattung", "Wie bekomme ich mein Geld zurück?"),
        da=("Jeg vil have pengene tilbage", "Hvordan får jeg en refusion?"),
    ),
    entry("opening_hours", en=("When are you open?", "What are your opening hours?")),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(KB)


def test_typos_still_find_the_entry(matcher: Matcher) -> None:
    found = matcher.lookup("wehn will my crad arrive", "en")
    assert found.entry_id == "card_arrival"
    assert found.score >= DEFAULT_THRESHOLD


def test_close_paraphrases_are_answered(matcher: Matcher) -> None:
    assert matcher.lookup("I forgot the password", "en").entry_id == "password"
    assert matcher.lookup("can I get my money back", "en").entry_id == "refund"


@pytest.mark.parametrize(
    "text", ["what is the capital of france", "asdkj qwe zzv", "the weather is nice today"]
)
def test_off_topic_and_nonsense_are_rejected(matcher: Matcher, text: str) -> None:
    found = matcher.lookup(text, "en")
    assert found.entry_id is None
    assert found.best is not None
    assert found.best.score < DEFAULT_THRESHOLD
    assert found.alternatives == ()


def test_german_inflected_forms_match(matcher: Matcher) -> None:
    found = matcher.lookup("Meine Passwörter habe ich vergessen", "de")
    assert (found.entry_id, found.language) == ("password", "de")
    assert matcher.lookup("Wann kommen die Karten?", "de").entry_id == "card_arrival"


def test_switches_from_english_to_german_on_a_clear_german_sentence(matcher: Matcher) -> None:
    found = matcher.lookup("Ich warte seit zwei Wochen, wann kommt endlich meine Karte?", "en")
    assert (found.entry_id, found.language) == ("card_arrival", "de")


def test_short_norwegian_looking_text_stays_danish(matcher: Matcher) -> None:
    found = matcher.lookup("Hvor er kortet mitt?", "da")
    assert found.language == "da"


def test_alternatives_offered_when_plausible(matcher: Matcher) -> None:
    found = matcher.lookup("I forgot my password and my card has not arrived", "en")
    ids = {found.best.entry_id if found.best else None} | {c.entry_id for c in found.alternatives}
    assert {"card_arrival", "password"} <= ids
    assert len(found.alternatives) <= 3
    assert all(c.score < (found.best.score if found.best else 1) for c in found.alternatives)


def test_lookup_many_equals_single_lookups(matcher: Matcher) -> None:
    texts = ["wehn will my crad arrive", "", "Passwort vergessen", "nonsense qq", "hej"]
    assert matcher.lookup_many(texts) == [matcher.lookup(text) for text in texts]


def test_empty_knowledge_base_and_empty_text() -> None:
    empty = Matcher.build([])
    assert empty.lookup("when will my card arrive").entry_id is None
    assert empty.lookup_many(["a", ""]) == [empty.lookup("a"), empty.lookup("")]
    assert Matcher.build(KB).lookup("   ", "de") == empty.lookup("", "de")


def test_one_and_two_entry_knowledge_bases() -> None:
    one = Matcher.build(KB[:1])
    assert one.lookup("when does my card arrive", "en").entry_id == "card_arrival"
    assert one.lookup("what is the capital of france", "en").entry_id is None
    two = Matcher.build(KB[:2])
    assert two.lookup("I forgot my password", "en").entry_id == "password"


def test_scores_are_probabilities(matcher: Matcher) -> None:
    for text in ["when will my card arrive", "xyz", "Geld zurück"]:
        found = matcher.lookup(text)
        assert 0.0 <= found.score <= 1.0
