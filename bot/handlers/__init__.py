"""ROUTES: the ordered table of everything the bot does; the first matching route wins."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Stage
from bot.core import Context, Route
from bot.handlers import staff_commands  # noqa: F401  (registers the staff commands)
from bot.handlers.actions import run_action
from bot.handlers.commands import run_command
from bot.handlers.intake import add_to_request, greet, take_name, take_topic
from bot.models import Kind

When = Callable[[Context], bool]


def kind_is(kind: Kind) -> When:
    return lambda ctx: ctx.incoming.kind is kind


def message_at(stage: Stage) -> When:
    return lambda ctx: ctx.incoming.kind is Kind.MESSAGE and ctx.conv().stage is stage


ROUTES: list[Route] = [
    Route("staff or customer command", kind_is(Kind.COMMAND), run_command),
    Route("button click", kind_is(Kind.ACTION), run_action),
    Route("first message: greet", message_at(Stage.NEW), greet),
    Route("answer to 'what is your name'", message_at(Stage.ASK_NAME), take_name),
    Route("what the request is about", message_at(Stage.ASK_TOPIC), take_topic),
    Route("more on an open request", message_at(Stage.OPEN), add_to_request),
]
