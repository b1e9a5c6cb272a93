"""A workflow written for Step Functions Local runs its test cases unchanged.

The example in ``examples/step-functions-local`` (a definition and its
``MockConfigFile.json``) is deployed and started as Step Functions Local's
guide does it: create the state machine, then start executions with
``<state machine ARN>#<TestCase>``, the ARN in Step Functions Local's account
``123456789012``. Each case runs with its mocked responses on the live server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from rest_framework.test import APIClient

from designer.models import Team
from tests.designer.aws.conftest import SfnFor
from tests.designer.aws.test_executions import finished
from tests.designer.aws.test_state_machines import code_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "step-functions-local"
LOCAL_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:LambdaSQSIntegration"


def test_the_test_cases_run_with_their_mocks(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    config = json.loads((EXAMPLE / "MockConfigFile.json").read_text())
    studio = APIClient()
    studio.force_login(editor)
    assert studio.put("/api/teams/acme/mock-config/", config, format="json").status_code == 200
    sfn = sfn_for(editor, team)
    sfn.create_state_machine(
        name="LambdaSQSIntegration",
        definition=(EXAMPLE / "LambdaSQSIntegration.asl.json").read_text(),
        roleArn="arn:aws:iam::123456789012:role/service-role/LambdaSQSIntegration",
    )
    happy = sfn.start_execution(
        stateMachineArn=LOCAL_ARN + "#HappyPath", name="executionWithHappyPathMockedServices"
    )["executionArn"]
    retry = sfn.start_execution(
        stateMachineArn=LOCAL_ARN + "#RetryPath", name="executionWithRetryPathMockedServices"
    )["executionArn"]
    happy_done = finished(sfn, happy)
    assert happy_done["status"] == "SUCCEEDED"
    assert json.loads(happy_done["output"])["MessageId"] == "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"
    retry_done = finished(sfn, retry, timeout=60)
    assert retry_done["status"] == "SUCCEEDED"
    events = sfn.get_execution_history(executionArn=retry)["events"]
    failures = [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]
    assert failures == [
        "Lambda.ResourceNotReadyException",
        "Lambda.TimeoutException",
        "Lambda.TimeoutException",
    ]
    with pytest.raises(ClientError) as caught:
        sfn.start_execution(stateMachineArn=LOCAL_ARN + "#NoSuchCase")
    assert code_of(caught) == "ValidationException"
    assert "no test case 'NoSuchCase'" in caught.value.response["Error"]["Message"]
