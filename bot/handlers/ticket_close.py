"""Closing from the customer's side (F1, F2), rating and comment (F5), follow-up (F3, F4)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.conversation import Stage
from bot.core import Context, Services
from bot.handlers.intake import next_question
from bot.handlers.outbound import post, post_to, tell_customer
from bot.handlers.rating_comment import is_new_question
from bot.handlers.request_ask import forward_answer
from bot.handlers.request_deadlines import due_text
from bot.handlers.ticket_lookup import actor, asked_phrase, ticket_command
from bot.models import Button, Reply, Role
from bot.scheduler import Job
from bot.tickets.model import Status, Ticket

RATINGS = range(1, 6)
_DURATION = re.compile(r"^(\d{1,4})\s*([mhdw])$", re.IGNORECASE)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@ticket_command("resolve", "/resolve [ticket] <summary>", "summarise; the customer confirms", 1)
async def resolve(ctx: Context, found: Ticket, summary: str) -> list[Reply]:
    now = ctx.services.clock.now()
    if found.first("first response") is None:
        found.log("first response", now, by=actor(ctx))
    found.status = Status.RESOLVED
    found.log("resolved", now, by=actor(ctx), note=summary)
    await ctx.services.desk.save(found)
    await _ask_confirmation(ctx.services, found, summary)
    if found.is_request:
        await forward_answer(ctx, found, summary, final=True)
    return [Reply(ctx.t(asked_phrase("resolve_asked", found), ticket=found.id))]


async def own_ticket(ctx: Context, ticket_id: str) -> Ticket | None:
    """The ticket, if it is this conversation's: a button's value names a ticket, and a
    client can send any value, so nobody closes, reopens or rates another's ticket."""
    ticket = await ctx.services.desk.get(ticket_id)
    return ticket if ticket is not None and ticket.conversation == ctx.conv().key else None


async def solved(ctx: Context) -> list[Reply]:
    """F2: the customer confirms; the ticket closes and we ask for a rating (F5)."""
    ticket = await own_ticket(ctx, ctx.incoming.value)
    if ticket is None or ticket.status is not Status.RESOLVED:
        return [Reply(ctx.t("stale_button"))]
    ticket.status = Status.CLOSED
    ticket.log("closed", ctx.services.clock.now(), by="customer", note="confirmed solved")
    await ctx.services.desk.save(ticket)
    conv = ctx.conv()
    conv.ticket, conv.stage, conv.unanswered = "", Stage.OPEN, 0
    conv.finish_request()
    buttons = tuple(Button(str(n), "rate", f"{ticket.id}:{n}") for n in RATINGS)
    return [Reply(ctx.t("closed_thanks"), buttons)]


async def not_solved(ctx: Context) -> list[Reply]:
    """F2: not solved: back to the same handler, who is told."""
    ticket = await own_ticket(ctx, ctx.incoming.value)
    if ticket is None or ticket.status is not Status.RESOLVED:
        return [Reply(ctx.t("stale_button"))]
    ticket.reopen(ctx.services.clock.now(), by="customer", note="not solved")
    await ctx.services.desk.save(ticket)
    staff = ticket.handler.name if ticket.handler else ctx.t("kb_talk_to_person")
    return [Reply(ctx.t("not_solved", staff=staff))]


async def rate(ctx: Context) -> list[Reply]:
    ticket_id, _, score = ctx.incoming.value.partition(":")
    ticket = await own_ticket(ctx, ticket_id)
    if ticket is None or not score.isdigit() or int(score) not in RATINGS:
        return [Reply(ctx.t("stale_button"))]
    ticket.rating = int(score)
    ticket.log("rated", ctx.services.clock.now(), by="customer", note=score)
    await ctx.services.desk.save(ticket)
    conv = ctx.conv()
    if conv.ticket and conv.ticket != ticket.id:  # a late rating: a newer request is under way
        return [Reply(ctx.t("rating_noted", ticket=ticket.id))]
    conv.stage, conv.ticket = Stage.COMMENT, ticket.id
    return [Reply(ctx.t("rating_thanks"), (Button(ctx.t("skip"), "skip_comment", ticket.id),))]


async def take_comment(ctx: Context) -> list[Reply]:
    """A comment on the rating (F5); a new question instead starts a new request."""
    conv = ctx.conv()
    if is_new_question(ctx):
        conv.stage, conv.ticket = Stage.OPEN, ""
        return await next_question(ctx)
    ticket = await ctx.services.desk.get(conv.ticket) if conv.ticket else None
    if ticket is not None:
        ticket.comment = ctx.incoming.text
        await ctx.services.desk.save(ticket)
    conv.stage, conv.ticket = Stage.OPEN, ""
    return [Reply(ctx.t("comment_thanks"))]


async def skip_comment(ctx: Context) -> list[Reply]:
    conv = ctx.conv()
    conv.stage, conv.ticket = Stage.OPEN, ""
    return [Reply(ctx.t("comment_skipped"))]


@ticket_command("followup", "/followup [ticket] <when> <text>", "check in later (F4)", 2)
async def followup(ctx: Context, found: Ticket, rest: str) -> list[Reply]:
    when, _, text = rest.partition(" ")
    due = due_at(when, ctx.services.clock.now())
    if due is None or not text.strip():
        return [Reply(ctx.t("followup_bad_time", when=when))]
    payload = {"ticket": found.id, "text": text.strip(), "by": actor(ctx)}
    await ctx.services.scheduler.schedule("followup", due, payload, key=f"followup:{found.id}")
    found.log("follow-up scheduled", ctx.services.clock.now(), by=actor(ctx), note=due.isoformat())
    await ctx.services.desk.save(found)
    when = due_text(ctx.services, ctx.language, found.department, due)  # the team's own clock
    return [Reply(ctx.t("followup_scheduled", ticket=found.id, when=when))]


def due_at(when: str, now: datetime) -> datetime | None:
    """ "30m", "2h", "3d", "1w" from now, or an ISO date-time (taken as UTC when naive)."""
    if match := _DURATION.match(when.strip()):
        return now + timedelta(**{_UNIT[match.group(2).lower()]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(when.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo)


def followup_job(services: Services) -> Callable[[Job], Awaitable[None]]:
    """The scheduler handler that sends a follow-up (F4) in the staff member's words."""

    async def send(job: Job) -> None:
        ticket = await services.desk.get(str(job.payload["ticket"]))
        if ticket is None:
            return
        conv = await services.conversations.get(ticket.conversation)
        name = conv.name if conv else ""
        await tell_customer(
            services, ticket.conversation, "followup_intro", name=name, ticket=ticket.id
        )
        author = str(job.payload.get("by", ""))
        await post_to(
            services,
            ticket.conversation,
            Reply(str(job.payload["text"]), author=author),
            Role.STAFF,
            author,
        )
        ticket.log("followed up", services.clock.now(), by=author)
        await services.desk.save(ticket)

    return send


async def _ask_confirmation(services: Services, ticket: Ticket, summary: str) -> None:
    async with services.conversations.locked(ticket.conversation) as conv:
        if conv is None:
            return
        language = conv.language
        text = services.catalog.text(language, "resolved_summary", summary=summary)
        buttons = (
            Button(services.catalog.text(language, "solved_yes"), "solved_yes", ticket.id),
            Button(services.catalog.text(language, "solved_no"), "solved_no", ticket.id),
        )
        author = services.catalog.text(language, "bot_author")
        await post(services, conv, Reply(text, buttons), Role.BOT, author)
