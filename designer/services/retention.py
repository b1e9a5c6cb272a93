"""Execution retention: finished executions older than their workflow's setting are deleted.

Each workflow keeps finished executions (any status but RUNNING) for
``retention_days`` after they stopped (default 90, as AWS keeps a closed
Standard execution); older ones are deleted with their history, task
invocations and links (children keep running, their ``parent`` becomes null).
Deleting goes in batches so a sweep never holds a long lock. It runs from the
``stateyard_expire_executions`` command and the ``executions_expire_task``
periodic task (``CELERY_BEAT_SCHEDULE``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet

from designer.models import Execution, ExecutionStatus, Workflow

BATCH = 500


def expired_executions(workflow: Workflow, now: datetime) -> QuerySet[Execution]:
    """The workflow's finished executions past its retention at ``now``."""
    cutoff = now - timedelta(days=workflow.retention_days)
    return Execution.objects.filter(workflow=workflow, stop_date__lt=cutoff).exclude(
        status=ExecutionStatus.RUNNING
    )


def executions_expire(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete every workflow's expired executions; returns how many (or would be, dry run)."""
    now = now or datetime.now(tz=UTC)
    total = 0
    for workflow in Workflow.objects.only("pk", "retention_days").iterator():
        expired = expired_executions(workflow, now)
        if dry_run:
            total += expired.count()
            continue
        while True:
            ids = list(expired.values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            with transaction.atomic():
                Execution.objects.filter(pk__in=ids).delete()
            total += len(ids)
    return total
