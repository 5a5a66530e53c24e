"""Per-conversation state: who the customer is, what we know, where the intake stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.models import Address, Doc, Person


class Stage(StrEnum):
    """Where the opening of the conversation stands (playbook A1)."""

    NEW = "new"
    ASK_NAME = "ask_name"
    ASK_TOPIC = "ask_topic"
    OPEN = "open"  # the bot answers questions from the knowledge base
    WITH_PERSON = "with_person"  # a person has been asked to take over
    COMMENT = "comment"  # the customer may add a comment to their rating
    ENDED = "ended"  # ended by us after repeated abuse (E3)


@dataclass
class Conversation:
    """Mutable state of one conversation, saved after each dispatch."""

    key: str
    ref: str
    address: Address
    customer: Person
    created_at: datetime
    updated_at: datetime
    language: str = "en"
    language_settled: bool = False  # a clear, long enough message decided the language
    stage: Stage = Stage.NEW
    name: str = ""
    topic: str = ""
    topic_seq: int = 0  # the transcript number where the current request began
    last_seq: int = 0
    last_text: str = ""
    status: str = "open"
    unanswered: int = 0  # questions in a row the knowledge base could not answer
    ticket: str = ""  # the ticket a person is working on, while one is active
    department: str = ""  # who should take over, once known (e.g. from the matched entry)
    threat: str = ""  # a threat (E4) not yet acted on, because no ticket existed yet
    threat_text: str = ""
    warnings: int = 0  # polite requests to stop abusive language so far (E3)
    anonymised: str = ""  # when retention removed its texts and names, ISO (bot.privacy)
    # SHA-256 of the secret that opens the conversation where customers have no account (the
    # web chat); empty: nothing opens it there
    access_hash: str = ""

    def finish_request(self) -> None:
        """The request was answered or its ticket closed: whatever the customer asks next
        is a request of its own, with its own topic and team."""
        self.topic, self.department = "", ""

    def to_doc(self) -> Doc:
        """As stored (what `dataclasses.asdict` gives, made by hand: it runs twice per
        message, and asdict's deep copy was a fifth of the core's time)."""
        doc = dict(vars(self))
        doc["address"] = dict(vars(self.address))
        doc["customer"] = dict(vars(self.customer))
        doc["created_at"] = self.created_at.isoformat()
        doc["updated_at"] = self.updated_at.isoformat()
        doc["stage"] = self.stage.value
        return doc

    @classmethod
    def from_doc(cls, doc: Doc) -> Conversation:
        values = dict(doc)
        values["address"] = Address(**doc["address"])
        values["customer"] = Person(**doc["customer"])
        values["created_at"] = datetime.fromisoformat(doc["created_at"])
        values["updated_at"] = datetime.fromisoformat(doc["updated_at"])
        values["stage"] = Stage(doc["stage"])
        return cls(**values)
