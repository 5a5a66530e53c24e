"""Flood limits: token buckets per key (a client address, a conversation, a chat user).

A bucket holds `burst` tokens and refills at `per_minute`; a request takes one token or is
refused with the seconds until one is back (for `Retry-After`). Platform-neutral: the web
adapter keys by client address and conversation, Slack and Discord by user.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.ports import TokenBuckets

MAX_KEYS = 50_000  # buckets kept; the least recently used go first (a full one is forgotten)


class LimitError(ValueError):
    """A limit setting that is not "<burst>/<per minute>"."""


@dataclass(frozen=True)
class Rate:
    """`burst` requests at once, then `per_minute`; Rate(0, 0) means no limit."""

    burst: int
    per_minute: float

    @property
    def off(self) -> bool:
        return self.burst == 0

    @classmethod
    def parse(cls, name: str, raw: str) -> Rate:
        """ "20/30" (20 at once, then 30 a minute), or "0" for no limit."""
        if raw.strip() == "0":
            return cls(0, 0.0)
        burst, _, per_minute = raw.partition("/")
        try:
            rate = cls(int(burst), float(per_minute))
        except ValueError:
            rate = cls(-1, -1.0)
        if not (1 <= rate.burst <= 100_000 and 0 < rate.per_minute <= 100_000):
            raise LimitError(f"{name} must be <burst>/<per minute> like 20/30, or 0, got {raw!r}")
        return rate


class Buckets:
    """One token bucket per key, all with the same rate."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self._clock = rate, clock
        self._tokens: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: str) -> float:
        """0 when `key` may go ahead (a token is taken), else the seconds until it may."""
        if self.rate.off:
            return 0.0
        tokens = self._refilled(key)
        self._store(key, tokens - 1 if tokens >= 1 else tokens)
        return self._until_one(tokens)

    def wait(self, key: str) -> float:
        """Seconds until `key` has a token again, without taking one (0: it has)."""
        return 0.0 if self.rate.off else self._until_one(self._refilled(key))

    def _until_one(self, tokens: float) -> float:
        """Seconds until a bucket holding `tokens` has a whole one (0: it has)."""
        return 0.0 if tokens >= 1 else math.ceil((1 - tokens) * 60 / self.rate.per_minute)

    def _refilled(self, key: str) -> float:
        now = self._clock()
        tokens, at = self._tokens.get(key, (float(self.rate.burst), now))
        return min(float(self.rate.burst), tokens + (now - at) * self.rate.per_minute / 60)

    def _store(self, key: str, tokens: float) -> None:
        self._tokens[key] = (tokens, self._clock())
        self._tokens.move_to_end(key)
        while len(self._tokens) > MAX_KEYS:
            self._tokens.popitem(last=False)


class SharedBuckets:
    """Buckets named `name` in the store's shared buckets when the store has them (every
    process on the database counts against the same ones), else in this process's memory."""

    def __init__(self, name: str, rate: Rate, shared: TokenBuckets | None = None) -> None:
        self.name, self.rate, self.shared = name, rate, shared
        self.local = Buckets(rate)

    async def take(self, key: str) -> float:
        """0 when `key` may go ahead (a token is taken), else the seconds until it may."""
        return await self._ask(key, taking=True)

    async def wait(self, key: str) -> float:
        """Seconds until `key` has a token again, without taking one (0: it has)."""
        return await self._ask(key, taking=False)

    async def _ask(self, key: str, taking: bool) -> float:
        if self.rate.off:
            return 0.0
        if self.shared is None:
            return self.local.take(key) if taking else self.local.wait(key)
        bucket = f"{self.name}:{key}"
        return await self.shared.take(bucket, self.rate.burst, self.rate.per_minute, taking)
