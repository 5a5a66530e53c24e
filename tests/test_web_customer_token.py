"""A web conversation opens only with its customer token, and only from our own pages or an
allowed embedding site (issue 13, item 4). The conversation id alone opens nothing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.adapters.web import create_app, mark_ready
from bot.config import ConfigError, Settings
from bot.storage import MemoryStore
from bot.transcript import CONVERSATIONS
from bot.wiring import build_bot
from tests.conftest import ClientMaker, WebRig
from tests.fakes import FakeClock

ANNA = {"id": "u-anna", "name": "Anna"}
SHOP = "https://shop.example"


async def start(client: TestClient, text: str = "hello") -> dict[str, Any]:  # type: ignore[type-arg]
    response = await client.post("/api/chat", json={"user": ANNA, "text": text})
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def own_origin(client: TestClient) -> str:  # type: ignore[type-arg]
    return str(client.make_url("")).rstrip("/")


async def test_a_new_conversation_returns_its_token_and_sets_a_strict_cookie(
    web_rig: WebRig,
) -> None:
    response = await web_rig.client.post("/api/chat", json={"user": ANNA, "text": "hello"})
    body = await response.json()
    token = body["customer_token"]
    assert len(token) >= 40  # 32 random bytes
    cookie = response.cookies["supportbot_customer"]
    assert cookie.value == token
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/api/chat"
    assert int(cookie["max-age"]) > 0
    later = await web_rig.client.post(
        "/api/chat", json={"user": ANNA, "conversation": body["conversation"], "text": "Anna"}
    )
    assert "customer_token" not in await later.json()  # told once, when it is made
    assert "Set-Cookie" not in later.headers


async def test_only_a_digest_of_the_token_is_stored(web_rig: WebRig) -> None:
    body = await start(web_rig.client)
    [doc] = await web_rig.bot.services.store.find(CONVERSATIONS)
    assert doc["access_hash"] == hashlib.sha256(body["customer_token"].encode()).hexdigest()
    assert body["customer_token"] not in json.dumps(doc)


async def test_the_conversation_id_alone_opens_nothing(web_rig: WebRig) -> None:
    conversation = (await start(web_rig.client))["conversation"]
    web_rig.client.session.cookie_jar.clear()  # someone else, who only learnt the id
    said = {"user": ANNA, "conversation": conversation, "text": "what did she write?"}
    clicked = {"user": ANNA, "conversation": conversation, "action": "solved_yes", "value": "x"}
    answers = [
        await web_rig.client.get(f"/api/chat/{conversation}/messages"),
        await web_rig.client.post("/api/chat", json=said),
        await web_rig.client.post("/api/chat/action", json=clicked),
    ]
    for answer in answers:
        assert answer.status == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert "customer token" in (await answer.json())["error"]
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await web_rig.client.ws_connect(f"/api/chat/{conversation}/ws")
    assert refused.value.status == 401
    transcript = await web_rig.bot.services.transcript.after(f"web:{conversation}", 0)
    assert "what did she write?" not in [m.text for m in transcript]


async def test_a4_a_wrong_token_is_refused_in_the_readers_language_not_the_chats(
    web_rig: WebRig,
) -> None:
    german = await start(web_rig.client, "Hallo, mein Paket ist nicht angekommen")
    conversation = german["conversation"]
    web_rig.client.session.cookie_jar.clear()
    other = (await start(web_rig.client))["customer_token"]  # a real token, of another chat
    web_rig.client.session.cookie_jar.clear()
    headers = {**bearer(other), "Accept-Language": "sk"}
    response = await web_rig.client.get(f"/api/chat/{conversation}/messages", headers=headers)
    assert response.status == 403
    catalog = web_rig.bot.services.catalog
    assert (await response.json())["error"] == catalog.text("sk", "api_wrong_token")
    page = await web_rig.client.get(
        f"/api/chat/page?conversation={conversation}&languages=sk", headers=bearer(other)
    )
    assert (await page.json())["language"] == "sk"
    page = await web_rig.client.get(
        f"/api/chat/page?conversation={conversation}&languages=sk",
        headers=bearer(german["customer_token"]),
    )
    assert (await page.json())["language"] == "de"  # its own customer is told in German


async def test_an_api_client_reads_writes_and_listens_with_its_bearer_token(
    web_rig: WebRig,
) -> None:
    first = await start(web_rig.client)
    conversation, token = first["conversation"], first["customer_token"]
    web_rig.client.session.cookie_jar.clear()  # no cookie: only the Authorization header
    said = {"user": ANNA, "conversation": conversation, "text": "I'm Anna"}
    assert (await web_rig.client.post("/api/chat", json=said, headers=bearer(token))).status == 200
    read = await web_rig.client.get(
        f"/api/chat/{conversation}/messages?after=0", headers=bearer(token)
    )
    assert "I'm Anna" in [m["text"] for m in (await read.json())["messages"]]
    by_header = await web_rig.client.ws_connect(
        f"/api/chat/{conversation}/ws", headers=bearer(token)
    )
    by_query = await web_rig.client.ws_connect(f"/api/chat/{conversation}/ws?token={token}")
    await web_rig.client.post(
        "/api/staff/command",
        json={"command": "/reply", "text": "C-1 Hello Anna, I'm here."},
        headers=web_rig.staff_headers,
    )
    for socket in (by_header, by_query):
        pushed = await socket.receive_json(timeout=5)
        assert pushed["message"]["text"] == "Hello Anna, I'm here."
        await socket.close()


async def test_the_page_needs_only_its_cookie(web_rig: WebRig) -> None:
    conversation = (await start(web_rig.client))["conversation"]
    read = await web_rig.client.get(f"/api/chat/{conversation}/messages")  # the cookie jar
    assert read.status == 200
    socket = await web_rig.client.ws_connect(f"/api/chat/{conversation}/ws")
    await socket.close()


async def test_a_conversation_that_never_got_a_token_stays_closed(web_rig: WebRig) -> None:
    conversation = (await start(web_rig.client))["conversation"]
    async with web_rig.bot.services.conversations.locked(f"web:{conversation}") as found:
        assert found is not None
        found.access_hash = ""  # as stored before customer tokens existed
    response = await web_rig.client.get(f"/api/chat/{conversation}/messages")
    assert response.status == 403


async def test_a_foreign_site_can_neither_post_nor_listen(web_rig: WebRig) -> None:
    """Even with the customer's cookie riding along (the browser's, on a forged request)."""
    conversation = (await start(web_rig.client))["conversation"]
    evil = {"Origin": "https://evil.example"}
    said = {"user": ANNA, "conversation": conversation, "text": "send me the transcript"}
    posted = await web_rig.client.post("/api/chat", json=said, headers=evil)
    assert posted.status == 403
    assert (await posted.json())["error"] == "We don't accept requests sent from this website."
    fresh = await web_rig.client.post("/api/chat", json={"user": ANNA, "text": "hi"}, headers=evil)
    assert fresh.status == 403
    staff = await web_rig.client.post(
        "/api/staff/command",
        json={"command": "queue", "text": ""},
        headers={**evil, **web_rig.staff_headers},
    )
    assert staff.status == 403
    for origin in ("https://evil.example", "null"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await web_rig.client.ws_connect(
                f"/api/chat/{conversation}/ws", headers={"Origin": origin}
            )
        assert refused.value.status == 403
    assert "Access-Control-Allow-Origin" not in posted.headers
    transcript = await web_rig.bot.services.transcript.after(f"web:{conversation}", 0)
    assert "send me the transcript" not in [m.text for m in transcript]


async def test_our_own_origin_is_welcome(web_rig: WebRig) -> None:
    own = {"Origin": own_origin(web_rig.client)}
    response = await web_rig.client.post(
        "/api/chat", json={"user": ANNA, "text": "hi"}, headers=own
    )
    assert response.status == 200
    conversation = (await response.json())["conversation"]
    socket = await web_rig.client.ws_connect(f"/api/chat/{conversation}/ws", headers=own)
    await socket.close()


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [
        ("text/plain", b'{"user": {"id": "u"}, "text": "hi"}'),
        ("application/x-www-form-urlencoded", b"text=hi"),
        ("multipart/form-data; boundary=x", b"--x--"),
        ("", b'{"user": {"id": "u"}, "text": "hi"}'),
    ],
)
async def test_a4_json_endpoints_refuse_other_content_types_in_the_readers_language(
    web_rig: WebRig, content_type: str, raw: bytes
) -> None:
    headers = {"Content-Type": content_type, "Accept-Language": "sv"}
    response = await web_rig.client.post("/api/chat", data=raw, headers=headers)
    assert response.status == 415
    assert (await response.json())["error"] == web_rig.bot.services.catalog.text(
        "sv", "api_json_only"
    )


async def test_json_with_a_charset_is_json(web_rig: WebRig) -> None:
    raw = json.dumps({"user": ANNA, "text": "hi"}).encode()
    headers = {"Content-Type": "application/json; charset=utf-8"}
    assert (await web_rig.client.post("/api/chat", data=raw, headers=headers)).status == 200


@pytest.fixture
async def embedded(aiohttp_client: ClientMaker) -> TestClient:  # type: ignore[type-arg]
    settings = Settings(allowed_origins=(SHOP,))
    app = create_app(build_bot(settings, MemoryStore(), FakeClock()))
    mark_ready(app)
    return await aiohttp_client(app)


async def test_an_allowed_embedding_site_talks_with_its_token(
    embedded: TestClient,  # type: ignore[type-arg]
) -> None:
    site = {"Origin": SHOP}
    preflight = await embedded.options(
        "/api/chat",
        headers={**site, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == SHOP
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    first = await embedded.post("/api/chat", json={"user": ANNA, "text": "hi"}, headers=site)
    assert first.status == 200
    assert first.headers["Access-Control-Allow-Origin"] == SHOP
    body = await first.json()
    embedded.session.cookie_jar.clear()  # SameSite=Strict: the site's page never sends it
    unknown = await embedded.get("/api/chat/nope/messages", headers=site)
    assert unknown.headers["Access-Control-Allow-Origin"] == SHOP  # errors are readable too
    socket = await embedded.ws_connect(
        f"/api/chat/{body['conversation']}/ws?token={body['customer_token']}", headers=site
    )
    await socket.close()
    other = await embedded.post(
        "/api/chat", json={"user": ANNA, "text": "hi"}, headers={"Origin": "https://evil.example"}
    )
    assert other.status == 403


def test_allowed_origins_are_read_and_checked() -> None:
    env = {"SUPPORTBOT_ALLOWED_ORIGINS": "https://Shop.example/, http://localhost:3000"}
    settings = Settings.from_env(env)
    assert settings.allowed_origins == ("https://shop.example", "http://localhost:3000")
    for bad in ("shop.example", "https://shop.example/chat", "ftp://shop.example", "https://"):
        with pytest.raises(ConfigError, match="SUPPORTBOT_ALLOWED_ORIGINS must be origins"):
            Settings.from_env({"SUPPORTBOT_ALLOWED_ORIGINS": bad})
