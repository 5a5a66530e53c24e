"""Telling a comment on the rating ("quick and friendly, thanks") from a new question
("How do I change my delivery address?") that deserves a request of its own."""

from __future__ import annotations

from bot.core import Context
from bot.handlers.names import says_something
from bot.signals import detect_signals

MIN_QUESTION_WORDS = 3


def is_new_question(ctx: Context) -> bool:
    """A question the knowledge base is sure of, a request for a person, or a question mark
    on a message that carries a request."""
    text = ctx.incoming.text
    language = ctx.services.catalog.language(ctx.language)
    if not says_something(text, language):
        return False
    if detect_signals(text, ctx.language).wants_person:
        return True
    asks = "?" in text or (";" in text and ctx.language == "el")  # Greek writes ";" for "?"
    if asks and len(text.split()) >= MIN_QUESTION_WORDS:
        return True
    return ctx.services.kb.lookup(text, ctx.language).entry_id is not None  # not recorded:
    # a comment is no question to the knowledge base
