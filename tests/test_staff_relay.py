"""The platform-neutral staff relay: cards in queue channels, their threads, notices (G3, G5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.cards import Card
from bot.models import Address, Incoming
from bot.staff_relay import CardPlace, StaffRelay, ThreadBook
from tests.requests_rig import PIA, SAM, Rig


@dataclass
class FakeStaffSide:
    """Records what the relay asks a platform to do."""

    platform: str = "slack"
    cards: list[tuple[str, Card]] = field(default_factory=list)
    updates: list[Card] = field(default_factory=list)
    thread: list[tuple[str, str, str]] = field(default_factory=list)
    dms: list[tuple[str, str]] = field(default_factory=list)
    channel_posts: list[tuple[str, str]] = field(default_factory=list)

    async def post_card(self, channel: str, card: Card) -> tuple[str, str]:
        self.cards.append((channel, card))
        return f"m{len(self.cards)}", f"t{len(self.cards)}"

    async def update_card(self, place: CardPlace, card: Card) -> None:
        self.updates.append(card)

    async def post_in_thread(self, place: CardPlace, author: str, text: str) -> None:
        self.thread.append((place.thread, author, text))

    async def notify(self, account: str, text: str) -> None:
        self.dms.append((account, text))

    async def post_to_channel(self, channel: str, text: str) -> None:
        self.channel_posts.append((channel, text))


async def relayed() -> tuple[Rig, FakeStaffSide, StaffRelay]:
    rig = Rig()
    side = FakeStaffSide()
    relay = StaffRelay(rig.bot.services, side)
    rig.bot.services.bus.subscribe(relay.on_event)
    return rig, side, relay


async def test_a_request_gets_one_card_in_its_queue_that_follows_its_status() -> None:
    rig, side, relay = await relayed()
    await rig.run(PIA, "request", "billing Credit note for order 5512, please")
    (channel, card), *_ = side.cards
    assert channel == "C-BILLING"
    assert card.title == "Request R-301 · Billing · waiting"
    assert ("Requester", "Pia (orders) · discord") in card.fields
    assert ("Due (first response)", "2026-11-23 11:00 UTC") in card.fields
    assert [(b.label, b.action, b.value) for b in card.buttons] == [("Claim", "claim", "R-301")]
    assert len(side.cards) == 1  # saving again updates, never posts a second card
    await rig.run(SAM, "claim", "R-301")
    assert side.updates[-1].title == "Request R-301 · Billing · claimed"
    assert side.updates[-1].buttons == ()
    assert await relay.ticket_in_thread("C-BILLING", "t1") == "R-301"
    assert await relay.ticket_in_thread("C-BILLING", "t2") == ""


async def test_the_requester_words_reach_the_card_thread_and_queue_notices_the_channel() -> None:
    rig, side, _ = await relayed()
    await rig.run(PIA, "request", "billing Credit note for order 5512, please")
    assert side.channel_posts == [
        (
            "C-BILLING",
            "New request R-301 from Pia (Orders) for Billing: Credit note for order 5512, please",
        )
    ]
    address = await rig.request_address("R-301")
    await rig.bot.dispatch(Incoming.message(PIA, address, "It's for customer 99812"))
    assert side.thread == [("t1", "Pia", "It's for customer 99812")]


async def test_a_staff_notice_for_a_slack_account_is_a_direct_message() -> None:
    rig, side, _ = await relayed()
    await rig.run(PIA, "request", "billing Credit note for order 5512, please")
    await rig.run(SAM, "claim", "R-301")
    await rig.tick(minutes=90)  # the reminder goes to the handler, Sam, on Slack
    assert side.dms == [
        (
            "U-SAM",
            "Reminder: R-301 needs its first answer by Monday 23 November, 11:00 UTC "
            "(30 minutes of working time left).",
        )
    ]


async def test_threads_the_bot_starts_map_back_to_the_core_address() -> None:
    rig = Rig()
    book = ThreadBook(rig.bot.services, "slack")
    address = Address("slack", "C-PACK", "R-301")
    assert await book.platform_thread(address) == ""
    await book.remember(address, "1700000000.000100")
    assert await book.platform_thread(address) == "1700000000.000100"
    assert await book.address_of("C-PACK", "1700000000.000100") == address
    assert await book.address_of("C-OTHER", "1700000000.000100") is None
