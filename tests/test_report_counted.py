"""Reports counted in SQL on PostgreSQL say what reports measured in Python say (G3, G4).

The bot stores each ticket's facts as the ticket changes; PostgreSQL keeps them as a typed
table and counts a report over them. Real flows and a generated history are reported both
ways, and the two reports must be equal figure for figure."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from benchmarks.history import generate_history
from bot.departments import Department, load_departments
from bot.goals import parse_goals
from bot.hours import parse_hours
from bot.kb.entries import Entry
from bot.kb.loader import load_kb
from bot.models import Doc
from bot.ports import Store
from bot.reports.build import Records, Window, build_report, touched_since
from bot.reports.render import to_json_data
from bot.reports.sources import records_of, tickets_since
from bot.reports.stored import count_report, settle_facts
from bot.storage import MemoryStore, report_counter
from bot.storage.postgres import PostgresStore
from bot.tickets.facts_store import TICKET_FACTS
from tests.fakes import START
from tests.postgres_db import fresh_database
from tests.requests_rig import PIA, WEB_BEA, Rig
from tests.test_reports import ticket_for

DATA = Path(__file__).resolve().parents[1] / "data"
DAY = Window(START - timedelta(hours=1), START + timedelta(days=1))


@pytest.fixture
async def postgres() -> AsyncIterator[PostgresStore]:
    async with fresh_database() as url:
        store = await PostgresStore.open(url)
        yield store
        await store.close()


async def counted(
    store: Store,
    departments: dict[str, Department],
    entries: tuple[Entry, ...],
    window: Window,
    now: datetime,
    department: str = "",
) -> dict[str, Any]:
    """The report as `supportbot report` counts it on PostgreSQL, as JSON data."""
    counter = report_counter(store)
    assert counter is not None
    report = await count_report(store, counter, departments, entries, window, department, now)
    return to_json_data(report)


def measured(records: Records, window: Window, department: str = "") -> dict[str, Any]:
    return to_json_data(build_report(records, window, department))


async def real_flows(rig: Rig) -> None:
    """Closed and rated, still open, on hold right now, a request past its first deadline."""
    t1 = await ticket_for(rig, rig.h, claim_after=2, answer_after=4)
    rig.clock.advance(minutes=26)
    await rig.run(WEB_BEA, "resolve", f"{t1} Refund booked")
    await rig.h.click("solved_yes", t1)
    await rig.h.click("rate", f"{t1}:4")
    await rig.h.say("Fine, though it took a while to find the right person")
    bob = rig.h.another_customer("Bob")
    t2 = await ticket_for(rig, bob, claim_after=5, answer_after=10)
    await rig.run(WEB_BEA, "hold", f"{t2} 30 asking the warehouse")
    await bob.click("hold_ok", t2)
    await rig.run(PIA, "request", "billing Credit note for order 5512")
    await rig.tick(hours=3)


async def test_g3_g4_real_flows_counted_in_sql_equal_the_python_report(
    postgres: PostgresStore,
) -> None:
    rig = Rig(store=postgres)
    services = rig.bot.services
    billing = services.departments["billing"]
    goals = parse_goals({"first_response": "80% within 5m", "resolution": "50% within 1h"})
    services.with_departments({**services.departments, "billing": replace(billing, goals=goals)})
    await real_flows(rig)
    now = rig.clock.now()
    ours = await counted(postgres, services.departments, (), DAY, now)
    assert ours == measured(await records_of(services, DAY.since, now), DAY)
    assert ours["total"]["holds"] == 1  # the running hold, measured up to now
    (section,) = [d for d in ours["departments"] if d["id"] == "billing"]
    # First responses after 4 and 10 minutes: half within 5 minutes, not 80 %; one resolution,
    # within the hour.
    assert [(g["actual"], g["met"]) for g in section["goals"]] == [
        ("50% within", False),
        ("100% within", True),
    ]
    only = await counted(postgres, services.departments, (), DAY, now, "billing")
    assert only == measured(await records_of(services, DAY.since, now), DAY, "billing")


async def test_a_hold_still_running_is_measured_again_as_of_the_report(
    postgres: PostgresStore,
) -> None:
    rig = Rig(store=postgres)
    await real_flows(rig)
    facts = await postgres.find(TICKET_FACTS)
    assert [f["final"] for f in facts] == [True, False, False]  # closed; on hold; deadline ahead
    rig.clock.advance(minutes=20)
    later = await counted(postgres, rig.bot.services.departments, (), DAY, rig.clock.now())
    records = await records_of(rig.bot.services, DAY.since, rig.clock.now())
    assert later == measured(records, DAY)


def sample_config() -> tuple[dict[str, Department], tuple[Entry, ...]]:
    departments = load_departments(DATA)
    return departments, load_kb(DATA / "kb", frozenset(departments)).entries


def without_topics(data: dict[str, Any]) -> dict[str, Any]:
    """The generated history is stored out of opening order, and the topics grouped are the
    latest opened (Python takes them in stored order): compare how many, not which first."""
    topics = data.pop("recurring_topics")
    data["topic_counts"] = Counter(t["count"] for t in topics)
    return data


async def copies(postgres: PostgresStore, tickets: int) -> MemoryStore:
    """The same generated history on PostgreSQL and in memory."""
    await generate_history(postgres, tickets, start=datetime(2026, 1, 5, 8, tzinfo=UTC), days=90)
    memory = MemoryStore()
    for collection in ("tickets", "kb_lookups"):
        await memory.put_many(
            collection,
            [(d["id"] if "id" in d else key(d), d) for d in await postgres.find(collection)],
        )
    return memory


def key(doc: Doc) -> str:
    return f"{doc['conversation']}#{doc['seq']}"


@pytest.mark.parametrize(
    ("since", "until", "department"),
    [
        (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC), ""),
        (datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC), ""),
        (datetime(2026, 1, 20, tzinfo=UTC), datetime(2026, 2, 20, tzinfo=UTC), "billing"),
    ],
)
async def test_g3_a_generated_history_counted_in_sql_equals_the_python_report(
    postgres: PostgresStore, since: datetime, until: datetime, department: str
) -> None:
    memory = await copies(postgres, 600)
    departments, entries = sample_config()
    now = datetime(2026, 12, 7, tzinfo=UTC)
    window = Window(since, until)
    ours = await counted(postgres, departments, entries, window, now, department)
    records = Records(
        tickets=await memory.find("tickets"),
        lookups=await memory.find("kb_lookups"),
        departments=departments,
        hours={d.id: parse_hours(d.hours) for d in departments.values() if d.hours},
        entry_department={e.id: e.department for e in entries}.get,  # type: ignore[arg-type]
        now=now,
    )
    assert without_topics(ours) == without_topics(measured(records, window, department))
    assert ours["total"]["tickets_opened"] + ours["total"]["requests_opened"] > 0


async def test_an_older_store_is_measured_once_then_only_what_is_unsettled(
    postgres: PostgresStore,
) -> None:
    await generate_history(postgres, 200, days=30)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert await settle_facts(postgres, {}, now, since) == 200  # none had facts
    assert await postgres.count(TICKET_FACTS) == 200
    assert await settle_facts(postgres, {}, now, since) == 0  # all settled, nothing measured


async def test_the_typed_facts_follow_their_documents(postgres: PostgresStore) -> None:
    rig = Rig(store=postgres)
    await real_flows(rig)
    rows = await postgres._rows("SELECT key, request FROM ticket_facts ORDER BY position", ())
    assert rows == [("T-1001", False), ("T-1002", False), ("R-301", True)]
    await postgres.delete(TICKET_FACTS, "T-1002")
    broken = {**(await postgres.get(TICKET_FACTS, "T-1001") or {}), "opened_at": "soon"}
    await postgres.put(TICKET_FACTS, "T-1001", broken)  # not facts: the write still lands
    assert await postgres.get(TICKET_FACTS, "T-1001") == broken
    rows = await postgres._rows("SELECT key FROM ticket_facts", ())
    assert rows == [("R-301",)]  # deleted and unreadable facts are not counted


@pytest.mark.parametrize("engine", ["memory", "postgresql"])
async def test_live_reports_read_only_the_tickets_of_their_period(
    postgres: PostgresStore, engine: str
) -> None:
    """Opened since, or opened before and closed since: the same tickets as reading them all,
    through the opening-time index and the stored facts."""
    store: Store = postgres if engine == "postgresql" else MemoryStore()
    await generate_history(store, 400, days=60)
    long_open = {  # opened weeks before the period, closed in it
        **(await store.find("tickets"))[0],
        "id": "T-9001",
        "opened_at": "2026-01-10T09:00:00+00:00",
        "history": [
            {"what": "opened", "at": "2026-01-10T09:00:00+00:00"},
            {"what": "closed", "at": "2026-02-15T10:00:00+00:00", "by": "Agent"},
        ],
    }
    await store.put("tickets", "T-9001", long_open)
    since = datetime(2026, 2, 1, tzinfo=UTC)
    everything = await store.find("tickets")
    expected = sorted(d["id"] for d in everything if touched_since(d, since))
    assert sorted(d["id"] for d in await tickets_since(store, since)) == expected  # no facts
    await settle_facts(
        store, {}, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
    )
    found = await tickets_since(store, since)
    assert sorted(d["id"] for d in found) == expected
    assert "T-9001" in {d["id"] for d in found}
