"""Every question put to the knowledge base, its match, score and the customer's verdict."""

from __future__ import annotations

from dataclasses import asdict

from bot.core import Context
from bot.kb.entries import Lookup
from bot.models import Doc

LOOKUPS = "kb_lookups"


async def record_lookup(ctx: Context, text: str, lookup: Lookup, outcome: str) -> None:
    """Store the lookup under the customer message's transcript number."""
    conv = ctx.conv()
    doc: Doc = {
        "conversation": conv.key,
        "seq": conv.last_seq,
        "at": ctx.services.clock.now().isoformat(),
        "text": text,
        "language": lookup.language,
        "entry_id": lookup.entry_id,
        "score": round(lookup.score, 4),
        "best": asdict(lookup.best) if lookup.best else None,
        "alternatives": [asdict(c) for c in lookup.alternatives],
        "outcome": outcome,
        "helpful": None,
    }
    await ctx.services.store.put(LOOKUPS, f"{conv.key}#{conv.last_seq:08d}", doc)


async def latest_lookup(ctx: Context, entry_id: str | None = None) -> Doc | None:
    """The conversation's latest lookup (that answered or offered `entry_id`, if given)."""
    docs = await ctx.services.store.find(LOOKUPS, conversation=ctx.conv().key)
    for doc in reversed(docs):
        offered = {doc.get("entry_id")} | {c["entry_id"] for c in doc.get("alternatives", [])}
        if doc.get("best"):
            offered.add(doc["best"]["entry_id"])
        if entry_id is None or entry_id in offered:
            return doc
    return None


async def mark_helpful(ctx: Context, entry_id: str, helpful: bool) -> Doc | None:
    """Record the customer's yes/no on an answer (C2); returns the updated lookup."""
    doc = await latest_lookup(ctx, entry_id)
    if doc is None:
        return None
    doc["helpful"], doc["answered_entry"] = helpful, entry_id
    await ctx.services.store.put(LOOKUPS, f"{doc['conversation']}#{doc['seq']:08d}", doc)
    return doc
