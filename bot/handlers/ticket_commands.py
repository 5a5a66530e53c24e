"""Staff commands on tickets: claim, unclaim, queue, mine, ticket, note, reopen."""

from __future__ import annotations

from bot.core import Context
from bot.handlers.commands import command
from bot.handlers.outbound import tell_customer
from bot.handlers.request_deadlines import tell_requester_claimed
from bot.handlers.ticket_lookup import (
    actor,
    may_handle,
    my_departments,
    my_tickets,
    split_ref,
    ticket_command,
    ticket_for,
)
from bot.handlers.tickets_flow import department_name, update_queue
from bot.models import Reply
from bot.text import shorten
from bot.tickets.flags import flag_customer
from bot.tickets.model import Event, Handler, Status, Ticket
from bot.tickets.queue import in_order


@command("claim", "/claim [ticket]", "take the next ticket in your queues, or the one named")
async def claim(ctx: Context) -> list[Reply]:
    ref, _ = split_ref(ctx.incoming.text)
    found = await ticket_for(ctx, ref) if ref else await _next_waiting(ctx)
    if isinstance(found, Reply):
        return [found]
    if problem := _cannot_claim(ctx, found):
        return [problem]
    await take(ctx, found)
    name = department_name(ctx, found.department)
    who = await ctx.services.customer_of(found)
    text = ctx.t(
        "claim_done", ticket=found.id, customer=who, language=found.language, department=name
    )
    return [Reply(text)]


async def take(ctx: Context, ticket: Ticket) -> None:
    """Make the sender the ticket's handler and tell the customer who is helping (A2)."""
    assert ctx.staff_member is not None  # staff commands only
    now = ctx.services.clock.now()
    member = ctx.staff_member
    ticket.status = Status.CLAIMED
    ticket.handler = Handler(member.id, member.name, ctx.incoming.sender.platform)
    ticket.log("claimed", now, by=member.name)
    await ctx.services.desk.save(ticket)
    await ctx.services.desk.note_claim(ticket.department, now)
    if ticket.is_request:
        await tell_requester_claimed(ctx.services, ticket, member.name)
    else:
        await _tell_customer_claimed(ctx, ticket, member.name)
    await update_queue(ctx.services, ticket.department)


async def _tell_customer_claimed(ctx: Context, ticket: Ticket, staff: str) -> None:
    conv = await ctx.services.conversations.get(ticket.conversation)
    name = conv.name if conv else ""
    values = {"staff": staff, "department": department_name(ctx, ticket.department)}
    phrase = "claimed_by" if name else "claimed_by_anonymous"
    await tell_customer(ctx.services, ticket.conversation, phrase, name=name, **values)


@ticket_command("unclaim", "/unclaim [ticket]", "put a ticket back in its queue")
async def unclaim(ctx: Context, found: Ticket, rest: str) -> list[Reply]:
    found.status, found.handler = Status.WAITING, None
    found.log("unclaimed", ctx.services.clock.now(), by=actor(ctx))
    await ctx.services.desk.save(found)
    await tell_customer(ctx.services, found.conversation, "back_in_queue")
    name = department_name(ctx, found.department)
    return [Reply(ctx.t("unclaim_done", ticket=found.id, department=name))]


@command("queue", "/queue [department]", "who is waiting, in order")
async def show_queue(ctx: Context) -> list[Reply]:
    wanted = ctx.incoming.text.strip()
    departments = [d.id for d in my_departments(ctx)] or ["support"]
    if wanted:
        departments = [wanted]
    return [Reply("\n\n".join([await _queue_text(ctx, d) for d in departments]))]


@command("mine", "/mine", "your open tickets")
async def mine(ctx: Context) -> list[Reply]:
    tickets = await my_tickets(ctx)
    if not tickets:
        return [Reply(ctx.t("mine_none"))]
    return [Reply("\n".join([ctx.t("mine_header"), *await summary_lines(ctx, tickets)]))]


@ticket_command("ticket", "/ticket <ticket>", "a ticket's transcript, notes, flags and history", 1)
async def show_ticket(ctx: Context, found: Ticket, rest: str) -> list[Reply]:
    messages = await ctx.services.transcript.after(found.conversation, 0)
    conv = await ctx.services.conversations.get(found.conversation)
    [heading] = await summary_lines(ctx, [found])
    lines = [heading, f"flags: {', '.join(found.flags) or '-'}"]
    lines += [f"note [{n.at:%d %b %H:%M}] {n.by}: {n.note}" for n in found.notes]
    lines += [f"[{e.at:%d %b %H:%M}] {e.what} {e.by} {e.note}".rstrip() for e in found.history]
    lines += ["--- transcript ---", *ctx.services.staff_names.transcript_lines(conv, messages)]
    return [Reply("\n".join(lines))]


