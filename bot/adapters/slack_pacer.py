"""Posts to one Slack channel, one at a time and spaced out, in the order they were asked for."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

DEFAULT_INTERVAL = 1.1  # chat.postMessage allows about one message per second per channel

Call = Callable[[], Awaitable[Any]]


class ChannelPacer:
    """A queue per channel drained by one task: a post starts `interval` seconds after the
    previous one to that channel finished; a failed post fails only its own caller."""

    def __init__(self, interval: float = DEFAULT_INTERVAL) -> None:
        self.interval = interval
        self._queues: dict[str, deque[tuple[Call, asyncio.Future[Any]]]] = {}
        self._drainers: dict[str, asyncio.Task[None]] = {}
        self._last: dict[str, float] = {}

    async def run(self, channel: str, call: Call) -> Any:
        """Queue `call` behind the channel's earlier posts; its result once it ran."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queues.setdefault(channel, deque()).append((call, future))
        if channel not in self._drainers:
            self._drainers[channel] = asyncio.create_task(self._drain(channel))
        return await future

    async def close(self) -> None:
        """Stop draining; whoever still waits gets CancelledError."""
        waiting = [future for queue in self._queues.values() for _, future in queue]
        tasks = list(self._drainers.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for future in waiting:
            future.cancel()

    def __len__(self) -> int:
        """How many channels have posts waiting."""
        return len(self._drainers)

    async def _drain(self, channel: str) -> None:
        queue = self._queues[channel]
        try:
            while queue:
                call, future = queue.popleft()
                if future.done():  # its caller gave up (cancelled): nothing to post
                    continue
                await self._turn(channel)
                await _settle(call, future)
                self._last[channel] = time.monotonic()
        finally:
            del self._drainers[channel]
            self._queues.pop(channel, None)
            self._forget_idle()

    async def _turn(self, channel: str) -> None:
        wait = self._last.get(channel, float("-inf")) + self.interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def _forget_idle(self) -> None:
        """Channels that have been quiet for longer than the interval need no memory."""
        now = time.monotonic()
        for channel in [c for c, at in self._last.items() if now - at > self.interval]:
            if channel not in self._drainers:
                del self._last[channel]


async def _settle(call: Call, future: asyncio.Future[Any]) -> None:
    try:
        result = await call()
    except Exception as error:  # the caller decides what a failure means
        if not future.done():
            future.set_exception(error)
    else:
        if not future.done():
            future.set_result(result)
