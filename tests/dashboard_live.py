"""A live bot with history for the dashboard: ten days of generated tickets in its store, a
copy of the sample data (drafts are published into it), and a few tickets made through the
JSON API. Used by the browser test and scripts/screenshot_dashboard.py."""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.history import generate_history
from bot.storage import open_store
from tests.live import call

DATA = Path(__file__).parent.parent / "data"
HISTORY_TICKETS = 400
HISTORY_DAYS = 10


def prepare(workdir: Path) -> Path:
    """Seed `workdir/db` (before the bot starts on it) and copy the sample data; the data
    directory to start the bot with."""
    data = workdir / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("kb-drafts", "drafted.yaml"))
    asyncio.run(_seed(workdir / "db"))
    return data


async def _seed(db_dir: Path) -> None:
    store = await open_store(db_dir)
    try:
        start = datetime.now(UTC) - timedelta(days=HISTORY_DAYS)
        await generate_history(store, HISTORY_TICKETS, 5, start, HISTORY_DAYS)
        # The generated ids are taken: tickets and requests made later are numbered after them.
        for counter, first in (("ticket", 1001), ("request", 301)):
            numbers = [store.next_number(counter, start=first) for _ in range(HISTORY_TICKETS)]
            await asyncio.gather(*numbers)
    finally:
        await store.close()


class Customers:
    """Customers and the demo staff member of a live bot, over its JSON API."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token
        self.customer_tokens: dict[str, str] = {}  # conversation -> its customer token

    def staff(self, command: str, text: str) -> None:
        call(f"{self.base}/api/staff/command", {"command": command, "text": text}, self.token)

    def hand_over(self, user: str, text: str, department: str) -> tuple[str, str]:
        """A question the knowledge base does not cover, handed to a team: (conversation,
        ticket)."""
        person = {"id": user, "name": user.title()}
        started = call(f"{self.base}/api/chat", {"user": person, "text": text})
        conversation = started["conversation"]
        self.customer_tokens[conversation] = started["customer_token"]
        told = self.click(user, conversation, "pick_department", department)
        match = re.search(r"\b(T-\d+)\b", told)
        assert match, told
        return conversation, match.group(1)

    def click(self, user: str, conversation: str, action: str, value: str) -> str:
        body = {"conversation": conversation, "user": {"id": user}, "action": action}
        token = self.customer_tokens[conversation]
        answer = call(f"{self.base}/api/chat/action", {**body, "value": value}, token)
        return " ".join(r["text"] for r in answer["replies"])

    def resolved(self, user: str, text: str, department: str, summary: str) -> str:
        """Claimed, answered, resolved with `summary`, confirmed and rated 5."""
        conversation, ticket = self.hand_over(user, text, department)
        self.staff("claim", ticket)
        self.staff("reply", f"{ticket} Let me check that for you.")
        self.staff("resolve", f"{ticket} {summary}")
        self.click(user, conversation, "solved_yes", ticket)
        self.click(user, conversation, "rate", f"{ticket}:5")
        return ticket

    def ask(self, user: str, text: str) -> str:
        person = {"id": user, "name": user.title()}
        replies = call(f"{self.base}/api/chat", {"user": person, "text": text})["replies"]
        return " ".join(r["text"] for r in replies)
