"""Internal requests through the web JSON API: two staff members, two departments (H1-H3)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse
from aiohttp.test_utils import TestClient

from bot.adapters.web import create_app, mark_ready
from bot.config import Settings
from bot.core import Bot
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.conftest import ClientMaker
from tests.fakes import FakeClock
from tests.requests_rig import departments


class Desk:
    """The staff page's API for one signed-in staff member."""

    def __init__(self, client: TestClient, token: str) -> None:  # type: ignore[type-arg]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    async def command(self, command: str, text: str = "") -> list[dict[str, Any]]:
        body = {"command": command, "text": text}
        response = await self.client.post("/api/staff/command", json=body, headers=self.headers)
        assert response.status == 200
        replies: list[dict[str, Any]] = (await response.json())["replies"]
        return replies

    async def texts(self, command: str, text: str = "") -> list[str]:
        return [reply["text"] for reply in await self.command(command, text)]

    async def action(self, **body: str) -> tuple[int, dict[str, Any]]:
        response = await self.client.post("/api/staff/action", json=body, headers=self.headers)
        return response.status, await response.json()

    async def conversations(self) -> list[dict[str, Any]]:
        response = await self.client.get("/api/staff/conversations", headers=self.headers)
        found: list[dict[str, Any]] = (await response.json())["conversations"]
        return found

    async def messages(self, ref: str) -> list[dict[str, Any]]:
        url = f"/api/staff/conversations/{ref}/messages"
        found: list[dict[str, Any]] = (
            await (await self.client.get(url, headers=self.headers)).json()
        )["messages"]
        return found


@pytest.fixture
async def desks(aiohttp_client: ClientMaker) -> tuple[Bot, Desk, Desk, FakeClock]:
    """Sam works in orders and asks; Bea works in billing and answers."""
    clock = FakeClock()
    bot = build_bot(Settings(), MemoryStore(), clock, departments=departments())
    sam = await bot.services.staff.add("sam", "Sam Staff")
    bea = await bot.services.staff.add("bea", "Bea Billing")
    app = create_app(bot)
    mark_ready(app)
    client = await aiohttp_client(app)
    return bot, Desk(client, sam), Desk(client, bea), clock


async def test_file_suggest_confirm_claim_relay_resolve_and_rate_over_http(
    desks: tuple[Bot, Desk, Desk, FakeClock],
) -> None:
    bot, sam, bea, _ = desks
    (suggestion,) = await sam.command("request", "Customer 99812 wants a VAT invoice")
    assert suggestion["text"].startswith("This sounds like a request for Billing.")
    file_billing = suggestion["buttons"][0]
    assert file_billing == {"label": "Billing", "action": "file", "value": "D-1 billing"}
    status, filed = await sam.action(action="file", value="D-1 billing")
    assert status == 200
    assert filed["replies"][0]["text"].startswith("Request R-301 is with Billing")
    # Sam's request is a conversation of his own on the staff page.
    (mine,) = [c for c in await sam.conversations() if c["ticket"] == "R-301"]
    assert mine["customer_id"] == "web:sam"
    # Bea (billing) claims and answers; Sam reads it in his request conversation.
    assert (await bea.texts("claim", "R-301"))[0].startswith("You have R-301")
    await bea.texts("reply", "R-301 Sent to the customer just now.")
    texts = [m["text"] for m in await sam.messages(mine["ref"])]
    assert texts[-2:] == [
        "Bea Billing from Billing has taken your request R-301. "
        "Expect a first answer by Monday 23 November, 11:00 UTC.",
        "Sent to the customer just now.",
    ]
    # Sam writes back with the reply box (/reply on his own conversation): it is his words.
    assert await sam.texts("reply", f"{mine['ref']} Thanks, got it") == [
        "Added to R-301; Billing will see it."
    ]
    assert (await sam.messages(mine["ref"]))[-1]["role"] == "customer"
    # Bea resolves; only Sam can confirm and rate, from his own conversation.
    await bea.texts("resolve", "R-301 VAT invoice sent")
    buttons = (await sam.messages(mine["ref"]))[-1]["buttons"]
    assert [b["action"] for b in buttons] == ["solved_yes", "solved_no"]
    status, _ = await bea.action(conversation=mine["ref"], action="solved_yes", value="R-301")
    assert status == 403
    status, confirmed = await sam.action(
        conversation=mine["ref"], action="solved_yes", value="R-301"
    )
    assert status == 200
    assert [b["action"] for b in confirmed["replies"][0]["buttons"]] == ["rate"] * 5
    await sam.action(conversation=mine["ref"], action="rate", value="R-301:4")
    request = await bot.services.desk.get("R-301")
    assert request is not None
    assert (request.status.value, request.rating) == ("closed", 4)


async def test_permission_errors_over_http(desks: tuple[Bot, Desk, Desk, FakeClock]) -> None:
    _, sam, bea, _ = desks
    await sam.texts("request", "billing Please check invoice 77")
    assert await sam.texts("claim", "R-301") == [
        "R-301 belongs to Billing, and you're not on that team."
    ]
    assert (await sam.texts("request", "R-404"))[0].startswith("I can't find a request called")
    status, body = await sam.action(conversation="C-999", action="solved_yes", value="R-301")
    assert (status, body["error"]) == (404, "Unknown conversation.")
    assert (await bea.texts("file", "D-7 billing"))[0].startswith(
        "That request is no longer waiting"
    )


async def test_a_new_request_is_announced_to_the_departments_web_staff_only(
    desks: tuple[Bot, Desk, Desk, FakeClock],
) -> None:
    _, sam, bea, _ = desks
    token = {d: d.headers["Authorization"].split()[1] for d in (sam, bea)}
    bea_socket = await bea.client.ws_connect(f"/api/staff/ws?token={token[bea]}")
    sam_socket = await sam.client.ws_connect(f"/api/staff/ws?token={token[sam]}")
    await sam.texts("request", "billing Please check invoice 77")
    seen = await drain(bea_socket)
    notices = [m for m in seen if m["type"] == "notice"]
    assert notices[0]["text"].startswith("New request R-301 from Sam Staff (Orders) for Billing")
    assert notices[0]["queue"] == "billing"
    tickets = [m["ticket"] for m in seen if m["type"] == "ticket"]
    assert tickets[0]["id"] == "R-301"
    assert tickets[0]["status"] == "waiting"
    assert [m for m in await drain(sam_socket) if m["type"] == "notice"] == []
    await bea_socket.close()
    await sam_socket.close()


async def drain(socket: ClientWebSocketResponse) -> list[dict[str, Any]]:
    """Everything pushed until the socket has been quiet for a moment."""
    seen = []
    while True:
        try:
            seen.append(await socket.receive_json(timeout=0.3))
        except TimeoutError:
            return seen
