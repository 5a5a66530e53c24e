"""`supportbot run` end to end: a real process, real TinyDB files, HTTP on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.live import call, live_bot


def test_run_serves_the_chat_and_keeps_it_across_a_restart(tmp_path: Path) -> None:
    with live_bot(tmp_path) as bot:
        assert call(f"{bot.base_url}/healthz") == {"status": "ok"}
        first = call(f"{bot.base_url}/api/chat", {"user": {"id": "u1", "name": ""}, "text": "hi"})
        assert first["replies"][-1]["text"] == "What's your name?"
        conversation, token = first["conversation"], bot.staff_token
        customer_token = first["customer_token"]
    with live_bot(tmp_path) as bot:
        assert bot.staff_token == token  # the same demo login is printed every start
        later = call(
            f"{bot.base_url}/api/chat",
            {"conversation": conversation, "user": {"id": "u1"}, "text": "Anna"},
            token=customer_token,  # the customer's token still opens it after the restart
        )
        assert later["replies"][0]["text"].startswith("Nice to meet you, Anna.")
        me = call(f"{bot.base_url}/api/staff/me", token=token)
        assert me == {"id": "demo", "name": "Demo Agent"}


def test_a_corrupt_database_file_stops_start_up_with_a_clear_message(tmp_path: Path) -> None:
    with live_bot(tmp_path) as bot:
        call(f"{bot.base_url}/api/chat", {"user": {"id": "u1", "name": "A"}, "text": "hi"})
    victim = sorted((tmp_path / "db" / "conversations").glob("*.json"))[0]
    victim.write_text('{"_default": {"1": {"key": ')
    result = run_cli(tmp_path, "run", "--port", "0")
    assert result.returncode == 1
    assert str(victim) in result.stderr
    assert "not overwrite" in result.stderr
    assert victim.read_text() == '{"_default": {"1": {"key": '


def test_bad_configuration_is_reported_plainly(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "run", env={"SUPPORTBOT_PORT": "eighty"})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: SUPPORTBOT_PORT must be a whole number from 0 to 65535, got 'eighty'"
    )


def test_help_explains_the_commands(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0
    for word in ("run", "staff", ".env.example"):
        assert word in result.stdout


def test_staff_add_prints_a_token_that_logs_in(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "staff", "add", "alice", "--name", "Alice Example")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().rsplit(" ", 1)[-1]
    listed = run_cli(tmp_path, "staff", "list")
    assert "alice\tAlice Example" in listed.stdout
    with live_bot(tmp_path) as bot:
        assert call(f"{bot.base_url}/api/staff/me", token=token)["name"] == "Alice Example"


def run_cli(
    workdir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_")}
    base |= {"SUPPORTBOT_DB_DIR": str(workdir / "db")} | (env or {})
    command = [sys.executable, "-m", "bot", "--env-file", str(workdir / "none.env"), *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=base, timeout=60, check=False
    )
