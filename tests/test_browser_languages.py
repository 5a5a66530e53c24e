"""The customer page in the visitor's language, in headless Chromium (issue 12, item 5): from
the browser's languages first, then following the conversation; `<html lang>`, labels,
placeholder, the company's name and the clock all change with it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser import chrome, console_errors, wait_for, wait_for_text
from tests.live import LiveBot, live_bot

pytestmark = pytest.mark.browser
TWELVE_HOUR = re.compile(r"AM|PM|a\.m\.|p\.m\.", re.IGNORECASE)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    with live_bot(Path(tmp_path_factory.mktemp("browser-languages"))) as bot:
        yield bot


def _page_language(driver: WebDriver, language: str) -> None:
    wait_for(
        driver, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    )


def test_a_german_browser_gets_a_german_page_and_a_24_hour_clock(served: LiveBot) -> None:
    with chrome(languages="de-DE,de") as driver:
        driver.get(served.base_url + "/")
        _page_language(driver, "de")
        assert driver.find_element(By.CSS_SELECTOR, ".brand__title").text == (
            "Kundenservice von Brightwave"
        )
        box = driver.find_element(By.ID, "message-input")
        assert box.get_attribute("placeholder") == "Ihre Nachricht…"
        assert "Brightwave" in driver.title
        box.send_keys("Hallo", Keys.ENTER)
        wait_for_text(driver, "#messages .msg--bot", "Wie")  # "Wie heißen Sie?" or similar
        author = wait_for_text(driver, "#messages .msg--customer .msg__author", "Sie")
        assert author.text == "Sie"
        times = [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#messages time")]
        assert times
        assert not any(TWELVE_HOUR.search(t) for t in times), times
        assert console_errors(driver) == []


def test_the_page_follows_the_language_the_customer_writes(served: LiveBot) -> None:
    with chrome(languages="en-US,en") as driver:
        driver.get(served.base_url + "/")
        _page_language(driver, "en")
        box = driver.find_element(By.ID, "message-input")
        box.send_keys("Γεια σας, θα ήθελα να ρωτήσω για την παραγγελία μου.", Keys.ENTER)
        _page_language(driver, "el")
        wait_for(
            driver,
            lambda d: (
                d.find_element(By.ID, "message-input").get_attribute("placeholder")
                != "Write your message…"
            ),
        )
        author = driver.find_element(By.CSS_SELECTOR, "#messages .msg--customer .msg__author")
        assert author.text != "You"
        driver.refresh()  # a returning visitor sees the conversation's language at once
        _page_language(driver, "el")
        assert console_errors(driver) == []
