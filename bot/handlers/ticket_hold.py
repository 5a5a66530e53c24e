"""Holding with permission (D2): ask first, say why and how long, update when time runs out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.core import Context, Services
from bot.handlers.outbound import ask_customer
from bot.handlers.ticket_lookup import asked_phrase, ticket_command
from bot.i18n import Localized
from bot.l10n import duration_in
from bot.models import Reply
from bot.scheduler import Job
from bot.tickets.model import Status, Ticket

MAX_HOLD_MINUTES = 240


@ticket_command("hold", "/hold [ticket] <minutes> <reason>", "ask the customer to wait (D2)", 2)
async def hold(ctx: Context, found: Ticket, rest: str) -> list[Reply]:
    minutes_text, _, reason = rest.partition(" ")
    if not minutes_text.isdigit() or not 1 <= int(minutes_text) <= MAX_HOLD_MINUTES or not reason:
        return [Reply(ctx.t("command_usage", usage="/hold [ticket] <minutes 1-240> <reason>"))]
    found.pending = {"hold": {"minutes": int(minutes_text), "reason": reason.strip()}}
    await ctx.services.desk.save(found)
    staff = _handler_name(found, ctx)
    buttons = (("hold_yes", "hold_ok"), ("hold_no", "hold_declined"))
    length = _length(int(minutes_text))
    await ask_customer(
        ctx.services,
        found,
        "hold_ask",
        buttons,
        staff=staff,
        reason=reason.strip(),
        duration=length,
    )
    return [Reply(ctx.t(asked_phrase("hold_asked", found), ticket=found.id, duration=length))]


async def hold_ok(ctx: Context) -> list[Reply]:
    ticket = await _pending(ctx, "hold")
    if ticket is None:
        return [Reply(ctx.t("stale_button"))]
    minutes = int(ticket.pending["hold"]["minutes"])
    await _start_hold(ctx.services, ticket, minutes, "on hold")
    return [Reply(ctx.t("hold_started", duration=_length(minutes)))]


async def hold_declined(ctx: Context) -> list[Reply]:
    ticket = await _pending(ctx, "hold")
    if ticket is None:
        return [Reply(ctx.t("stale_button"))]
    ticket.pending = {}
    ticket.log("hold declined", ctx.services.clock.now(), by="customer")
    await ctx.services.desk.save(ticket)
    return [Reply(ctx.t("hold_declined", staff=_handler_name(ticket, ctx)))]


async def keep_waiting(ctx: Context) -> list[Reply]:
    ticket = await ctx.services.desk.get(ctx.incoming.value)
    if ticket is None or ticket.status is not Status.ON_HOLD:
        return [Reply(ctx.t("stale_button"))]
    minutes = int(ticket.pending.get("held", {}).get("minutes", 10))
    await _start_hold(ctx.services, ticket, minutes, "hold extended")
    return [Reply(ctx.t("hold_extended", duration=_length(minutes)))]


async def contact_later(ctx: Context) -> list[Reply]:
    ticket = await ctx.services.desk.get(ctx.incoming.value)
    if ticket is None or ticket.status is not Status.ON_HOLD:
        return [Reply(ctx.t("stale_button"))]
    await end_hold(ctx.services, ticket, "customer asked to be contacted later")
    ticket.flags = sorted({*ticket.flags, "contact later"})
    await ctx.services.desk.save(ticket)
    return [Reply(ctx.t("hold_later_ok"))]


async def end_hold(services: Services, ticket: Ticket, why: str) -> None:
    """Back from hold: the timer is cancelled and the ticket is with its handler again."""
    await services.scheduler.cancel(f"hold:{ticket.id}")
    ticket.status, ticket.pending = Status.CLAIMED, {}
    ticket.log("hold ended", services.clock.now(), note=why)
    await services.desk.save(ticket)


def hold_expired_job(services: Services) -> Callable[[Job], Awaitable[None]]:
    """When the promised time runs out and staff are not back: update and ask (D2, D4)."""

    async def expire(job: Job) -> None:
        ticket = await services.desk.get(str(job.payload["ticket"]))
        if ticket is None or ticket.status is not Status.ON_HOLD:
            return
        ticket.log("hold expired", services.clock.now())
        await services.desk.save(ticket)
        staff = ticket.handler.name if ticket.handler else ""
        buttons = (("hold_keep_waiting", "hold_wait"), ("hold_contact_later", "hold_later"))
        await ask_customer(services, ticket, "hold_expired", buttons, staff=staff)

    return expire


async def _start_hold(services: Services, ticket: Ticket, minutes: int, what: str) -> None:
    now = services.clock.now()
    reason = ticket.pending.get("hold", {}).get("reason", "")
    ticket.status, ticket.pending = Status.ON_HOLD, {"held": {"minutes": minutes}}
    ticket.log(what, now, by="customer agreed", note=f"{minutes} min: {reason}".strip(": "))
    await services.desk.save(ticket)
    due = now + timedelta(minutes=minutes)
    await services.scheduler.schedule(
        "hold_expired", due, {"ticket": ticket.id}, key=f"hold:{ticket.id}"
    )


async def _pending(ctx: Context, kind: str) -> Ticket | None:
    ticket = await ctx.services.desk.get(ctx.incoming.value)
    return ticket if ticket is not None and kind in ticket.pending else None


def _length(minutes: int) -> Localized:
    """ "10 minutes", "1 Stunde", "5 minút" in whichever language the phrase is read."""
    return duration_in(timedelta(minutes=minutes))


def _handler_name(ticket: Ticket, ctx: Context) -> str:
    if ticket.handler:
        return ticket.handler.name
    return ctx.staff_member.name if ctx.staff_member else ""
