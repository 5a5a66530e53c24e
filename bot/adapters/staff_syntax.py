"""Staff commands as they are typed on each chat platform: "/claim T-12" in the core's texts
becomes "/support claim T-12" where the commands are subcommands of one slash command."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def as_subcommands(text: str, command: str, names: Iterable[str]) -> str:
    """Every "/<name>" of `names` as a subcommand of `command` ("/support")."""
    return respelled(text, {name: f"{command} {name}" for name in names})


def respelled(text: str, spellings: Mapping[str, str]) -> str:
    """Every "/<name>" of `spellings` written as its spelling; URLs, paths and longer words
    that merely start with a name are left as they are."""
    known = sorted(spellings, key=len, reverse=True)
    if not known:
        return text
    pattern = re.compile(r"(?<![\w/])/(" + "|".join(map(re.escape, known)) + r")\b")
    return pattern.sub(lambda match: spellings[match.group(1)], text)
