"""Loading, creating and saving conversations, one dispatch at a time per conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from bot.conversation import Conversation
from bot.models import Address, Person
from bot.ports import Clock, Store
from bot.transcript import CONVERSATIONS, Transcript
from bot.unit_of_work import unit_of_work


class Conversations:
    """The conversation book: every change happens inside `locked` and is saved on exit."""

    def __init__(self, store: Store, clock: Clock, transcript: Transcript, language: str) -> None:
        self.store, self.clock, self.transcript = store, clock, transcript
        self.default_language = language
        self._locks = store.locks()  # across processes when they share a database

    async def get(self, key: str) -> Conversation | None:
        doc = await self.store.get(CONVERSATIONS, key)
        return Conversation.from_doc(doc) if doc else None

    async def by_ref(self, ref: str) -> Conversation | None:
        docs = await self.store.find(CONVERSATIONS, ref=ref.upper())
        return Conversation.from_doc(docs[0]) if docs else None

    async def open_ones(self) -> list[Conversation]:
        docs = await self.store.find(CONVERSATIONS, status="open")
        return sorted(map(Conversation.from_doc, docs), key=lambda c: c.updated_at, reverse=True)

    def hold(self, key: str) -> AbstractAsyncContextManager[None]:
        """Only the conversation's lock, for work on its stored documents (e.g. retention)."""
        return self._locks.hold(key)

    @asynccontextmanager
    async def locked(self, key: str) -> AsyncIterator[Conversation | None]:
        """The stored conversation under its lock (None if unknown); saved if it changed.
        What is written meanwhile is one unit of work, written before the lock is let go."""
        async with self._locks.hold(key), unit_of_work(self.store):
            conv = await self.get(key)
            if conv:
                await self.transcript.repair(conv)
            before = conv.to_doc() if conv else None
            yield conv
            if conv and conv.to_doc() != before:
                await self.transcript.save(conv)

    @asynccontextmanager
    async def begin(self, address: Address, customer: Person) -> AsyncIterator[Conversation]:
        """The conversation at `address`, created on first contact, under its lock."""
        async with self.locked(address.key) as existing:
            conv = existing or await self._create(address, customer)
            yield conv
            if existing is None:
                await self.transcript.save(conv)

    async def _create(self, address: Address, customer: Person) -> Conversation:
        number = await self.store.next_number("conversation")
        now = self.clock.now()
        return Conversation(
            key=address.key,
            ref=f"C-{number}",
            address=address,
            customer=customer,
            created_at=now,
            updated_at=now,
            language=self.default_language,
            name=customer.name.strip(),
        )
