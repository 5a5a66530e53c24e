"""Reading and checking JSON requests; every problem becomes a 4xx with a JSON error, in
the reader's language where the error is one of the catalog's phrases."""

from __future__ import annotations

import errno
import json
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

MAX_BODY_BYTES = 64 * 1024
STORE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
RETRY_AFTER_SECONDS = 30
INCIDENT_SECONDS = 300.0  # store failures this close together are one incident in the log
_incident = {"logged": float("-inf")}
MAX_DEPTH = 20  # our bodies nest three levels; deeper is not one of ours
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENERS, _CLOSERS = frozenset(b"[{"), frozenset(b"]}")
PHRASE = "phrase"  # an error body's catalog key, replaced by its text before it is sent
Phrases = Callable[[web.Request, str, Mapping[str, Any]], str]  # request, key, values -> text
PHRASES: web.AppKey[Phrases] = web.AppKey("phrases", Phrases)  # type: ignore[arg-type]


def phrase_error(status: int, key: str, **values: str | int) -> web.HTTPException:
    """An HTTP error told in the catalog's words (`key`), in the reader's language."""
    return error(status, key, phrase=True, values=values)


def too_many(retry_after: float) -> web.HTTPException:
    """429 with `Retry-After` (whole seconds), told in the reader's language."""
    problem = error(429, "api_too_fast", phrase=True)
    problem.headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
    return problem


def error(
    status: int, message: str, *, phrase: bool = False, values: Mapping[str, Any] | None = None
) -> web.HTTPException:
    """An HTTP error whose body is `{"error": message}`."""
    kinds: dict[int, type[web.HTTPException]] = {
        400: web.HTTPBadRequest,
        401: web.HTTPUnauthorized,
        403: web.HTTPForbidden,
        404: web.HTTPNotFound,
        413: web.HTTPRequestEntityTooLarge,
        415: web.HTTPUnsupportedMediaType,
        429: web.HTTPTooManyRequests,
        503: web.HTTPServiceUnavailable,
    }
    body = json.dumps(
        {PHRASE: message, "values": dict(values or {})} if phrase else {"error": message}
    )
    kind = kinds[status]
    if kind is web.HTTPRequestEntityTooLarge:
        return web.HTTPRequestEntityTooLarge(
            max_size=MAX_BODY_BYTES, actual_size=0, text=body, content_type="application/json"
        )
    return kind(text=body, content_type="application/json")


async def read_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400/413/415 that says what is wrong."""
    if not _is_json(request.content_type):  # e.g. a form or text/plain posted by another site
        raise phrase_error(415, "api_json_only")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise phrase_error(413, "api_body_too_large", kb=MAX_BODY_BYTES // 1024)
    raw = await request.read()
    if nesting_depth(raw) > MAX_DEPTH:
        raise phrase_error(400, "api_not_json")
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):  # incl. a 5,000-digit number
        raise phrase_error(400, "api_not_json") from None
    if not isinstance(body, dict):
        raise phrase_error(400, "api_not_json")
    return body


def _is_json(content_type: str) -> bool:
    """application/json, or a JSON-based type such as application/merge-patch+json."""
    kind = content_type.lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


def nesting_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings not counted),
    measured before parsing, which would recurse once per level."""
    openers = raw.count(b"[") + raw.count(b"{")
    if openers <= MAX_DEPTH:  # the usual body: it cannot nest deeper than it opens
        return openers
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif byte in _CLOSERS:
            depth -= 1
    return deepest


def text_field(body: dict[str, Any], name: str, limit: int, required: bool = True) -> str:
    """A string field of at most `limit` characters."""
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise phrase_error(400, "api_text_required", field=name)
    if len(value) > limit:
        raise phrase_error(400, "api_text_too_long", field=name, length=len(value), limit=limit)
    return value


def object_field(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    if not isinstance(value, dict):
        raise phrase_error(400, "api_object_required", field=name)
    return value


def after_param(request: web.Request) -> int:
    raw = request.query.get("after", "0")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:  # not "²" or "٣"
        raise phrase_error(400, "api_bad_after")
    return int(raw)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """API errors are JSON; nothing unexpected leaks a stack trace to the client."""
    try:
        return await handler(request)
    except web.HTTPException as problem:
        if problem.content_type == "application/json":
            return _told(request, problem)
        if not request.path.startswith("/api/"):
            raise
        kept = {k: v for k, v in problem.headers.items() if k in ("Allow", "Retry-After")}
        return web.json_response({"error": problem.reason}, status=problem.status, headers=kept)
    except OSError as problem:
        if problem.errno not in STORE_FAILURES:
            raise
        return _store_unavailable(request, problem)
    except Exception:
        request.app.logger.exception("unexpected error on %s %s", request.method, request.path)
        message = _phrase(request, "api_our_side", {})
        return web.json_response({"error": message}, status=500)


def _store_unavailable(request: web.Request, problem: OSError) -> web.StreamResponse:
    """The store cannot write (disk full, read-only): 503 with Retry-After, and one log line
    per incident, not one traceback per request."""
    now = time.monotonic()
    if now - _incident["logged"] >= INCIDENT_SECONDS:
        _incident["logged"] = now
        request.app.logger.error("the store cannot write (%s); answering 503", problem.strerror)
    text = _phrase(request, "api_store_unavailable", {})
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return web.json_response({"error": text}, status=503, headers=headers)


def _told(request: web.Request, problem: web.HTTPException) -> web.StreamResponse:
    """A JSON error as it is sent: a catalog phrase rendered in the reader's language."""
    body = json.loads(problem.text or "{}")
    if PHRASE not in body:
        raise problem
    text = _phrase(request, str(body[PHRASE]), body.get("values") or {})
    kept = {k: v for k, v in problem.headers.items() if k in ("Retry-After", "WWW-Authenticate")}
    return web.json_response({"error": text}, status=problem.status, headers=kept)


def _phrase(request: web.Request, key: str, values: Mapping[str, Any]) -> str:
    render = request.app.get(PHRASES)
    return render(request, key, values) if render is not None else key
