"""Signals in customers' messages: wants a person, anger, abuse and threats, in six languages."""

from __future__ import annotations

import dataclasses
import json
import time
import tomllib
from pathlib import Path

import pytest

from bot.signals import Signals, detect_signals
from bot.signals_lexicon import LEXICON_DIR, SECTIONS, LexiconError, available, lexicon
from bot.signals_terms import TermError, term_key

LANGUAGES = ("en", "de", "da", "sv", "el", "sk")
ROOT = Path(__file__).resolve().parent.parent
Table = dict[str, list[str]]

# Each language has at least three messages that must raise a signal and three near misses
# that must not. Typos, missing diacritics and Greek without tonos are mixed in on purpose.

WANTS_PERSON: Table = {
    "en": [
        "can I talk to someone",
        "I want to speak to a real person",
        "agent please",
        "Could I speak with a human? The bot doesn't understand me",
        "can i tlak to a real preson plz",
        "transfer me to an agent",
    ],
    "de": [
        "Ich will mit einem Menschen sprechen",
        "Kann ich bitte mit einem echten Mitarbeiter reden?",
        "Verbinden Sie mich bitte mit einem Kundenberater",
        "ich mochte mit einem mitarbieter sprechen",
        "Mitarbeiter bitte",
    ],
    "da": [
        "kan jeg tale med en medarbejder",
        "Må jeg snakke med et rigtigt menneske?",
        "Medarbejder tak",
        "kan jeg tale med en medarbjeder",
    ],
    "sv": [
        "får jag prata med en människa",
        "Kan jag prata med en riktig person?",
        "Handläggare tack",
        "far jag prata med en manniska",
    ],
    "el": [
        "θέλω να μιλήσω με κάποιον υπάλληλο",
        "Θελω να μιλησω με εναν ανθρωπο",
        "Μπορώ να μιλήσω με έναν πραγματικό άνθρωπο;",
        "συνδέστε με με έναν εκπρόσωπο",
    ],
    "sk": [
        "chcem hovoriť s človekom",
        "chcem hovorit s clovekom",
        "Môžem sa porozprávať so živým operátorom?",
        "Operátor prosím",
        "Spojte ma s pracovníkom",
    ],
}
NOT_WANTS_PERSON: Table = {
    "en": [
        "someone stole my parcel",
        "a person at the door took my package",
        "the person who delivered it was very polite",
        "I don't want to talk to anyone, just send the refund",
        "are you a real person?",
        "I talked to your agent yesterday and he said it was shipped",
    ],
    "de": [
        "Ich will nicht mit einem Menschen sprechen, sagen Sie mir einfach den Status",
        "Ich möchte mich über einen Mitarbeiter beschweren",
        "Der Mitarbeiter hat das Paket vor die Tür gestellt",
        "Jemand hat mein Paket gestohlen",
        "Sind Sie ein echter Mensch?",
    ],
    "da": [
        "Jeg vil ikke tale med en medarbejder, bare send pakken",
        "Kan jeg få nogen rabat?",
        "Nogen har stjålet min pakke",
        "Medarbejderen stillede pakken ved døren",
    ],
    "sv": [
        "Jag vill inte prata med en människa, skicka bara paketet",
        "Någon har stulit mitt paket",
        "Personen som levererade paketet var trevlig",
        "Är du en riktig människa?",
    ],
    "el": [
        "Κάποιος έκλεψε το δέμα μου",
        "Ο υπάλληλος άφησε το δέμα στην πόρτα",
        "Δεν θέλω να μιλήσω με υπάλληλο, απλά πείτε μου πού είναι το δέμα",
        "Είστε άνθρωπος ή ρομπότ;",
        "Θέλω να αλλάξω τον αριθμό τηλεφώνου μου",
    ],
    "sk": [
        "Nechcem hovoriť s človekom, len mi povedzte stav",
        "Niekto mi ukradol balík",
        "Kuriér nechal balík pred dverami",
        "Ste skutočný človek?",
    ],
}
ANGRY: Table = {
    "en": [
        "this is ridiculous",
        "I'm so angry right now",
        "worst service ever",
        "third time I'm writing!!!",
        "WHERE IS MY REFUND I HAVE BEEN WAITING FOR WEEKS",
        "this is rediculous, how many times do I have to ask",
    ],
    "de": [
        "Das ist eine Frechheit",
        "Ich bin stinksauer, zum dritten Mal schreibe ich euch",
        "Das ist eine Unverschämtheit, so ein Saftladen",
        "Wie oft soll ich das noch erklären?",
        "Ich habe die Nase voll",
    ],
    "da": [
        "det er fuldstændig uacceptabelt",
        "det er fuldstaendig uacceptabelt",
        "Jeg er så træt af jer, tredje gang jeg skriver",
        "Det er under al kritik",
    ],
    "sv": [
        "jag är så trött på er",
        "Det här är helt oacceptabelt, tredje gången jag skriver",
        "Vad fan är det här för skit",
        "Jag är förbannad",
    ],
    "el": [
        "Είναι απαράδεκτο!",
        "ΕΙΝΑΙ ΑΠΑΡΑΔΕΚΤΟ",
        "Είναι η τρίτη φορά που γράφω, βαρέθηκα",
        "Ειναι αισχος",
    ],
    "sk": [
        "to je neuveriteľné, už tretíkrát",
        "Som nahnevaný, už mám toho dosť",
        "To je nehoráznosť",
        "Som veľmi sklamaný",
    ],
}
NOT_ANGRY: Table = {
    "en": [
        "I'm not angry, just asking",
        "Thanks, that was really helpful!",
        "How many times can I change my delivery address?",
        "Is it normal that the parcel takes 3 days?",
    ],
    "de": [
        "Ich bin nicht wütend, ich frage nur",
        "Danke, das hat geholfen",
        "Wie lange dauert der Versand nach Österreich?",
    ],
    "da": [
        "Jeg er ikke vred, jeg spørger bare",
        "Tak for hjælpen",
        "Hvornår kommer min pakke?",
    ],
    "sv": [
        "Jag är inte arg, jag undrar bara",
        "Tack så mycket för hjälpen",
        "Jag drog en suck av lättnad när paketet kom",
    ],
    "el": [
        "Δεν είμαι θυμωμένος, απλώς ρωτάω",
        "Ευχαριστώ πολύ για τη βοήθεια",
        "Πότε θα έρθει το δέμα μου;",
    ],
    "sk": [
        "Nie som nahnevaný, len sa pýtam",
        "Ďakujem za pomoc",
        "Doručenie bolo neuveriteľne rýchle",
    ],
}
ABUSIVE: Table = {
    "en": [
        "you fucking idiots",
        "this is sh1t",
        "f*ck this company",
        "what a load of bull$hit",
        "you are all a bunch of clowns and liars",
        "a$$hole",
    ],
    "de": [
        "Ihr seid alle Idioten",
        "Scheißladen",
        "Sch31ße, das funktioniert nicht",
        "Du Arschloch",
        "Halt die Klappe, blöder Bot",
    ],
    "da": [
        "I er nogle idioter",
        "sikke noget lort",
        "fuck jer",
        "Hold kæft, din idiot",
    ],
    "sv": [
        "Ni är jävla idioter",
        "Håll käften",
        "Dra åt helvete",
        "fuck er",
    ],
    "el": [
        "Είστε ηλίθιοι",
        "Γαμημένη εταιρεία",
        "Άντε γαμήσου",
        "μαλάκα",
    ],
    "sk": [
        "Vy ste idioti",
        "kurva, zase to nefunguje",
        "Drž hubu",
        "Choďte do riti",
    ],
}
NOT_ABUSIVE: Table = {
    "en": [
        "I'm such an idiot, I typed the wrong address",
        "The screw you sent doesn't fit the shelf",
        "this is annoying, the app keeps logging me out",
        "Idiot-proof setup, love it",
    ],
    "de": [
        "Ich bin so ein Idiot, ich habe die falsche Adresse eingegeben",
        "Das ist ärgerlich, die App stürzt ständig ab",
        "Das Gericht war leider kalt",
    ],
    "da": [
        "Jeg var en idiot og skrev den forkerte adresse",
        "Det er irriterende at appen lukker ned",
        "Pakken var smadret da den kom",
    ],
    "sv": [
        "Jag var en idiot som skrev fel adress",
        "Lampan har en röd prick",
        "Det är slut i lager",
    ],
    "el": [
        "Ήμουν ηλίθιος και έγραψα λάθος διεύθυνση",
        "Το μαλακό κάλυμμα είναι φθαρμένο",
        "Θα κάνω ένα γάμο τον Ιούνιο",
    ],
    "sk": [
        "Bol som idiot a zadal som zlú adresu",
        "Hovoril som s kuriérom",
        "Balík prišiel rozbitý",
    ],
}
LEGAL_THREATS: Table = {
    "en": [
        "I will sue you",
        "I'll take you to court over this",
        "this is ridiculous, my lawyer will hear about this",
        "I'm reporting you to the ombudsman",
        "I'm going to contact my lawyer",
    ],
    "de": [
        "Ich werde Sie verklagen",
        "Wir sehen uns vor Gericht",
        "Das ist eine Frechheit, ich schalte meinen Anwalt ein",
        "Ich werde mich an die Verbraucherzentrale wenden und rechtliche Schritte einleiten",
    ],
    "da": [
        "Jeg vil sagsøge jer",
        "Det er under al kritik, jeg går til advokat",
        "Jeg klager til Forbrugerklagenævnet",
    ],
    "sv": [
        "Jag kommer att stämma er",
        "Det här är skandalöst, min advokat kommer att kontakta er",
        "Jag anmäler er till ARN",
        "Vi ses i domstol",
    ],
    "el": [
        "Θα σας μηνύσω",
        "Θα σας πάω στα δικαστήρια",
        "Είναι αίσχος, θα μιλήσω με τον δικηγόρο μου",
        "Θα κάνω καταγγελία στον Συνήγορο του Καταναλωτή",
    ],
    "sk": [
        "Dám vás na súd",
        "To je nehoráznosť, môj právnik sa vám ozve",
        "Podám žalobu",
        "Obrátim sa na SOI",
    ],
}
PHYSICAL_THREATS: Table = {
    "en": [
        "I know where you live",
        "I'll come and smash your shop",
        "I will burn your store down",
        "I'm going to kill you",
    ],
    "de": [
        "Ich weiß, wo ihr wohnt",
        "Ich komme vorbei und zerlege euren Laden",
        "Ich bring euch um",
    ],
    "da": [
        "Jeg ved hvor du bor",
        "Jeg kommer og smadrer jeres butik",
        "Jeg slår jer ihjel",
    ],
    "sv": [
        "Jag vet var du bor",
        "Jag kommer och slår sönder er butik",
        "Jag ska döda dig",
    ],
    "el": [
        "Ξέρω πού μένεις",
        "Θα έρθω και θα σπάσω το μαγαζί σας",
        "Θα σε σκοτώσω",
    ],
    "sk": [
        "Viem, kde bývaš",
        "Prídem a rozbijem vám obchod",
        "Zabijem vás",
    ],
}
NO_THREAT: Table = {
    "en": [
        "my lawyer asked for the invoice copy",
        "I'll shoot you an email with the details",
        "Hi, I'm Sue from accounting",
        "can you beat the price of the other shop?",
        "Will it hurt the battery if I leave it charging?",
    ],
    "de": [
        "Mein Anwalt braucht eine Kopie der Rechnung",
        "Bringen Sie um 10 Uhr das Paket vorbei",
        "Das Gericht kam kalt an",
    ],
    "da": [
        "Min advokat vil gerne have en kopi af fakturaen",
        "Pakken var smadret",
        "Du har ret, tak",
    ],
    "sv": [
        "Min advokat behöver en kopia av fakturan",
        "Det stämmer, tack",
        "Paketet gick sönder under frakten",
    ],
    "el": [
        "Ο δικηγόρος μου ζήτησε αντίγραφο του τιμολογίου",
        "Έλαβα το μήνυμά σας, ευχαριστώ",
        "Το δέμα ήρθε σπασμένο",
    ],
    "sk": [
        "Môj právnik potrebuje kópiu faktúry",
        "Balík prišiel rozbitý",
        "Chcem dobiť kredit",
    ],
}


