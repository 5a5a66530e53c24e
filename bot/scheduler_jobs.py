"""The Job a scheduler handler receives, and how jobs are kept as store documents."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.models import Doc
from bot.ports import Span, Store


@dataclass(frozen=True)
class Job:
    """Work due at an instant. Handlers may see a job more than once (after a crash or a
    failure), so they must be idempotent; `attempts` counts the earlier failed runs."""

    key: str
    kind: str
    due: datetime
    payload: dict[str, Any]
    created: datetime
    attempts: int = 0


Handler = Callable[[Job], Awaitable[None]]


def stamp(at: datetime) -> str:
    """`at` as fixed-width UTC ISO text, so comparing two stamps as strings orders them."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} has no time zone; job times must be aware datetimes")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def to_doc(key: str, kind: str, due: datetime, payload: dict[str, Any], created: datetime) -> Doc:
    """A fresh job document; `rev` tells this version from a later one under the same key."""
    return {
        "key": key,
        "kind": kind,
        "due": stamp(due),
        "payload": payload,
        "created": stamp(created),
        "attempts": 0,
        "rev": uuid.uuid4().hex,
    }


def to_job(doc: Doc) -> Job:
    return Job(
        key=doc["key"],
        kind=doc["kind"],
        due=datetime.fromisoformat(doc["due"]),
        payload=doc["payload"],
        created=datetime.fromisoformat(doc["created"]),
        attempts=doc["attempts"],
    )


def order(doc: Doc) -> tuple[str, str, str]:
    """Due first; ties in the order they were scheduled."""
    return doc["due"], doc["created"], doc["key"]


def after_failure(doc: Doc, error: Exception, now: datetime, retry_in: timedelta | None) -> Doc:
    """The next version of a job whose handler raised: due again, or (None) given up."""
    again = doc | {"attempts": doc["attempts"] + 1, "rev": uuid.uuid4().hex, "error": repr(error)}
    if retry_in is None:
        again["failed"] = stamp(now)
    else:
        again["due"] = stamp(now + retry_in)
    return again


async def earliest_due(
    store: Store, collection: str, kinds: set[str], until: str | None = None
) -> datetime | None:
    """When the first job of one of `kinds` is due, if any (and if by `until`, a stamp)."""
    earliest: list[str] = []

    def track(doc: Doc) -> bool:
        # Reads the stored documents in place and selects none, so nothing is copied.
        if doc["kind"] in kinds and (not earliest or doc["due"] < earliest[0]):
            earliest[:] = [doc["due"]]
        return False

    await store.find(collection, track, span=Span("due", until=until))
    return datetime.fromisoformat(earliest[0]) if earliest else None
