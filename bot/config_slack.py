"""The Slack settings: SLACK_* variables (the names Slack's own tools use) and the command name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_COMMAND = "/support"
_COMMAND = re.compile(r"^/[a-z0-9][a-z0-9_-]{0,30}$")


class SlackConfigError(ValueError):
    """A Slack setting is unusable; the message is one plain sentence."""


@dataclass(frozen=True)
class SlackSettings:
    """Tokens and endpoints of the Slack app; Slack is off while there is no bot token."""

    bot_token: str = ""
    signing_secret: str = ""
    app_token: str = ""  # set: Socket Mode; empty: HTTP mode at /slack/events
    api_url: str = DEFAULT_API_URL
    command: str = DEFAULT_COMMAND

    @property
    def enabled(self) -> bool:
        return bool(self.bot_token)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackSettings:
        """Read and check SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL
        and SUPPORTBOT_SLACK_COMMAND."""
        found = cls(
            bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-", "a bot token"),
            signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            app_token=_token(env, "SLACK_APP_TOKEN", "xapp-", "an app-level token"),
            api_url=_api_url(env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL),
            command=_command(env.get("SUPPORTBOT_SLACK_COMMAND", "").strip() or DEFAULT_COMMAND),
        )
        found.check()
        return found

    def check(self) -> None:
        """The combinations that cannot work."""
        if self.app_token and not self.bot_token:
            raise SlackConfigError(
                "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both "
                "(the bot token is on the app's OAuth & Permissions page)"
            )
        if self.bot_token and not self.app_token and not self.signing_secret:
            raise SlackConfigError(
                "SLACK_SIGNING_SECRET is needed in HTTP mode (SLACK_BOT_TOKEN is set without "
                "SLACK_APP_TOKEN): copy it from the app's Basic Information page, or set "
                "SLACK_APP_TOKEN to use Socket Mode"
            )


def _token(env: Mapping[str, str], name: str, prefix: str, kind: str) -> str:
    raw = env.get(name, "").strip()
    if raw and not raw.startswith(prefix):
        shown = raw[:5] + "..." if len(raw) > 5 else raw  # never echo a whole secret
        raise SlackConfigError(f"{name} must be {kind} starting with {prefix}, got {shown!r}")
    return raw


def _api_url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise SlackConfigError(f"SLACK_API_URL must start with http:// or https://, got {raw!r}")
    return raw if raw.endswith("/") else raw + "/"  # slack_sdk joins method names onto it


def _command(raw: str) -> str:
    name = raw if raw.startswith("/") else "/" + raw
    if not _COMMAND.match(name):
        raise SlackConfigError(
            "SUPPORTBOT_SLACK_COMMAND must be a slash command of up to 32 lower-case letters, "
            f"digits, '-' or '_', like /support, got {raw!r}"
        )
    return name
