"""Which lexicon entries a message's word keys satisfy, in order, with gaps and negation."""

from __future__ import annotations

from collections.abc import Iterator

from bot.signals_lexicon import EXCEPT, MAX_GAP, Entry, Lexicon, Slot

NEGATABLE = frozenset({"wants_person", "anger"})  # "I'm not angry", "I don't want a person"
NEGATION_WINDOW = 2  # words before an entry's first part that a negator may stand in
Keys = list[frozenset[str]]


def matches(keys: Keys, lex: Lexicon) -> list[tuple[str, str]]:
    """(section, terms that fired) of each entry found, minus those an exception overlaps."""
    found = list(_found(keys, lex))
    spans = [(entry.section, set(positions)) for entry, positions in found]
    return [
        (entry.section, _label(entry, positions, keys))
        for entry, positions in found
        if not entry.section.startswith(EXCEPT)
        and not any(span & set(positions) for name, span in spans if name == EXCEPT + entry.section)
    ]


def _found(keys: Keys, lex: Lexicon) -> Iterator[tuple[Entry, list[int]]]:
    present = frozenset().union(*keys)
    for entry in _candidates(lex, present):
        if all(slot.keys & present for slot in entry.slots):
            found = _occurrences(entry, keys, lex.negators)
            if entry.section.startswith(EXCEPT):
                # an exception covers every word from its first to its last occurrence
                spots = [at for positions in found for at in positions]
                found = iter([list(range(min(spots), max(spots) + 1))] if spots else [])
            positions = next(found, None)
            if positions:
                yield entry, positions


def _candidates(lex: Lexicon, present: frozenset[str]) -> list[Entry]:
    """The entries whose first part one of the message's keys can start, in lexicon order
    (only those can match; most of a lexicon never comes near a given message)."""
    starting = _starts(lex)
    found = sorted({at for key in present for at in starting.get(key, ())})
    return [lex.entries[at] for at in found]


def _starts(lex: Lexicon) -> dict[str, tuple[int, ...]]:
    """For each key, the entries (by position) whose first part accepts it; built once."""
    built = _STARTS.get(id(lex))
    if built is None or built[0] is not lex:
        grouped: dict[str, list[int]] = {}
        for at, entry in enumerate(lex.entries):
            for key in entry.slots[0].keys:
                grouped.setdefault(key, []).append(at)
        built = (lex, {key: tuple(ats) for key, ats in grouped.items()})
        _STARTS[id(lex)] = built
    return built[1]


_STARTS: dict[int, tuple[Lexicon, dict[str, tuple[int, ...]]]] = {}


def _occurrences(entry: Entry, keys: Keys, negators: frozenset[str]) -> Iterator[list[int]]:
    negatable = entry.section in NEGATABLE
    for start, word in enumerate(keys):
        if entry.slots[0].keys & word:
            for positions in _placements(entry.slots[1:], keys, [start]):
                if not (negatable and _negated(keys, positions, negators)):
                    yield positions


def _placements(slots: tuple[Slot, ...], keys: Keys, placed: list[int]) -> Iterator[list[int]]:
    if not slots:
        yield placed
        return
    slot, previous = slots[0], placed[-1]
    for at in range(previous + 1, min(previous + 1 + slot.gap, len(keys) - 1) + 1):
        if slot.keys & keys[at]:
            yield from _placements(slots[1:], keys, [*placed, at])


def _negated(keys: Keys, positions: list[int], negators: frozenset[str]) -> bool:
    span = range(max(0, positions[0] - NEGATION_WINDOW), positions[-1] + 1)
    return any(keys[at] & negators for at in span if at not in positions)


def _label(entry: Entry, positions: list[int], keys: Keys) -> str:
    parts = []
    for slot, at in zip(entry.slots, positions, strict=True):
        if slot.gap:
            parts.append("..." if slot.gap == MAX_GAP else f"..{slot.gap}")
        parts.append(next(term.lstrip("=~") for key, term in slot.terms if key in keys[at]))
    return " ".join(parts)
