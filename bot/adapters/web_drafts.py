"""Knowledge-base drafts over JSON: draft from a resolved ticket, list, publish, discard."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from bot.adapters.web_customer import BOT
from bot.adapters.web_json import error, read_object, text_field
from bot.adapters.web_staff import staff_member
from bot.drafting import (
    DraftingError,
    discard_draft,
    draft_files,
    draft_from_ticket,
    publish_draft,
)

MAX_QUESTION = 500
MAX_ANSWER = 8000
MAX_QUESTIONS = 30


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/staff/kb/drafts", get_drafts)
    app.router.add_post("/api/staff/kb/drafts", post_draft)
    app.router.add_post("/api/staff/kb/drafts/{id}/publish", post_publish)
    app.router.add_delete("/api/staff/kb/drafts/{id}", delete_draft)


async def get_drafts(request: web.Request) -> web.Response:
    await staff_member(request)
    drafts = await asyncio.to_thread(draft_files(request.app[BOT].services).all)
    return web.json_response({"drafts": [d.to_data() for d in drafts]})


async def post_draft(request: web.Request) -> web.Response:
    """{"ticket": "T-1234", "question": "..."} -> 201 with the draft (not live yet)."""
    member = await staff_member(request)
    body = await read_object(request)
    ticket = text_field(body, "ticket", 40)
    question = text_field(body, "question", MAX_QUESTION, required=False)
    try:
        draft = await draft_from_ticket(request.app[BOT].services, ticket, question, member.name)
    except DraftingError as problem:
        raise _failed(problem) from None
    return web.json_response({"draft": draft.to_data()}, status=201)


async def post_publish(request: web.Request) -> web.Response:
    """{"answer": "...", "questions": [...]} as reviewed -> the entry is live."""
    member = await staff_member(request)
    body = await read_object(request)
    answer = text_field(body, "answer", MAX_ANSWER, required=False)
    questions = _questions(body)
    services = request.app[BOT].services
    try:
        draft, path = await publish_draft(
            services, request.match_info["id"], answer, questions, member.name
        )
    except DraftingError as problem:
        raise _failed(problem) from None
    return web.json_response({"entry": draft.id, "file": str(path), "entries": len(services.kb)})


async def delete_draft(request: web.Request) -> web.Response:
    await staff_member(request)
    try:
        await discard_draft(request.app[BOT].services, request.match_info["id"])
    except DraftingError as problem:
        raise _failed(problem) from None
    return web.json_response({"discarded": request.match_info["id"]})


def _questions(body: dict[str, Any]) -> list[str]:
    value = body.get("questions")
    if not isinstance(value, list) or not all(isinstance(q, str) for q in value):
        raise error(400, "'questions' must be a list of strings.")
    if len(value) > MAX_QUESTIONS or any(len(q) > MAX_QUESTION for q in value):
        raise error(400, f"At most {MAX_QUESTIONS} questions of {MAX_QUESTION} characters each.")
    return list(value)


def _failed(problem: DraftingError) -> web.HTTPException:
    """404 for an unknown ticket or draft; 400 with the problems, each as file:line."""
    if problem.status == 404:
        return error(404, str(problem))
    body = json.dumps({"error": str(problem), "problems": problem.problems})
    return web.HTTPBadRequest(text=body, content_type="application/json")
