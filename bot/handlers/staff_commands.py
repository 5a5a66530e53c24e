"""Staff commands for conversations: help, conversations, show, reply."""

from __future__ import annotations

from bot.conversation import Conversation
from bot.core import Context
from bot.handlers.commands import COMMANDS, command
from bot.handlers.outbound import post_to
from bot.handlers.request_ask import forward_answer
from bot.handlers.ticket_lookup import may_handle
from bot.handlers.tickets_flow import back_from_hold, first_response
from bot.kb.gaps import describe, gaps_in
from bot.models import Reply, Role
from bot.text import shorten
from bot.tickets.model import Ticket

SHOWN_MESSAGES = 30
GAPS_SHOWN = 15


@command("help", "/help", "list the staff commands")
async def show_help(ctx: Context) -> list[Reply]:
    lines = [f"{c.usage} - {c.summary}" for c in sorted(COMMANDS.values(), key=lambda c: c.name)]
    return [Reply("\n".join([ctx.t("help_header"), *lines]))]


@command("conversations", "/conversations", "list open conversations, newest first")
async def list_conversations(ctx: Context) -> list[Reply]:
    open_ones = await ctx.services.conversations.open_ones()
    if not open_ones:
        return [Reply(ctx.t("no_conversations"))]
    lines = [_summary_line(ctx, conv) for conv in open_ones]
    return [Reply("\n".join([ctx.t("conversations_header"), *lines]))]


@command("show", "/show <conversation>", "show a conversation's transcript", min_args=1)
async def show_conversation(ctx: Context) -> list[Reply]:
    ref = ctx.incoming.text.split()[0]
    conv = await _find(ctx, ref)
    if conv is None:
        return [Reply(ctx.t("unknown_conversation", ref=ref))]
    messages = await ctx.services.transcript.after(conv.key, conv.last_seq - SHOWN_MESSAGES)
    if not messages:
        return [Reply(ctx.t("no_transcript", ref=conv.ref))]
    lines = ctx.services.staff_names.transcript_lines(conv, messages)
    return [Reply("\n".join([_summary_line(ctx, conv), *lines]))]


@command(
    "reply",
    "/reply <conversation|ticket|request> <text>",
    "send a message to the customer, or on an internal request to the other side",
    2,
)
async def reply_to_customer(ctx: Context) -> list[Reply]:
    ref, text = ctx.incoming.text.split(maxsplit=1)
    found = await _find(ctx, ref)
    if found is None:
        return [Reply(ctx.t("unknown_conversation", ref=ref))]
    request = await ctx.services.desk.get(found.ticket) if found.ticket[:2] == "R-" else None
    if request is not None:
        if request.customer.key == ctx.incoming.sender.key:
            return await write_as_requester(ctx, request, text)
        if not may_handle(ctx, request):
            return [Reply(ctx.t("request_not_yours", request=request.id))]
    staff_name = ctx.staff_member.name if ctx.staff_member else ctx.incoming.sender.name
    await back_from_hold(ctx, found)
    message = Reply(text, author=ctx.t("staff_reply_author", name=staff_name))
    problem = await post_to(ctx.services, found.key, message, Role.STAFF, staff_name)
    await first_response(ctx, found)
    if request is not None:
        await forward_answer(ctx, request, text, final=False)
    if problem:
        platform = found.address.platform
        return [Reply(ctx.t("reply_undelivered", ref=found.ref, platform=platform, error=problem))]
    who = ctx.services.staff_names.customer(found)
    return [Reply(ctx.t("reply_sent", customer=who, ref=request.id if request else found.ref))]


async def write_as_requester(ctx: Context, request: Ticket, text: str) -> list[Reply]:
    """The requester adds to their own request from anywhere: it lands in its conversation."""
    name = request.customer.name or request.customer.id
    message = Reply(text, author=name)
    problem = await post_to(ctx.services, request.conversation, message, Role.CUSTOMER, name)
    if problem:
        return [Reply(ctx.t("reply_undelivered", ref=request.id, platform="-", error=problem))]
    department = ctx.services.departments.get(request.department)
    team = department.name(ctx.language) if department else request.department
    return [Reply(ctx.t("requester_message_sent", request=request.id, department=team))]


async def _find(ctx: Context, ref: str) -> Conversation | None:
    """A conversation by its ref ("C-3", "3"), its ticket ("T-1042") or request ("R-311")."""
    if ref[:1].upper() in ("T", "R"):
        ticket = await ctx.services.desk.get(ref)
        return await ctx.services.conversations.get(ticket.conversation) if ticket else None
    normal = ref.upper() if ref.upper().startswith("C-") else f"C-{ref}"
    return await ctx.services.conversations.by_ref(normal)


def _summary_line(ctx: Context, conv: Conversation) -> str:
    who = ctx.services.staff_names.customer(conv)
    topic = shorten(conv.topic or conv.last_text, 60)
    return f"{conv.ref} · {who} · {conv.address.platform} · {conv.language} · {topic}"


@command("gaps", "/gaps", "the most frequent questions the knowledge base missed")
async def show_gaps(ctx: Context) -> list[Reply]:
    return [Reply(describe(await gaps_in(ctx.services.store), GAPS_SHOWN))]


@command("reload", "/reload", "reload the knowledge base from its files now")
async def reload_kb(ctx: Context) -> list[Reply]:
    problems = await ctx.services.kb.reload()
    if problems:
        listed = "\n".join(map(str, problems[:10]))
        return [Reply(ctx.t("kb_reload_failed", count=len(problems), problems=listed))]
    return [Reply(ctx.t("kb_reloaded", count=len(ctx.services.kb)))]
