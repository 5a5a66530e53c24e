"""Discord, through discord.py: the parts wired together, run beside the web chat and kept
running (a failed start is retried with backoff; the gateway resumes by itself)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.adapters.discord_chat import DiscordChat, Outbox
from bot.adapters.discord_client import SupportClient
from bot.adapters.discord_commands import staff_spellings
from bot.adapters.discord_events import PLATFORM
from bot.adapters.discord_help import HelpDesk
from bot.adapters.discord_inbound import Messages, Parts
from bot.adapters.discord_interactions import Interactions
from bot.adapters.discord_staff import DiscordStaffSide, transient
from bot.adapters.discord_views import ButtonStash
from bot.channels import languages_of, load_support_places
from bot.config import Settings
from bot.config_discord import DiscordSettings
from bot.core import Bot
from bot.events import TicketChanged
from bot.relay_queue import RelayQueue
from bot.seen import Seen
from bot.staff_relay import StaffRelay, ThreadBook

log = logging.getLogger("supportbot.discord")
MAX_BACKOFF = 60.0
CLOSED, GIVE_UP, WITHOUT_CONTENT, RETRY = "closed", "give up", "without content", "retry"
NOT_ENABLED = (
    "Discord: the message_content intent is not enabled for this application (Developer "
    "Portal > your application > Bot > Privileged Gateway Intents); going on without it"
)


def point_at(settings: DiscordSettings) -> None:
    """Use the configured REST and gateway addresses (tests: a local fake) instead of
    Discord's; discord.py reads both from these class attributes."""
    if settings.api_url:
        Route.BASE = settings.api_url
    if settings.gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


class DiscordAdapter:
    """The Discord side of the bot: customers in DMs and private help threads; staff in
    queue channels, card threads and through `/support`."""

    def __init__(
        self,
        bot: Bot,
        settings: DiscordSettings,
        support_channels: Sequence[str] = (),
        *,
        backoff: float = 1.0,
        languages: Mapping[str, str] | None = None,
        **client_options: Any,
    ) -> None:
        self.bot, self.settings, self.backoff = bot, settings, backoff
        self.client_options = client_options
        self.seen = Seen()
        self.parts = self._parts(support_channels, languages or {})
        self.relay_queue = RelayQueue(self.parts.relay, "Discord", transient, backoff, retries=8)
        self.messages = Messages(self.parts, self.seen)
        self.interactions = Interactions(self.parts, self.messages, self.seen)
        self.client: SupportClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    async def start(self) -> None:
        """Register the Chat port and the relay, then connect in the background."""
        services = self.bot.services
        services.chats[PLATFORM] = self.parts.chat
        self._unsubscribe = services.bus.subscribe(self.relay_queue.put)
        point_at(self.settings)
        self._task = asyncio.create_task(self._run(), name="discord")

    async def close(self) -> None:
        await self.messages.window.close()  # words still waiting are answered while connected
        if self._unsubscribe is not None:
            self._unsubscribe()
        task, self._task = self._task, None
        if self.client is not None:
            await self.client.close()
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self.relay_queue.close()
        self.bot.services.chats.pop(PLATFORM, None)

    @property
    def ready(self) -> bool:
        return self.client is not None and self.client.is_ready()

    def new_client(self, message_content: bool) -> SupportClient:
        return SupportClient(
            self.parts,
            self.interactions,
            self.messages,
            self.settings.command,
            self._on_first_ready,
            message_content=message_content,
            **self.client_options,
        )

    async def _run(self) -> None:
        """Connect, and connect again after a failure, until closed; discord.py itself
        resumes dropped gateway connections and waits out rate limits."""
        delay, content = self.backoff, self.settings.message_content
        while (outcome := await self._connect(content)) not in (CLOSED, GIVE_UP):
            if outcome == WITHOUT_CONTENT:
                content = False
                continue
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)

    async def _connect(self, message_content: bool) -> str:
        """One client's life: CLOSED on purpose, GIVE_UP, WITHOUT_CONTENT or RETRY."""
        self.client = client = self.new_client(message_content)
        try:
            await client.start(self.settings.token)
            return CLOSED
        except discord.LoginFailure:
            log.error("Discord rejected DISCORD_TOKEN; Discord is off until it is fixed")
            return GIVE_UP
        except discord.PrivilegedIntentsRequired:
            if not message_content:
                log.error("Discord refused the bot's intents; Discord is off until a restart")
                return GIVE_UP
            log.warning(NOT_ENABLED)
            return WITHOUT_CONTENT
        except Exception as error:
            log.warning("Discord: connection failed (%s); retrying", error)
            return RETRY
        finally:
            await client.close()

    async def _on_first_ready(self, client: SupportClient) -> None:
        """Once per connection: panels where missing, cards for tickets that came in while
        Discord was away."""
        await self.parts.help.post_panels(self.bot.services.settings.default_language)
        services = self.bot.services
        for ticket in await services.desk.active():
            department = services.departments.get(ticket.department)
            if department is None or not department.queues.get(PLATFORM):
                continue
            if await self.parts.relay.card_of(ticket.id) is None:
                await self.relay_queue.put(TicketChanged(ticket))

    def _parts(self, support_channels: Sequence[str], languages: Mapping[str, str]) -> Parts:
        services = self.bot.services
        outbox = Outbox(ButtonStash(services.store))
        threads = ThreadBook(services, PLATFORM)
        language = services.settings.default_language
        return Parts(
            bot=self.bot,
            outbox=outbox,
            chat=DiscordChat(services, outbox, threads),
            relay=StaffRelay(services, DiscordStaffSide(outbox)),
            threads=threads,
            help=HelpDesk(services, outbox, support_channels),
            support=frozenset(support_channels),
            reply_sent=services.catalog.matcher(language, "reply_sent"),
            spellings=staff_spellings(self.settings.command),
            languages=dict(languages),
        )


async def build_discord(bot: Bot, settings: Settings, **options: Any) -> DiscordAdapter | None:
    """The Discord adapter when DISCORD_TOKEN is set; support channels (and the languages
    they declare) from departments.yaml."""
    if not settings.discord.enabled:
        return None
    places = await asyncio.to_thread(load_support_places, settings.data_dir)
    channels = places.get(PLATFORM, ())
    ids = [c.id for c in channels]
    return DiscordAdapter(bot, settings.discord, ids, languages=languages_of(channels), **options)
