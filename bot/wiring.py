"""Builds the bot from its parts; used by `supportbot run` and by the test harness alike."""

from __future__ import annotations

import gc

from bot.audit import note_change
from bot.config import Settings
from bot.core import Bot, Services
from bot.departments import Department
from bot.handlers import ROUTES
from bot.handlers.request_deadlines import sla_breach_job, sla_reminder_job
from bot.handlers.ticket_close import followup_job
from bot.handlers.ticket_hold import hold_expired_job
from bot.i18n import Catalog
from bot.kb.language import load_identifier
from bot.kb.live import LiveKnowledgeBase
from bot.ports import Clock, KnowledgeBase, Store
from bot.privacy.retention_job import JOB_KIND, retention_job
from bot.signals_lexicon import load_lexicons


def build_bot(
    settings: Settings,
    store: Store,
    clock: Clock,
    catalog: Catalog | None = None,
    kb: KnowledgeBase | None = None,
    departments: dict[str, Department] | None = None,
) -> Bot:
    """The bot; without a knowledge base it answers nothing itself and finds a person."""
    knowledge = kb if kb is not None else LiveKnowledgeBase.of(())
    services = Services.build(settings, store, clock, catalog or Catalog.load(), knowledge)
    services.with_departments(departments or {})
    services.scheduler.on("followup", followup_job(services))
    services.scheduler.on("hold_expired", hold_expired_job(services))
    services.scheduler.on("sla_remind", sla_reminder_job(services))
    services.scheduler.on("sla_breach", sla_breach_job(services))
    services.scheduler.on(JOB_KIND, retention_job(services))
    services.bus.subscribe(note_change)  # the audit log learns which tickets a command changed
    return Bot(services, ROUTES)


def warm_up() -> None:
    """Load what the first messages would otherwise wait for (the language model, the
    signal lexicons: about 0.7 s, during which nothing else would be answered). Blocking:
    run it in a thread, before serving."""
    load_identifier()
    load_lexicons()
    # All that, the knowledge base and the catalogs live as long as the process: set them
    # aside from the cyclic collector, whose full passes would otherwise walk them each time
    # (pauses of 50-80 ms that every message waiting behind them feels).
    gc.freeze()
