"""Which department an internal request is for: named, misspelt, or guessed from the text."""

from __future__ import annotations

import difflib
import secrets
from collections import defaultdict

from bot.core import Context, Services
from bot.departments import Department
from bot.models import Address

CANDIDATES_CONSIDERED = 5
KEYWORD_WEIGHT = 0.5
MISSPELT_CUTOFF = 0.75


def department_named(ctx: Context, word: str) -> Department | None:
    """The department whose id or (one-word) name this is, ignoring case and a leading @ or #."""
    wanted = word.strip().lstrip("@#").casefold()
    for department in ctx.services.departments.values():
        names = {department.id, *department.names.values()}
        if wanted in {name.casefold() for name in names}:
            return department
    return None


def looks_like_department(ctx: Context, word: str) -> bool:
    """A near miss of a department's id or name ("biling"): the requester meant to name one."""
    names = [
        name.casefold()
        for d in ctx.services.departments.values()
        for name in (d.id, *d.names.values())
    ]
    return bool(difflib.get_close_matches(word.casefold(), names, n=1, cutoff=MISSPELT_CUTOFF))


def ranked_departments(services: Services, text: str) -> list[tuple[Department, float]]:
    """Departments by how well the text fits them: their knowledge-base entries the text
    matches, plus the configured keywords it contains. Best first; ties keep the file order."""
    scores: dict[str, float] = defaultdict(float)
    lookup = services.kb.lookup(text, None)
    considered = [*([lookup.best] if lookup.best else []), *lookup.alternatives]
    for candidate in considered[:CANDIDATES_CONSIDERED]:
        entry = services.kb.entry(candidate.entry_id)
        if entry is not None and entry.department:
            scores[entry.department] += candidate.score
    folded = f" {text.casefold()} "
    for department in services.departments.values():
        hits = sum(f"{k.casefold()}" in folded for k in department.keywords)
        scores[department.id] += KEYWORD_WEIGHT * hits
    order = list(services.departments)
    ranked = sorted(order, key=lambda d: (-scores[d], order.index(d)))
    return [(services.departments[d], scores[d]) for d in ranked]


def valid_departments(ctx: Context) -> str:
    """ "billing (Billing), orders (Orders and delivery), ..." for error messages."""
    return ", ".join(f"{d.id} ({d.name(ctx.language)})" for d in ctx.services.departments.values())


def request_address(ctx: Context, request_id: str) -> Address:
    """Where the requester follows their request: a private web conversation, or a new thread
    in the chat they filed it from (adapters start the thread with the first message)."""
    sender = ctx.incoming.sender
    if sender.platform == "web":
        return Address("web", f"request-{secrets.token_urlsafe(12)}")
    return Address(sender.platform, ctx.incoming.address.channel, request_id)
