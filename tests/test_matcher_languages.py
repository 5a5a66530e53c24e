"""Matcher on Greek (tonos) and Slovak (inflection, missing diacritics) knowledge bases."""

from __future__ import annotations

import pytest

from bot.kb.entries import Entry
from bot.kb.matcher import Matcher

KB = [
    Entry(
        "card_lost",
        {
            "el": ("Έχασα την κάρτα μου", "Τι κάνω αν χάσω την κάρτα;"),
            "sk": ("Stratil som kartu", "Čo mám robiť, keď stratím kartu?"),
        },
        {},
    ),
    Entry(
        "payment_failed",
        {
            "el": ("Η πληρωμή μου απέτυχε", "Γιατί απορρίφθηκε η πληρωμή;"),
            "sk": ("Moja platba zlyhala", "Prečo bola platba zamietnutá?"),
        },
        {},
    ),
    Entry(
        "change_password",
        {
            "el": ("Πώς αλλάζω τον κωδικό μου;",),
            "sk": ("Ako zmením heslo?", "Chcem zmeniť svoje heslo"),
        },
        {},
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(KB)


@pytest.mark.parametrize("text", ["Έχασα την κάρτα", "εχασα την καρτα", "ΕΧΑΣΑ ΤΗΝ ΚΑΡΤΑ ΜΟΥ"])
def test_greek_with_and_without_tonos(matcher: Matcher, text: str) -> None:
    found = matcher.lookup(text, "en")
    assert (found.entry_id, found.language) == ("card_lost", "el")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stratila som svoju kartu", "card_lost"),
        ("platby mi zlyhávajú", "payment_failed"),
        ("platbu zamietli, preco", "payment_failed"),
        ("zmena hesla", "change_password"),
        ("ako zmenit heslo", "change_password"),  # typed without diacritics
    ],
)
def test_slovak_inflected_forms(matcher: Matcher, text: str, expected: str) -> None:
    assert matcher.lookup(text, "sk").entry_id == expected
