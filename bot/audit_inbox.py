"""Audit entries written while the bot holds the store: one file each, imported later.

`supportbot customer export` may read the store while the bot runs (read-only), so it cannot
write to it; its audit entry goes to `<store>/audit-inbox/` (not a collection: the store
ignores it) and the bot moves it into the audit log the next time the log is read."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path

from bot.audit import AUDIT
from bot.models import Doc
from bot.ports import Store
from bot.storage import TinyDBStore
from bot.storage.segment import fsync_directory
from bot.unit_of_work import unwrapped

INBOX = "audit-inbox"


def inbox_of(store_dir: Path) -> Path:
    """Where entries wait for the bot: inside the store directory, beside the collections."""
    return store_dir / INBOX


def post(store_dir: Path, doc: Doc) -> Path:
    """Write one entry durably and atomically (blocking); the file appears whole or not at all."""
    inbox = inbox_of(store_dir)
    inbox.mkdir(exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=inbox)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(doc, handle)
        handle.flush()
        os.fsync(handle.fileno())
    path = inbox / f"{doc['id'].replace(':', '').replace('+', '')}.json"
    os.replace(temp, path)
    fsync_directory(inbox)
    return path


def waiting(store_dir: Path) -> list[tuple[Path, Doc]]:
    """The entries not imported yet (blocking), oldest first."""
    inbox = inbox_of(store_dir)
    if not inbox.is_dir():
        return []
    files = sorted(p for p in inbox.iterdir() if p.suffix == ".json" and p.name[0] != ".")
    return [(path, json.loads(path.read_text(encoding="utf-8"))) for path in files]


async def import_inbox(store: Store) -> int:
    """Move waiting entries into the audit log of a durable store; how many."""
    store = unwrapped(store)
    if not isinstance(store, TinyDBStore):
        return 0
    found = await asyncio.to_thread(waiting, store.path)
    if found:
        await store.put_many(AUDIT, [(doc["id"], doc) for _, doc in found])
        for path, _ in found:  # only once stored: a crash in between imports it again, same key
            await asyncio.to_thread(path.unlink, True)
    return len(found)
