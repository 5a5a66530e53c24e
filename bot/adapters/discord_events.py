"""Discord messages, commands and clicks as the core's values: pure translators, plus the
two small readers that take what they need from discord.py's objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import discord

from bot.adapters.discord_text import readable
from bot.adapters.discord_views import Pressed
from bot.models import Address, Incoming, Person

PLATFORM = "discord"


@dataclass(frozen=True)
class Said:
    """A person's message: who wrote what where."""

    id: int
    author: Person
    channel: str
    parent: str  # the channel a thread is in; "" outside threads
    guild: str  # "" in a direct message
    content: str
    mentions_bot: bool = False
    names: Mapping[str, str] = field(default_factory=dict)  # "@id", "@&id", "#id" -> name
    attachments: tuple[str, ...] = ()  # their addresses
    guild_locale: str = ""  # the server's preferred locale ("de", "en-US"); "" in a DM

    @property
    def private(self) -> bool:
        return not self.guild


def person(user_id: int | str, name: str = "", roles: tuple[str, ...] = ()) -> Person:
    """Someone on Discord; `roles` (role ids) let departments list staff as role:<id>."""
    return Person(PLATFORM, str(user_id), name, roles)


def person_of(user: discord.User | discord.Member) -> Person:
    roles = tuple(str(r.id) for r in user.roles) if isinstance(user, discord.Member) else ()
    return person(user.id, user.display_name, roles)


def said_of(message: discord.Message) -> Said:
    """What a MESSAGE_CREATE says, from discord.py's message."""
    channel = message.channel
    parent = channel.parent_id if isinstance(channel, discord.Thread) else None
    me = message.guild.me if message.guild else None
    names = {f"@{u.id}": u.display_name for u in message.mentions}
    names.update({f"@&{r.id}": r.name for r in message.role_mentions})
    names.update({f"#{c.id}": c.name for c in message.channel_mentions})
    return Said(
        id=message.id,
        author=person_of(message.author),
        channel=str(channel.id),
        parent=str(parent or ""),
        guild=str(message.guild.id if message.guild else ""),
        content=message.content,
        mentions_bot=me is not None and me in message.mentions,
        names=names,
        attachments=tuple(a.url for a in message.attachments),
        guild_locale=str(message.guild.preferred_locale.value) if message.guild else "",
    )


def conversation_address(channel: int | str) -> Address:
    """A customer conversation: a direct message channel or a private help thread."""
    return Address(PLATFORM, str(channel))


def staff_address(channel: int | str, parent: int | str | None = None) -> Address:
    """Where a staff command was run; in a thread, the channel around it (a request filed
    there gets its own thread in that channel: threads do not nest)."""
    return Address(PLATFORM, str(parent or channel))


def to_incoming(
    said: Said, address: Address, bot_id: str, locales: tuple[str, ...] = ()
) -> Incoming:
    """The message as the customer meant it: mentions by name, the bot's own dropped, and
    the addresses of attached files (staff can open them)."""
    text = "\n".join([readable(said.content, said.names, bot_id), *said.attachments])
    return Incoming.message(said.author, address, text.strip(), locales)


def to_click(sender: Person, address: Address, pressed: Pressed, label: str) -> Incoming:
    """A customer's answer to a question of their conversation."""
    return Incoming.click(sender, address, pressed.action, pressed.value, label)


def to_staff_click(sender: Person, address: Address, pressed: Pressed) -> Incoming:
    """A staff button is a command with its arguments: "Claim" on T-12 runs claim T-12."""
    return Incoming.slash(sender, address, pressed.action, pressed.value)


def to_command(sender: Person, address: Address, name: str, args: str | None) -> Incoming:
    """`/support <name> args:<text>`."""
    return Incoming.slash(sender, address, name, (args or "").strip())


def to_reply_command(sender: Person, address: Address, ticket: str, text: str) -> Incoming:
    """Staff writing in a card's thread answer that ticket's customer."""
    return Incoming.slash(sender, address, "reply", f"{ticket} {text}")
