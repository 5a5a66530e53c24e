"""Removing the words and names from stored records while keeping what reports count.

Kept: ids, timestamps, roles, departments, languages, statuses, priorities, history event kinds,
times and staff names, ratings, knowledge-base entry ids, scores, outcomes and yes/no answers.
Removed: message texts, the customer's name, ticket topics, comments, notes and event notes."""

from __future__ import annotations

from bot.models import Doc, Role
from bot.tickets.model import Status

MARKER = "[removed]"  # what an anonymised message says instead of its text
ERASED = "erased"  # the conversation of a ticket whose customer was erased
FLAGGED = "flagged"  # a ticket flag without its reason
CLOSED = Status.CLOSED.value


def message(doc: Doc) -> Doc:
    """A transcript message without its text; the customer's name as author goes too."""
    author = "" if doc["role"] == Role.CUSTOMER.value else doc["author"]
    return doc | {"text": MARKER, "author": author}


def lookup(doc: Doc, at: str) -> Doc:
    """A knowledge-base lookup without the question; its entry, score and verdict stay."""
    return doc | {"text": "", "anonymised": at}


def ticket(doc: Doc, at: str, names: set[str]) -> Doc:
    """A ticket or request without its texts; `names` (the customer's) leave event authors."""
    return doc | {
        "customer": {**doc["customer"], "name": ""},
        "topic": "",
        "comment": "",
        "pending": {},
        "flags": [FLAGGED for _ in doc.get("flags", ())],
        "history": [_event(event, names) for event in doc.get("history", ())],
        "notes": [_event(event, names) for event in doc.get("notes", ())],
        "anonymised": at,
    }


def erased_ticket(doc: Doc, at: str, names: set[str], pseudonym: str) -> Doc:
    """`ticket`, no longer linked to the customer or their (erased) conversation, and closed
    if it was still open: nobody is left to answer."""
    done = ticket(doc, at, names)
    person = {**done["customer"], "id": pseudonym, "groups": []}
    key = f"{person['platform']}:{pseudonym}"
    if done["status"] != CLOSED:
        closing = {"what": CLOSED, "at": at, "by": "erasure", "note": ""}
        done |= {"status": CLOSED, "history": [*done["history"], closing]}
    return done | {"customer": person, "customer_key": key, "conversation": ERASED}


def conversation(doc: Doc, at: str) -> Doc:
    """A conversation without the customer's name, its topic and last message; ids and
    state stay."""
    customer = {**doc["customer"], "name": "", "groups": []}
    return doc | {"customer": customer, "name": "", "topic": "", "last_text": "", "anonymised": at}


def _event(event: Doc, names: set[str]) -> Doc:
    by = event.get("by", "")
    return event | {"note": "", "by": "customer" if by in names else by}
