"""`/draft <T-n> [question]`: a knowledge-base draft from a resolved ticket, from chat (G6)."""

from __future__ import annotations

from bot.core import Context
from bot.drafting import DraftingError, draft_from_ticket
from bot.handlers.commands import command
from bot.models import Reply


@command(
    "draft",
    "/draft <ticket> [question]",
    "draft a knowledge-base entry from a resolved ticket (reviewed on /dashboard)",
    min_args=1,
)
async def draft(ctx: Context) -> list[Reply]:
    ref, _, question = ctx.incoming.text.strip().partition(" ")
    member = ctx.staff_member
    by = member.name if member else ctx.incoming.sender.name
    try:
        made = await draft_from_ticket(ctx.services, ref, question.strip(), by)
    except DraftingError as problem:
        return [Reply(str(problem))]
    questions = " | ".join(made.questions)
    return [Reply(ctx.t("draft_created", draft=made.id, ticket=made.ticket, questions=questions))]
