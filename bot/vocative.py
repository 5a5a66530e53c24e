"""Greek addresses people in the vocative ("Γεια σας, Γιώργο!"): masculine names change
their ending, feminine ones and names in other scripts stay as they are."""

from __future__ import annotations

import re
import unicodedata

_VOWELS = re.compile(r"[αεηιουωάέήίόύώϊϋΐΰ]+")
_ENDINGS = (("ης", "η"), ("ής", "ή"), ("ας", "α"), ("άς", "ά"), ("ές", "έ"))


def vocative(name: str) -> str:
    """The name as one addresses its bearer in Greek; unchanged if it is not Greek."""
    return " ".join(_word_vocative(word) for word in name.split())


def _word_vocative(word: str) -> str:
    if not _is_greek(word):
        return word
    lower = word.lower()
    if lower.endswith(("ος", "ός")):
        # Two syllables take -ο (Νίκος -> Νίκο); longer names take -ε (Αλέξανδρος -> Αλέξανδρε).
        ending = "ο" if _syllables(lower) <= 2 else "ε"
        stressed = lower.endswith("ός")
        return word[:-2] + (ending.replace("ο", "ό").replace("ε", "έ") if stressed else ending)
    for suffix, replacement in _ENDINGS:
        if lower.endswith(suffix):
            return word[: -len(suffix)] + replacement
    return word


def _syllables(word: str) -> int:
    """Vowel groups: a fair syllable count for names (Γιώρ-γος, Στέ-λιος, Κων-σταν-τί-νος)."""
    return len(_VOWELS.findall(word))


def _is_greek(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("GREEK") for c in letters)
