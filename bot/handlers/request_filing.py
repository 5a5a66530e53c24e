"""Filing an internal request (H1): `/request <department> <text>`, or a suggested department."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.conversation import Stage
from bot.core import Context
from bot.departments import Department
from bot.events import StaffNotice
from bot.handlers.commands import command
from bot.handlers.outbound import post_to
from bot.handlers.request_deadlines import due_text, plan_deadlines
from bot.handlers.request_routing import (
    department_named,
    looks_like_department,
    ranked_departments,
    request_address,
    valid_departments,
)
from bot.handlers.request_views import show_request
from bot.handlers.ticket_lookup import my_departments, split_ref
from bot.kb.language import detect_language
from bot.models import Button, Reply, Role
from bot.tickets.model import Priority, RequestDraft, Ticket

DRAFTS = "request_drafts"


@command(
    "request",
    "/request [department] <text>  or  /request <R-id>",
    "ask another department for something (H1), or show one request with its history",
    1,
)
async def request(ctx: Context) -> list[Reply]:
    ref, rest = split_ref(ctx.incoming.text)
    if ref[:1].upper() == "R" and not rest:
        return await show_request(ctx, ref)
    first, _, rest = ctx.incoming.text.partition(" ")
    department = department_named(ctx, first)
    if department is not None:
        if not rest.strip():
            return [Reply(ctx.t("request_needs_text", department=department.id))]
        _, filed = await file_request(ctx, draft_for(ctx, department.id, rest.strip()))
        return [filed]
    if looks_like_department(ctx, first) and rest.strip():  # "biling ...": a misspelt name
        return [await suggest(ctx, rest.strip(), unknown=first)]
    return [await suggest(ctx, ctx.incoming.text, unknown="")]


@command("file", "/file <draft> <department>", "file a drafted request with the chosen team", 2)
async def file_draft(ctx: Context) -> list[Reply]:
    draft_id, department_id = ctx.incoming.text.split()[:2]
    doc = await ctx.services.store.get(DRAFTS, draft_id.upper())
    if doc is None:
        return [Reply(ctx.t("request_draft_gone"))]
    if doc["by"] != ctx.incoming.sender.key:
        return [Reply(ctx.t("request_draft_not_yours"))]
    if department_id not in ctx.services.departments:
        text = ctx.t("request_unknown_department", name=department_id)
        return [Reply(f"{text} {valid_departments(ctx)}")]
    await ctx.services.store.delete(DRAFTS, draft_id.upper())
    _, filed = await file_request(ctx, draft_for(ctx, department_id, str(doc["text"])))
    return [filed]


def draft_for(ctx: Context, department: str, text: str, linked: str = "") -> RequestDraft:
    """Who is asking (and for which of their departments) whom for what."""
    own = [d.id for d in my_departments(ctx) if d.id != department]
    sender = ctx.incoming.sender
    member = ctx.staff_member
    requester = replace(sender, name=member.name) if member and not sender.name else sender
    language, _ = detect_language(text, ctx.services.settings.default_language)
    why = f"asked for {linked}" if linked else "filed by staff"
    return RequestDraft(requester, own[0] if own else "", department, text, language, linked, why)


async def file_request(ctx: Context, draft: RequestDraft) -> tuple[Ticket, Reply]:
    """Open the request, its conversation with the requester and its deadlines; tell the team."""
    services = ctx.services
    request = await services.desk.open_request(draft, Priority.NORMAL)
    address = request_address(ctx, request.id)
    async with services.conversations.begin(address, draft.requester) as conv:
        conv.stage, conv.ticket, conv.topic = Stage.WITH_PERSON, request.id, draft.text
        conv.language, conv.department = draft.language, draft.department
        request.conversation = conv.key
    await plan_deadlines(services, request)
    await services.desk.save(request)
    filed = filed_text(ctx, request, draft.language)
    await post_to(services, request.conversation, Reply(filed), Role.BOT, _bot(ctx, draft.language))
    await services.bus.publish(_new_request_notice(ctx, request))
    return request, Reply(filed_text(ctx, request, ctx.language))


def filed_text(ctx: Context, request: Ticket, language: str) -> str:
    services = ctx.services
    department = services.departments[request.department].name(language)
    values = {"request": request.id, "department": department, "text": request.topic}
    if not request.due:
        return services.catalog.text(language, "request_filed_no_levels", **values)
    first, resolution = (
        due_text(services, language, request.department, _at(request, m))
        for m in ("first_response", "resolution")
    )
    return services.catalog.text(
        language, "request_filed", first=first, resolution=resolution, **values
    )


async def suggest(ctx: Context, text: str, unknown: str) -> Reply:
    """Guess the department from the text and let the requester confirm with buttons."""
    number = await ctx.services.store.next_number("request_draft")
    draft_id = f"D-{number}"
    doc = {"by": ctx.incoming.sender.key, "text": text, "at": ctx.services.clock.now().isoformat()}
    await ctx.services.store.put(DRAFTS, draft_id, doc)
    ranked = ranked_departments(ctx.services, text)
    buttons = tuple(Button(d.name(ctx.language), "file", f"{draft_id} {d.id}") for d, _ in ranked)
    lead = ""
    if unknown:
        lead = f"{ctx.t('request_unknown_department', name=unknown)} {valid_departments(ctx)}\n"
    best, score = ranked[0] if ranked else (None, 0.0)
    if best is not None and score > 0:
        return Reply(lead + ctx.t("request_suggest", department=best.name(ctx.language)), buttons)
    return Reply(lead + ctx.t("request_choose"), buttons)


def _new_request_notice(ctx: Context, request: Ticket) -> StaffNotice:
    language = ctx.services.settings.default_language
    department: Department = ctx.services.departments[request.department]
    source = ctx.services.departments.get(request.requester_department)
    text = ctx.services.catalog.text(
        language,
        "request_new_notice",
        request=request.id,
        requester=request.customer.name or request.customer.id,
        from_department=source.name(language) if source else "-",
        department=department.name(language),
        text=request.topic,
    )
    return StaffNotice({}, text, request.id, queue=request.department)


def _at(request: Ticket, milestone: str) -> datetime:
    return datetime.fromisoformat(request.due[milestone])


def _bot(ctx: Context, language: str) -> str:
    return ctx.services.catalog.text(language, "bot_author")
