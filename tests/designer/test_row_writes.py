"""Rows written with prebuilt statements read back as the ORM's own writes do."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from designer.models import AuditEntry, Execution, ExecutionEvent, Team, Workflow
from designer.row_writes import row_update, rows_insert

pytestmark = pytest.mark.django_db

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
COMPARED = [
    f.attname
    for f in Execution._meta.concrete_fields
    if f.attname not in ("id", "name", "start_date")
]


@pytest.fixture
def workflow(team: Team) -> Workflow:
    return Workflow.objects.create(team=team, name="w", definition=PASS)


def execution(workflow: Workflow, user: Any, name: str) -> Execution:
    return Execution(
        workflow=workflow,
        team_id=workflow.team_id,
        definition=workflow.definition,
        name=name,
        type=workflow.type,
        input={"b": 1, "a": [1, "x", None]},  # key order kept, as the ORM keeps it
        started_by=user,
        wake_at=datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
    )


def test_an_inserted_execution_reads_back_like_one_the_orm_saved(
    workflow: Workflow, runner: Any
) -> None:
    ours = execution(workflow, runner, "ours")
    rows_insert([ours])
    theirs = execution(workflow, runner, "theirs")
    theirs.save(force_insert=True)
    a, b = Execution.objects.get(pk=ours.pk), Execution.objects.get(pk=theirs.pk)
    assert {n: getattr(a, n) for n in COMPARED} == {n: getattr(b, n) for n in COMPARED}
    assert list(a.input) == ["b", "a"]
    assert a.start_date is not None and a.start_date == ours.start_date  # auto_now_add


def test_a_reused_name_is_the_orms_integrity_error(workflow: Workflow, runner: Any) -> None:
    rows_insert([execution(workflow, runner, "once")])
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert([execution(workflow, runner, "once")])
    assert Execution.objects.filter(name="once").count() == 1


def test_an_update_writes_the_named_columns_only(workflow: Workflow, runner: Any) -> None:
    row = execution(workflow, runner, "u")
    rows_insert([row])
    row.status, row.output, row.event_count = "SUCCEEDED", {"z": 1, "y": 2}, 4
    row.input = {"changed": True}  # not named: stays as stored
    assert row_update(row, ["status", "output", "event_count"]) == 1
    stored = Execution.objects.get(pk=row.pk)
    assert (stored.status, stored.output, stored.event_count) == ("SUCCEEDED", {"z": 1, "y": 2}, 4)
    assert list(stored.output) == ["z", "y"]
    assert stored.input == {"b": 1, "a": [1, "x", None]}


def test_many_rows_with_database_ids_in_one_statement(
    workflow: Workflow, runner: Any, team: Team
) -> None:
    row = execution(workflow, runner, "events")
    rows_insert([row])
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    events = [
        ExecutionEvent(
            execution=row, event_id=n, previous_event_id=n - 1, type="T", timestamp=moment
        )
        for n in range(1, 6)
    ]
    rows_insert(events)
    stored = list(ExecutionEvent.objects.filter(execution=row).order_by("event_id"))
    assert [e.event_id for e in stored] == [1, 2, 3, 4, 5]
    assert all(e.pk is not None and e.details == {} for e in stored)  # the model's default
    rows_insert([AuditEntry(team=team, actor=runner, action="a", target="t", details={"k": 1})])
    entry = AuditEntry.objects.get(action="a")
    assert entry.details == {"k": 1} and entry.created_at is not None
