"""The departments behind the bot, read and checked from data/departments.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.goals import GoalError, Goals, parse_goals
from bot.hours import HoursError, parse_hours
from bot.kb.yaml_lines import YamlFileError, load_with_lines, without_lines
from bot.models import Person
from bot.service_levels import ServiceLevelError, ServiceLevels, parse_service_levels

FILE_NAME = "departments.yaml"
PLATFORMS = ("web", "slack", "discord")


class DepartmentsError(ValueError):
    """departments.yaml is missing a required part or is malformed."""


@dataclass(frozen=True)
class Contact:
    """Someone to notify: a name and their account per platform."""

    name: str
    accounts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Department:
    """A team that takes over when a person is needed."""

    id: str
    names: dict[str, str]
    staff: dict[str, tuple[str, ...]] = field(default_factory=dict)  # platform -> ids, role:/group:
    queues: dict[str, str] = field(default_factory=dict)  # platform -> channel id
    hours: dict[str, Any] = field(default_factory=dict)  # raw; see bot.hours
    senior: Contact | None = None
    threats: Contact | None = None
    keywords: tuple[str, ...] = ()
    service_levels: ServiceLevels | None = None  # for internal requests (H3)
    goals: Goals = field(default_factory=Goals)  # measurable service goals (G4)

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.id

    def has_staff(self, person: Person) -> bool:
        """Listed by user id, or through one of their roles / user groups."""
        listed = self.staff.get(person.platform, ())
        return person.id in listed or any(
            f"role:{g}" in listed or f"group:{g}" in listed for g in person.groups
        )


def read_departments_file(data_dir: Path) -> Any:
    """The parsed departments.yaml, or None when there is none."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return None
    try:
        return without_lines(load_with_lines(path))
    except YamlFileError as error:
        raise DepartmentsError(str(error)) from error


FIELDS = frozenset(
    {"id", "name", "staff", "queue", "hours", "senior", "threats", "keywords"}
    | {"service_levels", "goals"}
)


def load_departments(data_dir: Path) -> dict[str, Department]:
    """Departments by id; no file means none configured. Errors name the file and the field."""
    path = data_dir / FILE_NAME
    raw = read_departments_file(data_dir)
    if raw is None:
        return {}
    items = raw.get("departments") if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise DepartmentsError(f"{path}: expected a 'departments:' list")
    departments = [_department(item, f"{path}: department {n}") for n, item in enumerate(items, 1)]
    ids = [d.id for d in departments]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise DepartmentsError(f"{path}: duplicate department id(s): {', '.join(duplicates)}")
    return {d.id: d for d in departments}


def _department(item: Any, where: str) -> Department:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise DepartmentsError(f"{where}: every department needs an 'id'")
    where = f"{where.rsplit(':', 1)[0]}: department '{item['id']}'"
    if unknown := sorted(set(map(str, item)) - FIELDS):
        choices = ", ".join(sorted(FIELDS))
        raise DepartmentsError(f"{where}: unknown key(s) {', '.join(unknown)} (valid: {choices})")
    return Department(
        id=item["id"],
        names=_strings(item.get("name", {}), f"{where}: name"),
        staff={
            p: tuple(map(str, ids))
            for p, ids in _platforms(item.get("staff"), where, "staff").items()
        },
        queues={p: str(v) for p, v in _platforms(item.get("queue"), where, "queue").items()},
        hours=_hours(item.get("hours"), f"{where}: hours"),
        senior=_contact(item.get("senior"), f"{where}: senior"),
        threats=_contact(item.get("threats"), f"{where}: threats"),
        keywords=tuple(str(k) for k in item.get("keywords") or ()),
        service_levels=_levels(item.get("service_levels"), f"{where}: service_levels"),
        goals=_goals(item.get("goals"), f"{where}: goals"),
    )


def _goals(raw: Any, where: str) -> Goals:
    try:
        return parse_goals(raw)
    except GoalError as error:
        raise DepartmentsError(f"{where}: {error}") from error


def _levels(raw: Any, where: str) -> ServiceLevels | None:
    try:
        return parse_service_levels(raw)
    except ServiceLevelError as error:
        raise DepartmentsError(f"{where}: {error}") from error


def _platforms(raw: Any, where: str, name: str) -> dict[str, Any]:
    found = _mapping(raw, f"{where}: {name}")
    if unknown := sorted(set(found) - set(PLATFORMS)):
        raise DepartmentsError(
            f"{where}: {name} has unknown platform(s) {', '.join(unknown)} "
            f"(known: {', '.join(PLATFORMS)})"
        )
    for platform, value in found.items():
        if name == "staff" and not isinstance(value, list):
            raise DepartmentsError(f"{where}: staff.{platform} must be a list of ids")
    return found


def _hours(raw: Any, where: str) -> dict[str, Any]:
    """Checked now, so a typo in the hours stops start-up with a clear message."""
    found = _mapping(raw, where)
    if found:
        try:
            parse_hours(found)
        except HoursError as error:
            raise DepartmentsError(f"{where}: {error}") from error
    return found


def _contact(raw: Any, where: str) -> Contact | None:
    if raw is None:
        return None
    found = _mapping(raw, where)
    accounts = {p: str(v) for p, v in found.items() if p in PLATFORMS}
    if not accounts:
        raise DepartmentsError(f"{where}: give at least one of {', '.join(PLATFORMS)}")
    return Contact(str(found.get("name", "")), accounts)


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DepartmentsError(f"{where}: expected a mapping, got {raw!r}")
    return {str(k): v for k, v in raw.items()}


def _strings(raw: Any, where: str) -> dict[str, str]:
    return {k: str(v) for k, v in _mapping(raw, where).items()}
