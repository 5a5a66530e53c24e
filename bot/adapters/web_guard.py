"""Flood limits on the web API, refused (429 + Retry-After) before anything is stored: posts
per client address and per conversation, new conversations per address, wrong staff tokens
per address. The client address is the peer's, or the one a trusted proxy forwarded."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from aiohttp import web

from bot.adapters.web_json import too_many
from bot.config import Settings
from bot.limits import SharedBuckets
from bot.ports import TokenBuckets

MAX_FORWARDED = 20  # X-Forwarded-For entries read (right to left); the rest are ignored


@dataclass
class WebLimits:
    """The web adapter's buckets (one set per running app)."""

    per_address: SharedBuckets
    per_conversation: SharedBuckets
    new_conversations: SharedBuckets
    staff_logins: SharedBuckets
    trusted: frozenset[str]

    @classmethod
    def of(cls, settings: Settings, shared: TokenBuckets | None = None) -> WebLimits:
        """With `shared` (a store that several processes use), every process counts alike."""
        return cls(
            SharedBuckets("web-address", settings.limit_address, shared),
            SharedBuckets("web-conversation", settings.limit_conversation, shared),
            SharedBuckets("web-new", settings.limit_new_conversations, shared),
            SharedBuckets("web-staff-login", settings.limit_staff_logins, shared),
            frozenset(settings.trusted_proxies),
        )


LIMITS: web.AppKey[WebLimits] = web.AppKey("limits", WebLimits)


def client_address(request: web.Request, trusted: frozenset[str]) -> str:
    """The peer's address; behind a trusted proxy, the first untrusted address it forwarded
    (reading X-Forwarded-For from the right, so a client cannot pick its own)."""
    address = request.remote or ""
    if address not in trusted:
        return address
    forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-MAX_FORWARDED:]
    for hop in reversed([part.strip() for part in forwarded]):
        if not _is_address(hop):
            break
        address = hop
        if hop not in trusted:
            break
    return address


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


async def check_post(request: web.Request, conversation_key: str | None) -> None:
    """A customer post (message or click): within the address's and the conversation's
    limits, and a new conversation within the address's allowance; else 429."""
    limits = request.app[LIMITS]
    address = client_address(request, limits.trusted)
    waits = [await limits.per_address.take(address)]
    if conversation_key is None:
        waits.append(await limits.new_conversations.take(address))
    else:
        waits.append(await limits.per_conversation.take(conversation_key))
    if max(waits) > 0:
        raise too_many(max(waits))


async def check_staff_login(request: web.Request) -> None:
    """An address that sent too many wrong staff tokens waits, whatever it sends now."""
    limits = request.app[LIMITS]
    wait = await limits.staff_logins.wait(client_address(request, limits.trusted))
    if wait > 0:
        raise too_many(wait)


async def note_failed_login(request: web.Request) -> None:
    limits = request.app[LIMITS]
    await limits.staff_logins.take(client_address(request, limits.trusted))
