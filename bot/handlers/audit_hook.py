"""Which staff commands the audit log records, and recording them as they run."""

from __future__ import annotations

import re

from bot import audit
from bot.core import Context, Handler
from bot.models import Reply

# Commands that change something: recorded. Read-only ones: not. A command in neither set (a
# new one nobody classified yet) is recorded, so the log errs on the side of too much.
AUDITED = frozenset(
    {
        "claim", "unclaim", "reply", "note", "hold", "transfer", "escalate", "handover",
        "resolve", "reopen", "flag", "followup", "request", "file", "ask", "reload", "draft",
    }
)  # fmt: skip
READ_ONLY = frozenset(
    {"help", "queue", "mine", "ticket", "show", "conversations", "gaps", "requests", "stats"}
    | {"audit", "report", "dashboard"}
)
# How many leading words (after the ticket id) are structured and safe to keep as the detail:
# a department or staff id, minutes, a time. Free text (reasons, replies) is never kept.
DETAIL_WORDS = {"transfer": 1, "handover": 1, "hold": 1, "followup": 1, "ask": 1, "file": 2}
_REF = re.compile(r"^([tcr])-?(\d{1,9})$", re.IGNORECASE)
_CUSTOMER = re.compile(r"^[a-z]+:[\w.@-]{1,100}$")
_SAFE = re.compile(r"^[\w.:+-]{1,40}$")


def is_audited(name: str, text: str = "") -> bool:
    """Audited commands, except `/request <R-n>` alone, which only shows the request."""
    if name == "request" and _REF.match(text.strip()):
        return False
    return name in AUDITED or name not in READ_ONLY


async def run_audited(ctx: Context, name: str, handler: Handler) -> list[Reply]:
    """Run the command; if it is audited, record who ran it on what, whatever the outcome."""
    if ctx.staff_member is None or not is_audited(name, ctx.incoming.text):
        return await handler(ctx)
    outcome = "failed"
    with audit.tracking() as touched:
        try:
            replies = await handler(ctx)
            outcome = ""
        finally:
            await _record(ctx, name, touched, outcome)
    return replies


async def _record(ctx: Context, name: str, touched: list[str], outcome: str) -> None:
    member, sender = ctx.staff_member, ctx.incoming.sender
    assert member is not None
    actor = audit.Actor(member.id, member.name, sender.platform)
    first, _, rest = ctx.incoming.text.strip().partition(" ")
    target = target_of(name, first)
    words = rest.split() if target else ctx.incoming.text.split()
    detail = " ".join([*_detail(ctx, name, words), outcome]).strip()
    target = target or (touched[0] if touched else "")
    now = ctx.services.clock.now()
    doc = audit.entry(actor, name, now, target, detail, changed=audit.unique(touched))
    await audit.record(ctx.services.store, doc)


def target_of(name: str, word: str) -> str:
    """The ticket, request, conversation or customer a command names first, normalised."""
    if match := _REF.match(word):
        letter = match.group(1).upper()
        return f"{letter}-{match.group(2)}"
    if word.isdigit() and name == "reply":  # `/reply 3` is C-3; elsewhere a number is not an id
        return f"C-{word}"
    return word if name == "flag" and _CUSTOMER.match(word) else ""


def _detail(ctx: Context, name: str, words: list[str]) -> list[str]:
    if name == "request" and words and words[0] in ctx.services.departments:
        return words[:1]
    return [w for w in words[: DETAIL_WORDS.get(name, 0)] if _SAFE.match(w)]
