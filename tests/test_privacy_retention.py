"""Retention: closed conversations idle for the period are anonymised; reports still add up."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot import audit
from bot.__main__ import main
from bot.config import ConfigError, Settings
from bot.models import Doc
from bot.privacy import retention_job as retention
from bot.privacy.anonymise import MARKER
from bot.privacy.retention import run_retention
from bot.privacy.retention_job import start_retention
from bot.storage import open_store
from bot.tickets.facts_store import TICKET_FACTS
from tests.fakes import Harness
from tests.privacy_story import NAME, story_harness


async def closed_ticket(h: Harness, problem: str, stars: str = "4") -> str:
    """Question, handoff, claim, a reply five minutes later, resolve, confirm, rate, comment."""
    await h.say(problem)
    if ("Technical support", "pick_department", "technical") in h.buttons():
        await h.click("pick_department", "technical")
    ticket = (await h.conversation()).ticket
    await h.command("claim", ticket)
    h.clock.advance(minutes=5)
    await h.command("reply", f"{ticket} Looking into your {problem[:12]} now")
    await h.say("thanks, it is the blue one")
    h.clock.advance(minutes=30)
    await h.command("resolve", f"{ticket} Sorted out the {problem[:12]}")
    await h.click("solved_yes", ticket)
    await h.click("rate", f"{ticket}:{stars}")
    await h.say(f"Great help with the {problem[:12]}")
    return ticket


async def history() -> tuple[Harness, dict[str, Harness]]:
    """Five conversations a year and a half ago or now, in every state retention cares about."""
    h = await story_harness()
    people = {
        "closed": h,
        "faq only": h.another_customer("Ophelia Faqsworth"),
        "waiting": h.another_customer("Waldo Stillwaiting"),
        "follow-up": h.another_customer("Fiona Followup"),
    }
    await closed_ticket(h, "My Quixotronic toaster hums the anthem")
    await people["faq only"].say("When will my card arrive?")
    await people["faq only"].click("kb_yes", "card-arrival")
    await people["waiting"].say("My Gromulator vacuum eats socks")
    await people["waiting"].click("pick_department", "technical")
    ticket = await closed_ticket(people["follow-up"], "My Flumph speaker wobbles", "2")
    await people["follow-up"].command("followup", f"{ticket} 600d How is the Flumph doing?")
    h.clock.advance(days=540)
    people["recent"] = h.another_customer("Rita Recent")
    await closed_ticket(people["recent"], "My Zorblex lamp flickers", "5")
    return h, people


def figures(tickets: list[Doc], lookups: list[Doc], messages: list[Doc]) -> dict[str, Any]:
    """What reports compute: counts, ratings, first-response and resolution times, verdicts."""

    def seconds(ticket: Doc, what: str) -> float | None:
        at = next((e["at"] for e in ticket["history"] if e["what"] == what), None)
        opened = datetime.fromisoformat(ticket["opened_at"])
        return (datetime.fromisoformat(at) - opened).total_seconds() if at else None

    return {
        "closed": sum(t["status"] == "closed" for t in tickets),
        "by status": Counter((t["kind"], t["status"], t["department"]) for t in tickets),
        "ratings": sorted(t["rating"] for t in tickets if t["rating"]),
        "first response s": sorted(s for t in tickets if (s := seconds(t, "first response"))),
        "resolution s": sorted(s for t in tickets if (s := seconds(t, "resolved"))),
        "events": sorted((e["what"], e["at"], e["by"]) for t in tickets for e in t["history"]),
        "languages": Counter(t["language"] for t in tickets),
        "answers": Counter((d["entry_id"], d["outcome"], d["helpful"]) for d in lookups),
        "messages": sorted((m["conversation"], m["seq"], m["role"], m["at"]) for m in messages),
    }


async def all_figures(h: Harness) -> dict[str, Any]:
    store = h.store
    found = [await store.find(c) for c in ("tickets", "kb_lookups", "messages")]
    return figures(*found)


async def transcript_of(person: Harness) -> list[str]:
    return [m.text for m in await person.transcript()]


async def test_old_closed_conversations_are_anonymised_and_the_rest_kept() -> None:
    h, people = await history()
    kept = {who: await transcript_of(p) for who, p in people.items()}

    done = await run_retention(h.bot.services)

    assert (done.conversations, done.skipped) == (2, 2)  # closed + faq only; waiting, follow-up
    for who in ("closed", "faq only"):
        texts = await transcript_of(people[who])
        assert set(texts) == {MARKER}, who
        conv = await people[who].conversation()
        assert (conv.name, conv.customer.name, conv.topic, conv.last_text) == ("", "", "", "")
        assert conv.anonymised == h.clock.now().isoformat()
    for who in ("waiting", "follow-up", "recent"):
        assert await transcript_of(people[who]) == kept[who], who
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert (ticket.topic, ticket.comment, ticket.customer.name, ticket.rating) == ("", "", "", 4)
    facts = await h.store.get(TICKET_FACTS, "T-1001")
    assert facts is not None
    assert (facts["topic"], facts["comment"], facts["rating"]) == ("", "", 4)
    assert {e.note for e in ticket.history} == {""}
    lookups = await h.store.find("kb_lookups", conversation=people["faq only"].address.key)
    assert [(d["text"], d["entry_id"], d["helpful"]) for d in lookups] == [
        ("", "card-arrival", True)
    ]
    assert NAME not in str(await h.store.find("conversations"))


async def test_reports_compute_the_same_figures_before_and_after() -> None:
    h, _ = await history()
    before = await all_figures(h)
    assert before["closed"] == 3
    assert before["first response s"] == [300.0, 300.0, 300.0]

    await run_retention(h.bot.services)

    assert await all_figures(h) == before


async def test_a_second_run_changes_nothing_and_zero_days_means_keep_forever() -> None:
    h, people = await history()
    off = await run_retention(h.bot.services, days=0)
    assert off.conversations == 0
    assert MARKER not in await transcript_of(people["closed"])
    await run_retention(h.bot.services)
    again = await run_retention(h.bot.services)
    assert again.conversations == 0


async def test_a_customer_who_writes_again_continues_and_is_anonymised_again_later() -> None:
    h, _ = await history()
    await run_retention(h.bot.services)
    await h.say("When will my card arrive?")
    assert (await transcript_of(h))[-1] != MARKER
    h.clock.advance(days=400)
    done = await run_retention(h.bot.services)
    assert done.conversations >= 1
    assert set(await transcript_of(h)) == {MARKER}


async def test_the_daily_job_starts_after_start_up_and_books_the_next_day() -> None:
    h, people = await history()
    scheduler = h.bot.services.scheduler
    await start_retention(h.bot.services)
    await start_retention(h.bot.services)  # a restart does not book a second one
    (job,) = await scheduler.pending(retention.JOB_KIND)
    assert job.due == h.clock.now() + retention.FIRST_RUN

    h.clock.advance(minutes=2)
    await scheduler.run_due()

    assert set(await transcript_of(people["closed"])) == {MARKER}
    (job,) = await scheduler.pending(retention.JOB_KIND)
    assert job.due == h.clock.now() + retention.EVERY


async def test_the_job_works_in_slices_and_comes_back_soon_for_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h, people = await history()
    monkeypatch.setattr(retention, "SLICE", 1)
    await start_retention(h.bot.services)
    h.clock.advance(minutes=2)
    await h.bot.services.scheduler.run_due()
    anonymised = [MARKER in await transcript_of(people[w]) for w in ("closed", "faq only")]
    assert sorted(anonymised) == [False, True]
    (job,) = await h.bot.services.scheduler.pending(retention.JOB_KIND)
    assert job.due == h.clock.now() + retention.NEXT_SLICE
    h.clock.advance(minutes=2)
    await h.bot.services.scheduler.run_due()
    assert all([MARKER in await transcript_of(people[w]) for w in ("closed", "faq only")])


def test_the_setting_is_read_and_checked() -> None:
    assert Settings().retention_days == 365
    assert Settings.from_env({"SUPPORTBOT_RETENTION_DAYS": "30"}).retention_days == 30
    assert Settings.from_env({"SUPPORTBOT_RETENTION_DAYS": "0"}).retention_days == 0
    with pytest.raises(ConfigError, match="SUPPORTBOT_RETENTION_DAYS must be a whole number"):
        Settings.from_env({"SUPPORTBOT_RETENTION_DAYS": "a year"})


def test_cli_retention_run_anonymises_now_and_is_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"

    async def fill() -> None:
        store = await open_store(root)
        h = await story_harness(store)
        h.clock.advance(days=-800)  # long ago, measured from today
        await closed_ticket(h, "My Quixotronic toaster hums the anthem")
        await store.close()

    asyncio.run(fill())
    args = ["--env-file", "/nonexistent/.env", "retention", "run", "--db-dir", str(root)]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("Retention (365 days): 1 conversation(s) anonymised")
    left = b"".join(p.read_bytes() for p in root.rglob("*.json"))
    assert b"Quixotronic" not in left
    assert b'"action":"retention"' in left
    assert audit.AUDIT == "audit"
