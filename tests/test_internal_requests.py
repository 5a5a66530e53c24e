"""Internal requests between departments (H1-H3), in the core, on the fake clock."""

from __future__ import annotations

from bot.models import Incoming, Person
from bot.tickets.model import Priority, Status, Ticket
from tests.requests_rig import LEAD, OUTSIDER, PIA, SAM, WEB_BEA, Rig

FILED = (
    "Request R-301 is with Billing: “Please send the signed VAT invoice for order 5512”. "
    "First answer due by Monday 23 November, 11:00 UTC, "
    "resolution by Tuesday 24 November, 09:00 UTC. "
    "Answers will appear here."
)


async def filed(rig: Rig) -> None:
    replies = await rig.texts(
        PIA, "request", "billing Please send the signed VAT invoice for order 5512"
    )
    assert replies == [FILED]


async def test_h1_filing_with_a_department_records_who_asks_whom_with_deadlines() -> None:
    rig = Rig()
    await filed(rig)
    request = await rig.bot.services.desk.get("R-301")
    assert request is not None
    assert request.is_request
    assert (request.customer.key, request.requester_department) == (PIA.key, "orders")
    assert (request.department, request.status, request.priority) == (
        "billing",
        Status.WAITING,
        Priority.NORMAL,
    )
    assert request.due == {
        "first_response": "2026-11-23T11:00:00+00:00",
        "resolution": "2026-11-24T09:00:00+00:00",
    }
    assert [e.what for e in request.history] == ["opened"]
    # The requester's own thread on Discord starts with the same words; billing's queue hears.
    assert rig.sent_to("discord") == [FILED]
    address = await rig.request_address("R-301")
    assert (address.platform, address.thread) == ("discord", "R-301")
    assert rig.queue_notices("billing") == [
        "New request R-301 from Pia (Orders) for Billing: "
        "Please send the signed VAT invoice for order 5512"
    ]
    queue = await rig.bot.services.desk.queue("billing")
    assert [t.id for t in queue] == ["R-301"]


async def test_h1_without_a_department_the_bot_suggests_one_and_the_requester_confirms() -> None:
    rig = Rig()
    replies = await rig.run(PIA, "request", "The refund on invoice 88 was booked twice")
    (reply,) = replies
    assert reply.text == (
        "This sounds like a request for Billing. File it there, or pick another team:"
    )
    assert [(b.label, b.action, b.value) for b in reply.buttons] == [
        ("Billing", "file", "D-1 billing"),
        ("Orders", "file", "D-1 orders"),
        ("Technical", "file", "D-1 technical"),
    ]
    assert await rig.bot.services.desk.get("R-301") is None  # nothing filed before confirming
    # Someone else cannot file Pia's draft; Pia can, once.
    assert await rig.texts(SAM, "file", "D-1 billing") == [
        "Only the person who wrote that request can file it."
    ]
    (confirmed,) = await rig.texts(PIA, "file", "D-1 billing")
    assert confirmed.startswith("Request R-301 is with Billing: “The refund on invoice 88")
    assert (await rig.texts(PIA, "file", "D-1 billing"))[0].startswith(
        "That request is no longer waiting to be filed"
    )


async def test_h1_the_knowledge_base_points_to_the_department_when_no_keyword_does() -> None:
    rig = Rig(with_kb=True)
    (reply,) = await rig.run(PIA, "request", "Kunde fragt nach der Mehrwertsteuer")
    assert reply.text.startswith("This sounds like a request for Billing.")


async def test_h1_an_unknown_department_name_gets_the_valid_ones_and_a_suggestion() -> None:
    rig = Rig()
    (reply,) = await rig.run(PIA, "request", "biling parcel 4471 was returned damaged")
    assert reply.text == (
        "I don't know a department called “biling”. The departments are: billing (Billing), "
        "orders (Orders), technical (Technical)\n"
        "This sounds like a request for Orders. File it there, or pick another team:"
    )
    assert reply.buttons[0].value == "D-1 orders"


async def test_claim_tells_the_requester_who_took_it_and_when_to_expect_an_answer() -> None:
    rig = Rig()
    await filed(rig)
    (claimed,) = await rig.texts(SAM, "claim", "R-301")
    assert claimed.startswith("You have R-301")
    assert rig.sent_to("discord")[-1] == (
        "Sam from Billing has taken your request R-301. "
        "Expect a first answer by Monday 23 November, 11:00 UTC."
    )


