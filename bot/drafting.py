"""Drafting knowledge-base entries from resolved tickets, and publishing them after review:
the draft waits outside the knowledge base; publishing checks it by the loader's rules,
appends it to the knowledge base and reloads it, or puts everything back on a problem."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.core import Services
from bot.kb.drafts import DRAFTS_DIR, Draft, DraftFiles, free_id, slug
from bot.kb.publish import append_entry, check_entry, entry_of, restore
from bot.kb.validate import Problem
from bot.tickets.model import Status

_PUBLISHING = asyncio.Lock()  # one publication at a time: each checks against the last


class DraftingError(ValueError):
    """Why a draft cannot be made or published; `status` is 400 or 404."""

    def __init__(self, message: str, status: int = 400, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.problems = [str(p) for p in problems]


def draft_files(services: Services) -> DraftFiles:
    return DraftFiles(services.settings.data_dir / DRAFTS_DIR)


async def draft_from_ticket(services: Services, ref: str, asked: str, by: str) -> Draft:
    """A draft whose answer is the ticket's resolution summary, for its topic and `asked`."""
    ticket = await services.desk.get(ref)
    if ticket is None or ticket.is_request:
        raise DraftingError(f"There is no customer ticket {ref.strip()!r}.", 404)
    resolved = [e for e in ticket.history if e.what == "resolved"]
    if not resolved or ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise DraftingError(
            f"{ticket.id} is not resolved yet: a draft starts from how it was solved "
            f"(/resolve {ticket.id} <summary>)."
        )
    questions = distinct([asked, ticket.topic])
    if not questions:
        raise DraftingError(f"{ticket.id} has no topic any more; name the question to answer.")
    files = draft_files(services)
    base = slug(questions[0]) or f"drafted-{ticket.id.lower()}"

    def taken(entry_id: str) -> bool:
        return services.kb.entry(entry_id) is not None or files.get(entry_id) is not None

    draft = Draft(
        id=await asyncio.to_thread(free_id, base, taken),
        department=ticket.department,
        language=ticket.language or services.settings.default_language,
        questions=questions,
        answer=resolved[-1].note,
        ticket=ticket.id,
        created_at=services.clock.now().isoformat(),
        created_by=by,
        asked=distinct([asked]),
    )
    await asyncio.to_thread(files.save, draft)
    return draft


async def publish_draft(
    services: Services, draft_id: str, answer: str, questions: Iterable[str], by: str
) -> tuple[Draft, Path]:
    """Save the reviewed text, then publish it into the live knowledge base."""
    files = draft_files(services)
    kb_dir, departments = services.settings.knowledge_dir, frozenset(services.departments)
    async with _PUBLISHING:
        draft = await asyncio.to_thread(files.get, draft_id)
        if draft is None:
            raise DraftingError(f"There is no draft {draft_id!r}.", 404)
        draft.answer, draft.questions = answer.strip(), distinct(questions)
        await asyncio.to_thread(files.save, draft)  # the review is kept even if publishing fails
        entry = entry_of(draft)
        problems = await asyncio.to_thread(check_entry, entry, kb_dir, departments)
        if problems:
            raise DraftingError(f"{draft.id} was not published.", 400, problems)
        when = services.clock.now()
        note = f"{draft.id}: from {draft.ticket}, reviewed by {by} on {when:%Y-%m-%d %H:%M} UTC"
        appended = await asyncio.to_thread(append_entry, entry, kb_dir, note)
        problems = await services.kb.reload()
        if problems:
            await asyncio.to_thread(restore, appended)
            await services.kb.reload()
            raise DraftingError(f"{draft.id} was not published.", 400, problems)
        await asyncio.to_thread(files.delete, draft.id)
    return draft, appended.path


async def discard_draft(services: Services, draft_id: str) -> None:
    if not await asyncio.to_thread(draft_files(services).delete, draft_id):
        raise DraftingError(f"There is no draft {draft_id!r}.", 404)


def distinct(texts: Iterable[str]) -> list[str]:
    """The non-empty texts, trimmed, each once (ignoring case), in order."""
    found: dict[str, str] = {}
    for text in texts:
        if text.strip():
            found.setdefault(text.strip().casefold(), text.strip())
    return list(found.values())
