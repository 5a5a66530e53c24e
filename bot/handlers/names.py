"""Reading a name and the presence of a request out of what a customer typed."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.i18n import Language
from bot.text import fold, one_edit_apart, words

_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CLAUSE_END = re.compile(r"[,.!?;:\n()]")
_ORIGIN = re.compile(r"\s+([^\W\d_]+)\s+[^\W\d_a-zß-ÿ][^\W\d_]*(?=\s*(?:[,.!?;:]|$))")
MAX_NAME_WORDS = 3
FUZZY_FROM = 4  # shorter words are too easily another word with one letter changed


@dataclass(frozen=True)
class Intro:
    """A name the customer gave and the stretch of text that gave it ("hier schreibt Petra
    Schulz", "Tom here"), which is no request."""

    name: str
    start: int
    end: int


def says_something(text: str, language: Language) -> bool:
    """True when the text carries a request, not just a greeting, a name or thanks."""
    rest = text
    for candidate in (text, repaired(text, language)):
        if intro := _intro(candidate, language, lenient=False):
            rest = candidate[: intro.start] + " " + candidate[intro.end :]
            break
    content = [w for w in words(rest) if not is_filler(fold(w), language)]
    return len(content) >= 2 or any(len(w) >= 4 for w in content)


def is_filler(word: str, language: Language) -> bool:
    """A greeting, thanks or filler word, also with one typo ("Helo", "Guten Morgn")."""
    if word in language.filler_words:
        return True
    if len(word) < FUZZY_FROM:
        return False
    return any(_near(word, f) for f in _by_initial(language.filler_words).get(word[:1], ()))


def without_name(text: str, name: str) -> str:
    """The text with the name taken out, whatever its case ("anna, my card is blocked")."""
    if not name:
        return text
    return re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)


def answered_name(text: str, language: Language) -> str:
    """The name given in answer to "What's your name?" ("anna", "I'm Anna"), or ""."""
    intro = find_intro(text, language, lenient=True)
    if intro:
        return intro.name
    return _as_name(text.strip(), language, need_capitals=False, alone=True)


def volunteered_name(text: str, language: Language) -> str:
    """A name offered unasked ("Hi, I'm Anna. My card ..."), or ""."""
    intro = find_intro(text, language)
    return intro.name if intro else ""


def find_intro(text: str, language: Language, lenient: bool = False) -> Intro | None:
    """The first introduction in the text, strong ("my name is"), casual ("I'm", which needs
    a capitalised name unless the customer writes all in lower case) or trailing ("Tom here")."""
    return _intro(text, language, lenient) or _intro(repaired(text, language), language, lenient)


def repaired(text: str, language: Language) -> str:
    """The text with lower-case words one typo away from a filler word corrected ("my nmae
    is", "jag hteer"); capitalised words may be names and stay as typed."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if not word[:1].islower() or len(word) < FUZZY_FROM:
            return word
        return _corrected(fold(word), language.filler_words) or word

    return _WORD.sub(fix, text)


@functools.lru_cache(maxsize=8192)  # customers' words repeat; each costs dozens of comparisons
def _corrected(folded: str, fillers: frozenset[str]) -> str | None:
    """The filler word one typo away from `folded`, if it is not a filler word itself."""
    if folded in fillers:
        return None
    return next((f for f in _by_initial(fillers).get(folded[:1], ()) if _near(folded, f)), None)


@functools.cache
def _by_initial(fillers: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The filler words long enough to be matched with a typo, by first letter (a typo is
    never looked for in the first letter), in a stable order."""
    grouped: dict[str, list[str]] = {}
    for filler in sorted(fillers):
        if len(filler) >= FUZZY_FROM:
            grouped.setdefault(filler[:1], []).append(filler)
    return {initial: tuple(found) for initial, found in grouped.items()}


def _near(word: str, filler: str) -> bool:
    return filler[:1] == word[:1] and len(filler) >= FUZZY_FROM and one_edit_apart(word, filler)


def _intro(text: str, language: Language, lenient: bool) -> Intro | None:
    lower_only = _written_in_lower_case(text) or lenient
    for patterns, capitals, casual in (
        (language.name_patterns, False, False),
        (language.casual_name_patterns, not lower_only, True),
    ):
        # a lower-case casual name must end its clause: "i'm locked out of my account" is none
        strict = casual and lower_only
        if found := _leading_intro(text, patterns, language, capitals, lower_only, strict):
            return found
    return _trailing_intro(text, language, lower_only)


def _written_in_lower_case(text: str) -> bool:
    """The customer does not capitalise: no capital letter but at the very start and in
    one-letter words (English "I"), so a lower-case name is still a name ("hi it's sam")."""
    found = _WORD.findall(text)
    return all(w == w.lower() for w in found[1:] if len(w) > 1)


def _leading_intro(
    text: str,
    patterns: tuple[re.Pattern[str], ...],
    language: Language,
    capitals: bool,
    lower_only: bool,
    strict: bool = False,
) -> Intro | None:
    for pattern in patterns:
        for match in pattern.finditer(text):
            alone = lower_only and not capitals
            name = _as_name(match.group(1), language, capitals, alone, strict)
            if name:
                end = match.start(1) + _span_of(match.group(1), name)
                return Intro(name, match.start(), _past_origin(text, end, language))
    return None


def _past_origin(text: str, end: int, language: Language) -> int:
    """Include "from Leeds" / "aus Leipzig" after a name in the introduction."""
    found = _ORIGIN.match(text, end)
    if found and fold(found.group(1).lower()) in language.name_breaks:
        return found.end()
    return end


def _trailing_intro(text: str, language: Language, lower_only: bool) -> Intro | None:
    for pattern in language.trailing_name_patterns:
        for match in pattern.finditer(text):
            candidate = match.group(1)
            parts = candidate.split()
            if not lower_only and not all(p[:1].isupper() for p in parts):
                continue
            name = _as_name(candidate, language, need_capitals=not lower_only, alone=False)
            if name and len(name.split()) == len(parts):
                return Intro(name, match.start(1), match.end())
    return None


def _as_name(
    candidate: str, language: Language, need_capitals: bool, alone: bool, strict: bool = False
) -> str:
    """The name at the start of `candidate`: up to three name-like words, ending at
    punctuation or a word that ends names ("and", "aus", "her"); with `need_capitals`, only
    the capitalised words; with `alone`, a lower-case name must end its clause or be followed
    by a word that ends names ("anna from leeds"); with `strict` that word must end the clause
    too ("nils här")."""
    clause = _CLAUSE_END.split(candidate, maxsplit=1)[0]
    parts: list[str] = []
    for part in clause.split():
        if fold(part.lower()) in language.name_breaks or len(parts) == MAX_NAME_WORDS:
            break
        if not _NAME_WORD.match(part):  # an emoji or a number ends the name
            break
        if need_capitals and not part[:1].isupper():
            break
        parts.append(part)
    rest = clause.split()[len(parts) :]
    if not parts:
        return ""
    if any(fold(p.lower()) in language.filler_words for p in parts):
        return ""
    if (
        alone
        and rest
        and (fold(rest[0].lower()) not in language.name_breaks or (strict and rest[1:]))
    ):
        return ""
    return " ".join(p[:1].upper() + p[1:] if p.islower() else p for p in parts)


def _span_of(candidate: str, name: str) -> int:
    """Where the (possibly re-capitalised) name ends inside the captured text."""
    at = candidate.lower().find(name.split()[-1].lower())
    return at + len(name.split()[-1]) if at >= 0 else len(candidate)