async def test_relay_both_ways_across_platforms() -> None:
    rig = Rig()
    await filed(rig)
    await rig.run(SAM, "claim", "R-301")
    # Billing (Slack) answers; Pia's thread on Discord gets it.
    assert await rig.texts(SAM, "reply", "R-301 Which customer number?") == ["Sent to Pia (R-301)."]
    assert rig.sent_to("discord")[-1] == "Which customer number?"
    # Pia answers in her own thread (a plain message there; the bot keeps quiet) ...
    address = await rig.request_address("R-301")
    assert await rig.bot.dispatch(Incoming.message(PIA, address, "Customer 99812")) == []
    # ... or with /reply from anywhere; both are in the request's record for Billing to see.
    assert await rig.texts(PIA, "reply", "R-301 It is urgent for Friday's shipment") == [
        "Added to R-301; Billing will see it."
    ]
    seen = await rig.requester_sees("R-301")
    assert seen[-3:] == [
        "Which customer number?",
        "Customer 99812",
        "It is urgent for Friday's shipment",
    ]
    messages = await rig.bot.services.transcript.after((await request_of(rig)).conversation, 0)
    assert [m.role.value for m in messages[-2:]] == ["customer", "customer"]
    assert rig.chats["discord"].sent[-1][1].author == "Pia"  # shown as Pia's, in her thread
    request = await rig.bot.services.desk.get("R-301")
    assert request is not None
    assert request.first("first response") is not None


async def test_h3_reminder_before_the_deadline_then_escalation_at_the_breach() -> None:
    rig = Rig()
    await filed(rig)
    await rig.tick(minutes=89)  # 10:29: nothing yet
    assert rig.queue_notices("billing")[1:] == []
    await rig.tick(minutes=1)  # 10:30, half an hour before the first answer is due
    assert rig.queue_notices("billing")[1:] == [
        "Reminder: R-301 needs its first answer by Monday 23 November, 11:00 UTC "
        "(30 minutes of working time left)."
    ]
    await rig.run(SAM, "claim", "R-301")  # claimed, but nobody answers
    await rig.tick(minutes=30)  # 11:00: breach
    breach = (
        "R-301 (Billing) missed its first answer deadline of Monday 23 November, 11:00 UTC. "
        "Handler: Sam. Please take it over or help."
    )
    assert rig.notices_to("web", "linda") == [breach]  # the senior contact
    assert rig.notices_to("slack", "U-SAM") == [breach]  # and the handler
    assert rig.sent_to("discord")[-1] == (
        "I'm sorry: we promised the first answer on R-301 by Monday 23 November, 11:00 UTC, "
        "and we are late. I've told Linda Lead, who is following it up."
    )
    request = await rig.bot.services.desk.get("R-301")
    assert request is not None
    assert request.priority is Priority.HIGH
    assert "late: first response" in request.flags


async def test_h3_an_answer_in_time_means_no_reminder_and_no_breach() -> None:
    rig = Rig()
    await filed(rig)
    await rig.run(SAM, "claim", "R-301")
    await rig.run(SAM, "reply", "R-301 On it, sending by noon.")
    await rig.tick(hours=3)
    assert rig.notices_to("web", "linda") == []
    assert rig.queue_notices("billing")[1:] == []


async def test_h3_deadlines_count_business_hours_only() -> None:
    rig = Rig()
    rig.clock.advance(hours=6, minutes=30)  # Monday 15:30, half an hour before closing
    await filed_late(rig)
    request = await rig.bot.services.desk.get("R-301")
    assert request is not None
    # 30 min on Monday + 90 min on Tuesday from 08:00.
    assert request.due["first_response"] == "2026-11-24T09:30:00+00:00"
    await rig.tick(hours=17)  # Tuesday 08:30: the evening did not count
    assert rig.notices_to("web", "linda") == []


async def filed_late(rig: Rig) -> None:
    await rig.run(PIA, "request", "billing Credit note for order 5512")


async def test_f2_f5_resolution_confirmed_and_rated_by_the_requester() -> None:
    rig = Rig()
    await filed(rig)
    await rig.run(SAM, "claim", "R-301")
    assert await rig.texts(SAM, "resolve", "R-301 Invoice sent to the customer by e-mail") == [
        "Asked the requester to confirm R-301 is solved."
    ]
    assert rig.sent_to("discord")[-1] == (
        "Here's what we did: Invoice sent to the customer by e-mail\n"
        "Is everything solved for you now?"
    )
    address = await rig.request_address("R-301")
    assert rig.chats["discord"].sent[-1][1].buttons[0].action == "solved_yes"
    replies = await rig.click(PIA, address, "solved_yes", "R-301")
    assert replies[0].startswith("Thank you")
    await rig.click(PIA, address, "rate", "R-301:5")
    request = await rig.bot.services.desk.get("R-301")
    assert request is not None
    assert (request.status, request.rating) == (Status.CLOSED, 5)
    await rig.tick(days=2)  # closed: no reminder, no breach later
    assert rig.notices_to("web", "linda") == []


