"""Finding everything stored about one customer, by their key ("platform:user")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.departments import PLATFORMS
from bot.kb.gaps import LOOKUPS
from bot.models import Doc
from bot.ports import Store
from bot.scheduler import JOBS
from bot.tickets.desk import TICKETS
from bot.tickets.flags import CUSTOMER_FLAGS
from bot.transcript import CONVERSATIONS, MESSAGES

_KEY = re.compile(rf"^({'|'.join(PLATFORMS)}):(\S{{1,150}})$")


class CustomerKeyError(ValueError):
    """Not a customer key; the message says what one looks like."""


def parse_customer_key(text: str) -> str:
    """`text` if it is a customer key such as "web:u-42" or "slack:U0123ABCD"."""
    if not _KEY.match(text.strip()):
        raise CustomerKeyError(
            f"{text!r} is not a customer key: use platform:user, e.g. web:u-42 or "
            f"slack:U0123ABCD (platforms: {', '.join(PLATFORMS)})"
        )
    return text.strip()


@dataclass
class CustomerRecords:
    """The customer's conversations and tickets, and what hangs off them."""

    key: str
    conversations: list[Doc] = field(default_factory=list)
    tickets: list[Doc] = field(default_factory=list)  # theirs, incl. requests they filed
    linked: list[Doc] = field(default_factory=list)  # internal requests about their tickets
    flags: Doc | None = None

    @property
    def found(self) -> bool:
        return bool(self.conversations or self.tickets or self.flags)

    @property
    def ticket_ids(self) -> set[str]:
        return {t["id"] for t in self.tickets}

    @property
    def names(self) -> set[str]:
        """Every name the customer was known by (to find it in the "by" of history events)."""
        names = {doc["customer"]["name"] for doc in self.conversations + self.tickets}
        return (names | {conv["name"] for conv in self.conversations}) - {""}


async def records_of(store: Store, key: str) -> CustomerRecords:
    """Look up by indexed fields where there is one; conversations by a scan of the stored
    documents in place (no copies but the matches)."""
    platform, _, user = key.partition(":")
    tickets = await store.find(TICKETS, customer_key=key)

    def theirs(doc: Doc) -> bool:
        return bool(doc["customer"]["platform"] == platform and doc["customer"]["id"] == user)

    conversations = await store.find(CONVERSATIONS, theirs)
    known = {c["key"] for c in conversations}
    for conv_key in dict.fromkeys(t["conversation"] for t in tickets if t["conversation"]):
        if conv_key not in known and (doc := await store.get(CONVERSATIONS, conv_key)):
            conversations.append(doc)
    linked = [r for t in tickets for r in await store.find(TICKETS, linked=t["id"])]
    flags = await store.get(CUSTOMER_FLAGS, key)
    return CustomerRecords(key, conversations, tickets, linked, flags)


async def messages_of(store: Store, conversation: str) -> list[Doc]:
    """The conversation's transcript, in order (an indexed lookup)."""
    return await store.find(MESSAGES, conversation=conversation)


async def lookups_of(store: Store, conversation: str) -> list[Doc]:
    """The conversation's knowledge-base lookups (an indexed lookup)."""
    return await store.find(LOOKUPS, conversation=conversation)


async def jobs_about(store: Store, tickets: set[str], collection: str = JOBS) -> list[Doc]:
    """Scheduled (or failed) jobs about these tickets: follow-ups, holds, deadlines."""

    def about(doc: Doc) -> bool:
        payload = doc.get("payload") or {}
        return bool({payload.get("ticket"), payload.get("request")} & tickets)

    return await store.find(collection, about) if tickets else []


def message_key(doc: Doc) -> str:
    """The store key of a transcript message or a lookup (both keyed by conversation#seq)."""
    return f"{doc['conversation']}#{doc['seq']:08d}"
