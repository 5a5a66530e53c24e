"""The web page and the JSON API speak the visitor's language (issue 12, item 5): from the
conversation once it has one, else from the browser's languages, else the default."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import JSON, WebRig

GRETA = {"id": "u-greta", "name": "Greta"}
LANGUAGES = ("da", "de", "el", "en", "sk", "sv")
SAME_WORD = {("da", "send")}  # Danish "Send" is the imperative of "sende"


async def _start(web_rig: WebRig, text: str, **extra: Any) -> dict[str, Any]:
    body = {"user": GRETA, "text": text, **extra}
    response = await web_rig.client.post("/api/chat", json=body)
    assert response.status == 200
    return dict(await response.json())


async def test_replies_carry_the_conversation_language(web_rig: WebRig) -> None:
    answer = await _start(web_rig, "Guten Morgen, ich habe eine Frage zu meiner Rechnung.")
    assert answer["language"] == "de"
    path = f"/api/chat/{answer['conversation']}/messages"
    listing = await (await web_rig.client.get(path)).json()
    assert listing["language"] == "de"


async def test_the_page_locales_decide_a_short_opening(web_rig: WebRig) -> None:
    answer = await _start(web_rig, "Hej", locales=["sv-SE", "en"])
    assert answer["language"] == "sv"


async def test_a4_errors_on_a_german_conversation_are_german(web_rig: WebRig) -> None:
    conversation = (await _start(web_rig, "Hallo, ich brauche Hilfe bei einer Bestellung."))[
        "conversation"
    ]
    too_long = {"user": GRETA, "conversation": conversation, "text": "x" * 4001}
    response = await web_rig.client.post("/api/chat", json=too_long)
    assert response.status == 400
    assert (await response.json())["error"] == (
        "„text“ ist zu lang (4.001 Zeichen; erlaubt sind 4.000)."
    )
    stranger = {"user": {"id": "u-other"}, "conversation": conversation, "text": "hallo"}
    response = await web_rig.client.post("/api/chat", json=stranger)
    assert response.status == 403
    assert (await response.json())["error"] == "Dieses Gespräch gehört jemand anderem."
    response = await web_rig.client.get(f"/api/chat/{conversation}/messages?after=zwei")
    assert response.status == 400
    assert "ganze Zahl" in (await response.json())["error"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-CH,de;q=0.9,en;q=0.8", "Der Inhalt der Anfrage muss ein JSON-Objekt sein."),
        ("fr-FR,sk;q=0.7", "Obsah požiadavky musí byť objekt JSON."),
        ("en-US,en;q=0.9", "The request body must be a JSON object."),
        ("sv;q=0.2,da;q=0.8", None),  # the higher quality wins: Danish
    ],
)
async def test_errors_without_a_conversation_follow_accept_language(
    web_rig: WebRig, header: str, expected: str | None
) -> None:
    response = await web_rig.client.post(
        "/api/chat", data=b"[]", headers={"Accept-Language": header, **JSON}
    )
    assert response.status == 400
    text = (await response.json())["error"]
    danish = web_rig.bot.services.catalog.text("da", "api_not_json")
    assert text == (expected if expected is not None else danish)


@pytest.mark.parametrize(
    "header",
    [
        "x" * 8000,
        ",;" * 3000,
        ";;;,,,q=",
        "*",
        "de;q=abc, sv;q=2",
        "de-" + "a" * 50,
        "\u00e9\u00e8,\u00fc",
    ],
)
async def test_a_malformed_accept_language_is_only_ignored(web_rig: WebRig, header: str) -> None:
    response = await web_rig.client.post(
        "/api/chat",
        data=b"{}",
        headers={"Accept-Language": header.encode().decode("latin-1"), **JSON},
    )
    assert response.status == 400
    assert (await response.json())["error"] == "'user' must be an object."


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a4_the_page_texts_exist_in_every_language(web_rig: WebRig, language: str) -> None:
    response = await web_rig.client.get(f"/api/chat/page?languages={language}-XX,{language}")
    page = await response.json()
    assert page["language"] == language
    assert page["company"] == "Brightwave"
    assert "Brightwave" in page["texts"]["heading"]
    assert "{" not in "".join(page["texts"].values())
    english = await (await web_rig.client.get("/api/chat/page?languages=en")).json()
    assert set(page["texts"]) == set(english["texts"])
    if language != "en":
        same = [
            k
            for k, v in page["texts"].items()
            if v == english["texts"][k] and (language, k) not in SAME_WORD
        ]
        assert same == [], f"{language} page texts left in English: {same}"


async def test_the_page_locale_sets_the_clock(web_rig: WebRig) -> None:
    german = await (await web_rig.client.get("/api/chat/page?languages=de-AT")).json()
    english = await (await web_rig.client.get("/api/chat/page?languages=en-US")).json()
    assert german["locale"] == "de"
    assert english["locale"] == "en-GB"
    assert "4.000" in german["texts"]["too_long"]


async def test_a4_the_page_follows_an_existing_conversation(web_rig: WebRig) -> None:
    conversation = (await _start(web_rig, "Dobrý deň, potrebujem pomôcť s objednávkou."))[
        "conversation"
    ]
    page = await (
        await web_rig.client.get(f"/api/chat/page?languages=en&conversation={conversation}")
    ).json()
    assert page["language"] == "sk"
    fallback = await (await web_rig.client.get("/api/chat/page?languages=tlh")).json()
    assert fallback["language"] == "en"
