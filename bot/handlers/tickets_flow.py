"""Handing a conversation to people (B4, C5, D1, D4): open a ticket, say where it stands."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.conversation import Conversation, Stage
from bot.core import Context, Services
from bot.departments import Department
from bot.handlers.outbound import tell_customer
from bot.handlers.request_deadlines import department_in
from bot.handlers.threats import apply_pending_threat
from bot.i18n import Localized
from bot.l10n import duration_in, time_of_day, weekday, zone_name
from bot.models import Button, Reply
from bot.tickets.model import Priority, Status, Ticket
from bot.tickets.queue import Place, materially_changed, place_of

GENERAL = "support"  # the one queue used when no departments are configured


async def hand_over(ctx: Context, why: str, priority: Priority = Priority.NORMAL) -> list[Reply]:
    """Open a ticket (or reuse the active one) and tell the customer what happens next."""
    conv = ctx.conv()
    conv.stage = Stage.WITH_PERSON
    existing = await ctx.services.desk.get(conv.ticket) if conv.ticket else None
    if existing is not None and existing.active:
        return await _where_it_stands(ctx, existing)
    known = conv.department in ctx.services.departments or not ctx.services.departments
    department = (conv.department if known else "") or _only_department(ctx)
    if not department:
        return [ask_department(ctx)]
    ticket = await ctx.services.desk.open(conv, department, priority, why)
    conv.ticket = ticket.id
    await apply_pending_threat(ctx, ticket)
    return await queue_news(ctx, ticket)


async def _where_it_stands(ctx: Context, ticket: Ticket) -> list[Reply]:
    """Asked for a person while the ticket is open: a resolved one the customer did not
    confirm is open again (it is not solved); in the queue, the place and the wait; with a
    person, that they have it."""
    if ticket.status is Status.RESOLVED:
        ticket.reopen(ctx.services.clock.now(), by="customer")
        await ctx.services.desk.save(ticket)
    if ticket.status is Status.WAITING:
        return await queue_news(ctx, ticket)
    return [Reply(ctx.t("ticket_with_person", ticket=ticket.id))]


async def pick_department(ctx: Context) -> list[Reply]:
    """The customer chose the team from the buttons."""
    if ctx.incoming.value not in ctx.services.departments:
        return [ask_department(ctx)]
    ctx.conv().department = ctx.incoming.value
    return await hand_over(ctx, "customer chose the department")


async def queue_news(ctx: Context, ticket: Ticket) -> list[Reply]:
    """D1/D4: the ticket, the place in the queue and an honest wait, or when the team is back."""
    name = department_name(ctx, ticket.department)
    opened = ctx.t("handoff_opened", department=name, ticket=ticket.id)
    place = await ctx.services.desk.place(ticket)
    await _remember_told(ctx.services, ticket, place)
    back = back_at(ctx, ticket.department, ctx.services.clock.now())
    if back:
        return [Reply(f"{opened} {ctx.t('queue_closed', department=name, when=back)}")]
    if place.wait is None:
        return [Reply(f"{opened} {ctx.t('queue_wait_unknown', position=place.position)}")]
    wait = duration_in(place.wait, approximate=True)
    return [Reply(f"{opened} {ctx.t('queue_wait', position=place.position, wait=wait)}")]


async def update_queue(services: Services, department: str) -> None:
    """D1: tell waiting customers when their place changed materially (next, 2 places, half)."""
    seconds = await services.desk.seconds_per_claim(department)
    queue = await services.desk.queue(department)
    for ticket in queue:
        place = place_of(ticket, queue, seconds)
        before = _told(ticket)
        if before is None or not materially_changed(before, place):
            continue
        await _remember_told(services, ticket, place)
        if place.position == 1:
            await tell_customer(services, ticket.conversation, "queue_next")
        elif place.wait is not None:
            await tell_customer(
                services,
                ticket.conversation,
                "queue_update",
                position=place.position,
                wait=duration_in(place.wait, approximate=True),
            )


async def _remember_told(services: Services, ticket: Ticket, place: Place) -> None:
    wait = place.wait.total_seconds() if place.wait is not None else None
    ticket.told = {"position": place.position, "waiting": place.waiting, "wait_s": wait}
    await services.desk.save(ticket)


def _told(ticket: Ticket) -> Place | None:
    if not ticket.told:
        return None
    wait_s = ticket.told.get("wait_s")
    wait = timedelta(seconds=wait_s) if wait_s is not None else None
    return Place(int(ticket.told["position"]), int(ticket.told["waiting"]), wait)


async def first_response(ctx: Context, conv: Conversation) -> None:
    """Remember when staff first answered the ticket (reports measure it)."""
    ticket = await ctx.services.desk.get(conv.ticket) if conv.ticket else None
    if ticket is not None and ticket.first("first response") is None:
        who = ctx.staff_member.name if ctx.staff_member else ""
        ticket.log("first response", ctx.services.clock.now(), by=who)
        await ctx.services.desk.save(ticket)


async def back_from_hold(ctx: Context, conv: Conversation) -> None:
    """D2: staff are back before or after the hold ran out: end it and thank the customer."""
    ticket = await ctx.services.desk.get(conv.ticket) if conv.ticket else None
    if ticket is None or ticket.status is not Status.ON_HOLD:
        return
    await ctx.services.scheduler.cancel(f"hold:{ticket.id}")
    ticket.status, ticket.pending = Status.CLAIMED, {}
    ticket.log("back from hold", ctx.services.clock.now(), by=ctx.incoming.sender.name)
    await ctx.services.desk.save(ticket)
    phrase = "thanks_for_waiting" if conv.name else "thanks_for_waiting_anonymous"
    await tell_customer(ctx.services, conv.key, phrase, name=conv.name)


def department_name(ctx: Context, department_id: str) -> Localized:
    """The department's name in the language of the phrase it goes into: a staff command's
    notice to a customer names the team in the customer's language, not the staff's."""
    return department_in(ctx.services, department_id)


def back_at(ctx: Context, department_id: str, now: datetime) -> str:
    """ "" while the department is open, else when it opens again, in the customer's words:
    their language's weekday, clock (12- or 24-hour) and name of the department's time zone."""
    found: Department | None = ctx.services.departments.get(department_id)
    hours = ctx.services.hours.get(department_id) if found else None
    if hours is None or hours.is_open(now):
        return ""
    opens = hours.next_open(now).astimezone(hours.zone)
    days = (opens.date() - now.astimezone(hours.zone).date()).days
    locale = ctx.services.catalog.language(ctx.language).locale
    values = {"time": time_of_day(opens, locale), "zone": zone_name(opens, locale)}
    if days == 0:
        return ctx.t("back_today", **values)
    if days == 1:
        return ctx.t("back_tomorrow", **values)
    return ctx.t("back_at", weekday=weekday(opens, locale), **values)


def _only_department(ctx: Context) -> str:
    departments = ctx.services.departments
    if not departments:
        return GENERAL
    return next(iter(departments)) if len(departments) == 1 else ""


def ask_department(ctx: Context) -> Reply:
    buttons = [
        Button(d.name(ctx.language), "pick_department", d.id)
        for d in ctx.services.departments.values()
    ]
    return Reply(ctx.t("ask_department"), tuple(buttons))
