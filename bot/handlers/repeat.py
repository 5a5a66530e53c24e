"""A complaint raised again while an earlier one is still unresolved: join, don't duplicate."""

from __future__ import annotations

from bot.conversation import Stage
from bot.core import Context
from bot.kb.gaps import trigrams
from bot.models import Reply
from bot.tickets.model import Priority, Ticket

SAME_COMPLAINT = 0.3  # trigram overlap with an open ticket's topic that makes it a repeat


async def repeat_of(ctx: Context) -> Ticket | None:
    """An open ticket of this customer, elsewhere, about the same thing."""
    conv = ctx.conv()
    if conv.ticket:
        return None
    text = trigrams(ctx.incoming.text)
    for ticket in await ctx.services.desk.active(customer_key=conv.customer.key):
        overlap = text & trigrams(ticket.topic)
        if (
            ticket.topic
            and len(overlap) / max(1, len(text | trigrams(ticket.topic))) >= SAME_COMPLAINT
        ):
            return ticket
    return None


async def repeated(ctx: Context, ticket: Ticket) -> list[Reply]:
    """A complaint raised again while still unresolved: join it to the ticket, raise priority."""
    ticket.priority = Priority.HIGH if ticket.priority is Priority.NORMAL else ticket.priority
    ticket.flags = sorted({*ticket.flags, "repeat complaint"})
    ticket.log("repeated by the customer", ctx.services.clock.now(), note=ctx.incoming.text)
    await ctx.services.desk.save(ticket)
    conv = ctx.conv()
    conv.ticket, conv.stage, conv.department = ticket.id, Stage.WITH_PERSON, ticket.department
    return [Reply(ctx.t("repeat_complaint", ticket=ticket.id))]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, len(a | b))
