"""What a chat platform says about a customer's languages, as Incoming.locales."""

from __future__ import annotations

from collections import OrderedDict


def priors(*tags: str | None) -> tuple[str, ...]:
    """The tags most preferred first, each once, without the unknown ("" or None) ones."""
    return tuple(dict.fromkeys(tag for tag in tags if tag))


class LocaleBook:
    """The last locale each user's client showed (Discord: in their interactions), for the
    messages that carry none; the least recently seen are forgotten beyond `limit`."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._seen: OrderedDict[str, str] = OrderedDict()

    def saw(self, user: str, locale: str) -> None:
        if not locale:
            return
        self._seen[user] = locale
        self._seen.move_to_end(user)
        if len(self._seen) > self.limit:
            self._seen.popitem(last=False)

    def get(self, user: str) -> str:
        """Their last locale, or ""."""
        return self._seen.get(user, "")

    def __len__(self) -> int:
        return len(self._seen)
