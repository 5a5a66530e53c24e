"""The Slack fake, proven with the real slack_sdk and slack_bolt clients over loopback."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.slack_fake import (
    FORM_TYPE,
    SlackFake,
    action_body,
    block_action_payload,
    command_body,
    command_payload,
    event_body,
    event_payload,
    post_signed,
    sign,
)

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-A1-1-test"
SECRET = "signing-secret"
MENTION = {"type": "app_mention", "user": "U1", "text": "<@UBOT> help", "channel": "C1"}
MENTION |= {"ts": "1700000000.000100", "event_ts": "1700000000.000100"}


@pytest.fixture
async def fake() -> AsyncIterator[SlackFake]:
    async with SlackFake() as slack:
        slack.add_user("U1", "anna", real_name="Anna Berg", display_name="Anna")
        yield slack


def web_client(fake: SlackFake, **kwargs: Any) -> AsyncWebClient:
    """A real slack_sdk client talking to the fake."""
    return AsyncWebClient(token=BOT_TOKEN, base_url=fake.url, **kwargs)


def bolt_app(fake: SlackFake) -> AsyncApp:
    """A Bolt app whose Web API client talks to the fake (the token goes on the client)."""
    return AsyncApp(client=web_client(fake), signing_secret=SECRET)


@asynccontextmanager
async def serve(app: AsyncApp) -> AsyncIterator[str]:
    """Mount the Bolt app through slack_bolt's aiohttp adapter; yield its events URL."""

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    server = TestServer(web_app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/slack/events"))
    finally:
        await server.close()


# ----- Web API with slack_sdk -----


async def test_post_message_and_users_info_through_the_sdk(fake: SlackFake) -> None:
    client = web_client(fake)
    first = await client.chat_postMessage(channel="C1", text="hello")
    second = await client.chat_postMessage(channel="C1", text="reply", thread_ts=first["ts"])
    assert (first["channel"], first["message"]["text"]) == ("C1", "hello")
    assert second["ts"] > first["ts"]
    assert second["message"]["thread_ts"] == first["ts"]
    assert [m["text"] for m in fake.messages("C1")] == ["hello", "reply"]
    user = (await client.users_info(user="U1"))["user"]
    assert (user["profile"]["display_name"], user["profile"]["real_name"]) == ("Anna", "Anna Berg")
    assert [call["user"] for call in fake.calls("users.info")] == ["U1"]
    assert fake.calls("chat.postMessage")[0].token == BOT_TOKEN


async def test_auth_test_answers_who_the_bot_is(fake: SlackFake) -> None:
    answer = await web_client(fake).auth_test()
    assert (answer["user_id"], answer["bot_id"], answer["team_id"]) == ("UBOT", "BBOT", "T1")
    assert (answer["url"], answer["team"], answer["user"]) == (
        "https://fake.slack.com/",
        "Fake Team",
        "supportbot",
    )


async def test_update_ephemeral_and_dm_channels(fake: SlackFake) -> None:
    client = web_client(fake)
    posted = await client.chat_postMessage(channel="C1", text="old")
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="new")
    assert updated["message"]["text"] == "new" == fake.history["C1"][posted["ts"]]["text"]
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    assert ephemeral["message_ts"] > posted["ts"]
    opened = await client.conversations_open(users="U1")
    assert opened["channel"]["id"] == "DU1"
    info = await client.conversations_info(channel="DU1")
    assert info["channel"]["is_im"] is True
    dm = await client.chat_postMessage(channel="U1", text="to Anna")
    assert dm["channel"] == "DU1"


async def test_errors_answer_like_slack(fake: SlackFake) -> None:
    client = web_client(fake)
    with pytest.raises(SlackApiError) as missing:
        await client.chat_update(channel="C1", ts="1.000001", text="x")
    assert missing.value.response["error"] == "message_not_found"
    with pytest.raises(SlackApiError) as unknown:
        await client.api_call("nope.never")
    assert unknown.value.response["error"] == "unknown_method"
    fake.fail("users.info", "user_not_visible")
    with pytest.raises(SlackApiError) as injected:
        await client.users_info(user="U1")
    assert injected.value.response["error"] == "user_not_visible"
    with pytest.raises(SlackApiError) as no_token:
        await AsyncWebClient(base_url=fake.url).auth_test()
    assert no_token.value.response["error"] == "not_authed"


async def test_form_bodies_and_query_parameters_are_merged(fake: SlackFake) -> None:
    form = {"token": BOT_TOKEN, "channel": "C9", "blocks": '[{"type": "divider"}]'}
    async with aiohttp.ClientSession() as session:
        url = fake.url + "chat.postMessage?text=hi"
        async with session.post(url, data=form) as response:
            assert response.content_type == "application/json"
            assert (await response.json())["ok"] is True
    call = fake.calls("chat.postMessage")[0]
    assert (call["text"], call["channel"], call.token) == ("hi", "C9", BOT_TOKEN)
    assert call["blocks"] == [{"type": "divider"}]


# ----- rate limits -----


async def test_a_429_is_retried_by_the_sdk_after_retry_after(fake: SlackFake) -> None:
    fake.rate_limit("chat.postMessage", times=1, retry_after=1)
    client = web_client(fake, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])
    answer = await client.chat_postMessage(channel="C1", text="patience")
    assert answer["ok"] is True
    limited, retried = fake.calls("chat.postMessage")
    assert (limited.status, retried.status) == (429, 200)
    assert retried.at - limited.at >= 1.0


