"""Knowledge-base entries and the result of looking a question up."""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("en", "de", "da", "sv", "el", "sk")


@dataclass(frozen=True)
class Entry:
    """One FAQ entry: example questions and an answer per language code."""

    id: str
    questions: dict[str, tuple[str, ...]]
    answers: dict[str, str]
    department: str = ""
    title: dict[str, str] = field(default_factory=dict)  # short topic name per language
    tags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    source: str = ""  # "file.yaml:line", for error messages

    def answer(self, language: str, fallback: str = "en") -> str:
        return self.answers.get(language) or self.answers.get(fallback) or ""

    def topic(self, language: str, fallback: str = "en") -> str:
        """A short name for the entry (title, else its first example question)."""
        named = self.title.get(language) or self.title.get(fallback)
        if named:
            return named
        examples = self.questions.get(language) or self.questions.get(fallback) or ("",)
        return examples[0]


@dataclass(frozen=True)
class Candidate:
    """An entry the matcher considered, with its calibrated confidence (0..1)."""

    entry_id: str
    score: float


@dataclass(frozen=True)
class Lookup:
    """What the matcher made of a question.

    `entry_id` is None exactly when the bot should not answer from the knowledge base
    (confidence below the threshold); `alternatives` are the next plausible entries.
    """

    entry_id: str | None
    score: float
    language: str
    alternatives: tuple[Candidate, ...] = ()
    best: Candidate | None = None  # the top candidate even when it is below the threshold
