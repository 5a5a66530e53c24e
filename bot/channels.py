"""Where customers reach us on each chat platform: the `support_channels:` of departments.yaml."""

from __future__ import annotations

from pathlib import Path

from bot.departments import FILE_NAME, PLATFORMS, DepartmentsError
from bot.kb.yaml_lines import YamlFileError, load_with_lines, without_lines

SupportChannels = dict[str, tuple[str, ...]]  # platform -> channel ids


def load_support_channels(data_dir: Path) -> SupportChannels:
    """Customer-facing channels per platform (direct messages always count); {} when none."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return {}
    try:
        raw = without_lines(load_with_lines(path))
    except YamlFileError as error:
        raise DepartmentsError(str(error)) from error
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
