"""Building a report from stored tickets and knowledge-base lookups, for a period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.departments import Department
from bot.gc_pause import paused_gc
from bot.hours import BusinessHours
from bot.kb.gaps import Gap, group_gaps, group_similar
from bot.models import Doc
from bot.reports.figures import Figures, KbFigures, figures_of, in_window, merged
from bot.reports.goals_check import GoalCheck, check_goals
from bot.reports.tally import Tally
from bot.tickets.measures import Facts, Working, facts_of

GROUPED_AT_MOST = 3000  # the latest texts grouped for gaps and topics (grouping is quadratic)
Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class Window:
    """The reported period: tickets opened (or closed) from `since` up to `until`."""

    since: datetime
    until: datetime


@dataclass
class Section:
    """One department: its figures, per language, and its goals against the actuals."""

    department: str
    name: str
    figures: Figures
    languages: dict[str, Figures]
    goals: list[GoalCheck] = field(default_factory=list)


@dataclass
class Report:
    window: Window
    generated_at: datetime
    total: Figures
    sections: list[Section]
    gaps: list[Gap]
    topics: list[Gap]


@dataclass
class Records:
    """What a report reads: stored tickets and lookups, and how to interpret them."""

    tickets: list[Doc]
    lookups: list[Doc]
    departments: dict[str, Department]
    hours: dict[str, BusinessHours]
    entry_department: Callable[[str], str]  # knowledge-base entry id -> its department
    now: datetime


def build_report(
    records: Records,
    window: Window,
    department: str = "",
    progress: Progress | None = None,
    facts: Sequence[Facts] | None = None,
) -> Report:
    """Every figure per department and language; `department` limits the report to one;
    `facts` (from `all_facts(records)`) saves reading the tickets again for a second window."""
    with paused_gc():
        return _report(records, window, department, progress, facts)


def _report(
    records: Records,
    window: Window,
    department: str,
    progress: Progress | None,
    facts: Sequence[Facts] | None,
) -> Report:
    facts = list(facts) if facts is not None else all_facts(records, progress, window.since)
    if department:
        facts = [f for f in facts if f.department == department]
    opened = [f for f in facts if in_window(f.opened_at, window.since, window.until)]
    closed = [f for f in facts if in_window(f.closed_at, window.since, window.until)]
    groups = _groups(opened, closed, _kb_figures(records, window))
    sections = [_section(records, d, groups) for d in _departments(records, facts, department)]
    total = merged(groups.values())
    bounds = _texts(window)
    lookups = [d for d in records.lookups if _in(d, window, *bounds)]
    if department:
        lookups = [d for d in lookups if _lookup_department(records, d) in (department, "")]
    return Report(
        window=window,
        generated_at=records.now,
        total=total,
        sections=sections,
        gaps=group_gaps(lookups[-GROUPED_AT_MOST:]),
        topics=group_similar((f.topic, f.language) for f in opened[-GROUPED_AT_MOST:] if f.topic),
    )


def all_facts(
    records: Records, progress: Progress | None = None, since: datetime | None = None
) -> list[Facts]:
    """The facts of the stored tickets and requests, in stored order; with `since`, only of
    those opened or closed since then (the others cannot count in a period from `since`)."""
    found = []
    total = len(records.tickets)
    reference = since.isoformat() if since else ""
    for number, doc in enumerate(records.tickets, 1):
        if since is None or touched_since(doc, since, reference):
            working = _working(records, str(doc.get("department")))
            found.append(facts_of(doc, working, records.now))
        if progress and (number % 5000 == 0 or number == total):
            progress(number, total)
    return found


def touched_since(doc: Doc, since: datetime, reference: str = "") -> bool:
    """A stored ticket opened or closed at or after `since` (`reference`: its isoformat)."""
    closings = [e["at"] for e in doc.get("history", ()) if e.get("what") == "closed"]
    reference = reference or since.isoformat()
    return any(not _before(str(at), since, reference) for at in [doc["opened_at"], *closings])


def asked_since(doc: Doc, since: datetime, reference: str = "") -> bool:
    """A stored knowledge-base lookup made at or after `since` (`reference`: its isoformat)."""
    return not _before(str(doc["at"]), since, reference or since.isoformat())


def _before(at: str, moment: datetime, reference: str) -> bool:
    """`at` (ISO) is before `moment` (`reference` is its isoformat); stored UTC times of the
    same shape compare as text, which is fast."""
    if at.endswith("+00:00") and reference.endswith("+00:00") and at[:19] != reference[:19]:
        return at[:19] < reference[:19]  # to the second, as text; ties are parsed
    return datetime.fromisoformat(at) < moment


def _working(records: Records, department: str) -> Working:
    hours = records.hours.get(department)
    if hours is None:
        return lambda start, end: max(0.0, (end - start).total_seconds())
    return hours.business_seconds


Group = tuple[str, str]  # (department, language)


def _groups(
    opened: list[Facts], closed: list[Facts], kb: dict[Group, KbFigures]
) -> dict[Group, Figures]:
    """Figures per department and language: the smallest groups, merged into the others."""
    by_group, closed_by_group = _by(opened), _by(closed)
    groups = {}
    for key in sorted({*by_group, *closed_by_group, *kb}):
        groups[key] = figures_of(by_group.get(key, []), closed_by_group.get(key, []))
        groups[key].kb = kb.get(key, KbFigures())
    return groups


def _by(facts: list[Facts]) -> dict[Group, list[Facts]]:
    grouped: dict[Group, list[Facts]] = defaultdict(list)
    for f in facts:
        grouped[(f.department, f.language)].append(f)
    return grouped


def _departments(records: Records, facts: list[Facts], only: str) -> list[str]:
    return _shown(records.departments, (f.department for f in facts), only)


def _shown(configured: Iterable[str], seen: Iterable[str], only: str) -> list[str]:
    """The configured departments, then others with tickets, in order; maybe only one."""
    found = dict.fromkeys([*configured, *seen])
    return [d for d in found if d and (not only or d == only)]


def _section(records: Records, department: str, groups: dict[Group, Figures]) -> Section:
    mine = {language: f for (d, language), f in groups.items() if d == department}
    return _section_of(records.departments, department, merged(mine.values()), groups)


def _section_of(
    departments: dict[str, Department],
    department: str,
    figures: Figures,
    groups: dict[Group, Figures],
) -> Section:
    languages = {lang: f for (d, lang), f in groups.items() if d == department and lang}
    found = departments.get(department)
    name = found.name("en") if found else department
    goals = check_goals(found.goals, figures) if found else []
    return Section(department, name, figures, languages, goals)


def counted_report(
    tally: Tally, window: Window, departments: dict[str, Department], only: str, now: datetime
) -> Report:
    """The report from figures a database counted (`ReportCounter`), as `build_report` makes
    it from the records."""
    sections = [
        _section_of(departments, d, tally.departments.get(d, Figures()), tally.groups)
        for d in _shown(departments, tally.seen, only)
    ]
    return Report(
        window=window,
        generated_at=now,
        total=tally.total,
        sections=sections,
        gaps=group_gaps(tally.lookups),
        topics=group_similar(tally.topics),
    )


def _kb_figures(records: Records, window: Window) -> dict[Group, KbFigures]:
    """Per (department, language) of the conversation's first question."""
    conversations: dict[str, list[Doc]] = defaultdict(list)
    bounds = _texts(window)
    for doc in records.lookups:
        if _in(doc, window, *bounds):
            conversations[str(doc.get("conversation"))].append(doc)
    found: dict[Group, KbFigures] = defaultdict(KbFigures)
    for docs in conversations.values():
        department = next((d for d in (_lookup_department(records, x) for x in docs) if d), "")
        _add_conversation(found[(department, str(docs[0].get("language", "")))], docs)
    return found


def _add_conversation(figures: KbFigures, docs: Iterable[Doc]) -> None:
    docs = list(docs)
    figures.conversations += 1
    figures.answered += any(d.get("entry_id") for d in docs)
    figures.helpful += sum(d.get("helpful") is True for d in docs)
    figures.unhelpful += sum(d.get("helpful") is False for d in docs)


def _lookup_department(records: Records, doc: Doc) -> str:
    entry = doc.get("answered_entry") or doc.get("entry_id") or ""
    return records.entry_department(str(entry)) if entry else ""


def _in(doc: Doc, window: Window, since: str, until: str) -> bool:
    at = str(doc["at"])
    return not _before(at, window.since, since) and _before(at, window.until, until)


def _texts(window: Window) -> tuple[str, str]:
    return window.since.isoformat(), window.until.isoformat()
