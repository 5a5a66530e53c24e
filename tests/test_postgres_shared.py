"""What several processes share through one PostgreSQL database (issue 14), each process
played by its own PostgresStore (its own connections and sessions): jobs run once, locks hold
across them, numbers stay unique, and a TinyDB store's history moves in whole."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from bot.config import Settings
from bot.kb.live import LiveKnowledgeBase
from bot.limits import Rate, SharedBuckets
from bot.models import Address, Incoming, Person
from bot.ports import Span
from bot.scheduler import Job, Scheduler
from bot.storage import StoreError, open_configured, open_store, postgres_schema
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_admin import copy_store
from bot.storage.postgres_notify import PgBroadcast
from bot.storage.postgres_schema import latest
from bot.storage.postgres_span import span_clause
from bot.wiring import build_bot
from tests.fakes import FakeClock
from tests.postgres_db import fresh_database
from tests.test_kb_live import CARD, PASSWORD, write_kb


async def test_f3_a_due_job_runs_in_one_process_only() -> None:
    async with fresh_database() as url:
        stores = [await PostgresStore.open(url) for _ in range(3)]
        clock = FakeClock()
        ran: list[str] = []

        async def follow_up(job: Job) -> None:
            ran.append(job.key)
            await asyncio.sleep(0.05)  # long enough for the others to find it due too

        schedulers = [Scheduler(store, clock) for store in stores]
        for scheduler in schedulers:
            scheduler.on("follow_up", follow_up)
        due = clock.now() + timedelta(minutes=5)
        for number in range(4):
            await schedulers[0].schedule("follow_up", due, {"n": number}, key=f"f-{number}")
        clock.advance(minutes=6)
        done = await asyncio.gather(*(s.run_due() for s in schedulers))
        assert sum(done) == 4
        assert sorted(ran) == ["f-0", "f-1", "f-2", "f-3"]  # each once
        assert await schedulers[1].pending() == []
        for store in stores:
            await store.close()


async def test_a_lock_held_by_one_process_waits_the_other() -> None:
    async with fresh_database() as url:
        one, two = await PostgresStore.open(url), await PostgresStore.open(url)
        order: list[str] = []

        async def use(store: PostgresStore, name: str) -> None:
            async with store.locks().hold("web:c-1"):
                order.append(f"{name} in")
                await asyncio.sleep(0.05)
                order.append(f"{name} out")

        await asyncio.gather(use(one, "one"), use(two, "two"))
        assert order in (
            ["one in", "one out", "two in", "two out"],
            ["two in", "two out", "one in", "one out"],
        )
        await one.close()
        await two.close()


async def test_numbers_from_several_processes_are_unique() -> None:
    async with fresh_database() as url:
        stores = [await PostgresStore.open(url) for _ in range(3)]
        numbers = await asyncio.gather(
            *(stores[n % 3].next_number("ticket", start=1001) for n in range(90))
        )
        assert sorted(numbers) == list(range(1001, 1091))
        for store in stores:
            await store.close()


async def test_a_database_behind_the_code_is_refused_with_what_to_do() -> None:
    async with fresh_database(migrated=False) as url:
        with pytest.raises(
            StoreError, match=re.escape(f"schema version 0; this supportbot needs {latest()}. Run")
        ):
            await open_configured(Path("unused"), url)


async def test_time_spans_are_answered_from_an_index() -> None:
    async with fresh_database() as url:
        store = await PostgresStore.open(url)
        due = (f"2026-03-{day:02d}T09:00:00+00:00" for day in range(1, 29))
        await store.put_many("jobs", ((f"j{n}", {"due": at}) for n, at in enumerate(due)))
        clause, bounds = span_clause(Span("due", until="2026-03-03"))
        query = "EXPLAIN SELECT body FROM documents WHERE collection = %s" + clause
        async with await psycopg.AsyncConnection.connect(url) as conn:
            await conn.execute("SET enable_seqscan = off")  # a tiny table is read whole anyway
            plan = " ".join(
                row[0] for row in await (await conn.execute(query, ["jobs", *bounds])).fetchall()
            )
        assert "documents_by_due" in plan
        assert [
            d["due"][:10] for d in await store.find("jobs", span=Span("due", until="2026-03-03"))
        ] == ["2026-03-01", "2026-03-02"]
        await store.close()


async def test_an_unreachable_database_is_one_clear_error() -> None:
    url = "postgresql://nobody@127.0.0.1:9/none?connect_timeout=1"
    with pytest.raises(
        StoreError, match=re.escape("Cannot use the PostgreSQL database at 127.0.0.1:9/none")
    ):
        await open_configured(Path("unused"), url)


async def test_a_tinydb_history_is_copied_in_whole_and_only_into_an_empty_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny = await open_store(tmp_path / "db", 3)  # small segments: many files
    tickets = [
        (f"T-{n}", {"id": f"T-{n}", "status": "open" if n % 2 else "closed"}) for n in range(10)
    ]
    await tiny.put_many("tickets", tickets)
    await tiny.put("messages", "web:c#00000001", {"conversation": "web:c", "text": "Hej!"})
    for _ in range(1003):
        await tiny.next_number("ticket")
    await tiny.close()
    async with fresh_database() as url:
        assert await copy_store(tmp_path / "db", url) == 0
        assert "Copied 11 records" in capsys.readouterr().out
        copied = await PostgresStore.open(url)
        assert await copied.find("tickets") == [doc for _, doc in tickets]
        assert await copied.count("tickets", status="open") == 5
        assert await copied.get("messages", "web:c#00000001") == {
            "conversation": "web:c",
            "text": "Hej!",
        }
        assert await copied.next_number("ticket") == 1004  # numbering goes on, no reuse
        await copied.close()
        assert await copy_store(tmp_path / "db", url) == 1  # not over what is there now
        assert "already holds data" in capsys.readouterr().out


async def test_a_flood_limit_counts_every_process_alike() -> None:
    async with fresh_database() as url:
        one, two = await PostgresStore.open(url), await PostgresStore.open(url)
        rate = Rate(3, 1.0)  # three at once, then one a minute
        limits = [SharedBuckets("web-address", rate, store.token_buckets()) for store in (one, two)]
        waits = [await limits[n % 2].take("203.0.113.9") for n in range(5)]
        assert waits[:3] == [0.0, 0.0, 0.0]
        assert all(50 <= wait <= 60 for wait in waits[3:])  # the fourth waits for a minute
        assert await limits[1].wait("203.0.113.9") > 0  # looking takes nothing
        assert await limits[0].take("198.51.100.7") == 0.0  # another client is not limited
        await one.close()
        await two.close()


async def test_c3_a_chat_flood_spread_over_two_processes_is_limited_and_told_once() -> None:
    async with fresh_database() as url:
        one, two = await PostgresStore.open(url), await PostgresStore.open(url)
        settings = Settings(limit_chat_user=Rate(3, 1.0))
        bots = [build_bot(settings, store, FakeClock()) for store in (one, two)]
        flooder, where = Person("slack", "U-RUSH", "Rasmus"), Address("slack", "D-RUSH")
        answers = []
        for n in range(8):  # Slack spreads the events over both processes
            text = f"hej, jeg har brug for hjælp nu {n}"
            answers.append(await bots[n % 2].dispatch(Incoming.message(flooder, where, text)))
        slow_down = [[bots[0].services.catalog.text("da", "chat_too_fast")]]
        assert all(answers[:3])  # three at once go through, whichever process takes them
        assert [[r.text for r in a] for a in answers[3:4]] == slow_down  # told once
        assert answers[4:] == [[]] * 4  # the rest refused in silence, on either process
        customer_lines = [
            m for m in await bots[1].services.transcript.after(where.key, 0) if m.role == "customer"
        ]
        assert len(customer_lines) == 3  # nothing of the flood was stored
        await one.close()
        await two.close()


async def test_a_knowledge_base_reload_reaches_the_other_processes(tmp_path: Path) -> None:
    write_kb(tmp_path, CARD)
    async with fresh_database() as url:
        stores = [await PostgresStore.open(url) for _ in range(2)]
        kbs = [await LiveKnowledgeBase.open(tmp_path, frozenset()) for _ in stores]
        for kb, store in zip(kbs, stores, strict=True):
            broadcast = store.broadcast()
            assert isinstance(broadcast, PgBroadcast)
            kb.share_reloads(broadcast)
            await asyncio.wait_for(broadcast.ready.wait(), 10)
        write_kb(tmp_path, CARD, PASSWORD)  # a publication, or an edit and /reload, on one
        assert await kbs[0].reload() == []
        for _ in range(100):  # no watcher runs here: only the note can bring it over
            if kbs[1].entry("reset-password") is not None:
                break
            await asyncio.sleep(0.05)
        assert kbs[1].lookup("How do I reset my password", "en").entry_id == "reset-password"
        await asyncio.sleep(0.3)
        assert [kb.version for kb in kbs] == [2, 2]  # each reloaded once: the notes die out
        for store in stores:
            await store.close()


async def test_claims_are_forgotten_after_a_day_and_old_counter_claims_move_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every = postgres_schema.migrations()
    async with (
        fresh_database(migrated=False) as url,
        await psycopg.AsyncConnection.connect(url, autocommit=True) as conn,
    ):
        monkeypatch.setattr(postgres_schema, "migrations", lambda: every[:5])
        await postgres_schema.migrate(conn)  # a database from before claims
        await conn.execute("INSERT INTO counters VALUES ('seen:slack:Ev0', 1), ('ticket', 1)")
        monkeypatch.undo()
        assert [m.version for m in await postgres_schema.migrate(conn)] == [6]
        store = await PostgresStore.open(url)
        try:
            assert await store.claim("seen:slack:Ev0") is False  # claimed before the move
            assert await store.next_number("ticket") == 2
            assert await store.claim("seen:slack:Ev1") is True
            await conn.execute("UPDATE claims SET at = now() - interval '2 days'")
            assert await store.claim("seen:slack:Ev1") is True  # a day later: new again
            assert await store.claim("seen:slack:Ev1") is False
        finally:
            await store.close()
