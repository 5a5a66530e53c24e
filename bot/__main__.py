"""`supportbot` / `python -m bot`: run the bot or manage staff logins."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dotenv import load_dotenv

from bot.adapters.discord_invite import add_discord_parser, run_discord
from bot.adapters.slack_manifest import add_slack_parser, run_slack
from bot.cli_audit import add_audit_parsers, run_audit, run_retention_now
from bot.cli_customer import add_customer_parser, run_customer
from bot.cli_db import add_db_parser, run_db
from bot.cli_staff import add_staff_parser, run_staff
from bot.config import ConfigError, Settings
from bot.departments import DepartmentsError
from bot.kb.cli import add_kb_parser, run_kb
from bot.kb.loader import KnowledgeBaseError
from bot.reports.cli import add_report_parser, run_report
from bot.storage import StoreError

DESCRIPTION = """\
A customer-service bot for Slack, Discord and the built-in web chat.

Settings come from SUPPORTBOT_* variables in the environment or in .env
(see .env.example); the flags below override them."""

DATA_RIGHTS = {"customer": run_customer, "audit": run_audit, "retention": run_retention_now}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if (unreadable := _read_env_file(args.env_file)) is not None:
        return _fail(f"Configuration error: {unreadable}", 2)
    try:
        settings = _settings(args)
        level = settings.log_level if args.command == "run" else "WARNING"
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        if args.command == "staff":
            return asyncio.run(run_staff(settings, args))
        if args.command == "kb":
            return asyncio.run(run_kb(settings, args))
        if args.command == "discord":
            return run_discord(settings, args)
        if args.command == "slack":
            return run_slack(settings, args)
        if args.command == "db":
            return asyncio.run(run_db(settings, args))
        if args.command == "report":
            return asyncio.run(run_report(settings, args))
        if args.command in DATA_RIGHTS:  # customer export|delete, audit, retention run
            return asyncio.run(DATA_RIGHTS[args.command](settings, args))
        return _serve(settings)
    except ConfigError as error:
        return _fail(f"Configuration error: {error}", 2)
    except KnowledgeBaseError as error:
        return _fail(f"Not starting: {error}\nFix the files (check with `supportbot kb check`).", 1)
    except (StoreError, DepartmentsError) as error:
        return _fail(str(error), 1)
    except KeyboardInterrupt:
        pass
    return 0


def _serve(settings: Settings) -> int:
    """`supportbot run`; the server's modules (the matcher, the chat SDKs) load only here, so
    the other commands start quickly."""
    from bot.app import PortInUseError, serve

    try:
        asyncio.run(serve(settings))
    except PortInUseError as error:
        return _fail(str(error), 1)
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env(os.environ)
    return settings.with_overrides(
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        data_dir=getattr(args, "data_dir", None),
        db_dir=getattr(args, "db_dir", None),
        kb_dir=getattr(args, "kb", None),
    )


def _read_env_file(path: str) -> str | None:
    """Load the settings file into the environment; what is wrong with it, in one sentence."""
    try:
        load_dotenv(path, override=False, encoding="utf-8")
    except UnicodeDecodeError as error:
        return f"{path} is not UTF-8 text (byte {error.start + 1} is not valid); save it as UTF-8."
    except OSError as error:
        return f"cannot read {path}: {error.strerror or error}."
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="supportbot", description=DESCRIPTION, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--env-file", default=".env", help="settings file to read (default: .env)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run", help="start the bot: web chat, plus Slack/Discord if configured"
    )
    run.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=_port, help="port for the web chat (default 8080; 0: any free)")
    run.add_argument(
        "--data-dir", type=Path, help="knowledge base and configuration (default data/)"
    )
    run.add_argument("--db-dir", type=Path, help="where the database lives (default var/db/)")
    add_staff_parser(commands)
    add_kb_parser(commands)
    add_discord_parser(commands)
    add_slack_parser(commands)
    add_report_parser(commands)
    add_customer_parser(commands)
    add_audit_parsers(commands)
    add_db_parser(commands)
    return parser


def _port(raw: str) -> int:
    if not raw.isdigit() or not 0 <= int(raw) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 0 to 65535, not {raw!r}")
    return int(raw)


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
