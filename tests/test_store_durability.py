"""TinyDBStore on disk: reopening, file format, start-up checks and failed writes."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from bot.models import Doc
from bot.storage import StoreCorruptError, StoreError, StoreLockedError, TinyDBStore, open_store
from bot.storage.segment import AtomicJSONStorage, Segment


def on_disk(root: Path, collection: str) -> list[Doc]:
    """Every document of `collection` as plain TinyDB reads the segment files, in order."""
    docs: list[Doc] = []
    for path in sorted((root / collection).glob("*.json")):
        with TinyDB(str(path), access_mode="r") as db:
            docs.extend(record["doc"] for record in db.all())
    return docs


async def fill(store: TinyDBStore, count: int) -> dict[str, Doc]:
    model = {f"k{i}": {"id": f"k{i}", "v": i} for i in range(count)}
    await store.put_many("t", list(model.items()))
    return model


async def test_data_survives_reopen(tmp_path: Path) -> None:
    store = await open_store(tmp_path, segment_size=16)
    model = await fill(store, 200)
    for i in range(0, 200, 9):
        model[f"k{i}"] = {"id": f"k{i}", "v": "updated"}
        await store.put("t", f"k{i}", model[f"k{i}"])
    for i in range(1, 200, 13):
        await store.delete("t", model.pop(f"k{i}")["id"])
    await store.put("t", "k1", {"id": "k1", "v": "back"})  # re-inserted: now last
    model["k1"] = {"id": "k1", "v": "back"}
    assert [await store.next_number("n") for _ in range(3)] == [1, 2, 3]
    await store.close()
    reopened = await open_store(tmp_path)
    assert await reopened.find("t") == list(model.values())
    assert await reopened.find("t", v="updated") == [
        d for d in model.values() if d["v"] == "updated"
    ]
    assert await reopened.next_number("n") == 4
    await reopened.close()


async def test_a_write_rewrites_only_its_segment(tmp_path: Path) -> None:
    store = await open_store(tmp_path, segment_size=10)
    await fill(store, 100)
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "t").iterdir()}
    await store.put("t", "k15", {"id": "k15", "v": "new"})
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "t").iterdir()}
    assert sorted(before) == [f"{n:06d}.json" for n in range(1, 11)]
    assert [name for name in before if before[name] != after[name]] == ["000002.json"]
    await store.close()


async def test_segment_files_are_plain_tinydb_databases(tmp_path: Path) -> None:
    store = await open_store(tmp_path, segment_size=4)
    await fill(store, 6)
    await store.close()
    with TinyDB(str(tmp_path / "t" / "000002.json"), access_mode="r") as db:
        assert db.tables() == {"_default"}
        assert db.all() == [
            {"key": "k4", "doc": {"id": "k4", "v": 4}},
            {"key": "k5", "doc": {"id": "k5", "v": 5}},
        ]
    with TinyDB(str(tmp_path / "t" / "000002.json"), storage=AtomicJSONStorage) as db:
        db.insert({"key": "k6", "doc": {"id": "k6"}})  # our Storage works under TinyDB itself
    store = await open_store(tmp_path)
    assert await store.get("t", "k6") == {"id": "k6"}
    await store.close()


CORRUPTIONS = {
    "invalid json": b'{"_default": {"1": {"key": "k0", "doc": {',
    "empty file": b"",
    "not utf-8": b"\xff\xfe{}",
    "list at top": b"[]",
    "other table": b'{"_default": {}, "users": {}}',
    "record shape": b'{"_default": {"1": {"key": "k0"}}}',
    "doc not object": b'{"_default": {"1": {"key": "k0", "doc": 3}}}',
    "bad id": b'{"_default": {"x": {"key": "k0", "doc": {}}}}',
    "duplicate key": b'{"_default": {"1": {"key": "k0", "doc": {}}}}',
}


@pytest.mark.parametrize("content", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
async def test_corrupt_segment_stops_start_up_untouched(tmp_path: Path, content: bytes) -> None:
    store = await open_store(tmp_path, segment_size=4)
    await fill(store, 6)
    await store.close()
    bad = tmp_path / "t" / "000002.json"
    bad.write_bytes(content)
    leftover = tmp_path / "t" / ".000001.json.abc.tmp"
    leftover.write_text("partial")
    with pytest.raises(StoreCorruptError, match="will not overwrite") as raised:
        await open_store(tmp_path)
    assert str(bad) in str(raised.value)
    assert bad.read_bytes() == content
    assert leftover.exists()  # nothing on disk is touched when start-up fails
    await (await open_store(tmp_path / "elsewhere")).close()  # and the lock was released
    bad.unlink()
    await (await open_store(tmp_path)).close()


async def test_unreadable_segment_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path)
    await fill(store, 3)
    await store.close()

    def denied(self: Path, *args: Any, **kwargs: Any) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # chmod does not stop root, so fake it
    with pytest.raises(StoreCorruptError, match="PermissionError") as raised:
        await open_store(tmp_path)
    assert "000001.json" in str(raised.value)


async def test_leftover_temp_files_are_removed(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    model = await fill(store, 5)
    await store.close()
    leftover = tmp_path / "t" / ".000001.json.x1y2.tmp"
    leftover.write_text('{"_default": {"1": {"key": "ghost", "doc": {}}}}')
    store = await open_store(tmp_path)
    assert not leftover.exists()
    assert await store.find("t") == list(model.values())
    await store.close()


async def test_second_opener_is_locked_out(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    with pytest.raises(StoreLockedError, match="in use"):
        await open_store(tmp_path)
    await store.close()
    await (await open_store(tmp_path)).close()


def fail_nth_replace(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    calls = []
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == n:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("op", ["update", "insert", "delete"])
async def test_a_failed_write_leaves_memory_equal_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, op: str
) -> None:
    store = await open_store(tmp_path, segment_size=4)
    before = list((await fill(store, 6)).values())
    fail_nth_replace(monkeypatch, 1)
    writes: dict[str, Callable[[], Awaitable[object]]] = {
        "update": lambda: store.put("t", "k1", {"id": "lost"}),
        "insert": lambda: store.put("t", "new", {"id": "lost"}),
        "delete": lambda: store.delete("t", "k2"),
    }
    with pytest.raises(OSError, match="No space"):
        await writes[op]()
    assert await store.find("t") == before
    assert on_disk(tmp_path, "t") == before
    assert not list((tmp_path / "t").glob("*.tmp"))
    monkeypatch.undo()
    await store.put("t", "new", {"id": "new"})  # and the store keeps working
    assert await store.find("t") == [*before, {"id": "new"}] == on_disk(tmp_path, "t")
    await store.close()


async def test_a_half_failed_put_many_keeps_what_landed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path, segment_size=4)
    await fill(store, 6)
    fail_nth_replace(monkeypatch, 2)  # the first segment lands, the second does not
    with pytest.raises(OSError, match="No space"):
        await store.put_many("t", [("k0", {"id": "k0", "v": "a"}), ("k5", {"id": "k5", "v": "b"})])
    assert await store.get("t", "k0") == {"id": "k0", "v": "a"}
    assert await store.get("t", "k5") == {"id": "k5", "v": 5}
    assert await store.find("t") == on_disk(tmp_path, "t")
    await store.close()


async def test_failure_after_rename_adopts_what_landed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path)
    await fill(store, 3)

    def no_dir_sync(directory: Path) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("bot.storage.segment.fsync_directory", no_dir_sync)
    with pytest.raises(OSError, match="Input/output"):
        await store.put("t", "k1", {"id": "k1", "v": "landed"})
    assert await store.get("t", "k1") == {"id": "k1", "v": "landed"}  # re-read from disk
    assert await store.find("t") == on_disk(tmp_path, "t")
    await store.close()


async def test_store_refuses_writes_when_disk_state_is_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path)
    await fill(store, 3)
    fail_nth_replace(monkeypatch, 1)

    def unreadable(path: Path) -> Segment:
        raise StoreCorruptError(path, "unreadable")

    monkeypatch.setattr(Segment, "load", unreadable)
    with pytest.raises(OSError, match="No space"):
        await store.put("t", "k1", {"id": "k1", "v": "x"})
    monkeypatch.undo()
    with pytest.raises(StoreError, match="unusable"):
        await store.put("t", "k2", {"id": "k2"})
    await store.close()


async def test_cancelled_puts_still_complete_in_memory_and_on_disk(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    await fill(store, 3)
    tasks = [asyncio.create_task(store.put("t", f"c{i}", {"id": f"c{i}"})) for i in range(20)]
    await asyncio.sleep(0)  # queued and being written, not yet durable
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await store.close()  # waits for writes already handed to the disk
    assert any(task.cancelled() for task in tasks)
    memory = await store.find("t")
    assert len(memory) == 23  # a write handed to the store finishes even if its caller left
    assert memory == on_disk(tmp_path, "t")


async def test_counters_file_is_valid_json(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    await store.next_number("tickets", start=100)
    await store.close()
    (counters,) = (tmp_path / "_counters").glob("*.json")
    data = json.loads(counters.read_text())
    assert data == {"_default": {"1": {"key": "tickets", "doc": {"value": 100}}}}
