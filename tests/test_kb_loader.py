"""Knowledge-base files: every problem reported with its file and line, good files loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.loader import KnowledgeBaseError, load_kb

DEPARTMENTS = frozenset({"billing", "orders"})
GOOD = """\
- id: card-arrival
  department: billing
  title: {en: when your card arrives}
  questions:
    en: ["When will my card arrive?", "My card has not come"]
    de: ["Wann kommt meine Karte?"]
  answers:
    en: "Cards arrive within 5 working days."
    de: "Karten kommen innerhalb von 5 Werktagen."
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb(directory, DEPARTMENTS)
    return [str(problem) for problem in caught.value.problems]


def test_a_good_file_loads_with_every_field(tmp_path: Path) -> None:
    write(tmp_path, "billing.yaml", GOOD)
    (entry,) = load_kb(tmp_path, DEPARTMENTS).entries
    assert entry.id == "card-arrival"
    assert entry.questions["en"] == ("When will my card arrive?", "My card has not come")
    assert entry.answer("de") == "Karten kommen innerhalb von 5 Werktagen."
    assert entry.answer("sk") == "Cards arrive within 5 working days."  # English fallback
    assert entry.topic("en") == "when your card arrives"
    assert entry.source == f"{tmp_path / 'billing.yaml'}:1"


def test_a_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", GOOD + '- id: "unclosed\n  questions: {en: [x]}\n')
    (problem,) = problems_of(tmp_path)
    assert problem.startswith(f"{path}:")
    assert "invalid YAML" in problem
    line = int(problem.split(":")[1])
    assert line >= 10


def test_duplicate_ids_name_both_places(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", "# another file\n" + GOOD)
    assert problems_of(tmp_path) == [
        f"{second}:2: duplicate id 'card-arrival' (first at {first}:1)"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: x\n  answers: {en: A}\n", "entry 'x' has no questions"),
        ("- id: x\n  questions: {en: [Q]}\n", "entry 'x' has no answers"),
        (
            "- id: x\n  questions: {en: [Q], de: [F]}\n  answers: {en: A}\n",
            "entry 'x' has questions but no answer in: de",
        ),
        (
            "- id: x\n  department: legal\n  questions: {en: [Q]}\n  answers: {en: A}\n",
            "entry 'x': unknown department 'legal' (known: billing, orders)",
        ),
        (
            "- id: x\n  questions: {xx: [Q]}\n  answers: {en: A}\n",
            "entry 'x': questions has unknown language(s) xx",
        ),
        ("- id: x\n  questions: {en: [Q, '']}\n  answers: {en: A}\n", "questions.en must be"),
        ("- id: x\n  questions: {en: [Q]}\n  answers: {en: '  '}\n", "answers.en must be"),
        ("- id: Bad Id\n  questions: {en: [Q]}\n  answers: {en: A}\n", "entry id 'Bad Id'"),
        ("- just a string\n", "each entry must be a mapping"),
        ("id: x\n", "the file must be a YAML list of entries"),
    ],
)
def test_each_kind_of_problem_is_reported_plainly(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "kb.yaml", text)
    (problem,) = problems_of(tmp_path)
    assert problem.startswith(f"{path}:")
    assert message in problem


def test_every_problem_in_every_file_is_listed_at_once(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "- id: x\n  answers: {en: A}\n")
    write(tmp_path, "b.yaml", "- id: y\n  questions: {en: [Q]}\n")
    assert len(problems_of(tmp_path)) == 2


def test_an_empty_or_missing_directory_is_a_problem(tmp_path: Path) -> None:
    assert "no entries found" in problems_of(tmp_path)[0]
    assert "does not exist" in problems_of(tmp_path / "missing")[0]


def test_the_sample_knowledge_base_is_valid() -> None:
    from bot.departments import load_departments

    root = Path(__file__).parent.parent / "data"
    loaded = load_kb(root / "kb", frozenset(load_departments(root)))
    assert len(loaded.entries) >= 30
    for entry in loaded.entries:
        assert set(entry.questions) == {"en", "de", "da", "sv", "el", "sk"}, entry.id
        assert set(entry.answers) == {"en", "de", "da", "sv", "el", "sk"}, entry.id
        assert all(len(q) >= 3 for q in entry.questions.values()), entry.id
    assert len({entry.department for entry in loaded.entries}) >= 4
