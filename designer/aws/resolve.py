"""ARNs in a request, resolved to the objects they name within the signing key's team.

An ARN of another account never reaches another team's objects: it names
nothing here (``...DoesNotExist``). Text that is not an ARN of the kind an
operation takes is ``InvalidArn``. Role checks stay with the services, which
every handler calls with the objects found here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from designer.arns import Arn, parse_arn
from designer.aws.errors import AwsError, invalid_arn
from designer.models import Activity, Execution, Workflow
from designer.services.access_keys import KeyHolder


@dataclass(frozen=True, slots=True)
class MachineRef:
    """A state machine ARN: the workflow, and the version or alias it is qualified with."""

    workflow: Workflow
    version: int | None = None
    alias: str | None = None


def _parsed(arn: Any, kind: str, what: str, sizes: tuple[int, ...]) -> Arn:
    parsed = parse_arn(arn)
    if parsed is None or parsed.kind != kind or len(parsed.parts) not in sizes:
        raise invalid_arn(arn, what)
    return parsed


def machine_missing(arn: Any) -> AwsError:
    return AwsError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")


def machine(holder: KeyHolder, arn: Any, *, qualified: bool = True) -> MachineRef:
    """A state machine (optionally ``:<version>`` or ``:<alias>``) of the key's team."""
    parsed = _parsed(arn, "stateMachine", "a state machine ARN", (1, 2) if qualified else (1,))
    workflow = None
    if parsed.owned_by(holder.team.pk):
        workflow = (
            Workflow.objects.select_related("team")
            .filter(team=holder.team, name=parsed.parts[0])
            .first()
        )
    if workflow is None:
        raise machine_missing(arn)
    if len(parsed.parts) == 1:
        return MachineRef(workflow)
    qualifier = parsed.parts[1]
    if qualifier.isdigit():
        return MachineRef(workflow, version=int(qualifier))
    return MachineRef(workflow, alias=qualifier)


def execution(holder: KeyHolder, arn: Any) -> Execution:
    """A Standard (``execution:``) or Express (``express:``) execution of the key's team."""
    parsed = parse_arn(arn)
    found = None
    if parsed is not None and parsed.kind == "execution" and len(parsed.parts) == 2:
        if parsed.owned_by(holder.team.pk):
            found = Execution.objects.filter(
                team=holder.team, workflow__name=parsed.parts[0], name=parsed.parts[1]
            )
    elif parsed is not None and parsed.kind == "express" and len(parsed.parts) == 3:
        try:
            pk = uuid.UUID(parsed.parts[2])
        except ValueError:
            raise invalid_arn(arn, "an execution ARN") from None
        if parsed.owned_by(holder.team.pk):
            found = Execution.objects.filter(
                team=holder.team, pk=pk, workflow__name=parsed.parts[0], name=parsed.parts[1]
            )
    else:
        raise invalid_arn(arn, "an execution ARN")
    row = found.select_related("workflow", "version", "alias").first() if found else None
    if row is None:
        raise AwsError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")
    return row


def activity(holder: KeyHolder, arn: Any) -> Activity:
    parsed = _parsed(arn, "activity", "an activity ARN", (1,))
    found = None
    if parsed.owned_by(holder.team.pk):
        found = Activity.objects.filter(team=holder.team, name=parsed.parts[0]).first()
    if found is None:
        raise AwsError("ActivityDoesNotExist", f"Activity Does Not Exist: '{arn}'")
    return found


def map_run(holder: KeyHolder, arn: Any) -> tuple[Execution, str]:
    """``mapRun:<machine>/<label>:<execution name>``: the execution and the Map's label."""
    parsed = parse_arn(arn)
    if parsed is None or parsed.kind != "mapRun" or len(parsed.parts) < 2:
        raise invalid_arn(arn, "a Map Run ARN")
    machine_name, slash, label = parsed.parts[0].partition("/")
    if not slash or not label:
        raise invalid_arn(arn, "a Map Run ARN")
    rows = Execution.objects.none()
    if parsed.owned_by(holder.team.pk):
        rows = Execution.objects.filter(
            team=holder.team, workflow__name=machine_name, name=parsed.parts[1]
        )
        if len(parsed.parts) == 3:  # an Express execution's Map Run carries its id
            try:
                rows = rows.filter(pk=uuid.UUID(parsed.parts[2]))
            except ValueError:
                raise invalid_arn(arn, "a Map Run ARN") from None
    row = rows.select_related("workflow").first()
    if row is None:
        raise AwsError("ResourceNotFound", f"Resource not found: '{arn}'")
    return row, label
