"""Stateyard's data: teams and roles, workflows and versions, executions and their history.

Models hold data and constraints only; every rule (who may do what, how an
execution advances) lives in ``designer.services``. Names follow AWS's rules
for state machine and execution names (1-80 characters, no whitespace, no
wildcard or control characters).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from designer.fields import OrderedJSONField

NAME_RULE = RegexValidator(
    r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$",
    "Use 1-80 characters: no spaces, brackets, wildcards, quotes or control characters.",
)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    RUNNER = "runner", "Runner"
    VIEWER = "viewer", "Viewer"


ROLE_RANK = {Role.VIEWER: 0, Role.RUNNER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Team(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} as {self.role}"


class Invitation(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(blank=True)  # empty for a shareable link
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)


class WorkflowType(models.TextChoices):
    STANDARD = "STANDARD", "Standard"
    EXPRESS = "EXPRESS", "Express"


#: AWS keeps a closed Standard execution's history for 90 days.
DEFAULT_RETENTION_DAYS = 90


class Workflow(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="workflows")
    name = models.CharField(max_length=80, validators=[NAME_RULE])
    type = models.CharField(
        max_length=10, choices=WorkflowType.choices, default=WorkflowType.STANDARD
    )
    description = models.TextField(blank=True)
    definition = OrderedJSONField()  # the draft ASL definition, key order kept
    layout = OrderedJSONField(default=dict, blank=True)  # editor hints, never exported as ASL
    revision = models.PositiveIntegerField(default=1)
    tags = OrderedJSONField(default=dict, blank=True)  # {key: value}, AWS's tag limits
    # finished executions older than this many days are deleted with their history
    retention_days = models.PositiveIntegerField(default=DEFAULT_RETENTION_DAYS)
    # what the AWS API accepts and stores but cannot apply (roleArn, loggingConfiguration,
    # tracingConfiguration, encryptionConfiguration): shown back as sent (docs/aws-api.md)
    aws_options = OrderedJSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="workflow_name_unique_in_team")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkflowVersion(models.Model):
    """An immutable published definition."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = OrderedJSONField()
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workflow", "number"], name="version_number_unique")
        ]
        ordering = ["-number"]


ALIAS_NAME_RULE = RegexValidator(
    r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]{1,80}$",
    "Use 1-80 letters, digits, hyphens, underscores or dots, not only digits "
    "(an alias name must not look like a version number).",
)


class WorkflowAlias(models.Model):
    """A name that routes starts to one version, or splits them between two by weight.

    ``routing`` is ``[{"version": <number>, "weight": <0-100>}, ...]`` (1 or 2
    entries, weights summing to 100); ``starts`` counts the starts routed so far
    (``designer.services.aliases`` spreads them by weight from it).
    """

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80, validators=[ALIAS_NAME_RULE])
    description = models.CharField(max_length=256, blank=True)
    routing = OrderedJSONField(default=list)
    starts = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workflow", "name"], name="alias_name_unique")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExecutionStatus(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    TIMED_OUT = "TIMED_OUT"
    ABORTED = "ABORTED"


