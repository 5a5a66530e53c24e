"""Configuration errors name the right file and the valid choices (issue 13, item 7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import ConfigError, Settings
from bot.departments import DepartmentsError, load_departments

DATA = Path(__file__).parent.parent / "data"


@pytest.mark.parametrize("code", ["xx", "english", "de-DE", "zz "])
def test_an_unknown_default_language_is_refused_with_the_choices(code: str) -> None:
    with pytest.raises(ConfigError, match="must be one of da, de, el, en, sk, sv"):
        Settings.from_env({"SUPPORTBOT_DEFAULT_LANGUAGE": code})


def test_a_known_default_language_in_any_case_is_taken() -> None:
    assert Settings.from_env({"SUPPORTBOT_DEFAULT_LANGUAGE": " DE "}).default_language == "de"


def test_an_env_file_that_is_not_utf8_is_one_plain_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = tmp_path / "bad.env"
    env.write_bytes(b"SUPPORTBOT_COMPANY=Br\xffwave\n")
    assert main(["--env-file", str(env), "kb", "check"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"Configuration error: {env} is not UTF-8 text (byte 22 is not valid); save it as UTF-8."
    )


def test_an_unknown_department_key_names_it_and_the_valid_ones(tmp_path: Path) -> None:
    (tmp_path / "departments.yaml").write_text(
        "departments:\n  - id: orders\n    name: {en: Orders}\n    hourz: {monday: '9-5'}\n",
        encoding="utf-8",
    )
    with pytest.raises(DepartmentsError, match=r"department 'orders': unknown key\(s\) hourz"):
        load_departments(tmp_path)


@pytest.mark.parametrize("content", [None, ""])
def test_a_missing_or_empty_departments_file_is_what_the_error_names(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str | None,
) -> None:
    shutil.copytree(DATA / "kb", tmp_path / "kb")
    if content is not None:
        (tmp_path / "departments.yaml").write_text(content, encoding="utf-8")
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(tmp_path))  # restored after the test
    env = tmp_path / "none.env"
    env.write_text("# nothing here\n", encoding="utf-8")
    assert main(["--env-file", str(env), "kb", "check"]) != 0
    out = capsys.readouterr()
    problems = [line for line in (out.out + out.err).splitlines() if "department" in line]
    assert problems
    assert all("departments.yaml in the data directory is missing or empty" in p for p in problems)
