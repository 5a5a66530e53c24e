"""Which of our languages a web visitor reads: from the page (`navigator.languages`, sent in
the request body or the query) and the browser's Accept-Language header, bounded so that a
hostile header costs nothing."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from bot.handlers.language import locale_languages
from bot.i18n import Catalog

LANGUAGE = web.RequestKey("supportbot.language", str)  # the language of the conversation at hand
MAX_TAGS = 10  # more preferences than anyone has; the rest are ignored
MAX_HEADER = 1000  # characters of Accept-Language read
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}$")
_QUALITY = re.compile(r"^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


def accepted(header: str) -> tuple[str, ...]:
    """The tags of an Accept-Language header, most preferred first ("*" and q=0 left out)."""
    weighed: list[tuple[float, int, str]] = []
    for index, part in enumerate(header[:MAX_HEADER].split(",")[: MAX_TAGS * 2]):
        tag, _, params = part.strip().partition(";")
        quality = _quality(params.strip())
        if _TAG.match(tag.strip()) and quality > 0:
            weighed.append((-quality, index, tag.strip()))
    return tuple(tag for _, _, tag in sorted(weighed)[:MAX_TAGS])


def _quality(params: str) -> float:
    if not params:
        return 1.0
    found = _QUALITY.match(params.replace(" ", ""))
    return float(found.group(1)) if found else 0.0


def listed(value: Any) -> tuple[str, ...]:
    """Tags the page sent (a list of strings, or one comma-separated string); anything
    malformed is ignored rather than refused: it is only a hint."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        return ()
    tags = [str(t).strip() for t in items[:MAX_TAGS] if isinstance(t, str) and len(t) <= 35]
    return tuple(t for t in tags if _TAG.match(t))


def request_locales(request: web.Request, sent: Any = None) -> tuple[str, ...]:
    """What the page sent first, then the browser's header, each tag once."""
    header = accepted(request.headers.get("Accept-Language", ""))
    return tuple(dict.fromkeys((*listed(sent), *header)))


def reader_language(catalog: Catalog, locales: tuple[str, ...], default: str) -> str:
    """The first of our languages among `locales`, else the default."""
    found = locale_languages(locales, catalog)
    return found[0] if found else default
