"""Malformed input never reaches a 500 (issue 13, item 1): deep nesting, huge numbers,
non-ASCII digits, overlong static names; every response carries the security headers and no
version in `Server`."""

from __future__ import annotations

import pytest

from tests.conftest import WebRig

ANNA = {"id": "u-anna", "name": "Anna"}


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 20_000 + b"]" * 20_000,
        b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
        b'{"user": {"id": "x"}, "text": "hi", "n": ' + b"9" * 5_000 + b"}",
        b'{"text": "' + b"\\ud800" + b'"}',
        b'{"user": {"id": "x"}, "text": 1e999999}',
    ],
)
@pytest.mark.parametrize("path", ["/api/chat", "/api/chat/action", "/api/staff/command"])
async def test_hostile_json_is_a_400_not_a_500(web_rig: WebRig, raw: bytes, path: str) -> None:
    response = await web_rig.client.post(
        path, data=raw, headers={"Content-Type": "application/json", **web_rig.staff_headers}
    )
    assert 400 <= response.status < 500, await response.text()
    assert "error" in await response.json()


@pytest.mark.parametrize("after", ["%C2%B2", "%D9%A3", "1%E2%81%B0", "-1", "1e3", "9" * 40])
async def test_after_takes_ascii_digits_only(web_rig: WebRig, after: str) -> None:
    started = await web_rig.client.post("/api/chat", json={"user": ANNA, "text": "hello"})
    conversation = (await started.json())["conversation"]
    customer = await web_rig.client.get(f"/api/chat/{conversation}/messages?after={after}")
    assert customer.status == 400, await customer.text()
    staff = await web_rig.client.get(
        f"/api/staff/conversations/C-1/messages?after={after}", headers=web_rig.staff_headers
    )
    assert staff.status == 400, await staff.text()


@pytest.mark.parametrize("name", ["a" * 300, "%00", "..%2F..%2Fetc%2Fpasswd", "x" * 5000 + ".js"])
async def test_odd_static_names_are_404(web_rig: WebRig, name: str) -> None:
    response = await web_rig.client.get(f"/static/{name}")
    assert response.status in (400, 403, 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/nowhere"), ("POST", "/api/chat"), ("GET", "/api/chat/x/messages")],
)
async def test_every_response_has_the_security_headers(
    web_rig: WebRig, method: str, path: str
) -> None:
    response = await web_rig.client.request(method, path, data=b"not json")
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert "Content-Security-Policy" in response.headers
    assert "aiohttp" not in response.headers.get("Server", "").lower()
    assert "python" not in response.headers.get("Server", "").lower()


def test_nesting_depth_ignores_brackets_inside_strings() -> None:
    from bot.adapters.web_json import nesting_depth

    assert nesting_depth(b'{"a": [1, {"b": 2}]}') == 3
    text = b'{"text": "' + b'[\\"{' * 30 + b'"}'
    assert nesting_depth(text) == 1
    assert nesting_depth(b"[" * 25 + b"]" * 25) == 25


async def test_brackets_in_a_message_are_only_text(web_rig: WebRig) -> None:
    text = "my code is [[[{{{" * 10 + ' and a quote \\" too'
    response = await web_rig.client.post("/api/chat", json={"user": ANNA, "text": text})
    assert response.status == 200


async def test_a_full_disk_is_a_503_with_retry_after_and_one_log_line(
    web_rig: WebRig, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import errno

    from bot.adapters import web_json

    async def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    store = web_rig.bot.services.store
    monkeypatch.setattr(store, "put", full)
    monkeypatch.setattr(store, "put_many", full)
    monkeypatch.setitem(web_json._incident, "logged", float("-inf"))
    for _ in range(5):
        response = await web_rig.client.post(
            "/api/chat",
            json={"user": ANNA, "text": "Mein Paket ist nicht angekommen"},
            headers={"Accept-Language": "de"},
        )
        assert response.status == 503
        assert response.headers["Retry-After"] == "30"
        assert (await response.json())["error"].startswith("Wir können gerade keine")
    logged = [r for r in caplog.records if "cannot write" in r.getMessage()]
    assert len(logged) == 1
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    "name", ["Eve\u0000lyn", "Bob\u202eevil", "Ann\ud800a", "Zoe\u2066x\u2069", "Tom\nNewline"]
)
async def test_names_lose_control_surrogate_and_direction_characters(
    web_rig: WebRig, name: str
) -> None:
    response = await web_rig.client.post(
        "/api/chat", json={"user": {"id": "u-odd", "name": name}, "text": "hello"}
    )
    assert response.status == 200
    conversation = (await response.json())["conversation"]
    stored = await web_rig.bot.services.conversations.get(f"web:{conversation}")
    assert stored is not None
    shown = stored.customer.name
    assert shown
    assert all(ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF for ch in shown), shown
    listing = await web_rig.client.get("/api/staff/conversations", headers=web_rig.staff_headers)
    assert listing.status == 200
    assert "\u202e" not in await listing.text()
