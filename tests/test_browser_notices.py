"""Staff notices on the desk, end to end in headless Chromium against the real bot.

The desk signs in as the demo staff member; the test drives a conversation and the staff
commands over the JSON API. The sample departments name "demo" as every senior contact,
so an escalation is pushed to the open desk as a notice.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser import chrome, console_errors, texts, wait_for, wait_for_text
from tests.live import call, live_bot

pytestmark = pytest.mark.browser

ESCALATED = "T-1001 was escalated to you by Demo Agent: customer charged three times"
HANDED_BACK = "T-1001 is now yours (handed over by Olga Other: back to you)"
TO_OLGA = "please check the card"


def add_staff(workdir: Path, staff_id: str, name: str) -> str:
    """`supportbot staff add` before the bot starts; returns the new login token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUPPORTBOT_")}
    command = [sys.executable, "-m", "bot", "--env-file", str(workdir / "none.env"), "staff"]
    done = subprocess.run(
        [*command, "--db-dir", str(workdir / "db"), "add", "--name", name, staff_id],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=30,
    )
    match = re.search(r"login token \(shown only now\): (\S+)", done.stdout)
    assert match, done.stdout + done.stderr
    return match.group(1)


def notice_texts(driver: WebDriver) -> list[str]:
    return texts(driver, "#notices .notice .notice__text")


def test_an_escalation_notice_shows_on_the_desk_and_opens_the_ticket(tmp_path: Path) -> None:
    olga = add_staff(tmp_path, "olga", "Olga Other")
    with live_bot(tmp_path) as bot, chrome() as driver:
        base, token = bot.base_url, bot.staff_token

        def staff(command: str, text: str, as_token: str = token) -> None:
            call(f"{base}/api/staff/command", {"command": command, "text": text}, as_token)

        driver.get(base + "/staff")
        driver.find_element(By.ID, "token").send_keys(token, Keys.ENTER)
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'body[data-ws="open"]'))
        assert driver.find_element(By.ID, "notices").get_attribute("aria-live") == "assertive"
        assert notice_texts(driver) == []

        user = {"id": "u-notice", "name": "Nina"}
        first = call(
            f"{base}/api/chat",
            {"user": user, "text": "My robot vacuum from another brand keeps hitting walls"},
        )
        call(
            f"{base}/api/chat/action",
            {
                "conversation": first["conversation"],
                "user": user,
                "action": "pick_department",
                "value": "billing",
            },
            first["customer_token"],
        )
        staff("claim", "T-1001")
        staff("escalate", "T-1001 customer charged three times")

        notice = wait_for_text(driver, "#notices .notice", ESCALATED)
        assert notice.find_element(By.CSS_SELECTOR, "time").text.strip()
        assert driver.title.startswith("(1) ")
        assert driver.find_element(By.ID, "notices-count").text == "(1)"

        open_button = notice.find_element(By.CSS_SELECTOR, ".notice__open")
        assert open_button.text == "Open T-1001"
        open_button.click()
        result = wait_for_text(driver, "#results .result", "T-1001 · claimed")
        assert "/ticket T-1001" in result.text

        # A notice for another staff member reaches this socket too, but is not shown; the
        # next one for "demo" is pushed after it, so once that shows the other was handled.
        staff("handover", f"T-1001 olga {TO_OLGA}")
        staff("handover", "T-1001 demo back to you", as_token=olga)
        wait_for_text(driver, "#notices .notice", HANDED_BACK)
        shown = notice_texts(driver)
        assert len(shown) == 2, shown
        assert HANDED_BACK in shown[0]
        assert shown[1] == ESCALATED
        assert not any(TO_OLGA in text for text in shown)
        assert driver.title.startswith("(2) ")

        for _ in range(2):
            driver.find_element(By.CSS_SELECTOR, "#notices .notice__dismiss").click()
        wait_for(driver, lambda d: not notice_texts(d))
        assert driver.find_element(By.ID, "notices-head").get_attribute("hidden") is not None
        assert not driver.title.startswith("(")

        assert console_errors(driver) == []
