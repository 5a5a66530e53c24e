"""support_channels in departments.yaml: where customers write on Slack and Discord."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels import load_support_channels
from bot.departments import DepartmentsError


def test_channels_per_platform_are_read(tmp_path: Path) -> None:
    (tmp_path / "departments.yaml").write_text(
        "support_channels: {slack: [C1, C2], discord: [123]}\ndepartments: []\n"
    )
    assert load_support_channels(tmp_path) == {"slack": ("C1", "C2"), "discord": ("123",)}


def test_no_file_or_no_key_means_direct_messages_only(tmp_path: Path) -> None:
    assert load_support_channels(tmp_path) == {}
    (tmp_path / "departments.yaml").write_text("departments: []\n")
    assert load_support_channels(tmp_path) == {}


def test_an_unknown_platform_is_named(tmp_path: Path) -> None:
    (tmp_path / "departments.yaml").write_text("support_channels: {teams: [x]}\n")
    with pytest.raises(DepartmentsError, match=r"support_channels\.teams must be a list"):
        load_support_channels(tmp_path)
