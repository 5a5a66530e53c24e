"""Discord settings, `supportbot discord invite`, and how the adapter keeps connecting."""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest

from bot.__main__ import main
from bot.adapters.discord_adapter import DiscordAdapter, build_discord
from bot.adapters.discord_invite import application_id_from_api, invite_url
from bot.config import ConfigError, Settings
from bot.config_discord import DiscordSettings
from tests.discord_fake import APPLICATION_ID, serve
from tests.fakes import Harness

TOKEN = {"DISCORD_TOKEN": "MTAw.fake.token"}


def test_discord_is_off_without_a_token() -> None:
    discord_settings = Settings.from_env({}).discord
    assert not discord_settings.enabled
    assert (discord_settings.command, discord_settings.message_content) == ("support", True)
    assert (discord_settings.api_url, discord_settings.gateway_url) == ("", "")


def test_endpoints_command_and_intent_come_from_the_environment() -> None:
    found = Settings.from_env(
        TOKEN
        | {
            "DISCORD_API_URL": "http://127.0.0.1:9/",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/gateway",
            "DISCORD_APPLICATION_ID": "1234",
            "SUPPORTBOT_DISCORD_COMMAND": "/helpdesk",
            "SUPPORTBOT_DISCORD_MESSAGE_CONTENT": "false",
        }
    ).discord
    assert found.enabled
    assert found.api_url == "http://127.0.0.1:9/api/v10"  # discord.py's REST base
    assert found.gateway_url == "ws://127.0.0.1:9/gateway"
    assert (found.command, found.application_id, found.message_content) == (
        "helpdesk",
        "1234",
        False,
    )
    given = DiscordSettings.from_env(TOKEN | {"DISCORD_API_URL": "https://x.test/api/v10"})
    assert given.api_url == "https://x.test/api/v10"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISCORD_TOKEN": "Bot abc"}, "DISCORD_TOKEN must be the bot token alone"),
        (TOKEN | {"DISCORD_API_URL": "discord.com"}, "DISCORD_API_URL must start with http"),
        (TOKEN | {"DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL must start with ws"),
        (TOKEN | {"SUPPORTBOT_DISCORD_COMMAND": "Sup port"}, "SUPPORTBOT_DISCORD_COMMAND must"),
        (TOKEN | {"DISCORD_APPLICATION_ID": "my-app"}, "DISCORD_APPLICATION_ID must be"),
        (TOKEN | {"SUPPORTBOT_DISCORD_MESSAGE_CONTENT": "maybe"}, "must be true or false"),
    ],
)
def test_a_bad_discord_setting_is_one_plain_sentence(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_the_invite_link_asks_for_the_scopes_and_permissions_the_bot_needs() -> None:
    url = invite_url("1234")
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=1234&")
    assert "scope=bot+applications.commands" in url
    permissions = discord.Permissions(int(url.rsplit("permissions=", 1)[1]))
    wanted = (
        "read_messages",  # discord.py's name for View Channel
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "create_private_threads",
        "manage_threads",
        "embed_links",
        "read_message_history",
    )
    assert {name for name, on in permissions if on} == set(wanted)


def test_supportbot_discord_invite_prints_the_link(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_APPLICATION_ID", raising=False)
    assert main(["--env-file", "/nonexistent", "discord", "invite", "--application-id", "42"]) == 0
    assert capsys.readouterr().out.strip() == invite_url("42")
    assert main(["--env-file", "/nonexistent", "discord", "invite"]) == 1
    assert "--application-id" in capsys.readouterr().err


async def test_the_application_id_can_be_asked_from_discord() -> None:
    async with serve() as fake:
        settings = DiscordSettings(token=fake.token, api_url=fake.api_base)
        assert await application_id_from_api(settings) == str(APPLICATION_ID)
        with pytest.raises(LookupError):
            await application_id_from_api(DiscordSettings(token="wrong", api_url=fake.api_base))


async def test_the_adapter_is_only_built_with_a_token() -> None:
    bot = Harness().bot
    assert await build_discord(bot, Settings()) is None
    built = await build_discord(bot, Settings(discord=DiscordSettings(token="t")))
    assert isinstance(built, DiscordAdapter)


class StubClient:
    """Stands in for the discord.py client: fails as told, then runs until closed."""

    def __init__(self, outcome: BaseException | None, message_content: bool) -> None:
        self.outcome, self.message_content, self.closed = outcome, message_content, False

    async def start(self, token: str) -> None:
        if self.outcome is not None:
            raise self.outcome

    async def close(self) -> None:
        self.closed = True

    def is_ready(self) -> bool:
        return False


class ScriptedAdapter(DiscordAdapter):
    """An adapter whose clients fail in a given order."""

    def __init__(self, outcomes: list[BaseException | None], **settings: Any) -> None:
        super().__init__(Harness().bot, DiscordSettings(token="t", **settings), backoff=0.01)
        self.outcomes = outcomes
        self.made: list[StubClient] = []

    def new_client(self, message_content: bool) -> Any:
        client = StubClient(self.outcomes.pop(0), message_content)
        self.made.append(client)
        return client


async def test_without_the_intent_enabled_the_adapter_goes_on_without_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    adapter = ScriptedAdapter([discord.PrivilegedIntentsRequired(None), None])
    await adapter._run()
    assert [c.message_content for c in adapter.made] == [True, False]
    assert all(c.closed for c in adapter.made)
    assert "message_content intent is not enabled for this application" in caplog.text


async def test_a_failed_start_is_retried_and_a_rejected_token_is_not(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    flaky = ScriptedAdapter([OSError("network is down"), OSError("still down"), None])
    await flaky._run()
    assert len(flaky.made) == 3
    assert caplog.text.count("connection failed") == 2
    rejected = ScriptedAdapter([discord.LoginFailure("Improper token has been passed.")])
    await rejected._run()
    assert len(rejected.made) == 1
    assert "Discord rejected DISCORD_TOKEN" in caplog.text
