"""`supportbot report` on a real store directory, also while it is open by a running bot."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.departments import load_departments
from bot.storage import open_store
from tests.fakes import Harness


async def seeded(db: Path) -> None:
    """One ticket through the sample departments, answered and rated; the store stays open."""
    store = await open_store(db)
    h = Harness(name="Anna", store=store, departments=load_departments(Path("data")))
    await h.say("I want to talk to a person about my invoice")
    await h.click("pick_department", "billing")
    ticket = (await h.conversation()).ticket
    await h.command("claim", ticket)  # Sam Staff, a web staff member


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUPPORTBOT_DB_DIR", str(tmp_path / "db"))
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", "data")
    return tmp_path / "db"


def test_json_report_reads_the_store_without_taking_it_over(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(seeded(env))  # the store stays open and locked, as with a running bot
    args = ["report", "--since", "2026-11-23", "--until", "2026-11-23", "--format", "json"]
    code = main(["--env-file", "/dev/null", *args])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["tickets_opened"] == 1
    assert data["since"] == "2026-11-23T00:00:00+00:00"
    assert {d["id"] for d in data["departments"]} == {"billing", "orders", "technical", "accounts"}


def test_bad_input_gets_a_clear_message(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env-file", "/dev/null", "report", "--department", "sales"]) == 2
    assert "Unknown department 'sales'; known: billing, orders" in capsys.readouterr().err
    assert main(["--env-file", "/dev/null", "report", "--since", "last tuesday"]) == 2
    assert "'last tuesday' is not a date like 2026-11-01" in capsys.readouterr().err


def test_csv_to_a_file(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.csv"
    assert main(["--env-file", "/dev/null", "report", "--format", "csv", "--out", str(out)]) == 0
    assert out.read_text().startswith("department,language,tickets_opened")
    assert "No records yet" in capsys.readouterr().err
