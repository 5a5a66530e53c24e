"""A small kit for end-to-end tests in headless Chromium (selenium + Debian's chromium).

Usage in a test module::

    import pytest

    from tests.browser import chrome, wait_for_text

    pytestmark = pytest.mark.browser

    def test_page(live_server_url: str) -> None:
        with chrome() as driver:
            driver.get(live_server_url)
            wait_for_text(driver, "#messages", "Hello")

or as a fixture::

    @pytest.fixture
    def driver() -> Iterator[WebDriver]:
        with chrome() as d:
            yield d

The driver is started with an explicit chromedriver path, so Selenium Manager never
tries to download a browser or a driver. When Chromium or chromedriver is missing the
test is skipped (not failed) with a hint on how to install them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver as ChromeDriver
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import WebDriverWait

SKIP_REASON = (
    "headless Chromium not found: install Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver); .ci/run does this"
)

CHROME_ARGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

_BROWSER_CANDIDATES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")
_DRIVER_CANDIDATES: tuple[str, ...] = ("chromedriver",)


def _find_executable(preferred: str, names: tuple[str, ...]) -> str | None:
    """Return ``preferred`` if it is an executable file, else the first of ``names`` on PATH."""
    if os.path.isfile(preferred) and os.access(preferred, os.X_OK):
        return preferred
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary, or None."""
    return _find_executable("/usr/bin/chromium", _BROWSER_CANDIDATES)


def find_chromedriver() -> str | None:
    """Path of chromedriver, or None."""
    return _find_executable("/usr/bin/chromedriver", _DRIVER_CANDIDATES)


def chromium_available() -> bool:
    """True when both the browser and the driver were found (selenium importable too)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return find_chromium() is not None and find_chromedriver() is not None


@contextmanager
def chrome(
    *,
    width: int = 1280,
    height: int = 900,
    extra_args: tuple[str, ...] = (),
    page_load_timeout: float = 30.0,
    languages: str = "",
) -> Iterator[ChromeDriver]:
    """Start headless Chromium and yield a selenium ``WebDriver``; quit it afterwards.

    Each call uses a fresh temporary ``--user-data-dir`` (so localStorage and
    sessionStorage start empty) which is removed on exit. `languages` sets the browser's
    preferred languages ("de-DE,de"). Skips the calling test when
    Chromium, chromedriver or selenium is missing.
    """
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is a test dependency
        pytest.skip(SKIP_REASON)

    binary = find_chromium()
    driver_path = find_chromedriver()
    if binary is None or driver_path is None:
        if os.environ.get("SUPPORTBOT_REQUIRE_BROWSER"):
            pytest.fail("SUPPORTBOT_REQUIRE_BROWSER is set (CI) but " + SKIP_REASON)
        pytest.skip(SKIP_REASON)

    profile = Path(tempfile.mkdtemp(prefix="supportbot-chrome-"))
    options = Options()
    options.binary_location = binary
    for arg in (*CHROME_ARGS, *extra_args):
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    if languages:  # e.g. "de-DE,de": navigator.languages and Accept-Language
        options.add_argument(f"--lang={languages.split(',')[0]}")
        options.add_experimental_option("prefs", {"intl.accept_languages": languages})
    # Browser console messages, readable with driver.get_log("browser").
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})

    service = Service(executable_path=driver_path)
    driver: ChromeDriver | None = None
    try:
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(page_load_timeout)
        yield driver
    finally:
        if driver is not None:
            with contextlib.suppress(Exception):  # best effort cleanup
                driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver: WebDriver, timeout: float) -> WebDriverWait[WebDriver]:
    from selenium.webdriver.support.ui import WebDriverWait as _WebDriverWait

    return _WebDriverWait(driver, timeout, poll_frequency=0.1)


def wait_for(
    driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 10.0
) -> Any:
    """Wait until ``condition(driver)`` is truthy and return its value."""
    return _wait(driver, timeout).until(condition)


def wait_for_text(driver: WebDriver, css: str, text: str, timeout: float = 10.0) -> WebElement:
    """Wait until an element matching ``css`` contains ``text``; return that element.

    Raises selenium's ``TimeoutException`` with a message that includes the texts
    that were seen, which makes failures easy to read.
    """
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.common.by import By

    seen: list[str] = []

    def check(d: WebDriver) -> WebElement | bool:
        seen.clear()
        try:
            for element in d.find_elements(By.CSS_SELECTOR, css):
                content = element.text or element.get_attribute("textContent") or ""
                seen.append(content)
                if text in content:
                    return element
        except StaleElementReferenceException:
            return False
        return False

    try:
        found: WebElement = _wait(driver, timeout).until(check)  # type: ignore[assignment]
        return found
    except TimeoutException as exc:
        raise TimeoutException(
            f"text {text!r} not found in {css!r} within {timeout}s; seen: {seen!r}"
        ) from exc


def wait_for_element(driver: WebDriver, css: str, timeout: float = 10.0) -> WebElement:
    """Wait until an element matching ``css`` is present and visible; return it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    return _wait(driver, timeout).until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)))


def texts(driver: WebDriver, css: str) -> list[str]:
    """The visible text of every element matching ``css``."""

    # Read in one script: a page re-rendering between finding and reading an element would
    # otherwise raise StaleElementReferenceException.
    script = "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText)"
    return [str(text).strip() for text in driver.execute_script(script, css)]


def console_errors(driver: ChromeDriver) -> list[str]:
    """Browser console entries of level SEVERE (JS errors, failed requests)."""
    try:
        untyped: Any = driver  # get_log() has no annotations in selenium
        entries = untyped.get_log("browser")
    except Exception:  # pragma: no cover - not every driver supports logs
        return []
    return [str(e.get("message", "")) for e in entries if e.get("level") == "SEVERE"]
