"""The daily retention run: a scheduler job that books its next run before it works."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot import audit
from bot.audit_inbox import import_inbox
from bot.core import Services
from bot.privacy.retention import RetentionRun, run_retention
from bot.scheduler import Handler, Job

JOB_KIND = "retention"
JOB_KEY = "retention:daily"
EVERY = timedelta(days=1)
FIRST_RUN = timedelta(minutes=1)  # after start-up
NEXT_SLICE = timedelta(minutes=1)  # when one run did not get through everything
SLICE = 2000  # conversations per run, so holds and deadlines due meanwhile are not held up
JOB_ACTOR = audit.Actor("retention", "Daily retention run", "bot")

log = logging.getLogger(__name__)


def retention_job(services: Services) -> Handler:
    """The scheduler handler: the next run is booked first, so a failure never ends the cycle."""

    async def run(job: Job) -> None:
        now = services.clock.now()
        await services.scheduler.schedule(JOB_KIND, now + EVERY, {}, key=JOB_KEY)
        await import_inbox(services.store)
        done = await run_retention(services, limit=SLICE)  # the setting's period
        if done.more:
            await services.scheduler.schedule(JOB_KIND, now + NEXT_SLICE, {}, key=JOB_KEY)
        if done.conversations:
            await _report(services, done, now)

    return run


async def _report(services: Services, done: RetentionRun, now: datetime) -> None:
    log.info("retention: %s", done.summary())
    detail = f"{services.settings.retention_days} days: {done.conversations} conversation(s)"
    await audit.record(services.store, audit.entry(JOB_ACTOR, "retention", now, "", detail))


async def start_retention(services: Services) -> None:
    """Book the daily run, the first shortly after start, unless one is already booked."""
    if not await services.scheduler.pending(JOB_KIND):
        due = services.clock.now() + FIRST_RUN
        await services.scheduler.schedule(JOB_KIND, due, {}, key=JOB_KEY)
