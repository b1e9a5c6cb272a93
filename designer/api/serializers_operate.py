"""Request and response shapes of the operate endpoints: settings, versions, diff, aliases.

Shapes only; the rules (tag limits, Express compatibility, routing weights,
alias names, revisions, roles) live in the services.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from designer.api.serializers_workflows import DiagnosticSerializer
from designer.models import WorkflowType


class TagsField(serializers.DictField):
    """``{key: value}``: at most 50 tags, keys 1-128 and values 0-256 characters (AWS)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            child=serializers.CharField(allow_blank=True, trim_whitespace=False), **kwargs
        )


class SettingsSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    revision = serializers.IntegerField(help_text="The draft revision; send it back to change.")
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=WorkflowType.choices)
    timeout_seconds = serializers.IntegerField(
        allow_null=True, help_text="The definition's TimeoutSeconds (null: none)."
    )
    tags = TagsField()
    retention_days = serializers.IntegerField(
        help_text="Finished executions older than this are deleted with their history."
    )


class SettingsUpdateSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(
        min_value=1, help_text="The revision you looked at; a stale one gets 409."
    )
    name = serializers.CharField(required=False, max_length=200, trim_whitespace=False)
    description = serializers.CharField(required=False, allow_blank=True)
    type = serializers.ChoiceField(
        choices=WorkflowType.choices,
        required=False,
        help_text="EXPRESS is refused when the definition uses .sync, .sync:2, "
        ".waitForTaskToken or activities (details.problems says where).",
    )
    timeout_seconds = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Written to the definition's TimeoutSeconds; null removes it.",
    )
    tags = TagsField(required=False)
    retention_days = serializers.IntegerField(required=False, help_text="1 to 3650.")


class ExpressProblemsSerializer(serializers.Serializer[Any]):
    type = serializers.ListField(child=serializers.CharField())
    problems = DiagnosticSerializer(many=True, help_text="One per state, with a JSON Pointer.")


class ExpressRefusedSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="'validation_failed'")
    message = serializers.CharField()
    details = ExpressProblemsSerializer()


class DeleteSummarySerializer(serializers.Serializer[Any]):
    running_executions = serializers.IntegerField(help_text="Running now; they end with it.")
    stored_executions = serializers.IntegerField(help_text="Deleted with their history.")
    versions = serializers.IntegerField()
    aliases = serializers.IntegerField()


class RestoreRequestSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(
        min_value=1, help_text="The draft revision you are replacing; a stale one gets 409."
    )


class _Renamed(serializers.Serializer[Any]):
    """Fields whose JSON names are Python keywords or Serializer attributes end in ``_``."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        return {name.rstrip("_"): field for name, field in fields.items()}


class FieldChangeSerializer(serializers.Serializer[Any]):
    change = serializers.ChoiceField(choices=["added", "removed", "changed"])
    pointer = serializers.CharField(allow_null=True, help_text="JSON Pointer in the 'to' side.")
    old_pointer = serializers.CharField(allow_null=True, help_text="In the 'from' side.")
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class StateChangeSerializer(_Renamed):
    change = serializers.ChoiceField(choices=["added", "removed", "renamed", "changed"])
    name = serializers.CharField()
    old_name = serializers.CharField(allow_null=True)
    type = serializers.CharField(allow_null=True)
    path = serializers.ListField(
        child=serializers.CharField(), help_text='e.g. ["Fan", "Branches", "0", "Work"]'
    )
    pointer = serializers.CharField(allow_null=True)
    old_pointer = serializers.CharField(allow_null=True)
    fields_ = FieldChangeSerializer(many=True)
    similarity = serializers.FloatField(required=False, help_text="For a rename, 0-1.")


class TransitionChangeSerializer(_Renamed):
    change = serializers.ChoiceField(choices=["added", "removed"])
    scope = serializers.CharField(help_text="JSON Pointer of the States object it belongs to.")
    from_ = serializers.CharField(allow_null=True, help_text="null for StartAt.")
    via = serializers.CharField(help_text="StartAt, Next, Default, Choices/<i>, Catch/<i>, End.")
    to = serializers.CharField(allow_null=True, help_text="null for End.")


class DiffSummarySerializer(_Renamed):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    renamed = serializers.IntegerField()
    changed = serializers.IntegerField()
    transitions = serializers.IntegerField()
    fields_ = serializers.IntegerField()


class DiffSerializer(_Renamed):
    from_ = serializers.JSONField(help_text="'draft' or a version number.")
    to = serializers.JSONField(help_text="'draft' or a version number.")
    identical = serializers.BooleanField()
    summary = DiffSummarySerializer()
    fields_ = FieldChangeSerializer(many=True, help_text="Outside states (Comment, branches...).")
    states = StateChangeSerializer(many=True)
    transitions = TransitionChangeSerializer(many=True)


class RouteSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    weight = serializers.IntegerField(min_value=0, max_value=100)


ALIAS_NAME_HELP = (
    "1-80 letters, digits, hyphens, underscores or dots, not only digits (AWS's alias rule)."
)


class AliasSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    routing = RouteSerializer(many=True)
    created_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AliasCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, trim_whitespace=False, help_text=ALIAS_NAME_HELP)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    routing = RouteSerializer(
        many=True, help_text="1 or 2 routes to published versions, weights summing to 100."
    )


class AliasUpdateSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(required=False, allow_blank=True)
    routing = RouteSerializer(many=True, required=False)
