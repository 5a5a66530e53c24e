"""Input checks for the stores, and the fast copies of JSON documents in and out."""

from __future__ import annotations

import math
import re
from typing import Any

from bot.models import Doc

COLLECTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
MAX_KEY_LENGTH = 200
MAX_DEPTH = 64


class _InvalidError(Exception):
    """Raised deep inside a document; collects the path to the bad value on the way out."""

    def __init__(self, kind: type[Exception], reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.path: list[str] = []


def check_collection(name: object) -> str:
    """`name` if it is a valid collection name, else ValueError."""
    if not isinstance(name, str) or not COLLECTION_NAME.match(name):
        raise ValueError(
            f"invalid collection name {name!r}: use lowercase letters, digits and _, "
            "starting with a letter, at most 41 characters"
        )
    return name


def check_key(collection: str, key: object) -> str:
    """`key` if it is a non-empty string of at most 200 characters."""
    if not isinstance(key, str):
        raise TypeError(f"key in {collection!r} must be a str, not {type(key).__name__}")
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(
            f"key {key[:40]!r} in {collection!r} must have 1 to {MAX_KEY_LENGTH} characters"
        )
    return key


def clean_doc(collection: str, key: str, doc: object) -> Doc:
    """A validated deep copy of `doc` in plain JSON types; raises before anything is stored."""
    if not isinstance(doc, dict):
        raise TypeError(f"{collection}/{key}: document must be a dict, not {type(doc).__name__}")
    try:
        copied: Doc = _copy_in(doc, 0)
    except _InvalidError as bad:
        where = "".join(p if p.startswith("[") else f".{p}" for p in reversed(bad.path))
        message = f"{collection}/{key}: {bad.reason} at {where.lstrip('.') or 'top level'}"
        raise bad.kind(message) from None
    return copied


_KEPT_AS_THEY_ARE = frozenset({str, int, bool, type(None)})  # exact, immutable: no copy


def _copy_in(value: Any, depth: int) -> Any:
    # Plain types are normalised (a StrEnum becomes its str) so MemoryStore returns exactly
    # what TinyDBStore would after a reload.
    if type(value) in _KEPT_AS_THEY_ARE:
        return value
    if value is None or type(value) is bool:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _InvalidError(ValueError, f"non-finite number {value!r}")
        return float.__float__(value)
    if depth >= MAX_DEPTH:
        raise _InvalidError(ValueError, f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        return _copy_dict(value, depth)
    if isinstance(value, list | tuple):
        return _copy_list(value, depth)
    raise _InvalidError(TypeError, f"unsupported type {type(value).__name__}")


def _copy_dict(value: dict[Any, Any], depth: int) -> Doc:
    copied: Doc = {}
    for name, item in value.items():
        if type(name) is str and type(item) in _KEPT_AS_THEY_ARE:  # most fields: no call
            copied[name] = item
            continue
        if not isinstance(name, str):
            raise _InvalidError(TypeError, f"non-string field name {name!r}")
        try:
            copied[str.__str__(name)] = _copy_in(item, depth + 1)
        except _InvalidError as bad:
            bad.path.append(name)
            raise
    return copied


def _copy_list(value: list[Any] | tuple[Any, ...], depth: int) -> list[Any]:
    copied: list[Any] = []
    for index, item in enumerate(value):
        try:
            copied.append(_copy_in(item, depth + 1))
        except _InvalidError as bad:
            bad.path.append(f"[{index}]")
            raise
    return copied


def clone(value: Any) -> Any:
    """A deep copy of an already clean JSON value (3x faster than copy.deepcopy)."""
    if isinstance(value, dict):
        return {name: clone(item) for name, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    return value
