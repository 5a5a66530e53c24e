"""Staff members and their login tokens; only a token's hash is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from bot.models import Doc, Person
from bot.ports import Store

STAFF = "staff"
DEMO_ID = "demo"
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class StaffMember:
    """A person allowed to run staff commands; `accounts` maps platform -> user id."""

    id: str
    name: str
    accounts: dict[str, str]

    def person(self, platform: str = "web") -> Person:
        return Person(platform, self.accounts.get(platform, self.id), self.name)


class StaffDirectory:
    """Looks staff up by token or platform account; adds and removes members."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, staff_id: str, name: str) -> str:
        """Create or re-key a member; returns the new token (shown once, stored hashed)."""
        if not _ID.match(staff_id):
            raise ValueError("A staff id is 1-40 lower-case letters, digits, '.', '_' or '-'.")
        token = secrets.token_urlsafe(24)
        doc: Doc = {"id": staff_id, "name": name.strip() or staff_id, "token_sha256": _hash(token)}
        doc["accounts"] = {"web": staff_id}
        await self.store.put(STAFF, staff_id, doc)
        return token

    async def by_token(self, token: str) -> StaffMember | None:
        wanted = _hash(token)
        for doc in await self.store.find(STAFF):
            if hmac.compare_digest(doc.get("token_sha256", ""), wanted):
                return _member(doc)
        return None

    async def by_person(self, person: Person) -> StaffMember | None:
        for doc in await self.store.find(STAFF):
            if doc.get("accounts", {}).get(person.platform) == person.id:
                return _member(doc)
        return None

    async def all(self) -> list[StaffMember]:
        return [_member(doc) for doc in await self.store.find(STAFF)]

    async def remove(self, staff_id: str) -> bool:
        return await self.store.delete(STAFF, staff_id)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _member(doc: Doc) -> StaffMember:
    return StaffMember(doc["id"], doc["name"], dict(doc.get("accounts", {})))
