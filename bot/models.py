"""Immutable values that cross the boundary between adapters and the core."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

Doc = dict[str, Any]


class Kind(StrEnum):
    """What an incoming event is."""

    MESSAGE = "message"
    COMMAND = "command"
    ACTION = "action"


class Role(StrEnum):
    """Who wrote a message in a conversation's transcript."""

    CUSTOMER = "customer"
    BOT = "bot"
    STAFF = "staff"


@dataclass(frozen=True)
class Person:
    """Someone on a platform: a customer or a staff member."""

    platform: str
    id: str
    name: str = ""
    groups: tuple[str, ...] = field(default=(), compare=False)  # roles / user groups, if known

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"


@dataclass(frozen=True)
class Address:
    """Where a conversation lives on a platform: a channel and maybe a thread."""

    platform: str
    channel: str
    thread: str = ""

    @property
    def key(self) -> str:
        parts = [self.platform, self.channel] + ([self.thread] if self.thread else [])
        return ":".join(parts)


@dataclass(frozen=True)
class Button:
    """A button under a reply; clicking it sends `action` with `value` back."""

    label: str
    action: str
    value: str = ""


@dataclass(frozen=True)
class Reply:
    """One message from the bot, with optional buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    author: str = ""
    seq: int = 0  # its number in the conversation's transcript, once recorded


@dataclass(frozen=True)
class Incoming:
    """One event from a platform: a message, a staff command or a button click."""

    kind: Kind
    sender: Person
    address: Address
    text: str = ""
    command: str = ""
    action: str = ""
    value: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # What the platform says about the sender's languages, most preferred first, as BCP 47
    # tags ("de-AT", "sv", "en-US"): browser languages, a Slack or Discord locale, a support
    # channel's declared language. A prior for short openings, never stronger than the text.
    locales: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def message(
        cls, sender: Person, address: Address, text: str, locales: tuple[str, ...] = ()
    ) -> Incoming:
        return cls(Kind.MESSAGE, sender, address, text=text, locales=locales)

    @classmethod
    def slash(cls, sender: Person, address: Address, command: str, text: str = "") -> Incoming:
        return cls(Kind.COMMAND, sender, address, text=text, command=command.lower())

    @classmethod
    def click(
        cls, sender: Person, address: Address, action: str, value: str = "", label: str = ""
    ) -> Incoming:
        """A button click; `label` (when the platform says it) is recorded as what was chosen."""
        return cls(Kind.ACTION, sender, address, text=label, action=action, value=value)


@dataclass(frozen=True)
class Posted:
    """A message as recorded in a conversation's transcript."""

    conversation: str
    seq: int
    role: Role
    author: str
    text: str
    at: datetime
    buttons: tuple[Button, ...] = ()
