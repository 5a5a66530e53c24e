"""Document stores: MemoryStore for tests, the durable, default TinyDBStore, and
PostgresStore (`SUPPORTBOT_DATABASE_URL`) for several processes on one database."""

import os

from bot.ports import Store
from bot.reports.tally import ReportCounter
from bot.storage.errors import StoreCorruptError, StoreError, StoreLockedError
from bot.storage.memory import MemoryStore
from bot.storage.tinydb_store import TinyDBStore, open_store


async def open_configured(db_dir: str | os.PathLike[str], database_url: str = "") -> Store:
    """PostgreSQL when a database URL is configured (its driver loads only then), else the
    TinyDB files in `db_dir`."""
    if database_url:
        from bot.storage.postgres import PostgresStore

        return await PostgresStore.open(database_url)
    return await open_store(db_dir)


def report_counter(store: Store) -> ReportCounter | None:
    """Where the store counts a report itself (PostgreSQL), what does; else None."""
    from bot.unit_of_work import unwrapped  # which imports this package's validation

    store = unwrapped(store)
    if not isinstance(store, MemoryStore):
        from bot.storage.postgres import PostgresStore

        if isinstance(store, PostgresStore):
            return store.report_counter()
    return None


__all__ = [
    "MemoryStore",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "TinyDBStore",
    "open_configured",
    "open_store",
    "report_counter",
]
