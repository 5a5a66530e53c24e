"""Messages while a person is being found: nothing the customer writes is lost (B1, B3).
A team named in words is taken, a question the knowledge base is sure of is still answered,
anything else joins the request and is acknowledged."""

from __future__ import annotations

from bot.conversation import Stage
from bot.core import Context
from bot.departments import Department
from bot.handlers.faq import answer_with, confident_entry, while_waiting
from bot.handlers.intake import set_topic
from bot.handlers.names import says_something
from bot.handlers.tickets_flow import ask_department, hand_over
from bot.models import Reply, Role
from bot.text import fold, words
from bot.tickets.model import Status


async def add_to_request(ctx: Context) -> list[Reply]:
    """A further message while a person is being found."""
    conv = ctx.conv()
    if not conv.ticket:
        return await _while_choosing_team(ctx)
    ticket = await ctx.services.desk.get(conv.ticket)
    if ticket is not None and ticket.status is Status.WAITING and _is_question(ctx):
        entry = await confident_entry(ctx, ctx.incoming.text)
        if entry is not None:
            return while_waiting(ctx, entry, conv.ticket)
    return await _acknowledge(ctx)


async def _while_choosing_team(ctx: Context) -> list[Reply]:
    """The team buttons are open: a team named in words is taken; a question the knowledge
    base answers with confidence is answered; anything else is added to the request."""
    conv = ctx.conv()
    text = ctx.incoming.text
    if (team := named_department(text, ctx.services.departments)) is not None:
        conv.department = team.id
        return await hand_over(ctx, "the customer named the team")
    if _is_question(ctx) and (entry := await confident_entry(ctx, text)) is not None:
        conv.stage = Stage.OPEN
        set_topic(conv, text)
        return answer_with(ctx, entry)
    conv.topic = f"{conv.topic}\n{text}".strip()
    noted = ask_department(ctx)
    return [Reply(f"{ctx.t('added_to_request')} {noted.text}", noted.buttons)]


def named_department(text: str, departments: dict[str, Department]) -> Department | None:
    """A department the text names, in any of its languages ("billing", "Fakturering")."""
    said = f" {' '.join(fold(w) for w in words(text))} "
    for department in departments.values():
        names = {department.id, *department.names.values()}
        if any(f" {' '.join(fold(w) for w in words(name))} " in said for name in names if name):
            return department
    return None


async def _acknowledge(ctx: Context) -> list[Reply]:
    """Acknowledge once; stay quiet while a person or our acknowledgement has the floor."""
    conv = ctx.conv()
    recent = await ctx.services.transcript.after(conv.key, max(0, conv.last_seq - 50))
    last_other = next((m for m in reversed(recent) if m.role is not Role.CUSTOMER), None)
    ack = ctx.t("ticket_has_it", ticket=conv.ticket)
    if last_other and (last_other.role is Role.STAFF or last_other.text == ack):
        return []
    return [Reply(ack)]


def _is_question(ctx: Context) -> bool:
    return says_something(ctx.incoming.text, ctx.services.catalog.language(ctx.language))
