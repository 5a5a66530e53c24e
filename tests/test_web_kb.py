"""The web chat answers sample questions in all six languages with confirm-answer-check."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.adapters.web import create_app, mark_ready
from bot.config import Settings
from bot.departments import load_departments
from bot.kb.live import LiveKnowledgeBase
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.conftest import ClientMaker
from tests.fakes import FakeClock

DATA = Path(__file__).parent.parent / "data"

# Phrasings written for this test, not copied from the knowledge base.
QUESTIONS = [
    (
        "en",
        "hi, how long will it take for my parcel to get here",
        "delivery-times-costs",
    ),
    (
        "de",
        "Hallo, ich habe mein Passwort vergessen und komme nicht mehr rein",
        "reset-password",
    ),
    ("da", "Hej, hvordan sender jeg en vare retur?", "return-item"),
    ("sv", "Hej! Hur gör jag för att lämna tillbaka en produkt?", "return-item"),
    ("el", "Γεια σας, πώς μπορώ να επιστρέψω ένα προϊόν;", "return-item"),
    ("sk", "Dobrý deň, zabudol som heslo, ako si ho obnovím?", "reset-password"),
]


@pytest.fixture(scope="module")
def sample_kb() -> LiveKnowledgeBase:
    departments = frozenset(load_departments(DATA))
    return asyncio.run(LiveKnowledgeBase.open(DATA / "kb", departments))


async def ask(client: TestClient, text: str) -> dict[str, Any]:  # type: ignore[type-arg]
    user = {"id": "u-1", "name": "Alex"}
    response = await client.post("/api/chat", json={"user": user, "text": text})
    assert response.status == 200
    body: dict[str, Any] = await response.json()
    return body


@pytest.mark.parametrize(("language", "text", "entry_id"), QUESTIONS)
async def test_a4_b2_c1_c2_sample_questions_in_every_language(
    aiohttp_client: ClientMaker,
    sample_kb: LiveKnowledgeBase,
    language: str,
    text: str,
    entry_id: str,
) -> None:
    bot = build_bot(Settings(), MemoryStore(), FakeClock(), kb=sample_kb)
    app = create_app(bot)
    mark_ready(app)
    client = await aiohttp_client(app)
    replies = (await ask(client, text))["replies"]
    catalog = bot.services.catalog
    entry = sample_kb.entry(entry_id)
    assert entry is not None
    understood = catalog.text(language, "kb_understood", topic=entry.topic(language))
    assert replies[1]["text"] == f"{understood}\n\n{entry.answer(language)}"
    assert replies[2]["text"] == catalog.text(language, "kb_did_it_help")
    assert [b["action"] for b in replies[2]["buttons"]] == ["kb_yes", "kb_no"]
    greeting = catalog.text(language, "greet_named", name="Alex", company="Brightwave")
    assert replies[0]["text"] == greeting
