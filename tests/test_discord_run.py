"""`supportbot run` with DISCORD_TOKEN: a real process serving the fake Discord on loopback."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.discord_fake import CUSTOMER, FakeDiscord, serve, wait_until

START_TIMEOUT_S = 60.0


async def read_until(stream: asyncio.StreamReader, needle: str, seen: list[str]) -> None:
    """Read lines into `seen` until one contains `needle`."""
    while line := (await stream.readline()).decode():
        seen.append(line)
        if needle in line:
            return
    raise AssertionError(f"{needle!r} never came:\n" + "".join(seen))


async def start_bot(fake: FakeDiscord, workdir: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPPORTBOT_", "SLACK_"))}
    env |= {
        "SUPPORTBOT_DB_DIR": str(workdir / "db"),
        "PYTHONUNBUFFERED": "1",
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_URL": fake.base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
    }
    command = ["-m", "bot", "--env-file", str(workdir / "none.env"), "run", "--port", "0"]
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
    )


async def test_supportbot_run_answers_on_discord_and_stops_cleanly(tmp_path: Path) -> None:
    async with serve() as fake:
        process = await start_bot(fake, tmp_path)
        assert process.stdout is not None
        seen: list[str] = []
        try:
            connected = read_until(process.stdout, "Discord: connected as", seen)
            await asyncio.wait_for(connected, START_TIMEOUT_S)
            assert any(c["name"] == "support" for c in fake.commands())
            dm = fake.dm_channel(CUSTOMER)
            await fake.message_create(dm, CUSTOMER, "hello")
            replies = await wait_until(lambda: fake.sent_messages(dm), timeout=10)
            assert replies[0]["content"].startswith("Hi Alice! I'm the Brightwave support bot")
        finally:
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 15)
        output = "".join(seen) + (await process.stdout.read()).decode()
        assert code == 0, output
        assert "Traceback" not in output
        assert "Ignoring exception" not in output
