"""`supportbot kb check | match | gaps`: validate, batch-match and mine the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.config import Settings
from bot.departments import DepartmentsError, load_departments
from bot.kb.entries import Lookup
from bot.kb.gaps import print_gaps
from bot.kb.loader import KnowledgeBaseError, load_kb

BATCH = 1000


def add_kb_parser(commands: Any) -> None:
    kb = commands.add_parser("kb", help="check, batch-match or find gaps in the knowledge base")
    actions = kb.add_subparsers(dest="kb_action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="validate the knowledge-base files (exit 1 on problems)"
    )
    match = actions.add_parser(
        "match", help='JSON lines {"text": ...} on stdin -> one match per line'
    )
    gaps = actions.add_parser("gaps", help="the most frequent questions the knowledge base missed")
    for parser in (check, match):
        parser.add_argument("--kb", type=Path, help="knowledge-base directory (default data/kb)")
    gaps.add_argument("--db-dir", type=Path, help="where the database lives (default var/db/)")
    gaps.add_argument("--limit", type=int, default=20, help="how many groups to print")


async def run_kb(settings: Settings, args: argparse.Namespace) -> int:
    if args.kb_action == "gaps":
        return await print_gaps(settings, args.limit)
    directory = args.kb or settings.knowledge_dir
    try:
        departments = frozenset(load_departments(settings.data_dir))
    except DepartmentsError as error:
        print(error, file=sys.stderr)
        return 1
    if args.kb_action == "check":
        return check(directory, departments)
    return await match(directory, departments, sys.stdin, sys.stdout)


def check(directory: Path, departments: frozenset[str]) -> int:
    try:
        loaded = load_kb(directory, departments)
    except KnowledgeBaseError as error:
        print(error, file=sys.stderr)
        return 1
    languages = sorted({code for entry in loaded.entries for code in entry.questions})
    print(
        f"OK: {len(loaded.entries)} entries in {len(loaded.files)} files; "
        f"languages: {', '.join(languages)}"
    )
    return 0


async def match(directory: Path, departments: frozenset[str], source: TextIO, out: TextIO) -> int:
    """The batch-evaluation contract: the same lookups the live bot makes, in input order."""
    try:
        from bot.kb.live import LiveKnowledgeBase  # the matcher loads only when it is needed

        kb = await LiveKnowledgeBase.open(directory, departments)
    except KnowledgeBaseError as error:
        print(error, file=sys.stderr)
        return 1
    for chunk in _chunks(source):
        texts = [text for text, _ in chunk]
        for (_, problem), lookup in zip(chunk, kb.lookup_many(texts), strict=True):
            out.write(json.dumps(_match_json(lookup, problem), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _chunks(source: TextIO) -> Iterator[list[tuple[str, str]]]:
    chunk: list[tuple[str, str]] = []
    for number, line in enumerate(source, 1):
        chunk.append(_text_of(line, number))
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _text_of(line: str, number: int) -> tuple[str, str]:
    """The line's text, or "" with a problem description for a malformed line."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return "", f"line {number}: not valid JSON"
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return "", f'line {number}: expected an object like {{"text": "..."}}'
    return value["text"], ""


def _match_json(lookup: Lookup, problem: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": lookup.entry_id,
        "score": round(lookup.score, 4),
        "lang": lookup.language,
        "alternatives": [c.entry_id for c in lookup.alternatives],
    }
    if lookup.entry_id is None and lookup.best is not None:
        result["best"] = lookup.best.entry_id  # withheld: still name the top-ranked entry
    if problem:
        result["error"] = problem
    return result
