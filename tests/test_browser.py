"""End to end in headless Chromium against the real `supportbot run` process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import chrome, console_errors, wait_for, wait_for_text
from tests.live import LiveBot, live_bot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    with live_bot(Path(tmp_path_factory.mktemp("browser"))) as bot:
        yield bot


def test_a1_the_customer_page_greets_and_asks_for_the_name(served: LiveBot) -> None:
    with chrome() as driver:
        driver.get(served.base_url + "/")
        box = driver.find_element(By.ID, "message-input")
        box.send_keys("Hello there", Keys.ENTER)
        wait_for_text(driver, "#messages .msg--bot", "I'm the Brightwave support bot")
        wait_for_text(driver, "#messages .msg--bot", "What's your name?")
        box.send_keys("Anna", Keys.ENTER)
        wait_for_text(driver, "#messages .msg--bot", "Nice to meet you, Anna.")
        assert console_errors(driver) == []


def test_staff_reply_reaches_the_open_customer_page_without_reload(served: LiveBot) -> None:
    with chrome() as customer, chrome() as staff:
        customer.get(served.base_url + "/")
        customer.find_element(By.ID, "message-input").send_keys(
            "Hi, I'm <b>Bo</b>. My <img src=x onerror=alert(1)> parcel is late", Keys.ENTER
        )
        wait_for_text(customer, "#messages .msg--bot", "What's your name?")
        customer.find_element(By.ID, "message-input").send_keys("Bo", Keys.ENTER)
        wait_for_text(customer, "#messages .msg--bot", "asking about: a delayed or missing parcel")
        yes = wait_for_text(customer, "#messages .msg-button", "Yes, thanks")
        yes.click()
        wait_for_text(customer, "#messages .msg--bot", "Glad I could help!")
        wait_for(
            customer,
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ws") == "open",
        )

        staff.get(served.base_url + "/staff")
        staff.find_element(By.ID, "token").send_keys(served.staff_token, Keys.ENTER)
        item = wait_for_text(staff, "#conv-list button.conv", "Bo")
        item.click()
        wait_for_text(staff, "#transcript-list", "<img src=x onerror=alert(1)>")
        assert staff.find_elements(By.CSS_SELECTOR, "#transcript-list img") == []
        staff.find_element(By.ID, "reply-input").send_keys(
            "Checking with the courier now.", Keys.ENTER
        )

        wait_for_text(customer, "#messages .msg--staff", "Checking with the courier now.")
        assert console_errors(customer) == []
        assert console_errors(staff) == []
