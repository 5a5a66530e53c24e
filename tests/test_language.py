"""Offline language detection restricted to the bot's languages."""

from __future__ import annotations

import pytest

from bot.kb.language import detect_language, language_probabilities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wann kommt meine neue Karte endlich an?", "de"),
        ("When will my new card finally arrive?", "en"),
        ("Hvornår kommer mit nye kort?", "da"),
        ("När kommer mitt nya kort fram?", "sv"),
        ("Kedy mi príde nová karta?", "sk"),
        ("Πότε θα έρθει η νέα μου κάρτα;", "el"),
    ],
)
def test_clear_sentences(text: str, expected: str) -> None:
    assert detect_language(text)[0] == expected


def test_greek_script_is_decisive_even_when_short() -> None:
    assert detect_language("ναι", previous="en") == ("el", 1.0)


def test_norwegian_counts_as_danish() -> None:
    assert detect_language("Jeg har mistet kortet mitt")[0] == "da"
    assert set(language_probabilities("Hvor er kortet mitt?")) == {
        "en",
        "de",
        "da",
        "sv",
        "el",
        "sk",
    }


def test_short_text_keeps_the_previous_language() -> None:
    assert detect_language("ok", previous="sv")[0] == "sv"
    assert detect_language("hej", previous="da")[0] == "da"
    assert detect_language("Hvor er kortet mitt?", previous="da")[0] == "da"


def test_clear_sentence_switches_language() -> None:
    language, confidence = detect_language("Ich möchte mein Passwort ändern, bitte.", previous="en")
    assert language == "de"
    assert confidence > 0.9


def test_empty_text() -> None:
    assert detect_language("", previous="sk")[0] == "sk"
    assert detect_language("")[0] == "en"
