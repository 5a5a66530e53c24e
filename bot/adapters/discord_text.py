"""Discord's text at the edge: mentions made readable, long text split at Discord's limit."""

from __future__ import annotations

import re
from collections.abc import Mapping

import discord.utils

MESSAGE_CHARS = 2000  # Discord's limit for a message's content
_MENTION = re.compile(r"<(@!?|@&|#)(\d+)>")


def utf16_len(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units), so emoji never push a part over."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_CHARS) -> list[str]:
    """Text in parts of at most `limit`, cut at a line break or space where possible; only
    the whitespace at a cut is dropped, never a word."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_len(rest) > limit:
        cut = _cut_at(rest, _fits(rest, limit))
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*parts, rest] if rest else parts


def _fits(text: str, limit: int) -> int:
    """The longest prefix (in characters) within `limit` UTF-16 units."""
    end = min(len(text), limit)
    while utf16_len(text[:end]) > limit:
        end -= max(1, (utf16_len(text[:end]) - limit) // 2)
    return end


def _cut_at(text: str, end: int) -> int:
    window = text[:end]
    for separator in ("\n\n", "\n", " "):
        at = window.rfind(separator)
        if at > end // 2:
            return at + len(separator)
    return end


def readable(content: str, names: Mapping[str, str], bot_id: str = "") -> str:
    """What a person wrote: mentions by name (`names` maps "@id", "@&id" and "#id" to
    names), the bot's own mention dropped, unknown ones left as they are."""

    def name_of(match: re.Match[str]) -> str:
        kind = "@" if match.group(1) == "@!" else match.group(1)
        if kind == "@" and match.group(2) == bot_id:
            return ""
        known = names.get(kind + match.group(2))
        return ("#" if kind == "#" else "@") + known if known else match.group(0)

    return _MENTION.sub(name_of, content).strip()


def bold(text: str) -> str:
    """Text in bold, with Discord's markdown characters in it shown as typed."""
    return f"**{inert(text)}**"


def inert(text: str) -> str:
    """Text someone typed, shown literally on Discord: markdown (masked links, headings,
    quotes, spoilers) escaped by discord.py; plain URLs stay as they are. Mentions never
    ping: everything the bot sends uses `allowed_mentions` none."""
    return discord.utils.escape_markdown(text)
