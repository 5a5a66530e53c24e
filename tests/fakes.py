"""Fakes of the ports and a Harness so core tests read like a transcript."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.conversation import Conversation
from bot.core import Bot
from bot.departments import Department
from bot.i18n import Catalog
from bot.kb.entries import Entry, Lookup
from bot.kb.validate import Problem
from bot.models import Address, Incoming, Person, Posted, Reply
from bot.ports import KnowledgeBase, Store
from bot.staff import StaffMember
from bot.storage import MemoryStore
from bot.wiring import build_bot

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


@dataclass
class FakeChat:
    """Records what the core sends out of band; can be told to fail."""

    platform: str = "web"
    sent: list[tuple[Address, Reply]] = field(default_factory=list)
    failure: Exception | None = None

    async def send(self, address: Address, reply: Reply) -> None:
        if self.failure:
            raise self.failure
        self.sent.append((address, reply))


class Harness:
    """One customer talking to a real Bot on a MemoryStore, plus a staff member."""

    def __init__(
        self,
        name: str = "",
        store: Store | None = None,
        settings: Settings | None = None,
        kb: KnowledgeBase | None = None,
        departments: dict[str, Department] | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self.clock = FakeClock()
        self.store = store or MemoryStore()
        self.bot: Bot = build_bot(
            settings or Settings(), self.store, self.clock, catalog, kb, departments
        )
        self.replies: list[Reply] = []
        self.chat = FakeChat()
        self.bot.services.chats["web"] = self.chat
        self.customer = Person("web", "cust-1", name)
        self.address = Address("web", "conv-1")
        self.staff: StaffMember | None = None
        self.locales: tuple[str, ...] = ()  # what the platform says of the customer's languages

    def another_customer(self, name: str) -> Harness:
        """A second customer on the same bot, store and clock, in a conversation of their own."""
        other = copy.copy(self)
        number = len(name) + id(other) % 10_000
        other.customer = Person("web", f"cust-{number}", name)
        other.address = Address("web", f"conv-{number}")
        return other

    async def say(self, text: str) -> list[str]:
        event = Incoming.message(self.customer, self.address, text, self.locales)
        self.replies = await self.bot.dispatch(event)
        return _texts(self.replies)

    async def click(self, action: str, value: str = "") -> list[str]:
        event = Incoming.click(self.customer, self.address, action, value)
        self.replies = await self.bot.dispatch(event)
        return _texts(self.replies)

    def buttons(self) -> list[tuple[str, str, str]]:
        """(label, action, value) of every button in the last replies."""
        return [(b.label, b.action, b.value) for r in self.replies for b in r.buttons]

    async def conversation(self) -> Conversation:
        found = await self.bot.services.conversations.get(self.address.key)
        assert found is not None
        return found

    async def command(self, name: str, text: str = "", as_customer: bool = False) -> list[str]:
        sender = self.customer if as_customer else await self._staff_person()
        where = self.address if as_customer else Address("web-staff", sender.id)
        return _texts(await self.bot.dispatch(Incoming.slash(sender, where, name, text)))

    async def transcript(self) -> list[Posted]:
        return await self.bot.services.transcript.after(self.address.key, 0)

    async def _staff_person(self) -> Person:
        if self.staff is None:
            await self.bot.services.staff.add("sam", "Sam Staff")
            self.staff = await self.bot.services.staff.by_person(Person("web", "sam"))
        assert self.staff is not None
        return self.staff.person("web")


def _texts(replies: list[Reply]) -> list[str]:
    return [reply.text for reply in replies]


class FakeKnowledgeBase:
    """A KnowledgeBase port fake: answers every lookup with a fixed result."""

    def __init__(self, result: Lookup, entries: list[Entry]) -> None:
        self.result, self.entries = result, {e.id: e for e in entries}

    def lookup(self, text: str, language: str | None) -> Lookup:
        return self.result

    def entry(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    async def reload(self) -> list[Problem]:
        return []

    def __len__(self) -> int:
        return len(self.entries)
