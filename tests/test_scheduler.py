"""Durable timers: due order, replace and cancel, restarts, retries, and the run() loop."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import pytest

from bot.scheduler import FAILED, JOBS, Job, Scheduler
from bot.storage import MemoryStore
from tests.fakes import START, FakeClock


class Recorder:
    """A handler that remembers the jobs it ran and can be told to fail."""

    def __init__(self, failures: int = 0) -> None:
        self.ran: list[Job] = []
        self.failures = failures
        self.called = asyncio.Event()

    async def __call__(self, job: Job) -> None:
        self.called.set()
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the chat platform is down")
        self.ran.append(job)

    @property
    def payloads(self) -> list[object]:
        return [job.payload for job in self.ran]


async def all_done(scheduler: Scheduler, recorder: Recorder) -> None:
    """Returns once the loop ran a job for `recorder` and finished with it."""
    await recorder.called.wait()
    # run_due waits for the loop's own run_due, which deletes the job after its handler.
    assert await scheduler.run_due() == 0


def minutes(count: float) -> datetime:
    return START + timedelta(minutes=count)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def scheduler(store: MemoryStore, clock: FakeClock) -> Scheduler:
    return Scheduler(store, clock)


async def test_schedule_and_pending(scheduler: Scheduler) -> None:
    key = await scheduler.schedule("follow_up", minutes(30), {"conversation": "web:c1"})
    await scheduler.schedule("hold", minutes(10), {"ticket": "T-1"}, key="hold:T-1")
    assert key.startswith("follow_up:")
    assert [job.key for job in await scheduler.pending()] == ["hold:T-1", key]
    [job] = await scheduler.pending("follow_up")
    assert (job.kind, job.due, job.created, job.attempts) == ("follow_up", minutes(30), START, 0)
    assert job.payload == {"conversation": "web:c1"}


async def test_due_jobs_run_in_due_order_and_once(scheduler: Scheduler, clock: FakeClock) -> None:
    recorder = Recorder()
    scheduler.on("sla", recorder)
    for due in (20, 5, 10, 60):
        await scheduler.schedule("sla", minutes(due), {"at": due})
    assert await scheduler.run_due() == 0  # nothing due yet
    clock.advance(minutes=20)
    assert await scheduler.run_due() == 3
    assert recorder.payloads == [{"at": 5}, {"at": 10}, {"at": 20}]
    assert await scheduler.run_due() == 0  # done jobs are gone
    assert [job.payload for job in await scheduler.pending()] == [{"at": 60}]


async def test_same_key_replaces_the_job(scheduler: Scheduler, clock: FakeClock) -> None:
    recorder = Recorder()
    scheduler.on("hold", recorder)
    await scheduler.schedule("hold", minutes(5), {"v": 1}, key="hold:T-12")
    await scheduler.schedule("hold", minutes(15), {"v": 2}, key="hold:T-12")
    clock.advance(minutes=10)
    assert await scheduler.run_due() == 0
    clock.advance(minutes=5)
    assert await scheduler.run_due() == 1
    assert recorder.payloads == [{"v": 2}]


async def test_cancel(scheduler: Scheduler, clock: FakeClock) -> None:
    recorder = Recorder()
    scheduler.on("hold", recorder)
    await scheduler.schedule("hold", minutes(5), {}, key="hold:T-1")
    assert await scheduler.cancel("hold:T-1") is True
    assert await scheduler.cancel("hold:T-1") is False
    clock.advance(minutes=10)
    assert await scheduler.run_due() == 0
    assert recorder.ran == []


async def test_a_handler_can_cancel_a_later_job(scheduler: Scheduler, clock: FakeClock) -> None:
    ran: list[str] = []

    async def resolve(job: Job) -> None:
        ran.append(job.key)
        await scheduler.cancel("remind")

    scheduler.on("resolve", resolve)
    scheduler.on("remind", resolve)
    await scheduler.schedule("resolve", minutes(1), {}, key="resolve")
    await scheduler.schedule("remind", minutes(2), {}, key="remind")
    clock.advance(minutes=5)
    assert await scheduler.run_due() == 1
    assert ran == ["resolve"]


async def test_a_handler_can_reschedule_its_own_key(scheduler: Scheduler, clock: FakeClock) -> None:
    async def queue_update(job: Job) -> None:
        await scheduler.schedule("queue", clock.now() + timedelta(minutes=5), {}, key=job.key)

    scheduler.on("queue", queue_update)
    await scheduler.schedule("queue", minutes(5), {}, key="queue:web:c1")
    clock.advance(minutes=5)
    assert await scheduler.run_due() == 1
    [again] = await scheduler.pending()
    assert (again.key, again.due) == ("queue:web:c1", minutes(10))


async def test_jobs_survive_a_restart(store: MemoryStore, clock: FakeClock) -> None:
    before = Scheduler(store, clock)
    await before.schedule("follow_up", minutes(30), {"n": 1})
    await before.schedule("follow_up", minutes(90), {"n": 2})
    clock.advance(minutes=60)  # the bot was down when the first one became due
    after = Scheduler(store, clock)
    recorder = Recorder()
    after.on("follow_up", recorder)
    assert await after.run_due() == 1
    assert recorder.payloads == [{"n": 1}]
    clock.advance(minutes=30)
    assert await after.run_due() == 1
    assert recorder.payloads == [{"n": 1}, {"n": 2}]


async def test_a_failing_handler_is_retried_with_backoff(
    scheduler: Scheduler, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder(failures=2)
    scheduler.on("sla", recorder)
    await scheduler.schedule("sla", START, {}, key="sla:T-1")
    assert await scheduler.run_due() == 0
    [job] = await scheduler.pending()
    assert (job.attempts, job.due) == (1, START + timedelta(seconds=30))
    assert "retry in 0:00:30" in caplog.text
    clock.advance(seconds=30)
    assert await scheduler.run_due() == 0
    [job] = await scheduler.pending()
    assert (job.attempts, job.due) == (2, clock.now() + timedelta(seconds=60))  # doubled
    clock.advance(seconds=59)
    assert await scheduler.run_due() == 0  # not yet
    clock.advance(seconds=1)
    assert await scheduler.run_due() == 1
    assert [job.attempts for job in recorder.ran] == [2]
    assert await scheduler.pending() == []


async def test_a_job_that_keeps_failing_is_given_up_loudly(
    store: MemoryStore, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = Scheduler(store, clock, max_attempts=3)
    scheduler.on("sla", Recorder(failures=99))
    await scheduler.schedule("sla", START, {"ticket": "T-9"}, key="sla:T-9")
    for _ in range(3):
        await scheduler.run_due()
        clock.advance(hours=1)
    assert await scheduler.pending() == []
    failed = await store.get(FAILED, "sla:T-9")
    assert failed is not None
    assert (failed["attempts"], failed["payload"]) == (3, {"ticket": "T-9"})
    assert "the chat platform is down" in failed["error"]
    assert any(r.levelno == logging.ERROR and "GIVING UP" in r.getMessage() for r in caplog.records)


async def test_a_job_without_handler_is_kept(
    scheduler: Scheduler, store: MemoryStore, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    await scheduler.schedule("mystery", START, {}, key="mystery:1")
    assert await scheduler.run_due() == 0
    assert await scheduler.run_due() == 0
    assert caplog.text.count("no handler runs kind 'mystery'") == 1  # logged once, not each poll
    recorder = Recorder()
    later = Scheduler(store, clock)  # e.g. after an upgrade that handles the kind
    later.on("mystery", recorder)
    assert await later.run_due() == 1


async def test_bad_arguments(scheduler: Scheduler) -> None:
    scheduler.on("hold", Recorder())
    with pytest.raises(ValueError, match="already registered"):
        scheduler.on("hold", Recorder())
    with pytest.raises(ValueError, match="no time zone"):
        await scheduler.schedule("hold", datetime(2026, 11, 23, 9), {})
    with pytest.raises(ValueError, match="every_s"):
        await scheduler.run(every_s=0)


async def test_run_wakes_early_for_a_sooner_job(scheduler: Scheduler) -> None:
    recorder = Recorder()
    scheduler.on("hold", recorder)
    runner = asyncio.create_task(scheduler.run(every_s=3600))
    try:
        await asyncio.sleep(0.01)  # let it fall asleep for an hour
        await scheduler.schedule("hold", START, {"now": True})
        await asyncio.wait_for(all_done(scheduler, recorder), timeout=2)
        assert recorder.payloads == [{"now": True}]
    finally:
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner


async def test_run_polls_for_jobs_the_clock_reaches(
    scheduler: Scheduler, clock: FakeClock, store: MemoryStore
) -> None:
    recorder = Recorder()
    scheduler.on("follow_up", recorder)
    await scheduler.schedule("follow_up", minutes(5), {})
    runner = asyncio.create_task(scheduler.run(every_s=0.01))
    try:
        await asyncio.sleep(0.05)
        assert recorder.ran == []
        clock.advance(minutes=5)
        await asyncio.wait_for(all_done(scheduler, recorder), timeout=2)
    finally:
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner
    assert len(recorder.ran) == 1
    assert await store.count(JOBS) == 0
