"""Flags on customers (E3): whoever meets them next sees why, on every ticket."""

from __future__ import annotations

from datetime import datetime

from bot.models import Doc
from bot.ports import Store

CUSTOMER_FLAGS = "customer_flags"


async def flag_customer(
    store: Store, customer_key: str, reason: str, by: str, at: datetime
) -> None:
    doc = await store.get(CUSTOMER_FLAGS, customer_key) or {"customer": customer_key, "flags": []}
    doc["flags"].append({"reason": reason, "by": by, "at": at.isoformat()})
    await store.put(CUSTOMER_FLAGS, customer_key, doc)


async def flags_of(store: Store, customer_key: str) -> list[Doc]:
    doc = await store.get(CUSTOMER_FLAGS, customer_key)
    return list(doc["flags"]) if doc else []


def labels(flags: list[Doc]) -> list[str]:
    return [f"flagged: {flag['reason']}" for flag in flags]
