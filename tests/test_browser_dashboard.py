"""The dashboard in headless Chromium against the real bot with ten days of history: the
figures shown equal `build_report` on the same store and window (G3, G4), the live queue
follows ticket changes, and an uncovered question becomes a published entry (G6)."""

from __future__ import annotations

import asyncio
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from bot.departments import load_departments
from bot.kb.loader import load_kb
from bot.reports.build import Report, build_report
from bot.reports.render import to_json_data
from bot.reports.sources import records_in
from bot.reports.window import window_named
from tests.browser import chrome, console_errors, texts, wait_for, wait_for_text
from tests.dashboard_live import Customers, prepare
from tests.live import call, live_bot

pytestmark = pytest.mark.browser

STUDENTS = "Is there a student discount?"
DISCOUNT = "Yes: 10% off with a valid student card; enter the card number at checkout."


def minutes(value: float | None) -> str:
    """As dashboard_view.js shows minutes."""
    if value is None:
        return "–"
    if value < 60:
        return f"{value:g} min"
    whole = math.floor(value + 0.5)
    return f"{whole // 60} h {whole % 60:02d} min"


def report_at(workdir: Path, data: Path, period: str, until: str) -> Report:
    """The report on the bot's store for the window that ended at `until`, like the CLI."""
    now = datetime.fromisoformat(until)
    departments = load_departments(data)
    entries = load_kb(data / "kb", frozenset(departments)).entries
    records = asyncio.run(records_in(workdir / "db", departments, entries, now))
    return build_report(records, window_named(period, now))


def figure(driver: WebDriver, name: str) -> tuple[str, str]:
    """(text shown, data-value) of a figure."""
    found = driver.find_element(By.CSS_SELECTOR, f'[data-figure="{name}"]')
    return found.text, str(found.get_attribute("data-value"))


def check_figures(driver: WebDriver, report: Report, scope: str) -> None:
    total = report.total
    assert figure(driver, f"{scope}.tickets_opened") == (
        str(total.tickets_opened),
        str(total.tickets_opened),
    )
    assert figure(driver, f"{scope}.tickets_closed")[0] == str(total.tickets_closed)
    median = to_json_data(report)["total"]["first_response"]["median_minutes"]
    assert figure(driver, f"{scope}.first_response.median_minutes")[0] == minutes(median)
    average = total.rating_average
    shown = f"{average:.2f}" if average is not None else "–"
    assert figure(driver, f"{scope}.rating_average")[0] == shown


def check_goals(driver: WebDriver, report: Report) -> None:
    status = {True: "Met", False: "Missed", None: "No data"}
    for section in report.sections:
        rows = driver.find_elements(By.CSS_SELECTOR, f'tr[data-department="{section.department}"]')
        shown = [[td.text for td in row.find_elements(By.CSS_SELECTOR, "td")] for row in rows]
        expected = [[section.name, g.name, g.goal, g.actual, status[g.met]] for g in section.goals]
        assert shown == expected
        assert len(expected) == 4


def open_dashboard_from_the_desk(driver: WebDriver, base: str, token: str) -> str:
    driver.get(base + "/staff")
    driver.find_element(By.ID, "token").send_keys(token, Keys.ENTER)
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'body[data-ws="open"]'))
    driver.find_element(By.LINK_TEXT, "Dashboard").click()  # the same tab: still signed in
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "body[data-until]"), 30)
    return str(driver.find_element(By.TAG_NAME, "body").get_attribute("data-until"))


def test_the_dashboard_shows_the_reports_figures(tmp_path: Path) -> None:
    data = prepare(tmp_path)
    with live_bot(tmp_path, "--data-dir", str(data)) as bot, chrome() as driver:
        people = Customers(bot.base_url, bot.staff_token)
        solved = people.resolved("stu", STUDENTS, "billing", DISCOUNT)
        _, waiting = people.hand_over("wal", "My robot vacuum hits the walls", "technical")

        until = open_dashboard_from_the_desk(driver, bot.base_url, bot.staff_token)
        report = report_at(tmp_path, data, "week", until)
        assert report.total.tickets_opened > 100
        check_figures(driver, report, "period")
        check_figures(driver, report_at(tmp_path, data, "today", until), "today")
        check_goals(driver, report)
        api: dict[str, Any] = call(f"{bot.base_url}/api/staff/dashboard", token=bot.staff_token)
        again = report_at(tmp_path, data, "week", api["window"]["until"])
        assert api["period"] == to_json_data(again)

        queue = '[data-queue="technical"] [data-ticket]'
        wait_for_text(driver, queue, waiting)
        people.staff("claim", waiting)  # pushed as a ticket change: the queue follows
        wait_for(driver, lambda d: waiting not in " ".join(texts(d, queue)), 10)
        assert len(driver.find_elements(By.CSS_SELECTOR, "#chart-volume rect")) == 2 * 8

        draft_from = f'#uncovered button[data-ticket="{solved}"]'
        driver.find_element(By.CSS_SELECTOR, draft_from).click()
        form = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "form.draft"))[0]
        answer = form.find_element(By.NAME, "answer")
        assert answer.get_attribute("value") == DISCOUNT
        answer.send_keys(" Online only.")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for_text(driver, "#drafts-status", "Published", timeout=60)
        assert f"{DISCOUNT} Online only." in people.ask("new", STUDENTS)
        assert console_errors(driver) == []
