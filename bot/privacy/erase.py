"""`supportbot customer delete`: erase a customer's words and name from every collection.

Erased (deleted): conversations, transcripts, knowledge-base questions, flags, and jobs
about their tickets. Anonymised (kept without names or texts, under a random pseudonym):
their tickets, so reports keep their counts, times and ratings; and the internal requests
about those tickets, with their transcripts. Audit entries naming the customer get the
pseudonym instead. Everything goes through the Store port."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from bot import audit
from bot.audit_inbox import import_inbox
from bot.kb.gaps import LOOKUPS
from bot.models import Doc
from bot.ports import Store
from bot.privacy import anonymise
from bot.privacy.customer import (
    CustomerRecords,
    jobs_about,
    lookups_of,
    message_key,
    messages_of,
    records_of,
)
from bot.scheduler import FAILED, JOBS
from bot.staff_relay import THREADS
from bot.tickets.desk import put_anonymised
from bot.tickets.flags import CUSTOMER_FLAGS
from bot.transcript import CONVERSATIONS, MESSAGES


@dataclass
class Erasure:
    """What was (or would be) erased and anonymised for one customer."""

    key: str
    pseudonym: str = ""
    conversations: int = 0
    messages: int = 0
    lookups: int = 0
    tickets: int = 0
    linked: int = 0
    jobs: int = 0
    flags: int = 0

    def summary(self) -> str:
        """One sentence for the operator."""
        return (
            f"{self.conversations} conversation(s) with {self.messages} message(s), "
            f"{self.lookups} knowledge-base question(s), {self.flags} flag(s) and "
            f"{self.jobs} scheduled job(s) erased; {self.tickets} ticket(s) and {self.linked} "
            "internal request(s) about them anonymised (kept for reports without names or texts)"
        )


async def preview(store: Store, key: str) -> Erasure | None:
    """The counts `erase_customer` would report, changing nothing; None for an unknown key."""
    records = await records_of(store, key)
    if not records.found:
        return None
    keys = [conv["key"] for conv in records.conversations]
    return Erasure(
        key,
        conversations=len(keys),
        messages=sum([await store.count(MESSAGES, conversation=k) for k in keys]),
        lookups=sum([await store.count(LOOKUPS, conversation=k) for k in keys]),
        tickets=len(records.tickets),
        linked=len(records.linked),
        jobs=len(await jobs_about(store, records.ticket_ids)),
        flags=len(records.flags["flags"]) if records.flags else 0,
    )


async def erase_customer(store: Store, key: str, now: datetime) -> Erasure | None:
    """Erase `key`'s data (see the module docstring); None if nothing is stored about them.
    Safe to run again after an interruption: what is left is found and finished."""
    records = await records_of(store, key)
    if not records.found:
        return None
    done = Erasure(key, pseudonym=f"erased-{uuid.uuid4().hex[:12]}")
    at = now.isoformat()
    await _drop_jobs(store, records, done)
    for conv in records.conversations:
        await _erase_conversation(store, conv, done)
    await _anonymise_tickets(store, records, at, done)
    await _drop_rest(store, records, done)
    return done


async def _anonymise_tickets(
    store: Store, records: CustomerRecords, at: str, done: Erasure
) -> None:
    for request in records.linked:
        await _anonymise_request(store, request, at, records.names)
    items = [
        (t["id"], anonymise.erased_ticket(t, at, records.names, done.pseudonym))
        for t in records.tickets
    ]
    await put_anonymised(store, items)
    done.tickets, done.linked = len(items), len(records.linked)


async def _drop_jobs(store: Store, records: CustomerRecords, done: Erasure) -> None:
    for collection in (JOBS, FAILED):
        for job in await jobs_about(store, records.ticket_ids, collection):
            done.jobs += await store.delete(collection, job["key"])


async def _erase_conversation(store: Store, conv: Doc, done: Erasure) -> None:
    """Messages and lookups first, the conversation last: an interrupted run finds it again."""
    for message in await messages_of(store, conv["key"]):
        done.messages += await store.delete(MESSAGES, message_key(message))
    for lookup in await lookups_of(store, conv["key"]):
        done.lookups += await store.delete(LOOKUPS, message_key(lookup))
    await store.delete(THREADS, conv["key"])
    done.conversations += await store.delete(CONVERSATIONS, conv["key"])


async def _anonymise_request(store: Store, request: Doc, at: str, names: set[str]) -> None:
    """An internal request about the customer's ticket: its texts and its transcript."""
    await put_anonymised(store, [(request["id"], anonymise.ticket(request, at, names))])
    doc = await store.get(CONVERSATIONS, request["conversation"] or anonymise.ERASED)
    if doc is None:
        return
    messages = await messages_of(store, doc["key"])
    await store.put_many(MESSAGES, [(message_key(m), anonymise.message(m)) for m in messages])
    await store.put(CONVERSATIONS, doc["key"], anonymise.conversation(doc, at))


async def _drop_rest(store: Store, records: CustomerRecords, done: Erasure) -> None:
    if records.flags is not None:
        done.flags = len(records.flags["flags"])
        await store.delete(CUSTOMER_FLAGS, records.key)
    await import_inbox(store)  # entries still waiting in the inbox name the customer too
    await audit.pseudonymise(store, records.key, done.pseudonym)
