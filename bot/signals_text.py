"""A message's words as match keys (obfuscation undone, typos tolerated) and its shouting cues."""

from __future__ import annotations

import re

from bot.kb.normalize import fold, stem
from bot.signals_lexicon import Lexicon
from bot.signals_terms import ANCHORS, near_keys

# A word may hide letters behind symbols ("f*ck", "sh1t", "a$$hole", "b!tch").
_TOKEN = re.compile(r"[^\W_](?:[\w*#@$]|!(?=[^\W_]))*")
_LEET = str.maketrans("013457@$!", "oieastasi")
_LEET_CHARS = frozenset("013457@$!")
_MASK = frozenset("*#")
_STRETCHED = re.compile(r"([^\W\d_])\1{2,}")  # "soooo", "fuuuck"
_SPELLED_MIN = 3  # "f u c k": at least this many single letters in a row form one word
_EXCLAMATION_RUN = re.compile(r"[!?¡][!?¡1]*")
_EXCLAMATIONS_RUN_MIN, _EXCLAMATIONS_TOTAL = 3, 4
_SHOUT_LETTERS, _SHOUT_SHARE, _SHOUT_RUN = 12, 0.7, 3
_ANGRY_EMOJI = frozenset("😡😠🤬👿💢😤")
_RUDE_EMOJI = frozenset("🖕")
Keys = list[frozenset[str]]


def message_words(text: str) -> list[str]:
    """Folded words, with leet spelling undone, stretched letters cut and spelled words joined."""
    words = [_clean(match.group()) for match in _TOKEN.finditer(fold(text))]
    return _join_spelled(words)


def word_keys(words: list[str], lex: Lexicon, fuzzy: bool, ignore: frozenset[str]) -> Keys:
    """Each word's match keys for one lexicon, between the message start and end anchors."""
    keys = [_keys(word, lex, fuzzy) if word not in ignore else frozenset() for word in words]
    return [frozenset({ANCHORS[0]}), *keys, frozenset({ANCHORS[1]})]


def exclaims(text: str) -> bool:
    """A run like "!!!" or "?!!", or many exclamation marks in all."""
    runs = (run for run in _EXCLAMATION_RUN.findall(text) if run.count("!") >= 2)
    long_run = any(len(run) >= _EXCLAMATIONS_RUN_MIN for run in runs)
    return long_run or text.count("!") >= _EXCLAMATIONS_TOTAL


def angry_emoji(text: str) -> bool:
    """An angry face or anger symbol."""
    return not _ANGRY_EMOJI.isdisjoint(text)


def rude_emoji(text: str) -> bool:
    """A rude gesture."""
    return not _RUDE_EMOJI.isdisjoint(text)


def shouts(text: str) -> bool:
    """Mostly capitals over enough letters, or a run of capitalised words ("WHERE IS MY ORDER")."""
    letters = [char for char in text if char.isalpha()]
    if len(letters) >= _SHOUT_LETTERS and _upper_share(letters) >= _SHOUT_SHARE:
        return True
    run: list[str] = []
    for word in re.findall(r"[^\W\d_]{2,}", text):
        run = [*run, word] if word.isupper() else []
        if len(run) >= _SHOUT_RUN and sum(map(len, run)) >= _SHOUT_LETTERS:
            return True
    return False


def _upper_share(letters: list[str]) -> float:
    return sum(char.isupper() for char in letters) / len(letters)


def _clean(word: str) -> str:
    if word[0].isalpha() and not _LEET_CHARS.isdisjoint(word[1:]):
        word = word.translate(_LEET)
    return _STRETCHED.sub(r"\1", word)


def _join_spelled(words: list[str]) -> list[str]:
    joined: list[str] = []
    letters: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        joined += ["".join(letters)] if len(letters) >= _SPELLED_MIN else letters
        letters = []
        joined += [word] if word else []
    return joined


def _keys(word: str, lex: Lexicon, fuzzy: bool) -> frozenset[str]:
    if not _MASK.isdisjoint(word):
        return _masked_keys(word, lex)
    stemmed = word if word in lex.unstemmed else stem(word, lex.language)
    keys = {"=" + word, "s:" + stemmed}
    keys.update(key for n in range(2, len(word) + 1) for key in ("p:" + word[:n], "x:" + word[-n:]))
    if fuzzy and word not in lex.unstemmed:
        keys.update(near_keys(word, lex.fuzzy))
    return frozenset(keys)


def _masked_keys(word: str, lex: Lexicon) -> frozenset[str]:
    if not word[0].isalpha() or sum(char.isalpha() for char in word) < 2:
        return frozenset()
    pattern = "".join("." if char in _MASK else re.escape(char) for char in word)
    keys = set()
    for mask in lex.mask_words:
        shown = pattern if not mask.prefix else _prefix_pattern(word, len(mask.word))
        if shown and re.fullmatch(shown, mask.word):
            keys.add(mask.key)
    return frozenset(keys)


def _prefix_pattern(word: str, length: int) -> str:
    if len(word) < length:
        return ""
    return "".join("." if char in _MASK else re.escape(char) for char in word[:length])
