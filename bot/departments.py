"""The departments behind the bot, read from data/departments.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.kb.yaml_lines import YamlFileError, load_with_lines, without_lines

FILE_NAME = "departments.yaml"


class DepartmentsError(ValueError):
    """departments.yaml is missing a required part or is malformed."""


@dataclass(frozen=True)
class Department:
    """A team that takes over when a person is needed."""

    id: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.id


def load_departments(data_dir: Path) -> dict[str, Department]:
    """Departments by id; no file means none configured. Errors name the file and line."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return {}
    try:
        raw = without_lines(load_with_lines(path))
    except YamlFileError as error:
        raise DepartmentsError(str(error)) from error
    items = raw.get("departments") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise DepartmentsError(f"{path}: expected a 'departments:' list")
    return dict(_department(item, path) for item in items)


def _department(item: object, path: Path) -> tuple[str, Department]:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise DepartmentsError(f"{path}: every department needs an 'id' (got {item!r})")
    names = item.get("name") if isinstance(item.get("name"), dict) else {}
    return item["id"], Department(item["id"], {str(k): str(v) for k, v in (names or {}).items()})
