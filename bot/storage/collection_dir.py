"""One collection on disk: a directory of bounded segment files, so a write costs O(segment)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.gc_pause import paused_gc
from bot.models import Doc
from bot.storage.errors import StoreCorruptError
from bot.storage.memory import Change
from bot.storage.segment import Record, Segment, fsync_directory, records_of

SEGMENT_NAME = re.compile(r"^(\d{6,})\.json$")
Batch = tuple[int, list[Change]]  # (segment number, changes to that segment only)


class SegmentedCollection:
    """The segment files of one collection and where each key lives.

    New keys go to the newest segment until it holds `capacity` records; an update or a
    delete rewrites only the segment that holds the key.
    """

    def __init__(self, directory: Path, capacity: int) -> None:
        self.directory = directory
        self.capacity = capacity
        self.segments: dict[int, Segment] = {}
        self.location: dict[str, tuple[int, int]] = {}  # key -> (segment number, doc id)

    def plan(self, changes: list[Change]) -> list[Batch]:
        """Group `changes` by the segment they rewrite, each segment once, oldest first. A key
        deleted and then put again moves to the newest segment, as it is now the newest."""
        batches: dict[int, list[Change]] = {}
        newest, room = self._newest()
        removed: set[str] = set()
        for key, doc in changes:
            if key in self.location and key not in removed:
                batches.setdefault(self.location[key][0], []).append((key, doc))
                if doc is None:
                    removed.add(key)
                continue
            if doc is None:
                continue  # deleting a key that is not stored writes nothing
            if room <= 0:
                newest, room = newest + 1, self.capacity
            batches.setdefault(newest, []).append((key, doc))
            room -= 1
        return sorted(batches.items())

    def _newest(self) -> tuple[int, int]:
        """The newest segment's number and how many more records it takes."""
        if not self.segments:
            return 1, self.capacity
        newest = max(self.segments)
        return newest, self.capacity - len(self.segments[newest].records)

    def commit(self, batch: Batch) -> None:
        """Write one batch durably (blocking), then update the key map; memory follows disk."""
        number, changes = batch
        segment = self.segments.get(number) or self._new_segment(number)
        records = self._changed(number, segment, changes)
        segment.write(records)
        self._adopt(number, segment, records)

    def _changed(self, number: int, segment: Segment, changes: list[Change]) -> dict[int, Record]:
        """A new records dict for `segment` with `changes` applied; the old one is untouched."""
        records, last_id = dict(segment.records), segment.last_id
        placed: dict[str, int] = {}  # ids given to keys here, so a repeated key is not doubled
        gone: set[str] = set()  # deleted here: a later put of the key is a new record
        for key, doc in changes:
            doc_id = placed.get(key) or self._stored_id(key, number, gone)
            if doc is None:
                records.pop(doc_id or 0, None)  # ids start at 1: 0 means not stored
                placed.pop(key, None)
                gone.add(key)
            elif doc_id is None:
                last_id += 1
                records[last_id] = {"key": key, "doc": doc}
                placed[key] = last_id
            else:
                records[doc_id] = {"key": key, "doc": doc}
        return records

    def _stored_id(self, key: str, number: int, gone: set[str]) -> int | None:
        here = self.location.get(key)
        return here[1] if here and here[0] == number and key not in gone else None

    def reload(self, number: int) -> dict[str, Doc]:
        """Re-read one segment after a failed write so memory matches the disk again."""
        path = self._path(number)
        segment = Segment.load(path) if path.exists() else Segment(path)
        self._adopt(number, segment, segment.records)
        return dict(records_of(segment))

    def load(self) -> list[tuple[str, Doc]]:
        """Read every segment file (blocking); (key, doc) pairs in insertion order."""
        contents: list[tuple[str, Doc]] = []
        names = (SEGMENT_NAME.match(p.name) for p in self.directory.iterdir())
        with paused_gc():
            self._load_segments(sorted(int(m.group(1)) for m in names if m), contents)
        return contents

    def _load_segments(self, numbers: list[int], contents: list[tuple[str, Doc]]) -> None:
        for number in numbers:
            segment = Segment.load(self._path(number))
            pairs = records_of(segment)
            self._check_unique([key for key, _ in pairs], segment.path)
            self._adopt(number, segment, segment.records)
            contents.extend(pairs)

    def _adopt(self, number: int, segment: Segment, records: dict[int, Record]) -> None:
        current = self.segments.get(number)
        for old in current.records.values() if current else ():
            self.location.pop(old["key"], None)
        segment.records = records
        segment.last_id = max(segment.last_id, max(records, default=0))
        self.segments[number] = segment
        for doc_id, record in records.items():
            self.location[record["key"]] = (number, doc_id)

    def _check_unique(self, keys: list[str], path: Path) -> None:
        if len(set(keys)) != len(keys):
            raise StoreCorruptError(path, "the same key is stored twice in this file")
        for key in keys:
            if key in self.location:
                other = self._path(self.location[key][0])
                raise StoreCorruptError(path, f"key {key!r} is also stored in {other}")

    def _new_segment(self, number: int) -> Segment:
        if not self.directory.exists():
            self.directory.mkdir(parents=True)
            fsync_directory(self.directory.parent)
        return Segment(self._path(number))

    def _path(self, number: int) -> Path:
        return self.directory / f"{number:06d}.json"
