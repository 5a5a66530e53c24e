"""Segment files: small genuine TinyDB databases written atomically through a TinyDB Storage."""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from bot.models import Doc
from bot.storage.errors import StoreCorruptError
from bot.storage.validate import MAX_KEY_LENGTH

TABLE = "_default"  # TinyDB's default table: plain TinyDB(path).all() shows the records
TEMP_SUFFIX = ".tmp"
Record = dict[str, Any]  # {"key": key, "doc": document}


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new entry in `directory` survive a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def decode(raw: bytes | str) -> Any:
    """JSON from bytes: orjson is several times faster on big stores; the standard library
    reads what orjson refuses (e.g. an escaped lone surrogate that json.dumps wrote)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw if isinstance(raw, str) else raw.decode("utf-8"))


class AtomicJSONStorage(Storage):
    """TinyDB's JSON format, but each write replaces the file atomically and durably.

    TinyDB's JSONStorage rewrites the file in place, so a crash mid-write leaves a torn
    file. Here a write goes to a temp file that is fsynced and renamed over the old one.
    """

    def __init__(self, path: str | Path, **_ignored: Any) -> None:
        super().__init__()
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        return decode(raw) if raw else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        text = json.dumps(data, separators=(",", ":"))
        directory = self.path.parent
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX, dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp)
            raise
        fsync_directory(directory)


class Segment:
    """One segment file: records by TinyDB document id, ids ascending in insertion order."""

    def __init__(self, path: Path, records: dict[int, Record] | None = None) -> None:
        self.path = path
        self.storage = AtomicJSONStorage(path)
        self.records: dict[int, Record] = records or {}
        self.last_id = max(self.records, default=0)

    def write(self, records: dict[int, Record]) -> None:
        """Replace the file's contents with `records`; memory is left to the caller."""
        self.storage.write({TABLE: {str(doc_id): record for doc_id, record in records.items()}})

    @classmethod
    def load(cls, path: Path) -> Segment:
        """Read and check a segment file; any problem is a StoreCorruptError naming it."""
        try:
            data = AtomicJSONStorage(path).read()
        except (OSError, ValueError, RecursionError) as error:  # ValueError: bad JSON, bad UTF-8
            raise StoreCorruptError(path, f"{type(error).__name__}: {error}") from error
        return cls(path, _parse(path, data))


def _parse(path: Path, data: object) -> dict[int, Record]:
    if data is None:
        raise StoreCorruptError(path, "the file is empty")
    if not isinstance(data, dict) or not set(data) <= {TABLE}:
        raise StoreCorruptError(path, f"expected a TinyDB file with only the {TABLE!r} table")
    table = data.get(TABLE, {})
    if not isinstance(table, dict):
        raise StoreCorruptError(path, f"table {TABLE!r} is not a JSON object")
    return {_doc_id(path, raw_id): _record(path, raw_id, raw) for raw_id, raw in table.items()}


def _doc_id(path: Path, raw_id: str) -> int:
    if not (raw_id.isascii() and raw_id.isdigit()) or raw_id.startswith("0"):
        raise StoreCorruptError(path, f"document id {raw_id!r} is not a positive integer")
    return int(raw_id)


def _record(path: Path, raw_id: str, raw: object) -> Record:
    if not isinstance(raw, dict) or set(raw) != {"key", "doc"}:
        raise StoreCorruptError(path, f"document {raw_id} is not {{'key': ..., 'doc': {{...}}}}")
    key, doc = raw["key"], raw["doc"]
    if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY_LENGTH:
        raise StoreCorruptError(path, f"document {raw_id} has an invalid key {key!r:.60}")
    if not isinstance(doc, dict):
        raise StoreCorruptError(path, f"document {raw_id} ({key!r}) is not a JSON object")
    return raw


def records_of(segment: Segment) -> list[tuple[str, Doc]]:
    """(key, doc) pairs of `segment` in insertion order."""
    return [(r["key"], r["doc"]) for _, r in sorted(segment.records.items())]