def cases(table: Table) -> list[tuple[str, str]]:
    return [(language, text) for language, texts in table.items() for text in texts]


@pytest.mark.parametrize(("language", "text"), cases(WANTS_PERSON))
def test_asking_for_a_person(language: str, text: str) -> None:
    assert detect_signals(text, language).wants_person


@pytest.mark.parametrize(("language", "text"), cases(NOT_WANTS_PERSON))
def test_people_mentioned_otherwise_are_no_request(language: str, text: str) -> None:
    assert not detect_signals(text, language).wants_person


@pytest.mark.parametrize(("language", "text"), cases(ANGRY))
def test_anger(language: str, text: str) -> None:
    assert detect_signals(text, language).anger


@pytest.mark.parametrize(("language", "text"), cases(NOT_ANGRY))
def test_calm_messages(language: str, text: str) -> None:
    assert not detect_signals(text, language).anger


@pytest.mark.parametrize(("language", "text"), cases(ABUSIVE))
def test_abuse(language: str, text: str) -> None:
    signals = detect_signals(text, language)
    assert signals.abuse
    assert signals.anger  # an insult is at least anger


@pytest.mark.parametrize(("language", "text"), cases(NOT_ABUSIVE))
def test_no_abuse(language: str, text: str) -> None:
    assert not detect_signals(text, language).abuse


