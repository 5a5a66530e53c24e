"""Slack in Socket Mode against the fake's websocket, start-up outages, and `serve` wiring."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.slack import SlackAdapter
from bot.app import serve
from bot.config import Settings
from bot.config_slack import SlackSettings
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.fakes import FakeClock
from tests.slack_fake import SlackFake, command_payload, event_payload, wait_for
from tests.slack_rig import ANNA, BOT_TOKEN, departments, texts

APP_TOKEN = "xapp-1-A1-1-test"
DATA = Path(__file__).parent.parent / "data"
HELLO = {"type": "message", "user": ANNA, "text": "hello", "channel": "D-ANNA"}
HELLO |= {"channel_type": "im", "ts": "1700000100.000100", "event_ts": "1700000100.000100"}

pytestmark = pytest.mark.usefixtures("no_proxy_env")


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk's Socket Mode client honours HTTP(S)_PROXY (and not NO_PROXY)."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake() -> AsyncIterator[SlackFake]:
    async with SlackFake() as slack:
        slack.add_user(ANNA, "anna", display_name="Anna")
        yield slack


def socket_settings(api_url: str) -> SlackSettings:
    return SlackSettings(bot_token=BOT_TOKEN, app_token=APP_TOKEN, api_url=api_url)


@asynccontextmanager
async def socket_adapter(api_url: str) -> AsyncIterator[SlackAdapter]:
    """The adapter in Socket Mode on a bot with the test departments; closed afterwards."""
    slack = socket_settings(api_url)
    settings = Settings(slack=slack, quiet_window_seconds=0)  # each event answered at once
    bot = build_bot(settings, MemoryStore(), FakeClock(), departments=departments())
    adapter = SlackAdapter(bot, slack, pace=0.0, backoff=0.01)
    await adapter.start()
    try:
        yield adapter
    finally:
        await adapter.close()


async def test_socket_mode_answers_events_once_and_acks_commands(fake: SlackFake) -> None:
    async with socket_adapter(fake.url):
        await fake.socket_connected()
        envelope = await fake.socket_send("events_api", event_payload(HELLO, "Ev-s1"))
        assert await fake.socket_ack(envelope) == {"envelope_id": envelope}
        await fake.wait_for(lambda: len(fake.messages("D-ANNA")) >= 2)
        replies = fake.messages("D-ANNA")
        assert {m["thread_ts"] for m in replies} == {HELLO["ts"]}
        assert texts(replies)[0].startswith("Hi Anna!")
        again = await fake.socket_send("events_api", event_payload(HELLO, "Ev-s1"), retry_attempt=1)
        await fake.socket_ack(again)
        url = fake.response_url("claim")
        payload = command_payload("/support", "claim T-1", user_id=ANNA, response_url=url)
        command = await fake.socket_send("slash_commands", payload)
        assert (await fake.socket_ack(command))["envelope_id"] == command
        [refused] = await fake.wait_for(lambda: fake.responses("claim"))
        assert refused["text"].startswith("Sorry, /support claim is for our support staff.")
        assert len(fake.messages("D-ANNA")) == len(replies)  # the redelivery was not answered


async def test_a_slack_outage_at_start_up_is_retried_with_backoff(
    fake: SlackFake, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="supportbot.slack")
    fake.fail("auth.test", "service_unavailable", times=2)
    async with socket_adapter(fake.url):
        await fake.socket_connected(timeout=5)
        # the socket is up a moment before connect_async returns and the line is logged
        await fake.wait_for(lambda: "connected as" in caplog.text, timeout=5)
    retries = [r.getMessage() for r in caplog.records if "retrying in" in r.getMessage()]
    assert len(retries) == 2
    assert retries[0].startswith("Slack is not answering (200 service_unavailable)")
    assert "Slack: connected as @supportbot to Fake Team (Socket Mode)" in caplog.messages


async def test_a_rejected_token_leaves_slack_off_with_a_clear_error(
    fake: SlackFake, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("auth.test", "invalid_auth")
    async with socket_adapter(fake.url):
        await fake.wait_for(lambda: "invalid_auth" in caplog.text)
    assert "Slack rejected SLACK_BOT_TOKEN or SLACK_APP_TOKEN (invalid_auth)" in caplog.text
    assert fake.socket_connections == 0


SERVE_WARNING = "ignore:Changing state of started or joined application:DeprecationWarning"


@pytest.mark.filterwarnings(SERVE_WARNING)  # web.mark_ready runs after start-up, by design
async def test_serve_runs_slack_beside_the_web_chat(
    fake: SlackFake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with served(tmp_path, capsys, fake.url) as base:
        await fake.socket_connected(timeout=10)
        envelope = await fake.socket_send("events_api", event_payload(HELLO, "Ev-serve"))
        await fake.socket_ack(envelope)
        await fake.wait_for(lambda: fake.messages("D-ANNA"), timeout=5)
        assert await asyncio.to_thread(get_json, f"{base}/healthz") == {"status": "ok"}


@pytest.mark.filterwarnings(SERVE_WARNING)
async def test_the_web_chat_works_while_slack_is_unreachable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/api/"
    async with served(tmp_path, capsys, dead) as base:
        body = {"user": {"id": "u1", "name": "Ana"}, "text": "hi"}
        answer = await asyncio.to_thread(get_json, f"{base}/api/chat", body)
        assert answer["replies"][0]["text"].startswith("Hi Ana!")
        await wait_for(lambda: "Slack is unreachable" in caplog.text, timeout=5)


@asynccontextmanager
async def served(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], api_url: str
) -> AsyncIterator[str]:
    """`serve` with Slack in Socket Mode on a random port; yields the web chat's base URL."""
    settings = Settings(
        port=0,
        data_dir=DATA,
        db_dir=tmp_path / "db",
        demo_staff=False,
        slack=socket_settings(api_url),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop))
    try:
        printed = ""
        while not (found := re.search(r"Web chat: +(http://\S+)/", printed)):
            assert not task.done(), "serve stopped early"
            await asyncio.sleep(0.05)
            printed += capsys.readouterr().out
        yield found.group(1)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


def get_json(url: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return json.loads(response.read())
