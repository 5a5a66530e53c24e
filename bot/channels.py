"""Where customers reach us on each chat platform: the `support_channels:` of departments.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.departments import FILE_NAME, PLATFORMS, DepartmentsError, read_departments_file

SupportChannels = dict[str, tuple[str, ...]]  # platform -> channel ids
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # a BCP 47 tag: da, de-AT, sr-Latn


@dataclass(frozen=True)
class SupportChannel:
    """A customer channel; `language` (a BCP 47 tag, "" if none) is what it is meant for."""

    id: str
    language: str = ""


def load_support_channels(data_dir: Path) -> SupportChannels:
    """Customer-facing channel ids per platform (direct messages always count); {} if none."""
    found = load_support_places(data_dir)
    return {platform: tuple(c.id for c in channels) for platform, channels in found.items()}


def load_support_places(data_dir: Path) -> dict[str, tuple[SupportChannel, ...]]:
    """The same channels with their declared languages: each entry is an id, or
    {id: C0123ABCD, language: da}."""
    path = data_dir / FILE_NAME
    raw = read_departments_file(data_dir)
    found = raw.get("support_channels") if isinstance(raw, dict) else None
    if found is None:
        return {}
    if not isinstance(found, dict):
        raise DepartmentsError(f"{path}: support_channels must map a platform to channel ids")
    places: dict[str, tuple[SupportChannel, ...]] = {}
    for platform, entries in found.items():
        if platform not in PLATFORMS or not isinstance(entries, list):
            raise DepartmentsError(
                f"{path}: support_channels.{platform} must be a list of channel ids "
                f"under one of {', '.join(PLATFORMS)}"
            )
        where = f"{path}: support_channels.{platform}"
        places[str(platform)] = tuple(_channel(entry, where) for entry in entries)
    return places


def languages_of(channels: tuple[SupportChannel, ...]) -> dict[str, str]:
    """Channel id -> declared language, for the channels that declare one."""
    return {c.id: c.language for c in channels if c.language}


def _channel(entry: Any, where: str) -> SupportChannel:
    if not isinstance(entry, dict):
        return SupportChannel(str(entry))
    if unknown := sorted(set(map(str, entry)) - {"id", "language"}):
        known = "known: id, language"
        raise DepartmentsError(f"{where}: unknown field(s) {', '.join(unknown)} ({known})")
    if entry.get("id") in (None, ""):
        raise DepartmentsError(f"{where}: an entry with fields needs an 'id', got {entry!r}")
    language = str(entry.get("language") or "")
    if language and not _TAG.match(language):
        raise DepartmentsError(
            f"{where}: the language of {entry['id']} must be a language tag like da or de-AT, "
            f"got {language!r}"
        )
    return SupportChannel(str(entry["id"]), language)
