"""The demo staff member that `make run` creates so a newcomer can try the staff page."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.staff import DEMO_ID, StaffDirectory

DEMO_NAME = "Demo Agent"


async def demo_staff_token(staff: StaffDirectory, token_file: Path) -> str:
    """The demo member's token, kept in a private file so every start prints the same one."""
    token = await asyncio.to_thread(_read_token, token_file)
    member = await staff.by_token(token) if token else None
    if member is not None and member.id == DEMO_ID:
        return token
    token = await staff.add(DEMO_ID, DEMO_NAME)
    await asyncio.to_thread(_write_token, token_file, token)
    return token


def _read_token(token_file: Path) -> str:
    try:
        return token_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def _write_token(token_file: Path, token: str) -> None:
    token_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