@pytest.mark.parametrize(("language", "text"), cases(LEGAL_THREATS))
def test_legal_threats(language: str, text: str) -> None:
    signals = detect_signals(text, language)
    assert signals.threat == "legal"
    assert not signals.abuse  # a legal threat is not abuse (E4, not E3)


@pytest.mark.parametrize(("language", "text"), cases(PHYSICAL_THREATS))
def test_physical_threats(language: str, text: str) -> None:
    assert detect_signals(text, language).threat == "physical"


@pytest.mark.parametrize(("language", "text"), cases(NO_THREAT))
def test_no_threat(language: str, text: str) -> None:
    assert detect_signals(text, language).threat is None


@pytest.mark.parametrize(
    "table",
    [WANTS_PERSON, NOT_WANTS_PERSON, ANGRY, NOT_ANGRY, ABUSIVE, NOT_ABUSIVE, NO_THREAT],
)
def test_every_language_has_three_examples(table: Table) -> None:
    assert {language: len(table.get(language, [])) >= 3 for language in LANGUAGES} == dict.fromkeys(
        LANGUAGES, True
    )


def test_every_language_has_three_threats() -> None:
    for language in LANGUAGES:
        assert len(LEGAL_THREATS[language]) + len(PHYSICAL_THREATS[language]) >= 3 + 3


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "f*ck this"),
        ("en", "f**king useless"),
        ("en", "sh1t service"),
        ("en", "you a$$hole"),
        ("en", "b!tch"),
        ("en", "f u c k you"),
        ("en", "fuuuuuck"),
        ("en", "SHIIIIT"),
        ("de", "Sch31ße"),
        ("de", "Du A*schloch"),
        ("da", "f*ck jer"),
        ("sv", "f*cking idioter"),
        ("sk", "k*rva"),
    ],
)
def test_obfuscated_swearing(language: str, text: str) -> None:
    assert detect_signals(text, language).abuse


