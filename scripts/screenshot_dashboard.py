"""Take docs/dashboard.png: the dashboard of a live bot with ten days of generated history.

    .venv/bin/python -m scripts.screenshot_dashboard [--out docs/dashboard.png] [--upto .charts]

Needs Debian's chromium and chromium-driver (as the browser tests do). Runs offline, on a
random loopback port, in a temporary directory that is removed afterwards."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import chrome, wait_for
from tests.dashboard_live import Customers, prepare
from tests.live import live_bot

WIDTH = 1280
BOTTOM = "return Math.ceil(document.querySelector(arguments[0]).getBoundingClientRect().bottom)+16"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/dashboard.png"))
    parser.add_argument("--upto", default=".charts", help="CSS selector of the last part shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="supportbot-shot-") as temp:
        workdir = Path(temp)
        data = prepare(workdir)
        with live_bot(workdir, "--data-dir", str(data)) as bot, chrome() as driver:
            people = Customers(bot.base_url, bot.staff_token)
            people.resolved("stu", "Is there a student discount?", "billing", DISCOUNT)
            for user, text, department in WAITING:
                people.hand_over(user, text, department)
            driver.get(bot.base_url + "/dashboard")
            driver.find_element(By.ID, "token").send_keys(bot.staff_token, Keys.ENTER)
            wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "body[data-until]"), 30)
            wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'body[data-ws="open"]'))
            height = driver.execute_script(BOTTOM, args.upto)
            driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
            )
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
    print(f"Wrote {args.out}")


DISCOUNT = "Yes: 10% off with a valid student card; enter the card number at checkout."
WAITING = [
    ("ann", "My robot vacuum from another brand keeps hitting walls", "technical"),
    ("ben", "I was charged twice for order 5512", "billing"),
    ("cem", "The parcel tracking has not moved for four days", "orders"),
    ("dag", "Can I pay with crypto?", "billing"),
]

if __name__ == "__main__":
    main()