class Execution(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="executions")
    # the workflow's team, copied so a team's list pages walk one index (save() fills it in)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        WorkflowVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alias = models.ForeignKey(  # the alias it was started through, if any
        WorkflowAlias, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    definition = OrderedJSONField()  # what this execution runs (a version's or the draft)
    name = models.CharField(max_length=80, validators=[NAME_RULE])
    type = models.CharField(max_length=10, choices=WorkflowType.choices)
    status = models.CharField(
        max_length=10, choices=ExecutionStatus.choices, default=ExecutionStatus.RUNNING
    )
    input = OrderedJSONField(null=True)
    output = OrderedJSONField(null=True, blank=True)
    error = models.TextField(null=True, blank=True)
    cause = models.TextField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    start_date = models.DateTimeField(auto_now_add=True)
    stop_date = models.DateTimeField(null=True, blank=True)
    # durable runtime
    state = OrderedJSONField(null=True, blank=True)  # engine.interpreter.data.to_dict
    sequence = models.PositiveIntegerField(default=0)  # advances committed so far
    wake_at = models.DateTimeField(null=True, blank=True, db_index=True)  # next timer due
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    pending_signals = OrderedJSONField(default=list, blank=True)  # answers not yet applied
    mocks = OrderedJSONField(null=True, blank=True)  # scripted task results, per state
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    parent_task_id = models.PositiveIntegerField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)
    # redrive (RedriveExecution): how often, and when last
    redrive_count = models.PositiveIntegerField(default=0)
    redrive_date = models.DateTimeField(null=True, blank=True)
    # "re-run from here": the execution this one re-runs, from which top-level state
    rerun_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reruns"
    )
    rerun_state = models.CharField(max_length=80, blank=True, default="")
    # a Distributed Map's child: its Map Run and the index of its item (or batch)
    map_run = models.ForeignKey(
        "MapRun", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    map_index = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            # a Standard execution's name is unique in its machine (StartExecution is idempotent
            # on it, as on AWS); an Express one's is not: AWS neither makes Express names unique
            # nor Express starts idempotent, and its ARN carries the id (``arns``)
            models.UniqueConstraint(
                fields=["workflow", "name"],
                name="execution_name_unique_in_workflow",
                condition=models.Q(type="STANDARD"),
            )
        ]
        indexes = [
            # list pages: newest first, keyset on (start_date, id), by team or workflow, with or
            # without a status (a workflow and a status together walk the workflow's index)
            # (partial: a Distributed Map's children are listed by their Map Run instead)
            models.Index(
                fields=["team", "-start_date", "-id"],
                name="execution_team_top_newest",
                condition=models.Q(map_run__isnull=True),
            ),
            models.Index(
                fields=["team", "status", "-start_date", "-id"],
                name="execution_team_top_st_newest",
                condition=models.Q(map_run__isnull=True),
            ),
            models.Index(
                fields=["workflow", "-start_date", "-id"],
                name="execution_wf_top_newest",
                condition=models.Q(map_run__isnull=True),
            ),
            models.Index(fields=["status", "wake_at"]),
            models.Index(fields=["workflow", "stop_date"], name="execution_retention"),
            # a Map Run's children: counts by status, pages by item index
            models.Index(fields=["map_run", "status", "map_index"], name="execution_maprun_status"),
            models.Index(fields=["map_run", "map_index"], name="execution_maprun_index"),
        ]
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.workflow.name}/{self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.team_id is None and self.workflow_id is not None:
            self.team_id = self.workflow.team_id
        super().save(*args, **kwargs)


class ExecutionEvent(models.Model):
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="events")
    event_id = models.PositiveIntegerField()  # AWS's id: 1..N
    previous_event_id = models.PositiveIntegerField(default=0)
    type = models.CharField(max_length=48)
    timestamp = models.DateTimeField()
    details = OrderedJSONField(default=dict)  # the raw details (values, not JSON text)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["execution", "event_id"], name="event_id_unique")
        ]
        ordering = ["event_id"]


class Activity(models.Model):
    """A named queue of work that activity workers poll (GetActivityTask)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(max_length=80, validators=[NAME_RULE])
    tags = OrderedJSONField(default=dict, blank=True)  # {key: value}, AWS's tag limits
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="activity_name_unique_in_team")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InvocationKind(models.TextChoices):
    WORKER = "worker"  # run by a background worker (HTTP, Python functions)
    ACTIVITY = "activity"  # handed to an activity worker that polls for it
    CALLBACK = "callback"  # .waitForTaskToken: answered with the task token
    CHILD = "child"  # a child execution (states:startExecution)


class InvocationStatus(models.TextChoices):
    SCHEDULED = "scheduled"
    STARTED = "started"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskInvocation(models.Model):
    """One attempt of a Task state waiting on work outside the engine."""

    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="invocations")
    task_id = models.PositiveIntegerField()
    state_name = models.CharField(max_length=80)
    resource = models.CharField(max_length=2048)
    kind = models.CharField(max_length=10, choices=InvocationKind.choices)
    status = models.CharField(
        max_length=10, choices=InvocationStatus.choices, default=InvocationStatus.SCHEDULED
    )
    input = OrderedJSONField(null=True)
    context = OrderedJSONField(null=True)
    token_hash = models.CharField(max_length=64, unique=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="invocations"
    )
    worker_name = models.CharField(max_length=80, blank=True)
    timeout_seconds = models.FloatField(null=True, blank=True)
    heartbeat_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)  # a background worker's claim

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["execution", "task_id"], name="one_invocation_per_task")
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"])]


class ApiToken(models.Model):
    """A per-user token for scripts; only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class AccessKey(models.Model):
    """An AWS-style access key pair for the AWS API: one user acting in one team.

    The secret is needed to check each request's SigV4 signature, so it is kept
    encrypted (``designer.services.access_keys``), never hashed; it is shown once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_keys"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="access_keys")
    key_id = models.CharField(max_length=32, unique=True)
    secret = models.TextField()  # Fernet token of the secret access key
    description = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class MockConfig(models.Model):
    """A team's Step Functions Local mock configuration (``StateMachines``, ``MockedResponses``)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="mock_config")
    config = OrderedJSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)


