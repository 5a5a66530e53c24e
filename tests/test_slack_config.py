"""Slack settings from the environment, the app manifest and `supportbot slack manifest`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.adapters.slack_manifest import manifest, manifest_yaml
from bot.config import ConfigError, Settings

ROOT = Path(__file__).parent.parent
HTTP = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}


def test_slack_is_off_without_a_bot_token() -> None:
    slack = Settings.from_env({}).slack
    assert not slack.enabled
    assert (slack.api_url, slack.command) == ("https://slack.com/api/", "/support")


def test_socket_mode_when_an_app_token_is_set_and_http_mode_otherwise() -> None:
    socket_mode = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert socket_mode.slack.enabled
    assert socket_mode.slack.socket_mode
    http = Settings.from_env(HTTP | {"SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert http.slack.enabled
    assert not http.slack.socket_mode
    assert http.slack.api_url == "http://127.0.0.1:9/api/"  # slack_sdk needs the trailing slash
    named = Settings.from_env(HTTP | {"SUPPORTBOT_SLACK_COMMAND": "helpdesk"})
    assert named.slack.command == "/helpdesk"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            "SLACK_SIGNING_SECRET is needed in HTTP mode (SLACK_BOT_TOKEN is set without "
            "SLACK_APP_TOKEN): copy it from the app's Basic Information page, or set "
            "SLACK_APP_TOKEN to use Socket Mode",
        ),
        (
            {"SLACK_APP_TOKEN": "xapp-1"},
            "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both "
            "(the bot token is on the app's OAuth & Permissions page)",
        ),
        (
            HTTP | {"SLACK_BOT_TOKEN": "xoxp-user-token-secret"},
            "SLACK_BOT_TOKEN must be a bot token starting with xoxb-, got 'xoxp-...'",
        ),
        (
            HTTP | {"SLACK_APP_TOKEN": "xoxb-2"},
            "SLACK_APP_TOKEN must be an app-level token starting with xapp-, got 'xoxb-...'",
        ),
        (
            HTTP | {"SLACK_API_URL": "slack.local"},
            "SLACK_API_URL must start with http:// or https://, got 'slack.local'",
        ),
        (
            HTTP | {"SUPPORTBOT_SLACK_COMMAND": "/Support Desk"},
            "SUPPORTBOT_SLACK_COMMAND must be a slash command of up to 32 lower-case letters, "
            "digits, '-' or '_', like /support, got '/Support Desk'",
        ),
    ],
)
def test_unusable_slack_settings_are_one_plain_sentence(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env)
    assert str(error.value) == message


def test_the_committed_manifest_is_what_the_cli_prints() -> None:
    committed = (ROOT / "slack" / "manifest.yaml").read_text(encoding="utf-8")
    assert committed == manifest_yaml("/support")
    assert yaml.safe_load(committed) == manifest("/support")


def test_the_manifest_asks_for_what_the_adapter_uses() -> None:
    socket_mode = manifest("/support")
    settings = socket_mode["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"] == {"is_enabled": True}
    assert set(settings["event_subscriptions"]["bot_events"]) >= {"app_mention", "message.im"}
    scopes = set(socket_mode["oauth_config"]["scopes"]["bot"])
    assert scopes >= {"chat:write", "commands", "users:read", "im:write", "channels:history"}
    http = manifest("/helpdesk", "https://bot.example.com/slack/events")
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert http["features"]["slash_commands"][0]["url"].endswith("/slack/events")


def test_supportbot_slack_manifest_uses_the_configured_command(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "SUPPORTBOT_SLACK_COMMAND": "/helpdesk"}
    command = [sys.executable, "-m", "bot", "--env-file", str(tmp_path / "none.env")]
    result = subprocess.run(
        [*command, "slack", "manifest"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == manifest_yaml("/helpdesk")
