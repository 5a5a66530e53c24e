"""The write-ahead journal of TinyDBStore: each group commit is one appended line and one
fsync; compaction later folds the lines into the segment files and retires the journal.

A line is `<crc32 as 8 hex digits> <JSON list of [collection, key, doc or null]>\\n`. A line
only counts once it is whole and its checksum matches; a damaged last line is a commit that
was never acknowledged (the process died inside the append) and is cut off on open. A damaged
line before the last is corruption, and the store refuses to start.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from pathlib import Path
from typing import Any

import orjson

from bot.models import Doc
from bot.storage.errors import StoreCorruptError
from bot.storage.memory import COUNTERS
from bot.storage.segment import decode, fsync_directory
from bot.storage.validate import COLLECTION_NAME, MAX_KEY_LENGTH

JOURNAL_NAME = re.compile(r"^journal\.(\d{6,})\.log$")
Entry = tuple[str, str, Doc | None]  # (collection, key, new document or None for delete)


def encode(entries: list[Entry]) -> bytes:
    """One journal line; the standard library writes what orjson refuses (lone surrogates)."""
    rows = [[collection, key, doc] for collection, key, doc in entries]
    try:
        body = orjson.dumps(rows)
    except TypeError:
        body = json.dumps(rows, separators=(",", ":")).encode("ascii")
    return b"%08x %s\n" % (zlib.crc32(body), body)


def journal_path(root: Path, generation: int) -> Path:
    return root / f"journal.{generation:06d}.log"


def generations(root: Path) -> list[int]:
    """The journal files present, oldest first."""
    found = (JOURNAL_NAME.match(path.name) for path in root.iterdir())
    return sorted(int(match.group(1)) for match in found if match)


def read_journal(path: Path, last: bool, live: bool = False) -> tuple[list[list[Entry]], int]:
    """The commits in one journal file and the length of its whole, valid part. Only the
    `last` file may end in a damaged line (it is left for the caller to cut off). `live`:
    the store is in use, so a file may vanish (folded meanwhile) or grow a line mid-read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if live:
            return [], 0
        raise StoreCorruptError(path, "the journal file vanished while it was read") from None
    except OSError as error:
        raise StoreCorruptError(path, f"{type(error).__name__}: {error}") from error
    commits: list[list[Entry]] = []
    valid = 0
    while valid < len(raw):
        end = raw.find(b"\n", valid)
        parsed = None if end < 0 else _parse_line(raw[valid:end])
        if parsed is None:
            if (last or live) and _only_tail(raw, end):
                break
            raise StoreCorruptError(path, f"damaged journal line at byte {valid}")
        commits.append(parsed)
        valid = end + 1
    return commits, valid


def _only_tail(raw: bytes, end: int) -> bool:
    """A torn append leaves at most one damaged line, with nothing whole after it."""
    return end < 0 or raw.find(b"\n", end + 1) < 0


def _parse_line(line: bytes) -> list[Entry] | None:
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        rows = decode(body)
    except ValueError:
        return None
    return _entries(rows)


def _entries(rows: Any) -> list[Entry] | None:
    if not isinstance(rows, list):
        return None
    entries: list[Entry] = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 3):
            return None
        collection, key, doc = row
        if not (_valid_collection(collection) and isinstance(key, str)):
            return None
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            return None
        if doc is not None and not isinstance(doc, dict):
            return None
        entries.append((collection, key, doc))
    return entries


def _valid_collection(name: object) -> bool:
    """Checked, because compaction turns the name into a directory."""
    return isinstance(name, str) and (name == COUNTERS or COLLECTION_NAME.match(name) is not None)


class JournalFile:
    """The journal file being appended to (one per generation); blocking calls."""

    def __init__(self, root: Path, generation: int, size: int = 0) -> None:
        self.root, self.generation = root, generation
        self.path = journal_path(root, generation)
        existed = self.path.exists()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.ftruncate(self._fd, size)  # cut off a torn last line
        os.lseek(self._fd, size, os.SEEK_SET)
        self.size = size
        self.damaged = False  # set when a failed append could not be cut back
        if not existed:
            fsync_directory(root)

    def append(self, line: bytes) -> None:
        """Write and fsync one commit; if that fails, cut the file back so it never held it."""
        try:
            written = os.write(self._fd, line)
            if written != len(line):
                raise OSError(28, f"short write to {self.path} ({written} of {len(line)} bytes)")
            os.fdatasync(self._fd)
        except BaseException as error:
            self._cut_back(error)
            raise
        self.size += len(line)

    def _cut_back(self, error: BaseException) -> None:
        try:
            os.ftruncate(self._fd, self.size)
            os.lseek(self._fd, self.size, os.SEEK_SET)
            os.fdatasync(self._fd)
        except OSError as cut_error:
            self.damaged = True
            error.add_note(f"cutting {self.path} back failed too: {cut_error!r}")

    def close(self) -> None:
        os.close(self._fd)


def retire(root: Path, through: int) -> None:
    """Delete the journal files up to generation `through`: their commits are in the
    segments now."""
    for generation in generations(root):
        if generation <= through:
            journal_path(root, generation).unlink()
    fsync_directory(root)


class Replay:
    """What the journal files of a store hold, read at start-up (nothing is changed)."""

    def __init__(self, root: Path, live: bool = False) -> None:
        self.commits: list[list[Entry]] = []
        self.found = generations(root) if root.is_dir() else []
        self.generation = self.found[-1] if self.found else 1
        self.size = 0  # of the whole, valid part of the newest file
        for generation in self.found:
            path = journal_path(root, generation)
            commits, self.size = read_journal(path, generation == self.generation, live)
            self.commits.extend(commits)
