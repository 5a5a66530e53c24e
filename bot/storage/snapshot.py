"""Reading some collections of a store directory without opening it for writing.

Safe while the bot runs: every segment file is replaced by an atomic rename, so a reader sees
each file either before or after a write, never half-written. Used by reports and exports."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.models import Doc
from bot.storage.collection_dir import SegmentedCollection
from bot.storage.errors import StoreCorruptError
from bot.storage.tinydb_store import SEGMENT_SIZE


async def read_collections(
    path: str | os.PathLike[str], names: tuple[str, ...]
) -> dict[str, list[Doc]]:
    """The documents of each named collection ([] for one that does not exist yet, also when
    the store directory itself does not exist yet)."""
    return await asyncio.to_thread(_read, Path(path), names)


def _read(root: Path, names: tuple[str, ...]) -> dict[str, list[Doc]]:
    found: dict[str, list[Doc]] = {}
    for name in names:
        directory = root / name
        if not directory.is_dir():
            found[name] = []
            continue
        try:
            pairs = SegmentedCollection(directory, SEGMENT_SIZE).load()
        except OSError as error:
            raise StoreCorruptError(directory, str(error)) from error
        found[name] = [doc for _, doc in pairs]
    return found
