"""The web chat's JSON API through aiohttp's test client."""

from __future__ import annotations

from typing import Any

import pytest

from bot.events import StaffNotice
from tests.conftest import WebRig

ANNA = {"id": "u-anna", "name": "Anna"}


async def start(rig: WebRig, text: str = "hello", user: dict[str, str] = ANNA) -> dict[str, Any]:
    response = await rig.client.post("/api/chat", json={"user": user, "text": text})
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


async def test_a_new_conversation_is_greeted_and_asked_what_it_is_about(web_rig: WebRig) -> None:
    body = await start(web_rig)
    assert len(body["conversation"]) >= 22  # unguessable: 18 random bytes, url-safe
    texts = [reply["text"] for reply in body["replies"]]
    assert texts[0].startswith("Hi Anna! I'm the Brightwave support bot")
    assert texts[1] == "What can I help you with today, Anna?"
    assert [reply["seq"] for reply in body["replies"]] == [2, 3]
    assert body["replies"][0]["buttons"] == []


async def test_conversation_ids_are_unique_and_random(web_rig: WebRig) -> None:
    ids = {(await start(web_rig))["conversation"] for _ in range(5)}
    assert len(ids) == 5


async def test_messages_after_a_sequence_number(web_rig: WebRig) -> None:
    conversation = (await start(web_rig))["conversation"]
    response = await web_rig.client.get(f"/api/chat/{conversation}/messages?after=1")
    body = await response.json()
    assert [m["seq"] for m in body["messages"]] == [2, 3]
    assert body["messages"][0]["role"] == "bot"
    everything = await (await web_rig.client.get(f"/api/chat/{conversation}/messages")).json()
    assert everything["messages"][0] == {
        "seq": 1,
        "role": "customer",
        "author": "Anna",
        "text": "hello",
        "buttons": [],
        "at": "2026-11-23T09:00:00+00:00",
    }


async def test_a_staff_reply_is_readable_by_the_customer_later(web_rig: WebRig) -> None:
    conversation = (await start(web_rig, "My parcel never arrived"))["conversation"]
    response = await web_rig.client.post(
        "/api/staff/command",
        json={"command": "reply", "text": "C-1 Checking now, Anna."},
        headers=web_rig.staff_headers,
    )
    assert (await response.json())["replies"][0]["text"] == "Sent to Anna (C-1)."
    body = await (await web_rig.client.get(f"/api/chat/{conversation}/messages?after=4")).json()
    assert [(m["role"], m["author"], m["text"]) for m in body["messages"]] == [
        ("staff", "Sam Staff", "Checking now, Anna.")
    ]


async def test_the_customer_page_gets_pushed_messages_over_the_websocket(web_rig: WebRig) -> None:
    conversation = (await start(web_rig, "My parcel never arrived"))["conversation"]
    socket = await web_rig.client.ws_connect(f"/api/chat/{conversation}/ws")
    await web_rig.client.post(
        "/api/staff/command",
        json={"command": "/reply", "text": "C-1 On it."},
        headers=web_rig.staff_headers,
    )
    pushed = await socket.receive_json(timeout=5)
    assert pushed["type"] == "message"
    assert (pushed["message"]["text"], pushed["message"]["seq"]) == ("On it.", 5)
    await socket.close()


async def test_the_staff_socket_hears_about_new_conversations(web_rig: WebRig) -> None:
    socket = await web_rig.client.ws_connect(f"/api/staff/ws?token={web_rig.staff_token}")
    await start(web_rig, "My parcel never arrived")
    pushed = [await socket.receive_json(timeout=5) for _ in range(7)]
    events = [e for e in pushed if e["type"] != "ticket"]
    assert [e["type"] for e in events] == ["message"] * 4 + ["conversation"]
    tickets = [e["ticket"] for e in pushed if e["type"] == "ticket"]
    assert tickets[0]["id"] == "T-1001"
    assert events[4]["conversation"]["ref"] == "C-1"
    assert events[4]["conversation"]["customer"] == "Anna"
    await socket.close()


async def test_a_button_click_is_answered(web_rig: WebRig) -> None:
    conversation = (await start(web_rig))["conversation"]
    response = await web_rig.client.post(
        "/api/chat/action",
        json={
            "conversation": conversation,
            "user": ANNA,
            "action": "gone",
            "value": "1",
        },
    )
    assert response.status == 200
    assert "no longer active" in (await response.json())["replies"][0]["text"]


async def test_healthz_is_ok_once_ready(web_rig: WebRig) -> None:
    response = await web_rig.client.get("/healthz")
    assert (response.status, await response.json()) == (200, {"status": "ok"})


async def test_pages_are_served_with_a_strict_content_security_policy(web_rig: WebRig) -> None:
    for path in ("/", "/staff"):
        response = await web_rig.client.get(path)
        assert response.status == 200
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "<script" in await response.text()


async def test_a_staff_notice_reaches_only_its_addressee(web_rig: WebRig) -> None:
    other_token = await web_rig.bot.services.staff.add("olga", "Olga Other")
    mine = await web_rig.client.ws_connect(f"/api/staff/ws?token={web_rig.staff_token}")
    theirs = await web_rig.client.ws_connect(f"/api/staff/ws?token={other_token}")
    notice = StaffNotice({"web": "sam"}, "Threat reported in T-1001", "T-1001")
    await web_rig.bot.services.bus.publish(notice)
    got = await mine.receive_json(timeout=5)
    assert (got["type"], got["text"], got["ticket"]) == (
        "notice",
        "Threat reported in T-1001",
        "T-1001",
    )
    with pytest.raises(TimeoutError):
        await theirs.receive_json(timeout=0.3)
    await mine.close()
    await theirs.close()
