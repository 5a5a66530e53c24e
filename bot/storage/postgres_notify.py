"""Notes between the processes on one PostgreSQL database: NOTIFY to send, one LISTEN
connection per process to hear, reconnected with backoff if it drops."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable

from psycopg import AsyncConnection

from bot.models import Doc

CHANNEL = "supportbot"
MAX_PAYLOAD = 7900  # PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more
MAX_BACKOFF = 30.0
log = logging.getLogger(__name__)
Listener = Callable[[Doc], Awaitable[None]]


class PgBroadcast:
    """`send` reaches every other process's listeners; a process ignores its own notes."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._origin = uuid.uuid4().hex
        self._sender: AsyncConnection | None = None
        self._sending = asyncio.Lock()
        self._listeners: list[Listener] = []
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()  # set once LISTEN is in place (tests wait for it)

    async def send(self, note: Doc) -> None:
        payload = json.dumps({"from": self._origin, "note": note}, ensure_ascii=False)
        if len(payload.encode("utf-8", "surrogatepass")) > MAX_PAYLOAD:
            log.warning("note %s too long for NOTIFY; not sent", note.get("kind"))
            return
        async with self._sending:
            try:
                if self._sender is None or self._sender.closed:
                    self._sender = await AsyncConnection.connect(self._url, autocommit=True)
                await self._sender.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            except Exception as error:  # the others miss this one; nothing here breaks
                log.warning("could not tell the other processes (%s)", error)

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)
        if self._task is None:
            self._task = asyncio.create_task(self._hear(), name="pg-listen")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._sender is not None:
            await self._sender.close()

    async def _hear(self) -> None:
        delay = 0.5
        while True:
            try:
                async with await AsyncConnection.connect(self._url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    delay = 0.5
                    async for notify in conn.notifies():
                        await self._deliver(notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.ready.clear()
                log.warning(
                    "listening to the other processes failed (%s); again in %.0f s", error, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)

    async def _deliver(self, payload: str) -> None:
        try:
            wrapped = json.loads(payload)
        except ValueError:
            return
        if not isinstance(wrapped, dict) or wrapped.get("from") == self._origin:
            return
        for listener in list(self._listeners):
            try:
                await listener(wrapped["note"])
            except Exception:
                log.exception("a listener failed on a note from another process")
