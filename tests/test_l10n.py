"""Plurals, durations, dates and times from CLDR via Babel (G5): no "1 Minuten", the
locale's own clock and weekday names, and the same sentences in the core's replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Catalog
from bot.l10n import date_time, duration, duration_in, time_of_day, weekday
from tests.fakes import Harness

BERLIN_MONDAY = datetime(2026, 11, 23, 17, 30, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    ("locale", "one", "two", "five"),
    [
        ("de", "1 Minute", "2 Minuten", "5 Minuten"),
        ("da", "1 minut", "2 minutter", "5 minutter"),
        ("sv", "1 minut", "2 minuter", "5 minuter"),
        ("sk", "1 minúta", "2 minúty", "5 minút"),
        ("el", "1 λεπτό", "2 λεπτά", "5 λεπτά"),
        ("en_GB", "1 minute", "2 minutes", "5 minutes"),
    ],
)
def test_g5_minutes_take_the_plural_form_of_the_number(
    locale: str, one: str, two: str, five: str
) -> None:
    minutes = [duration(timedelta(minutes=n), locale) for n in (1, 2, 5)]
    assert minutes == [one, two, five]


def test_durations_are_never_zero_and_long_estimates_are_not_falsely_exact() -> None:
    assert duration(timedelta(seconds=5), "de") == "1 Minute"
    assert duration(timedelta(minutes=97), "de") == "1 Stunde, 37 Minuten"
    assert "37" not in duration(timedelta(minutes=97), "de", approximate=True)
    assert duration(timedelta(hours=5, minutes=10), "sk", approximate=True) == "5 hodín"


def test_g5_clocks_and_weekdays_are_the_locales_own() -> None:
    assert time_of_day(BERLIN_MONDAY, "de") == "17:30"
    assert time_of_day(BERLIN_MONDAY, "sk") == "17:30"
    assert time_of_day(BERLIN_MONDAY, "da") == "17.30"
    assert weekday(BERLIN_MONDAY, "de") == "Montag"
    assert weekday(BERLIN_MONDAY, "sk") == "pondelok"
    assert weekday(BERLIN_MONDAY, "el") == "Δευτέρα"
    assert date_time(BERLIN_MONDAY, "de") == "Montag, 23. November, 17:30 MEZ"
    assert date_time(BERLIN_MONDAY, "sv") == "måndag 23 november 17:30 CET"
    assert "PM" not in date_time(BERLIN_MONDAY, "en_GB")


def test_a_utc_timestamp_read_back_is_named_utc_not_an_offset() -> None:
    at = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert date_time(at, "en_GB").endswith("11:00 UTC")


def test_an_unknown_locale_falls_back_to_english_instead_of_failing() -> None:
    assert duration(timedelta(minutes=2), "xx") == "2 minutes"


def test_a_localized_value_is_rendered_in_the_language_of_the_phrase() -> None:
    catalog = Catalog.load()
    wait = duration_in(timedelta(minutes=1))
    german = catalog.text("de", "queue_wait", position=1, wait=wait)
    slovak = catalog.text("sk", "queue_wait", position=1, wait=duration_in(timedelta(minutes=5)))
    assert "1 Minute." in german
    assert "Minuten" not in german
    assert "5 minút" in slovak


async def test_g5_the_customer_hears_the_hold_in_their_own_plural() -> None:
    h = Harness(name="Jana")
    await h.say("Balík mi prišiel poškodený a neviem, čo mám teraz robiť.")
    assert (await h.conversation()).language == "sk"
    await h.command("claim")
    await h.command("hold", "5 overiť stav zásielky u prepravcu")
    asked = (await h.transcript())[-1].text
    assert "5 minút" in asked
    assert "min." not in asked
    started = await h.click("hold_ok", "T-1001")
    assert started == ["Ďakujeme. Ozveme sa čo najskôr, maximálny čas čakania je 5 minút."]
