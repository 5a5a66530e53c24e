"""Passing a ticket on: transfer with permission (D3), escalate (E5), handover (E6)."""

from __future__ import annotations

from bot.core import Context
from bot.departments import Department
from bot.events import StaffNotice
from bot.handlers.outbound import ask_customer, tell_customer
from bot.handlers.ticket_lookup import actor, asked_phrase, ticket_command
from bot.handlers.tickets_flow import department_name, queue_news
from bot.i18n import Localized
from bot.models import Reply
from bot.staff import StaffMember
from bot.tickets.model import Handler, Priority, Status, Ticket


@ticket_command("transfer", "/transfer [ticket] <department|staff id> <reason>", "ask, move", 1)
async def transfer(ctx: Context, found: Ticket, rest: str) -> list[Reply]:
    target, _, reason = rest.partition(" ")
    label = await _target_label(ctx, target)
    if not label:
        known = ", ".join(ctx.services.departments) or "-"
        return [Reply(ctx.t("transfer_unknown", target=target, departments=known))]
    found.pending = {"transfer": {"to": target, "reason": reason.strip()}}
    await ctx.services.desk.save(found)
    staff = found.handler.name if found.handler else actor(ctx)
    buttons = (("transfer_yes", "transfer_ok"), ("transfer_no", "transfer_declined"))
    await ask_customer(ctx.services, found, "transfer_ask", buttons, staff=staff, target=label)
    return [Reply(ctx.t(asked_phrase("transfer_asked", found), ticket=found.id, target=label))]


async def transfer_ok(ctx: Context) -> list[Reply]:
    """The customer agreed: the new handler or queue gets the ticket with everything so far."""
    ticket = await ctx.services.desk.get(ctx.incoming.value)
    if ticket is None or "transfer" not in ticket.pending:
        return [Reply(ctx.t("stale_button"))]
    target, reason = ticket.pending["transfer"]["to"], ticket.pending["transfer"]["reason"]
    ticket.pending = {}
    ticket.log("transferred", ctx.services.clock.now(), note=f"to {target}: {reason}")
    member = await _staff(ctx, target)
    if member is not None:
        ticket.status, ticket.handler = Status.CLAIMED, Handler(member.id, member.name)
        await ctx.services.desk.save(ticket)
        await _tell_new_handler(ctx, ticket, member, f"transferred: {reason}")
        name = department_name(ctx, ticket.department)
        return [Reply(ctx.t("claimed_by_anonymous", staff=member.name, department=name))]
    ticket.department, ticket.status, ticket.handler = target, Status.WAITING, None
    ctx.conv().department = target
    await ctx.services.desk.save(ticket)
    return await queue_news(ctx, ticket)


async def transfer_declined(ctx: Context) -> list[Reply]:
    ticket = await ctx.services.desk.get(ctx.incoming.value)
    if ticket is None or "transfer" not in ticket.pending:
        return [Reply(ctx.t("stale_button"))]
    ticket.pending = {}
    ticket.log("transfer declined", ctx.services.clock.now(), by="customer")
    await ctx.services.desk.save(ticket)
    staff = ticket.handler.name if ticket.handler else ""
    return [Reply(ctx.t("transfer_declined", staff=staff))]


@ticket_command("escalate", "/escalate [ticket] <reason>", "to the senior contact (E5)", 1)
async def escalate(ctx: Context, found: Ticket, reason: str) -> list[Reply]:
    department = ctx.services.departments.get(found.department)
    senior = department.senior if department else None
    if department is None or senior is None:
        name = department_name(ctx, found.department)
        return [Reply(ctx.t("no_senior", department=name))]
    await _escalate_to(ctx, found, department, reason)
    return [Reply(ctx.t("escalated_staff", ticket=found.id, senior=senior.name))]


@ticket_command(
    "handover", "/handover [ticket] <staff id> [note]", "pass it to a colleague (E6)", 1
)
async def handover(ctx: Context, found: Ticket, rest: str) -> list[Reply]:
    who, _, note = rest.partition(" ")
    member = await _staff(ctx, who)
    if member is None:
        return [Reply(ctx.t("handover_unknown", who=who))]
    found.status, found.handler = Status.CLAIMED, Handler(member.id, member.name)
    found.log(
        "handed over", ctx.services.clock.now(), by=actor(ctx), note=f"to {member.name}: {note}"
    )
    await ctx.services.desk.save(found)
    why = f"handed over by {actor(ctx)}: {note}" if note else f"handed over by {actor(ctx)}"
    await _tell_new_handler(ctx, found, member, why)
    name = department_name(ctx, found.department)
    await tell_customer(
        ctx.services, found.conversation, "claimed_by_anonymous", staff=member.name, department=name
    )
    return [Reply(ctx.t("handover_done", ticket=found.id, staff=member.name))]


async def _escalate_to(ctx: Context, ticket: Ticket, department: Department, reason: str) -> None:
    assert department.senior is not None
    senior = department.senior
    now = ctx.services.clock.now()
    ticket.priority = Priority.HIGH if ticket.priority is Priority.NORMAL else ticket.priority
    ticket.flags = sorted({*ticket.flags, "escalated"})
    web_id = senior.accounts.get("web")
    if web_id:
        ticket.status, ticket.handler = Status.CLAIMED, Handler(web_id, senior.name)
    ticket.log("escalated", now, by=actor(ctx), note=f"to {senior.name}: {reason}")
    await ctx.services.desk.save(ticket)
    text = ctx.t("escalation_notice", ticket=ticket.id, staff=actor(ctx), reason=reason)
    await ctx.services.bus.publish(StaffNotice(senior.accounts, text, ticket.id))
    await tell_customer(ctx.services, ticket.conversation, "escalated_customer", senior=senior.name)


async def _tell_new_handler(ctx: Context, ticket: Ticket, member: StaffMember, why: str) -> None:
    """The new handler hears about it at once, and where everything so far is (D3, E6)."""
    language = ctx.services.settings.default_language
    text = ctx.services.catalog.text(language, "passed_to_you", ticket=ticket.id, why=why)
    await ctx.services.bus.publish(StaffNotice(member.accounts, text, ticket.id))


async def _target_label(ctx: Context, target: str) -> str | Localized:
    if target in ctx.services.departments:
        return department_name(ctx, target)
    member = await _staff(ctx, target)
    return member.name if member else ""


async def _staff(ctx: Context, staff_id: str) -> StaffMember | None:
    return next((m for m in await ctx.services.staff.all() if m.id == staff_id), None)
