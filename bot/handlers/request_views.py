"""Seeing internal requests: `/requests` (mine and my departments') and `/request <R-id>`."""

from __future__ import annotations

from datetime import datetime

from bot.core import Context
from bot.handlers.commands import command
from bot.handlers.request_deadlines import due_text
from bot.handlers.ticket_lookup import my_departments
from bot.models import Reply
from bot.text import shorten
from bot.tickets.model import REQUEST, Ticket


async def show_request(ctx: Context, ref: str) -> list[Reply]:
    """One request: who asked whom, deadlines, history and the conversation so far."""
    found = await ctx.services.desk.get(ref)
    if found is None or not found.is_request:
        return [Reply(ctx.t("request_unknown", ref=ref))]
    lines = [request_line(ctx, found), f"flags: {', '.join(found.flags) or '-'}"]
    lines += [f"{m.replace('_', ' ')} due: {_due(ctx, found, m)}" for m in found.due]
    lines += [f"note [{n.at:%d %b %H:%M}] {n.by}: {n.note}" for n in found.notes]
    lines += [f"[{e.at:%d %b %H:%M}] {e.what} {e.by} {e.note}".rstrip() for e in found.history]
    messages = await ctx.services.transcript.after(found.conversation, 0)
    conv = await ctx.services.conversations.get(found.conversation)
    lines += ["--- messages ---", *ctx.services.staff_names.transcript_lines(conv, messages)]
    return [Reply("\n".join(lines))]


@command("requests", "/requests", "your open internal requests and your departments' requests")
async def list_requests(ctx: Context) -> list[Reply]:
    open_ones = await ctx.services.desk.active(kind=REQUEST)
    sender = ctx.incoming.sender.key
    mine = [r for r in open_ones if r.customer.key == sender]
    sections = [_section(ctx, ctx.t("requests_mine_header"), mine)] if mine else []
    for department in my_departments(ctx):
        theirs = [r for r in open_ones if r.department == department.id]
        if theirs:
            header = ctx.t("requests_queue_header", department=department.name(ctx.language))
            sections.append(_section(ctx, header, theirs))
    return [Reply("\n\n".join(sections) if sections else ctx.t("requests_none"))]


def request_line(ctx: Context, request: Ticket) -> str:
    source = ctx.services.departments.get(request.requester_department)
    asking = request.customer.name or request.customer.id
    if source is not None:
        asking = f"{asking} ({source.name(ctx.language)})"
    handler = request.handler.name if request.handler else "-"
    linked = f" · for {request.linked}" if request.linked else ""
    return (
        f"{request.id} · {request.status.value} · {request.priority.value} · {asking} → "
        f"{request.department} · {handler}{linked} · {shorten(request.topic, 60)}"
    )


def _section(ctx: Context, header: str, requests: list[Ticket]) -> str:
    lines = []
    for request in sorted(requests, key=lambda r: r.opened_at):
        due = f" · due {_due(ctx, request, 'resolution')}" if "resolution" in request.due else ""
        lines.append(request_line(ctx, request) + due)
    return "\n".join([header, *lines])


def _due(ctx: Context, request: Ticket, milestone: str) -> str:
    at = datetime.fromisoformat(request.due[milestone])
    return due_text(ctx.services, ctx.language, request.department, at)
