"""Who staff see in listings and transcripts (G2): a customer by the best name we know (the
one learned in the conversation, else the platform's display name, else a polite phrase),
never by a platform user id; and every transcript line with its author."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.conversation import Conversation
from bot.i18n import Catalog
from bot.models import Person, Posted, Role

UNKNOWN_CUSTOMER = "unknown_customer"
UNKNOWN_STAFF = "staff_author"
BOT_AUTHOR = "bot_author"


def known_name(conv: Conversation | None, person: Person | None = None) -> str:
    """The customer's name as far as we know it, or "": the name learned in the conversation,
    else the display name of `person` (or of the conversation's customer)."""
    learned = conv.name.strip() if conv is not None else ""
    if learned:
        return learned
    shown = person if person is not None else conv.customer if conv is not None else None
    return shown.name.strip() if shown is not None else ""


@dataclass(frozen=True)
class StaffNames:
    """Names as staff read them, with the catalog's phrases in the staff's `language`."""

    catalog: Catalog
    language: str

    def customer(self, conv: Conversation | None, person: Person | None = None) -> str:
        """The customer by their best known name, or the polite "name not given" phrase."""
        return known_name(conv, person) or self.unknown_customer

    @property
    def unknown_customer(self) -> str:
        return self.catalog.text(self.language, UNKNOWN_CUSTOMER)

    def author(self, conv: Conversation | None, message: Posted) -> str:
        """Who wrote a transcript line: the customer by their best known name (also for lines
        written before the name was known), the bot by its author name, staff by theirs."""
        if message.role is Role.CUSTOMER:
            return known_name(conv) or message.author.strip() or self.unknown_customer
        if message.author.strip():
            return message.author
        if message.role is Role.BOT:
            return self.catalog.text(conv.language if conv else self.language, BOT_AUTHOR)
        return self.catalog.text(self.language, UNKNOWN_STAFF)

    def authored(self, conv: Conversation | None, messages: Iterable[Posted]) -> list[Posted]:
        """The messages, each with its author as staff should see it."""
        return [replace(message, author=self.author(conv, message)) for message in messages]

    def transcript_lines(self, conv: Conversation | None, messages: Iterable[Posted]) -> list[str]:
        """ "[09:00] Anna: hello", one per message."""
        return [f"[{m.at:%H:%M}] {m.author}: {m.text}" for m in self.authored(conv, messages)]
