"""The measurable facts of each ticket, stored beside it whenever it changes.

A report over a long period then reads one small record per ticket instead of measuring
every ticket's history again. Facts that still depend on the clock (a hold still running, a
deadline not yet decided) are stored as not final and measured again before a report.
Times are measured in the business hours in force when the ticket last changed.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from bot.models import Doc
from bot.tickets.measures import HOLD_ENDS, HOLD_STARTS, Facts, Working, facts_of

TICKET_FACTS = "ticket_facts"
_NAMES = tuple(f.name for f in fields(Facts))
_TIMES = ("opened_at", "closed_at")
_RESTATED = ("comment", "topic")  # what anonymising a ticket changes in its facts


def measured(ticket: Doc, working: Working, now: datetime) -> Doc:
    """The facts record of a stored ticket document."""
    facts = facts_of(ticket, working, now)
    return facts_doc(facts, is_final(ticket, facts))


def is_final(ticket: Doc, facts: Facts) -> bool:
    """Measured the same at any later time, as long as the ticket does not change (and every
    change is saved with its facts): no hold still running, every deadline decided."""
    return not _on_hold(ticket) and set(ticket.get("due") or {}) <= set(facts.sla)


def _on_hold(ticket: Doc) -> bool:
    holding = False
    for event in ticket.get("history", ()):
        if event.get("what") in HOLD_STARTS:
            holding = True
        elif event.get("what") in HOLD_ENDS:
            holding = False
    return holding


def facts_doc(facts: Facts, final: bool) -> Doc:
    doc: Doc = {name: getattr(facts, name) for name in _NAMES}
    for name in _TIMES:
        doc[name] = doc[name].isoformat() if doc[name] is not None else None
    doc["sla"] = dict(facts.sla)
    for milestone, met in facts.sla.items():  # also as top-level fields, for a database to count
        doc[f"sla_{milestone}"] = met
    doc["final"] = final
    doc["latest_at"] = doc["closed_at"] or doc["opened_at"]  # a period from then counts it
    return doc


def facts_from_doc(doc: Doc) -> Facts:
    values = {name: doc[name] for name in _NAMES}
    for name in _TIMES:
        values[name] = datetime.fromisoformat(doc[name]) if doc[name] is not None else None
    values["sla"] = dict(doc["sla"])
    return Facts(**values)


def restated(stored: Doc, ticket: Doc) -> Doc:
    """Stored facts after the ticket was anonymised: its comment and topic as they now are."""
    return {**stored, **{name: str(ticket.get(name) or "") for name in _RESTATED}}
