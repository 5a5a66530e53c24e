"""Prints the openings corpus table (language with and without a locale prior, names) for the
README: `python -m benchmarks.openings`."""

from __future__ import annotations

import asyncio

from tests.openings import main

if __name__ == "__main__":
    asyncio.run(main())
