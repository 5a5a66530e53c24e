"""Let the customer finish (playbook B1): quick messages in a row are joined and answered once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.models import Address, Incoming, Person

log = logging.getLogger("supportbot.quiet")
Send = Callable[[Incoming], Awaitable[None]]
TYPING_CAP = 3.0  # while typing, a customer is waited for up to this many windows


def window_key(address: Address, sender: Person) -> str:
    """One buffer per customer per conversation."""
    return f"{address.key}|{sender.key}"


@dataclass
class _Pending:
    messages: list[Incoming]
    last: float  # loop time of the latest message
    deadline: float
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)


class QuietWindow:
    """Messages under one key that follow each other within `seconds` are joined (one per
    line) and sent once, in the order they came; `seconds` 0 sends each message at once.
    Sends for one key never overlap or overtake each other; `close` sends what still waits."""

    def __init__(
        self, seconds: float, send: Send, *, max_chars: int = 0, cap: float = TYPING_CAP
    ) -> None:
        self.seconds, self.send, self.max_chars, self.cap = seconds, send, max_chars, cap
        self._pending: dict[str, _Pending] = {}
        self._last: dict[str, asyncio.Task[None]] = {}  # the newest send per key
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def on(self) -> bool:
        return self.seconds > 0 and not self._closed

    def __len__(self) -> int:
        """How many conversations have messages waiting."""
        return len(self._pending)

    async def add(self, key: str, incoming: Incoming) -> None:
        """Wait for more from the same customer; with the window off, send (and wait) now."""
        if not self.on:
            self._take_and_send(key)  # anything still waiting goes first
            await self._wait_for(self._schedule(key, [incoming]))
            return
        now = asyncio.get_running_loop().time()
        pending = self._pending.get(key)
        if pending is not None and self._too_long(pending, incoming):
            self._take_and_send(key)  # the core would refuse the joined text: two parts
            pending = None
        if pending is None:
            pending = self._pending[key] = _Pending([], now, now)
        pending.messages.append(incoming)
        pending.last = now
        self._wait_until(key, pending, now + self.seconds)

    def typing(self, key: str) -> None:
        """The customer is writing more: wait up to `cap` windows after their last message."""
        pending = self._pending.get(key)
        if pending is not None:
            later = max(pending.deadline, pending.last + self.seconds * self.cap)
            self._wait_until(key, pending, later)

    async def flush(self, key: str) -> None:
        """Send what waits under `key` now and wait until every send for it is done (before
        a click, so the click is answered after the words that came before it)."""
        self._take_and_send(key)
        await self._wait_for(self._last.get(key))

    async def close(self) -> None:
        """Stop waiting: what is still pending is sent now; nothing is lost on shutdown."""
        self._closed = True
        for key in list(self._pending):
            self._take_and_send(key)
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _too_long(self, pending: _Pending, incoming: Incoming) -> bool:
        if not self.max_chars:
            return False
        length = sum(len(m.text) + 1 for m in pending.messages) + len(incoming.text)
        return length > self.max_chars

    def _take_and_send(self, key: str) -> None:
        pending = self._pending.pop(key, None)
        if pending is None:
            return
        if pending.timer is not None:
            pending.timer.cancel()
        self._schedule(key, pending.messages)

    def _wait_until(self, key: str, pending: _Pending, deadline: float) -> None:
        """(Re)arm the pending messages' timer: they are sent at `deadline`."""
        if pending.timer is not None:
            pending.timer.cancel()
        pending.deadline = deadline
        loop = asyncio.get_running_loop()
        pending.timer = loop.call_at(deadline, self._take_and_send, key)

    def _schedule(self, key: str, messages: Sequence[Incoming]) -> asyncio.Task[None]:
        """A send that starts once the previous send for `key` is done: order is kept."""
        task = self._spawn(self._send_after(self._last.get(key), joined(messages), key))
        self._last[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))
        return task

    def _forget(self, key: str, task: asyncio.Task[None]) -> None:
        if self._last.get(key) is task:
            del self._last[key]

    async def _send_after(
        self, before: asyncio.Task[None] | None, incoming: Incoming, key: str
    ) -> None:
        await self._wait_for(before)
        try:
            await self.send(incoming)
        except Exception:  # one failed answer must not stop the next ones
            log.exception("Could not answer the messages of %s", key)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self._tasks.add(task)  # a reference, so the task is not collected half-way
        task.add_done_callback(self._tasks.discard)
        return task

    @staticmethod
    async def _wait_for(task: asyncio.Task[None] | None) -> None:
        if task is not None:
            await asyncio.wait([task])  # unlike `await task`, our cancellation stays ours


def joined(messages: Sequence[Incoming]) -> Incoming:
    """Several messages as one: the texts one per line, every locale once, in order."""
    if len(messages) == 1:
        return messages[0]
    first = messages[0]
    return replace(
        first,
        sender=messages[-1].sender,
        text="\n".join(m.text for m in messages if m.text),
        locales=tuple(dict.fromkeys(tag for m in messages for tag in m.locales)),
        extra={key: value for m in messages for key, value in m.extra.items()},
    )
