"""AWS ARNs of Stateyard's objects: each team is an AWS account of its own.

A team's 12-digit account id is its primary key, zero-padded
(``f"{team_id:012d}"``), so an ARN costs no query and never changes; the
region is ``settings.STATEYARD_AWS_REGION`` (``us-east-1`` by default). The
formats are AWS's:

* state machine ``arn:aws:states:<region>:<account>:stateMachine:<name>``, a
  version ``...:stateMachine:<name>:<number>``, an alias ``...:<name>:<alias>``;
* a Standard execution ``...:execution:<machine>:<name>``, an Express one
  ``...:express:<machine>:<name>:<uuid>``;
* an activity ``...:activity:<name>``; a Map Run (made by the engine)
  ``...:mapRun:<machine>/<map label>:<execution name>``.

``parse_arn`` reads any of them back; the caller checks the account, region
and partition with ``Arn.owned_by`` (an ARN of another region or partition
names another resource, which does not exist here, as on AWS;
``designer.aws`` resolves every ARN within the team of the key that signed
the request). No name holds a control character, so an ARN with one
is not an ARN: it never reaches a query (PostgreSQL refuses a NUL). The
fixed accounts of Step Functions Local (``123456789012``) and LocalStack
(``000000000000``, also the one account of Stateyard's ARNs before each team
had its own) are accepted as aliases of the caller's own account, so scripts
and definitions written for them run unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

from designer.models import Activity, Execution, Workflow, WorkflowType

STEP_FUNCTIONS_LOCAL_ACCOUNT = "123456789012"
LOCALSTACK_ACCOUNT = "000000000000"
_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):states:(?P<region>[a-z0-9-]*):(?P<account>\d{12}):"
    r"(?P<kind>stateMachine|execution|express|activity|mapRun):(?P<rest>[^\x00-\x1f\x7f]+)\Z"
)


def region() -> str:
    return str(getattr(settings, "STATEYARD_AWS_REGION", "us-east-1"))


def account_id(team_id: int) -> str:
    return f"{team_id:012d}"


def _prefix(team_id: int) -> str:
    return f"arn:aws:states:{region()}:{account_id(team_id)}"


def machine_arn(workflow: Workflow) -> str:
    return f"{_prefix(workflow.team_id)}:stateMachine:{workflow.name}"


def version_arn(workflow: Workflow, number: int) -> str:
    return f"{machine_arn(workflow)}:{number}"


def alias_arn(workflow: Workflow, alias: str) -> str:
    return f"{machine_arn(workflow)}:{alias}"


def execution_arn_of(team_id: int, machine: str, name: str, kind: str, pk: object) -> str:
    """An execution's ARN from its parts (no query): Express ones carry their id."""
    if kind == WorkflowType.EXPRESS:
        return f"{_prefix(team_id)}:express:{machine}:{name}:{pk}"
    return f"{_prefix(team_id)}:execution:{machine}:{name}"


def execution_arn(execution: Execution) -> str:
    return execution_arn_of(
        execution.team_id, execution.workflow.name, execution.name, execution.type, execution.pk
    )


def role_arn(workflow: Workflow) -> str:
    """The IAM role the machine was given (the AWS API's ``roleArn``), or the team's default:
    what DescribeStateMachine answers and every ExecutionStarted event names."""
    stored = (workflow.aws_options or {}).get("roleArn")
    if isinstance(stored, str) and stored:
        return stored
    return f"arn:aws:iam::{account_id(workflow.team_id)}:role/stateyard"


def activity_arn(activity: Activity) -> str:
    return f"{_prefix(activity.team_id)}:activity:{activity.name}"


@dataclass(frozen=True, slots=True)
class Arn:
    """A parsed ARN: ``kind`` and the parts after it (``rest`` split on ``:``)."""

    region: str
    account: str
    kind: str
    parts: tuple[str, ...]
    partition: str = "aws"

    def owned_by(self, team_id: int) -> bool:
        """Whether this ARN names the team's own resource: its account, in Stateyard's partition
        (``aws``) and region. Another region or partition is another resource, as on AWS: it
        does not exist here."""
        if self.partition != "aws" or self.region != region():
            return False
        return self.account in (
            account_id(team_id),
            STEP_FUNCTIONS_LOCAL_ACCOUNT,
            LOCALSTACK_ACCOUNT,
        )


def parse_arn(text: object) -> Arn | None:
    """The parts of a Step Functions ARN, or None when ``text`` is not one."""
    if not isinstance(text, str):
        return None
    match = _ARN.match(text)
    if match is None:
        return None
    parts = tuple(match["rest"].split(":"))
    if any(not part for part in parts):
        return None
    return Arn(match["region"], match["account"], match["kind"], parts, match["partition"])
