"""The staff command registry: one table, the same commands on every platform."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core import Context, Handler
from bot.handlers.audit_hook import run_audited
from bot.models import Reply


@dataclass(frozen=True)
class Command:
    """A slash command: `/name args`; staff-only unless said otherwise."""

    name: str
    usage: str
    summary: str
    handler: Handler
    min_args: int = 0
    staff_only: bool = True


COMMANDS: dict[str, Command] = {}


def command(name: str, usage: str, summary: str, min_args: int = 0) -> Callable[[Handler], Handler]:
    """Decorator that registers a staff command handler under `name`."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, usage, summary, handler, min_args)
        return handler

    return register


async def run_command(ctx: Context) -> list[Reply]:
    """Check the command exists, that the sender may run it and has given enough arguments;
    staff commands that change something are recorded in the audit log."""
    name = ctx.incoming.command.lstrip("/")
    found = COMMANDS.get(name)
    if found is None:
        valid = ", ".join(f"/{n}" for n in sorted(COMMANDS))
        return [Reply(ctx.t("unknown_command", command=name, valid=valid))]
    if found.staff_only and ctx.staff_member is None:
        return [Reply(ctx.t("staff_only", command=name))]
    if len(ctx.incoming.text.split()) < found.min_args:
        return [Reply(ctx.t("command_usage", usage=found.usage))]
    return await run_audited(ctx, name, found.handler)
