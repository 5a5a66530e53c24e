"""Publishing a reviewed draft: checked by the knowledge-base loader's rules, then appended to
`drafted.yaml` in the knowledge-base directory (blocking calls; run them in a thread)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.kb.drafts import Draft, dump_yaml, write_atomically
from bot.kb.loader import KnowledgeBaseError, load_kb
from bot.kb.validate import Problem, to_entry
from bot.kb.yaml_lines import LINE

PUBLISHED_FILE = "drafted.yaml"
HEADER = "# Entries drafted from resolved tickets and published from the staff dashboard.\n"


@dataclass(frozen=True)
class Appended:
    """Where the entry went, and the file as it was before (to put back if a reload fails)."""

    path: Path
    previous: str | None


def entry_of(draft: Draft) -> dict[str, Any]:
    """The draft as a knowledge-base entry in its language."""
    entry: dict[str, Any] = {"id": draft.id}
    if draft.department:
        entry["department"] = draft.department
    entry["questions"] = {draft.language: list(draft.questions)}
    entry["answers"] = {draft.language: draft.answer}
    entry["tags"] = ["drafted"]
    return entry


def check_entry(entry: dict[str, Any], kb_dir: Path, departments: frozenset[str]) -> list[Problem]:
    """What the loader would say about the knowledge base with this entry appended."""
    path = kb_dir / PUBLISHED_FILE
    line = _next_line(path)
    where = f"{path}:{line}"
    _, problems = to_entry({**entry, LINE: line}, where, departments)
    try:
        existing = load_kb(kb_dir, departments).entries
    except KnowledgeBaseError as error:
        return problems + error.problems
    for found in existing:
        if found.id == entry["id"]:
            message = f"duplicate id '{found.id}' (first at {found.source})"
            problems.append(Problem(where, message))
    return problems


def append_entry(entry: dict[str, Any], kb_dir: Path, note: str) -> Appended:
    """Add the entry at the end of drafted.yaml (created when missing), atomically."""
    path = kb_dir / PUBLISHED_FILE
    previous = path.read_text(encoding="utf-8") if path.is_file() else None
    text = previous if previous is not None else HEADER
    if text and not text.endswith("\n"):
        text += "\n"
    note = " ".join(note.split())
    write_atomically(path, f"{text}\n# {note}\n{dump_yaml([entry])}")
    return Appended(path, previous)


def restore(appended: Appended) -> None:
    """Undo an append: the file as it was, or no file."""
    if appended.previous is None:
        appended.path.unlink(missing_ok=True)
    else:
        write_atomically(appended.path, appended.previous)


def _next_line(path: Path) -> int:
    """The line the appended entry will start on (after a blank line and the note)."""
    if not path.is_file():
        return HEADER.count("\n") + 3
    text = path.read_text(encoding="utf-8")
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1) + 3
