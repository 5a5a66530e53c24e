"""Running the bot: open the store, build the core, serve every configured platform."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress

from aiohttp import web

from bot.adapters.discord_leader import DiscordLeadership
from bot.adapters.slack import SlackAdapter, build_slack
from bot.adapters.web import create_app, mark_ready
from bot.clock import SystemClock
from bot.config import Settings
from bot.core import Bot
from bot.demo import demo_staff_token
from bot.departments import load_departments
from bot.kb.live import LiveKnowledgeBase
from bot.privacy.retention_job import start_retention
from bot.process_notes import announce
from bot.storage import open_configured
from bot.wiring import build_bot, warm_up

log = logging.getLogger("supportbot")


class PortInUseError(OSError):
    """The configured host and port cannot be bound."""


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Serve until SIGINT/SIGTERM (or `stop` is set), then shut down cleanly."""
    stop = stop or _stop_on_signals()
    departments = await asyncio.to_thread(load_departments, settings.data_dir)
    kb = await LiveKnowledgeBase.open(settings.knowledge_dir, frozenset(departments))
    store = await open_configured(settings.db_dir, settings.database_url)
    try:
        bot = build_bot(settings, store, SystemClock(), kb=kb, departments=departments)
        await asyncio.to_thread(warm_up)
        await start_retention(bot.services)  # the daily anonymisation of old transcripts
        slack = await build_slack(bot, settings)
        runner = await _start_web(bot, settings, slack)
        if slack is not None:
            await slack.start()  # connects in the background, retrying while Slack is down
        if (broadcast := bot.services.store.broadcast()) is not None:  # processes share the store
            announce(bot.services, broadcast)
            kb.share_reloads(broadcast)
        discord = DiscordLeadership(bot, settings)
        await discord.start()  # the same: in the background (or once this process leads)
        watcher = asyncio.create_task(kb.watch(), name="kb-watch")
        timers = asyncio.create_task(bot.services.scheduler.run(), name="scheduler")
        try:
            await _announce(bot, settings, _bound_port(runner))
            await stop.wait()
            log.info("shutting down")
        finally:
            watcher.cancel()
            timers.cancel()
            if slack is not None:
                await slack.close()
            await discord.close()
            await runner.cleanup()
    finally:
        await store.close()


async def _start_web(
    bot: Bot, settings: Settings, slack: SlackAdapter | None = None
) -> web.AppRunner:
    app = create_app(bot)
    if slack is not None:
        slack.mount(app)  # HTTP mode: POST /slack/events on this server
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
    except OSError as error:
        await runner.cleanup()
        where = f"{settings.host}:{settings.port}"
        raise PortInUseError(f"Cannot listen on {where}: {error.strerror or error}") from error
    mark_ready(app)
    return runner


def _bound_port(runner: web.AppRunner) -> int:
    """The port actually bound (differs from the setting when that is 0: any free port)."""
    address = runner.addresses[0]
    return int(address[1])


async def _announce(bot: Bot, settings: Settings, port: int) -> None:
    base = f"http://{settings.host}:{port}"
    print(f"Web chat:   {base}/", flush=True)
    print(f"Staff page: {base}/staff", flush=True)
    print(
        f"Knowledge base: {len(bot.services.kb)} entries from {settings.knowledge_dir}", flush=True
    )
    if settings.demo_staff:
        token_file = settings.db_dir.parent / "demo-staff-token"
        async with bot.services.store.locks().hold("demo-staff"):  # processes starting at once
            token = await demo_staff_token(bot.services.staff, token_file)
        print(f"Demo staff login token (Demo Agent): {token}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
