"""Errors raised by the stores."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class for storage failures the bot cannot work around by itself."""


class StoreCorruptError(StoreError):
    """A file on disk cannot be read; the store refuses to start rather than overwrite it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"cannot load store file {self.path}: {reason}. The bot will not overwrite it; "
            "repair or move the file away, then start again."
        )


class StoreLockedError(StoreError):
    """Another process has the same store directory open."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        super().__init__(
            f"store directory {self.root} is in use by another process "
            "(is another bot instance running?)"
        )
