"""Customer words are inert on Discord (issue 13, item 6): a masked link, a heading or a quote
in a customer's text or name reaches staff as the characters typed, on cards and in threads."""

from __future__ import annotations

import pytest

from bot.adapters.discord_embeds import card_embed, relayed_text
from bot.cards import Card

EVIL = "[Reset your password](http://evil.example/reset)"
TEXTS = [EVIL, "# Huge heading", "-# tiny text", "> quoted", "||spoiler||", "**loud**"]


@pytest.mark.parametrize("text", TEXTS)
def test_relayed_text_is_shown_as_typed(text: str) -> None:
    [part] = relayed_text(EVIL, text)
    head, body = part.split("\n", 1)
    assert "\\[" in head  # the name: no masked link either
    assert body.startswith("\\"), body  # each starts with a markdown marker: now escaped
    assert body.replace("\\", "") == text


def test_a_card_shows_customer_words_as_typed() -> None:
    card = Card("T-1", f"Ticket T-1 · {EVIL}", (("Customer", EVIL),), EVIL, (), False)
    embed = card_embed(card)
    assert embed.title is not None
    assert "\\[Reset" in embed.title
    assert embed.description == "\\" + EVIL
    assert embed.fields[0].value == "\\" + EVIL


def test_plain_links_stay_clickable() -> None:
    [part] = relayed_text("Alice", "see https://status.example/path_with_underscores")
    assert part.endswith("see https://status.example/path_with_underscores")
