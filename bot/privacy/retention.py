"""Retention: closed conversations are anonymised once idle for SUPPORTBOT_RETENTION_DAYS.

A conversation qualifies when every ticket on it is closed (or resolved and left alone), no
job is pending for them, and nothing happened on it or its tickets within the period. The
scheduler job that runs it daily is in bot.privacy.retention_job."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import Services
from bot.kb.gaps import LOOKUPS
from bot.models import Doc
from bot.ports import Span, Store
from bot.privacy import anonymise
from bot.privacy.customer import message_key
from bot.scheduler import JOBS
from bot.tickets.desk import TICKETS, put_anonymised
from bot.tickets.model import Status
from bot.transcript import CONVERSATIONS, MESSAGES

CHUNK = 200  # conversations anonymised together (their writes are committed together)
FINISHED = (Status.CLOSED.value, Status.RESOLVED.value)


@dataclass
class RetentionRun:
    """What one run anonymised; `skipped`: old, but a ticket is open or a job pending."""

    conversations: int = 0
    messages: int = 0
    lookups: int = 0
    tickets: int = 0
    skipped: int = 0
    more: bool = False  # stopped at the limit: more conversations qualify

    def summary(self) -> str:
        """One sentence for the operator and the log."""
        return (
            f"{self.conversations} conversation(s) anonymised ({self.messages} message(s), "
            f"{self.lookups} knowledge-base question(s), {self.tickets} ticket(s)); "
            f"{self.skipped} old one(s) kept because a ticket is open or a job is pending"
        )


async def run_retention(
    services: Services, days: int | None = None, limit: int | None = None
) -> RetentionRun:
    """Anonymise what has been idle longer than `days` (default: the setting; 0: nothing)."""
    days = services.settings.retention_days if days is None else days
    done = RetentionRun()
    if days <= 0:
        return done
    now = services.clock.now()
    cutoff = now - timedelta(days=days)
    busy = await _busy_tickets(services.store)
    keys, done.skipped = await _candidates(services.store, cutoff, busy)
    done.more = limit is not None and len(keys) > limit
    keys = keys[:limit]
    for first in range(0, len(keys), CHUNK):
        chunk = keys[first : first + CHUNK]
        await asyncio.gather(*(_one(services, k, cutoff, busy, now, done) for k in chunk))
    return done


async def _candidates(store: Store, cutoff: datetime, busy: set[str]) -> tuple[list[str], int]:
    """Conversations idle since `cutoff` with nothing open, and how many idle ones are not."""
    blocked = await _blocked(store, cutoff, busy)
    idle = await _idle(store, cutoff)
    keys = [key for key in idle if key not in blocked]
    return keys, len(idle) - len(keys)


async def _idle(store: Store, cutoff: datetime) -> list[str]:
    """Keys of conversations not anonymised yet and not updated since `cutoff`."""
    keys: list[str] = []

    def old(doc: Doc) -> bool:  # sees the stored documents in place and selects none
        updated = _updated(doc)
        if updated < cutoff and not _done_since(doc.get("anonymised", ""), updated):
            keys.append(doc["key"])
        return False

    await store.find(CONVERSATIONS, old, span=Span.up_to_time("updated_at", cutoff))
    return keys


async def _blocked(store: Store, cutoff: datetime, busy: set[str]) -> set[str]:
    """Conversations with a ticket that is still open, pending or recently active."""
    keys: set[str] = set()

    def note(doc: Doc) -> bool:
        if not _finished(doc, cutoff, busy):
            keys.add(doc["conversation"])
        return False

    await store.find(TICKETS, note)
    return keys


async def _busy_tickets(store: Store) -> set[str]:
    """Tickets and requests a pending job is about (a follow-up, a hold, a deadline)."""
    ids: set[str] = set()

    def note(doc: Doc) -> bool:
        payload = doc.get("payload") or {}
        ids.update(str(payload[k]) for k in ("ticket", "request") if payload.get(k))
        return False

    await store.find(JOBS, note)
    return ids


async def _one(
    services: Services,
    key: str,
    cutoff: datetime,
    busy: set[str],
    now: datetime,
    done: RetentionRun,
) -> None:
    """Anonymise one conversation under its lock, after checking again that it qualifies."""
    store = services.store
    async with services.conversations.hold(key):
        conv = await store.get(CONVERSATIONS, key)
        if conv is None or _done_since(conv.get("anonymised", ""), _updated(conv)):
            return
        tickets = await store.find(TICKETS, conversation=key)
        if _updated(conv) < cutoff and all(_finished(t, cutoff, busy) for t in tickets):
            await _anonymise(store, conv, tickets, now.isoformat(), done)


async def _anonymise(
    store: Store, conv: Doc, tickets: list[Doc], at: str, done: RetentionRun
) -> None:
    key = conv["key"]
    messages = await store.find(MESSAGES, conversation=key)
    await store.put_many(MESSAGES, [(message_key(m), anonymise.message(m)) for m in messages])
    lookups = await store.find(LOOKUPS, conversation=key)
    await store.put_many(LOOKUPS, [(message_key(d), anonymise.lookup(d, at)) for d in lookups])
    names = {conv["name"], conv["customer"]["name"]} - {""}
    await put_anonymised(store, [(t["id"], anonymise.ticket(t, at, names)) for t in tickets])
    await store.put(CONVERSATIONS, key, anonymise.conversation(conv, at))
    done.conversations, done.messages = done.conversations + 1, done.messages + len(messages)
    done.lookups, done.tickets = done.lookups + len(lookups), done.tickets + len(tickets)


def _updated(conv: Doc) -> datetime:
    return datetime.fromisoformat(conv["updated_at"])


def _done_since(anonymised: str, updated: datetime) -> bool:
    """Anonymised after its last message (a customer who wrote again qualifies anew)."""
    return bool(anonymised) and datetime.fromisoformat(anonymised) > updated


def _finished(ticket: Doc, cutoff: datetime, busy: set[str]) -> bool:
    if ticket["status"] not in FINISHED or ticket["id"] in busy:
        return False
    events = [*ticket.get("history", ()), *ticket.get("notes", ())]
    return all(datetime.fromisoformat(e["at"]) < cutoff for e in events)
