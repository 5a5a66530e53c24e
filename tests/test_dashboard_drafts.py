"""Knowledge-base drafts from resolved tickets (G1, G6): drafted outside the knowledge base,
reviewed, published by the loader's rules, answered by the bot at once; or discarded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.kb.validate import Problem
from tests.conftest import ClientMaker
from tests.dashboard_rig import DashRig, dash_rig

ICELAND = "Do you ship to Iceland?"
SUMMARY = "Yes: we ship to Iceland in 5-8 working days for 19 EUR."
DRAFTS = "/api/staff/kb/drafts"


@pytest.fixture
async def rig(aiohttp_client: ClientMaker, tmp_path: Path) -> DashRig:
    return await dash_rig(aiohttp_client, tmp_path)


async def drafted(rig: DashRig, question: str = "do you deliver to iceland") -> dict[str, Any]:
    ticket = await rig.resolved("ua", ICELAND, "orders", SUMMARY)
    status, body = await rig.post(DRAFTS, {"ticket": ticket, "question": question})
    assert status == 201, body
    draft: dict[str, Any] = body["draft"]
    return draft


async def answer_to(rig: DashRig, text: str) -> str:
    replies = (await rig.say("ux", text))["replies"]
    return " ".join(r["text"] for r in replies)


async def test_g6_a_draft_from_a_resolved_ticket_is_not_live(rig: DashRig) -> None:
    draft = await drafted(rig)
    assert draft == {
        "id": "do-you-deliver-to-iceland",
        "department": "orders",
        "language": "en",
        "questions": ["do you deliver to iceland", ICELAND],
        "answer": SUMMARY,
        "ticket": "T-1001",
        "created_at": "2026-11-23T09:13:00+00:00",
        "created_by": "Demo Agent",
        "asked": ["do you deliver to iceland"],
    }
    saved = rig.data_dir / "kb-drafts" / "do-you-deliver-to-iceland.yaml"
    assert yaml.safe_load(saved.read_text(encoding="utf-8")) == draft
    assert sorted(p.name for p in (rig.data_dir / "kb").iterdir()) == ["base.yaml"]
    assert SUMMARY not in await answer_to(rig, ICELAND)
    assert (await rig.get(DRAFTS)) == (200, {"drafts": [draft]})


async def test_g6_publishing_the_reviewed_draft_makes_the_bot_answer(rig: DashRig) -> None:
    draft = await drafted(rig)
    reviewed = "We ship to Iceland: 5-8 working days, 19 EUR. Customs fees are paid on delivery."
    questions = [ICELAND, "Can you send my order to Reykjavik?", " "]
    status, body = await rig.post(
        f"{DRAFTS}/{draft['id']}/publish", {"answer": reviewed, "questions": questions}
    )
    assert status == 200, body
    live = rig.data_dir / "kb" / "drafted.yaml"
    assert body == {"entry": draft["id"], "file": str(live), "entries": 4}
    (entry,) = yaml.safe_load(live.read_text(encoding="utf-8"))
    assert entry == {
        "id": draft["id"],
        "department": "orders",
        "questions": {"en": questions[:2]},
        "answers": {"en": reviewed},
        "tags": ["drafted"],
    }
    assert "from T-1001, reviewed by Demo Agent" in live.read_text(encoding="utf-8")
    assert reviewed in await answer_to(rig, "hello, do you ship to iceland?")
    assert (await rig.get(DRAFTS)) == (200, {"drafts": []})


async def test_a_second_draft_gets_its_own_id_and_is_appended(rig: DashRig) -> None:
    first = await drafted(rig)
    second = await drafted(rig)
    assert second["id"] == f"{first['id']}-2"
    for draft in (first, second):
        body = {"answer": SUMMARY, "questions": [*draft["questions"][:1], draft["id"]]}
        status, _ = await rig.post(f"{DRAFTS}/{draft['id']}/publish", body)
        assert status == 200
    text = (rig.data_dir / "kb" / "drafted.yaml").read_text(encoding="utf-8")
    assert [e["id"] for e in yaml.safe_load(text)] == [first["id"], second["id"]]
    assert len(rig.bot.services.kb) == 5


async def test_problems_come_back_with_file_and_line(rig: DashRig) -> None:
    draft = await drafted(rig)
    url = f"{DRAFTS}/{draft['id']}/publish"
    status, body = await rig.post(url, {"answer": " ", "questions": []})
    assert status == 400
    where = f"{rig.data_dir / 'kb' / 'drafted.yaml'}:4"
    assert body == {
        "error": f"{draft['id']} was not published.",
        "problems": [
            f"{where}: entry '{draft['id']}': questions.en must be a list of non-empty strings",
            f"{where}: entry '{draft['id']}': answers.en must be a non-empty string",
        ],
    }
    assert not (rig.data_dir / "kb" / "drafted.yaml").exists()
    (rig.data_dir / "kb" / "extra.yaml").write_text(
        f"- id: {draft['id']}\n  questions: {{en: [x]}}\n  answers: {{en: y}}\n", encoding="utf-8"
    )
    status, body = await rig.post(url, {"answer": "ok", "questions": ["a question"]})
    assert status == 400
    assert body["problems"] == [
        f"{where}: duplicate id '{draft['id']}' (first at {rig.data_dir / 'kb' / 'extra.yaml'}:1)"
    ]
    (_, listed) = await rig.get(DRAFTS)
    assert (listed["drafts"][0]["answer"], listed["drafts"][0]["questions"]) == (
        "ok",
        ["a question"],
    )  # the review is kept


async def test_a_department_that_is_gone_is_a_problem(rig: DashRig) -> None:
    draft = await drafted(rig)
    saved = rig.data_dir / "kb-drafts" / f"{draft['id']}.yaml"
    saved.write_text(yaml.safe_dump({**draft, "department": "gone"}), encoding="utf-8")
    status, body = await rig.post(
        f"{DRAFTS}/{draft['id']}/publish", {"answer": "ok", "questions": ["q"]}
    )
    assert status == 400
    assert (
        "unknown department 'gone' (known: accounts, billing, orders, technical)"
        in (body["problems"][0])
    )


async def test_a_failed_reload_puts_the_knowledge_base_back(
    rig: DashRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = await drafted(rig)
    kb = rig.bot.services.kb
    reload = kb.reload
    failures = [[Problem("elsewhere.yaml:3", "someone broke it")]]

    async def flaky() -> list[Problem]:
        return failures.pop() if failures else await reload()

    monkeypatch.setattr(kb, "reload", flaky)
    status, body = await rig.post(
        f"{DRAFTS}/{draft['id']}/publish", {"answer": "ok", "questions": ["q"]}
    )
    assert (status, body["problems"]) == (400, ["elsewhere.yaml:3: someone broke it"])
    assert not (rig.data_dir / "kb" / "drafted.yaml").exists()
    assert len(kb) == 3


async def test_discarding_a_draft(rig: DashRig) -> None:
    draft = await drafted(rig)
    response = await rig.client.delete(f"{DRAFTS}/{draft['id']}", headers=rig.headers)
    assert (response.status, await response.json()) == (200, {"discarded": draft["id"]})
    assert (await rig.get(DRAFTS)) == (200, {"drafts": []})
    for bad in (draft["id"], "..%2Fkb%2Fbase", "NOPE"):
        response = await rig.client.delete(f"{DRAFTS}/{bad}", headers=rig.headers)
        assert response.status == 404
    status, _ = await rig.post(f"{DRAFTS}/{draft['id']}/publish", {"answer": "a", "questions": []})
    assert status == 404


async def test_only_resolved_customer_tickets_can_be_drafted_from(rig: DashRig) -> None:
    _, waiting = await rig.handed_over("ub", "Can I pay with crypto?", "billing")
    status, body = await rig.post(DRAFTS, {"ticket": waiting})
    assert status == 400
    assert body["error"] == (
        f"{waiting} is not resolved yet: a draft starts from how it was solved "
        f"(/resolve {waiting} <summary>)."
    )
    for ref in ("T-9999", "R-301"):
        status, body = await rig.post(DRAFTS, {"ticket": ref})
        assert (status, body) == (404, {"error": f"There is no customer ticket '{ref}'."})
    status, body = await rig.post(DRAFTS, {"question": "x"})
    assert (status, body) == (400, {"error": "'ticket' must be a non-empty string."})
    status, body = await rig.post(f"{DRAFTS}/x/publish", {"answer": "a", "questions": "q"})
    assert (status, body) == (400, {"error": "'questions' must be a list of strings."})


async def test_g6_the_draft_command_from_chat(rig: DashRig) -> None:
    ticket = await rig.resolved("ua", ICELAND, "orders", SUMMARY)
    told = await rig.staff("draft", f"{ticket} can you deliver to iceland")
    assert told == (
        f"Draft can-you-deliver-to-iceland from {ticket} (can you deliver to iceland | {ICELAND})"
        " is waiting for review: edit and publish it on the dashboard (/dashboard)."
        " It is not live yet."
    )
    (_, listed) = await rig.get(DRAFTS)
    assert [d["id"] for d in listed["drafts"]] == ["can-you-deliver-to-iceland"]
    _, waiting = await rig.handed_over("ub", "Can I pay with crypto?", "billing")
    assert (await rig.staff("draft", waiting)).startswith(f"{waiting} is not resolved yet")
    assert await rig.staff("draft", "") == "Usage: /draft <ticket> [question]"
