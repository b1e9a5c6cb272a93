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

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import CHECKS, load_all_checks
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

MAX_EXAMPLES = 8
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


@pytest.fixture
def known_ids() -> dict[str, Any]:
    return {}


@pytest.fixture
def api_schema(
    db: None, team: Team, owner: Any, editor: Any, known_ids: dict[str, Any]
) -> Iterator[Any]:
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
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
        schema.config.update(headers=headers)
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


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
        case.call_and_validate(checks=checks)

    try:
        run()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as failure:  # every check's failure (an exception group) for one report
        return f"{operation.label} ({mode.value}, ids {path_parameters}):\n{failure}"
    return None


def test_every_operation_conforms_to_the_schema(api_schema: Any, known_ids: dict[str, Any]) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 40
    operations.sort(key=lambda op: op.method.upper() == "DELETE")  # deletions last
    failures = []
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        real = {name: known_ids[name] for name in names if name in known_ids}
        runs: list[tuple[GenerationMode, dict[str, Any] | None]] = [
            (GenerationMode.POSITIVE, None),
            (GenerationMode.NEGATIVE, None),
        ]
        if names and set(real) == names:  # reach the views with ids that exist
            runs.insert(0, (GenerationMode.POSITIVE, real))
            runs.insert(1, (GenerationMode.NEGATIVE, real))
        for mode, ids in runs:
            failure = run_operation(operation, mode, ids)
            if failure:
                failures.append(failure)
    assert not failures, f"{len(failures)} failing runs:\n\n" + "\n\n".join(failures)
