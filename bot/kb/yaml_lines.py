"""YAML loading that remembers the line each mapping starts on, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LINE = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings carry their 1-based start line under LINE."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


class YamlFileError(ValueError):
    """A file that cannot be read or parsed; the message starts with `file:line:`."""


def load_with_lines(path: Path) -> Any:
    """Parse `path`; syntax errors become YamlFileError naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise YamlFileError(f"{path}: cannot read the file: {error}") from error
    try:
        return yaml.load(text, Loader=_LineLoader)  # a SafeLoader: plain data only
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = f"{mark.line + 1}:" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise YamlFileError(f"{path}:{line} invalid YAML: {problem}") from error


def without_lines(value: Any) -> Any:
    """The same data with every LINE marker removed."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [without_lines(item) for item in value]
    return value
