"""The light Slovak stemmer."""

from __future__ import annotations

import pytest

from bot.kb.normalize import fold
from bot.kb.stem_sk import stem_slovak


@pytest.mark.parametrize(
    "forms",
    [
        ("karta", "karty", "kartou", "kartách", "kartami", "karte"),
        ("platba", "platby", "platbou", "platbu"),
        ("heslo", "hesla", "heslom"),
        ("zmeniť", "zmenil", "zmenila", "zmenu", "zmena"),
        ("zablokovať", "zablokovanie", "zablokujem"),
        ("objednávka", "objednávky", "objednávku"),
    ],
)
def test_inflected_forms_share_a_stem(forms: tuple[str, ...]) -> None:
    assert len({stem_slovak(fold(form)) for form in forms}) == 1


def test_short_words_are_kept() -> None:
    assert stem_slovak("kde") == "kde"
    assert stem_slovak("ma") == "ma"
