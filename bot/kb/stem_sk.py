"""A light suffix-stripping stemmer for Slovak (Snowball has none)."""

from __future__ import annotations

# In the spirit of Dolamic & Savoy's light Czech stemmer: strip case, number and common verb
# endings only, never derivational suffixes, so over-stemming stays rare. Suffixes are given
# without diacritics because the normaliser folds them away before stemming (customers often
# type Slovak without them). Longest suffixes first; the first that fits wins.
_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        (
            # adjective and pronoun endings
            "ejsieho",
            "ejsiemu",
            "ejsich",
            "ejsimi",
            "ejsia",
            "ejsie",
            "ejsi",
            "ovho",
            "ovmu",
            "ych",
            "ymi",
            "eho",
            "emu",
            "ich",
            "imi",
            "ym",
            "im",
            "ovat",
            # noun endings
            "ami",
            "ach",
            "iam",
            "iach",
            "ov",
            "om",
            "ou",
            "ej",
            "ie",
            "ia",
            "iu",
            "mi",
            "am",
            "a",
            "e",
            "i",
            "o",
            "u",
            "y",
            # verb endings (present, infinitive, l-participle, imperative)
            "ujeme",
            "ujete",
            "ujem",
            "ujes",
            "uje",
            "uju",
            "eme",
            "ete",
            "ime",
            "ite",
            "ame",
            "ate",
            "em",
            "es",
            "is",
            "as",
            "at",
            "et",
            "it",
            "ut",
            "ila",
            "ilo",
            "ili",
            "il",
            "ala",
            "alo",
            "ali",
            "al",
            # verbal nouns ("zablokovanie" should meet "zablokovat")
            "ovanie",
            "ovania",
            "ovaniu",
            "ovanim",
            "anie",
            "ania",
            "aniu",
            "anim",
        ),
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 3  # shorter stems would merge unrelated words ("ma", "mi", ...)


def stem_slovak(word: str) -> str:
    """The word (lower-case, diacritics folded) without its inflectional ending."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return _drop_soft_vowel(word[: -len(suffix)])
    return word


def _drop_soft_vowel(stem: str) -> str:
    # "karti" (from "kartiach"-like forms) and "kart" should meet; a trailing i/y is
    # usually the remains of a longer ending.
    if len(stem) > _MIN_STEM and stem[-1] in "iy":
        return stem[:-1]
    return stem
