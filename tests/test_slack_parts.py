"""The Slack adapter's moving parts: pacing, de-duplication, the name cache, relay retries."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_chat import transient
from bot.adapters.slack_pacer import ChannelPacer
from bot.adapters.slack_people import People
from bot.events import Event, StaffNotice
from bot.relay_queue import RelayQueue
from bot.seen import Seen
from tests.slack_fake import SlackFake


@pytest.fixture
async def fake() -> AsyncIterator[SlackFake]:
    async with SlackFake() as slack:
        slack.add_user("U1", "anna", real_name="Anna Berg", display_name="Anna")
        slack.add_user("U2", "bo", real_name="Bo Lund")
        yield slack


async def test_the_pacer_keeps_order_per_channel_and_spaces_posts() -> None:
    pacer = ChannelPacer(interval=0.05)
    done: list[tuple[str, int, float]] = []

    def post(channel: str, n: int) -> Awaitable[Any]:
        async def call() -> int:
            done.append((channel, n, time.monotonic()))
            return n

        return pacer.run(channel, call)

    results = await asyncio.gather(*(post(c, n) for n in range(4) for c in ("A", "B")))
    assert results == [0, 0, 1, 1, 2, 2, 3, 3]
    for channel in ("A", "B"):
        mine = [(n, at) for c, n, at in done if c == channel]
        assert [n for n, _ in mine] == [0, 1, 2, 3]
        assert all(b - a >= 0.045 for (_, a), (_, b) in itertools.pairwise(mine))
    assert len(pacer) == 0  # idle channels are forgotten


async def test_a_failed_post_fails_only_its_caller() -> None:
    pacer = ChannelPacer(interval=0)

    async def boom() -> None:
        raise OSError("down")

    async def fine() -> str:
        return "ok"

    calls = [pacer.run("A", boom), pacer.run("A", fine)]
    failed, ok = list[Any](await asyncio.gather(*calls, return_exceptions=True))
    assert isinstance(failed, OSError)
    assert ok == "ok"


def test_seen_events_remember_a_bounded_number_of_ids() -> None:
    seen = Seen(limit=3)
    assert [seen.first_time(e) for e in ("a", "b", "a", "c", "d")] == [
        True,
        True,
        False,
        True,
        True,
    ]
    assert seen.first_time("a")  # the oldest was forgotten to bound memory


async def test_names_are_fetched_once_even_when_asked_together(fake: SlackFake) -> None:
    people = People(AsyncWebClient(token="xoxb-t", base_url=fake.url))
    names = await asyncio.gather(*(people.name("U1") for _ in range(5)), people.name("U2"))
    assert names == ["Anna"] * 5 + ["Bo Lund"]
    assert await people.name("U1") == "Anna"
    assert sorted(c["user"] for c in fake.calls("users.info")) == ["U1", "U2"]
    assert await people.name("U404") == ""  # unknown: no name, and asked again next time
    assert await people.name("U9", hint="Lena Kraft") == "Lena Kraft"  # Slack sent the profile
    assert len(fake.calls("users.info")) == 3


async def test_user_groups_are_read_only_when_departments_use_them(fake: SlackFake) -> None:
    client = AsyncWebClient(token="xoxb-t", base_url=fake.url)
    assert (await People(client).person("U1", staff=True)).groups == ()
    assert fake.calls("usergroups.list") == []
    grouped = People(client, with_groups=True)
    assert (await grouped.person("U1", staff=True)).name == "Anna"  # the fake has no groups
    assert len(fake.calls("usergroups.list")) == 1


class FlakyRelay:
    """A relay whose Slack fails twice with a dropped connection, then works."""

    def __init__(self) -> None:
        self.attempts = 0
        self.shown: list[Event] = []

    async def on_event(self, event: Event) -> None:
        self.attempts += 1
        if self.attempts <= 2:
            raise ConnectionResetError("connection reset by peer")
        self.shown.append(event)


async def test_queue_updates_survive_a_short_outage_in_order(
    caplog: pytest.LogCaptureFixture,
) -> None:
    relay = FlakyRelay()
    queue = RelayQueue(relay, "Slack", transient, backoff=0.01)  # type: ignore[arg-type]
    first, second = StaffNotice({}, "one"), StaffNotice({}, "two")
    await queue.put(first)
    await queue.put(second)
    await asyncio.wait_for(queue.idle(), 2)
    assert relay.shown == [first, second]
    assert caplog.text.count("retrying in") == 2
    await queue.close()