def test_masks_need_real_letters() -> None:
    assert not detect_signals("*** ****", "en").abuse
    assert not detect_signals("rating: 4*", "en").abuse


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "WHY IS MY ORDER STILL NOT HERE"),
        ("en", "I ordered on Monday. WHERE IS MY PARCEL NOW?"),
        ("de", "WO IST MEIN PAKET"),
        ("el", "ΠΟΥ ΕΙΝΑΙ ΤΟ ΔΕΜΑ ΜΟΥ"),
        ("sk", "KDE JE MOJ BALIK UZ TYZDEN"),
    ],
)
def test_shouting_is_anger(language: str, text: str) -> None:
    signals = detect_signals(text, language)
    assert signals.anger
    assert "cue:shouting" in signals.matched


@pytest.mark.parametrize(
    "text", ["OK", "DHL or UPS?", "My order ABC-12345 from IKEA", "I use the USB C HDMI adapter"]
)
def test_short_capitals_are_not_shouting(text: str) -> None:
    assert "cue:shouting" not in detect_signals(text, "en").matched


@pytest.mark.parametrize("text", ["Where is it!!!", "Hello?!?!", "No! No! No! No!", "Why!!1"])
def test_exclamation_runs_are_anger(text: str) -> None:
    assert "cue:exclamations" in detect_signals(text, "en").matched


