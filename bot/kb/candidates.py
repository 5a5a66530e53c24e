"""Resolved tickets about an uncovered question: where a new knowledge-base entry can start."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.kb.gaps import SIMILAR, Gap, jaccard, trigrams
from bot.models import Doc

SHOWN = 3  # resolved tickets offered per uncovered question
COMPARED_QUESTIONS = 5  # the first distinct phrasings of a group that tickets are compared with
RECENT = 3000  # the newest resolved tickets looked at (comparing is quadratic)


@dataclass(frozen=True)
class Resolved:
    """A customer ticket someone resolved, and the summary of how."""

    ticket: str
    topic: str
    language: str
    department: str
    summary: str
    resolved_at: str


def resolved_tickets(docs: Iterable[Doc]) -> list[Resolved]:
    """Customer tickets with a resolution whose topic is still known, newest first."""
    found = []
    for doc in docs:
        if doc.get("kind", "ticket") != "ticket" or not doc.get("topic"):
            continue
        if doc.get("status") not in ("resolved", "closed"):
            continue
        resolved = [e for e in doc.get("history", ()) if e["what"] == "resolved"]
        if resolved:
            found.append(_resolved(doc, resolved[-1]))
    return sorted(found, key=lambda r: r.resolved_at, reverse=True)


def candidates_for(gaps: list[Gap], resolved: list[Resolved]) -> list[list[Resolved]]:
    """For each group of uncovered questions, up to SHOWN resolved tickets whose topic is
    similar (the same trigram overlap that groups the questions): closest first, then those
    with a summary, then the newest."""
    recent = resolved[:RECENT]
    grams = {topic: trigrams(topic) for topic in {r.topic for r in recent}}
    found = []
    for gap in gaps:
        asked = [trigrams(q) for q in list(dict.fromkeys(gap.questions))[:COMPARED_QUESTIONS]]
        score = {t: max(jaccard(a, g) for a in asked) for t, g in grams.items()}
        scored = [
            (-round(score[ticket.topic], 2), not ticket.summary, rank, ticket)
            for rank, ticket in enumerate(recent)
            if score[ticket.topic] >= SIMILAR
        ]
        found.append([ticket for *_, ticket in sorted(scored)[:SHOWN]])
    return found


def _resolved(doc: Doc, event: Doc) -> Resolved:
    return Resolved(
        ticket=str(doc["id"]),
        topic=str(doc["topic"]),
        language=str(doc.get("language", "")),
        department=str(doc.get("department", "")),
        summary=str(event.get("note") or ""),
        resolved_at=str(event["at"]),
    )
