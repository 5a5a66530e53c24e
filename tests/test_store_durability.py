"""TinyDBStore on disk: reopening, file format, start-up checks and failed writes."""

from __future__ import annotations

import asyncio
import json
import os
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from bot.models import Doc
from bot.storage import StoreCorruptError, StoreError, StoreLockedError, TinyDBStore, open_store
from bot.storage.readonly import ReadOnlyStore, read_collections
from bot.storage.segment import AtomicJSONStorage


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


def journal_files(root: Path) -> list[Path]:
    return sorted(root.glob("journal.*.log"))


def journal_lines(root: Path) -> list[bytes]:
    return [
        line
        for path in sorted(root.glob("journal.*.log"))
        for line in path.read_bytes().splitlines()
    ]


def mtimes(directory: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in directory.iterdir()}


async def test_a_write_is_one_journal_line_and_closing_folds_only_its_segment(
    tmp_path: Path,
) -> None:
    store = await open_store(tmp_path, segment_size=10)
    await fill(store, 100)
    await store.close()
    store = await open_store(tmp_path, segment_size=10)
    before = mtimes(tmp_path / "t")
    await store.put("t", "k15", {"id": "k15", "v": "new"})
    assert mtimes(tmp_path / "t") == before  # no segment rewritten for a write
    (line,) = journal_lines(tmp_path)
    assert b'"k15"' in line
    await store.close()
    after = mtimes(tmp_path / "t")
    assert sorted(before) == [f"{n:06d}.json" for n in range(1, 11)]
    assert [name for name in before if before[name] != after[name]] == ["000002.json"]
    assert journal_lines(tmp_path) == []  # folded and deleted
    assert on_disk(tmp_path, "t")[15] == {"id": "k15", "v": "new"}


