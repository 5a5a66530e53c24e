"""The ticket record: who, what, where it stands, and everything that happened to it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.models import Doc, Person


class Status(StrEnum):
    """Where a ticket stands; the history keeps every change."""

    WAITING = "waiting"  # in the department's queue, nobody has it yet
    CLAIMED = "claimed"  # a person is handling it
    ON_HOLD = "on_hold"  # the customer agreed to wait while the handler checks something
    RESOLVED = "resolved"  # the handler thinks it is solved; the customer has to confirm (F2)
    CLOSED = "closed"  # the customer confirmed, or it was closed for them


class Priority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


TICKET, REQUEST = "ticket", "request"
ACTIVE = (Status.WAITING, Status.CLAIMED, Status.ON_HOLD, Status.RESOLVED)
PRIORITY_ORDER = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2}


@dataclass(frozen=True)
class Event:
    """One line of a ticket's history: opened, claimed, held, transferred, resolved, ..."""

    what: str
    at: datetime
    by: str = ""
    note: str = ""


@dataclass
class Handler:
    """The staff member handling a ticket."""

    staff_id: str
    name: str
    platform: str = "web"


@dataclass(frozen=True)
class RequestDraft:
    """An internal request before it is filed: who asks whom for what."""

    requester: Person
    requester_department: str
    department: str
    text: str
    language: str
    linked: str = ""
    why: str = ""


@dataclass
class Ticket:
    """A customer's request in the hands of people (B3: the transcript is the conversation's)."""

    id: str
    conversation: str
    customer: Person
    language: str
    department: str
    topic: str
    opened_at: datetime
    priority: Priority = Priority.NORMAL
    status: Status = Status.WAITING
    handler: Handler | None = None
    history: list[Event] = field(default_factory=list)
    notes: list[Event] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    first_seq: int = 0
    pending: dict[str, Any] = field(default_factory=dict)  # a question put to the customer
    told: dict[str, Any] = field(default_factory=dict)  # the queue place last told to the customer
    rating: int | None = None
    comment: str = ""
    kind: str = TICKET  # "ticket" from a customer, "request" from another department (H1)
    requester_department: str = ""  # requests: the department asking
    linked: str = ""  # requests: the customer ticket this asks about (H2)
    due: dict[str, str] = field(default_factory=dict)  # requests: service-level deadlines, ISO
    anonymised: str = ""  # when its texts were removed (retention or an erased customer), ISO

    @property
    def is_request(self) -> bool:
        return self.kind == REQUEST

    def log(self, what: str, at: datetime, by: str = "", note: str = "") -> None:
        self.history.append(Event(what, at, by, note))

    def reopen(self, at: datetime, by: str, note: str = "") -> None:
        """Open again: back to its handler if it has one, else into the queue."""
        self.status = Status.CLAIMED if self.handler else Status.WAITING
        self.log("reopened", at, by=by, note=note)

    def first(self, what: str) -> Event | None:
        return next((event for event in self.history if event.what == what), None)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def to_doc(self) -> Doc:
        doc = asdict(self)
        doc["customer"]["groups"] = list(self.customer.groups)
        doc["opened_at"] = self.opened_at.isoformat()
        for key in ("history", "notes"):
            doc[key] = [{**event, "at": event["at"].isoformat()} for event in doc[key]]
        doc["customer_key"] = self.customer.key
        return doc

    @classmethod
    def from_doc(cls, doc: Doc) -> Ticket:
        values = {k: v for k, v in doc.items() if k != "customer_key"}
        values["customer"] = Person(
            **{**doc["customer"], "groups": tuple(doc["customer"]["groups"])}
        )
        values["opened_at"] = datetime.fromisoformat(doc["opened_at"])
        values["priority"], values["status"] = Priority(doc["priority"]), Status(doc["status"])
        values["handler"] = Handler(**doc["handler"]) if doc.get("handler") else None
        values["history"] = [_event(e) for e in doc["history"]]
        values["notes"] = [_event(e) for e in doc["notes"]]
        return cls(**values)


def _event(raw: Doc) -> Event:
    return Event(
        raw["what"], datetime.fromisoformat(raw["at"]), raw.get("by", ""), raw.get("note", "")
    )
