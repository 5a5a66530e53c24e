"""The handoff scenario end to end through the web JSON API, in German (issue 4's script)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.adapters.web import create_app, mark_ready
from bot.config import Settings
from bot.core import Bot
from bot.departments import load_departments
from bot.kb.language import detect_language
from bot.kb.live import LiveKnowledgeBase
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.conftest import ClientMaker
from tests.fakes import FakeClock

DATA = Path(__file__).parent.parent / "data"
KLAUS = {"id": "u-klaus", "name": "Klaus Weber"}


class Script:
    """Customer and staff sides of one conversation over HTTP."""

    def __init__(self, client: TestClient, bot: Bot, clock: FakeClock, token: str) -> None:  # type: ignore[type-arg]
        self.client, self.bot, self.clock, self.token = client, bot, clock, token
        self.conversation = ""

    async def say(self, text: str) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"user": KLAUS, "text": text}
        if self.conversation:
            body["conversation"] = self.conversation
        answer = await (await self.client.post("/api/chat", json=body)).json()
        self.conversation = answer["conversation"]
        return list(answer["replies"])

    async def click(self, action: str, value: str) -> list[dict[str, Any]]:
        body = {"conversation": self.conversation, "user": KLAUS, "action": action, "value": value}
        return list(
            (await (await self.client.post("/api/chat/action", json=body)).json())["replies"]
        )

    async def staff(self, command: str, text: str = "") -> str:
        headers = {"Authorization": f"Bearer {self.token}"}
        response = await self.client.post(
            "/api/staff/command", json={"command": command, "text": text}, headers=headers
        )
        return str((await response.json())["replies"][0]["text"])

    async def messages(self) -> list[dict[str, Any]]:
        url = f"/api/chat/{self.conversation}/messages"
        return list((await (await self.client.get(url)).json())["messages"])


@pytest.fixture
async def script(aiohttp_client: ClientMaker) -> Script:
    departments = load_departments(DATA)
    kb = await LiveKnowledgeBase.open(DATA / "kb", frozenset(departments))
    clock = FakeClock()  # Monday 09:00 UTC: every department is open
    bot = build_bot(Settings(), MemoryStore(), clock, kb=kb, departments=departments)
    token = await bot.services.staff.add("demo", "Jonas Berger")
    app = create_app(bot)
    mark_ready(app)
    return Script(await aiohttp_client(app), bot, clock, token)


async def test_the_german_handoff_script(script: Script) -> None:
    de = script.bot.services.catalog.language("de").phrases
    replies = await script.say(
        "Guten Tag, mein Staubsaugerroboter von einer anderen Firma fährt ständig gegen die Wand"
    )
    assert replies[-1]["text"] == de["ask_department"]
    replies = await script.click("pick_department", "technical")
    assert "T-1001" in replies[0]["text"]

    assert (await script.staff("claim")).startswith("You have T-1001: Klaus Weber (de)")
    await script.staff("reply", "T-1001 Guten Tag Herr Weber, welches Modell haben Sie?")
    assert await script.say("Es ist ein RoboClean 5") == []  # a person has the floor

    await script.staff("hold", "T-1001 10 check the manual")
    assert (await script.messages())[-1]["buttons"][0]["action"] == "hold_ok"
    await script.click("hold_ok", "T-1001")
    script.clock.advance(minutes=11)
    assert await script.bot.services.scheduler.run_due() == 1
    expired = (await script.messages())[-1]
    assert [b["action"] for b in expired["buttons"]] == ["hold_wait", "hold_later"]
    await script.click("hold_wait", "T-1001")
    await script.staff("reply", "T-1001 Danke für Ihre Geduld: bitte die Bürsten reinigen.")

    assert (await script.staff("resolve", "T-1001 Bürsten gereinigt, Sensor geprüft.")).startswith(
        "Asked"
    )
    await script.click("solved_yes", "T-1001")
    await script.click("rate", "T-1001:5")
    ticket = await script.bot.services.desk.get("T-1001")
    assert ticket is not None
    assert (ticket.status.value, ticket.rating) == ("closed", 5)

    bot_texts = [m["text"] for m in await script.messages() if m["role"] == "bot"]
    bot_texts += [
        b["label"] for m in await script.messages() for b in m["buttons"] if len(b["label"]) > 12
    ]
    for text in bot_texts:
        assert detect_language(text)[0] == "de", text
    assert de["thanks_for_waiting"].format(name="Klaus Weber") in bot_texts
