"""Pausing Python's cyclic garbage collector around bulk loads of many small objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Reading 100k stored tickets creates millions of dicts and lists, none of them garbage;
    the collector would walk them again and again (3x slower). Nothing cyclic is freed late:
    collection resumes, and runs, at the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
