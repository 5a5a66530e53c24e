"""The Discord settings: DISCORD_* variables (token and endpoints) and the bot's own choices."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_COMMAND = "support"
API_VERSION_PATH = "/api/v10"
_COMMAND = re.compile(r"^[a-z0-9_-]{1,32}$")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


class DiscordConfigError(ValueError):
    """A Discord setting is unusable; the message is one plain sentence."""


@dataclass(frozen=True)
class DiscordSettings:
    """The bot token, where Discord is (tests point these at a local fake), and the command
    name; Discord is off while there is no token."""

    token: str = ""
    api_url: str = ""  # REST base, e.g. http://127.0.0.1:5000/api/v10; "": discord.com
    gateway_url: str = ""  # e.g. ws://127.0.0.1:5000/gateway; "": Discord's gateway
    command: str = DEFAULT_COMMAND
    application_id: str = ""  # only `supportbot discord invite` needs it (else: from the API)
    message_content: bool = True  # ask for the privileged message_content intent

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DiscordSettings:
        """Read and check DISCORD_TOKEN, DISCORD_API_URL, DISCORD_GATEWAY_URL,
        DISCORD_APPLICATION_ID, SUPPORTBOT_DISCORD_COMMAND and
        SUPPORTBOT_DISCORD_MESSAGE_CONTENT."""

        def get(name: str) -> str:
            return env.get(name, "").strip()

        return cls(
            token=_token(get("DISCORD_TOKEN")),
            api_url=api_url(get("DISCORD_API_URL")),
            gateway_url=_gateway_url(get("DISCORD_GATEWAY_URL")),
            command=_command(get("SUPPORTBOT_DISCORD_COMMAND") or DEFAULT_COMMAND),
            application_id=_application_id(get("DISCORD_APPLICATION_ID")),
            message_content=_flag(get("SUPPORTBOT_DISCORD_MESSAGE_CONTENT")),
        )


def _token(raw: str) -> str:
    if raw.lower().startswith("bot ") or any(c.isspace() for c in raw):
        raise DiscordConfigError(
            "DISCORD_TOKEN must be the bot token alone, without 'Bot ' or spaces "
            "(copy it from the Developer Portal's Bot page)"
        )
    return raw


def api_url(raw: str) -> str:
    """The REST base discord.py uses: the host alone gets Discord's /api/v10 added."""
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DiscordConfigError(
            f"DISCORD_API_URL must start with http:// or https://, got {raw!r}"
        )
    base = raw.rstrip("/")
    return base if "/api/v" in parts.path else base + API_VERSION_PATH


def _gateway_url(raw: str) -> str:
    if raw and urlsplit(raw).scheme not in ("ws", "wss"):
        raise DiscordConfigError(
            f"DISCORD_GATEWAY_URL must start with ws:// or wss://, got {raw!r}"
        )
    return raw


def _command(raw: str) -> str:
    name = raw.removeprefix("/")
    if not _COMMAND.match(name):
        raise DiscordConfigError(
            "SUPPORTBOT_DISCORD_COMMAND must be a command name of up to 32 lower-case letters, "
            f"digits, '-' or '_', like support, got {raw!r}"
        )
    return name


def _application_id(raw: str) -> str:
    if raw and not raw.isdigit():
        raise DiscordConfigError(
            f"DISCORD_APPLICATION_ID must be the application's numeric id, got {raw!r}"
        )
    return raw


def _flag(raw: str) -> bool:
    if not raw or raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise DiscordConfigError(
        f"SUPPORTBOT_DISCORD_MESSAGE_CONTENT must be true or false, got {raw!r}"
    )
