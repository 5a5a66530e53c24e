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


def words(text: str) -> list[str]:
    """Lower-cased words (letters, inner apostrophes and hyphens) in order."""
    return [match.group(0).lower() for match in _WORD.finditer(text)]


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
