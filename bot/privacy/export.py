"""`supportbot customer export`: everything stored about one customer, as one JSON document."""

from __future__ import annotations

import json
from datetime import datetime

from bot.models import Doc
from bot.ports import Store
from bot.privacy.customer import jobs_about, lookups_of, messages_of, records_of

FORMAT = "supportbot-customer-export/1"


async def export_customer(store: Store, key: str, now: datetime) -> Doc | None:
    """Conversations with their transcripts, tickets (ratings, comments, notes, history),
    internal requests about those tickets, knowledge-base questions, flags and scheduled
    follow-ups; None if nothing is stored about `key`."""
    records = await records_of(store, key)
    if not records.found:
        return None
    conversations = [
        _without_secrets(conv) | {"messages": await messages_of(store, conv["key"])}
        for conv in records.conversations
    ]
    lookups = [
        doc for conv in records.conversations for doc in await lookups_of(store, conv["key"])
    ]
    jobs = await jobs_about(store, records.ticket_ids)
    return {
        "format": FORMAT,
        "customer": key,
        "exported_at": now.isoformat(),
        "conversations": conversations,
        "tickets": records.tickets,
        "linked_requests": records.linked,
        "kb_lookups": lookups,
        "flags": records.flags["flags"] if records.flags else [],
        "scheduled": [{k: job[k] for k in ("kind", "due", "payload")} for job in jobs],
    }


def _without_secrets(conversation: Doc) -> Doc:
    """The digest of the web chat's customer token is a credential, not data about them."""
    return {k: v for k, v in conversation.items() if k != "access_hash"}


def to_json(export: Doc) -> str:
    """Readable JSON in UTF-8 (names and messages as written, not escaped)."""
    return json.dumps(export, ensure_ascii=False, indent=2) + "\n"
