"""Slack's message formatting at the edge: its markup in, escaped text out, long text split."""

from __future__ import annotations

import re
from collections.abc import Mapping

SECTION_CHARS = 3000  # Block Kit's limit for a section's text
_MARKUP = re.compile(r"<([^<>]*)>")
_USER = re.compile(r"<@([UW][A-Z0-9-]+)(?:\|[^<>]*)?>")
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")


def escape(text: str) -> str:
    """Text that shows exactly as written: no mentions, no @channel, no fake links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack's three entities back to the characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mentioned_users(text: str) -> list[str]:
    """The user ids a message mentions (<@U123> or <@U123|name>), in order, without repeats."""
    return list(dict.fromkeys(_USER.findall(text)))


def plain_text(text: str, names: Mapping[str, str] | None = None, drop: str = "") -> str:
    """What a person wrote, from Slack's markup: @name for mentions (`drop` one: the bot),
    #channel, @here, link labels with their address, and the entities decoded."""
    known = names or {}

    def readable(match: re.Match[str]) -> str:
        return _readable(match.group(1), known, drop)

    return unescape(_MARKUP.sub(readable, text)).strip()


def _readable(inner: str, names: Mapping[str, str], drop: str) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        user = target[1:]
        return "" if user == drop else "@" + (names.get(user) or label or user)
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        special = target[1:].split("^")[0]
        return label or "@" + special  # <!here>, <!subteam^S1|@team>, <!date^...|fallback>
    address = target.removeprefix("mailto:")
    return address if not label or label == address else f"{label} ({address})"


def split_text(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Escaped text in pieces of at most `limit` characters, cut at a line break or space
    where possible and never inside an entity; nothing is lost."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _cut_at(rest, limit)
        if piece := rest[:cut].rstrip():
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    return [*pieces, rest] if rest or not pieces else pieces


def _cut_at(text: str, limit: int) -> int:
    window = text[:limit]
    for separator in ("\n", " "):
        at = window.rfind(separator)
        if at > limit // 2:
            return at + 1
    tail = _ENTITY_TAIL.search(window)
    return tail.start() if tail and tail.start() > 0 else limit
