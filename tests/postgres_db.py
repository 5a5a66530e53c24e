"""Throwaway PostgreSQL databases for tests: one per test, on the cluster named by
SUPPORTBOT_TEST_DATABASE_URL (`.ci/run` starts one; `eval "$(scripts/pg_throwaway.sh)"` does
it locally). Without it the PostgreSQL tests skip, except in CI, where they must run."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

URL_VARIABLE = "SUPPORTBOT_TEST_DATABASE_URL"
HOW = 'start one with `eval "$(scripts/pg_throwaway.sh)"` (needs PostgreSQL\'s server binaries)'


def server_url() -> str:
    """The test cluster's URL, or a skip that says how to get one (a failure in CI)."""
    url = os.environ.get(URL_VARIABLE, "")
    if not url:
        if os.environ.get("SUPPORTBOT_REQUIRE_POSTGRES"):
            pytest.fail(f"{URL_VARIABLE} is not set: in CI the PostgreSQL tests must run")
        pytest.skip(f"no test PostgreSQL: {URL_VARIABLE} is not set; {HOW}")
    return url


@asynccontextmanager
async def fresh_database(migrated: bool = True) -> AsyncIterator[str]:
    """The URL of a new, empty database (with the bot's schema when `migrated`), dropped
    afterwards."""
    from bot.storage.postgres_admin import scratch_database

    async with scratch_database(server_url(), migrated) as url:
        yield url
