"""A flood from one chat user (Slack, Discord) is not processed: the first message over the
limit gets one polite "please slow down" in the conversation's language, the rest nothing,
until the user's bucket refills. Refused before anything is stored. The web API limits its
own requests (bot/adapters/web_guard.py) and answers 429 there."""

from __future__ import annotations

from bot.i18n import Catalog
from bot.limits import Buckets, Rate
from bot.models import Incoming, Kind, Reply

GO, TELL, QUIET = "go", "tell", "quiet"
SELF_LIMITED = frozenset({"web"})  # platforms whose adapter limits (and answers 429) itself


class ChatFloods:
    def __init__(self, rate: Rate) -> None:
        self._buckets = Buckets(rate)
        self._told: set[str] = set()  # users told to slow down in the current flood

    def verdict(self, incoming: Incoming) -> str:
        """GO (process it), TELL (refuse, with the polite reply) or QUIET (refuse silently:
        this user was told already in this flood)."""
        if incoming.kind is not Kind.MESSAGE or incoming.sender.platform in SELF_LIMITED:
            return GO
        user = incoming.sender.key
        if self._buckets.take(user) == 0:
            self._told.discard(user)
            return GO
        if user in self._told:
            return QUIET
        self._told.add(user)
        return TELL


def slow_down(catalog: Catalog, language: str) -> Reply:
    return Reply(catalog.text(language, "chat_too_fast"))
