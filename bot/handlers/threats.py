"""Threats (E4), wherever they appear: the ticket the conversation has, or gets later, is
urgent and flagged, and the department's threats contact is told on their platform."""

from __future__ import annotations

from bot.core import Context
from bot.events import StaffNotice
from bot.text import shorten
from bot.tickets.model import Priority, Ticket


async def note_threat(ctx: Context, kind: str) -> Ticket | None:
    """Remember the threat on the conversation and act on its active ticket, if any; a
    ticket opened later picks it up (`apply_pending_threat`)."""
    conv = ctx.conv()
    conv.threat = kind
    conv.threat_text = shorten(ctx.incoming.text, 500)
    ticket = await ctx.services.desk.get(conv.ticket) if conv.ticket else None
    if ticket is None or not ticket.active:
        return None
    await apply_pending_threat(ctx, ticket)
    return ticket


async def apply_pending_threat(ctx: Context, ticket: Ticket) -> None:
    """Make the ticket urgent and flagged, and tell the threats contact (once per ticket)."""
    conv = ctx.conv()
    kind, text = conv.threat, conv.threat_text
    if not kind:
        return
    flag = f"{kind} threat"
    conv.threat, conv.threat_text = "", ""
    if flag in ticket.flags and ticket.priority is Priority.URGENT:
        return
    ticket.priority = Priority.URGENT
    ticket.flags = sorted({*ticket.flags, flag})
    ticket.log("threat", ctx.services.clock.now(), note=text)
    await ctx.services.desk.save(ticket)
    await _report(ctx, ticket, kind, text)


async def _report(ctx: Context, ticket: Ticket, kind: str, text: str) -> None:
    department = ctx.services.departments.get(ticket.department)
    contact = department.threats if department else None
    if contact is None:
        return
    who = ctx.services.staff_names.customer(ctx.conv(), ticket.customer)
    notice = ctx.services.catalog.text(
        ctx.services.settings.default_language,
        "threat_notice",
        ticket=ticket.id,
        kind=kind,
        customer=who,
        text=shorten(text, 200),
    )
    await ctx.services.bus.publish(StaffNotice(contact.accounts, notice, ticket.id))
