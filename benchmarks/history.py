"""A generated support history (tickets, requests, transcripts, lookups) for benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.ports import Store

DEPARTMENTS = ("billing", "orders", "technical", "accounts")
LANGUAGES = ("en", "de", "da", "sv", "el", "sk")
TOPICS = (
    "refund for a returned parcel", "invoice shows the wrong VAT", "router keeps dropping wifi",
    "cannot log in after password reset", "parcel tracking not updating", "double charge",
    "camera app crashes on start", "delete my account", "change delivery address",
    "gift card not accepted", "bluetooth pairing fails", "newsletter unsubscribe not working",
)  # fmt: skip
GAPS = (
    "do you ship to iceland", "can I pay with crypto", "is there a student discount",
    "where is your shop in aarhus", "do you sell spare batteries",
)  # fmt: skip
BATCH = 5000
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


async def generate_history(
    store: Store, tickets: int, seed: int = 0, start: datetime = START, days: int = 300
) -> None:
    """Write `tickets` tickets (10 % internal requests) over `days`, with a conversation, a
    short transcript and a knowledge-base lookup each, in batches."""
    rng = random.Random(seed)
    for first in range(0, tickets, BATCH):
        batch = [_one(rng, n, start, days) for n in range(first, min(tickets, first + BATCH))]
        for collection in ("conversations", "messages", "tickets", "kb_lookups"):
            await store.put_many(collection, [item for one in batch for item in one[collection]])


def _one(rng: random.Random, n: int, start: datetime, days: int) -> dict[str, list[Any]]:
    opened = start + timedelta(minutes=rng.randrange(days * 24 * 60))
    language, department = rng.choice(LANGUAGES), rng.choice(DEPARTMENTS)
    customer = {"platform": "web", "id": f"cust-{n % 40000}", "name": f"Customer {n % 40000}"}
    key = f"web:gen-{n}"
    topic = rng.choice(TOPICS)
    conversation = _conversation(key, n, customer, opened, language, topic)
    ticket = _ticket(rng, n, key, customer, opened, language, department, topic)
    messages = [
        (f"{key}#{seq:08d}", _message(key, seq, role, opened, text))
        for seq, (role, text) in enumerate(
            [("customer", topic), ("bot", "I've passed this to our team."), ("staff", "On it.")], 1
        )
    ]
    lookup = _lookup(rng, key, opened, language, topic)
    return {
        "conversations": [(key, conversation)],
        "messages": messages,
        "tickets": [(ticket["id"], ticket)],
        "kb_lookups": [(f"{key}#00000001", lookup)],
    }


def _ticket(
    rng: random.Random,
    n: int,
    key: str,
    customer: dict[str, Any],
    opened: datetime,
    language: str,
    department: str,
    topic: str,
) -> dict[str, Any]:
    request = n % 10 == 9
    at = opened
    history = [_event("opened", at)]
    for what, minutes in _path(rng):
        at += timedelta(minutes=minutes)
        history.append(_event(what, at, "Agent"))
    closed = history[-1]["what"] == "closed"
    rating = rng.choice((3, 4, 4, 5, 5, 5)) if closed and rng.random() < 0.6 else None
    due = {}
    if request:
        due = {
            "first_response": (opened + timedelta(hours=2)).isoformat(),
            "resolution": (opened + timedelta(hours=16)).isoformat(),
        }
    return {
        "id": f"R-{301 + n}" if request else f"T-{1001 + n}",
        "conversation": key,
        "customer": {**customer, "groups": []},
        "customer_key": f"web:{customer['id']}",
        "language": language,
        "department": department,
        "topic": topic,
        "opened_at": opened.isoformat(),
        "priority": "normal",
        "status": "closed" if closed else "claimed",
        "handler": {"staff_id": "agent", "name": "Agent", "platform": "web"},
        "history": history,
        "notes": [],
        "flags": [],
        "first_seq": 1,
        "pending": {},
        "told": {},
        "rating": rating,
        "comment": "Quick and friendly" if rating == 5 and rng.random() < 0.2 else "",
        "kind": "request" if request else "ticket",
        "requester_department": rng.choice(DEPARTMENTS) if request else "",
        "linked": "",
        "due": due,
    }


def _path(rng: random.Random) -> list[tuple[str, float]]:
    """Claim, first response, maybe a hold or transfer, resolve, close (most of the time)."""
    steps = [("claimed", rng.expovariate(1 / 6)), ("first response", rng.expovariate(1 / 3))]
    if rng.random() < 0.15:
        steps += [("on hold", 2), ("hold expired" if rng.random() < 0.3 else "back from hold", 10)]
        if steps[-1][0] == "hold expired":
            steps.append(("back from hold", 5))
    if rng.random() < 0.08:
        steps.append(("transferred", 5))
    if rng.random() < 0.04:
        steps.append(("escalated", 3))
    if rng.random() < 0.9:
        steps += [("resolved", rng.expovariate(1 / 90)), ("closed", rng.expovariate(1 / 30))]
    return steps


def _event(what: str, at: datetime, by: str = "") -> dict[str, str]:
    return {"what": what, "at": at.isoformat(), "by": by, "note": ""}


def _conversation(
    key: str, n: int, customer: dict[str, Any], at: datetime, language: str, topic: str
) -> dict[str, Any]:
    return {
        "key": key,
        "ref": f"C-{n + 1}",
        "address": {"platform": "web", "channel": f"gen-{n}", "thread": ""},
        "customer": {**customer, "groups": []},
        "created_at": at.isoformat(),
        "updated_at": at.isoformat(),
        "language": language,
        "stage": "open",
        "name": customer["name"],
        "topic": topic,
        "last_seq": 3,
        "last_text": topic,
        "status": "open",
        "unanswered": 0,
        "ticket": "",
        "department": "",
        "warnings": 0,
    }


def _message(key: str, seq: int, role: str, at: datetime, text: str) -> dict[str, Any]:
    return {
        "conversation": key,
        "seq": seq,
        "role": role,
        "author": role,
        "text": text,
        "at": (at + timedelta(seconds=seq)).isoformat(),
        "buttons": [],
    }


def _lookup(
    rng: random.Random, key: str, at: datetime, language: str, topic: str
) -> dict[str, Any]:
    answered = rng.random() < 0.6
    text = topic if answered else rng.choice(GAPS)
    return {
        "conversation": key,
        "seq": 1,
        "at": at.isoformat(),
        "text": text,
        "language": language,
        "entry_id": "refund-status" if answered else None,
        "score": 0.8 if answered else 0.1,
        "best": None,
        "alternatives": [],
        "outcome": "answered" if answered else "unknown",
        "helpful": (rng.random() < 0.75) if answered else None,
    }
