"""Turning raw YAML entries into Entry objects, collecting every problem with its place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.kb.entries import LANGUAGES, Entry
from bot.kb.yaml_lines import LINE, without_lines

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, at `where` ("file:line")."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def to_entry(
    raw: Any, where: str, departments: frozenset[str]
) -> tuple[Entry | None, list[Problem]]:
    """Check one raw entry; an Entry is returned only when it has no problems."""
    if not isinstance(raw, dict):
        return None, [Problem(where, "each entry must be a mapping with id, questions, answers")]
    where = f"{where.rsplit(':', 1)[0]}:{raw.get(LINE, '?')}"
    data = without_lines(raw)
    entry_id = data.get("id")
    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        return None, [
            Problem(
                where, f"entry id {entry_id!r} must be lower-case letters, digits, '-', '_' or '.'"
            )
        ]
    label = f"entry '{entry_id}'"
    questions, problems = _questions(data.get("questions"), where, label)
    answers, answer_problems = _answers(data.get("answers"), where, label)
    problems += answer_problems + _coverage(questions, answers, where, label)
    problems += _department(data.get("department"), departments, where, label)
    if problems:
        return None, problems
    return _entry(data, entry_id, questions, answers, where), []


def _questions(
    raw: Any, where: str, label: str
) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    if not isinstance(raw, dict) or not raw:
        return {}, [
            Problem(where, f"{label} has no questions (a mapping of language: [phrasings])")
        ]
    found: dict[str, tuple[str, ...]] = {}
    problems = _languages(raw, where, label, "questions")
    for language, phrasings in raw.items():
        if isinstance(phrasings, str):
            phrasings = [phrasings]
        if not isinstance(phrasings, list) or not all(_text(p) for p in phrasings) or not phrasings:
            problems.append(
                Problem(where, f"{label}: questions.{language} must be a list of non-empty strings")
            )
            continue
        found[str(language)] = tuple(p.strip() for p in phrasings)
    return found, problems


def _answers(raw: Any, where: str, label: str) -> tuple[dict[str, str], list[Problem]]:
    if not isinstance(raw, dict) or not raw:
        return {}, [Problem(where, f"{label} has no answers (a mapping of language: text)")]
    problems = _languages(raw, where, label, "answers")
    for language, text in raw.items():
        if not _text(text):
            problems.append(
                Problem(where, f"{label}: answers.{language} must be a non-empty string")
            )
    return {str(k): v.strip() for k, v in raw.items() if _text(v)}, problems


def _languages(raw: dict[Any, Any], where: str, label: str, field: str) -> list[Problem]:
    unknown = sorted(str(code) for code in raw if code not in LANGUAGES)
    if not unknown:
        return []
    known = ", ".join(LANGUAGES)
    return [
        Problem(
            where, f"{label}: {field} has unknown language(s) {', '.join(unknown)} (known: {known})"
        )
    ]


def _coverage(
    questions: dict[str, Any], answers: dict[str, str], where: str, label: str
) -> list[Problem]:
    missing = sorted((set(questions) - set(answers)) & set(LANGUAGES))
    if not missing or not answers:
        return []
    return [Problem(where, f"{label} has questions but no answer in: {', '.join(missing)}")]


def _department(raw: Any, departments: frozenset[str], where: str, label: str) -> list[Problem]:
    if raw is None or raw == "":
        return []
    if not departments:
        why = "no departments are configured: departments.yaml in the data directory is missing"
        return [Problem(where, f"{label}: department {raw!r} is not defined ({why} or empty)")]
    if not isinstance(raw, str) or raw not in departments:
        known = ", ".join(sorted(departments))
        return [Problem(where, f"{label}: unknown department {raw!r} (known: {known})")]
    return []


def _entry(
    data: dict[str, Any],
    entry_id: str,
    questions: dict[str, tuple[str, ...]],
    answers: dict[str, str],
    where: str,
) -> Entry:
    title = data.get("title") if isinstance(data.get("title"), dict) else {}
    return Entry(
        id=entry_id,
        questions=questions,
        answers=answers,
        department=str(data.get("department") or ""),
        title={str(k): str(v) for k, v in (title or {}).items()},
        tags=tuple(str(t) for t in data.get("tags") or ()),
        links=tuple(str(link) for link in data.get("links") or ()),
        source=where,
    )


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
