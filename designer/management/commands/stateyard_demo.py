"""``manage.py stateyard_demo``: a demo user, a demo team and example workflows (idempotent)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from designer.models import Activity, Membership, Role, Team, Workflow, WorkflowType

EXAMPLES = Path(settings.BASE_DIR) / "examples" / "workflows"
EXPRESS = {"nightly-report"}
DEMO_ACTIVITIES = ("approvals",)  # the activity examples/workflows/human-approval uses


class Command(BaseCommand):
    help = "Create the demo user, team and example workflows (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        username = os.environ.get("STATEYARD_DEMO_USER", "demo")
        password = os.environ.get("STATEYARD_DEMO_PASSWORD", "stateyard-demo")
        with transaction.atomic():
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.com"}
            )
            if created:
                user.set_password(password)
                user.save()
            team, _ = Team.objects.get_or_create(slug="demo", defaults={"name": "Demo team"})
            Membership.objects.get_or_create(team=team, user=user, defaults={"role": Role.OWNER})
            for activity in DEMO_ACTIVITIES:
                Activity.objects.get_or_create(team=team, name=activity)
            added = [
                self._workflow(team, user, path) for path in sorted(EXAMPLES.glob("*.asl.json"))
            ]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: log in as {username} / "
                f"{password if created else '(password unchanged)'}; "
                f"team 'Demo team' has {len(added)} example workflows and the activity "
                f"'{DEMO_ACTIVITIES[0]}' (serve it with examples/activity_worker.py)."
            )
        )

    def _workflow(self, team: Team, user: Any, path: Path) -> Workflow:
        name = path.name.removesuffix(".asl.json")
        definition = json.loads(path.read_text(encoding="utf-8"))
        workflow, _ = Workflow.objects.get_or_create(
            team=team,
            name=name,
            defaults={
                "definition": definition,
                "description": definition.get("Comment", ""),
                "type": WorkflowType.EXPRESS if name in EXPRESS else WorkflowType.STANDARD,
                "created_by": user,
            },
        )
        return workflow
