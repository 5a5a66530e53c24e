"""Group commit: concurrent writes share segment writes yet keep each key's program order."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.storage import MemoryStore, open_store
from bot.storage.collection_dir import SegmentedCollection
from bot.storage.journal import generations, journal_path
from tests.test_store_durability import on_disk


@pytest.mark.parametrize("durable", [False, True])
async def test_put_delete_put_issued_together_end_with_the_last_put(
    tmp_path: Path, durable: bool
) -> None:
    store = await open_store(tmp_path) if durable else MemoryStore()
    await asyncio.gather(
        store.put("t", "a", {"v": 1}),
        store.delete("t", "a"),
        store.put("t", "a", {"v": 3}),
        store.put("t", "b", {"v": 1}),
        store.delete("t", "b"),
    )
    assert await store.get("t", "a") == {"v": 3}
    assert await store.get("t", "b") is None
    await store.close()
    if durable:
        assert on_disk(tmp_path, "t") == [{"v": 3}]


async def test_counters_and_puts_interleave_in_order(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    numbers = await asyncio.gather(*(store.next_number("n") for _ in range(5)))
    await asyncio.gather(*(store.put("t", f"k{i}", {"i": i}) for i in range(50)))
    assert sorted(numbers) == [1, 2, 3, 4, 5]
    assert await store.next_number("n") == 6
    await store.close()
    reopened = await open_store(tmp_path)
    assert await reopened.count("t") == 50
    assert await reopened.next_number("n") == 7
    await reopened.close()


async def test_concurrent_puts_share_segment_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path)
    commits: list[int] = []
    original = SegmentedCollection.commit

    def counting(self: SegmentedCollection, batch: object) -> None:
        commits.append(1)
        original(self, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(SegmentedCollection, "commit", counting)
    await asyncio.gather(*(store.put("t", f"k{i}", {"i": i}) for i in range(100)))
    assert await store.count("t") == 100
    assert len(commits) <= 10  # 100 puts, a handful of fsynced segment writes
    await store.close()
    assert len(on_disk(tmp_path, "t")) == 100


async def test_a_put_after_close_fails_instead_of_hanging(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    await store.close()
    with pytest.raises(Exception, match="closed"):
        await asyncio.wait_for(store.put("t", "a", {"v": 1}), timeout=5)


async def test_put_together_is_one_journal_line(tmp_path: Path) -> None:
    """A write across collections is appended as one line: durable as a whole, or not."""
    store = await open_store(tmp_path)
    await store.put("warm", "up", {"v": 0})
    journal = journal_path(tmp_path, generations(tmp_path)[-1])
    before = journal.read_bytes().count(b"\n")
    await store.put_together([("tickets", "T-1", {"v": 1}), ("ticket_facts", "T-1", {"v": 2})])
    assert journal.read_bytes().count(b"\n") == before + 1
    await store.close()
    reopened = await open_store(tmp_path)
    assert await reopened.get("ticket_facts", "T-1") == {"v": 2}
    assert await reopened.get("tickets", "T-1") == {"v": 1}
    await reopened.close()
