"""Our buttons: a custom_id says what a click means, and persistent items answer it after a
restart (discord.py matches the id against the template; nothing is kept per message)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

import discord

from bot.models import Button
from bot.ports import Store

CUSTOMER = "c"  # answers the conversation's question: Incoming.click
STAFF = "s"  # a staff command with its arguments: Incoming.slash
HELP_ID = "sb:help"  # the support panel's "Get help"
ANSWERED = "answered"  # the disabled button that shows a customer's choice
STASH = "discord_buttons"  # action and value of buttons too long for a custom_id
CUSTOM_ID_CHARS, LABEL_CHARS, BUTTONS_PER_MESSAGE = 100, 80, 25
_ID = re.compile(r"(?s)sb:(?P<kind>[cs]):(?P<index>\d+):(?P<action>[^:#]*)(?::(?P<value>.*))?")
_STASHED = re.compile(r"sb:(?P<kind>[cs]):(?P<index>\d+):#(?P<key>[0-9a-f]+)")
TEMPLATE = r"(?s)sb:[cs]:\d+:.*"
Item = discord.ui.Button[discord.ui.View]


@dataclass(frozen=True)
class Pressed:
    """What a click on one of our buttons means."""

    kind: str
    action: str
    value: str = ""


def custom_id(kind: str, index: int, button: Button) -> str:
    """`sb:<kind>:<index>:<action>:<value>`; the index keeps ids unique within a message."""
    return f"sb:{kind}:{index}:{button.action}:{button.value}"


def parse_custom_id(value: str) -> Pressed | None:
    """The meaning of one of our (unstashed) ids, or None."""
    match = _ID.fullmatch(value)
    if match is None:
        return None
    return Pressed(match["kind"], match["action"], match["value"] or "")


class ButtonStash:
    """Buttons whose action and value do not fit in 100 characters keep them in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def id_for(self, kind: str, index: int, button: Button) -> str:
        plain = custom_id(kind, index, button)
        if len(plain) <= CUSTOM_ID_CHARS:
            return plain
        key = hashlib.sha256(f"{button.action}\n{button.value}".encode()).hexdigest()[:32]
        await self.store.put(STASH, key, {"action": button.action, "value": button.value})
        return f"sb:{kind}:{index}:#{key}"

    async def pressed(self, value: str) -> Pressed | None:
        match = _STASHED.fullmatch(value)
        if match is None:
            return parse_custom_id(value)
        doc = await self.store.get(STASH, match["key"])
        return Pressed(match["kind"], str(doc["action"]), str(doc["value"])) if doc else None


class Clicks(Protocol):
    """What the client does with clicks on our buttons."""

    async def on_button(self, interaction: discord.Interaction, custom_id: str, label: str) -> None:
        """A reply's or a card's button."""

    async def on_help(self, interaction: discord.Interaction) -> None:
        """The panel's "Get help"."""


def _clicks(interaction: discord.Interaction) -> Clicks:
    return cast(Clicks, interaction.client.clicks)  # type: ignore[attr-defined]


class OurButton(discord.ui.DynamicItem[Item], template=TEMPLATE):
    """Any button under a reply or card; the click goes to the client's Clicks."""

    def __init__(
        self,
        custom_id: str,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        label = label.strip()[:LABEL_CHARS] or "…"
        super().__init__(
            discord.ui.Button(label=label, custom_id=custom_id, style=style, disabled=disabled)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OurButton:
        label = item.label if isinstance(item, discord.ui.Button) else ""
        return cls(match.string, label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        await _clicks(interaction).on_button(interaction, self.custom_id, self.item.label or "")


class HelpButton(discord.ui.DynamicItem[Item], template=re.escape(HELP_ID)):
    """The support panel's "Get help": opens a private thread with the customer."""

    def __init__(self, label: str = "Get help") -> None:
        style = discord.ButtonStyle.primary
        super().__init__(discord.ui.Button(label=label, custom_id=HELP_ID, style=style))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> HelpButton:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await _clicks(interaction).on_help(interaction)


async def view_of(
    buttons: Sequence[Button], kind: str, stash: ButtonStash, primary: bool = False
) -> discord.ui.View | None:
    """The buttons in rows (at most 25); the first one primary on cards."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for index, button in enumerate(buttons[:BUTTONS_PER_MESSAGE]):
        style = discord.ButtonStyle.primary if primary and index == 0 else _style(kind)
        view.add_item(OurButton(await stash.id_for(kind, index, button), button.label, style))
    return view


def answered_view(label: str) -> discord.ui.View:
    """What a customer's question shows once answered: their choice, no longer clickable."""
    view = discord.ui.View(timeout=None)
    done = Button(f"✓ {label}" if label else "✓", ANSWERED)
    style = discord.ButtonStyle.success
    view.add_item(OurButton(custom_id(CUSTOMER, 0, done), done.label, style, disabled=True))
    return view


def panel_view(label: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(HelpButton(label))
    return view


def _style(kind: str) -> discord.ButtonStyle:
    return discord.ButtonStyle.secondary if kind == STAFF else discord.ButtonStyle.primary
