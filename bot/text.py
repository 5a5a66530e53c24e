"""Text hygiene for anything a person typed: bounded, printable, normalised."""

from __future__ import annotations

import re
import unicodedata

# Control characters and invisible direction/format marks; joiners (U+200C/D) stay for emoji.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
_SPACES = re.compile(r"[ \t]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def clean_text(text: str) -> str:
    """Drop control and invisible characters, repair broken surrogates, trim space."""
    repaired = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    normal = unicodedata.normalize("NFC", repaired)
    without_control = _CONTROL.sub("", normal.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in without_control.split("\n")]
    return "\n".join(lines).strip()


def clean_name(name: str, limit: int = 100) -> str:
    """A display name as it may be stored and shown: clean text on one line, bounded."""
    return " ".join(clean_text(name).split())[:limit]


def words(text: str) -> list[str]:
    """Lower-cased words (letters, inner apostrophes and hyphens) in order."""
    return [match.group(0).lower() for match in _WORD.finditer(text)]


def fold(text: str) -> str:
    """Lower case without accents ("Hallå" -> "halla", "Καλημέρα" -> "καλημερα"), for
    comparing what people type with and without diacritics."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def one_edit_apart(a: str, b: str) -> bool:
    """Whether two different words differ by one inserted, deleted, replaced or swapped letter
    (a typo); small and exact, so no fuzzy-matching library for it."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
    if start is None:  # one is the other plus a last letter
        return True
    if len(a) == len(b):
        swapped = a[start + 1 : start + 2] + a[start] == b[start : start + 2]
        return a[start + 1 :] == b[start + 1 :] or (swapped and a[start + 2 :] == b[start + 2 :])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
