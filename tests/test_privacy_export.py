"""`customer export`: everything stored about a customer as JSON; the CLI around it."""

from __future__ import annotations

import asyncio
import fcntl
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot import audit
from bot.__main__ import main
from bot.audit_inbox import import_inbox, waiting
from bot.privacy.customer import CustomerKeyError, parse_customer_key
from bot.privacy.export import export_customer
from bot.storage import open_store
from tests.privacy_story import (
    ANSWER,
    COMMENT,
    KEY,
    NAME,
    OTHER_TEXT,
    PROBLEM,
    QUESTION,
    SECRETS,
    another_customer,
    live_through,
    story_harness,
)


async def test_export_holds_transcripts_tickets_ratings_flags_and_lookups() -> None:
    h = await story_harness()
    await live_through(h)
    await another_customer(h)

    export = await export_customer(h.store, KEY, h.clock.now())

    assert export is not None
    assert export["customer"] == KEY
    (conv,) = export["conversations"]
    assert conv["name"] == NAME
    texts = [m["text"] for m in conv["messages"]]
    said = [m["text"] for m in conv["messages"] if m["role"] == "customer"]
    assert said == [QUESTION, PROBLEM, ANSWER, COMMENT]
    assert "Does the Quixotronic hum in B flat?" in texts
    (ticket,) = export["tickets"]
    assert (ticket["id"], ticket["rating"], ticket["comment"]) == ("T-1001", 4, COMMENT)
    assert [n["note"] for n in ticket["notes"]] == ["Zebulon sounds sincere about the toaster"]
    assert [f["reason"] for f in export["flags"]] == ["Zebulon insisted on singing"]
    assert [(d["text"], d["helpful"]) for d in export["kb_lookups"]] == [
        (QUESTION, True),
        (PROBLEM, None),
    ]
    assert [r["id"] for r in export["linked_requests"]] == ["R-301"]
    assert [(j["kind"], j["payload"]["ticket"]) for j in export["scheduled"]] == [
        ("followup", "T-1001")
    ]
    assert OTHER_TEXT not in json.dumps(export)


async def test_export_of_someone_unknown_is_none() -> None:
    h = await story_harness()
    await live_through(h)
    assert await export_customer(h.store, "slack:U000NOBODY", h.clock.now()) is None


@pytest.mark.parametrize("text", ["anna", "web:", ":u-1", "mail:anna@example.com", "web:u 1"])
def test_a_malformed_key_is_refused(text: str) -> None:
    with pytest.raises(CustomerKeyError, match="platform:user"):
        parse_customer_key(text)


# --- the CLI: a real store directory, main() as the console script runs it -----------------


def stored_story(root: Path) -> None:
    async def fill() -> None:
        store = await open_store(root)
        h = await story_harness(store)
        await live_through(h)
        await another_customer(h)
        await store.close()

    asyncio.run(fill())


def cli(*args: str) -> int:
    return main(["--env-file", "/nonexistent/.env", *args])


@contextmanager
def bot_running(root: Path) -> Iterator[None]:
    """Hold the store's lock the way a running bot does."""
    fd = os.open(root / ".lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        yield
    finally:
        os.close(fd)


def audit_entries(root: Path) -> list[dict[str, object]]:
    async def read() -> list[dict[str, object]]:
        store = await open_store(root)
        try:
            return await audit.latest(store, 100)
        finally:
            await store.close()

    return asyncio.run(read())


def test_cli_export_to_a_file_is_private_and_audited(tmp_path: Path) -> None:
    root, out = tmp_path / "db", tmp_path / "anna.json"
    stored_story(root)
    assert cli("customer", "export", KEY, "--out", str(out), "--db-dir", str(root)) == 0
    export = json.loads(out.read_text(encoding="utf-8"))
    assert export["conversations"][0]["name"] == NAME
    assert out.stat().st_mode & 0o777 == 0o600
    (entry,) = [e for e in audit_entries(root) if e["action"] == "export"]
    assert entry["target"] == KEY
    assert entry["who"]["platform"] == "cli"  # type: ignore[index]


def test_cli_export_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "db"
    stored_story(root)
    assert cli("customer", "export", KEY, "--db-dir", str(root)) == 0
    assert json.loads(capsys.readouterr().out)["customer"] == KEY


def test_cli_export_while_the_bot_runs_reads_a_copy_and_files_the_audit_entry_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"
    stored_story(root)
    with bot_running(root):
        assert cli("customer", "export", KEY, "--db-dir", str(root)) == 0
        assert json.loads(capsys.readouterr().out)["customer"] == KEY
        assert [d["action"] for _, d in waiting(root)] == ["export"]
        assert cli("audit", "--db-dir", str(root)) == 0  # the log is readable meanwhile
        assert "· export · web:cust-1 · 1 conversation(s)" in capsys.readouterr().out

    async def bot_starts_again() -> int:
        store = await open_store(root)
        try:
            return await import_inbox(store)
        finally:
            await store.close()

    assert asyncio.run(bot_starts_again()) == 1
    assert waiting(root) == []
    assert "export" in [e["action"] for e in audit_entries(root)]


def test_cli_key_problems_have_their_own_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"
    stored_story(root)
    assert cli("customer", "export", "anna", "--db-dir", str(root)) == 2
    assert "is not a customer key: use platform:user" in capsys.readouterr().err
    assert cli("customer", "export", "web:nobody", "--db-dir", str(root)) == 1
    assert capsys.readouterr().err.startswith("No data is stored about web:nobody")
    assert cli("customer", "delete", "web:nobody", "--yes", "--db-dir", str(root)) == 1
    assert cli("customer", "export", KEY, "--db-dir", str(tmp_path / "none")) == 1
    assert not (tmp_path / "none").exists()


def test_cli_delete_refuses_while_the_bot_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"
    stored_story(root)
    with bot_running(root):
        assert cli("customer", "delete", KEY, "--yes", "--db-dir", str(root)) == 1
    err = capsys.readouterr().err
    assert "The bot is running" in err
    assert "Stop the bot first" in err
    assert "Nothing was deleted" in err


def test_cli_delete_asks_first_and_does_nothing_without_a_yes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"
    stored_story(root)
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert cli("customer", "delete", KEY, "--db-dir", str(root)) == 1
    assert "This erases what is stored about web:cust-1: 1 conversation(s)" in (
        capsys.readouterr().err
    )
    assert NAME.encode() in b"".join(p.read_bytes() for p in root.rglob("*.json"))


def test_cli_delete_confirmed_erases_and_is_audited_under_the_pseudonym(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "db"
    stored_story(root)
    monkeypatch.setattr("sys.stdin", io.StringIO("delete\n"))
    assert cli("customer", "delete", KEY, "--db-dir", str(root)) == 0
    assert capsys.readouterr().out.startswith("Deleted web:cust-1: 1 conversation(s)")
    left = b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()).lower()
    assert not any(secret.lower().encode() in left for secret in SECRETS)
    (entry,) = [e for e in audit_entries(root) if e["action"] == "delete"]
    assert str(entry["target"]).startswith("erased-")
