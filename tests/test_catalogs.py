"""The bot's own phrases exist in all six languages (A4), with the same placeholders."""

from __future__ import annotations

import string

import pytest

from bot.handlers.language import requested_language
from bot.handlers.names import answered_name, says_something, volunteered_name
from bot.i18n import Catalog
from bot.kb.entries import LANGUAGES

CATALOG = Catalog.load()


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_a4_every_language_has_a_catalog() -> None:
    assert set(CATALOG.languages) == set(LANGUAGES)


@pytest.mark.parametrize("code", LANGUAGES)
def test_a4_every_phrase_exists_with_the_same_placeholders(code: str) -> None:
    assert CATALOG.missing(code) == []
    english = CATALOG.languages["en"].phrases
    for key, template in CATALOG.languages[code].phrases.items():
        assert placeholders(template) == placeholders(english[key]), f"{code}.{key}"


@pytest.mark.parametrize(
    ("code", "sentence", "name"),
    [
        ("en", "Hi, my name is anna", "Anna"),
        ("de", "Hallo, ich heiße Anna Müller", "Anna Müller"),
        ("da", "Hej, jeg hedder Ole", "Ole"),
        ("sv", "Mitt namn är Erik och jag behöver hjälp", "Erik"),
        ("el", "Γεια σας, με λένε Νίκο", "Νίκο"),
        ("sk", "Volám sa Peter a mám otázku", "Peter"),
    ],
)
def test_a2_a_volunteered_name_is_recognised_in_every_language(
    code: str, sentence: str, name: str
) -> None:
    assert volunteered_name(sentence, CATALOG.language(code)) == name


@pytest.mark.parametrize(
    ("code", "sentence", "name"),
    [
        ("en", "hi it's sam, how do I reset my password", "Sam"),  # lower case but for "I"
        ("en", "Hi it's urgent, my parcel is lost", ""),
        ("en", "Hi I'm new, how do I sign up?", ""),
        ("de", "Hallo ich bin neu hier", ""),
        ("da", "hej jeg er ny kunde", ""),
        ("sv", "hej jag är ny här", ""),
        ("sk", "dobrý deň, som nová zákazníčka", ""),
        ("el", "γεια σας, είμαι καινούργιος πελάτης", ""),
    ],
)
def test_a2_a_lower_case_name_but_no_state_is_taken_as_a_name(
    code: str, sentence: str, name: str
) -> None:
    assert volunteered_name(sentence, CATALOG.language(code)) == name


@pytest.mark.parametrize(
    ("code", "greeting", "asking"),
    [
        ("en", "hello there", "my parcel never arrived"),
        ("de", "Guten Morgen", "Meine Bestellung ist nicht angekommen"),
        ("da", "hej", "min pakke er ikke kommet"),
        ("sv", "hej hej", "mitt paket har inte kommit"),
        ("el", "Καλημέρα σας", "το δέμα μου δεν έφτασε"),
        ("sk", "dobrý deň", "môj balík neprišiel"),
    ],
)
def test_a1_a_bare_greeting_is_not_a_request_in_any_language(
    code: str, greeting: str, asking: str
) -> None:
    language = CATALOG.language(code)
    assert not says_something(greeting, language)
    assert says_something(asking, language)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("auf Deutsch bitte", "de"),
        ("in English please", "en"),
        ("på dansk", "da"),
        ("på svenska tack", "sv"),
        ("στα ελληνικά", "el"),
        ("po slovensky prosím", "sk"),
        ("I have a question about Deutsch courses and my order from last week", None),
    ],
)
def test_a4_explicit_language_requests(text: str, code: str | None) -> None:
    assert requested_language(text, CATALOG) == code


def test_answered_name_accepts_lower_case_but_not_greetings() -> None:
    english = CATALOG.language("en")
    assert answered_name("anna karenina", english) == "Anna Karenina"
    assert answered_name("hello", english) == ""
    assert answered_name("I have a problem with my bill", english) == ""
