"""Reading and checking JSON requests; every problem becomes a 4xx with a JSON error."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

MAX_BODY_BYTES = 64 * 1024


def error(status: int, message: str) -> web.HTTPException:
    """An HTTP error whose body is `{"error": message}`."""
    kinds: dict[int, type[web.HTTPException]] = {
        400: web.HTTPBadRequest,
        401: web.HTTPUnauthorized,
        403: web.HTTPForbidden,
        404: web.HTTPNotFound,
        413: web.HTTPRequestEntityTooLarge,
        503: web.HTTPServiceUnavailable,
    }
    body = json.dumps({"error": message})
    kind = kinds[status]
    if kind is web.HTTPRequestEntityTooLarge:
        return web.HTTPRequestEntityTooLarge(
            max_size=MAX_BODY_BYTES, actual_size=0, text=body, content_type="application/json"
        )
    return kind(text=body, content_type="application/json")


async def read_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400/413 that says what is wrong."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise error(413, f"The request body is larger than {MAX_BODY_BYTES // 1024} KB.")
    raw = await request.read()
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise error(400, "The request body must be a JSON object.") from None
    if not isinstance(body, dict):
        raise error(400, "The request body must be a JSON object.")
    return body


def text_field(body: dict[str, Any], name: str, limit: int, required: bool = True) -> str:
    """A string field of at most `limit` characters."""
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise error(400, f"'{name}' must be a non-empty string.")
    if len(value) > limit:
        raise error(
            400, f"'{name}' is too long ({len(value):,} characters; the limit is {limit:,})."
        )
    return value


def object_field(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    if not isinstance(value, dict):
        raise error(400, f"'{name}' must be an object.")
    return value


def after_param(request: web.Request) -> int:
    raw = request.query.get("after", "0")
    if not raw.isdigit() or len(raw) > 12:
        raise error(400, "'after' must be a whole number of 0 or more.")
    return int(raw)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """API errors are JSON; nothing unexpected leaks a stack trace to the client."""
    try:
        return await handler(request)
    except web.HTTPException as problem:
        if not request.path.startswith("/api/") or problem.content_type == "application/json":
            raise
        return web.json_response({"error": problem.reason}, status=problem.status)
    except Exception:
        request.app.logger.exception("unexpected error on %s %s", request.method, request.path)
        message = "Something went wrong on our side. Please try again."
        return web.json_response({"error": message}, status=500)
