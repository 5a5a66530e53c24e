"""Staff commands for conversations: help, conversations, show, reply."""

from __future__ import annotations

import logging

from bot.conversation import Conversation
from bot.core import Context
from bot.handlers.commands import COMMANDS, command
from bot.kb.gaps import describe, gaps_in
from bot.models import Reply, Role
from bot.text import shorten

log = logging.getLogger(__name__)
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
    return [Reply("\n".join([ctx.t("conversations_header"), *map(_summary_line, open_ones)]))]


@command("show", "/show <conversation>", "show a conversation's transcript", min_args=1)
async def show_conversation(ctx: Context) -> list[Reply]:
    ref = ctx.incoming.text.split()[0]
    conv = await _find(ctx, ref)
    if conv is None:
        return [Reply(ctx.t("unknown_conversation", ref=ref))]
    messages = await ctx.services.transcript.after(conv.key, conv.last_seq - SHOWN_MESSAGES)
    if not messages:
        return [Reply(ctx.t("no_transcript", ref=conv.ref))]
    lines = [f"[{m.at:%H:%M}] {m.author or m.role.value}: {m.text}" for m in messages]
    return [Reply("\n".join([_summary_line(conv), *lines]))]


@command("reply", "/reply <conversation> <text>", "send a message to the customer", min_args=2)
async def reply_to_customer(ctx: Context) -> list[Reply]:
    ref, text = ctx.incoming.text.split(maxsplit=1)
    found = await _find(ctx, ref)
    if found is None:
        return [Reply(ctx.t("unknown_conversation", ref=ref))]
    staff_name = ctx.staff_member.name if ctx.staff_member else ctx.incoming.sender.name
    async with ctx.services.conversations.locked(found.key) as conv:
        assert conv is not None  # it existed a moment ago and conversations are never deleted here
        message = Reply(text, author=ctx.t("staff_reply_author", name=staff_name))
        await ctx.services.transcript.record(conv, Role.STAFF, staff_name, message)
        problem = await _deliver(ctx, conv, message)
    if problem:
        return [
            Reply(ctx.t("reply_undelivered", ref=conv.ref, platform=problem[0], error=problem[1]))
        ]
    return [
        Reply(ctx.t("reply_sent", customer=conv.name or conv.customer.name or "?", ref=conv.ref))
    ]


async def _deliver(ctx: Context, conv: Conversation, message: Reply) -> tuple[str, str] | None:
    """Send through the conversation's platform; the transcript already has the message."""
    platform = conv.address.platform
    chat = ctx.services.chats.get(platform)
    if chat is None:
        return platform, "that platform is not connected"
    try:
        await chat.send(conv.address, message)
    except Exception as error:  # any platform failure: the message is saved, staff are told
        log.exception("delivery to %s failed", conv.address.key)
        return platform, str(error) or type(error).__name__
    return None


async def _find(ctx: Context, ref: str) -> Conversation | None:
    normal = ref.upper() if ref.upper().startswith("C-") else f"C-{ref}"
    return await ctx.services.conversations.by_ref(normal)


def _summary_line(conv: Conversation) -> str:
    who = conv.name or conv.customer.name or "(no name yet)"
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
