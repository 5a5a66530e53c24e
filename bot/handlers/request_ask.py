"""A ticket asks another department (H2): `/ask`, and the answer comes back to its handler."""

from __future__ import annotations

from datetime import datetime

from bot.core import Context
from bot.events import StaffNotice
from bot.handlers.outbound import tell_customer
from bot.handlers.request_deadlines import department_in, due_in
from bot.handlers.request_filing import draft_for, file_request
from bot.handlers.request_routing import department_named, valid_departments
from bot.handlers.ticket_lookup import actor, ticket_command
from bot.models import Reply
from bot.tickets.model import Event, Ticket


@ticket_command(
    "ask",
    "/ask [ticket] <department> <question>",
    "ask another department for information for a ticket (H2)",
    2,
)
async def ask(ctx: Context, ticket: Ticket, rest: str) -> list[Reply]:
    first, _, question = rest.partition(" ")
    department = department_named(ctx, first)
    if department is None or not question.strip():
        text = ctx.t("request_unknown_department", name=first)
        return [Reply(f"{text} {valid_departments(ctx)}")]
    draft = draft_for(ctx, department.id, question.strip(), linked=ticket.id)
    request, filed = await file_request(ctx, draft)
    ticket.log("asked", ctx.services.clock.now(), by=actor(ctx), note=f"{request.id}: {question}")
    await ctx.services.desk.save(ticket)
    await _tell_customer_we_asked(ctx, ticket, request)
    return [Reply(ctx.t("ask_filed", request=request.id, ticket=ticket.id)), filed]


async def forward_answer(ctx: Context, request: Ticket, text: str, final: bool) -> None:
    """The answer to a linked request goes to the ticket (a note) and its handler (a notice);
    the final one also tells the customer that the information is in (H2, F3)."""
    ticket = await ctx.services.desk.get(request.linked) if request.linked else None
    if ticket is None:
        return
    department = ctx.services.departments.get(request.department)
    name = department.name(ctx.services.settings.default_language) if department else ""
    note = f"{request.id} ({name}): {text}"
    ticket.notes.append(Event("note", ctx.services.clock.now(), actor(ctx), note))
    await ctx.services.desk.save(ticket)
    if ticket.handler is not None:
        notice = ctx.t(
            "ask_answered", request=request.id, ticket=ticket.id, staff=actor(ctx), text=text
        )
        to = {ticket.handler.platform: ticket.handler.staff_id}
        await ctx.services.bus.publish(StaffNotice(to, notice, ticket.id))
    if final and ticket.active:
        await _tell_customer_answered(ctx, ticket, request)


async def _tell_customer_we_asked(ctx: Context, ticket: Ticket, request: Ticket) -> None:
    """In the customer's conversation language, which a staff command's context does not know."""
    department = department_in(ctx.services, request.department)
    if "first_response" not in request.due:
        await tell_customer(
            ctx.services, ticket.conversation, "ask_customer_no_due", department=department
        )
        return
    at = datetime.fromisoformat(request.due["first_response"])
    due = due_in(ctx.services, request.department, at)
    await tell_customer(
        ctx.services, ticket.conversation, "ask_customer", department=department, due=due
    )


async def _tell_customer_answered(ctx: Context, ticket: Ticket, request: Ticket) -> None:
    department = department_in(ctx.services, request.department)
    staff = ticket.handler.name if ticket.handler else ""
    await tell_customer(
        ctx.services,
        ticket.conversation,
        "ask_answered_customer",
        department=department,
        staff=staff,
    )
