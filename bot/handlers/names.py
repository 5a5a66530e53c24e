"""Reading a name and the presence of a request out of what a customer typed."""

from __future__ import annotations

import re

from bot.i18n import Language
from bot.text import words

_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$", re.UNICODE)
MAX_NAME_WORDS = 3


def says_something(text: str, language: Language) -> bool:
    """True when the text carries a request, not just a greeting, a name or thanks."""
    name = volunteered_name(text, language)
    rest = text.replace(name, " ") if name else text
    content = [w for w in words(rest) if w not in language.filler_words]
    return len(content) >= 2 or any(len(w) >= 4 for w in content)


def answered_name(text: str, language: Language) -> str:
    """The name given in answer to "What's your name?" ("anna", "I'm Anna"), or ""."""
    patterns = language.name_patterns + language.casual_name_patterns
    return _as_name(_after(text, patterns) or text, language, need_capitals=False)


def volunteered_name(text: str, language: Language) -> str:
    """A name offered unasked ("Hi, I'm Anna. My card ..."), or ""."""
    strong = _after(text, language.name_patterns)
    if strong:
        return _as_name(strong, language, need_capitals=False)
    casual = _after(text, language.casual_name_patterns)
    return _as_name(casual, language, need_capitals=True) if casual else ""


def _as_name(candidate: str, language: Language, need_capitals: bool) -> str:
    first_clause = re.split(r"[,.!?;:\n]| (?:and|und|og|och|a|και) ", candidate, maxsplit=1)[0]
    parts = first_clause.split()
    if not 1 <= len(parts) <= MAX_NAME_WORDS or not all(_NAME_WORD.match(p) for p in parts):
        return ""
    if any(p.lower() in language.filler_words for p in parts):
        return ""
    if need_capitals and not all(p[:1].isupper() for p in parts):
        return ""
    return " ".join(p[:1].upper() + p[1:] if p.islower() else p for p in parts)


def _after(text: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    for pattern in patterns:
        match = pattern.search(text.strip())
        if match:
            return match.group(1).strip()
    return ""
