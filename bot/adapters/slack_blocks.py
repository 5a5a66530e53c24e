"""Replies and ticket cards as Block Kit messages, every typed text escaped and within limits."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.adapters.slack_text import escape, split_text
from bot.cards import Card
from bot.models import Button, Reply

Block = dict[str, Any]
Message = dict[str, Any]  # the `text` and `blocks` of a chat.postMessage / chat.update

CUSTOMER = "c"  # a button that answers the conversation's question: Incoming.click
STAFF = "s"  # a button that is a staff command with its arguments: Incoming.slash
ACTION_ID = re.compile(r"^(?P<kind>[cs]):\d+:(?P<action>.+)$")
HEADER_CHARS, BUTTON_CHARS, VALUE_CHARS, FIELD_CHARS = 150, 75, 2000, 2000
FIELDS_PER_SECTION, BUTTONS_PER_ROW = 10, 25


def action_id(kind: str, index: int, action: str) -> str:
    """Unique within a message (the index) and says whether a click is a command (the kind)."""
    return f"{kind}:{index}:{action}"


def parse_action_id(value: str) -> tuple[str, str] | None:
    """(kind, action) of one of our action ids, or None."""
    match = ACTION_ID.match(value)
    return (match["kind"], match["action"]) if match else None


def to_blocks(reply: Reply, kind: str = CUSTOMER) -> Message:
    """A reply as a message: author in bold, text in sections, buttons in action rows."""
    text = escape(reply.text)
    if reply.author:
        text = f"*{escape(reply.author)}*\n{text}"
    return text_message(text, reply.buttons, kind)


def text_message(escaped: str, buttons: Sequence[Button] = (), kind: str = CUSTOMER) -> Message:
    """Already escaped text (split into sections of at most 3000 characters) and buttons."""
    sections = [_section(piece) for piece in split_text(escaped) if piece]
    return {"text": _fallback(escaped), "blocks": [*sections, *_actions(buttons, kind)]}


def to_card_message(card: Card) -> Message:
    """A ticket's card: title, the customer's topic, the facts, and its buttons (commands)."""
    blocks: list[Block] = [_header(card.title)]
    if card.topic:
        blocks.append(_section(escape(card.topic)))
    for start in range(0, len(card.fields), FIELDS_PER_SECTION):
        fields = card.fields[start : start + FIELDS_PER_SECTION]
        blocks.append({"type": "section", "fields": [_field(k, v) for k, v in fields]})
    blocks.extend(_actions(card.buttons, STAFF, primary=True))
    return {"text": _fallback(escape(f"{card.title}: {card.topic}")), "blocks": blocks}


def _header(title: str) -> Block:
    text = title if len(title) <= HEADER_CHARS else title[: HEADER_CHARS - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _section(escaped: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": escaped}}


def _field(name: str, value: str) -> Block:
    text = f"*{escape(name)}*\n{escape(value)}"
    return {"type": "mrkdwn", "text": _within(text, FIELD_CHARS)}


def _actions(buttons: Sequence[Button], kind: str, primary: bool = False) -> list[Block]:
    elements = [_button(b, action_id(kind, i, b.action)) for i, b in enumerate(buttons)]
    if primary and elements:
        elements[0]["style"] = "primary"
    rows = _chunks(elements, BUTTONS_PER_ROW)
    return [{"type": "actions", "elements": row} for row in rows]


def _button(button: Button, action: str) -> Block:
    label = button.label.strip() or button.action
    if len(label) > BUTTON_CHARS:
        label = label[: BUTTON_CHARS - 1] + "…"
    element: Block = {"type": "button", "action_id": action}
    element["text"] = {"type": "plain_text", "text": label, "emoji": True}
    if button.value:
        element["value"] = button.value[:VALUE_CHARS]
    return element


def _fallback(escaped: str) -> str:
    """The notification text: the whole text when it is short, else its start."""
    return _within(escaped, 3000)


def _within(escaped: str, limit: int) -> str:
    if len(escaped) <= limit:
        return escaped
    return split_text(escaped, limit - 1)[0] + "…"


def _chunks(items: list[Block], size: int) -> Iterable[list[Block]]:
    return (items[i : i + size] for i in range(0, len(items), size))


def answered(blocks: list[Block], label: str) -> list[Block]:
    """A clicked question without its buttons, saying what was chosen (no second click)."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    if label:
        chosen = {"type": "mrkdwn", "text": f"→ {escape(label)}"}
        kept.append({"type": "context", "elements": [chosen]})
    return kept