@pytest.mark.parametrize("text", ["Thanks!", "Hi! Great, thanks!", "Really?"])
def test_a_few_exclamation_marks_are_calm(text: str) -> None:
    assert not detect_signals(text, "en").anger


@pytest.mark.parametrize(
    ("language", "text", "signal"),
    [
        ("de", "Bitte, I want to talk to a real person", "wants_person"),
        ("da", "Det her er bare ridiculous", "anger"),
        ("sv", "Det här är bullshit", "abuse"),
        ("el", "Θέλω τα λεφτά μου, I will sue you", "threat"),
        ("sk", "Prosím, can I speak to someone?", "wants_person"),
        ("de", "worst service ever, ehrlich", "anger"),
    ],
)
def test_english_mixed_into_other_languages(language: str, text: str, signal: str) -> None:
    signals = detect_signals(text, language)
    assert getattr(signals, signal)
    assert any(label.startswith("en:") for label in signals.matched)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "Jag drog en suck av lättnad när paketet kom"),
        ("sv", "Lampan har en röd prick"),
        ("da", "Jeg bestilte mad, og den kom kold"),
    ],
)
def test_false_friends_are_not_read_as_english(language: str, text: str) -> None:
    signals = detect_signals(text, language)
    assert not signals.anger
    assert not signals.abuse


def test_greek_with_and_without_tonos() -> None:
    for text in ("Είναι απαράδεκτο", "Ειναι απαραδεκτο", "είναι ΑΠΑΡΆΔΕΚΤΟ"):
        assert detect_signals(text, "el").anger


def test_typo_in_a_long_word() -> None:
    assert detect_signals("this is rediculous", "en").anger
    assert detect_signals("Det här är oaceptabelt", "sv").anger
    assert detect_signals("kan jeg tale med en medarbjeder", "da").wants_person


def test_a_lawyer_counts_only_in_a_complaint() -> None:
    assert detect_signals("My lawyer asked for a copy of the invoice", "en").threat is None
    angry = detect_signals("This is outrageous. My lawyer asked for the invoice", "en")
    assert angry.threat == "legal"
    assert "en:legal_if_angry:lawyer" in angry.matched


def test_a_neutral_lawyer_is_not_in_matched() -> None:
    assert detect_signals("My lawyer asked for a copy of the invoice", "en").matched == ()


def test_an_identity_question_does_not_hide_a_real_request() -> None:
    assert not detect_signals("Are you a real person?", "en").wants_person
    assert detect_signals("Are you a real person? I want to talk to a human", "en").wants_person


