"""Executions carry their workflow's team; list pages get keyset indexes.

The team column is added empty, filled from each execution's workflow, then
made required. Indexes: (team, start_date, id), (team, status, start_date, id)
and (workflow, start_date, id), all newest first, replacing
(workflow, start_date).
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_team(apps: Any, schema_editor: Any) -> None:
    Execution = apps.get_model("designer", "Execution")
    Workflow = apps.get_model("designer", "Workflow")
    Execution.objects.filter(team__isnull=True).update(
        team_id=Subquery(Workflow.objects.filter(pk=OuterRef("workflow_id")).values("team_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("designer", "0004_operate_settings_aliases_retention"),
    ]

    operations = [
        migrations.AddField(
            model_name="execution",
            name="team",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="designer.team",
            ),
        ),
        migrations.RunPython(fill_team, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="execution",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="designer.team",
            ),
        ),
        migrations.RemoveIndex(
            model_name="execution",
            name="designer_ex_workflo_510518_idx",
        ),
        migrations.AddIndex(
            model_name="execution",
            index=models.Index(fields=["team", "-start_date", "-id"], name="execution_team_newest"),
        ),
        migrations.AddIndex(
            model_name="execution",
            index=models.Index(
                fields=["team", "status", "-start_date", "-id"], name="execution_team_st_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="execution",
            index=models.Index(
                fields=["workflow", "-start_date", "-id"], name="execution_wf_newest"
            ),
        ),
    ]
