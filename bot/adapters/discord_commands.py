"""The slash commands: `/support <command>` built from the staff command table, and `/help`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord_interactions import Interactions
from bot.handlers.commands import COMMANDS, Command

SUBCOMMANDS, CHOICES, DESCRIPTION_CHARS = 25, 25, 100  # Discord's limits
MORE = "more"  # runs the commands that do not fit as subcommands
RARELY_TYPED = ("audit", "stats", "gaps", "reload", "conversations", "show", "requests", "reopen")
STAFF_PERMISSIONS = discord.Permissions(manage_threads=True)  # the default; admins adjust it
SlashCommand = app_commands.Command[Any, Any, None]


def support_group(name: str, interactions: Interactions) -> app_commands.Group:
    """One group with the staff commands as subcommands, each taking its arguments as text.
    Only members with Manage Threads see it until an admin allows other roles (Server
    Settings > Integrations); the core still checks who is staff."""
    group = app_commands.Group(
        name=name,
        description="Support desk: the staff commands",
        default_permissions=STAFF_PERMISSIONS,
        guild_only=True,
    )
    direct, rest = split_commands(list(COMMANDS.values()))
    for command in direct:
        group.add_command(_subcommand(command, interactions))
    if rest:
        group.add_command(_more(rest, interactions))
    return group


def split_commands(commands: Sequence[Command]) -> tuple[list[Command], list[Command]]:
    """Discord allows 25 subcommands: beyond that, the rarely typed ones go under `more`."""
    if len(commands) <= SUBCOMMANDS:
        return list(commands), []
    spare = len(commands) - (SUBCOMMANDS - 1)
    ranked = sorted(commands, key=lambda c: _rarity(c.name), reverse=True)
    moved = {c.name for c in ranked[:spare]}
    return [c for c in commands if c.name not in moved], [c for c in commands if c.name in moved]


def staff_spellings(group: str) -> dict[str, str]:
    """How each staff command is typed here: "/support claim", or "/support more audit"
    for those that did not fit as subcommands."""
    direct, rest = split_commands(list(COMMANDS.values()))
    spelled = {c.name: f"/{group} {c.name}" for c in direct}
    return spelled | {c.name: f"/{group} {MORE} {c.name}" for c in rest}


def _rarity(name: str) -> int:
    return len(RARELY_TYPED) - RARELY_TYPED.index(name) if name in RARELY_TYPED else 0


def _subcommand(command: Command, interactions: Interactions) -> SlashCommand:
    async def run(interaction: discord.Interaction, args: str | None = None) -> None:
        await interactions.on_command(interaction, command.name, args)

    async def run_bare(interaction: discord.Interaction) -> None:
        await interactions.on_command(interaction, command.name, None)

    hint = command.usage.strip().partition(" ")[2].strip()
    callback = app_commands.describe(args=_short(hint))(run) if hint else run_bare
    return app_commands.Command(
        name=command.name, description=_short(command.summary), callback=callback
    )


def _more(commands: Sequence[Command], interactions: Interactions) -> SlashCommand:
    choices = [app_commands.Choice(name=c.name, value=c.name) for c in commands[:CHOICES]]

    @app_commands.describe(command="the command", args="its arguments, as for the others")
    @app_commands.choices(command=choices)
    async def run(interaction: discord.Interaction, command: str, args: str | None = None) -> None:
        await interactions.on_command(interaction, command, args)

    listed = ", ".join(c.name for c in commands)
    return app_commands.Command(name=MORE, description=_short(f"also: {listed}"), callback=run)


def help_command(interactions: Interactions) -> SlashCommand:
    """`/help [question]` for customers: their private support thread."""

    @app_commands.describe(question="What you need help with (optional)")
    async def run(interaction: discord.Interaction, question: str | None = None) -> None:
        await interactions.on_help(interaction, question)

    return app_commands.Command(
        name="help", description="Talk to our support team in a private thread", callback=run
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"
