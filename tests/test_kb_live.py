"""The live knowledge base: refuses to start broken, reloads edits, keeps the last good one."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.kb.live import LiveKnowledgeBase
from bot.kb.loader import KnowledgeBaseError

ENTRY = """\
- id: {id}
  questions:
    en: ["{q}", "{q} please", "tell me {q}"]
  answers:
    en: "{a}"
"""


def write_kb(directory: Path, *entries: tuple[str, str, str]) -> None:
    text = "".join(ENTRY.format(id=i, q=q, a=a) for i, q, a in entries)
    (directory / "kb.yaml").write_text(text, encoding="utf-8")


CARD = ("card-arrival", "When will my card arrive", "Within 5 working days.")
PASSWORD = ("reset-password", "How do I reset my password", "Use Forgot password.")


async def test_an_invalid_knowledge_base_refuses_to_open(tmp_path: Path) -> None:
    (tmp_path / "kb.yaml").write_text("- id: x\n  questions: {en: [Q]}\n")
    with pytest.raises(KnowledgeBaseError, match="entry 'x' has no answers"):
        await LiveKnowledgeBase.open(tmp_path, frozenset())


async def test_an_edit_is_picked_up_by_reload(tmp_path: Path) -> None:
    write_kb(tmp_path, CARD)
    kb = await LiveKnowledgeBase.open(tmp_path, frozenset())
    assert kb.entry("reset-password") is None
    write_kb(tmp_path, CARD, PASSWORD)
    assert await kb.reload() == []
    assert kb.entry("reset-password") is not None
    assert len(kb) == 2
    assert kb.version == 2


async def test_a_broken_edit_keeps_the_last_good_version(tmp_path: Path) -> None:
    write_kb(tmp_path, CARD, PASSWORD)
    kb = await LiveKnowledgeBase.open(tmp_path, frozenset())
    (tmp_path / "kb.yaml").write_text("- id: [broken\n")
    problems = await kb.reload()
    assert problems
    assert "invalid YAML" in str(problems[0])
    assert kb.version == 1
    assert kb.lookup("How do I reset my password", "en").entry_id == "reset-password"


async def test_the_watcher_reloads_when_a_file_changes(tmp_path: Path) -> None:
    write_kb(tmp_path, CARD)
    kb = await LiveKnowledgeBase.open(tmp_path, frozenset())
    watcher = asyncio.create_task(kb.watch(every_s=0.05))
    try:
        write_kb(tmp_path, CARD, PASSWORD)
        for _ in range(100):
            if kb.version == 2:
                break
            await asyncio.sleep(0.05)
        assert kb.entry("reset-password") is not None
    finally:
        watcher.cancel()


def supportbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bot", "--env-file", "/nonexistent.env", *args]
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def test_kb_check_lists_problems_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "kb.yaml").write_text(
        "- id: x\n  questions: {en: [Q]}\n- id: x\n  answers: {en: A}\n"
    )
    result = supportbot("kb", "check", "--kb", str(tmp_path))
    assert result.returncode == 1
    assert "entry 'x' has no answers" in result.stderr
    assert "entry 'x' has no questions" in result.stderr


def test_kb_check_passes_the_sample_knowledge_base() -> None:
    result = supportbot("kb", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert "languages: da, de, el, en, sk, sv" in result.stdout


def test_kb_match_answers_one_json_line_per_input_in_order(tmp_path: Path) -> None:
    write_kb(tmp_path, CARD, PASSWORD)
    lines = [
        {"text": "when will my card arrive"},
        "not json",
        {"text": "how can I reset my password"},
        {"text": "What is the weather like on Mars today?"},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    result = supportbot("kb", "match", "--kb", str(tmp_path), stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["card-arrival", None, "reset-password", None]
    assert out[1]["error"] == "line 2: not valid JSON"
    assert set(out[0]) == {"id", "score", "lang", "alternatives"}
    # a withheld answer still names its best-ranked candidate (ranking and rejection apart)
    assert isinstance(out[3]["best"], str)
    assert out[3]["best"] in {"card-arrival", "reset-password"}
    assert "best" not in out[1]  # a line that was not JSON has no candidate at all
    assert out[0]["lang"] == "en"
    assert 0.0 <= out[3]["score"] < out[0]["score"] <= 1.0
