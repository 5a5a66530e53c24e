"""ROUTES: the ordered table of everything the bot does; the first matching route wins."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Stage
from bot.core import Context, Route
from bot.handlers import (  # noqa: F401  (importing registers the commands)
    audit_view,
    draft_command,
    request_ask,
    request_filing,
    request_views,
    staff_commands,
    stats_command,
    ticket_close,
    ticket_commands,
    ticket_hold,
    ticket_transfer,
)
from bot.handlers.actions import ACTIONS, run_action
from bot.handlers.commands import run_command
from bot.handlers.faq import did_not_help, helped, picked, wants_person
from bot.handlers.intake import (
    greet,
    next_question,
    switch_language,
    take_name,
    take_topic,
)
from bot.handlers.language import is_language_request
from bot.handlers.ticket_close import not_solved, rate, skip_comment, solved, take_comment
from bot.handlers.ticket_hold import contact_later, hold_declined, hold_ok, keep_waiting
from bot.handlers.ticket_transfer import transfer_declined, transfer_ok
from bot.handlers.tickets_flow import pick_department
from bot.handlers.triggers import ended, is_ended, is_signal, react
from bot.handlers.waiting import add_to_request
from bot.models import Kind

When = Callable[[Context], bool]


def kind_is(kind: Kind) -> When:
    return lambda ctx: ctx.incoming.kind is kind


def message_at(stage: Stage) -> When:
    return lambda ctx: ctx.incoming.kind is Kind.MESSAGE and ctx.conv().stage is stage


def language_request(ctx: Context) -> bool:
    return ctx.incoming.kind is Kind.MESSAGE and is_language_request(ctx)


ROUTES: list[Route] = [
    Route("staff or customer command", kind_is(Kind.COMMAND), run_command),
    Route("button click", kind_is(Kind.ACTION), run_action),
    Route("'in German, please'", language_request, switch_language),
    Route("a conversation we ended (E3)", is_ended, ended),
    Route("abuse, threat, anger or 'a person, please'", is_signal, react),
    Route("first message: greet", message_at(Stage.NEW), greet),
    Route("answer to 'what is your name'", message_at(Stage.ASK_NAME), take_name),
    Route("what the request is about", message_at(Stage.ASK_TOPIC), take_topic),
    Route("a question for the knowledge base", message_at(Stage.OPEN), next_question),
    Route("more while a person is being found", message_at(Stage.WITH_PERSON), add_to_request),
    Route("a comment on the rating", message_at(Stage.COMMENT), take_comment),
]

ACTIONS.update(
    kb_yes=helped,  # "Yes, thanks": the answer helped (C2)
    kb_no=did_not_help,
    kb_pick=picked,  # one of the offered entries
    kb_person=wants_person,  # "Talk to a person" (C5)
    pick_department=pick_department,  # which team should take over
    solved_yes=solved,  # F2: the customer confirms it is solved
    solved_no=not_solved,
    rate=rate,  # F5: 1-5
    skip_comment=skip_comment,
    hold_ok=hold_ok,  # D2: permission to hold
    hold_declined=hold_declined,
    hold_wait=keep_waiting,  # D2: the promised time ran out; the customer keeps waiting
    hold_later=contact_later,
    transfer_ok=transfer_ok,  # D3: permission to transfer
    transfer_declined=transfer_declined,
)
