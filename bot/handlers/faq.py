"""Answering from the knowledge base: say what we understood (B2), answer (C1), check it
helped (C2); below the confidence threshold offer close entries or find a person (C3, C5)."""

from __future__ import annotations

from bot.core import Context
from bot.handlers.faq_records import mark_helpful, record_lookup
from bot.handlers.repeat import repeat_of, repeated
from bot.handlers.tickets_flow import hand_over
from bot.kb.entries import Candidate, Entry, Lookup
from bot.kb.thresholds import PLAUSIBLE, SURE_MID_REQUEST
from bot.models import Button, Reply

MAX_CHOICES = 3
UNANSWERED_LIMIT = 2  # questions in a row the bot could not answer before a person steps in


async def answer_question(ctx: Context, text: str) -> list[Reply]:
    """Look `text` up and answer, offer choices, or hand over to a person."""
    conv = ctx.conv()
    if (open_ticket := await repeat_of(ctx)) is not None:
        return await repeated(ctx, open_ticket)
    lookup = ctx.services.kb.lookup(text, conv.language)
    if lookup.language in ctx.services.catalog.languages:
        conv.language = lookup.language
    entry = ctx.services.kb.entry(lookup.entry_id) if lookup.entry_id else None
    if entry is not None:
        await record_lookup(ctx, text, lookup, "answered")
        conv.unanswered = 0
        return answer_with(ctx, entry)
    conv.unanswered += 1
    choices = _choices(ctx, lookup)
    await record_lookup(ctx, text, lookup, "suggested" if choices else "unknown")
    if choices and conv.unanswered < UNANSWERED_LIMIT:
        conv.department = conv.department or choices[0].department
        return [_choice_reply(ctx, ctx.t("kb_maybe"), choices)]
    return await find_person(ctx, "two questions unanswered" if choices else "not covered")


def answer_with(ctx: Context, entry: Entry) -> list[Reply]:
    """B2 + C1 in one message, then the C2 check with yes/no buttons."""
    ctx.conv().department = entry.department or ctx.conv().department
    language = ctx.language
    understood = ctx.t("kb_understood", topic=entry.topic(language))
    check = Reply(
        ctx.t("kb_did_it_help"),
        (Button(ctx.t("kb_yes"), "kb_yes", entry.id), Button(ctx.t("kb_no"), "kb_no", entry.id)),
    )
    return [Reply(f"{understood}\n\n{entry.answer(language)}"), check]


async def confident_entry(ctx: Context, text: str) -> Entry | None:
    """The entry the knowledge base is sure answers `text` in the middle of a request
    (SURE_MID_REQUEST), recorded as a lookup; else None."""
    lookup = ctx.services.kb.lookup(text, ctx.conv().language)
    sure = lookup.entry_id is not None and lookup.score >= SURE_MID_REQUEST
    entry = ctx.services.kb.entry(lookup.entry_id) if sure and lookup.entry_id else None
    await record_lookup(ctx, text, lookup, "answered" if entry else "unknown")
    return entry


def while_waiting(ctx: Context, entry: Entry, ticket: str) -> list[Reply]:
    """A sure answer while the customer waits for a person; the ticket stays open."""
    understood = ctx.t("kb_understood", topic=entry.topic(ctx.language))
    lead = ctx.t("kb_while_you_wait", ticket=ticket)
    return [Reply(f"{lead} {understood}\n\n{entry.answer(ctx.language)}")]


async def find_person(ctx: Context, why: str) -> list[Reply]:
    """C5: never a dead end: "let me find that out for you", then the handoff (B4)."""
    return [Reply(ctx.t("kb_find_person")), *await hand_over(ctx, why)]


async def helped(ctx: Context) -> list[Reply]:
    """The customer says the answer helped (C2)."""
    await mark_helpful(ctx, ctx.incoming.value, True)
    conv = ctx.conv()
    conv.unanswered = 0
    if not conv.ticket:  # answered: what the customer asks next has a topic and team of its own
        conv.finish_request()
    return [Reply(ctx.t("kb_glad"))]


async def did_not_help(ctx: Context) -> list[Reply]:
    """The answer did not help: offer the other close entries, else a person."""
    record = await mark_helpful(ctx, ctx.incoming.value, False)
    others = [c for c in _recorded_choices(record) if c != ctx.incoming.value]
    entries = [e for e in map(ctx.services.kb.entry, others) if e is not None][:MAX_CHOICES]
    if not entries:
        return await find_person(ctx, "the answer did not help")
    return [_choice_reply(ctx, ctx.t("kb_sorry_alternatives"), entries)]


async def picked(ctx: Context) -> list[Reply]:
    """The customer chose one of the offered entries."""
    entry = ctx.services.kb.entry(ctx.incoming.value)
    if entry is None:
        return [Reply(ctx.t("stale_button"))]
    ctx.conv().unanswered = 0
    return answer_with(ctx, entry)


async def wants_person(ctx: Context) -> list[Reply]:
    return await find_person(ctx, "the customer asked for a person")


def _choices(ctx: Context, lookup: Lookup) -> list[Entry]:
    candidates: list[Candidate] = [c for c in (lookup.best, *lookup.alternatives) if c]
    plausible = [c.entry_id for c in candidates if c.score >= PLAUSIBLE]
    unique = list(dict.fromkeys(plausible))
    return [e for e in map(ctx.services.kb.entry, unique) if e is not None][:MAX_CHOICES]


def _recorded_choices(record: dict[str, object] | None) -> list[str]:
    if not record:
        return []
    best = record.get("best")
    listed = [best] if isinstance(best, dict) else []
    alternatives = record.get("alternatives")
    listed += alternatives if isinstance(alternatives, list) else []
    return list(dict.fromkeys(str(c["entry_id"]) for c in listed if isinstance(c, dict)))


def _choice_reply(ctx: Context, text: str, entries: list[Entry]) -> Reply:
    buttons = [Button(e.topic(ctx.language), "kb_pick", e.id) for e in entries]
    buttons.append(Button(ctx.t("kb_talk_to_person"), "kb_person", ""))
    return Reply(text, tuple(buttons))
