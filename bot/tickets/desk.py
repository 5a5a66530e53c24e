"""The ticket desk: opening tickets, finding them, and each department's queue."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.conversation import Conversation
from bot.events import EventBus, TicketChanged
from bot.models import Doc
from bot.ports import Clock, Store
from bot.tickets.facts_store import TICKET_FACTS, measured, restated
from bot.tickets.flags import flags_of, labels
from bot.tickets.model import ACTIVE, REQUEST, Priority, RequestDraft, Status, Ticket
from bot.tickets.queue import Gap, Place, claim_gap, in_order, place_of

TICKETS = "tickets"  # customer tickets and internal requests
QUEUE_STATS = "queue_stats"
FIRST_NUMBER = 1001
KEPT_CLAIMS = 20
FIRST_REQUEST_NUMBER = 301
NARROW = frozenset({"customer_key", "conversation", "status"})  # fields few tickets share
_REF = re.compile(r"^(?:([tr])-?)?(\d{1,9})$", re.IGNORECASE)


def _not_closed(doc: Doc) -> bool:
    return bool(doc["status"] != Status.CLOSED)


def wall_seconds(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds()


class TicketDesk:
    """All ticket reads and writes go through here; `gap` measures working time per department."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        gaps: dict[str, Gap] | None = None,
        bus: EventBus | None = None,
    ) -> None:
        self.store, self.clock, self.gaps, self.bus = store, clock, gaps or {}, bus

    async def open(
        self, conv: Conversation, department: str, priority: Priority, why: str
    ) -> Ticket:
        number = await self.store.next_number("ticket", start=FIRST_NUMBER)
        now = self.clock.now()
        ticket = Ticket(
            id=f"T-{number}",
            conversation=conv.key,
            customer=conv.customer,
            language=conv.language,
            department=department,
            topic=conv.topic,
            opened_at=now,
            priority=priority,
            first_seq=conv.topic_seq or 1,
        )
        ticket.log("opened", now, note=why)
        ticket.flags = labels(await flags_of(self.store, conv.customer.key))
        await self.save(ticket)
        return ticket

    async def open_request(self, draft: RequestDraft, priority: Priority) -> Ticket:
        """An internal request (H1): numbered on its own (R-301, ...), otherwise a ticket."""
        number = await self.store.next_number("request", start=FIRST_REQUEST_NUMBER)
        now = self.clock.now()
        request = Ticket(
            id=f"R-{number}",
            conversation="",
            customer=draft.requester,
            language=draft.language,
            department=draft.department,
            topic=draft.text,
            opened_at=now,
            priority=priority,
            kind=REQUEST,
            requester_department=draft.requester_department,
            linked=draft.linked,
        )
        request.log("opened", now, by=draft.requester.name, note=draft.why)
        return request

    async def get(self, ref: str) -> Ticket | None:
        """A ticket by "T-1042", "t1042" or "1042"; a request by "R-311" or "r311"."""
        match = _REF.match(ref.strip())
        if match is None:
            return None
        prefix = (match.group(1) or "T").upper()
        doc = await self.store.get(TICKETS, f"{prefix}-{match.group(2)}")
        return Ticket.from_doc(doc) if doc else None

    async def save(self, ticket: Ticket) -> None:
        """The ticket and its measured facts (for reports), written together."""
        doc = ticket.to_doc()
        facts = measured(doc, self.gaps.get(ticket.department, wall_seconds), self.clock.now())
        await self.store.put_together([(TICKETS, ticket.id, doc), (TICKET_FACTS, ticket.id, facts)])
        if self.bus is not None:
            await self.bus.publish(TicketChanged(ticket))

    async def of_customer(self, customer_key: str) -> list[Ticket]:
        return [
            Ticket.from_doc(d) for d in await self.store.find(TICKETS, customer_key=customer_key)
        ]

    async def queue(self, department: str) -> list[Ticket]:
        docs = await self.store.find(TICKETS, department=department, status=Status.WAITING.value)
        return in_order(map(Ticket.from_doc, docs))

    async def active(self, **equals: Any) -> list[Ticket]:
        """The tickets not closed (that match `equals`), oldest first. Unless `equals` names a
        customer, conversation or status (few tickets each), each open status is looked up
        by itself, so closed history is never read."""
        if NARROW & equals.keys():
            docs = await self.store.find(TICKETS, where=_not_closed, **equals)
        else:
            docs = [
                d for s in ACTIVE for d in await self.store.find(TICKETS, status=s.value, **equals)
            ]
        return sorted(map(Ticket.from_doc, docs), key=lambda t: t.opened_at)

    async def place(self, ticket: Ticket) -> Place:
        queue = await self.queue(ticket.department)
        return place_of(ticket, queue, await self.seconds_per_claim(ticket.department))

    async def seconds_per_claim(self, department: str) -> float | None:
        stats = await self.store.get(QUEUE_STATS, department) or {"claims": []}
        claims = [datetime.fromisoformat(at) for at in stats["claims"]]
        return claim_gap(claims, self.clock.now(), self.gaps.get(department, wall_seconds))

    async def note_claim(self, department: str, at: datetime) -> None:
        """Remember the claim for the department's throughput (the basis of wait estimates)."""
        stats = await self.store.get(QUEUE_STATS, department) or {"claims": []}
        stats["claims"] = [*stats["claims"], at.isoformat()][-KEPT_CLAIMS:]
        await self.store.put(QUEUE_STATS, department, stats)


async def put_anonymised(store: Store, tickets: list[tuple[str, Doc]]) -> None:
    """Anonymised tickets, each with its stored facts restated, written together."""
    writes = [(TICKETS, key, doc) for key, doc in tickets]
    for key, doc in tickets:
        stored = await store.get(TICKET_FACTS, key)
        if stored is not None:
            writes.append((TICKET_FACTS, key, restated(stored, doc)))
    await store.put_together(writes)
