"""The Store contract, run against MemoryStore, TinyDBStore and PostgresStore alike."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from bot.models import Doc
from bot.ports import Span, Store
from bot.storage import MemoryStore, StoreError, open_configured, open_store
from tests.postgres_db import fresh_database


@pytest.fixture(params=["memory", "tinydb", "tinydb_tiny_segments", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    made: Store
    if request.param == "postgresql":
        async with fresh_database() as url:
            made = await open_configured(tmp_path, url)
            yield made
            await made.close()
        return
    if request.param == "memory":
        made = MemoryStore()
    else:
        made = await open_store(tmp_path / "db", 3 if request.param.endswith("segments") else 256)
    yield made
    await made.close()


def ids(docs: list[Doc]) -> list[str]:
    return [doc["id"] for doc in docs]


async def test_unknown_collection_reads_are_empty(store: Store) -> None:
    assert await store.get("nothing", "k") is None
    assert await store.find("nothing") == []
    assert await store.find("nothing", status="open") == []
    assert await store.count("nothing") == 0
    assert await store.delete("nothing", "k") is False


async def test_put_get_replace_delete(store: Store) -> None:
    await store.put("tickets", "a", {"id": "a", "status": "open"})
    assert await store.get("tickets", "a") == {"id": "a", "status": "open"}
    await store.put("tickets", "a", {"id": "a", "status": "closed"})
    assert await store.get("tickets", "a") == {"id": "a", "status": "closed"}
    assert await store.count("tickets") == 1
    assert await store.delete("tickets", "a") is True
    assert await store.delete("tickets", "a") is False
    assert await store.get("tickets", "a") is None
    assert await store.get("other", "a") is None


async def test_documents_are_copied_in_and_out(store: Store) -> None:
    doc: Doc = {"id": "a", "history": [{"event": "opened"}]}
    await store.put("tickets", "a", doc)
    doc["history"][0]["event"] = "changed outside"
    doc["id"] = "b"
    got = await store.get("tickets", "a")
    assert got == {"id": "a", "history": [{"event": "opened"}]}
    assert got is not None
    got["history"].append("mutated")
    (found,) = await store.find("tickets", id="a")
    found["history"][0]["event"] = "mutated"
    assert await store.get("tickets", "a") == {"id": "a", "history": [{"event": "opened"}]}


async def test_find_by_equality_and_where(store: Store) -> None:
    rows = [("a", "open", "en"), ("b", "closed", "en"), ("c", "open", "de"), ("d", "open", "en")]
    for key, status, language in rows:
        await store.put("tickets", key, {"id": key, "status": status, "language": language})
    await store.put("tickets", "e", {"id": "e"})  # no status field at all
    assert ids(await store.find("tickets", status="open")) == ["a", "c", "d"]
    assert ids(await store.find("tickets", status="open", language="en")) == ["a", "d"]
    assert ids(await store.find("tickets", where=lambda d: d["id"] > "b")) == ["c", "d", "e"]
    assert ids(await store.find("tickets", lambda d: d["language"] == "de", status="open")) == ["c"]
    assert await store.find("tickets", status=None) == []  # a missing field is not None
    assert await store.find("tickets", status="pending") == []
    assert await store.count("tickets", status="open") == 3
    assert await store.count("tickets", status="open", language="de") == 1


async def test_find_within_a_span_of_stamps(store: Store) -> None:
    stamps = {
        "a": "2026-03-01T09:00:00+00:00",
        "b": "2026-03-01T09:00:00.250000+00:00",  # a fraction sorts after the whole second
        "c": "2026-03-02T00:00:00+00:00",
        "d": "2026-04-01T12:30:00+00:00",
    }
    for key, due in stamps.items():
        await store.put(
            "jobs", key, {"id": key, "due": due, "kind": "hold" if key < "c" else "sla"}
        )
    await store.put("jobs", "e", {"id": "e", "due": 20260301})  # not text: never in a span
    await store.put("jobs", "f", {"id": "f"})  # no such field: never in a span

    def within(since: str | None = None, until: str | None = None) -> Span:
        return Span("due", since, until)

    assert ids(await store.find("jobs", span=within())) == ["a", "b", "c", "d"]
    assert ids(await store.find("jobs", span=within(until=stamps["b"]))) == ["a", "b"]  # included
    assert ids(await store.find("jobs", span=within(since=stamps["b"]))) == ["b", "c", "d"]
    assert ids(await store.find("jobs", span=within("2026-03-01T12", "2026-03-31"))) == ["c"]
    assert ids(await store.find("jobs", span=within(until="2026-03-02"), kind="hold")) == ["a", "b"]
    late = await store.find("jobs", lambda d: d["id"] != "d", span=within(since="2026-03-02"))
    assert ids(late) == ["c"]
    assert await store.find("jobs", span=within(since="2027")) == []


async def test_span_order_is_by_character_in_every_store(store: Store) -> None:
    # Byte order of UTF-8 is code point order: a database collation must not reorder.
    for key, word in {"a": "Zebra", "b": "apple", "c": "Äpfel", "d": "éclair"}.items():
        await store.put("words", key, {"id": key, "word": word})
    assert ids(await store.find("words", span=Span("word", since="a"))) == ["b", "c", "d"]
    assert ids(await store.find("words", span=Span("word", until="Z~"))) == ["a"]


@pytest.mark.parametrize("field", ["", "due'; DROP TABLE documents; --", "a b", "1st", "é"])
def test_a_span_names_a_plain_field(field: str) -> None:
    with pytest.raises(ValueError, match="plain name"):
        Span(field, since="2026")


async def test_find_by_list_and_number_values(store: Store) -> None:
    await store.put("t", "a", {"id": "a", "tags": ["x", "y"], "n": 2})
    await store.put("t", "b", {"id": "b", "tags": ["y"], "n": 2.5})
    assert ids(await store.find("t", tags=["x", "y"])) == ["a"]
    assert await store.count("t", tags=["y"]) == 1
    assert ids(await store.find("t", n=2.0)) == ["a"]
    assert await store.find("t", tags={"x"}) == []


async def test_insertion_order_is_kept(store: Store) -> None:
    for key in "abcd":
        await store.put("t", key, {"id": key, "status": "open"})
    await store.put("t", "b", {"id": "b", "status": "closed"})  # replacing keeps its place
    await store.put("t", "b", {"id": "b", "status": "open"})
    assert ids(await store.find("t")) == ["a", "b", "c", "d"]
    assert ids(await store.find("t", status="open")) == ["a", "b", "c", "d"]
    await store.delete("t", "a")
    await store.put("t", "a", {"id": "a", "status": "open"})  # a new insertion goes last
    assert ids(await store.find("t", status="open")) == ["b", "c", "d", "a"]


async def test_indexes_follow_updates_and_deletes(store: Store) -> None:
    for i in range(20):
        await store.put("m", f"k{i}", {"id": f"k{i}", "conversation": f"c{i % 3}"})
    assert await store.count("m", conversation="c0") == 7
    await store.put("m", "k0", {"id": "k0", "conversation": "c1"})
    await store.delete("m", "k3")
    await store.put("m", "k4", {"id": "k4"})
    assert ids(await store.find("m", conversation="c0")) == ["k6", "k9", "k12", "k15", "k18"]
    assert ids(await store.find("m", conversation="c1"))[:3] == ["k0", "k1", "k7"]
    assert await store.count("m", conversation="c1") == 7


BAD_NAMES = ["", "Tickets", "1st", "_counters", "a-b", "a" * 42, "ü"]


@pytest.mark.parametrize("name", BAD_NAMES)
async def test_invalid_collection_names_are_rejected(store: Store, name: str) -> None:
    with pytest.raises(ValueError, match="collection name"):
        await store.put(name, "k", {})
    with pytest.raises(ValueError, match="collection name"):
        await store.find(name)


@pytest.mark.parametrize(
    ("key", "error"), [("", ValueError), ("k" * 201, ValueError), (7, TypeError)]
)
async def test_invalid_keys_are_rejected(store: Store, key: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="tickets"):
        await store.put("tickets", key, {"id": "x"})
    assert await store.count("tickets") == 0
    await store.put("tickets", "k" * 200, {"id": "long"})  # the limit itself is fine
    assert await store.get("tickets", "k" * 200) == {"id": "long"}


class Color(StrEnum):
    RED = "red"


BAD_DOCS: list[tuple[Any, type[Exception], str]] = [
    (["not", "a", "dict"], TypeError, "must be a dict"),
    ({"at": datetime(2024, 1, 1, tzinfo=UTC)}, TypeError, "datetime at at"),
    ({"tags": {"x"}}, TypeError, "set at tags"),
    ({"h": [{"ok": 1}, {"n": math.nan}]}, ValueError, r"non-finite number nan at h\[1\].n"),
    ({"by_id": {1: "x"}}, TypeError, "non-string field name 1 at by_id"),
    ({"o": object()}, TypeError, "object at o"),
]


@pytest.mark.parametrize(("doc", "error", "message"), BAD_DOCS)
async def test_invalid_documents_are_rejected_before_writing(
    store: Store, doc: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"tickets/t-1: .*{message}"):
        await store.put("tickets", "t-1", doc)
    with pytest.raises(error, match="tickets/t-2"):
        await store.put_many("tickets", [("t-0", {"id": "t-0"}), ("t-2", doc)])
    assert await store.count("tickets") == 0  # nothing of the batch was written


async def test_values_are_normalised_to_plain_json(store: Store) -> None:
    await store.put("t", "a", {"color": Color.RED, "pair": (1, 2), "flag": True, "none": None})
    got = await store.get("t", "a")
    assert got == {"color": "red", "pair": [1, 2], "flag": True, "none": None}
    assert got is not None
    assert type(got["color"]) is str


async def test_next_number_is_atomic_under_concurrency(store: Store) -> None:
    numbers = await asyncio.gather(*(store.next_number("tickets") for _ in range(200)))
    assert sorted(numbers) == list(range(1, 201))
    assert await store.next_number("other", start=1000) == 1000
    assert await store.next_number("other", start=5) == 1001
    assert await store.next_number("tickets") == 201


async def test_concurrent_puts_all_land(store: Store) -> None:
    await asyncio.gather(*(store.put("t", f"k{i}", {"id": f"k{i}"}) for i in range(50)))
    assert ids(await store.find("t")) == [f"k{i}" for i in range(50)]


async def test_put_many_inserts_and_replaces(store: Store) -> None:
    await store.put("t", "b", {"id": "b", "v": 0})
    await store.put_many("t", [("a", {"id": "a", "v": 1}), ("b", {"id": "b", "v": 2})])
    await store.put_many("t", [("c", {"id": "c", "v": 3}), ("c", {"id": "c", "v": 4})])
    await store.put_many("t", [])
    assert [(d["id"], d["v"]) for d in await store.find("t")] == [("b", 2), ("a", 1), ("c", 4)]


async def test_put_together_writes_every_collection(store: Store) -> None:
    await store.put("tickets", "T-1", {"id": "T-1", "status": "open"})
    await store.put_together(
        [
            ("tickets", "T-1", {"id": "T-1", "status": "closed"}),
            ("ticket_facts", "T-1", {"id": "T-1", "final": True}),
            ("tickets", "T-2", {"id": "T-2", "status": "open"}),
            ("tickets", "T-2", {"id": "T-2", "status": "claimed"}),  # the last one counts
        ]
    )
    await store.put_together([])
    assert [(d["id"], d["status"]) for d in await store.find("tickets")] == [
        ("T-1", "closed"),
        ("T-2", "claimed"),
    ]
    assert await store.get("ticket_facts", "T-1") == {"id": "T-1", "final": True}


async def test_put_together_refuses_all_when_one_is_invalid(store: Store) -> None:
    with pytest.raises((TypeError, ValueError)):
        await store.put_together(
            [("tickets", "T-1", {"id": "T-1"}), ("ticket_facts", "T-1", {"bad": {1, 2}})]
        )
    assert await store.get("tickets", "T-1") is None
    assert await store.count("ticket_facts") == 0


async def test_put_together_concurrent_with_puts(store: Store) -> None:
    writes = [
        store.put_together([("a", f"k{i}", {"n": i}), ("b", f"k{i}", {"n": i})]) for i in range(20)
    ]
    await asyncio.gather(*writes, *(store.put("a", f"p{i}", {"n": i}) for i in range(20)))
    assert await store.count("a") == 40
    assert [d["n"] for d in await store.find("b")] == list(range(20))


async def test_a_name_is_claimed_once(store: Store) -> None:
    claims = await asyncio.gather(*(store.claim("seen:slack:Ev1") for _ in range(5)))
    assert sorted(claims) == [False, False, False, False, True]
    assert await store.claim("seen:slack:Ev1") is False
    assert await store.claim("seen:slack:Ev2") is True
    with pytest.raises(ValueError, match="characters"):
        await store.claim("")


async def test_many_records_across_segments(store: Store) -> None:
    model: dict[str, Doc] = {f"k{i}": {"id": f"k{i}", "v": i, "odd": i % 2} for i in range(1000)}
    await store.put_many("t", list(model.items())[:600])
    for key, doc in list(model.items())[600:]:
        await store.put("t", key, doc)
    for i in range(0, 1000, 7):  # updates in old segments
        model[f"k{i}"] = {"id": f"k{i}", "v": -i, "odd": i % 2}
        await store.put("t", f"k{i}", model[f"k{i}"])
    for i in range(3, 1000, 11):  # deletes in old segments
        del model[f"k{i}"]
        assert await store.delete("t", f"k{i}")
    assert await store.find("t") == list(model.values())
    assert await store.find("t", odd=1) == [d for d in model.values() if d["odd"] == 1]
    assert await store.count("t") == len(model)


async def test_writes_after_close_are_refused(store: Store) -> None:
    await store.put("t", "a", {"id": "a"})
    await store.close()
    with pytest.raises(StoreError, match="closed"):
        await store.put("t", "b", {"id": "b"})
    if isinstance(store, MemoryStore):  # the files' copy stays readable in memory
        assert await store.get("t", "a") == {"id": "a"}


async def test_equality_lookups_do_not_scan_the_collection() -> None:
    # The engine is shared, so MemoryStore stands for both stores here (and is quick to fill).
    store = MemoryStore()
    docs = ((f"m{i}", {"conversation": f"c{i % 10_000}", "n": i}) for i in range(40_000))
    await store.put_many("messages", docs)
    assert len(await store.find("messages", conversation="c7")) == 4  # builds the index
    start = time.perf_counter()
    await store.find("messages", where=lambda d: d["conversation"] == "c7")
    one_scan = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(500):
        assert len(await store.find("messages", conversation=f"c{i}")) == 4
    # 500 scans would take ~500 x one_scan; an index makes all 500 cheaper than a few scans.
    assert time.perf_counter() - start < 20 * one_scan
