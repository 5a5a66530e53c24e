"""What a ticket's card in a department's queue channel shows, for any chat platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.departments import Department
from bot.models import Button
from bot.text import shorten
from bot.tickets.model import Status, Ticket

TOPIC_CHARS = 300


@dataclass(frozen=True)
class Card:
    """A ticket or internal request as staff see it in the queue: title, facts and buttons.

    Every text here may hold customer words; adapters escape them for their platform."""

    ticket: str
    title: str
    fields: tuple[tuple[str, str], ...]
    topic: str
    buttons: tuple[Button, ...]
    closed: bool


def to_card(ticket: Ticket, department: Department | None, now: datetime, who: str) -> Card:
    """The card for `ticket`, for the customer (or requester) staff know as `who`; the Claim
    button only while nobody has it."""
    team = department.name("en") if department else ticket.department
    kind = "Request" if ticket.is_request else "Ticket"
    title = f"{kind} {ticket.id} · {team} · {ticket.status.value.replace('_', ' ')}"
    buttons = (Button("Claim", "claim", ticket.id),) if ticket.status is Status.WAITING else ()
    return Card(
        ticket=ticket.id,
        title=title,
        fields=_fields(ticket, now, who),
        topic=shorten(ticket.topic, TOPIC_CHARS),
        buttons=buttons,
        closed=not ticket.active,
    )


def _fields(ticket: Ticket, now: datetime, who: str) -> tuple[tuple[str, str], ...]:
    if ticket.is_request:
        who = f"{who} ({ticket.requester_department or 'staff'})"
    waited = max(0, int((now - ticket.opened_at).total_seconds() // 60))
    found = [
        ("Requester" if ticket.is_request else "Customer", f"{who} · {ticket.customer.platform}"),
        ("Language", ticket.language),
        ("Priority", ticket.priority.value),
        ("Waiting", f"{waited} min"),
        ("Handler", ticket.handler.name if ticket.handler else "-"),
        ("Flags", ", ".join(ticket.flags) or "-"),
    ]
    if ticket.linked:
        found.append(("For", ticket.linked))
    for milestone, at in ticket.due.items():
        found.append((f"Due ({milestone.replace('_', ' ')})", f"{at[:16].replace('T', ' ')} UTC"))
    return tuple(found)
