"""TestState for the studio: run one state on one input, as AWS's TestState API does.

Anyone with at least the runner role on the workflow (or team) the request
names may call it; others get NotFound or PermissionDenied as everywhere else.
A Task without a mock runs for real, through the same adapters the background
workers use (HTTP, Python functions in a child process with capped memory), for
at most its TimeoutSeconds and ``TEST_STATE_MAX_SECONDS`` (5 minutes).

Connections: TestState takes any definition, so it could aim a connection's
secrets at any endpoint. Using a connection therefore needs the role that
manages connections and edits workflows (editor): a runner whose unmocked
state names ``Authentication`` gets PermissionDenied up front, and a
connection reached any other way (an ARN built from the input, say) fails the
task with ``Events.ConnectionResource.InvalidConnectionState`` before any
secret is read. Mocked states call nothing, so they stay open to runners.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from django.db import connections

from designer.errors import PermissionDenied, ValidationFailed
from designer.limits import limit
from designer.models import ROLE_RANK, Role
from designer.runtime.worker_adapters import worker_registry
from designer.services.access import EDIT, RUN, role_of, team_get_for, workflow_get_for
from designer.services.connections import team_scope
from engine import teststate
from engine.adapters import AdapterRegistry, TaskResponse
from engine.errors import DefinitionError
from engine.interpreter.effects import InvokeTask

NEEDS_EDITOR = (
    "Testing a state with a connection needs the editor role; mock the task or ask an editor."
)


class _CallThreadRegistry(AdapterRegistry):
    """The worker adapters, closing the database connection a call thread opened.

    The engine runs a TestState call in a thread of its own (so it can be abandoned
    at its deadline); Django gives that thread its own connection, closed here when
    the call ends so abandoned or finished calls do not leak connections.
    """

    def __init__(self) -> None:
        super().__init__(adapters=dict(worker_registry().adapters))
        self._owner = threading.get_ident()

    def invoke(self, request: InvokeTask) -> TaskResponse:
        try:
            return super().invoke(request)
        finally:
            if threading.get_ident() != self._owner:
                connections.close_all()


def _names_a_connection(value: Any) -> bool:
    """Whether ``Authentication`` (or a ``ConnectionArn`` field) appears anywhere in ``value``."""
    if isinstance(value, Mapping):
        return any(
            str(key).split(".", 1)[0] in ("Authentication", "ConnectionArn")
            or _names_a_connection(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_names_a_connection(item) for item in value)
    return False


def test_state_run(
    user: Any,
    *,
    definition: Any,
    input_value: Any = None,
    workflow_id: Any = None,
    team_slug: str | None = None,
    query_language: str | None = None,
    variables: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    mock: Mapping[str, Any] | None = None,
    inspection_level: str = "DEBUG",
    state_name: str | None = None,
    retrier_retry_count: int = 0,
    error_caused_by_state: str | None = None,
    map_iteration_failure_count: int | None = None,
    map_reader_items: list[Any] | None = None,
) -> dict[str, Any]:
    """The TestState result (see ``engine.teststate.test_state``); ValidationFailed with
    ``{"diagnostics": [...]}`` when the state or the request is not valid."""
    if workflow_id is not None:
        workflow = workflow_get_for(user, workflow_id, RUN)
        team = workflow.team
        if query_language is None:
            top = workflow.definition if isinstance(workflow.definition, dict) else {}
            query_language = top.get("QueryLanguage", "JSONPath")
    elif team_slug:
        team = team_get_for(user, team_slug, RUN)
    else:
        raise ValidationFailed("Name the workflow (or the team) the test belongs to.")
    role = role_of(user, team) or Role.VIEWER
    refused: str | None = None
    if ROLE_RANK[Role(role)] < ROLE_RANK[Role(EDIT)]:
        refused = NEEDS_EDITOR
        if mock is None and _names_a_connection(definition):
            raise PermissionDenied(NEEDS_EDITOR)
    try:
        with team_scope(team.pk, refuse_connections=refused):
            return teststate.test_state(
                definition,
                input_value,
                query_language=query_language or "JSONPath",
                variables=variables,
                context=context,
                mock=mock,
                inspection_level=inspection_level,
                state_name=state_name or teststate.DEFAULT_STATE_NAME,
                retrier_retry_count=retrier_retry_count,
                error_caused_by_state=error_caused_by_state,
                map_iteration_failure_count=map_iteration_failure_count,
                map_reader_items=map_reader_items,
                adapters=_CallThreadRegistry(),
                max_seconds=limit("TEST_STATE_MAX_SECONDS"),
            )
    except DefinitionError as invalid:
        diagnostics = [
            d.to_dict() if hasattr(d, "to_dict") else {"message": str(d)}
            for d in invalid.diagnostics
        ]
        too_large = [d for d in diagnostics if d.get("code") == "TEST_STATE_TOO_LARGE"]
        message = too_large[0]["message"] if too_large else "The state definition is not valid."
        raise ValidationFailed(message, {"diagnostics": diagnostics}) from None


test_state_run.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
