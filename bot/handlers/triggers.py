"""What a message signals, acted on before anything else: abuse (E3), threats (E4),
anger (E1) and a request for a person."""

from __future__ import annotations

from bot.conversation import Stage
from bot.core import Context
from bot.handlers.intake import opening, set_topic
from bot.handlers.threats import note_threat
from bot.handlers.tickets_flow import hand_over
from bot.kb.language import detect_language
from bot.models import Kind, Reply
from bot.signals import Signals, detect_signals
from bot.text import shorten
from bot.tickets.flags import flag_customer
from bot.tickets.model import Priority

WARNINGS_BEFORE_ENDING = 1
LISTENING = (Stage.ASK_TOPIC, Stage.OPEN, Stage.WITH_PERSON, Stage.NEW, Stage.ASK_NAME)
INTAKE = (Stage.NEW, Stage.ASK_NAME, Stage.ASK_TOPIC)


def signals(ctx: Context) -> Signals:
    """The message's signals, read in the language it is written in (not just the last one)."""
    if "signals" not in ctx.memo:
        language, _ = detect_language(ctx.incoming.text, ctx.language)
        ctx.memo["signals"] = detect_signals(ctx.incoming.text, language)
    found: Signals = ctx.memo["signals"]
    return found


def is_signal(ctx: Context) -> bool:
    if ctx.incoming.kind is not Kind.MESSAGE or ctx.conv().stage not in LISTENING:
        return False
    found = signals(ctx)
    return found.abuse or found.threat is not None or found.anger or found.wants_person


async def react(ctx: Context) -> list[Reply]:
    """Act on the strongest signal; a first message is still greeted first (A1). Without a
    request under way (a first message, or the last request answered or its ticket closed),
    this message starts one and is its topic."""
    conv = ctx.conv()
    greeting = [opening(ctx)] if conv.stage is Stage.NEW else []
    if conv.stage in INTAKE:
        conv.stage = Stage.OPEN
    if not conv.topic:
        set_topic(conv, ctx.incoming.text)
    return greeting + await _act(ctx, signals(ctx))


async def _act(ctx: Context, found: Signals) -> list[Reply]:
    if found.abuse:
        return await _abuse(ctx)
    if found.threat is not None:
        return await _threat(ctx, found.threat)
    if found.anger:
        calm = Reply(ctx.t("e1_calm"))  # acknowledge, empathize, apologize; no FAQ answer (E1)
        return [calm, *await hand_over(ctx, "the customer is upset", Priority.HIGH)]
    return [Reply(ctx.t("person_ok")), *await hand_over(ctx, "the customer asked for a person")]


def is_ended(ctx: Context) -> bool:
    return ctx.incoming.kind is Kind.MESSAGE and ctx.conv().stage is Stage.ENDED


async def ended(ctx: Context) -> list[Reply]:
    return [Reply(ctx.t("conversation_ended"))]


async def _abuse(ctx: Context) -> list[Reply]:
    """E3: ask politely but firmly to stop; if it goes on, say so, end, and flag the customer."""
    conv = ctx.conv()
    if conv.warnings < WARNINGS_BEFORE_ENDING:
        conv.warnings += 1
        return [Reply(ctx.t("abuse_warning"))]
    conv.stage = Stage.ENDED
    reason = f"abusive language after a warning: {shorten(ctx.incoming.text, 80)!r}"
    now = ctx.services.clock.now()
    await flag_customer(ctx.services.store, conv.customer.key, reason, "bot", now)
    for ticket in await ctx.services.desk.active(customer_key=conv.customer.key):
        ticket.flags = sorted({*ticket.flags, f"flagged: {reason}"})
        await ctx.services.desk.save(ticket)
    return [Reply(ctx.t("abuse_end"))]


async def _threat(ctx: Context, kind: str) -> list[Reply]:
    """E4: keep serving; say only what happened: urgent now, or urgent once the team is known."""
    await note_threat(ctx, kind)
    handed = await hand_over(ctx, f"{kind} threat", Priority.URGENT)
    noted = "threat_noted" if ctx.conv().ticket else "threat_noted_pending"
    return [Reply(ctx.t(noted)), *handed]
