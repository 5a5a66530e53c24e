"""A ticket's life through the core: handoff, claim, relay, resolve, confirm, rate, follow up."""

from __future__ import annotations

from bot.config import Settings
from bot.events import Event, StaffNotice
from bot.kb.entries import Candidate, Lookup
from bot.models import Role
from bot.tickets.model import Status
from bot.wiring import build_bot
from tests.fakes import FakeKnowledgeBase, Harness
from tests.kb_samples import ENTRIES

UNCOVERED = "My smart fridge from another shop is making a clicking noise"


async def handed_over() -> Harness:
    h = Harness(name="Anna")
    await h.say(UNCOVERED)
    return h


async def test_c5_b4_d1_the_customer_gets_a_ticket_a_place_and_an_honest_wait() -> None:
    h = await handed_over()
    assert h.replies[-1].text == (
        "I've passed this to our support team (ticket T-1001). You're number 1 in the queue. "
        "I can't estimate the wait yet, but the answer will come right here."
    )
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert (ticket.status, ticket.department, ticket.topic) == (
        Status.WAITING,
        "support",
        UNCOVERED,
    )


async def test_d1_the_wait_estimate_comes_from_recent_claims() -> None:
    h = Harness(name="Anna")
    for _ in range(4):  # a claim every 4 minutes
        await h.bot.services.desk.note_claim("support", h.clock.now())
        h.clock.advance(minutes=4)
    await h.another_customer("Bo").say(UNCOVERED)
    await h.say(UNCOVERED)
    assert h.replies[-1].text.endswith("You're number 2 in the queue; the wait is about 8 minutes.")


async def test_a2_claim_tells_the_customer_who_is_helping_by_name() -> None:
    h = await handed_over()
    (text,) = await h.command("claim")
    assert text.startswith("You have T-1001: Anna (en), support.")
    last = (await h.transcript())[-1]
    assert (
        last.text == "Hi Anna, this is Sam Staff from our support team. I'm taking over from here."
    )
    assert (await h.bot.services.desk.get("T-1001")).status is Status.CLAIMED  # type: ignore[union-attr]


async def test_relay_both_ways_and_notes_stay_internal() -> None:
    h = await handed_over()
    await h.command("claim")
    assert await h.command("reply", "T-1001 Which model is it?") == ["Sent to Anna (C-1)."]
    assert await h.say("It's the CoolMax 300") == []  # a person has the floor (B1)
    await h.command("note", "customer bought it elsewhere, explain warranty")
    texts = [m.text for m in await h.transcript()]
    assert "Which model is it?" in texts
    assert "customer bought it elsewhere, explain warranty" not in texts
    (shown,) = await h.command("ticket", "T-1001")
    assert "note [23 Nov 09:00] Sam Staff: customer bought it elsewhere" in shown
    assert "Anna: It's the CoolMax 300" in shown


async def test_f1_f2_f5_resolve_confirm_rate_and_comment() -> None:
    h = await handed_over()
    await h.command("claim")
    assert await h.command("resolve", "Explained the repair options for the fridge.") == [
        "Asked the customer to confirm T-1001 is solved."
    ]
    asked = (await h.transcript())[-1]
    assert asked.text == (
        "Here's what we did: Explained the repair options for the fridge.\n"
        "Is everything solved for you now?"
    )
    assert [b.action for b in asked.buttons] == ["solved_yes", "solved_no"]
    replies = await h.click("solved_yes", "T-1001")
    assert replies[0].startswith("Thank you for confirming! How would you rate our help")
    assert [label for label, _, _ in h.buttons()] == ["1", "2", "3", "4", "5"]
    await h.click("rate", "T-1001:5")
    assert await h.say("Quick and friendly, thanks") == [
        "Thank you, that helps us get better. Anything else I can help you with?"
    ]
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert (ticket.status, ticket.rating, ticket.comment) == (
        Status.CLOSED,
        5,
        "Quick and friendly, thanks",
    )


async def test_f2_not_solved_goes_back_to_the_same_handler() -> None:
    h = await handed_over()
    await h.command("claim")
    await h.command("resolve", "Reset the device.")
    assert await h.click("solved_no", "T-1001") == [
        "I'm sorry it's not solved yet. I've reopened your request with Sam Staff; "
        "they'll be right back."
    ]
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.status is Status.CLAIMED
    assert ticket.handler is not None
    assert ticket.handler.name == "Sam Staff"


