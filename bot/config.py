"""Settings built from a mapping: os.environ in production, a plain dict in tests."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.config_discord import DiscordConfigError, DiscordSettings
from bot.config_slack import SlackConfigError, SlackSettings
from bot.kb.entries import LANGUAGES
from bot.limits import LimitError, Rate

PREFIX = "SUPPORTBOT_"


class ConfigError(ValueError):
    """A setting is present but unusable; the message says which and why."""


# Default flood limits (frozen values, shared safely): burst, then per minute.
PER_CONVERSATION, PER_ADDRESS = Rate(20, 30), Rate(60, 120)
NEW_CONVERSATIONS, STAFF_LOGINS, PER_CHAT_USER = Rate(10, 6), Rate(10, 5), Rate(15, 30)


@dataclass(frozen=True)
class Settings:
    """Everything the bot can be configured with; see .env.example."""

    host: str = "127.0.0.1"
    port: int = 8080
    data_dir: Path = Path("data")
    kb_dir: Path | None = None  # default: <data_dir>/kb
    db_dir: Path = Path("var/db")
    database_url: str = ""  # postgresql://...: PostgreSQL instead of the TinyDB files in db_dir
    company: str = "Brightwave"
    default_language: str = "en"
    max_message_chars: int = 4000
    log_level: str = "INFO"
    demo_staff: bool = True
    retention_days: int = 365  # closed conversations are anonymised after this; 0: never
    quiet_window_seconds: float = 2.5  # Slack/Discord: quick messages are answered once; 0: off
    # Flood limits ("<burst>/<per minute>"; 0: none); refused before anything is stored.
    limit_conversation: Rate = PER_CONVERSATION  # messages and clicks in one conversation
    limit_address: Rate = PER_ADDRESS  # web requests that post, per client address
    limit_new_conversations: Rate = NEW_CONVERSATIONS  # web conversations started per address
    limit_staff_logins: Rate = STAFF_LOGINS  # wrong staff tokens per address
    limit_chat_user: Rate = PER_CHAT_USER  # Slack and Discord messages per user
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For names the client
    allowed_origins: tuple[str, ...] = ()  # sites besides our own that may embed the web chat
    slack: SlackSettings = field(default_factory=SlackSettings)  # off without SLACK_BOT_TOKEN
    discord: DiscordSettings = field(default_factory=DiscordSettings)  # off without DISCORD_TOKEN

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read SUPPORTBOT_* variables; unknown ones are ignored, bad ones raise ConfigError."""
        values: dict[str, Any] = {}
        for name, parse in _PARSERS.items():
            raw = env.get(PREFIX + name.upper(), "").strip()
            if raw:
                values[name] = parse(PREFIX + name.upper(), raw)
        return cls(**values, slack=_slack(env), discord=_discord(env))

    @property
    def database_place(self) -> str:
        """host:port/database of SUPPORTBOT_DATABASE_URL (never its password); "" if unset."""
        return database_place(self.database_url) if self.database_url else ""

    @property
    def knowledge_dir(self) -> Path:
        return self.kb_dir if self.kb_dir is not None else self.data_dir / "kb"

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with the given non-None values replaced (command-line flags win)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _slack(env: Mapping[str, str]) -> SlackSettings:
    try:
        return SlackSettings.from_env(env)
    except SlackConfigError as error:
        raise ConfigError(str(error)) from error


def _discord(env: Mapping[str, str]) -> DiscordSettings:
    try:
        return DiscordSettings.from_env(env)
    except DiscordConfigError as error:
        raise ConfigError(str(error)) from error


def _int_between(low: int, high: int) -> Any:
    def parse(name: str, raw: str) -> int:
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise ConfigError(f"{name} must be a whole number from {low} to {high}, got {raw!r}")
        return int(raw)

    return parse


def _flag(name: str, raw: str) -> bool:
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _level(name: str, raw: str) -> str:
    level = raw.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"{name} must be DEBUG, INFO, WARNING or ERROR, got {raw!r}")
    return level


def _seconds_up_to(high: float) -> Any:
    def parse(name: str, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not 0 <= value <= high:  # nan and inf fail here too
            raise ConfigError(f"{name} must be a number of seconds from 0 to {high:g}, got {raw!r}")
        return value

    return parse


def _text(name: str, raw: str) -> str:
    return raw


def _rate(name: str, raw: str) -> Rate:
    try:
        return Rate.parse(name, raw)
    except LimitError as error:
        raise ConfigError(str(error)) from None


def _addresses(name: str, raw: str) -> tuple[str, ...]:
    found = tuple(part.strip() for part in raw.split(",") if part.strip())
    for address in found:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            message = f"{name} must be IP addresses separated by commas, got {address!r}"
            raise ConfigError(message) from None
    return found


def database_place(url: str) -> str:
    """host:port/database of a postgresql:// URL, never its password."""
    try:
        parts = urlsplit(url)
        return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"
    except ValueError:  # a port that is not a number
        return "the configured database"


def _database_url(name: str, raw: str) -> str:
    if not raw.startswith(("postgresql://", "postgres://")):
        raise ConfigError(f"{name} must be a postgresql://user:password@host:port/database URL")
    return raw


def _origins(name: str, raw: str) -> tuple[str, ...]:
    """Web origins such as https://www.example.com: a scheme and a host, nothing after."""
    found = tuple(part.strip().rstrip("/").lower() for part in raw.split(",") if part.strip())
    for origin in found:
        scheme, _, host = origin.partition("://")
        if scheme not in ("http", "https") or not host or any(c in host for c in "/?#@ "):
            message = f"{name} must be origins like https://www.example.com, got {origin!r}"
            raise ConfigError(message)
    return found


def _language(name: str, raw: str) -> str:
    """One of the languages the bot speaks (the catalogs in bot/locales)."""
    code = raw.strip().lower()
    if code not in LANGUAGES:
        choices = ", ".join(sorted(LANGUAGES))
        raise ConfigError(f"{name} must be one of {choices}, got {raw!r}")
    return code


def _path(name: str, raw: str) -> Path:
    return Path(raw).expanduser()


_PARSERS: dict[str, Any] = {
    "host": _text,
    "port": _int_between(0, 65535),
    "data_dir": _path,
    "kb_dir": _path,
    "db_dir": _path,
    "database_url": _database_url,
    "company": _text,
    "default_language": _language,
    "max_message_chars": _int_between(100, 40000),
    "log_level": _level,
    "demo_staff": _flag,
    "retention_days": _int_between(0, 36500),
    "quiet_window_seconds": _seconds_up_to(30),
    "limit_conversation": _rate,
    "limit_address": _rate,
    "limit_new_conversations": _rate,
    "limit_staff_logins": _rate,
    "limit_chat_user": _rate,
    "trusted_proxies": _addresses,
    "allowed_origins": _origins,
}
