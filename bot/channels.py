"""Where customers reach us on each chat platform: the `support_channels:` of departments.yaml."""

from __future__ import annotations

from pathlib import Path

from bot.departments import FILE_NAME, PLATFORMS, DepartmentsError, read_departments_file

SupportChannels = dict[str, tuple[str, ...]]  # platform -> channel ids


def load_support_channels(data_dir: Path) -> SupportChannels:
    """Customer-facing channels per platform (direct messages always count); {} when none."""
    path = data_dir / FILE_NAME
    raw = read_departments_file(data_dir)
    found = raw.get("support_channels") if isinstance(raw, dict) else None
    if found is None:
        return {}
    if not isinstance(found, dict):
        raise DepartmentsError(f"{path}: support_channels must map a platform to channel ids")
    channels: SupportChannels = {}
    for platform, ids in found.items():
        if platform not in PLATFORMS or not isinstance(ids, list):
            raise DepartmentsError(
                f"{path}: support_channels.{platform} must be a list of channel ids "
                f"under one of {', '.join(PLATFORMS)}"
            )
        channels[str(platform)] = tuple(str(i) for i in ids)
    return channels
