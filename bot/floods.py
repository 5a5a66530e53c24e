"""A flood from one chat user (Slack, Discord) is not processed: the first message over the
limit gets one polite "please slow down" in the conversation's language, the rest nothing,
until the user's bucket refills. Refused before anything is stored. The web API limits its
own requests (bot/adapters/web_guard.py) and answers 429 there."""

from __future__ import annotations

from bot.i18n import Catalog
from bot.limits import Rate, SharedBuckets
from bot.models import Incoming, Kind, Reply
from bot.ports import TokenBuckets

GO, TELL, QUIET = "go", "tell", "quiet"
SELF_LIMITED = frozenset({"web"})  # platforms whose adapter limits (and answers 429) itself


class ChatFloods:
    """Per-user message limits; with the store's shared buckets (PostgreSQL) a flood spread
    over several bot processes counts as one, and is told to slow down once."""

    def __init__(self, rate: Rate, shared: TokenBuckets | None = None) -> None:
        self._buckets = SharedBuckets("chat-user", rate, shared)
        # Room for one "please slow down" per user, refilled at the user's own rate: one
        # telling per flood, whichever process refuses the messages.
        self._told = SharedBuckets("chat-told", Rate(1, rate.per_minute), shared)

    async def verdict(self, incoming: Incoming) -> str:
        """GO (process it), TELL (refuse, with the polite reply) or QUIET (refuse silently:
        this user was told already in this flood)."""
        if incoming.kind is not Kind.MESSAGE or incoming.sender.platform in SELF_LIMITED:
            return GO
        user = incoming.sender.key
        if await self._buckets.take(user) == 0:
            return GO
        return TELL if await self._told.take(user) == 0 else QUIET


def slow_down(catalog: Catalog, language: str) -> Reply:
    return Reply(catalog.text(language, "chat_too_fast"))
