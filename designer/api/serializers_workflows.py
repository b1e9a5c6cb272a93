"""Request and response shapes of the workflow endpoints (for validation and the schema).

Input serializers only check shapes; the rules (AWS's name rule, a definition
that is a JSON object, roles, revisions) live in ``designer.services.workflows``.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from designer.api.serializers_teams import ErrorSerializer
from designer.models import NAME_RULE, WorkflowType

__all__ = ["ErrorSerializer"]

NAME_HELP = (
    "1-80 characters, as AWS requires for state machine names: no whitespace, brackets, "
    "wildcards, quotes, control characters or any of # % \\ ^ | ~ ` $ & , ; : /."
)


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 80,
        "pattern": re.compile(NAME_RULE.regex).pattern,
    }
)
class NameField(serializers.CharField):
    """A name as AWS's rule allows it; documented with the rule, checked by the service."""


@extend_schema_field({"type": "object", "additionalProperties": {}})
class JSONObjectField(serializers.JSONField):
    """A JSON object (an ASL definition, a layout); documented as one, checked by the service."""


def _name(required: bool = True) -> serializers.CharField:
    return NameField(max_length=200, trim_whitespace=False, required=required, help_text=NAME_HELP)


class DiagnosticSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="A stable code such as DANGLING_NEXT.")
    message = serializers.CharField()
    location = serializers.CharField(
        allow_blank=True, help_text="JSON Pointer into the definition ('' is the whole document)."
    )
    severity = serializers.ChoiceField(choices=["error", "warning"])
    line = serializers.IntegerField(required=False, help_text="1-based, for text only.")
    column = serializers.IntegerField(required=False, help_text="1-based, for text only.")


class WorkflowListItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    team = serializers.CharField(help_text="The owning team's slug.")
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=WorkflowType.choices)
    description = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WorkflowSerializer(WorkflowListItemSerializer):
    definition = serializers.JSONField(help_text="The draft ASL definition, in stored key order.")
    layout = serializers.JSONField(help_text="Editor layout hints; never part of an export.")
    diagnostics = DiagnosticSerializer(many=True, help_text="The engine's findings on the draft.")
    tags = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    retention_days = serializers.IntegerField(
        required=False, help_text="Days finished executions are kept."
    )


class WorkflowCreateSerializer(serializers.Serializer[Any]):
    name = _name()
    type = serializers.ChoiceField(choices=WorkflowType.choices, default=WorkflowType.STANDARD)
    definition = JSONObjectField(help_text="The ASL definition: a JSON object.")
    layout = JSONObjectField(required=False, help_text="Optional editor layout hints.")
    description = serializers.CharField(required=False, allow_blank=True, default="")


class WorkflowUpdateSerializer(serializers.Serializer[Any]):
    """PUT sends every editable field; PATCH sends only those that change."""

    revision = serializers.IntegerField(
        min_value=1, help_text="The revision you edited; a stale one gets 409."
    )
    name = _name()
    type = serializers.ChoiceField(choices=WorkflowType.choices)
    definition = JSONObjectField()
    layout = JSONObjectField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        required=False,
        help_text="{key: value}: at most 50; keys 1-128, values up to 256 characters (AWS).",
    )
    retention_days = serializers.IntegerField(
        required=False, help_text="Days finished executions are kept (1-3650)."
    )


class WorkflowPatchSerializer(WorkflowUpdateSerializer):
    name = _name(required=False)
    type = serializers.ChoiceField(choices=WorkflowType.choices, required=False)
    definition = JSONObjectField(required=False)


class ConflictSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="'conflict'")
    message = serializers.CharField()
    details = serializers.JSONField(
        allow_null=True,
        help_text="For a stale revision: {current: the stored workflow, your_revision}; "
        "for a name in use: {name, team}; at a quota (VERSIONS_PER_WORKFLOW_MAX): {limit}.",
    )


class WorkflowDuplicateSerializer(serializers.Serializer[Any]):
    name = _name()
    description = serializers.CharField(required=False, allow_blank=True)


class ValidateRequestSerializer(serializers.Serializer[Any]):
    definition = JSONObjectField(
        required=False, help_text="A definition to check instead of the stored draft."
    )
    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="JSON or YAML text to check; diagnostics then carry line and column.",
    )


class ValidateResponseSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField(help_text="True when there is no error (warnings allowed).")
    diagnostics = DiagnosticSerializer(many=True)


class PublishRequestSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(
        required=False, min_value=1, help_text="Publish only if the draft is at this revision."
    )


class VersionListItemSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)
    created_by = serializers.CharField(allow_null=True, help_text="Who published it.")
    created_at = serializers.DateTimeField()


class VersionSerializer(VersionListItemSerializer):
    definition = serializers.JSONField(help_text="The published, immutable ASL definition.")


class ImportRequestSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        trim_whitespace=False,
        help_text="ASL (JSON or YAML), or a CloudFormation/SAM template (JSON or YAML).",
    )
    name = _name(required=False)
    type = serializers.ChoiceField(choices=WorkflowType.choices, required=False)
    logical_id = serializers.CharField(
        required=False, help_text="Which state machine of a template holds several."
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ImportSummarySerializer(serializers.Serializer[Any]):
    source = serializers.ChoiceField(choices=["asl", "cloudformation"])  # type: ignore[assignment]
    logical_id = serializers.CharField(allow_null=True)
    placeholders = serializers.ListField(
        child=serializers.CharField(), help_text="${...} placeholders left unsubstituted."
    )
    notes = serializers.ListField(child=serializers.CharField())


class ImportResponseSerializer(WorkflowSerializer):
    imported = ImportSummarySerializer()


class ImportPreviewRequestSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        trim_whitespace=False,
        help_text="ASL (JSON or YAML), or a CloudFormation/SAM template (JSON or YAML).",
    )
    logical_id = serializers.CharField(
        required=False, help_text="Which state machine of a template (default: the first)."
    )


class ImportPreviewSerializer(ImportSummarySerializer):
    state_machines = serializers.ListField(
        child=serializers.CharField(), help_text="A template's state machines (logical ids)."
    )
    name = serializers.CharField(allow_null=True)
    type = serializers.CharField(allow_null=True)
    definition = serializers.JSONField()
    diagnostics = DiagnosticSerializer(many=True)
