"""The customer's language: detected from what they write, switched when they ask (A4)."""

from __future__ import annotations

from bot.conversation import Conversation, Stage
from bot.core import Context
from bot.handlers.names import answered_name, without_name
from bot.i18n import Catalog
from bot.kb.language import detect_language, language_probabilities
from bot.kb.thresholds import PLAUSIBLE
from bot.text import fold, words

MAX_SWITCH_WORDS = 5
SETTLING_WORDS = 4  # a confidently detected message this long settles the language
CONFIDENT = 0.9
LEXICON_WEIGHT = 1.2  # greetings and fillers ("Moin", "Hejsan", "Zdravím") are strong evidence
LOCALE_WEIGHTS = (0.5, 0.3, 0.15)  # the platform's first, second and third language
CURRENT_WEIGHT = 0.4  # the language of an earlier, short message in the same conversation
KB_WEIGHT = 0.5  # the language whose knowledge-base questions the text resembles ("Refusion")
DEFAULT_WEIGHT = 0.01  # the configured default breaks ties and nothing more
# Locales of languages we do not serve, read as the closest one we do.
_LOCALE_ALIASES = {"nb": "da", "nn": "da", "no": "da"}


def requested_language(text: str, catalog: Catalog) -> str | None:
    """The language a short message asks for ("auf Deutsch bitte", "in English"), if any."""
    said = words(text)
    if not said or len(said) > MAX_SWITCH_WORDS:
        return None
    padded = f" {' '.join(said)} "  # a switch word or phrase matches whole words only
    for code, language in catalog.languages.items():
        if any(f" {w} " in padded for w in language.switch_words):
            return code
    return None


def is_language_request(ctx: Context) -> bool:
    return requested_language(ctx.incoming.text, ctx.services.catalog) is not None


def follow_language(ctx: Context) -> None:
    """Adopt the language of the message. Until a longer message has settled it, every signal
    counts: the text, its greetings and fillers, the platform's locales and what earlier
    messages suggested; afterwards short texts keep it (a name or "ok" says nothing)."""
    conv = ctx.conv()
    text = ctx.incoming.text
    catalog = ctx.services.catalog
    if conv.stage is not Stage.NEW and _only_a_name(text, catalog, conv.language):
        return  # "Oliver Bennett" says nothing about the language
    if conv.language_settled:
        language, _ = detect_language(text, conv.language)
    else:
        language = weighed_language(text, ctx.incoming.locales, conv, catalog, ctx)
    if language in catalog.languages:
        conv.language = language
    conv.language_settled = conv.language_settled or _settles(text, conv.language)


def _only_a_name(text: str, catalog: Catalog, current: str) -> bool:
    """The text is a name and nothing else: no word of any language's greetings or fillers."""
    name = answered_name(text, catalog.language(current))
    return bool(name) and not words(without_name(text, name)) and not lexicon_shares(text, catalog)


def weighed_language(
    text: str, locales: tuple[str, ...], conv: Conversation, catalog: Catalog, ctx: Context
) -> str:
    """The most likely language of an early message, from all the evidence there is."""
    scores = language_probabilities(text)
    for code, share in lexicon_shares(text, catalog).items():
        scores[code] = scores.get(code, 0.0) + LEXICON_WEIGHT * share
    for code, weight in zip(locale_languages(locales, catalog), LOCALE_WEIGHTS, strict=False):
        scores[code] = scores.get(code, 0.0) + weight
    if (known := _kb_language(text, ctx)) is not None:
        scores[known] = scores.get(known, 0.0) + KB_WEIGHT
    if conv.last_seq > 1:  # an earlier message of this conversation chose the current one
        scores[conv.language] = scores.get(conv.language, 0.0) + CURRENT_WEIGHT
    default = ctx.services.settings.default_language
    scores[default] = scores.get(default, 0.0) + DEFAULT_WEIGHT
    return max(scores, key=lambda code: scores[code])


def lexicon_shares(text: str, catalog: Catalog) -> dict[str, float]:
    """For each language, the share of the words that are its greetings or fillers; a word
    several languages share ("hej", "hallo") is split between them."""
    said = [fold(w) for w in words(text)]
    shares: dict[str, float] = {}
    for word in said:
        owners = [c for c, lang in catalog.languages.items() if word in lang.filler_words]
        for code in owners:
            shares[code] = shares.get(code, 0.0) + 1 / (len(owners) * len(said))
    return shares


def locale_languages(locales: tuple[str, ...], catalog: Catalog) -> list[str]:
    """Our languages among BCP 47 tags ("de-AT" -> "de"), in order, each once."""
    found: list[str] = []
    for tag in locales:
        primary = tag.strip().replace("_", "-").split("-")[0].lower()
        code = _LOCALE_ALIASES.get(primary, primary)
        if code in catalog.languages and code not in found:
            found.append(code)
    return found


def _kb_language(text: str, ctx: Context) -> str | None:
    """The language of the knowledge-base questions the text plausibly matches, if any."""
    lookup = ctx.services.kb.lookup(text, None)
    return lookup.language if lookup.best and lookup.best.score >= PLAUSIBLE else None


def _settles(text: str, language: str) -> bool:
    if len(words(text)) < SETTLING_WORDS:
        return False
    detected, confidence = detect_language(text)
    return detected == language and confidence >= CONFIDENT
