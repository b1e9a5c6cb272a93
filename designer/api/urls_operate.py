"""API routes for operating workflows: settings, versions, diff, aliases, team executions."""

from django.urls import path

from designer.api import aliases, team_executions, workflow_operate

urlpatterns = [
    path(
        "workflows/<uuid:workflow_id>/settings/",
        workflow_operate.WorkflowSettingsView.as_view(),
        name="api-workflow-settings",
    ),
    path(
        "workflows/<uuid:workflow_id>/delete-summary/",
        workflow_operate.WorkflowDeleteSummaryView.as_view(),
        name="api-workflow-delete-summary",
    ),
    path(
        "workflows/<uuid:workflow_id>/versions/<int:number>/restore/",
        workflow_operate.WorkflowVersionRestoreView.as_view(),
        name="api-workflow-version-restore",
    ),
    path(
        "workflows/<uuid:workflow_id>/diff/",
        workflow_operate.WorkflowDiffView.as_view(),
        name="api-workflow-diff",
    ),
    path(
        "workflows/<uuid:workflow_id>/aliases/",
        aliases.AliasListView.as_view(),
        name="api-workflow-aliases",
    ),
    path(
        "workflows/<uuid:workflow_id>/aliases/<str:name>/",
        aliases.AliasDetailView.as_view(),
        name="api-workflow-alias",
    ),
    path(
        "teams/<slug:slug>/executions/",
        team_executions.TeamExecutionListView.as_view(),
        name="api-team-executions",
    ),
]
