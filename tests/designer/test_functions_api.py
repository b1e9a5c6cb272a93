"""``GET /api/functions/``: registered Python functions and their docstrings, signed-in only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from designer.api.functions import registered_functions

URL = "/api/functions/"


@pytest.fixture(autouse=True)
def _fresh_registry() -> Iterator[None]:
    registered_functions.cache_clear()
    yield
    registered_functions.cache_clear()


def test_lists_the_example_functions_with_docstrings(
    monkeypatch: pytest.MonkeyPatch, api_client_for: Any, viewer: Any, team: Any
) -> None:
    monkeypatch.delenv("STATEYARD_FUNCTION_MODULES", raising=False)
    answer = api_client_for(viewer).get(URL)
    assert answer.status_code == 200
    by_name = {f["name"]: f["doc"] for f in answer.json()}
    assert by_name["greet"] == '``{"name": "Ada"}`` -> ``{"greeting": "Hello, Ada!"}``.'
    assert by_name["reserve-stock"].startswith("Fails the first ``failFirst`` attempts")
    assert [f["name"] for f in answer.json()] == sorted(by_name)


def test_lists_what_the_configured_modules_register(
    monkeypatch: pytest.MonkeyPatch, bearer_client_for: Any, outsider: Any
) -> None:
    monkeypatch.setenv("STATEYARD_FUNCTION_MODULES", "tests.designer.chaos_functions")
    answer = bearer_client_for(outsider).get(URL)
    assert answer.status_code == 200
    names = [f["name"] for f in answer.json()]
    assert names and "greet" not in names


def test_a_module_that_cannot_load_is_a_503(
    monkeypatch: pytest.MonkeyPatch, api_client_for: Any, viewer: Any
) -> None:
    monkeypatch.setenv("STATEYARD_FUNCTION_MODULES", "no_such_module_here")
    answer = api_client_for(viewer).get(URL)
    assert answer.status_code == 503
    assert answer.json()["code"] == "functions_unavailable"


def test_anonymous_callers_are_refused(api_client_for: Any) -> None:
    answer = api_client_for(None).get(URL)
    assert answer.status_code in (401, 403)
    assert "greet" not in answer.content.decode()


def test_schema_documents_the_endpoint(api_client_for: Any, viewer: Any) -> None:
    response = api_client_for(viewer).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert '"/api/functions/"' in text
    assert '"Function"' in text
