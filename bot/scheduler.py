"""Durable timers for holds, follow-ups, SLA reminders and queue updates."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from bot.models import Doc
from bot.ports import Clock, Span, Store
from bot.scheduler_jobs import (
    Handler,
    Job,
    after_failure,
    earliest_due,
    order,
    stamp,
    to_doc,
    to_job,
)

__all__ = ["FAILED", "JOBS", "Handler", "Job", "Scheduler"]

JOBS = "jobs"
FAILED = "failed_jobs"  # jobs given up on, kept for a person to look at
MAX_RETRY_DELAY = timedelta(hours=1)

log = logging.getLogger(__name__)


class Scheduler:
    """Jobs kept in the store's "jobs" collection and run by kind once due.

    A job is deleted only after its handler returned, so every job runs at least once, and
    exactly once unless the process stops between the two. A failing job is retried with
    a doubling delay and moved to "failed_jobs" after `max_attempts` failures.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        max_attempts: int = 5,
        retry_after: timedelta = timedelta(seconds=30),
    ) -> None:
        self._store, self._clock = store, clock
        self._max_attempts, self._retry_after = max_attempts, retry_after
        self._handlers: dict[str, Handler] = {}
        # A job's write and its completion never interleave, and a due job runs in one
        # process only: the store's locks are shared by every process on the database.
        self._locks = store.locks()
        self._running = asyncio.Lock()  # one run_due at a time, so no job runs twice at once
        self._wake = asyncio.Event()
        self._sleeping_until: datetime | None = None  # None while run() is awake
        self._reported: set[str] = set()  # keys of handlerless jobs already logged

    def on(self, kind: str, handler: Handler) -> None:
        """Run `handler` for due jobs of `kind`."""
        if kind in self._handlers:
            raise ValueError(f"a handler for job kind {kind!r} is already registered")
        self._handlers[kind] = handler

    async def schedule(
        self, kind: str, due: datetime, payload: dict[str, Any], key: str | None = None
    ) -> str:
        """Store a job and return its key; a job already under `key` is replaced."""
        if not kind:
            raise ValueError("a job needs a kind")
        key = key or f"{kind}:{uuid.uuid4().hex}"
        doc = to_doc(key, kind, due, payload, self._clock.now())
        async with self._locks.hold(_writing(key)):
            await self._store.put(JOBS, key, doc)
        if self._sleeping_until is None or due < self._sleeping_until:
            self._wake.set()
        return key

    async def cancel(self, key: str) -> bool:
        """Forget the job under `key`; True if there was one."""
        async with self._locks.hold(_writing(key)):
            return await self._store.delete(JOBS, key)

    async def pending(self, kind: str | None = None) -> list[Job]:
        """Stored jobs (of `kind`, if given), due first."""
        docs = await (self._store.find(JOBS) if kind is None else self._store.find(JOBS, kind=kind))
        return [to_job(doc) for doc in sorted(docs, key=order)]

    async def run_due(self) -> int:
        """Run every job due by now, in due order; how many handlers succeeded.

        Not from inside a handler: it would wait for the run that is calling it.
        """
        async with self._running:
            now = stamp(self._clock.now())
            due = await self._store.find(JOBS, span=Span("due", until=now))
            done = 0
            for doc in sorted(due, key=order):
                done += await self._run(doc)
            return done

    async def tick(self, every_s: float) -> float:
        """Run what is due; the seconds until the next job is (at most `every_s`)."""
        await self.run_due()
        return await self._delay(every_s)

    async def run(self, every_s: float = 1.0) -> None:
        """Run due jobs until cancelled, looking at least every `every_s` seconds."""
        if every_s <= 0:
            raise ValueError(f"every_s must be positive, got {every_s}")
        while True:
            self._wake.clear()
            self._sleeping_until = None
            delay = every_s
            try:
                delay = await self.tick(every_s)
            except Exception:
                log.exception("scheduler: running due jobs failed; trying again in %s s", delay)
            self._sleeping_until = self._clock.now() + timedelta(seconds=delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _run(self, doc: Doc) -> int:
        handler = self._handlers.get(doc["kind"])
        if handler is None:
            self._report_unhandled(doc)
            return 0
        async with self._locks.hold(_running(doc["key"])):  # another process may have it
            return await self._run_unless_done(doc, handler)

    async def _run_unless_done(self, doc: Doc, handler: Handler) -> int:
        if not await self._unchanged(doc):
            return 0  # an earlier job's handler cancelled or replaced it
        try:
            await handler(to_job(doc))
        except Exception as error:
            await self._failed(doc, error)
            return 0
        async with self._locks.hold(_writing(doc["key"])):
            # The handler may have rescheduled its own key; that new job stays.
            if await self._unchanged(doc):
                await self._store.delete(JOBS, doc["key"])
        return 1

    async def _failed(self, doc: Doc, error: Exception) -> None:
        key, kind, attempts = doc["key"], doc["kind"], doc["attempts"] + 1
        delay = min(self._retry_after * 2 ** (attempts - 1), MAX_RETRY_DELAY)
        giving_up = attempts >= self._max_attempts
        again = after_failure(doc, error, self._clock.now(), None if giving_up else delay)
        if giving_up:
            message = "job %s (%s) failed %d times; GIVING UP, moved to " + FAILED
            log.error(message, key, kind, attempts, exc_info=error)
        else:
            log.warning(
                "job %s (%s) failed %d times; retry in %s",
                key,
                kind,
                attempts,
                delay,
                exc_info=error,
            )
        async with self._locks.hold(_writing(key)):
            # If the handler rescheduled its key before failing, keep what it asked for.
            if await self._unchanged(doc):
                await self._store.put(FAILED if giving_up else JOBS, key, again)
                if giving_up:
                    await self._store.delete(JOBS, key)

    async def _unchanged(self, doc: Doc) -> bool:
        current = await self._store.get(JOBS, doc["key"])
        return current is not None and current["rev"] == doc["rev"]

    def _report_unhandled(self, doc: Doc) -> None:
        # Kept as is: a handler registered later (after an upgrade, say) still runs it.
        if doc["key"] not in self._reported:
            self._reported.add(doc["key"])
            log.warning("job %s is due but no handler runs kind %r; kept", doc["key"], doc["kind"])

    async def _delay(self, every_s: float) -> float:
        """Seconds until the next job a handler can run is due, at most `every_s`."""
        horizon = stamp(self._clock.now() + timedelta(seconds=every_s))
        earliest = await earliest_due(self._store, JOBS, set(self._handlers), horizon)
        if earliest is None:
            return every_s
        return min(every_s, max((earliest - self._clock.now()).total_seconds(), 0.0))


def _writing(key: str) -> str:
    """The lock on a job's stored document."""
    return f"job:{key}"


def _running(key: str) -> str:
    """The lock held while a job runs (its handler may write the job: another lock)."""
    return f"job-run:{key}"
