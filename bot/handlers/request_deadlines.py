"""Service levels for internal requests (H3): deadlines, reminders before, escalation at breach."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.core import Services
from bot.events import StaffNotice
from bot.handlers.outbound import tell_customer
from bot.i18n import Localized
from bot.l10n import date_time, date_time_in, duration_in, localized
from bot.scheduler import Job
from bot.service_levels import MILESTONES
from bot.tickets.model import Priority, Status, Ticket

DONE = (Status.RESOLVED, Status.CLOSED)


def business_later(
    services: Services, department: str, start: datetime, seconds: float
) -> datetime:
    """`seconds` of the department's working time after `start` (wall time without hours)."""
    hours = services.hours.get(department)
    if hours is None:
        return start + timedelta(seconds=seconds)
    return hours.add_business_seconds(start, seconds)


async def plan_deadlines(services: Services, request: Ticket) -> None:
    """Set the request's due times and schedule a reminder before and a check at each."""
    department = services.departments.get(request.department)
    levels = department.service_levels if department else None
    if levels is None:
        return
    for milestone in MILESTONES:
        target = levels.target(milestone)
        due = business_later(services, request.department, request.opened_at, target)
        remind = business_later(
            services, request.department, request.opened_at, target - levels.remind_before
        )
        request.due[milestone] = due.isoformat()
        payload = {"request": request.id, "milestone": milestone}
        key = f"sla:{request.id}:{milestone}"
        await services.scheduler.schedule("sla_remind", remind, payload, key=f"{key}:remind")
        await services.scheduler.schedule("sla_breach", due, payload, key=f"{key}:breach")


def met(request: Ticket, milestone: str) -> bool:
    if request.status in DONE:
        return True
    return milestone == "first_response" and request.first("first response") is not None


def local_time(services: Services, department: str, at: datetime) -> datetime:
    """`at` in the department's time zone (as given when it has no business hours)."""
    hours = services.hours.get(department)
    return at.astimezone(hours.zone) if hours else at


def due_text(services: Services, language: str, department: str, at: datetime) -> str:
    """ "Montag, 23. November, 11:00 MEZ": the department's time, in the reader's language."""
    locale = services.catalog.language(language).locale
    return date_time(local_time(services, department, at), locale)


def due_in(services: Services, department: str, at: datetime) -> Localized:
    """`due_text` in the language of whichever phrase it goes into."""
    return date_time_in(local_time(services, department, at))


def department_in(services: Services, department_id: str) -> Localized:
    """The department's name in the language of whichever phrase it goes into."""
    found = services.departments.get(department_id)
    return localized(found.name if found else lambda _: department_id)


def milestone_in(services: Services, milestone: str) -> Localized:
    return localized(lambda code: services.catalog.text(code, f"milestone_{milestone}"))


def sla_reminder_job(services: Services) -> Callable[[Job], Awaitable[None]]:
    """Before a breach: the handler, or the department's queue if nobody has it, is reminded."""

    async def remind(job: Job) -> None:
        request, milestone = await _still_open(services, job)
        if request is None:
            return
        due = datetime.fromisoformat(request.due[milestone])
        hours = services.hours.get(request.department)
        now = services.clock.now()
        left = hours.business_seconds(now, due) if hours else (due - now).total_seconds()
        text = services.catalog.text(
            services.settings.default_language,
            "sla_reminder",
            request=request.id,
            milestone=milestone_in(services, milestone),
            due=due_in(services, request.department, due),
            left=duration_in(timedelta(seconds=left)),
        )
        request.log("reminded", now, note=f"{milestone} due {due.isoformat()}")
        await services.desk.save(request)
        await services.bus.publish(_to_handler_or_queue(request, text))

    return remind


def sla_breach_job(services: Services) -> Callable[[Job], Awaitable[None]]:
    """At a breach: the senior contact takes it up and the requester is told honestly."""

    async def breach(job: Job) -> None:
        request, milestone = await _still_open(services, job)
        if request is None:
            return
        await _mark_late(services, request, milestone)
        department = services.departments.get(request.department)
        senior = department.senior if department else None
        values = _breach_values(services, request, milestone)
        language = services.settings.default_language
        text = services.catalog.text(language, "sla_breached_staff", **values)
        if senior is not None:
            await services.bus.publish(StaffNotice(senior.accounts, text, request.id))
        await services.bus.publish(_to_handler_or_queue(request, text))
        who = senior.name if senior else values["department"]
        await tell_customer(
            services, request.conversation, "sla_breached_requester", senior=who, **values
        )

    return breach


async def _still_open(services: Services, job: Job) -> tuple[Ticket | None, str]:
    milestone = str(job.payload.get("milestone", ""))
    request = await services.desk.get(str(job.payload.get("request", "")))
    if request is None or milestone not in request.due or met(request, milestone):
        return None, milestone
    return request, milestone


async def _mark_late(services: Services, request: Ticket, milestone: str) -> None:
    request.flags = sorted({*request.flags, f"late: {milestone.replace('_', ' ')}"})
    if request.priority is Priority.NORMAL:
        request.priority = Priority.HIGH
    request.log("escalated", services.clock.now(), note=f"service level missed: {milestone}")
    await services.desk.save(request)


def _breach_values(services: Services, request: Ticket, milestone: str) -> dict[str, object]:
    """Staff and the requester read these in their own languages, so they stay `Localized`."""
    due = datetime.fromisoformat(request.due[milestone])
    return {
        "request": request.id,
        "milestone": milestone_in(services, milestone),
        "due": due_in(services, request.department, due),
        "department": department_in(services, request.department),
        "handler": request.handler.name if request.handler else "-",
    }


def _to_handler_or_queue(request: Ticket, text: str) -> StaffNotice:
    if request.handler is not None and request.status is not Status.WAITING:
        to = {request.handler.platform: request.handler.staff_id}
        return StaffNotice(to, text, request.id)
    return StaffNotice({}, text, request.id, queue=request.department)


async def tell_requester_claimed(services: Services, request: Ticket, staff: str) -> None:
    """The requester hears who took the request and when to expect an answer (D1), in the
    language of the request's conversation."""
    values: dict[str, object] = {
        "staff": staff,
        "request": request.id,
        "department": department_in(services, request.department),
    }
    if "first_response" not in request.due:
        await tell_customer(services, request.conversation, "request_claimed_no_due", **values)
        return
    at = datetime.fromisoformat(request.due["first_response"])
    due = due_in(services, request.department, at)
    await tell_customer(services, request.conversation, "request_claimed", due=due, **values)