async def test_concurrent_writes_to_several_collections_are_one_line(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    await asyncio.gather(*(store.put(f"c{i % 3}", f"k{i}", {"i": i}) for i in range(30)))
    assert len(journal_lines(tmp_path)) <= 2  # one fsync for the lot (the first may go alone)
    await store.close()


async def test_the_journal_is_folded_in_the_background_as_it_grows(tmp_path: Path) -> None:
    store = await open_store(tmp_path, segment_size=8, journal_limit=2_000)
    model = {f"k{i}": {"id": f"k{i}", "text": "x" * 100} for i in range(200)}
    for key, doc in model.items():
        await store.put("t", key, doc)
    for i in range(0, 200, 7):
        await store.delete("t", model.pop(f"k{i}")["id"])
    await asyncio.sleep(0.2)  # let the last fold finish
    assert len(list((tmp_path / "t").glob("*.json"))) > 10  # folded while running
    assert len(journal_files(tmp_path)) <= 2  # folded journals are deleted
    reopened_view = await ReadOnlyStore.open(tmp_path, ("t",))  # what a reader sees meanwhile
    assert await reopened_view.find("t") == list(model.values())
    await store.close()
    reopened = await open_store(tmp_path)
    assert await reopened.find("t") == list(model.values())
    await reopened.close()


async def test_readers_see_journaled_writes_while_the_store_is_open(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    await store.put("tickets", "T-1", {"id": "T-1", "status": "open"})
    await store.put("tickets", "T-1", {"id": "T-1", "status": "solved"})
    await store.put("tickets", "T-2", {"id": "T-2", "status": "open"})
    await store.delete("tickets", "T-2")
    view = await ReadOnlyStore.open(tmp_path, ("tickets",))
    assert await view.find("tickets") == [{"id": "T-1", "status": "solved"}]
    assert await read_collections(tmp_path, ("tickets",)) == {
        "tickets": [{"id": "T-1", "status": "solved"}]
    }
    (tmp_path / "journal.000001.log").open("ab").write(b'0badc0de [["tick')  # mid-append
    assert await read_collections(tmp_path, ("tickets",)) == {
        "tickets": [{"id": "T-1", "status": "solved"}]
    }
    await store.close()


async def test_a_torn_last_journal_line_was_never_acknowledged_and_is_cut_off(
    tmp_path: Path,
) -> None:
    store = await open_store(tmp_path)
    model = await fill(store, 5)
    journal = tmp_path / "journal.000001.log"
    whole = journal.read_bytes()
    await store.put("t", "k9", {"id": "k9"})
    torn = journal.read_bytes()[: len(whole) + 20]
    store._journal.close()  # a process killed mid-append: nothing is folded
    store._disk.close()
    journal.write_bytes(torn)
    reopened = await open_store(tmp_path)
    assert await reopened.find("t") == list(model.values())
    assert journal.read_bytes() == whole
    await reopened.put("t", "k9", {"id": "k9"})
    await reopened.close()
    assert on_disk(tmp_path, "t") == [*model.values(), {"id": "k9"}]


JOURNAL_DAMAGE = {
    "bad checksum": b'00000000 [["t","k1",{"id":"k1"}]]\n',
    "not a list": b"%08x {}\n",
    "collection outside the store": b'%08x [["../etc","k1",{}]]\n',
    "empty key": b'%08x [["t","",{}]]\n',
    "document not an object": b'%08x [["t","k1",3]]\n',
}


@pytest.mark.parametrize("damage", JOURNAL_DAMAGE.values(), ids=JOURNAL_DAMAGE.keys())
async def test_a_damaged_journal_line_before_the_last_stops_start_up(
    tmp_path: Path, damage: bytes
) -> None:
    if b"%08x" in damage:
        body = damage[5:-1]
        damage = b"%08x %s\n" % (zlib.crc32(body), body)
    good = b'[["t","k2",{"id":"k2"}]]'
    content = damage + b"%08x %s\n" % (zlib.crc32(good), good)
    journal = tmp_path / "journal.000001.log"
    journal.write_bytes(content)
    with pytest.raises(StoreCorruptError, match="journal") as raised:
        await open_store(tmp_path)
    assert str(journal) in str(raised.value)
    assert journal.read_bytes() == content
    assert not (tmp_path / "..etc").exists()


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


def fail_syscall(monkeypatch: pytest.MonkeyPatch, name: str, nth: int = 1) -> list[int]:
    """Make the `nth` call of os.`name` (and only it) fail as a full disk would."""
    calls: list[int] = []
    real = getattr(os, name)

    def failing(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == nth:
            raise OSError(28, "No space left on device")
        return real(*args)

    monkeypatch.setattr(os, name, failing)
    return calls


@pytest.mark.parametrize("op", ["update", "insert", "delete"])
async def test_a_failed_write_leaves_memory_equal_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, op: str
) -> None:
    store = await open_store(tmp_path, segment_size=4)
    before = list((await fill(store, 6)).values())
    lines = journal_lines(tmp_path)
    fail_syscall(monkeypatch, "fdatasync")
    writes: dict[str, Callable[[], Awaitable[object]]] = {
        "update": lambda: store.put("t", "k1", {"id": "lost"}),
        "insert": lambda: store.put("t", "new", {"id": "lost"}),
        "delete": lambda: store.delete("t", "k2"),
    }
    with pytest.raises(OSError, match="No space"):
        await writes[op]()
    assert await store.find("t") == before
    assert journal_lines(tmp_path) == lines  # the line was cut back off
    monkeypatch.undo()
    await store.put("t", "new", {"id": "new"})  # and the store keeps working
    assert await store.find("t") == [*before, {"id": "new"}]
    await store.close()
    assert on_disk(tmp_path, "t") == [*before, {"id": "new"}]


async def test_a_failed_put_many_stores_none_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path, segment_size=4)
    before = list((await fill(store, 6)).values())
    fail_syscall(monkeypatch, "write")
    with pytest.raises(OSError, match="No space"):
        await store.put_many("t", [("k0", {"id": "k0", "v": "a"}), ("k5", {"id": "k5", "v": "b"})])
    assert await store.find("t") == before
    await store.close()
    assert on_disk(tmp_path, "t") == before


async def test_store_refuses_writes_when_the_journal_state_is_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path)
    await fill(store, 3)
    fail_syscall(monkeypatch, "fdatasync")
    fail_syscall(monkeypatch, "ftruncate")  # and the line cannot be cut back off either
    with pytest.raises(OSError, match="No space") as raised:
        await store.put("t", "k1", {"id": "k1", "v": "x"})
    assert "cutting" in " ".join(getattr(raised.value, "__notes__", []))
    monkeypatch.undo()
    with pytest.raises(StoreError, match="unusable"):
        await store.put("t", "k2", {"id": "k2"})
    await store.close()


async def test_a_failed_fold_keeps_the_journal_and_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await open_store(tmp_path, segment_size=4, journal_limit=500)
    renames = fail_syscall(monkeypatch, "replace")  # the first segment rename of the first fold
    model = await fill(store, 3)
    for i in range(40):
        model[f"n{i}"] = {"id": f"n{i}", "pad": "y" * 40}
        await store.put("t", f"n{i}", model[f"n{i}"])  # every write still succeeds
    await asyncio.sleep(0.1)
    assert renames  # a fold ran, and failed
    monkeypatch.undo()
    for i in range(40, 60):
        model[f"n{i}"] = {"id": f"n{i}", "pad": "y" * 40}
        await store.put("t", f"n{i}", model[f"n{i}"])
    await store.close()
    assert on_disk(tmp_path, "t") == list(model.values())
    assert not journal_files(tmp_path)
    reopened = await open_store(tmp_path)
    assert await reopened.find("t") == list(model.values())
    await reopened.close()


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


async def test_closing_right_after_a_new_journal_started_leaves_no_journal(
    tmp_path: Path,
) -> None:
    """The last write filled a journal: the next one is new and empty when the bot stops."""
    store = await open_store(tmp_path, journal_limit=300)
    first = store._journal.generation
    n = 0
    while store._journal.generation == first:  # until a write starts the next journal
        await store.put("t", f"k{n}", {"id": f"k{n}", "pad": "z" * 40})
        n += 1
    if store._folding is not None:  # the full one is folded in the background
        await store._folding
    await store.close()
    assert journal_files(tmp_path) == []
    reopened = await open_store(tmp_path)
    assert await reopened.count("t") == n
    await reopened.close()
