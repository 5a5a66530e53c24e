"""The openings corpus (tests/data/openings.jsonl, written fresh in six languages): every
line through the real core, with and without the platform's locale (A1, A2, A4)."""

from __future__ import annotations

import asyncio

import pytest

from tests.openings import Tally, sample_parts, score

LANGUAGE_WITH_PRIOR = 0.98
LANGUAGE_WITHOUT_PRIOR = 0.92
NAMES = 0.95


@pytest.fixture(scope="module")
def tallies() -> tuple[dict[str, Tally], dict[str, Tally]]:
    async def both() -> tuple[dict[str, Tally], dict[str, Tally]]:
        parts = await sample_parts()
        return await score(parts, prior=True), await score(parts, prior=False)

    return asyncio.run(both())


def _misses(tally: Tally) -> list[str]:
    return [f"{m.opening.text!r} -> {m.language} {m.name!r}" for m in tally.misses]


def test_the_corpus_covers_six_languages_with_forty_openings_each(
    tallies: tuple[dict[str, Tally], dict[str, Tally]],
) -> None:
    with_prior, _ = tallies
    assert sorted(with_prior) == ["da", "de", "el", "en", "sk", "sv"]
    assert all(t.total >= 40 for t in with_prior.values())


def test_a4_the_language_is_right_with_the_platform_locale(
    tallies: tuple[dict[str, Tally], dict[str, Tally]],
) -> None:
    for language, tally in tallies[0].items():
        assert tally.language / tally.total >= LANGUAGE_WITH_PRIOR, (language, _misses(tally))


def test_a4_the_language_is_right_from_the_text_alone(
    tallies: tuple[dict[str, Tally], dict[str, Tally]],
) -> None:
    for language, tally in tallies[1].items():
        assert tally.language / tally.total >= LANGUAGE_WITHOUT_PRIOR, (language, _misses(tally))


def test_a2_the_name_is_read_right(tallies: tuple[dict[str, Tally], dict[str, Tally]]) -> None:
    for language, tally in tallies[1].items():
        assert tally.names / tally.total >= NAMES, (language, _misses(tally))


def test_a1_no_greeting_is_handed_to_a_person_or_taken_as_a_request(
    tallies: tuple[dict[str, Tally], dict[str, Tally]],
) -> None:
    for tallied in tallies:
        for language, tally in tallied.items():
            assert tally.greetings_handed_over == 0, language
            assert tally.greetings_as_topic == 0, language
