"""Ids of events already handled: platforms deliver again (Slack retries, a resumed Discord
gateway), and each event must be answered once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


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
