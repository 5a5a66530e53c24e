"""What a customer's message signals: a wish for a person, anger, abuse or a threat (E1-E5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.signals_lexicon import Lexicon, available, lexicon
from bot.signals_match import matches
from bot.signals_text import angry_emoji, exclaims, message_words, rude_emoji, shouts, word_keys

ENGLISH = "en"  # checked for every message: customers mix English in
Threat = Literal["legal", "physical"]


@dataclass(frozen=True)
class Signals:
    """The signals found in one message; `matched` names the entries and cues that fired.

    Entries read "language:section:the entry's words that fired" ("da:anger:under al kritik",
    "en:abuse:fuck*"); cues read "cue:shouting", "cue:exclamations" or "cue:emoji". An insult
    also counts as anger. A lawyer mentioned in an angry or abusive message is a legal threat;
    a neutral mention ("my lawyer needs the invoice") is not. Physical beats legal.
    """

    wants_person: bool = False
    anger: bool = False
    abuse: bool = False
    threat: Threat | None = None
    matched: tuple[str, ...] = ()


def detect_signals(text: str, language: str) -> Signals:
    """The signals of a message written in `language` (one of the bot's codes, e.g. "de")."""
    hits = _lexicon_hits(message_words(text), language.lower())
    hits += [(section, f"cue:{name}") for name, (section, cue) in _CUES.items() if cue(text)]
    sections = {section for section, _ in hits}
    anger = bool(sections & {"anger", "abuse"})
    legal = "legal" in sections or ("legal_if_angry" in sections and anger)
    counted = (label for section, label in hits if section != "legal_if_angry" or legal)
    return Signals(
        wants_person="wants_person" in sections,
        anger=anger,
        abuse="abuse" in sections,
        threat="physical" if "physical" in sections else "legal" if legal else None,
        matched=tuple(dict.fromkeys(counted)),
    )


_CUES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "shouting": ("anger", shouts),
    "exclamations": ("anger", exclaims),
    "emoji": ("anger", angry_emoji),
    "rude_emoji": ("abuse", rude_emoji),
}
Hit = tuple[str, str]  # section, label


def _lexicon_hits(words: list[str], language: str) -> list[Hit]:
    own = language if language in available() else None
    hits = _hits(words, lexicon(own), fuzzy=True, ignore=frozenset()) if own else []
    if own != ENGLISH:
        # English words inside another language: exact forms only, minus that language's
        # false friends (Swedish "slut" is "end", German "hell" is "bright").
        ignore = lexicon(own).false_friends if own else frozenset()
        hits += _hits(words, lexicon(ENGLISH), fuzzy=own is None, ignore=ignore)
    return hits


def _hits(words: list[str], lex: Lexicon, fuzzy: bool, ignore: frozenset[str]) -> list[Hit]:
    found = matches(word_keys(words, lex, fuzzy, ignore), lex)
    return [(section, f"{lex.language}:{section}:{label}") for section, label in found]
