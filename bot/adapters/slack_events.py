"""Slack events, slash commands and button clicks as plain values: pure translators."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack_blocks import parse_action_id
from bot.adapters.slack_text import plain_text
from bot.models import Address, Incoming, Person

PLATFORM = "slack"
PRIVATE = ("im", "mpim")  # a direct message or group DM with the bot
PEOPLE_SUBTYPES = (None, "thread_broadcast", "file_share", "me_message")  # others: edits, joins...
Payload = Mapping[str, Any]


@dataclass(frozen=True)
class Said:
    """A person's new message: who wrote what where (the text still in Slack's markup)."""

    user: str
    channel: str
    ts: str
    thread: str  # the thread's root ts, "" for a top-level message
    text: str
    private: bool
    mentions_bot: bool
    profile_name: str = ""  # Slack sends the profile along in shared channels

    @property
    def root(self) -> str:
        """The thread this message belongs to, or starts."""
        return self.thread or self.ts


@dataclass(frozen=True)
class Click:
    """A click on one of our buttons."""

    user: str
    channel: str
    message_ts: str
    root: str  # the thread of the clicked message (the conversation's thread)
    kind: str  # slack_blocks.CUSTOMER or STAFF
    action: str
    value: str
    label: str
    response_url: str


def said(event: Payload, bot_user_id: str) -> Said | None:
    """A person's message, or None for the bot's own, edits, deletions, joins and the like."""
    user, channel, ts = (str(event.get(key) or "") for key in ("user", "channel", "ts"))
    if event.get("subtype") not in PEOPLE_SUBTYPES or event.get("bot_id"):
        return None
    if not (user and channel and ts) or user == bot_user_id:
        return None
    text = str(event.get("text") or "")
    return Said(
        user=user,
        channel=channel,
        ts=ts,
        thread=str(event.get("thread_ts") or ""),
        text=text,
        private=event.get("channel_type") in PRIVATE,
        mentions_bot=bool(bot_user_id) and f"<@{bot_user_id}" in text,
        profile_name=profile_name(event.get("user_profile")),
    )


def profile_name(profile: Any) -> str:
    """The name people see: display name, else real name, else user name."""
    if not isinstance(profile, Mapping):
        return ""
    for key in ("display_name", "real_name", "name"):
        if name := str(profile.get(key) or "").strip():
            return name
    return ""


def command_parts(text: str) -> tuple[str, str]:
    """`/support claim T-12` arrives as "claim T-12": ("claim", "T-12"); nothing means help."""
    name, _, rest = plain_text(text).partition(" ")
    return (name.lstrip("/").lower() or "help"), rest.strip()


def click(payload: Payload) -> Click | None:
    """The first action of a block_actions payload, if it is one of our buttons."""
    actions = payload.get("actions") or [{}]
    action = actions[0]
    parsed = parse_action_id(str(action.get("action_id", "")))
    if parsed is None:
        return None
    container, message = payload.get("container") or {}, payload.get("message") or {}
    message_ts = str(container.get("message_ts") or message.get("ts") or "")
    root = message.get("thread_ts") or container.get("thread_ts") or message_ts
    channel = container.get("channel_id") or (payload.get("channel") or {}).get("id", "")
    return Click(
        user=str((payload.get("user") or {}).get("id", "")),
        channel=str(channel),
        message_ts=message_ts,
        root=str(root),
        kind=parsed[0],
        action=parsed[1],
        value=str(action.get("value") or ""),
        label=str((action.get("text") or {}).get("text") or ""),
        response_url=str(payload.get("response_url") or ""),
    )


def person(user: str, name: str = "", groups: tuple[str, ...] = ()) -> Person:
    return Person(PLATFORM, user, name, groups)


def thread_address(channel: str, root: str) -> Address:
    """A customer conversation: one per thread."""
    return Address(PLATFORM, channel, root)


def to_incoming(
    message: Said,
    sender: Person,
    address: Address,
    names: Mapping[str, str],
    bot_user_id: str,
    locales: tuple[str, ...] = (),
) -> Incoming:
    """The message as the customer meant it: markup made readable, the bot's mention dropped."""
    text = plain_text(message.text, names, drop=bot_user_id)
    return Incoming.message(sender, address, text, locales)


def to_click(found: Click, sender: Person, address: Address) -> Incoming:
    """A customer's answer to a question of their conversation."""
    return Incoming.click(sender, address, found.action, found.value, found.label)


def to_staff_click(found: Click, sender: Person) -> Incoming:
    """A staff button is a command with its arguments: "Claim" on T-12 runs claim T-12."""
    return Incoming.slash(sender, Address(PLATFORM, found.channel), found.action, found.value)


def to_command(sender: Person, channel: str, text: str) -> Incoming:
    """`/support <command> <arguments>` from `channel`."""
    name, rest = command_parts(text)
    return Incoming.slash(sender, Address(PLATFORM, channel), name, rest)