async def test_h2_a_ticket_asks_billing_and_the_answer_comes_back_to_its_handler() -> None:
    rig = Rig()
    h = rig.h
    await h.say("Where is my parcel? It was supposed to come on Friday")
    await h.click("pick_department", "orders")
    await h.command("claim", "T-1001")  # Sam Staff (web) handles orders tickets
    asked = await h.command("ask", "T-1001 billing Was order 5512 refunded already?")
    assert asked[0] == ("Asked as R-301 for T-1001. Answers reach you here and as notes on T-1001.")
    transcript = [m.text for m in await h.transcript()]
    assert transcript[-1] == (
        "I've asked our Billing team about this. "
        "You'll hear from us by Monday 23 November, 11:00 UTC."
    )
    request = await rig.bot.services.desk.get("R-301")
    assert request is not None
    assert request.linked == "T-1001"
    await rig.run(SAM, "claim", "R-301")
    await rig.run(SAM, "reply", "R-301 Yes, refunded on the 20th")
    assert rig.notices_to("web", "sam") == [
        "Answer on R-301 for T-1001 from Sam: Yes, refunded on the 20th"
    ]
    await rig.run(SAM, "resolve", "R-301 Refund 20.11., reference RF-1182")
    ticket = await rig.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert [n.note for n in ticket.notes] == [
        "R-301 (Billing): Yes, refunded on the 20th",
        "R-301 (Billing): Refund 20.11., reference RF-1182",
    ]
    transcript = [m.text for m in await h.transcript()]
    assert (
        transcript[-1] == "Our Billing team has answered. Sam Staff will continue with you shortly."
    )


async def test_requests_lists_mine_and_my_departments_and_request_shows_the_history() -> None:
    rig = Rig()
    await filed(rig)
    (mine,) = await rig.texts(PIA, "requests")
    assert mine.startswith("Your open requests:\nR-301 · waiting · normal · Pia (Orders) → billing")
    (theirs,) = await rig.texts(WEB_BEA, "requests")
    assert theirs.startswith("Requests for Billing:\nR-301 · waiting")
    await rig.run(SAM, "claim", "R-301")
    (shown,) = await rig.texts(WEB_BEA, "request", "R-301")
    assert "first response due: Monday 23 November, 11:00 UTC" in shown
    assert "claimed Sam" in shown
    assert "--- messages ---" in shown
    assert await rig.texts(OUTSIDER, "requests") == [
        "No open requests from you or for your departments."
    ]


async def test_permission_errors() -> None:
    rig = Rig()
    customer = Person("web", "cust-9", "Carl")
    assert await rig.texts(customer, "request", "billing give me money") == [
        "Sorry, /request is for our support staff. "
        "Just write your question here and we'll help you."
    ]
    await filed(rig)
    (refused,) = await rig.texts(OUTSIDER, "claim", "R-301")
    assert refused == "R-301 belongs to Billing, and you're not on that team."
    (refused,) = await rig.texts(OUTSIDER, "reply", "R-301 let me answer")
    assert refused.startswith("R-301 is between the requester and the team")
    assert (await rig.texts(PIA, "request", "R-999"))[0] == (
        "I can't find a request called R-999. /requests lists the open ones."
    )
    assert (await rig.texts(PIA, "request", "billing"))[0].startswith("Please add what you need")
    assert LEAD.accounts["web"] == "linda"


async def request_of(rig: Rig, ref: str = "R-301") -> Ticket:
    found = await rig.bot.services.desk.get(ref)
    assert found is not None
    return found


async def test_d2_d3_hold_and_transfer_ask_the_requester_first() -> None:
    rig = Rig()
    await filed(rig)
    await rig.run(SAM, "claim", "R-301")
    address = await rig.request_address("R-301")
    assert await rig.texts(SAM, "hold", "R-301 15 checking with the bank") == [
        "Asked the requester for permission to put R-301 on hold for 15 minutes."
    ]
    assert rig.chats["discord"].sent[-1][1].buttons[0].action == "hold_ok"
    await rig.click(PIA, address, "hold_ok", "R-301")
    assert (await request_of(rig)).status is Status.ON_HOLD
    await rig.run(SAM, "reply", "R-301 Back: the bank confirmed.")
    assert (await request_of(rig)).status is Status.CLAIMED
    assert await rig.texts(SAM, "transfer", "R-301 orders they book credit notes") == [
        "Asked the requester whether R-301 may go to Orders."
    ]
    assert rig.chats["discord"].sent[-1][1].buttons[0].action == "transfer_ok"
    await rig.click(PIA, address, "transfer_ok", "R-301")
    moved = await request_of(rig)
    assert (moved.department, moved.status, moved.handler) == ("orders", Status.WAITING, None)
    assert moved.due["resolution"] == "2026-11-24T09:00:00+00:00"  # the promise stands