async def test_a_429_without_a_retry_handler_is_an_error(fake: SlackFake) -> None:
    fake.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        await web_client(fake).chat_postMessage(channel="C1", text="x")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    assert limited.value.response["error"] == "ratelimited"


async def test_channel_pacing_limits_fast_posts_and_records_the_gaps(fake: SlackFake) -> None:
    fake.pace_channels(min_interval=0.05)
    client = web_client(fake)
    await client.chat_postMessage(channel="C1", text="one")
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="too soon")
    await client.chat_postMessage(channel="C2", text="other channel is fine")
    await fake.wait_for(lambda: time.monotonic() - fake.post_times("C1")[-1] >= 0.05)
    await client.chat_postMessage(channel="C1", text="two")
    assert [m["text"] for m in fake.messages("C1")] == ["one", "two"]
    assert (fake.min_gap("C1") or 0) >= 0.05


# ----- response_url -----


async def test_response_url_answers_ok_like_slack(fake: SlackFake) -> None:
    response = await AsyncWebhookClient(fake.response_url("r 1")).send(text="done")
    assert (response.status_code, response.body) == (200, "ok")
    assert fake.responses("r 1") == [{"text": "done"}]


# ----- Bolt over HTTP -----


async def test_bolt_receives_a_signed_event_and_replies_into_the_fake(fake: SlackFake) -> None:
    app = bolt_app(fake)

    @app.event("app_mention")
    async def mention(event: dict[str, Any], say: Any) -> None:
        await say(text="How can I help?", thread_ts=event["ts"])

    async with serve(app) as url, aiohttp.ClientSession() as session:
        status, _ = await post_signed(session, url, event_body(MENTION, "Ev1"), SECRET)
        assert status == 200
        [reply] = await fake.wait_for(lambda: fake.messages("C1"))
    assert (reply["text"], reply["thread_ts"]) == ("How can I help?", MENTION["ts"])
    assert len(fake.calls("auth.test")) == 1


async def test_a_bad_or_stale_signature_gets_401(fake: SlackFake) -> None:
    app = bolt_app(fake)
    body = event_body(MENTION, "Ev2")
    async with serve(app) as url, aiohttp.ClientSession() as session:
        assert (await post_signed(session, url, body, "wrong-secret"))[0] == 401
        stale = int(time.time()) - 600
        assert (await post_signed(session, url, body, SECRET, timestamp=stale))[0] == 401
    assert fake.log == []


async def test_a_slash_command_and_a_button_respond_to_the_response_url(fake: SlackFake) -> None:
    app = bolt_app(fake)

    @app.command("/support")
    async def command(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        await ack()
        await respond(f"You asked: {command['text']}")

    @app.action("pick")
    async def pick(ack: Any, respond: Any, action: dict[str, Any]) -> None:
        await ack()
        await respond(f"Picked {action['value']}")

    command_url, action_url = fake.response_url("cmd"), fake.response_url("act")
    click = block_action_payload("pick", "billing", response_url=action_url)
    async with serve(app) as url, aiohttp.ClientSession() as session:
        body = command_body(text="refund", response_url=command_url)
        assert (await post_signed(session, url, body, SECRET, FORM_TYPE))[0] == 200
        assert (await post_signed(session, url, action_body(click), SECRET, FORM_TYPE))[0] == 200
        await fake.wait_for(lambda: fake.responses("cmd") and fake.responses("act"))
    assert fake.responses("cmd")[0]["text"] == "You asked: refund"
    assert fake.responses("act")[0]["text"] == "Picked billing"


def test_sign_is_slacks_v0_scheme() -> None:
    # The example from Slack's "Verifying requests from Slack" documentation.
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect"
        b"&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554"
        b"%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    headers = sign("8f742231b10e8888abcd99yyyzzz85a5", body, 1531420618)
    assert headers["X-Slack-Request-Timestamp"] == "1531420618"
    assert headers["X-Slack-Signature"] == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


# ----- Socket Mode -----


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk's Socket Mode client honours HTTP(S)_PROXY (and not NO_PROXY)."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_proxy_env")
async def test_socket_mode_round_trip_with_bolt(fake: SlackFake) -> None:
    app = bolt_app(fake)

    @app.event("app_mention")
    async def mention(say: Any) -> None:
        await say("Hi from Socket Mode")

    @app.command("/support")
    async def command(ack: Any) -> None:
        await ack("On it")

    handler = AsyncSocketModeHandler(app, APP_TOKEN)
    await handler.connect_async()  # type: ignore[no-untyped-call]  # bolt leaves it unannotated
    try:
        await fake.socket_connected()
        event_id = await fake.socket_send("events_api", event_payload(MENTION, "Ev3"))
        assert (await fake.socket_ack(event_id)) == {"envelope_id": event_id}
        await fake.wait_for(lambda: fake.messages("C1"))
        command_id = await fake.socket_send("slash_commands", command_payload(text="x"))
        assert (await fake.socket_ack(command_id))["payload"] == {"text": "On it"}
        await fake.socket_disconnect()
        await fake.socket_connected(count=2)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
    assert fake.messages("C1")[0]["text"] == "Hi from Socket Mode"
    assert [call.token for call in fake.calls("apps.connections.open")] == [APP_TOKEN] * 2
