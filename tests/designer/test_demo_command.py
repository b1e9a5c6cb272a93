"""``manage.py stateyard_demo`` seeds a usable demo, and running it twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from designer.models import Activity, Membership, Team, Workflow
from designer.runtime.machines import machine_for

pytestmark = pytest.mark.django_db


def test_demo_is_seeded_once_and_every_workflow_parses() -> None:
    out = StringIO()
    call_command("stateyard_demo", stdout=out)
    call_command("stateyard_demo", stdout=StringIO())
    team = Team.objects.get(slug="demo")
    assert "log in as demo / stateyard-demo" in out.getvalue()
    assert Membership.objects.filter(team=team, user__username="demo", role="owner").count() == 1
    workflows = Workflow.objects.filter(team=team)
    assert workflows.count() >= 8
    for workflow in workflows:
        machine_for(workflow.definition)  # raises if a seeded definition is invalid
    assert Activity.objects.filter(team=team, name="approvals").count() == 1