class AuditEntry(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=64)  # "workflow.update", "membership.role_change", ...
    target = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


CONNECTION_NAME_RULE = RegexValidator(
    r"^[\.\-_A-Za-z0-9]{1,64}$",
    "Use 1-64 letters, digits, dots, hyphens or underscores.",
)


class ConnectionAuthType(models.TextChoices):
    API_KEY = "API_KEY", "API key"
    BASIC = "BASIC", "Basic"
    OAUTH_CLIENT_CREDENTIALS = "OAUTH_CLIENT_CREDENTIALS", "OAuth client credentials"
    S3 = "S3", "S3-compatible storage"


class Connection(models.Model):
    """Credentials an HTTP Task uses (an EventBridge connection); secrets are encrypted at rest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="connections")
    name = models.CharField(max_length=64, validators=[CONNECTION_NAME_RULE])
    description = models.CharField(max_length=512, blank=True)
    auth_type = models.CharField(max_length=32, choices=ConnectionAuthType.choices)
    parameters = models.JSONField(default=dict, blank=True)  # the non-secret parts
    secret = models.TextField()  # Fernet token of the secret parts (JSON)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="connection_name_unique_in_team")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def arn(self) -> str:
        return f"arn:aws:events:us-east-1:000000000000:connection/{self.name}/{self.id}"


class MapRunStatus(models.TextChoices):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    ABORTED = "ABORTED"


class MapRun(models.Model):
    """A Distributed Map's run: its items become child executions (``services.map_runs``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="map_runs")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    task_id = models.PositiveIntegerField()  # the engine's StartMapRun id (answered like a task)
    arn = models.CharField(max_length=512, db_index=True)
    state_name = models.CharField(max_length=80)
    label = models.CharField(max_length=80)
    status = models.CharField(
        max_length=10, choices=MapRunStatus.choices, default=MapRunStatus.RUNNING
    )
    spec = OrderedJSONField()  # engine.interpreter.map_runs: the StartMapRun spec
    execution_type = models.CharField(max_length=10, default="STANDARD")
    max_concurrency = models.PositiveIntegerField(default=0)
    tolerated_failure_count = models.PositiveIntegerField(null=True, blank=True)
    tolerated_failure_percentage = models.FloatField(null=True, blank=True)
    # reading: items staged so far, where the reader resumes, and whether it is done
    items_read = models.PositiveIntegerField(default=0)
    reader_state = OrderedJSONField(null=True, blank=True)
    reading_done = models.BooleanField(default=False)
    error = models.TextField(null=True, blank=True)
    cause = models.TextField(null=True, blank=True)
    result_writer_details = OrderedJSONField(null=True, blank=True)
    results_written = models.PositiveIntegerField(default=0)
    redrive_count = models.PositiveIntegerField(default=0)
    redrive_date = models.DateTimeField(null=True, blank=True)
    start_date = models.DateTimeField(auto_now_add=True)
    stop_date = models.DateTimeField(null=True, blank=True)
    wake_at = models.DateTimeField(null=True, blank=True)  # when its coordinator is due
    answered = models.BooleanField(default=False)  # the parent was told how it ended

    class Meta:
        indexes = [
            models.Index(fields=["execution", "task_id"], name="maprun_execution_task"),
            models.Index(fields=["status", "wake_at"], name="maprun_due"),
        ]
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.arn


class MapRunItem(models.Model):
    """An item (or batch) read but not started yet: the child's input, in read order."""

    map_run = models.ForeignKey(MapRun, on_delete=models.CASCADE, related_name="items")
    index = models.PositiveIntegerField()
    input = OrderedJSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["map_run", "index"], name="maprun_item_unique")
        ]
