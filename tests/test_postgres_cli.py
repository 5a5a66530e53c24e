"""The operator's commands on a PostgreSQL database, while the data is shared with running
bots: migrate, staff logins, a customer's export and deletion, the audit log and reports."""

from __future__ import annotations

import json
from pathlib import Path

from bot.clock import SystemClock
from bot.config import Settings
from bot.models import Address, Incoming, Person
from bot.storage.postgres import PostgresStore
from bot.wiring import build_bot
from tests.postgres_db import fresh_database
from tests.test_run import run_cli


async def test_the_commands_work_on_the_shared_database(tmp_path: Path) -> None:
    async with fresh_database(migrated=False) as url:
        env = {"SUPPORTBOT_DATABASE_URL": url}
        migrated = run_cli(tmp_path, "db", "migrate", env=env)
        assert "applied 0001 documents" in migrated.stdout, migrated.stderr
        assert run_cli(tmp_path, "db", "status", env=env).returncode == 0
        added = run_cli(tmp_path, "staff", "add", "alice", "--name", "Alice", env=env)
        assert "login token" in added.stdout
        await _a_conversation(url)
        exported = run_cli(tmp_path, "customer", "export", "web:u-nora", env=env)
        assert exported.returncode == 0, exported.stderr
        export = json.loads(exported.stdout)
        assert "access_hash" not in export["conversations"][0]
        assert "Mein Paket ist nicht da" in exported.stdout
        report = run_cli(tmp_path, "report", "--format", "json", env=env)
        assert report.returncode == 0, report.stderr
        deleted = run_cli(tmp_path, "customer", "delete", "web:u-nora", "--yes", env=env)
        assert deleted.returncode == 0, deleted.stderr
        again = run_cli(tmp_path, "customer", "export", "web:u-nora", env=env)
        assert again.returncode == 1
        assert "No data is stored about web:u-nora in 127.0.0.1:" in again.stderr
        log = run_cli(tmp_path, "audit", env=env)
        assert "· export ·" in log.stdout, log.stderr
        assert "· delete ·" in log.stdout
        assert "u-nora" not in log.stdout  # the subject became the same random id as the data


async def _a_conversation(url: str) -> None:
    store = await PostgresStore.open(url)
    try:
        bot = build_bot(Settings(), store, SystemClock())
        nora = Person("web", "u-nora", "Nora")
        await bot.dispatch(Incoming.message(nora, Address("web", "c-nora"), "Hallo!"))
        text = "Mein Paket ist nicht da, bitte helfen Sie mir"
        await bot.dispatch(Incoming.message(nora, Address("web", "c-nora"), text))
    finally:
        await store.close()
