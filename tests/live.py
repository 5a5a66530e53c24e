"""Runs the real `supportbot run` in a subprocess on a random loopback port."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 30


@dataclass
class LiveBot:
    base_url: str
    staff_token: str
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)  # everything it printed (read on and on)


def call(url: str, body: dict[str, Any] | None = None, token: str = "") -> Any:
    """A JSON request to the live bot (GET without a body, POST with one)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return json.loads(response.read())


@contextmanager
def live_bot(
    workdir: Path, *args: str, settings: dict[str, str] | None = None
) -> Iterator[LiveBot]:
    """Start the bot with its database under `workdir` (plus SUPPORTBOT_* `settings`); stop it
    (SIGTERM) afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_")}
    env |= {"SUPPORTBOT_DB_DIR": str(workdir / "db"), "PYTHONUNBUFFERED": "1"}
    env |= settings or {}
    command = [sys.executable, "-m", "bot", "--env-file", str(workdir / "none.env"), "run"]
    process = subprocess.Popen(
        [*command, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    bot = None
    try:
        bot = _wait_for_banner(process)
        yield bot
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            said = "".join(bot.output[-40:]) if bot else ""
            raise AssertionError(f"the bot did not stop on SIGTERM; it said:\n{said}") from None


def _wait_for_banner(process: subprocess.Popen[str]) -> LiveBot:
    assert process.stdout is not None
    seen: list[str] = []
    url = token = ""
    for line in process.stdout:
        seen.append(line)
        if match := re.match(r"Web chat:\s+(\S+)/$", line.strip()):
            url = match.group(1)
        if match := re.match(r"Demo staff login token \(Demo Agent\): (\S+)", line.strip()):
            token = match.group(1)
        if line.startswith("Press Ctrl+C"):
            bot = LiveBot(url, token, process, seen)
            threading.Thread(target=_drain, args=(process, seen), daemon=True).start()
            return bot
    raise AssertionError("the bot did not start:\n" + "".join(seen))


def _drain(process: subprocess.Popen[str], into: list[str]) -> None:
    """Keep reading what the bot prints, so that a full pipe never stalls it."""
    assert process.stdout is not None
    for line in process.stdout:
        into.append(line)