async def test_f4_a_follow_up_fires_on_time_even_after_a_restart() -> None:
    h = await handed_over()
    await h.command("claim")
    assert await h.command("followup", "T-1001 3d How is the fridge doing?") == [
        "Follow-up for T-1001 scheduled for Thursday 26 November, 09:00 UTC."
    ]
    h.clock.advance(days=2)
    assert await h.bot.services.scheduler.run_due() == 0
    restarted = build_bot(Settings(), h.store, h.clock)  # a new process on the same data
    restarted.services.chats["web"] = h.chat
    h.clock.advance(days=1)
    assert await restarted.services.scheduler.run_due() == 1
    texts = [m.text for m in await h.transcript()]
    assert texts[-2:] == [
        "Hi Anna, we're checking in about your request T-1001.",
        "How is the fridge doing?",
    ]
    assert (await h.transcript())[-1].role is Role.STAFF


async def test_claim_with_nobody_waiting_and_unknown_tickets() -> None:
    h = Harness()
    assert await h.command("claim") == ["Nobody is waiting in your queues."]
    assert await h.command("claim", "T-9999") == [
        "I can't find ticket T-9999. /queue lists the waiting ones."
    ]
    assert await h.command("resolve", "done") == [
        "You have no ticket in hand. /claim takes the next one from your queue."
    ]


async def test_a_customer_cannot_run_ticket_commands() -> None:
    h = await handed_over()
    assert (await h.command("claim", as_customer=True))[0].startswith(
        "Sorry, /claim is for our support staff."
    )


async def claimed() -> Harness:
    h = await handed_over()
    await h.command("claim")
    return h


async def test_d2_hold_asks_permission_says_why_and_how_long() -> None:
    h = await claimed()
    assert await h.command("hold", "10 check the warranty with the manufacturer") == [
        "Asked the customer for permission to put T-1001 on hold for 10 minutes."
    ]
    asked = (await h.transcript())[-1]
    assert asked.text == (
        "Sam Staff needs to check the warranty with the manufacturer. "
        "May I put you on hold for about 10 minutes?"
    )
    assert await h.click("hold_ok", "T-1001") == ["Thank you. We'll be back within 10 minutes."]
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.status is Status.ON_HOLD


async def test_d2_when_the_hold_runs_out_the_customer_chooses_then_is_thanked() -> None:
    h = await claimed()
    await h.command("hold", "10 check the warranty")
    await h.click("hold_ok", "T-1001")
    h.clock.advance(minutes=9)
    assert await h.bot.services.scheduler.run_due() == 0
    h.clock.advance(minutes=2)
    assert await h.bot.services.scheduler.run_due() == 1
    expired = (await h.transcript())[-1]
    assert expired.text.startswith("Sorry, Sam Staff needs a little more time.")
    assert [b.action for b in expired.buttons] == ["hold_wait", "hold_later"]
    assert await h.click("hold_wait", "T-1001") == [
        "Thank you for your patience. We'll be back within about 10 minutes."
    ]
    await h.command("reply", "T-1001 Good news: it's covered.")
    texts = [m.text for m in await h.transcript()]
    assert texts[-2:] == ["Thank you for waiting, Anna.", "Good news: it's covered."]
    assert await h.bot.services.scheduler.pending() == []  # the hold timer was cancelled


async def test_d2_a_declined_hold_keeps_the_handler_talking() -> None:
    h = await claimed()
    await h.command("hold", "5 ask billing")
    assert await h.click("hold_declined", "T-1001") == [
        "All right, Sam Staff will carry on with you now."
    ]
    assert await h.click("hold_ok", "T-1001") == [
        "That button is no longer active. Just write your question and I'll help."
    ]


async def test_d2_a_hold_survives_a_restart() -> None:
    h = await claimed()
    await h.command("hold", "10 check the stock")
    await h.click("hold_ok", "T-1001")
    restarted = build_bot(Settings(), h.store, h.clock)
    restarted.services.chats["web"] = h.chat
    h.clock.advance(minutes=11)
    assert await restarted.services.scheduler.run_due() == 1
    assert (await h.transcript())[-1].text.startswith("Sorry, Sam Staff needs a little more time.")


