"""Button clicks: a registry of action handlers, and a polite answer to stale buttons."""

from __future__ import annotations

from bot.core import Context, Handler
from bot.models import Reply

ACTIONS: dict[str, Handler] = {}


async def run_action(ctx: Context) -> list[Reply]:
    handler = ACTIONS.get(ctx.incoming.action)
    if handler is None:
        return [Reply(ctx.t("stale_button"))]
    return await handler(ctx)
