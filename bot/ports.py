"""The ports the core talks through; adapters and storage implement them."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.kb.entries import Entry, Lookup
from bot.kb.validate import Problem
from bot.models import Address, Doc, Reply

Where = Callable[[Doc], bool]
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_OFFSET_MARGIN = timedelta(days=1)  # wider than any UTC offset


@dataclass(frozen=True)
class Span:
    """The documents whose top-level `field` is text from `since` to `until` (both included,
    either end open), compared character by character: stored UTC stamps of one shape
    (`2026-03-01T09:30:00+00:00`) order by time. A database answers it from an index."""

    field: str
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        # A database writes the name into its query (to use an index on it): a plain name only.
        if not _PLAIN_NAME.match(self.field):
            raise ValueError(f"a span's field must be a plain name, not {self.field!r}")

    @classmethod
    def from_time(cls, field: str, moment: datetime) -> Span:
        """At least every stamp at or after `moment`: a day early, for a stamp written with
        another offset (the caller applies the exact test to what comes back)."""
        return cls(field, since=(moment - _OFFSET_MARGIN).isoformat())

    @classmethod
    def up_to_time(cls, field: str, moment: datetime) -> Span:
        """At least every stamp at or before `moment` (a day's margin, as in `from_time`)."""
        return cls(field, until=(moment + _OFFSET_MARGIN).isoformat())

    def holds(self, doc: Doc) -> bool:
        value = doc.get(self.field)
        if not isinstance(value, str):
            return False
        return (self.since is None or value >= self.since) and (
            self.until is None or value <= self.until
        )


class Chat(Protocol):
    """Outbound messages to one platform."""

    platform: str

    async def send(self, address: Address, reply: Reply) -> None:
        """Deliver `reply` to the conversation at `address`."""


class Clock(Protocol):
    """The current time; a fake in tests so timers never sleep."""

    def now(self) -> datetime:
        """Timezone-aware current time (UTC)."""


class Locks(Protocol):
    """Exclusive use of a key (e.g. a conversation) among everyone who shares the store."""

    def hold(self, key: str) -> AbstractAsyncContextManager[None]:
        """Wait for `key`, hold it while the context runs, then release it."""


Note = Doc  # a short JSON object for the other processes (under 8,000 bytes as text)


class Broadcast(Protocol):
    """Notes to every other process that shares the store; each process hears the others'."""

    async def send(self, note: Note) -> None:
        """Tell every other process `note` (best effort: a process that is down misses it)."""

    def listen(self, listener: Callable[[Note], Awaitable[None]]) -> None:
        """Call `listener` with each note another process sends, from now until close."""


class TokenBuckets(Protocol):
    """Flood-limit buckets kept where every process sharing the store counts against them."""

    async def take(self, bucket: str, burst: int, per_minute: float, taking: bool) -> float:
        """Take a token from `bucket` (or only look): 0 if there was one, else the seconds
        until there is."""


class Store(Protocol):
    """Durable documents in named collections, keyed by string.

    Every write is acknowledged only once it is durable. Documents handed in and out are
    copies: mutating one never changes what is stored.
    """

    async def get(self, collection: str, key: str) -> Doc | None:
        """The document stored under `key`, or None."""

    async def put(self, collection: str, key: str, doc: Doc) -> None:
        """Insert or replace the document under `key`."""

    async def delete(self, collection: str, key: str) -> bool:
        """Remove `key`; True if it existed."""

    async def find(
        self,
        collection: str,
        where: Where | None = None,
        *,
        span: Span | None = None,
        **equals: Any,
    ) -> list[Doc]:
        """Documents whose fields equal `equals`, within `span` and for which `where` holds, in
        insertion order. `where` runs in this process over what the rest selects: give the
        store `equals` and `span` to narrow it first."""

    async def count(self, collection: str, **equals: Any) -> int:
        """How many documents match `equals`."""

    async def next_number(self, counter: str, start: int = 1) -> int:
        """Atomically increment and return a named counter (first value is `start`)."""

    async def claim(self, name: str) -> bool:
        """True for the first claim of `name` by anyone sharing the store, False after; a
        claim is forgotten after a day (for ids of events a platform may deliver twice)."""

    async def put_many(self, collection: str, items: Iterable[tuple[str, Doc]]) -> None:
        """Insert or replace several documents; each is durable when this returns."""

    async def put_together(self, items: Iterable[tuple[str, str, Doc]]) -> None:
        """Insert or replace documents in several collections, (collection, key, document)
        each, atomically: after a crash either all of them are stored or none is."""

    def locks(self) -> Locks:
        """Locks by key shared by every process on this store (one process: in memory)."""

    def broadcast(self) -> Broadcast | None:
        """Notes between the processes sharing this store; None where there is only one."""

    def token_buckets(self) -> TokenBuckets | None:
        """Flood limits shared by the processes on this store; None: keep them in memory."""

    async def close(self) -> None:
        """Flush and release files."""


class KnowledgeBase(Protocol):
    """The FAQ: finds the entry a question is about, or says it does not know."""

    def lookup(self, text: str, language: str | None) -> Lookup:
        """The best entry for `text` (None below the confidence threshold) and its language."""

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, if the current knowledge base has it."""

    async def reload(self) -> list[Problem]:
        """Re-read the source; on problems keep the current version and return them."""

    def __len__(self) -> int:
        """How many entries the current version has."""