@ticket_command("note", "/note [ticket] <text>", "an internal note the customer never sees", 1)
async def add_note(ctx: Context, found: Ticket, text: str) -> list[Reply]:
    found.notes.append(Event("note", ctx.services.clock.now(), actor(ctx), text))
    await ctx.services.desk.save(found)
    return [Reply(ctx.t("note_added", ticket=found.id))]


@ticket_command("reopen", "/reopen <ticket>", "open a closed or resolved ticket again", 1)
async def reopen(ctx: Context, found: Ticket, rest: str) -> list[Reply]:
    found.reopen(ctx.services.clock.now(), by=actor(ctx))
    await ctx.services.desk.save(found)
    await _reattach(ctx, found)
    await tell_customer(ctx.services, found.conversation, "reopened_customer", ticket=found.id)
    return [Reply(ctx.t("reopen_done", ticket=found.id))]


async def summary_lines(ctx: Context, tickets: list[Ticket]) -> list[str]:
    """One line per ticket, each naming its customer as staff should see them."""
    return [summary_line(t, await ctx.services.customer_of(t)) for t in tickets]


def summary_line(ticket: Ticket, who: str) -> str:
    if ticket.is_request:
        who = f"{who} ({ticket.requester_department or 'staff'})"
    handler = ticket.handler.name if ticket.handler else "-"
    flags = f" [{', '.join(ticket.flags)}]" if ticket.flags else ""
    return (
        f"{ticket.id} · {ticket.status.value} · {ticket.priority.value} · {who} · "
        f"{ticket.language} · {ticket.department} · {handler}{flags} · {shorten(ticket.topic, 50)}"
    )


async def _reattach(ctx: Context, ticket: Ticket) -> None:
    async with ctx.services.conversations.locked(ticket.conversation) as conv:
        if conv is not None:
            conv.ticket = ticket.id


async def _next_waiting(ctx: Context) -> Ticket | Reply:
    departments = [d.id for d in my_departments(ctx)] or ["support"]
    waiting = [t for d in departments for t in await ctx.services.desk.queue(d)]
    ordered = in_order(waiting)
    return ordered[0] if ordered else Reply(ctx.t("claim_nothing"))


def _cannot_claim(ctx: Context, ticket: Ticket) -> Reply | None:
    if ticket.status is Status.CLOSED:
        return Reply(ctx.t("ticket_closed_already", ticket=ticket.id))
    if ticket.handler is not None and ticket.status is not Status.WAITING:
        return Reply(ctx.t("claim_taken", ticket=ticket.id, handler=ticket.handler.name))
    if not may_handle(ctx, ticket):
        name = department_name(ctx, ticket.department)
        return Reply(ctx.t("claim_not_your_team", ticket=ticket.id, department=name))
    return None


async def _queue_text(ctx: Context, department: str) -> str:
    queue = await ctx.services.desk.queue(department)
    name = department_name(ctx, department)
    if not queue:
        return ctx.t("queue_empty", department=name)
    now = ctx.services.clock.now()
    summaries = await summary_lines(ctx, queue)
    lines = [
        f"{i}. {summary} · {int((now - t.opened_at).total_seconds() // 60)} min"
        for i, (t, summary) in enumerate(zip(queue, summaries, strict=True), 1)
    ]
    return "\n".join([ctx.t("queue_header", department=name), *lines])


@command("flag", "/flag <ticket|conversation|platform:user> <reason>", "flag a customer (E3)", 2)
async def flag(ctx: Context) -> list[Reply]:
    who, reason = ctx.incoming.text.split(maxsplit=1)
    customer = await _customer_key(ctx, who)
    if not customer:
        return [Reply(ctx.t("flag_unknown", who=who))]
    now = ctx.services.clock.now()
    await flag_customer(ctx.services.store, customer, reason, actor(ctx), now)
    for ticket in await ctx.services.desk.active(customer_key=customer):
        ticket.flags = sorted({*ticket.flags, f"flagged: {reason}"})
        await ctx.services.desk.save(ticket)
    return [Reply(ctx.t("flag_done", customer=customer, reason=reason))]


async def _customer_key(ctx: Context, who: str) -> str:
    if who.upper().startswith("T"):
        ticket = await ctx.services.desk.get(who)
        return ticket.customer.key if ticket else ""
    if who.upper().startswith("C-"):
        conv = await ctx.services.conversations.by_ref(who)
        return conv.customer.key if conv else ""
    return who if ":" in who else ""
