"""One collection in memory: documents in insertion order plus lazily built field indexes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from bot.models import Doc
from bot.ports import Span, Where

_EMPTY: dict[str, None] = {}


class FieldIndex:
    """Keys grouped by the value of one field; lists and dicts (unhashable) are kept apart."""

    __slots__ = ("buckets", "field", "loose")

    def __init__(self, field: str) -> None:
        self.field = field
        self.buckets: dict[Any, dict[str, None]] = {}
        self.loose: dict[str, None] = {}

    def add(self, key: str, doc: Doc) -> None:
        if self.field not in doc:
            return
        value = doc[self.field]
        if isinstance(value, dict | list):
            self.loose[key] = None
        else:
            self.buckets.setdefault(value, {})[key] = None

    def remove(self, key: str, doc: Doc) -> None:
        if self.field not in doc:
            return
        value = doc[self.field]
        if isinstance(value, dict | list):
            self.loose.pop(key, None)
            return
        bucket = self.buckets.get(value, _EMPTY)
        bucket.pop(key, None)
        if not bucket and bucket is not _EMPTY:
            del self.buckets[value]

    def candidates(self, value: Any) -> Collection[str]:
        """A superset of the keys whose field equals `value` (exact for hashable values)."""
        try:
            return self.buckets.get(value, _EMPTY)
        except TypeError:  # an unhashable query value can only equal a stored list or dict
            return self.loose


class MemoryCollection:
    """Documents by key in insertion order; replacing a document keeps its position."""

    __slots__ = ("_next", "docs", "indexes", "order")

    def __init__(self) -> None:
        self.docs: dict[str, Doc] = {}
        self.order: dict[str, int] = {}
        self.indexes: dict[str, FieldIndex] = {}
        self._next = 0

    def put(self, key: str, doc: Doc) -> None:
        old = self.docs.get(key)
        if old is None:
            self.order[key] = self._next
            self._next += 1
        for index in self.indexes.values():
            if old is not None:
                index.remove(key, old)
            index.add(key, doc)
        self.docs[key] = doc

    def delete(self, key: str) -> bool:
        old = self.docs.pop(key, None)
        if old is None:
            return False
        del self.order[key]
        for index in self.indexes.values():
            index.remove(key, old)
        return True

    def find(
        self, equals: dict[str, Any], where: Where | None = None, span: Span | None = None
    ) -> list[Doc]:
        """The stored (not copied) documents matching `equals`, `span` and `where`, in order."""
        found = self._matching(equals) if equals else self.docs.values()
        if span is not None:
            found = [doc for doc in found if span.holds(doc)]
        return [doc for doc in found if where is None or where(doc)]

    def count(self, equals: dict[str, Any]) -> int:
        if not equals:
            return len(self.docs)
        if len(equals) == 1:
            ((field, value),) = equals.items()
            keys = self._index(field).candidates(value)
            if keys is not self.indexes[field].loose:  # a hashable bucket is exact
                return len(keys)
        return len(self._matching(equals))

    def _matching(self, equals: dict[str, Any]) -> list[Doc]:
        # Cost is O(smallest bucket), not O(collection): the point of the indexes.
        keys = min((self._index(f).candidates(v) for f, v in equals.items()), key=len)
        ordered = sorted(keys, key=self.order.__getitem__)  # nearly sorted: timsort is O(n)
        docs = (self.docs[key] for key in ordered)
        return [doc for doc in docs if has_fields(doc, equals.items())]

    def _index(self, field: str) -> FieldIndex:
        index = self.indexes.get(field)
        if index is None:
            index = self.indexes[field] = FieldIndex(field)
            for key, doc in self.docs.items():
                index.add(key, doc)
        return index


def has_fields(doc: Doc, equals: Iterable[tuple[str, Any]]) -> bool:
    """Every field is present in `doc` with an equal value (a missing field is not None)."""
    return all(field in doc and doc[field] == value for field, value in equals)