async def test_d3_transfer_asks_the_customer_first() -> None:
    h = await claimed()
    await h.bot.services.staff.add("rita", "Rita Repair")
    assert await h.command("transfer", "rita needs a repair specialist") == [
        "Asked the customer whether T-1001 may go to Rita Repair."
    ]
    assert (await h.transcript())[-1].text == (
        "Sam Staff would like to pass you to Rita Repair, who can help better with this. "
        "Is that all right?"
    )
    replies = await h.click("transfer_ok", "T-1001")
    assert replies == ["Hi, this is Rita Repair from our support team. I'm taking over from here."]
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.handler is not None
    assert ticket.handler.name == "Rita Repair"
    assert ticket.history[-1].note == "to rita: needs a repair specialist"


async def test_d3_a_declined_transfer_stays() -> None:
    h = await claimed()
    await h.bot.services.staff.add("rita", "Rita Repair")
    await h.command("transfer", "rita repair")
    assert await h.click("transfer_declined", "T-1001") == ["All right, Sam Staff stays with you."]


async def test_e6_handover_to_a_colleague_tells_the_customer_the_new_name() -> None:
    h = await claimed()
    await h.bot.services.staff.add("rita", "Rita Repair")
    notices: list[Event] = []

    async def listen(event: Event) -> None:
        notices.append(event)

    h.bot.services.bus.subscribe(listen)
    assert await h.command("handover", "rita she knows fridges") == [
        "T-1001 is now with Rita Repair."
    ]
    assert (await h.transcript())[-1].text == (
        "Hi, this is Rita Repair from our support team. I'm taking over from here."
    )
    (notice,) = [n for n in notices if isinstance(n, StaffNotice)]
    assert notice.to == {"web": "rita"}
    assert notice.text.startswith(
        "T-1001 is now yours (handed over by Sam Staff: she knows fridges)."
    )


async def test_d1_waiting_customers_hear_when_their_place_changes_materially() -> None:
    h = Harness(name="Anna")
    for _ in range(4):  # a claim every 4 minutes recently
        await h.bot.services.desk.note_claim("support", h.clock.now())
        h.clock.advance(minutes=4)
    first = h.another_customer("Bo")
    await first.say(UNCOVERED)
    await h.say(UNCOVERED)
    assert h.replies[-1].text.endswith("You're number 2 in the queue; the wait is about 8 minutes.")
    await h.command("claim")  # takes Bo's ticket: Anna is next
    assert (await h.transcript())[-1].text == "Update: you're next in the queue."


async def test_e3_a_flag_follows_the_customer_to_every_ticket() -> None:
    h = await handed_over()
    assert await h.command("flag", "T-1001 insulted staff on 2 Nov") == [
        "Flagged web:cust-1: insulted staff on 2 Nov. Whoever meets them next will see it."
    ]
    (queue,) = await h.command("queue")
    assert "[flagged: insulted staff on 2 Nov]" in queue
    assert await h.command("flag", "C-99 rude") == [
        "I can't find the customer 'C-99'. Use a ticket (T-1042), a conversation (C-3) "
        "or platform:user."
    ]


async def test_unclaim_puts_it_back_and_mine_lists_what_i_hold() -> None:
    h = await claimed()
    (mine,) = await h.command("mine")
    assert mine.splitlines()[1].startswith("T-1001 · claimed · normal · Anna")
    assert await h.command("unclaim") == ["T-1001 is back in the support queue."]
    assert (await h.transcript())[-1].text == (
        "Your request is back in our queue; the next colleague free will take it."
    )
    assert await h.command("mine") == ["You have no open tickets."]


async def test_reopen_a_closed_ticket() -> None:
    h = await claimed()
    await h.command("resolve", "Done.")
    await h.click("solved_yes", "T-1001")
    assert await h.command("reopen", "T-1001") == ["T-1001 is open again."]
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.status is Status.CLAIMED
    assert (await h.conversation()).ticket == "T-1001"


async def test_two_unanswered_questions_in_a_row_bring_a_person() -> None:
    unsure = Lookup(
        None, 0.2, "en", (Candidate("refund-status", 0.21),), Candidate("card-arrival", 0.22)
    )
    h = Harness(name="Anna", kb=FakeKnowledgeBase(unsure, ENTRIES))
    await h.say("hello")
    first = await h.say("something about my card maybe")
    assert first == ["I'm not sure I understood. Is it one of these?"]
    assert [value for _, _, value in h.buttons()] == ["card-arrival", "refund-status", ""]
    second = await h.say("no, it's about something else entirely")
    assert second[0] == "Let me find that out for you. I'll get a colleague to help with this."
    assert second[1].startswith("I've passed this to our billing team (ticket T-1001).")
