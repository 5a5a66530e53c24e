"""The quiet window (B1) on its own: joined in order, never lost, never overtaking."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.quiet_window import QuietWindow, joined
from bot.config import ConfigError, Settings
from bot.models import Address, Incoming, Person

WINDOW = 0.15
HERE = Address("slack", "C1", "1.0")
ANNA = Person("slack", "U1", "Anna")


def said(text: str, *locales: str) -> Incoming:
    return Incoming.message(ANNA, HERE, text, locales)


class Answers:
    def __init__(self, delay: float = 0.0) -> None:
        self.texts: list[str] = []
        self.delay = delay

    async def __call__(self, incoming: Incoming) -> None:
        await asyncio.sleep(self.delay)
        self.texts.append(incoming.text)


async def test_b1_messages_within_the_window_are_one_answer_in_order() -> None:
    answers = Answers()
    window = QuietWindow(WINDOW, answers)
    for text in ("Hi", "my order 5512", "never came"):
        await window.add("k", said(text))
        await asyncio.sleep(WINDOW / 3)
    assert answers.texts == []
    await asyncio.sleep(WINDOW * 2)
    assert answers.texts == ["Hi\nmy order 5512\nnever came"]


async def test_b1_a_pause_longer_than_the_window_is_a_new_message() -> None:
    answers = Answers()
    window = QuietWindow(WINDOW, answers)
    await window.add("k", said("first"))
    await asyncio.sleep(WINDOW * 2)
    await window.add("k", said("second"))
    await asyncio.sleep(WINDOW * 2)
    assert answers.texts == ["first", "second"]


async def test_b1_typing_extends_the_wait_up_to_a_cap() -> None:
    answers = Answers()
    window = QuietWindow(WINDOW, answers, cap=3)
    await window.add("k", said("Hallo"))
    window.typing("k")
    await asyncio.sleep(WINDOW * 1.5)
    assert answers.texts == []  # typing: still waiting
    await asyncio.sleep(WINDOW * 2.5)
    assert answers.texts == ["Hallo"]  # but not forever


async def test_customers_do_not_share_a_window() -> None:
    answers = Answers()
    window = QuietWindow(WINDOW, answers)
    await window.add("anna", said("from Anna"))
    await window.add("ben", said("from Ben"))
    await asyncio.sleep(WINDOW * 2)
    assert sorted(answers.texts) == ["from Anna", "from Ben"]


async def test_a_flush_sends_now_and_waits_so_a_click_comes_after_the_words() -> None:
    answers = Answers(delay=0.02)
    window = QuietWindow(10.0, answers)
    await window.add("k", said("one"))
    await window.flush("k")
    assert answers.texts == ["one"]


async def test_closing_sends_what_still_waits_nothing_is_lost() -> None:
    answers = Answers()
    window = QuietWindow(10.0, answers)
    await window.add("k", said("last words"))
    await window.close()
    assert answers.texts == ["last words"]
    await window.add("k", said("after close"))  # answered at once once closed
    assert answers.texts == ["last words", "after close"]


async def test_a_joined_text_over_the_limit_goes_as_two_messages() -> None:
    answers = Answers()
    window = QuietWindow(WINDOW, answers, max_chars=12)
    await window.add("k", said("0123456789"))
    await window.add("k", said("abcdefghij"))
    await asyncio.sleep(WINDOW * 2)
    assert answers.texts == ["0123456789", "abcdefghij"]


async def test_a_slow_answer_is_not_overtaken_by_the_next() -> None:
    answers = Answers(delay=WINDOW * 2)
    window = QuietWindow(0.01, answers)
    await window.add("k", said("first"))
    await asyncio.sleep(0.05)
    await window.add("k", said("second"))
    await asyncio.sleep(WINDOW * 6)
    assert answers.texts == ["first", "second"]


async def test_a_failing_answer_does_not_stop_the_next() -> None:
    texts: list[str] = []

    async def flaky(incoming: Incoming) -> None:
        if incoming.text == "boom":
            raise RuntimeError("chat platform down")
        texts.append(incoming.text)

    window = QuietWindow(0.01, flaky)
    await window.add("k", said("boom"))
    await asyncio.sleep(0.05)
    await window.add("k", said("fine"))
    await asyncio.sleep(0.05)
    assert texts == ["fine"]


def test_joined_keeps_every_locale_once_in_order() -> None:
    one = joined([said("a", "de-AT"), said("b", "de-AT", "en")])
    assert (one.text, one.locales) == ("a\nb", ("de-AT", "en"))


def test_the_window_setting_is_read_and_checked() -> None:
    assert Settings.from_env({}).quiet_window_seconds == 2.5
    assert Settings.from_env({"SUPPORTBOT_QUIET_WINDOW_SECONDS": "0"}).quiet_window_seconds == 0
    for wrong in ("-1", "soon", "nan", "31"):
        with pytest.raises(ConfigError, match="SUPPORTBOT_QUIET_WINDOW_SECONDS must be"):
            Settings.from_env({"SUPPORTBOT_QUIET_WINDOW_SECONDS": wrong})