@pytest.mark.parametrize(("text", "abuse"), [("Still nothing 😡", False), ("🖕🖕", True)])
def test_angry_and_rude_emoji(text: str, abuse: bool) -> None:
    signals = detect_signals(text, "sv")
    assert signals.anger
    assert signals.abuse is abuse


def test_physical_threat_wins_over_legal() -> None:
    assert detect_signals("I'll sue you, and I know where you live", "en").threat == "physical"


def test_matched_names_the_entries_and_cues() -> None:
    signals = detect_signals("Du Arschloch!!!", "de")
    assert "de:abuse:arschl*" in signals.matched
    assert "cue:exclamations" in signals.matched
    assert (
        detect_signals("Kan jeg tale med en medarbejder", "da")
        .matched[0]
        .startswith("da:wants_person:kan ... tale")
    )


def test_a_calm_message_has_no_signals() -> None:
    assert detect_signals("Where is my order?", "en") == Signals()


def test_signals_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        detect_signals("hi", "en").anger = True  # type: ignore[misc]


def test_an_unknown_language_gets_the_english_lexicon() -> None:
    assert detect_signals("can I talk to someone", "fr").wants_person
    assert detect_signals("Je veux parler à un humain, agent please", "FR").wants_person
    assert detect_signals("can I talk to someone", "EN").wants_person


def test_all_six_lexicons_load_with_every_section() -> None:
    assert set(LANGUAGES) <= available()
    for language in LANGUAGES:
        found = {entry.section for entry in lexicon(language).entries}
        assert set(SECTIONS) <= found, language
        assert lexicon(language).negators, language


@pytest.mark.parametrize(
    "content",
    ["anger: [talk ...]", "anger: [two-words]", "shouting: [loud]", "anger: calm", "- a list"],
)
def test_a_malformed_lexicon_names_its_file(
    content: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "zz.yaml").write_text(content, encoding="utf-8")
    monkeypatch.setattr("bot.signals_lexicon.LEXICON_DIR", tmp_path)
    with pytest.raises(LexiconError, match=r"zz\.yaml"):
        lexicon("zz")


def test_lexicons_are_cached() -> None:
    assert lexicon("de") is lexicon("de")


@pytest.mark.parametrize("term", ["two words", "=exact*", "a-b", ""])
def test_malformed_terms_are_rejected(term: str) -> None:
    with pytest.raises(TermError):
        term_key(term, "en")


def test_term_kinds() -> None:
    assert term_key("Speaking", "en") == "s:speak"
    assert term_key("=Hell", "en") == "=hell"
    assert term_key("fuck*", "en") == "p:fuck"
    assert term_key("*mitarbeiter", "de") == "x:mitarbeiter"
    assert term_key("Άνθρωπο*", "el") == "p:ανθρωπο"


def test_lexicons_ship_in_the_wheel() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    assert package_data["bot.locales.signals"] == ["*.yaml"]
    assert LEXICON_DIR == ROOT / "bot" / "locales" / "signals"


def test_customer_questions_raise_no_false_alarms() -> None:
    lines = (ROOT / "tests" / "data" / "sample_kb_queries.jsonl").read_text(encoding="utf-8")
    queries = [json.loads(line) for line in lines.splitlines() if line.strip()]
    found = [detect_signals(query["text"], query["lang"]) for query in queries]
    assert len(queries) > 400
    assert [s for s in found if s.abuse or s.threat or s.wants_person] == []
    assert sum(s.anger for s in found) <= len(queries) // 100


def test_fast_enough() -> None:
    messages = [text for _, text in cases(ANGRY) + cases(NOT_WANTS_PERSON)] * 10
    detect_signals("warm up", "de")
    start = time.perf_counter()
    for text in messages:
        detect_signals(text, "de")
    assert (time.perf_counter() - start) / len(messages) < 0.005
