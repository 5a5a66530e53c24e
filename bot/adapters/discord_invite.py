"""`supportbot discord invite`: the OAuth2 link that adds the bot to a server with the
scopes and permissions it needs."""

from __future__ import annotations

import argparse
import asyncio
import sys
from urllib.parse import urlencode

import aiohttp
import discord

from bot.config import Settings
from bot.config_discord import DiscordSettings

AUTHORIZE_URL = "https://discord.com/oauth2/authorize"
DEFAULT_API = "https://discord.com/api/v10"
SCOPES = ("bot", "applications.commands")
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    create_private_threads=True,
    manage_threads=True,
    embed_links=True,
    read_message_history=True,
)


def invite_url(application_id: str) -> str:
    """The link a server admin opens to add the bot."""
    query = {
        "client_id": application_id,
        "scope": " ".join(SCOPES),
        "permissions": str(PERMISSIONS.value),
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


async def application_id_from_api(settings: DiscordSettings) -> str:
    """Ask Discord which application DISCORD_TOKEN belongs to."""
    url = (settings.api_url or DEFAULT_API) + "/oauth2/applications/@me"
    headers = {"Authorization": f"Bot {settings.token}"}
    timeout = aiohttp.ClientTimeout(total=15)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(url, headers=headers) as answer,
    ):
        if answer.status == 401:
            raise LookupError("Discord rejected DISCORD_TOKEN")
        answer.raise_for_status()
        return str((await answer.json())["id"])


def add_discord_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    discord_parser = commands.add_parser("discord", help="Discord: the invite link")
    actions = discord_parser.add_subparsers(dest="discord_command", required=True, metavar="ACTION")
    invite = actions.add_parser(
        "invite",
        help="print the link that adds the bot to a server (scopes bot and "
        "applications.commands, and the permissions it needs)",
    )
    invite.add_argument(
        "--application-id",
        help="the application id (default: DISCORD_APPLICATION_ID, else asked from Discord "
        "with DISCORD_TOKEN)",
    )


def run_discord(settings: Settings, args: argparse.Namespace) -> int:
    """Print the invite link; exit code 1 when the application id cannot be found."""
    application_id = args.application_id or settings.discord.application_id
    if not application_id and settings.discord.token:
        try:
            application_id = asyncio.run(application_id_from_api(settings.discord))
        except (LookupError, aiohttp.ClientError, OSError, TimeoutError) as error:
            print(f"Could not ask Discord for the application id: {error}", file=sys.stderr)
            return 1
    if not application_id or not str(application_id).isdigit():
        print(
            "Give the application id: --application-id <id> or DISCORD_APPLICATION_ID "
            "(Developer Portal > your application > General Information), or set DISCORD_TOKEN.",
            file=sys.stderr,
        )
        return 1
    print(invite_url(str(application_id)), flush=True)
    return 0
