"""The customer's language: detected from what they write, switched when they ask (A4)."""

from __future__ import annotations

import re

from bot.core import Context
from bot.i18n import Catalog
from bot.kb.language import detect_language
from bot.text import words

MAX_SWITCH_WORDS = 5


def requested_language(text: str, catalog: Catalog) -> str | None:
    """The language a short message asks for ("auf Deutsch bitte", "in English"), if any."""
    said = words(text)
    if not said or len(said) > MAX_SWITCH_WORDS:
        return None
    phrase = " ".join(said)
    for code, language in catalog.languages.items():
        if any(
            re.search(rf"(?:^|\s){re.escape(w)}(?:\s|$)", phrase) for w in language.switch_words
        ):
            return code
    return None


def is_language_request(ctx: Context) -> bool:
    return requested_language(ctx.incoming.text, ctx.services.catalog) is not None


def follow_language(ctx: Context) -> None:
    """Adopt the language of the message when the detector is sure enough (short texts keep
    the conversation's language: a name or "ok" says nothing about it)."""
    conv = ctx.conv()
    language, _ = detect_language(ctx.incoming.text, conv.language)
    if language in ctx.services.catalog.languages:
        conv.language = language
