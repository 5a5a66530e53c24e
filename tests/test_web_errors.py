"""Bad input to the web API gets a 4xx with a JSON error: never a 500, never a traceback."""

from __future__ import annotations

import pytest

from tests.conftest import JSON, WebRig

ANNA = {"id": "u-anna", "name": "Anna"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "hi"}, "'user' must be an object."),
        ({"user": ANNA}, "'text' must be a non-empty string."),
        ({"user": ANNA, "text": 42}, "'text' must be a non-empty string."),
        ({"user": ANNA, "text": "   "}, "'text' must be a non-empty string."),
        ({"user": {"name": "Anna"}, "text": "hi"}, "'id' must be a non-empty string."),
        (
            {"user": ANNA, "text": "hi", "conversation": 7},
            "'conversation' must be a non-empty string.",
        ),
        (
            {"user": ANNA, "text": "x" * 4001},
            "'text' is too long (4,001 characters; the limit is 4,000).",
        ),
    ],
)
async def test_malformed_chat_requests_are_400(
    web_rig: WebRig, body: dict[str, object], message: str
) -> None:
    response = await web_rig.client.post("/api/chat", json=body)
    assert response.status == 400
    assert await response.json() == {"error": message}


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"\xff\xfe", b""])
async def test_a_body_that_is_not_a_json_object_is_400(web_rig: WebRig, raw: bytes) -> None:
    response = await web_rig.client.post("/api/chat", data=raw, headers=JSON)
    assert response.status == 400
    assert await response.json() == {"error": "The request body must be a JSON object."}


async def test_an_oversized_body_is_413_with_json(web_rig: WebRig) -> None:
    response = await web_rig.client.post(
        "/api/chat", data=b"{" + b" " * 70_000 + b"}", headers=JSON
    )
    assert response.status == 413
    assert "error" in await response.json()


async def test_unknown_conversations_are_404(web_rig: WebRig) -> None:
    response = await web_rig.client.post(
        "/api/chat", json={"conversation": "guess", "user": ANNA, "text": "hi"}
    )
    assert response.status == 404
    assert (await response.json())["error"].startswith("Unknown conversation.")
    for path in (
        "/api/chat/guess/messages",
        "/api/chat/guess/ws",
        "/api/chat/" + "x" * 300 + "/messages",
    ):
        assert (await web_rig.client.get(path)).status == 404


async def test_someone_elses_conversation_is_403(web_rig: WebRig) -> None:
    first = await (await web_rig.client.post("/api/chat", json={"user": ANNA, "text": "hi"})).json()
    response = await web_rig.client.post(
        "/api/chat",
        json={
            "conversation": first["conversation"],
            "user": {"id": "mallory"},
            "text": "hi",
        },
    )
    assert response.status == 403


async def test_a_bad_after_parameter_is_400(web_rig: WebRig) -> None:
    first = await (await web_rig.client.post("/api/chat", json={"user": ANNA, "text": "hi"})).json()
    response = await web_rig.client.get(f"/api/chat/{first['conversation']}/messages?after=-1")
    assert response.status == 400


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "x"}])
async def test_staff_calls_without_a_valid_token_are_401(
    web_rig: WebRig, headers: dict[str, str]
) -> None:
    for path in ("/api/staff/me", "/api/staff/conversations"):
        response = await web_rig.client.get(path, headers=headers)
        assert response.status == 401
        assert "staff token" in (await response.json())["error"]
    response = await web_rig.client.post(
        "/api/staff/command", json={"command": "help"}, headers=headers
    )
    assert response.status == 401
    assert (await web_rig.client.get("/api/staff/ws?token=wrong")).status == 401


async def test_an_unknown_staff_command_lists_the_valid_ones(web_rig: WebRig) -> None:
    response = await web_rig.client.post(
        "/api/staff/command", json={"command": "frobnicate"}, headers=web_rig.staff_headers
    )
    assert response.status == 200
    text = (await response.json())["replies"][0]["text"]
    assert text.startswith("I don't know /frobnicate. Valid commands: /ask, /audit, /claim,")


async def test_unknown_api_paths_are_json_404(web_rig: WebRig) -> None:
    response = await web_rig.client.get("/api/nothing")
    assert response.status == 404
    assert "error" in await response.json()


@pytest.mark.parametrize("text", ["\u0001", "\u202e\u0007"])
async def test_a_first_message_of_control_characters_only_is_answered_in_a_real_language(
    web_rig: WebRig, text: str
) -> None:
    """Nothing is left once the text is cleaned: the bot asks again, and no conversation is
    opened; the answer still names the language it is in (the page follows it)."""
    response = await web_rig.client.post("/api/chat", json={"user": ANNA, "text": text})
    assert response.status == 200
    body = await response.json()
    assert body["language"] == "en"
    assert body["replies"][0]["text"] == "That message was empty. What can I help you with?"
