"""A web app with the sample departments, a small knowledge base in a temporary data
directory (so drafts can be published into it), a fake clock and a signed-in staff member."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from bot.adapters.web import create_app, mark_ready
from bot.config import Settings
from bot.core import Bot
from bot.departments import load_departments
from bot.kb.live import LiveKnowledgeBase
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.conftest import ClientMaker
from tests.fakes import FakeClock

DATA = Path(__file__).parent.parent / "data"
SMALL_KB = """\
- id: reset-password
  department: accounts
  questions:
    en: ["I forgot my password", "How do I reset my password?", "cannot log in, password lost"]
  answers:
    en: "Use 'Forgot password' on the login page; the link in the e-mail works for an hour."
- id: card-arrival
  department: billing
  questions:
    en: ["When will my card arrive?", "My gift card has not come yet", "card delivery time"]
  answers:
    en: "Cards arrive within 5 working days."
- id: opening-hours
  questions:
    en: ["When are you open?", "What are your opening hours?", "are you open on saturday"]
  answers:
    en: "We are open Monday to Friday, 8 to 18."
"""


@dataclass
class DashRig:
    client: TestClient  # type: ignore[type-arg]
    bot: Bot
    clock: FakeClock
    token: str
    data_dir: Path
    customer_tokens: dict[str, str] = field(default_factory=dict)  # conversation -> token

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def get(self, path: str) -> tuple[int, Any]:
        response = await self.client.get(path, headers=self.headers)
        return response.status, await response.json()

    def _as(self, conversation: str) -> dict[str, str]:
        """The customer's credentials for `conversation` (none before it exists)."""
        token = self.customer_tokens.get(conversation)
        return {"Authorization": f"Bearer {token}"} if token else {}

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = await self.client.post(path, json=body, headers=self.headers)
        return response.status, await response.json()

    async def staff(self, command: str, text: str) -> str:
        _, body = await self.post("/api/staff/command", {"command": command, "text": text})
        return str(body["replies"][0]["text"])

    async def say(self, user: str, text: str, conversation: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {"user": {"id": user, "name": user.title()}, "text": text}
        if conversation:
            body["conversation"] = conversation
        response = await self.client.post("/api/chat", json=body, headers=self._as(conversation))
        assert response.status == 200
        answer: dict[str, Any] = await response.json()
        if "customer_token" in answer:
            self.customer_tokens[answer["conversation"]] = answer["customer_token"]
        return answer

    async def click(self, user: str, conversation: str, action: str, value: str) -> str:
        body = {"conversation": conversation, "user": {"id": user}, "action": action}
        response = await self.client.post(
            "/api/chat/action", json={**body, "value": value}, headers=self._as(conversation)
        )
        replies = (await response.json())["replies"]
        return " ".join(r["text"] for r in replies)

    async def handed_over(self, user: str, text: str, department: str) -> tuple[str, str]:
        """A customer asks something the knowledge base does not cover and picks a team:
        (conversation, ticket id)."""
        conversation = (await self.say(user, text))["conversation"]
        told = await self.click(user, conversation, "pick_department", department)
        match = re.search(r"\b(T-\d+)\b", told)
        assert match, told
        return conversation, match.group(1)

    async def resolved(self, user: str, text: str, department: str, summary: str) -> str:
        """A ticket claimed, answered, resolved with `summary`, confirmed and rated 4."""
        conversation, ticket = await self.handed_over(user, text, department)
        await self.staff("claim", ticket)
        self.clock.advance(minutes=3)
        await self.staff("reply", f"{ticket} Let me check that for you.")
        self.clock.advance(minutes=10)
        await self.staff("resolve", f"{ticket} {summary}")
        await self.click(user, conversation, "solved_yes", ticket)
        await self.click(user, conversation, "rate", f"{ticket}:4")
        return ticket


async def dash_rig(aiohttp_client: ClientMaker, tmp_path: Path) -> DashRig:
    data_dir = tmp_path / "data"
    (data_dir / "kb").mkdir(parents=True)
    shutil.copy(DATA / "departments.yaml", data_dir / "departments.yaml")
    (data_dir / "kb" / "base.yaml").write_text(SMALL_KB, encoding="utf-8")
    departments = load_departments(data_dir)
    kb = await LiveKnowledgeBase.open(data_dir / "kb", frozenset(departments))
    clock = FakeClock()  # Monday 09:00 UTC: every department is open
    settings = Settings(data_dir=data_dir, db_dir=tmp_path / "db")
    bot = build_bot(settings, MemoryStore(), clock, kb=kb, departments=departments)
    token = await bot.services.staff.add("demo", "Demo Agent")
    app = create_app(bot)
    mark_ready(app)
    return DashRig(await aiohttp_client(app), bot, clock, token, data_dir)
