"""A seeded raw-bytes fuzz of every web route (issue 13, item 2: what a schema cannot say):
random methods, paths, queries, headers and bodies, valid requests mutated byte by byte. No
answer may be a server error and nothing may be logged as an unexpected error."""

from __future__ import annotations

import json
import logging
import random

import pytest

from tests.conftest import WebRig

REQUESTS = 10_000
SEED = 20261207
PARTS = 5
PATHS = [
    "/",
    "/staff",
    "/dashboard",
    "/healthz",
    "/api/chat",
    "/api/chat/action",
    "/api/chat/page",
    "/api/chat/{conv}/messages",
    "/api/chat/{conv}/ws",
    "/api/staff/me",
    "/api/staff/conversations",
    "/api/staff/conversations/C-1/messages",
    "/api/staff/command",
    "/api/staff/action",
    "/api/staff/dashboard",
    "/api/staff/dashboard/queues",
    "/api/staff/kb/drafts",
    "/api/staff/kb/drafts/{junk}/publish",
    "/static/chat.js",
    "/static/{junk}",
]
WEIRD = ["", "%00", "%C2%B2", "..%2F..", "x" * 300, "💥", "%FF%FE", "C-999999999999", "-1", " "]


def _valid_body(rng: random.Random, conversation: str) -> dict[str, object]:
    bodies: list[dict[str, object]] = [
        {"user": {"id": "u-f", "name": "Fuzz"}, "text": "hello there"},
        {"user": {"id": "u-f"}, "conversation": conversation, "text": "my parcel is late"},
        {"user": {"id": "u-f"}, "conversation": conversation, "action": "kb_yes", "value": "x"},
        {"command": "queue", "text": ""},
        {"action": "claim", "value": "T-1001"},
    ]
    return rng.choice(bodies)


def _mutated(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        at = rng.randrange(len(data) + 1)
        if choice < 0.4 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.7:
            data[at:at] = rng.choice([b"[", b"{", b'"', b"\\", b"\\ud800", b"9" * 50, b"\x00"])
        elif data:
            del data[at : at + rng.randint(1, 5)]
    return bytes(data)


def _body(rng: random.Random, conversation: str) -> bytes:
    kind = rng.random()
    if kind < 0.15:
        return rng.randbytes(rng.randint(0, 300))
    if kind < 0.25:
        depth = rng.randint(10, 3000)
        return b"[" * depth + b"]" * rng.randint(0, depth)
    valid = json.dumps(_valid_body(rng, conversation)).encode()
    if kind < 0.45:
        return valid
    if kind < 0.55:
        doc = _valid_body(rng, conversation)
        key = rng.choice(list(doc))
        doc[key] = rng.choice([None, 7, -1.5, [], {}, True, "x" * 5000, {"id": []}, "\ud800"])
        return json.dumps(doc).encode("utf-8", "surrogatepass")
    return _mutated(rng, valid)


def _request(
    rng: random.Random, conversation: str, token: str, customer: str
) -> tuple[str, str, dict[str, str]]:
    path = rng.choice(PATHS).format(conv=rng.choice([conversation, *WEIRD]), junk=rng.choice(WEIRD))
    if rng.random() < 0.4:
        path += "?" + rng.choice(["after=", "after=%C2%B2", "after=99999999999999", "after=3"])
        path += rng.choice(["", "&languages=" + rng.choice(WEIRD), "&token=" + token[:5]])
    headers = {"Content-Type": rng.choice(["application/json", "text/plain", "", "x/y"])}
    if rng.random() < 0.5:
        bearer = rng.choice([token, customer, customer[:-1], "nope", "\u00e9" * 9])
        headers["Authorization"] = rng.choice([f"Bearer {bearer}", "Basic x", "", "Bearer"])
    if rng.random() < 0.3:
        headers["Origin"] = rng.choice(["null", "https://evil.example", "http://127.0.0.1", ""])
    if rng.random() < 0.3:
        headers["Accept-Language"] = rng.choice(["de-CH,de;q=0.9", "*;q=abc", ",,,", "x" * 500])
    method = rng.choice(["GET", "POST", "POST", "PUT", "DELETE", "PATCH"])
    return method, path, headers


@pytest.mark.parametrize("part", range(PARTS))
async def test_random_requests_never_get_a_server_error(
    web_rig: WebRig, caplog: pytest.LogCaptureFixture, part: int
) -> None:
    rng = random.Random(SEED + part)
    started = await web_rig.client.post(
        "/api/chat", json={"user": {"id": "u-f", "name": "Fuzz"}, "text": "hi"}
    )
    first = await started.json()
    conversation, customer = first["conversation"], first["customer_token"]
    caplog.set_level(logging.ERROR)
    failures = []
    for _ in range(REQUESTS // PARTS):
        method, path, headers = _request(rng, conversation, web_rig.staff_token, customer)
        body = _body(rng, conversation) if method != "GET" else None
        if path.endswith("/ws") and method == "GET":
            continue  # the WebSocket upgrade is tested on its own
        response = await web_rig.client.request(method, path, data=body, headers=headers)
        if response.status >= 500:
            failures.append((method, path, response.status, (body or b"")[:80]))
        response.release()
    assert failures == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
