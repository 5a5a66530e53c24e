"""The JSON API's OpenAPI 3.1 description (issue 13, item 2): it is valid, it describes
exactly the routes the server has, and Schemathesis fuzzes every operation from it against a
real server on loopback: no server errors, every status, header, content type and body as
described, malformed input refused, secured operations closed without their token."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, settings
from schemathesis import checks as base_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi import checks

from bot.adapters.web import create_app, mark_ready
from bot.adapters.web_openapi import description
from bot.config import Settings
from bot.limits import Rate
from bot.storage import MemoryStore
from bot.wiring import build_bot
from tests.fakes import FakeClock

DOCUMENT = description(Settings().max_message_chars)
# A body over 64 KB refused with 413 is refused too.
REFUSALS = ["400", "401", "403", "404", "405", "413", "415", "422", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}}}
)
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
NO_LIMITS = Rate(0, 0)
CHECKS = [
    base_checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.ignored_auth,
]
SERVED_ELSEWHERE = {"/", "/staff", "/dashboard"}  # pages, not JSON
_turn = itertools.count()


def test_the_description_is_valid_openapi_3_1() -> None:
    assert DOCUMENT["openapi"].startswith("3.1")
    SCHEMA.validate()


def test_the_description_names_exactly_the_servers_routes() -> None:
    app = create_app(build_bot(Settings(), MemoryStore(), FakeClock()))
    served = {
        (route.method.lower(), route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None
        and route.method != "HEAD"
        and not route.resource.canonical.startswith("/static")
        and route.resource.canonical not in SERVED_ELSEWHERE
    }
    described = {(method, path) for path, item in DOCUMENT["paths"].items() for method in item}
    assert described == served


def test_it_is_served_with_the_configured_message_length() -> None:
    assert (
        description(900)["components"]["schemas"]["ChatMessage"]["properties"]["text"]["maxLength"]
        == 900
    )


@dataclass
class LiveApi:
    base_url: str
    staff_token: str
    conversation: str
    customer_token: str


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """The real web app on a loopback port, served by an event loop in its own thread, on a
    copy of the sample data (drafts may be written) with the flood limits off."""
    data = tmp_path_factory.mktemp("openapi") / "data"
    shutil.copytree(Path("data"), data)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner, api = asyncio.run_coroutine_threadsafe(_serve(data), loop).result(30)
    first = requests.post(
        f"{api.base_url}/api/chat",
        json={"user": {"id": "u-fuzz", "name": "Fuzz"}, "text": "My order never arrived"},
        timeout=10,
    ).json()
    api.conversation, api.customer_token = first["conversation"], first["customer_token"]
    yield api
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


async def _serve(data: Path) -> tuple[web.AppRunner, LiveApi]:
    settings = Settings(
        data_dir=data,
        limit_conversation=NO_LIMITS,
        limit_address=NO_LIMITS,
        limit_new_conversations=NO_LIMITS,
        limit_staff_logins=NO_LIMITS,
    )
    bot = build_bot(settings, MemoryStore(), FakeClock())
    staff_token = await bot.services.staff.add("fuzz", "Fuzz Staff")
    app = create_app(bot)
    mark_ready(app)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    return runner, LiveApi(f"http://127.0.0.1:{port}", staff_token, "", "")


def _credentials(case: Any, api: LiveApi) -> dict[str, str]:
    """Most cases carry the right credentials (sent as explicit headers, so Schemathesis also
    tries them without), so that the fuzz reaches past the door; one in four keeps what was
    generated (or nothing), and the door is tested too."""
    turn = next(_turn)
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    if turn % 4 == 3 or negative_headers:  # a deliberately missing token stays missing
        return {}
    path: str = case.operation.path
    if path == "/api/staff/ws":
        case.query = {**(case.query or {}), "token": api.staff_token}
    if path.startswith("/api/staff"):
        return {"Authorization": f"Bearer {api.staff_token}"}
    if not path.startswith("/api/chat"):
        return {}
    if turn % 2 == 0 and "conversation" in (case.path_parameters or {}):
        case.path_parameters = {**case.path_parameters, "conversation": api.conversation}
    if turn % 2 == 0 and isinstance(case.body, dict) and "conversation" in case.body:
        case.body = {**case.body, "conversation": api.conversation}
    return {"Authorization": f"Bearer {api.customer_token}"}


@SCHEMA.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI never flakes on a new one
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_holds_to_its_description(case: Any, live_api: LiveApi) -> None:
    headers = _credentials(case, live_api)
    case.call_and_validate(base_url=live_api.base_url, headers=headers, checks=CHECKS, timeout=30)
