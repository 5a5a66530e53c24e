"""`customer delete`: no trace of the customer's words or name is left in the data files."""

from __future__ import annotations

from pathlib import Path

from bot import audit
from bot.privacy.erase import erase_customer, preview
from bot.storage import open_store
from bot.tickets.facts_store import TICKET_FACTS
from bot.tickets.model import Status
from tests.privacy_story import (
    KEY,
    NAME,
    OTHER_NAME,
    OTHER_TEXT,
    SECRETS,
    STAFF_TEXTS,
    another_customer,
    live_through,
    story_harness,
)


def every_byte(root: Path) -> bytes:
    return b"\n".join(path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file())


async def test_delete_leaves_no_trace_of_name_or_messages_in_the_tinydb_files(
    tmp_path: Path,
) -> None:
    root = tmp_path / "db"
    store = await open_store(root, segment_size=4)  # many segments: records spread over files
    h = await story_harness(store)
    await live_through(h)
    await another_customer(h)
    before = every_byte(root).lower()
    assert all(secret.lower().encode() in before for secret in SECRETS + STAFF_TEXTS)

    done = await erase_customer(store, KEY, h.clock.now())
    await store.close()

    assert done is not None
    left = every_byte(root).lower()
    for secret in SECRETS + STAFF_TEXTS:
        assert secret.lower().encode() not in left, secret
    assert KEY.encode() not in left
    assert OTHER_NAME.lower().encode() in left  # the other customer is untouched
    assert OTHER_TEXT.lower().encode() in left


async def test_the_store_still_opens_and_the_other_customer_still_works(tmp_path: Path) -> None:
    store = await open_store(tmp_path / "db")
    h = await story_harness(store)
    await live_through(h)
    other = await another_customer(h)
    await erase_customer(store, KEY, h.clock.now())
    await store.close()

    reopened = await open_store(tmp_path / "db")
    h2 = await story_harness(reopened)
    other.bot, other.store = h2.bot, reopened
    assert await other.say("Are you still there?")
    assert (await other.transcript())[0].text == OTHER_TEXT
    assert await reopened.get("conversations", h.address.key) is None
    await reopened.close()


async def test_tickets_stay_for_reports_without_the_customer() -> None:
    h = await story_harness()
    await live_through(h)
    before = await h.bot.services.desk.get("T-1001")
    assert before is not None

    done = await erase_customer(h.store, KEY, h.clock.now())

    assert done is not None
    after = await h.bot.services.desk.get("T-1001")
    assert after is not None
    assert (after.status, after.rating, after.department, after.language) == (
        Status.CLOSED,
        4,
        "billing",
        "en",
    )
    assert [(e.what, e.at) for e in after.history] == [(e.what, e.at) for e in before.history]
    assert (after.topic, after.comment, after.customer.name) == ("", "", "")
    facts = await h.store.get(TICKET_FACTS, "T-1001")  # what reports keep is erased too
    assert facts is not None
    assert (facts["topic"], facts["comment"], facts["rating"]) == ("", "", 4)
    assert {e.note for e in after.history + after.notes} == {""}
    assert after.customer.key != KEY
    assert after.customer.id == done.pseudonym
    assert await h.bot.services.desk.of_customer(KEY) == []
    (shown,) = await h.command("ticket", "T-1001")  # still readable by staff
    assert "T-1001 · closed" in shown


async def test_everything_hanging_off_the_customer_goes() -> None:
    h = await story_harness()
    await live_through(h)
    other = await another_customer(h)
    store = h.store

    done = await erase_customer(store, KEY, h.clock.now())

    assert done is not None
    assert await store.find("conversations", customer={"platform": "web", "id": "cust-1"}) == []
    assert await store.count("messages", conversation=h.address.key) == 0
    assert await store.count("kb_lookups", conversation=h.address.key) == 0
    assert await store.get("customer_flags", KEY) is None
    assert await store.get("jobs", "followup:T-1001") is None  # no follow-up to an erased person
    request = await h.bot.services.desk.get("R-301")  # the question to billing about the ticket
    assert request is not None
    assert request.topic == ""
    texts = [m.text for m in await h.bot.services.transcript.after(request.conversation, 0)]
    assert texts
    assert all(NAME.split()[0] not in text for text in texts)
    assert (await other.transcript())[0].text == OTHER_TEXT


async def test_audit_entries_name_the_pseudonym_instead_of_the_customer() -> None:
    h = await story_harness()
    await live_through(h)
    flagged = [d for d in await audit.latest(h.store, 100) if d["action"] == "flag"]
    assert [d["target"] for d in flagged] == [KEY]

    done = await erase_customer(h.store, KEY, h.clock.now())

    assert done is not None
    flagged = [d for d in await audit.latest(h.store, 100) if d["action"] == "flag"]
    assert [d["target"] for d in flagged] == [done.pseudonym]


async def test_preview_counts_what_delete_then_does_and_a_second_delete_finds_nothing() -> None:
    h = await story_harness()
    await live_through(h)
    plan = await preview(h.store, KEY)
    done = await erase_customer(h.store, KEY, h.clock.now())
    assert plan is not None
    assert done is not None
    assert (plan.conversations, plan.messages, plan.lookups, plan.tickets, plan.linked) == (
        1,
        18,
        2,
        1,
        1,
    )
    assert (done.conversations, done.messages, done.lookups, done.tickets, done.linked) == (
        plan.conversations,
        plan.messages,
        plan.lookups,
        plan.tickets,
        plan.linked,
    )
    assert (plan.flags, done.flags, plan.jobs, done.jobs) == (1, 1, 1, 1)
    assert await erase_customer(h.store, KEY, h.clock.now()) is None
    assert await preview(h.store, "web:nobody") is None


async def test_an_open_ticket_of_an_erased_customer_is_closed_and_leaves_the_queue() -> None:
    h = await story_harness()
    await h.say("My Quixotronic toaster hums the anthem")
    await h.click("pick_department", "technical")
    assert [t.id for t in await h.bot.services.desk.queue("technical")] == ["T-1001"]

    await erase_customer(h.store, KEY, h.clock.now())

    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert ticket.status is Status.CLOSED
    assert (ticket.history[-1].what, ticket.history[-1].by) == ("closed", "erasure")
    assert await h.bot.services.desk.queue("technical") == []


async def test_an_audit_entry_waiting_in_the_inbox_loses_the_customer_id(tmp_path: Path) -> None:
    """An export run while the bot held the store left its entry in audit-inbox/ naming the
    customer; the delete files it and replaces the id with the pseudonym like the others."""
    from bot.audit_inbox import inbox_of, post

    root = tmp_path / "db"
    store = await open_store(root)
    h = await story_harness(store)
    await live_through(h)
    who = audit.Actor("ops", "ops", "cli")
    post(root, audit.entry(who, "export", h.clock.now(), KEY, "3 conversations"))
    assert KEY.encode() in every_byte(inbox_of(root))

    done = await erase_customer(store, KEY, h.clock.now())
    await store.close()

    assert done is not None
    left = every_byte(root)
    assert KEY.encode() not in left
    assert KEY.split(":", 1)[1].encode() not in left  # the bare platform id either
    assert done.pseudonym.encode() in left
