"""Document stores: MemoryStore for tests and the durable, default TinyDBStore."""

from bot.storage.errors import StoreCorruptError, StoreError, StoreLockedError
from bot.storage.memory import MemoryStore
from bot.storage.tinydb_store import TinyDBStore, open_store

__all__ = [
    "MemoryStore",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "TinyDBStore",
    "open_store",
]
