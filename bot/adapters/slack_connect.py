"""Reaching Slack: checked with backoff at start-up, watched while running, logged plainly."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_chat import FAILURES

log = logging.getLogger("supportbot.slack")
MAX_BACKOFF = 60.0
WATCH_INTERVAL = 10.0
REJECTED = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
    | {"not_allowed_token_type", "missing_scope", "invalid_token"}
)


async def until_reachable(
    client: AsyncWebClient, app_token: str = "", backoff: float = 1.0
) -> dict[str, Any] | None:
    """auth.test (and, for Socket Mode, the app token) until Slack answers; None when Slack
    rejects a token, which no retry fixes."""
    delay = backoff
    while True:
        try:
            who = await client.auth_test()
            if app_token:
                await client.apps_connections_open(app_token=app_token)
            return dict(who.data) if isinstance(who.data, dict) else {}
        except SlackApiError as error:
            if str(error.response.get("error")) in REJECTED:
                _rejected(str(error.response.get("error")), app_token)
                return None
            log.warning("Slack is not answering (%s); retrying in %.0f s", _why(error), delay)
        except FAILURES as error:
            log.warning("Slack is unreachable (%s); retrying in %.0f s", _why(error), delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_BACKOFF)


async def run_socket_mode(app: AsyncApp, app_token: str, backoff: float) -> None:
    """Connect over Socket Mode once Slack answers, then log when the connection drops and
    comes back (slack_sdk reconnects by itself). Runs until cancelled."""
    who = await until_reachable(app.client, app_token, backoff)
    if who is None:
        return
    handler = AsyncSocketModeHandler(app, app_token)
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack: connected as @%s to %s (Socket Mode)", who.get("user"), who.get("team"))
        await _watch(handler)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def check_http_mode(client: AsyncWebClient, backoff: float) -> None:
    """HTTP mode needs no connection; say whether the token works, retrying until it does."""
    who = await until_reachable(client, "", backoff)
    if who is not None:
        log.info(
            "Slack: connected as @%s to %s (HTTP mode: events at /slack/events)",
            who.get("user"),
            who.get("team"),
        )


async def _watch(handler: AsyncSocketModeHandler) -> None:
    connected = True
    while True:
        await asyncio.sleep(WATCH_INTERVAL)
        now = await handler.client.is_connected()
        if now != connected:
            if now:
                log.info("Slack: Socket Mode connection is back")
            else:
                log.warning("Slack: Socket Mode connection lost; reconnecting (web chat is fine)")
        connected = now


def _rejected(error: str, app_token: str) -> None:
    which = "SLACK_BOT_TOKEN or SLACK_APP_TOKEN" if app_token else "SLACK_BOT_TOKEN"
    log.error(
        "Slack rejected %s (%s): Slack stays off until the token is fixed and the bot restarted; "
        "the web chat keeps working",
        which,
        error,
    )


def _why(error: BaseException) -> str:
    if isinstance(error, SlackApiError):
        return f"{error.response.status_code} {error.response.get('error')}"
    return str(error) or type(error).__name__
