"""The JSON API's OpenAPI 3.1 description (`web_openapi.yaml`), served at /api/openapi.json
with the lengths the bot is configured with."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from bot.adapters.web_customer import BOT

DESCRIPTION = Path(__file__).with_name("web_openapi.yaml")
MESSAGE_FIELDS = (("ChatMessage", "text"), ("StaffCommand", "text"))


@functools.cache
def _written() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DESCRIPTION.read_text(encoding="utf-8"))
    return loaded


def description(max_message_chars: int) -> dict[str, Any]:
    """The description as written, message lengths set to SUPPORTBOT_MAX_MESSAGE_CHARS."""
    document = copy.deepcopy(_written())
    schemas = document["components"]["schemas"]
    for schema, field in MESSAGE_FIELDS:
        schemas[schema]["properties"][field]["maxLength"] = max_message_chars
    return document


async def get_description(request: web.Request) -> web.Response:
    limit = request.app[BOT].services.settings.max_message_chars
    return web.json_response(description(limit), headers={"Cache-Control": "no-cache"})
