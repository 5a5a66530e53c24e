"""Events for a chat platform's staff side, handled in order and off the core's path."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.events import Event
from bot.staff_relay import StaffRelay

log = logging.getLogger(__name__)
MAX_BACKOFF = 60.0


class RelayQueue:
    """Hands core events to a StaffRelay in order: a slow or rate-limited platform never
    delays a customer's answer, and a failure that waiting may cure is retried with backoff."""

    def __init__(
        self,
        relay: StaffRelay,
        platform: str,
        transient: Callable[[BaseException], bool],
        backoff: float = 1.0,
        retries: int = 15,
    ) -> None:
        self.relay, self.platform, self.transient = relay, platform, transient
        self.backoff, self.retries = backoff, retries
        self._events: asyncio.Queue[Event] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def put(self, event: Event) -> None:
        """The event bus listener."""
        self._events.put_nowait(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name=f"{self.platform}-relay")

    async def idle(self) -> None:
        """Wait until every event so far has been handled."""
        await self._events.join()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _drain(self) -> None:
        while not self._events.empty():
            event = self._events.get_nowait()
            try:
                await self._handle(event)
            finally:
                self._events.task_done()

    async def _handle(self, event: Event) -> None:
        name = type(event).__name__
        for attempt in range(self.retries + 1):
            try:
                await self.relay.on_event(event)
                return
            except Exception as error:
                if not self.transient(error) or attempt == self.retries:
                    log.exception("%s: could not show %s to staff", self.platform, name)
                    return
                delay = min(self.backoff * 2**attempt, MAX_BACKOFF)
                log.warning(
                    "%s: %s failed (%s); retrying in %.0f s", self.platform, name, error, delay
                )
                await asyncio.sleep(delay)
