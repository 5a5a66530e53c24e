"""The bot's own phrases, one YAML catalog per language, with English as the fallback."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.text import fold
from bot.vocative import vocative

LOCALES_DIR = Path(__file__).parent / "locales"
FALLBACK = "en"


class CatalogError(ValueError):
    """A catalog file is missing, malformed or lacks a phrase."""


@dataclass(frozen=True)
class Language:
    """One language's phrases and intake vocabulary."""

    code: str
    name: str
    phrases: dict[str, str]
    filler_words: frozenset[str] = frozenset()
    name_patterns: tuple[re.Pattern[str], ...] = ()
    casual_name_patterns: tuple[re.Pattern[str], ...] = ()
    trailing_name_patterns: tuple[re.Pattern[str], ...] = ()  # "Tom here", "Sabine hier"
    name_breaks: frozenset[str] = frozenset()  # words that end a name ("and", "aus", "her")
    switch_words: frozenset[str] = frozenset()
    vocative_phrases: frozenset[str] = frozenset()  # phrases that address {name} (Greek)
    cldr_locale: str = ""  # the CLDR locale for dates, times and plurals ("en_GB"); "" = code

    @property
    def locale(self) -> str:
        """The CLDR locale this language's numbers, dates and durations are formatted in."""
        return self.cldr_locale or self.code


@dataclass(frozen=True)
class Localized:
    """A value whose words depend on the language of the phrase it goes into: a department's
    name or a duration. A staff command's notice to a customer is rendered in the customer's
    language, which the command itself does not know."""

    render: Callable[[Language], str]


@dataclass(frozen=True)
class Catalog:
    """All languages; `text` falls back to English for anything a language lacks."""

    languages: dict[str, Language] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        files = sorted(directory.glob("*.yaml"))
        languages = {path.stem: _read_language(path) for path in files}
        if FALLBACK not in languages:
            raise CatalogError(f"{directory}: the English catalog ({FALLBACK}.yaml) is missing")
        return cls(languages)

    def language(self, code: str) -> Language:
        return self.languages.get(code) or self.languages[FALLBACK]

    def text(self, code: str, key: str, **values: Any) -> str:
        language = self.language(code)
        values = {k: _rendered(v, language) for k, v in values.items()}
        if key in language.vocative_phrases and values.get("name"):
            values["name"] = vocative(str(values["name"]))
        return self._template(code, key).format_map(values)

    def matcher(self, code: str, key: str) -> Callable[[str], bool]:
        """Whether a text is this phrase, with any values filled in (e.g. a command's
        success confirmation, which adapters keep quiet about)."""
        parts = [
            re.escape(literal) + (".+" if name is not None else "")
            for literal, name, _, _ in string.Formatter().parse(self._template(code, key))
        ]
        pattern = re.compile("".join(parts), re.DOTALL)
        return lambda text: pattern.fullmatch(text) is not None

    def _template(self, code: str, key: str) -> str:
        template = self.language(code).phrases.get(key)
        return template if template is not None else self.languages[FALLBACK].phrases[key]

    def missing(self, code: str) -> list[str]:
        """Phrase keys English has and `code` lacks."""
        present = self.language(code).phrases
        return [key for key in self.languages[FALLBACK].phrases if key not in present]


def _read_language(path: Path) -> Language:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogError(f"{path}: cannot read the catalog: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("phrases"), dict):
        raise CatalogError(f"{path}: expected a mapping with a 'phrases' mapping")
    return Language(
        code=path.stem,
        name=str(raw.get("language_name", path.stem)),
        phrases={str(k): str(v) for k, v in raw["phrases"].items()},
        filler_words=_folded(raw.get("filler_words")),
        name_patterns=_patterns(raw.get("name_patterns")),
        casual_name_patterns=_patterns(raw.get("casual_name_patterns")),
        trailing_name_patterns=_patterns(raw.get("trailing_name_patterns")),
        name_breaks=_folded(raw.get("name_breaks")),
        switch_words=frozenset(str(w).lower() for w in raw.get("switch_words") or []),
        vocative_phrases=frozenset(str(k) for k in raw.get("vocative_phrases") or []),
        cldr_locale=str(raw.get("cldr_locale") or ""),
    )


def _rendered(value: Any, language: Language) -> Any:
    return value.render(language) if isinstance(value, Localized) else value


def _folded(raw: Any) -> frozenset[str]:
    return frozenset(fold(str(word)) for word in raw or [])


def _patterns(raw: Any) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(pattern), re.IGNORECASE) for pattern in raw or [])
