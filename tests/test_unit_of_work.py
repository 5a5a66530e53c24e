"""A conversation's turn is one unit of work: its writes land together, in one commit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.models import Address, Incoming, Person
from bot.ports import Note
from bot.storage import MemoryStore, open_store
from bot.storage.journal import generations, journal_path
from bot.unit_of_work import WorkingStore
from tests.fakes import Harness


async def test_puts_land_together_when_the_unit_ends() -> None:
    inner = MemoryStore()
    store = WorkingStore(inner)
    async with store.unit_of_work():
        await store.put("messages", "c1#1", {"text": "hello"})
        await store.put_many("messages", [("c1#2", {"text": "hi"})])
        await store.put("conversations", "c1", {"last_seq": 2})
        assert await inner.get("messages", "c1#1") is None  # nothing written yet
        assert await store.get("conversations", "c1") == {"last_seq": 2}  # but read back
    assert await inner.get("conversations", "c1") == {"last_seq": 2}
    assert [d["text"] for d in await inner.find("messages")] == ["hello", "hi"]


async def test_a_kept_document_is_a_copy_and_checked_at_once() -> None:
    store = WorkingStore(MemoryStore())
    async with store.unit_of_work():
        doc = {"n": 1}
        await store.put("t", "a", doc)
        doc["n"] = 2  # the caller's later change is not stored
        with pytest.raises(TypeError):
            await store.put("t", "b", {"bad": {1, 2}})
    assert await store.get("t", "a") == {"n": 1}
    assert await store.get("t", "b") is None


async def test_reads_and_deletes_see_what_the_unit_wrote() -> None:
    store = WorkingStore(MemoryStore())
    async with store.unit_of_work():
        await store.put("tickets", "T-1", {"id": "T-1", "status": "waiting"})
        assert [d["id"] for d in await store.find("tickets", status="waiting")] == ["T-1"]
        assert await store.count("tickets") == 1
        await store.put("tickets", "T-2", {"id": "T-2"})
        assert await store.delete("tickets", "T-2") is True  # written first, then deleted
    assert await store.count("tickets") == 1


async def test_a_unit_that_fails_still_writes_what_it_kept() -> None:
    store = WorkingStore(MemoryStore())

    async def failing_turn() -> None:
        async with store.unit_of_work():
            await store.put("messages", "c1#1", {"text": "the customer's words"})
            raise RuntimeError("a handler failed")

    with pytest.raises(RuntimeError):
        await failing_turn()
    assert await store.get("messages", "c1#1") == {"text": "the customer's words"}


async def test_a_nested_unit_writes_the_outer_one_first() -> None:
    inner = MemoryStore()
    store = WorkingStore(inner)
    async with store.unit_of_work():
        await store.put("t", "outer", {"v": 1})
        async with store.unit_of_work():
            assert await inner.get("t", "outer") == {"v": 1}
            await store.put("t", "inner", {"v": 2})
        assert await inner.get("t", "inner") == {"v": 2}  # its own lock is let go: written
        await store.put("t", "after", {"v": 3})
    assert await inner.count("t") == 3


async def test_work_that_outlives_the_unit_writes_directly() -> None:
    inner = MemoryStore()
    store = WorkingStore(inner)
    later = asyncio.Event()

    async def background() -> None:
        await later.wait()
        await store.put("t", "late", {"v": 1})

    async with store.unit_of_work():
        task = asyncio.create_task(background())  # inherits the unit's context
    later.set()
    await task
    assert await inner.get("t", "late") == {"v": 1}


class Notes:
    """Notes that record whether the message they name was stored when they were sent."""

    def __init__(self, store: MemoryStore) -> None:
        self.store, self.seen = store, list[bool]()

    async def send(self, note: Note) -> None:
        self.seen.append(await self.store.get("messages", str(note["key"])) is not None)

    def listen(self, listener: Callable[[Note], Awaitable[None]]) -> None:
        pass


class Announcing(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.notes = Notes(self)

    def broadcast(self) -> Notes:  # type: ignore[override]
        return self.notes


async def test_a_note_to_other_processes_follows_the_write_it_announces() -> None:
    inner = Announcing()
    store = WorkingStore(inner)
    notes = store.broadcast()
    assert notes is not None
    async with store.unit_of_work():
        await store.put("messages", "c1#1", {"text": "hello"})
        await notes.send({"key": "c1#1"})
        assert inner.notes.seen == []  # held back: the unit is not cut in two
        await store.put("conversations", "c1", {"last_seq": 1})
    assert inner.notes.seen == [True]
    assert await inner.get("conversations", "c1") == {"last_seq": 1}
    await notes.send({"key": "c1#1"})  # outside a unit: at once
    assert inner.notes.seen == [True, True]


def journal_lines(root: Path) -> int:
    return journal_path(root, generations(root)[-1]).read_bytes().count(b"\n")


async def test_a_customer_message_and_the_replies_are_one_journal_line(tmp_path: Path) -> None:
    """Message, reply, conversation (and lookup) of one turn: one append, one fsync."""
    store = await open_store(tmp_path)
    h = Harness(store=store)
    customer, address = Person("web", "u1"), Address("web", "c1")
    await h.bot.dispatch(Incoming.message(customer, address, "hello"))
    before = journal_lines(tmp_path)
    replies = await h.bot.dispatch(Incoming.message(customer, address, "Anna"))
    assert replies
    assert journal_lines(tmp_path) == before + 1
    messages = await store.find("messages", conversation=address.key)
    texts = [m["text"] for m in messages]
    assert texts[-1 - len(replies) :] == ["Anna", *(r.text for r in replies)]
    await store.close()
