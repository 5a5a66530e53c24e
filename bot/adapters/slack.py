"""Slack, through slack-bolt's AsyncApp: the parts wired together, started beside the web chat."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_blocks import ACTION_ID
from bot.adapters.slack_chat import Poster, SlackChat, SlackStaffSide, transient
from bot.adapters.slack_connect import check_http_mode, run_socket_mode
from bot.adapters.slack_events import PLATFORM
from bot.adapters.slack_inbound import Messages, Parts
from bot.adapters.slack_interactive import Interactions
from bot.adapters.slack_pacer import DEFAULT_INTERVAL, ChannelPacer
from bot.adapters.slack_people import People
from bot.channels import languages_of, load_support_places
from bot.config import Settings
from bot.config_slack import SlackSettings
from bot.core import Bot
from bot.relay_queue import RelayQueue
from bot.seen import SharedSeen
from bot.staff_relay import StaffRelay, ThreadBook

log = logging.getLogger("supportbot.slack")
EVENTS_PATH = "/slack/events"


def web_client(settings: SlackSettings) -> AsyncWebClient:
    """The Web API client: Slack's URL or a test's, retrying 429s (Retry-After), 5xx and
    dropped connections."""
    retries = [
        AsyncRateLimitErrorRetryHandler(max_retry_count=5),
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
    ]
    return AsyncWebClient(
        token=settings.bot_token, base_url=settings.api_url, retry_handlers=retries, timeout=15
    )


class SlackAdapter:
    """The Slack side of the bot: customers in DMs, mentions and support channels; staff in
    queue channels and through the slash command."""

    def __init__(
        self,
        bot: Bot,
        settings: SlackSettings,
        support_channels: Sequence[str] = (),
        *,
        pace: float = DEFAULT_INTERVAL,
        backoff: float = 1.0,
        languages: Mapping[str, str] | None = None,
    ) -> None:
        self.bot, self.settings, self.backoff = bot, settings, backoff
        self.client = web_client(settings)
        self.pacer = ChannelPacer(pace)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.signing_secret,
            request_verification_enabled=bool(settings.signing_secret),
            name="supportbot",
        )
        self.seen = SharedSeen(bot.services.store, "slack")  # a retry may reach another process
        self.parts = self._parts(support_channels, languages or {})
        self.relay_queue = RelayQueue(self.parts.relay, "Slack", transient, backoff)
        language = bot.services.settings.default_language
        self.messages = Messages(self.parts, bot.services.catalog.matcher(language, "reply_sent"))
        self.interactions = Interactions(self.parts, self.messages)
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._listen()

    def mount(self, app: web.Application) -> None:
        """HTTP mode: Slack posts events, commands and clicks to /slack/events (Socket Mode
        needs no route)."""
        if not self.settings.socket_mode:
            app.router.add_post(EVENTS_PATH, self.handle_http)

    async def handle_http(self, request: web.Request) -> web.Response:
        """One signed request from Slack, answered by bolt (401 when the signature is off)."""
        answer = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(answer)

    async def start(self) -> None:
        """Register the Chat port and the relay, then connect in the background: a Slack outage
        is retried with backoff while everything else runs."""
        services = self.bot.services
        services.chats[PLATFORM] = self.parts.chat
        self._unsubscribe = services.bus.subscribe(self.relay_queue.put)
        if self.settings.socket_mode:
            work = run_socket_mode(self.app, self.settings.app_token, self.backoff)
        else:
            work = check_http_mode(self.client, self.backoff)
        self._task = asyncio.create_task(_logged(work), name="slack")

    async def close(self) -> None:
        await self.messages.window.close()  # words still waiting are answered while Slack is up
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.relay_queue.close()
        await self.pacer.close()
        self.bot.services.chats.pop(PLATFORM, None)

    def _parts(self, support_channels: Sequence[str], languages: Mapping[str, str]) -> Parts:
        services = self.bot.services
        poster = Poster(self.client, self.pacer)
        threads = ThreadBook(services, PLATFORM)
        departments = services.departments.values()
        staff = [who for d in departments for who in d.staff.get(PLATFORM, ())]
        return Parts(
            bot=self.bot,
            client=self.client,
            people=People(self.client, with_groups=any(s.startswith("group:") for s in staff)),
            chat=SlackChat(poster, threads),
            relay=StaffRelay(services, SlackStaffSide(self.client, poster)),
            threads=threads,
            support=frozenset(support_channels),
            queues=frozenset(q for d in departments if (q := d.queues.get(PLATFORM))),
            command=self.settings.command,
            languages=dict(languages),
        )

    def _listen(self) -> None:
        self.app.middleware(self._once)
        self.app.event("message")(self.messages.on_message)
        self.app.event("app_mention")(self.messages.on_mention)
        self.app.command(self.settings.command)(self.interactions.on_command)
        self.app.action(ACTION_ID)(self.interactions.on_action)

    async def _once(
        self, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """A redelivered event is acknowledged and dropped."""
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not await self.seen.first_time(event_id):
            log.info("Slack: event %s was delivered again; it was handled once", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None


async def build_slack(bot: Bot, settings: Settings, **options: Any) -> SlackAdapter | None:
    """The Slack adapter when SLACK_BOT_TOKEN is set; support channels (and the languages
    they declare) from departments.yaml."""
    if not settings.slack.enabled:
        return None
    places = await asyncio.to_thread(load_support_places, settings.data_dir)
    channels = places.get(PLATFORM, ())
    ids = [c.id for c in channels]
    return SlackAdapter(bot, settings.slack, ids, languages=languages_of(channels), **options)


async def _logged(work: Awaitable[None]) -> None:
    try:
        await work
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("Slack: the connection task failed; Slack is off until a restart")
