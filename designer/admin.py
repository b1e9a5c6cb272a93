"""Django admin for every model."""

from django.contrib import admin

from designer import models


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("team", "user", "role")
    list_filter = ("role",)


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("team", "email", "role", "created_at", "accepted_at", "revoked")


@admin.register(models.Workflow)
class WorkflowAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "team", "type", "revision", "updated_at")
    list_filter = ("type", "team")
    search_fields = ("name",)


@admin.register(models.WorkflowVersion)
class WorkflowVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("workflow", "number", "created_at")


@admin.register(models.WorkflowAlias)
class WorkflowAliasAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "workflow", "starts", "updated_at")
    list_select_related = ("workflow",)
    search_fields = ("name",)


@admin.register(models.Execution)
class ExecutionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "workflow", "status", "start_date", "stop_date")
    list_filter = ("status", "type")
    search_fields = ("name",)


@admin.register(models.ExecutionEvent)
class ExecutionEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("execution", "event_id", "type", "timestamp")
    list_filter = ("type",)


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "name", "prefix", "created_at", "revoked_at")
    exclude = ("key_hash",)


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("team", "actor", "action", "target", "created_at")
    list_filter = ("action",)


@admin.register(models.Activity)
class ActivityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "team", "created_at")
    search_fields = ("name",)


@admin.register(models.TaskInvocation)
class TaskInvocationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("execution", "state_name", "kind", "status", "created_at", "finished_at")
    list_filter = ("kind", "status")
    exclude = ("token_hash",)


@admin.register(models.Connection)
class ConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "team", "auth_type", "created_at")
    exclude = ("secret",)  # encrypted; never shown


@admin.register(models.AccessKey)
class AccessKeyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("key_id", "user", "team", "created_at", "revoked_at")
    exclude = ("secret",)


@admin.register(models.MockConfig)
class MockConfigAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("team",)


@admin.register(models.MapRun)
class MapRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id", "status")


@admin.register(models.MapRunItem)
class MapRunItemAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("id",)
