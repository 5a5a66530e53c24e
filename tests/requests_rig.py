"""A bot with departments on several platforms, for internal-request tests (H1-H3)."""

from __future__ import annotations

from datetime import timedelta

from bot.departments import Contact, Department
from bot.events import Event, StaffNotice
from bot.kb.entries import Candidate, Entry, Lookup
from bot.models import Address, Incoming, Person, Reply
from bot.ports import Store
from bot.service_levels import ServiceLevels
from tests.fakes import FakeChat, FakeKnowledgeBase, Harness

WEEKDAYS: dict[str, object] = {
    "timezone": "UTC",
    **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), "08:00-16:00"),
}
LEVELS = ServiceLevels(first_response=7200, resolution=8 * 3600, remind_before=1800)
PIA = Person("discord", "u-pia", "Pia")  # packaging (orders), on Discord
SAM = Person("slack", "U-SAM", "Sam")  # billing, on Slack
WEB_BEA = Person("web", "bea", "Bea")  # billing, on the web staff page
OUTSIDER = Person("web", "otto", "Otto")  # technical
LEAD = Contact("Linda Lead", {"web": "linda", "slack": "U-LINDA"})


def departments() -> dict[str, Department]:
    return {
        "billing": Department(
            "billing",
            {"en": "Billing", "de": "Abrechnung"},
            staff={"slack": ("U-SAM", "U-LINDA"), "web": ("bea",)},
            queues={"slack": "C-BILLING"},
            hours=WEEKDAYS,
            senior=LEAD,
            keywords=("invoice", "refund", "VAT"),
            service_levels=LEVELS,
        ),
        "orders": Department(
            "orders",
            {"en": "Orders"},
            staff={"discord": ("u-pia",), "web": ("sam",)},
            queues={"discord": "Q-ORDERS"},
            hours=WEEKDAYS,
            keywords=("parcel", "delivery", "packaging"),
        ),
        "technical": Department(
            "technical", {"en": "Technical"}, staff={"web": ("otto",)}, keywords=("router",)
        ),
    }


def kb() -> FakeKnowledgeBase:
    """A knowledge base whose best match for anything is a billing entry."""
    entry = Entry("vat-invoice", {"en": ("VAT on my invoice",)}, {"en": "..."}, "billing")
    best = Candidate("vat-invoice", 0.4)
    return FakeKnowledgeBase(Lookup(None, 0.4, "en", (), best), [entry])


class Rig:
    """One bot, several staff on several platforms, every notice and delivery recorded."""

    def __init__(self, with_kb: bool = False, store: Store | None = None) -> None:
        self.h = Harness(
            name="Anna", departments=departments(), kb=kb() if with_kb else None, store=store
        )
        self.bot, self.clock = self.h.bot, self.h.clock
        self.chats = {p: FakeChat(p) for p in ("slack", "discord")}
        self.bot.services.chats.update(self.chats)
        self.notices: list[StaffNotice] = []
        self.bot.services.bus.subscribe(self._listen)

    async def _listen(self, event: Event) -> None:
        if isinstance(event, StaffNotice):
            self.notices.append(event)

    async def run(self, person: Person, name: str, text: str = "") -> list[Reply]:
        where = Address(person.platform, f"dm-{person.id}")
        return await self.bot.dispatch(Incoming.slash(person, where, name, text))

    async def texts(self, person: Person, name: str, text: str = "") -> list[str]:
        return [r.text for r in await self.run(person, name, text)]

    async def click(self, person: Person, address: Address, action: str, value: str) -> list[str]:
        event = Incoming.click(person, address, action, value)
        return [r.text for r in await self.bot.dispatch(event)]

    async def request_address(self, request_id: str) -> Address:
        request = await self.bot.services.desk.get(request_id)
        assert request is not None
        conv = await self.bot.services.conversations.get(request.conversation)
        assert conv is not None
        return conv.address

    async def requester_sees(self, request_id: str) -> list[str]:
        request = await self.bot.services.desk.get(request_id)
        assert request is not None
        return [m.text for m in await self.bot.services.transcript.after(request.conversation, 0)]

    async def tick(self, **delta: float) -> None:
        self.clock.advance(**delta)
        await self.bot.services.scheduler.run_due()

    def sent_to(self, platform: str) -> list[str]:
        return [reply.text for _, reply in self.chats[platform].sent]

    def notices_to(self, platform: str, account: str) -> list[str]:
        return [n.text for n in self.notices if n.to.get(platform) == account]

    def queue_notices(self, department: str) -> list[str]:
        return [n.text for n in self.notices if n.queue == department]


HOUR = timedelta(hours=1)
