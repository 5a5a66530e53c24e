"""Ids of events already handled: platforms deliver again (Slack retries, a resumed Discord
gateway), and each event must be answered once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from bot.ports import Store

MAX_CLAIM = 200  # a store key's length limit


class Seen:
    """The newest `limit` ids taken; older ones are forgotten, so memory stays bounded."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._ids: OrderedDict[Hashable, None] = OrderedDict()

    def first_time(self, event_id: Hashable) -> bool:
        if event_id in self._ids:
            return False
        self._ids[event_id] = None
        if len(self._ids) > self.limit:
            self._ids.popitem(last=False)
        return True


class SharedSeen:
    """`Seen` for every process on a shared store: an id redelivered to another process is
    recognised there too (claimed atomically in the store, for a day). With a store of
    its own, the process's memory is enough."""

    def __init__(self, store: Store, namespace: str, limit: int = 10_000) -> None:
        self._store, self._namespace = store, namespace
        self._local = Seen(limit)
        self._shared = store.broadcast() is not None

    async def first_time(self, event_id: str) -> bool:
        if not self._local.first_time(event_id):
            return False
        if not self._shared:
            return True
        claim = f"seen:{self._namespace}:{event_id}"[:MAX_CLAIM]
        return await self._store.claim(claim)
