"""Departments in the flow: choosing one, team permissions, escalation (E5), business hours."""

from __future__ import annotations

from bot.departments import Contact, Department
from bot.events import Event, StaffNotice
from bot.models import Address, Incoming, Person
from bot.tickets.model import Priority, Status
from tests.fakes import Harness

OPEN_ALWAYS = {"timezone": "Europe/Copenhagen", "always": True}
WEEKDAYS: dict[str, object] = {
    "timezone": "Europe/Copenhagen",
    **dict.fromkeys(("monday", "tuesday", "wednesday", "thursday", "friday"), "08:00-18:00"),
}


def departments(billing_hours: dict[str, object] = OPEN_ALWAYS) -> dict[str, Department]:
    lead = Contact("Linda Lead", {"web": "linda"})
    return {
        "billing": Department(
            "billing", {"en": "Billing"}, staff={"web": ("sam",)}, hours=billing_hours, senior=lead
        ),
        "orders": Department(
            "orders", {"en": "Orders"}, staff={"web": ("olga",)}, hours=OPEN_ALWAYS
        ),
    }


async def test_b4_the_customer_picks_the_team_when_the_bot_cannot_tell() -> None:
    h = Harness(name="Anna", departments=departments())
    replies = await h.say("Something odd happened with my account and money")
    assert replies[-1] == "Which team should look at this?"
    assert h.buttons() == [
        ("Billing", "pick_department", "billing"),
        ("Orders", "pick_department", "orders"),
    ]
    replies = await h.click("pick_department", "billing")
    assert replies[0].startswith("I've passed this to our Billing team (ticket T-1001).")


async def test_only_the_department_staff_may_claim_its_tickets() -> None:
    h = Harness(name="Anna", departments=departments())
    await h.say("Something odd happened with my account and money")
    await h.click("pick_department", "orders")
    assert await h.command("claim", "T-1001") == [
        "T-1001 belongs to Orders, and you're not on that team."
    ]
    assert await h.command("claim") == ["Nobody is waiting in your queues."]


async def test_e5_escalate_goes_to_the_senior_contact_who_is_notified() -> None:
    h = Harness(name="Anna", departments=departments())
    notices: list[Event] = []

    async def listen(event: Event) -> None:
        notices.append(event)

    h.bot.services.bus.subscribe(listen)
    await h.say("Something odd happened with my account and money")
    await h.click("pick_department", "billing")
    await h.command("claim")
    assert await h.command("escalate", "customer was charged three times") == [
        "T-1001 escalated to Linda Lead."
    ]
    ticket = await h.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert (ticket.priority, ticket.flags, ticket.status) == (
        Priority.HIGH,
        ["escalated"],
        Status.CLAIMED,
    )
    assert ticket.handler is not None
    assert ticket.handler.name == "Linda Lead"
    (notice,) = [n for n in notices if isinstance(n, StaffNotice)]
    assert notice.to == {"web": "linda"}
    assert (
        notice.text == "T-1001 was escalated to you by Sam Staff: customer was charged three times"
    )
    assert (await h.transcript())[-1].text.startswith(
        "I've asked Linda Lead to look at this with us."
    )


async def test_d1_outside_business_hours_the_customer_learns_when_the_team_is_back() -> None:
    h = Harness(name="Anna", departments=departments(WEEKDAYS))
    h.clock.advance(hours=10)  # Monday 19:00 UTC = 20:00 in Copenhagen: closed
    await h.say("Something odd happened with my account and money")
    replies = await h.click("pick_department", "billing")
    assert replies == [
        "I've passed this to our Billing team (ticket T-1001). Our Billing team is back "
        "tomorrow at 08:00 (CET). Your request keeps its place in the queue, and the answer "
        "will come here."
    ]


async def test_staff_membership_comes_from_the_departments_by_id_or_role() -> None:
    extra = Department("orders", {"en": "Orders"}, staff={"slack": ("U42", "group:S-ORDERS")})
    h = Harness(departments={"orders": extra})
    desk = Address("slack", "C-STAFF")
    by_id = Incoming.slash(Person("slack", "U42", "Ulla"), desk, "queue")
    by_group = Incoming.slash(Person("slack", "U7", "Ola", groups=("S-ORDERS",)), desk, "queue")
    outsider = Incoming.slash(Person("slack", "U9", "Ivo"), desk, "queue")
    assert (await h.bot.dispatch(by_id))[0].text == "Nobody is waiting in Orders."
    assert (await h.bot.dispatch(by_group))[0].text == "Nobody is waiting in Orders."
    assert (await h.bot.dispatch(outsider))[0].text.startswith(
        "Sorry, /queue is for our support staff."
    )


async def test_c5_typing_instead_of_choosing_a_team_asks_again_not_a_dead_end() -> None:
    h = Harness(name="Anna", departments=departments())
    await h.say("Something odd happened with my account and money")
    assert await h.say("I don't know, you decide") == [
        "Got it, I've added that to your request. Which team should look at this?"
    ]
    assert [action for _, action, _ in h.buttons()] == ["pick_department", "pick_department"]
