"""The audit log: who did what to which ticket or customer, and when (staff and CLI actions).

Entries never hold message text: a ticket, conversation or customer id is the target, and the
detail is limited to short structured arguments (a department, a duration)."""

from __future__ import annotations

import heapq
import itertools
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from bot.events import Event, TicketChanged
from bot.models import Doc
from bot.ports import Store
from bot.scheduler_jobs import stamp

AUDIT = "audit"

_touched: ContextVar[list[str] | None] = ContextVar("audit_touched", default=None)


@dataclass(frozen=True)
class Actor:
    """Who acted: a staff member on a platform, or an operator at the command line ("cli")."""

    id: str
    name: str
    platform: str


def entry(
    actor: Actor, action: str, at: datetime, target: str = "", detail: str = "", **more: object
) -> Doc:
    """A new audit entry, keyed by its time and a random suffix."""
    when = stamp(at)
    who = {"id": actor.id, "name": actor.name, "platform": actor.platform}
    doc: Doc = {"id": f"{when}#{uuid.uuid4().hex[:8]}", "at": when, "who": who}
    return doc | {"action": action, "target": target, "detail": detail, **more}


async def record(store: Store, doc: Doc) -> None:
    """Store an entry made by `entry`."""
    await store.put(AUDIT, doc["id"], doc)


async def latest(store: Store, limit: int, since: datetime | None = None) -> list[Doc]:
    """The newest `limit` entries (at or after `since`), oldest first, copying only those."""
    if limit < 1:
        return []
    floor = stamp(since) if since else ""
    newest: list[tuple[str, int, str]] = []  # (time, place in insertion order, key)
    order = itertools.count()

    def keep(doc: Doc) -> bool:  # sees the stored documents in place and selects none
        if doc["at"] >= floor:
            item = (doc["at"], next(order), doc["id"])
            if len(newest) < limit:
                heapq.heappush(newest, item)
            else:
                heapq.heappushpop(newest, item)
        return False

    await store.find(AUDIT, keep)
    found = [await store.get(AUDIT, key) for _, _, key in sorted(newest)]
    return [doc for doc in found if doc is not None]


async def pseudonymise(store: Store, target: str, replacement: str) -> int:
    """Replace `target` (an erased customer's key) in every entry naming it; how many."""
    docs = await store.find(AUDIT, target=target)
    await store.put_many(AUDIT, [(doc["id"], doc | {"target": replacement}) for doc in docs])
    return len(docs)


def line(doc: Doc) -> str:
    """One entry as a line of text, in UTC."""
    who = doc["who"]
    at = datetime.fromisoformat(doc["at"])
    parts = [f"{at:%Y-%m-%d %H:%M:%S} UTC", f"{who['name']} ({who['id']}, {who['platform']})"]
    parts += [doc["action"], doc.get("target") or "-"]
    changed = [t for t in doc.get("changed", ()) if t != doc.get("target")]
    if changed:
        parts.append("changed " + ", ".join(changed))
    return " · ".join([*parts, doc["detail"]] if doc.get("detail") else parts)


@contextmanager
def tracking() -> Iterator[list[str]]:
    """Collect the ids of the tickets saved while the block runs (in this task only)."""
    touched: list[str] = []
    token = _touched.set(touched)
    try:
        yield touched
    finally:
        _touched.reset(token)


async def note_change(event: Event) -> None:
    """Event-bus listener: remember a saved ticket for the command being audited, if any."""
    touched = _touched.get()
    if touched is not None and isinstance(event, TicketChanged) and event.ticket.id not in touched:
        touched.append(event.ticket.id)


def unique(items: Iterable[str]) -> list[str]:
    """The non-empty items, each once, in their first order."""
    return list(dict.fromkeys(item for item in items if item))
