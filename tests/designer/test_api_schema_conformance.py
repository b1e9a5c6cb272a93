"""The OpenAPI schema at ``/api/schema/`` is exact: schemathesis finds nothing to report.

Every operation of the schema is exercised in-process (Django's WSGI app,
this test's database) with generated requests, valid and invalid, and every
schemathesis check runs on every response (the ``--checks all`` of the
command line): no server error, no undocumented status code or content type,
responses valid against their schema, schema-valid requests accepted and
invalid ones refused, authentication honoured. The caller is a team owner
with a token and a few objects to find (a workflow with a published version
and executions, an activity, a connection, an invitation, a second member),
so requests reach past the 404s into the views.

Examples are bounded (``MAX_EXAMPLES`` per operation and phase) so the whole
run takes a minute or two; it is marked slow.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from designer.models import (
    Activity,
    Execution,
    Invitation,
    Membership,
    Role,
    Team,
    Workflow,
    WorkflowVersion,
)
from designer.services.connections import connection_create
from designer.services.tokens import token_create

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

MAX_EXAMPLES = 5

# Operations whose answer to a well-formed request depends on what the request names or on
# the stored state, in ways a JSON Schema cannot say: the text of a state or a template must
# parse as ASL/CloudFormation, a draft must be valid to run or publish, a connection's
# ``auth`` fields depend on its ``auth_type``, a username must exist, a synchronous start
# needs an Express workflow, a cursor must be one the server issued, an owner removes others
# but leaves herself. For these (and only these) a 400 with the error shape is a correct
# answer to a schema-valid request; every other check, and every other operation, stays as
# strict.
SEMANTIC_400 = [
    # a cursor must be one the server issued (an opaque token)
    ("GET", "/api/executions/"),
    ("GET", "/api/workflows/{workflow_id}/executions/"),
    ("GET", "/api/executions/{execution_id}/history/"),
    ("POST", "/api/test-state/"),
    ("POST", "/api/teams/{slug}/workflows/import/"),
    ("POST", "/api/workflows/{workflow_id}/executions/"),
    ("POST", "/api/workflows/{workflow_id}/executions/sync/"),
    ("POST", "/api/workflows/{workflow_id}/publish/"),
    ("POST", "/api/teams/{slug}/connections/"),
    ("PATCH", "/api/connections/{connection_id}/"),
    ("POST", "/api/teams/{slug}/members/"),
    # removing yourself is refused (you leave instead): the id decides, not its shape
    ("DELETE", "/api/teams/{slug}/members/{user_id}/"),
]
ACCEPTED = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]


def schemathesis_config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "operations": [
                {
                    "include-method": method,
                    "include-path": path,
                    "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
                }
                for method, path in SEMANTIC_400
            ]
        }
    )


PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


@pytest.fixture
def known_ids() -> dict[str, Any]:
    return {}


@pytest.fixture
def api_schema(
    db: None,
    team: Team,
    owner: Any,
    editor: Any,
    known_ids: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Any]:
    monkeypatch.setattr("designer.services.activities.MAX_WAIT_SECONDS", 0.05)  # short polls
    from stateyard.wsgi import application

    workflow = Workflow.objects.create(team=team, name="flow", definition=PASS, created_by=owner)
    WorkflowVersion.objects.create(workflow=workflow, number=1, definition=PASS)
    for n in range(3):
        Execution.objects.create(
            workflow=workflow, definition=PASS, name=f"run-{n}", type="STANDARD", input={}
        )
    activity = Activity.objects.create(team=team, name="approve")
    connection = connection_create(
        actor=owner,
        team_slug=team.slug,
        name="api",
        auth_type="API_KEY",
        auth={"api_key_name": "x-key", "api_key_value": "secret"},
    )
    invitation = Invitation.objects.create(
        team=team,
        email="new@example.com",
        role=Role.VIEWER,
        token="invite-token",
        invited_by=owner,
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert Membership.objects.filter(team=team).count() >= 2
    token_row, token = token_create(owner, "schemathesis-spare")
    known_ids.update(
        slug=team.slug,
        workflow_id=str(workflow.pk),
        execution_id=str(Execution.objects.filter(workflow=workflow).first().pk),  # type: ignore[union-attr]
        number=1,
        activity_id=activity.pk,
        connection_id=str(connection.pk),
        invitation_id=invitation.pk,
        user_id=editor.pk,
        token_id=token_row.pk,
    )
    _, token = token_create(owner, "schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    # the WSGI app runs in this test's transaction: keep Django from closing the connection
    # at the end of each request, as its own test client does
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/", application, headers=headers, config=schemathesis_config()
        )
        schema.config.update(headers=headers)
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


REQUESTS: list[str] = []  # one entry per request made, for the summary line


def all_checks() -> list[Any]:
    """Every check schemathesis has (``--checks all``)."""
    load_all_checks()
    checks = list(CHECKS.get_all())
    assert len(checks) >= 14  # a schemathesis upgrade that renames its registry must not pass
    return checks


def run_operation(
    operation: Any, mode: GenerationMode, path_parameters: dict[str, Any] | None
) -> str | None:
    """Generate requests for one operation and check every response; the failure, if any."""
    checks = all_checks()
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # report the first failure, unshrunk
    )
    def run(case: Any) -> None:
        REQUESTS.append(operation.label)
        case.call_and_validate(checks=checks)

    try:
        run()
    except Unsatisfiable:
        return f"{operation.label} ({mode.value}, ids {path_parameters}): no case could be made"
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as failure:  # every check's failure (an exception group) for one report
        return f"{operation.label} ({mode.value}, ids {path_parameters}):\n{failure}"
    return None


def test_every_operation_conforms_to_the_schema(api_schema: Any, known_ids: dict[str, Any]) -> None:
    REQUESTS.clear()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40
    operations.sort(key=lambda op: op.method.upper() == "DELETE")  # deletions last
    failures = []
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        real = {name: known_ids[name] for name in names if name in known_ids}
        ids = real if names and set(real) == names else None  # reach the views: ids that exist
        headers = [h for h in operation.headers if h.name.lower() != "authorization"]
        rest = len(operation.query) + len(headers) + len(operation.body)
        runs: list[tuple[GenerationMode, dict[str, Any] | None]] = [(GenerationMode.POSITIVE, None)]
        if ids:
            runs.append((GenerationMode.POSITIVE, ids))
        if rest:  # something to get wrong besides the ids: keep them real
            runs.append((GenerationMode.NEGATIVE, ids))
        elif names:  # only the ids: wrong ones
            runs.append((GenerationMode.NEGATIVE, None))
        for mode, fixed in runs:
            began = time.monotonic()
            failure = run_operation(operation, mode, fixed)
            if failure:
                failures.append(failure)
            took = time.monotonic() - began
            print(f"{took:6.1f} s  {operation.label} {mode.value} {bool(fixed)}")
    print(
        f"schemathesis: {len(operations)} operations, {len(REQUESTS)} requests, "
        f"{len(all_checks())} checks on each, {len(failures)} failing runs"
    )
    assert not failures, f"{len(failures)} failing runs:\n\n" + "\n\n".join(failures)
