"""Builds the bot from its parts; used by `supportbot run` and by the test harness alike."""

from __future__ import annotations

from bot.config import Settings
from bot.core import Bot, Services
from bot.handlers import ROUTES
from bot.i18n import Catalog
from bot.ports import Clock, Store


def build_bot(
    settings: Settings, store: Store, clock: Clock, catalog: Catalog | None = None
) -> Bot:
    services = Services.build(settings, store, clock, catalog or Catalog.load())
    return Bot(services, ROUTES)
