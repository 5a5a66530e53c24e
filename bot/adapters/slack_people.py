"""Who a Slack user is: names and locales fetched once and cached, user groups for staff lists."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack_chat import FAILURES
from bot.adapters.slack_events import person, profile_name
from bot.models import Person

log = logging.getLogger(__name__)
MAX_NAMES = 10_000
GROUPS_TTL = 300.0  # seconds before user groups are read again


@dataclass(frozen=True)
class Profile:
    """What users.info says of someone: the name people see and their Slack language."""

    name: str = ""
    locale: str = ""  # a BCP 47 tag such as "de-DE"; "" when Slack did not say


class People:
    """Names and locales by user id (users.info once per user, concurrent lookups share one
    call) and, when a department lists "group:<id>", the user groups each user is in."""

    def __init__(self, client: AsyncWebClient, with_groups: bool = False) -> None:
        self.client, self.with_groups = client, with_groups
        self._profiles: OrderedDict[str, Profile] = OrderedDict()
        self._pending: dict[str, asyncio.Task[Profile]] = {}
        self._groups: dict[str, tuple[str, ...]] = {}
        self._groups_read = float("-inf")

    async def person(self, user: str, hint: str = "", staff: bool = False) -> Person:
        """The user with their name (and, for staff commands, their user groups)."""
        groups = await self.groups(user) if staff else ()
        return person(user, await self.name(user, hint), groups)

    async def name(self, user: str, hint: str = "") -> str:
        """Their display name; `hint` is one Slack sent along (shared channels); "" if unknown."""
        return (await self.profile(user, hint)).name

    async def locale(self, user: str) -> str:
        """Their Slack language ("" if unknown), from the same cached lookup as the name."""
        return (await self.profile(user)).locale

    async def profile(self, user: str, hint: str = "") -> Profile:
        """Name and locale; a `hint` saves the call (Slack sends no locale with it)."""
        if hint and user not in self._profiles:
            self._keep(user, Profile(hint))
        if user in self._profiles:
            self._profiles.move_to_end(user)
            return self._profiles[user]
        task = self._pending.get(user)
        if task is None:
            task = self._pending[user] = asyncio.create_task(self._fetch(user))
            task.add_done_callback(lambda _: self._pending.pop(user, None))
        return await asyncio.shield(task)

    async def names(self, users: Iterable[str]) -> dict[str, str]:
        """Names of several users (e.g. those a message mentions)."""
        return {user: await self.name(user) for user in users}

    async def groups(self, user: str) -> tuple[str, ...]:
        """The user groups `user` belongs to (read again every few minutes)."""
        if not self.with_groups:
            return ()
        if time.monotonic() - self._groups_read > GROUPS_TTL:
            await self._read_groups()
        return self._groups.get(user, ())

    async def _fetch(self, user: str) -> Profile:
        try:
            found = (await self.client.users_info(user=user, include_locale=True))["user"]
        except FAILURES as error:
            log.warning("Slack: cannot look up user %s (%s); going without a name", user, error)
            return Profile()  # not cached: the next message asks again
        name = profile_name(found.get("profile")) or profile_name(found)
        profile = Profile(name, str(found.get("locale") or ""))
        self._keep(user, profile)
        return profile

    def _keep(self, user: str, profile: Profile) -> None:
        self._profiles[user] = profile
        if len(self._profiles) > MAX_NAMES:
            self._profiles.popitem(last=False)

    async def _read_groups(self) -> None:
        self._groups_read = time.monotonic()
        try:
            answer = await self.client.usergroups_list(include_users=True)
        except FAILURES as error:
            log.warning("Slack: cannot read user groups (%s); keeping what was known", error)
            return
        members: dict[str, list[str]] = {}
        for group in answer.get("usergroups") or []:
            for user in group.get("users") or []:
                members.setdefault(str(user), []).append(str(group["id"]))
        self._groups = {user: tuple(ids) for user, ids in members.items()}
