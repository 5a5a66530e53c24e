"""`/audit [n]`: the latest staff actions, for department leads (senior contacts) only."""

from __future__ import annotations

from bot import audit
from bot.audit_inbox import import_inbox
from bot.core import Context
from bot.handlers.commands import command
from bot.models import Reply

DEFAULT_SHOWN = 20
MOST_SHOWN = 200


@command("audit", "/audit [n]", "the latest n staff actions (department leads only)")
async def show_audit(ctx: Context) -> list[Reply]:
    """The latest entries, one line each; a polite refusal for anyone but a lead."""
    if not is_lead(ctx):
        return [Reply(ctx.t("audit_leads_only"))]
    shown = _how_many(ctx.incoming.text)
    if shown is None:
        return [Reply(ctx.t("command_usage", usage=f"/audit [1-{MOST_SHOWN}]"))]
    await import_inbox(ctx.services.store)
    entries = await audit.latest(ctx.services.store, shown)
    if not entries:
        return [Reply(ctx.t("audit_empty"))]
    header = ctx.t("audit_header", count=len(entries))
    return [Reply("\n".join([header, *map(audit.line, entries)]))]


def is_lead(ctx: Context) -> bool:
    """A department's senior contact, by their account on this platform or their staff id."""
    sender, member = ctx.incoming.sender, ctx.staff_member
    accounts = {(sender.platform, sender.id)}
    if member is not None:
        accounts |= set(member.accounts.items())
    seniors = (d.senior for d in ctx.services.departments.values() if d.senior)
    return any(set(senior.accounts.items()) & accounts for senior in seniors)


def _how_many(text: str) -> int | None:
    words = text.split()
    if not words:
        return DEFAULT_SHOWN
    shown = int(words[0]) if words[0].isdigit() else 0
    return shown if 1 <= shown <= MOST_SHOWN else None
