"""Knowledge-base entries drafted from resolved tickets, one YAML file each, kept outside the
knowledge base (the loader never sees them) until a staff member reviews and publishes them."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.storage.segment import fsync_directory

DRAFTS_DIR = "kb-drafts"  # under the data directory, next to (not inside) the knowledge base
DRAFT_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")  # the knowledge base's id rule
SLUG_WORDS = 6


@dataclass
class Draft:
    """A proposed entry: example questions and an answer in one language."""

    id: str
    department: str
    language: str
    questions: list[str]
    answer: str
    ticket: str  # the resolved ticket it was drafted from
    created_at: str
    created_by: str
    asked: list[str] = field(default_factory=list)  # the uncovered question(s) it answers

    def to_data(self) -> dict[str, Any]:
        return asdict(self)


class DraftFiles:
    """The drafts directory: `<id>.yaml` per draft; every write is atomic (blocking calls)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, draft_id: str) -> Path | None:
        """Where the draft lives, or None for an id that is not a valid entry id."""
        return self.directory / f"{draft_id}.yaml" if DRAFT_ID.match(draft_id) else None

    def get(self, draft_id: str) -> Draft | None:
        path = self.path(draft_id)
        if path is None or not path.is_file():
            return None
        return _draft(yaml.safe_load(path.read_text(encoding="utf-8")))

    def all(self) -> list[Draft]:
        """Every draft, the newest first."""
        if not self.directory.is_dir():
            return []
        found = [self.get(p.stem) for p in self.directory.glob("*.yaml")]
        return sorted((d for d in found if d), key=lambda d: (d.created_at, d.id), reverse=True)

    def save(self, draft: Draft) -> None:
        path = self.path(draft.id)
        if path is None:
            raise ValueError(f"{draft.id!r} is not a valid entry id")
        self.directory.mkdir(parents=True, exist_ok=True)
        write_atomically(path, dump_yaml(draft.to_data()))

    def delete(self, draft_id: str) -> bool:
        path = self.path(draft_id)
        if path is None or not path.is_file():
            return False
        path.unlink()
        fsync_directory(self.directory)
        return True


def slug(text: str) -> str:
    """A readable entry id from a question: "Do you ship to Iceland?" -> do-you-ship-to-iceland."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded)[:SLUG_WORDS]
    return "-".join(words)[:60].strip("-")


def free_id(wanted: str, taken: Callable[[str], bool]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3` ... whichever is not taken yet."""
    candidate, number = wanted, 1
    while taken(candidate):
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file (not *.yaml, so no loader picks it up) and rename it over."""
    fd, temp = tempfile.mkstemp(prefix=".draft.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    fsync_directory(path.parent)


def _draft(raw: Any) -> Draft | None:
    if not isinstance(raw, dict):
        return None
    try:
        return Draft(**{k: v for k, v in raw.items() if k in Draft.__dataclass_fields__})
    except TypeError:
        return None
