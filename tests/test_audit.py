"""The audit log: staff actions with who, what, which ticket and when; leads read it."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot import audit
from bot.__main__ import main
from bot.handlers.audit_hook import AUDITED, READ_ONLY, is_audited, target_of
from bot.handlers.commands import COMMANDS
from bot.models import Person
from bot.scheduler_jobs import stamp
from bot.storage import open_store
from tests.fakes import START, Harness
from tests.privacy_story import KEY, STAFF_TEXTS, live_through, story_harness


async def entries(h: Harness) -> list[dict[str, object]]:
    return await audit.latest(h.store, 1000)


async def test_changing_commands_are_recorded_with_who_what_target_and_when() -> None:
    h = await story_harness()
    await live_through(h)
    found = [(d["action"], d["target"], d["detail"]) for d in await entries(h)]
    assert found == [
        ("claim", "T-1001", ""),
        ("reply", "T-1001", ""),
        ("note", "T-1001", ""),
        ("flag", KEY, ""),
        ("followup", "T-1001", "3d"),
        ("ask", "T-1001", "billing"),
        ("resolve", "T-1001", ""),
    ]
    first = (await entries(h))[0]
    assert first["who"] == {"id": "demo", "name": "Demo Agent", "platform": "web"}
    assert first["at"] == stamp(START)
    ask = next(d for d in await entries(h) if d["action"] == "ask")
    assert ask["changed"] == ["R-301", "T-1001"]


async def test_no_message_or_note_text_is_copied_into_the_log() -> None:
    h = await story_harness()
    await live_through(h)
    logged = json.dumps(await entries(h))
    for text in STAFF_TEXTS:
        assert text not in logged
    assert "Quixotronic" not in logged


async def test_read_only_commands_are_not_recorded() -> None:
    h = await story_harness()
    await live_through(h)
    before = len(await entries(h))
    for name, args in [("help", ""), ("queue", ""), ("mine", ""), ("ticket", "T-1001")]:
        await h.command(name, args)
    for name, args in [("show", "C-1"), ("conversations", ""), ("gaps", ""), ("requests", "")]:
        await h.command(name, args)
    await h.command("request", "R-301")  # only shows the request
    await h.command("audit")
    assert len(await entries(h)) == before


async def test_a_claim_without_an_id_records_the_ticket_it_took() -> None:
    h = await story_harness()
    await h.say("My Quixotronic toaster hums the anthem")
    await h.click("pick_department", "technical")
    await h.command("claim")
    (entry,) = await entries(h)
    assert (entry["action"], entry["target"], entry["changed"]) == ("claim", "T-1001", ["T-1001"])


async def test_customers_trying_commands_leave_no_entries() -> None:
    h = await story_harness()
    await h.command("claim", "T-1", as_customer=True)
    assert await entries(h) == []


def test_every_command_is_classified() -> None:
    assert not AUDITED & READ_ONLY
    unclassified = sorted(set(COMMANDS) - AUDITED - READ_ONLY)
    assert unclassified == [], "add new commands to AUDITED or READ_ONLY in audit_hook.py"
    assert is_audited("something-new")  # unknown ones are recorded rather than missed


@pytest.mark.parametrize(
    ("command", "word", "target"),
    [
        ("note", "t1042", "T-1042"),
        ("hold", "10", ""),  # minutes, not a ticket
        ("reply", "3", "C-3"),
        ("reply", "c-3", "C-3"),
        ("hold", "R-311", "R-311"),
        ("flag", "slack:U0123", "slack:U0123"),
        ("note", "slack:U0123", ""),
        ("resolve", "Fixed", ""),
    ],
)
def test_targets_are_normalised(command: str, word: str, target: str) -> None:
    assert target_of(command, word) == target


async def test_audit_is_for_department_leads_only() -> None:
    h = await story_harness()
    await live_through(h)
    (shown,) = await h.command("audit", "3")  # demo is the senior contact of the departments
    lines = shown.splitlines()
    assert lines[0] == "Staff actions, latest 3:"
    assert lines[1:] == [
        "2026-11-23 09:00:00 UTC · Demo Agent (demo, web) · followup · T-1001 · 3d",
        "2026-11-23 09:00:00 UTC · Demo Agent (demo, web) · ask · T-1001 · changed R-301 · billing",
        "2026-11-23 09:00:00 UTC · Demo Agent (demo, web) · resolve · T-1001",
    ]
    await h.bot.services.staff.add("sam", "Sam Staff")
    h.staff = await h.bot.services.staff.by_person(Person("web", "sam"))
    assert await h.command("audit") == [
        "Sorry, the audit log is for department leads only. "
        "Please ask your team lead if you need something from it."
    ]


async def test_audit_takes_a_count_and_says_when_there_is_nothing() -> None:
    h = await story_harness()
    assert await h.command("audit") == ["No staff actions recorded yet."]
    assert await h.command("audit", "lots") == ["Usage: /audit [1-200]"]
    assert await h.command("audit", "0") == ["Usage: /audit [1-200]"]


async def test_latest_and_since_pick_the_newest_entries_oldest_first() -> None:
    h = Harness()
    actor = audit.Actor("sam", "Sam Staff", "web")
    for minutes in (30, 10, 20, 40):  # recorded out of order (an imported CLI entry, say)
        at = START + timedelta(minutes=minutes)
        await audit.record(h.store, audit.entry(actor, "note", at, f"T-{minutes}"))
    newest = await audit.latest(h.store, 2)
    assert [d["target"] for d in newest] == ["T-30", "T-40"]
    since = await audit.latest(h.store, 10, since=START + timedelta(minutes=15))
    assert [d["target"] for d in since] == ["T-20", "T-30", "T-40"]
    assert await audit.latest(h.store, 0) == []


def test_cli_audit_lists_since_a_date_up_to_a_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"

    async def fill() -> None:
        store = await open_store(root)
        actor = audit.Actor("sam", "Sam Staff", "web")
        for day in range(1, 6):
            at = START + timedelta(days=day)
            await audit.record(store, audit.entry(actor, "resolve", at, f"T-{day}"))
        await store.close()

    asyncio.run(fill())
    args = ["--env-file", "/nonexistent/.env", "audit", "--db-dir", str(root)]
    assert main([*args, "--since", "2026-11-26", "--limit", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2026-11-27 09:00:00 UTC · Sam Staff (sam, web) · resolve · T-4",
        "2026-11-28 09:00:00 UTC · Sam Staff (sam, web) · resolve · T-5",
    ]
    assert main([*args, "--since", "2030-01-01"]) == 0
    assert capsys.readouterr().out == "No audit entries since 2030-01-01 00:00 UTC.\n"
