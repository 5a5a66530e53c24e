"""Reading a knowledge-base directory of YAML files into checked entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.kb.entries import Entry
from bot.kb.validate import Problem, to_entry
from bot.kb.yaml_lines import LINE, YamlFileError, load_with_lines


class KnowledgeBaseError(ValueError):
    """The knowledge base has problems; `problems` lists each with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"the knowledge base has {count}:\n" + "\n".join(map(str, problems)))


@dataclass(frozen=True)
class Loaded:
    """A checked knowledge base: entries in file order, and the files they came from."""

    entries: tuple[Entry, ...]
    files: tuple[Path, ...]


def kb_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_kb(directory: Path, departments: frozenset[str]) -> Loaded:
    """All entries under `directory`, or KnowledgeBaseError listing every problem found."""
    if not directory.is_dir():
        raise KnowledgeBaseError(
            [Problem(str(directory), "the knowledge-base directory does not exist")]
        )
    files = kb_files(directory)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in files:
        found, file_problems = _read_file(path, departments)
        entries += found
        problems += file_problems
    problems += _duplicates(entries)
    if not entries and not problems:
        problems.append(
            Problem(
                str(directory), "no entries found (expected *.yaml files with a list of entries)"
            )
        )
    if problems:
        raise KnowledgeBaseError(problems)
    return Loaded(tuple(entries), tuple(files))


def _read_file(path: Path, departments: frozenset[str]) -> tuple[list[Entry], list[Problem]]:
    try:
        raw = load_with_lines(path)
    except YamlFileError as error:
        where, _, message = str(error).partition(" ")
        return [], [Problem(where.rstrip(":"), message)]
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        line = raw.get(LINE, 1) if isinstance(raw, dict) else 1
        return [], [
            Problem(f"{path}:{line}", "the file must be a YAML list of entries (- id: ...)")
        ]
    entries, problems = [], []
    for item in raw:
        entry, item_problems = to_entry(item, f"{path}:?", departments)
        problems += item_problems
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _duplicates(entries: list[Entry]) -> list[Problem]:
    first: dict[str, Entry] = {}
    problems = []
    for entry in entries:
        if entry.id in first:
            problems.append(
                Problem(
                    entry.source, f"duplicate id '{entry.id}' (first at {first[entry.id].source})"
                )
            )
        else:
            first[entry.id] = entry
    return problems
