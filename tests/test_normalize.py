"""Folding and per-language stemming used by the matcher."""

from __future__ import annotations

from bot.kb.normalize import analyze, fold, stem


def test_fold_removes_accents_tonos_and_final_sigma() -> None:
    assert fold("Πού είναι ΟΙ ΚΆΡΤΕΣ") == fold("που ειναι οι καρτεσ")
    assert fold("Überweisung Größe") == "uberweisung grosse"
    assert fold("Účet, kartička, ø, Å") == "ucet, karticka, o, a"


def test_snowball_stems_inflections() -> None:
    assert stem("karten", "de") == stem("karte", "de")
    assert stem("arrived", "en") == stem("arrive", "en")
    assert stem(fold("κάρτες"), "el") == stem(fold("κάρτα"), "el")
    assert stem("kortene", "da") == stem("kort", "da")


def test_unknown_language_leaves_words_alone() -> None:
    assert stem("cards", "xx") == "cards"


def test_analyze_adds_bigrams() -> None:
    assert analyze("Lost cards", "en") == ["lost", "card", "lost card"]
