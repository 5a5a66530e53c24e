"""Signal lexicons: one YAML file per language, compiled to word-key patterns and cached."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.kb.normalize import fold
from bot.signals_terms import FuzzyIndex, MaskWord, TermError, fuzzy_index, mask_words, term_key

LEXICON_DIR = Path(__file__).parent / "locales" / "signals"
SECTIONS = ("wants_person", "anger", "abuse", "legal", "legal_if_angry", "physical")
EXCEPT = "not_"  # "not_wants_person": a match cancels wants_person entries it overlaps
GAP = "..."
MAX_GAP = 4  # words allowed between the parts of "talk ... person"; "..2" allows two
_SHORT_GAP = re.compile(r"\.\.(\d)")
_WORD_LISTS = ("negators", "false_friends", "unstemmed")


class LexiconError(ValueError):
    """A lexicon file is missing or malformed."""


@dataclass(frozen=True)
class Slot:
    """One part of an entry: the words it accepts (as keys) and the words allowed before it."""

    keys: frozenset[str]
    gap: int
    terms: tuple[tuple[str, str], ...]  # (key, term as written), to say what fired


@dataclass(frozen=True)
class Entry:
    """One lexicon line: its section ("anger", "not_anger", ...) and its parts."""

    section: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Lexicon:
    """One language's compiled entries plus the word lists the matcher needs."""

    language: str
    entries: tuple[Entry, ...]
    negators: frozenset[str]
    false_friends: frozenset[str]  # words that are not English in this language
    unstemmed: frozenset[str]  # words kept whole: their stem would meet an entry's
    fuzzy: FuzzyIndex
    mask_words: tuple[MaskWord, ...]


@cache
def available() -> frozenset[str]:
    """The language codes that have a lexicon file."""
    return frozenset(path.stem for path in LEXICON_DIR.glob("*.yaml"))


def load_lexicons() -> None:
    """Read and compile every lexicon now, not on the first message in each language."""
    for language in available():
        lexicon(language)


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of one language, read once per process."""
    path = LEXICON_DIR / f"{language}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return _compile(language, data)
    except (OSError, yaml.YAMLError, TermError, LexiconError) as error:
        raise LexiconError(f"{path}: {error}") from error


def _compile(language: str, data: Any) -> Lexicon:
    entries = _entries(language, data)
    negators, friends, unstemmed = (_strings(data, name) for name in _WORD_LISTS)
    terms = [term for entry in entries for term in _terms(entry)]
    abusive = [term for entry in entries if entry.section == "abuse" for term in _terms(entry)]
    return Lexicon(
        language,
        entries,
        frozenset(term_key(word, language) for word in negators),
        frozenset(map(fold, friends)),
        frozenset(map(fold, unstemmed)),
        fuzzy_index(terms, language),
        mask_words(abusive, language),
    )


def _entries(language: str, data: Any) -> tuple[Entry, ...]:
    sections = (*SECTIONS, *(EXCEPT + section for section in SECTIONS))
    if not isinstance(data, dict) or set(data) - {*sections, *_WORD_LISTS}:
        raise LexiconError(f"expected a mapping of {', '.join(sections + _WORD_LISTS)}")
    return tuple(
        _entry(section, source, language)
        for section in sections
        for source in _strings(data, section)
    )


def _strings(data: dict[str, Any], section: str) -> list[str]:
    value = data.get(section) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise LexiconError(f"{section} must be a list of strings")
    return value


def _terms(entry: Entry) -> list[str]:
    return [term for slot in entry.slots for _, term in slot.terms]


def _entry(section: str, source: str, language: str) -> Entry:
    slots: list[Slot] = []
    gap = 0
    for part in source.split():
        short = _SHORT_GAP.fullmatch(part)
        if part == GAP or short:
            gap = int(short.group(1)) if short else MAX_GAP
            continue
        terms = tuple((term_key(term, language), term) for term in part.split("|"))
        slots.append(Slot(frozenset(key for key, _ in terms), gap, terms))
        gap = 0
    if not slots or gap:
        raise LexiconError(f"{section}: entry {source!r} is empty or ends in a gap")
    return Entry(section, tuple(slots))
