"""Which ticket a staff command is about, and whether this staff member may act on it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from bot.core import Context
from bot.departments import Department
from bot.handlers.commands import command
from bot.models import Reply
from bot.tickets.model import Status, Ticket

_TICKET_REF = re.compile(r"^[tr]-?\d+$", re.IGNORECASE)  # T-1042 tickets, R-311 requests


def split_ref(text: str) -> tuple[str, str]:
    """("T-12", rest) when the text starts with a ticket or request id, else ("", text)."""
    first, _, rest = text.strip().partition(" ")
    return (first, rest.strip()) if _TICKET_REF.match(first) else ("", text.strip())


async def ticket_for(ctx: Context, ref: str) -> Ticket | Reply:
    """The named ticket, or the staff member's only ticket in hand; else a reply saying why."""
    if ref:
        found = await ctx.services.desk.get(ref)
        return found if found else Reply(ctx.t("ticket_unknown", ref=ref))
    if thread_ticket := str(ctx.incoming.extra.get("ticket", "")):
        return await ticket_for(ctx, thread_ticket)
    mine = await my_tickets(ctx)
    if len(mine) == 1:
        return mine[0]
    if not mine:
        return Reply(ctx.t("ticket_none_yours"))
    listed = ", ".join(t.id for t in mine)
    return Reply(
        ctx.t("ticket_which", tickets=listed, command=ctx.incoming.command, example=mine[0].id)
    )


async def my_tickets(ctx: Context) -> list[Ticket]:
    member = ctx.staff_member
    if member is None:
        return []
    held = await ctx.services.desk.active(status=Status.CLAIMED.value)
    held += await ctx.services.desk.active(status=Status.ON_HOLD.value)
    return sorted(
        (t for t in held if t.handler and t.handler.staff_id == member.id), key=lambda t: t.id
    )


def my_departments(ctx: Context) -> list[Department]:
    """The departments whose staff list names this person (all, when none are configured)."""
    departments = list(ctx.services.departments.values())
    person = ctx.incoming.sender
    member = ctx.staff_member
    web_id = member.id if member else person.id
    return [d for d in departments if d.has_staff(person) or web_id in d.staff.get("web", ())]


def may_handle(ctx: Context, ticket: Ticket) -> bool:
    if not ctx.services.departments:
        return True
    return any(d.id == ticket.department for d in my_departments(ctx))


TicketHandler = Callable[[Context, Ticket, str], Awaitable[list[Reply]]]


def ticket_command(
    name: str, usage: str, summary: str, min_args: int = 0
) -> Callable[[TicketHandler], TicketHandler]:
    """Register a staff command about one ticket: the handler gets the ticket (named first,
    or the only one in hand) and the rest of the text."""

    def register(handler: TicketHandler) -> TicketHandler:
        async def run(ctx: Context) -> list[Reply]:
            ref, rest = split_ref(ctx.incoming.text)
            found = await ticket_for(ctx, ref)
            if isinstance(found, Reply):
                return [found]
            return await handler(ctx, found, rest)

        command(name, usage, summary, min_args)(run)
        return handler

    return register


def actor(ctx: Context) -> str:
    """The name of the staff member running the command."""
    return ctx.staff_member.name if ctx.staff_member else ctx.incoming.sender.name


def asked_phrase(phrase: str, ticket: Ticket) -> str:
    """ "Asked the customer ..." for a ticket, "Asked the requester ..." for a request."""
    return f"{phrase}_request" if ticket.is_request else phrase
