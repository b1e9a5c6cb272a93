"""API routes for workflows: per team (list, create, import) and per workflow."""

from django.urls import path

from designer.api import workflows as views

urlpatterns = [
    path(
        "teams/<slug:slug>/workflows/",
        views.TeamWorkflowListView.as_view(),
        name="api-workflows",
    ),
    path(
        "teams/<slug:slug>/workflows/import/",
        views.TeamWorkflowImportView.as_view(),
        name="api-workflows-import",
    ),
    path("workflows/<uuid:workflow_id>/", views.WorkflowDetailView.as_view(), name="api-workflow"),
    path(
        "workflows/<uuid:workflow_id>/duplicate/",
        views.WorkflowDuplicateView.as_view(),
        name="api-workflow-duplicate",
    ),
    path(
        "workflows/<uuid:workflow_id>/validate/",
        views.WorkflowValidateView.as_view(),
        name="api-workflow-validate",
    ),
    path(
        "workflows/<uuid:workflow_id>/import-preview/",
        views.WorkflowImportPreviewView.as_view(),
        name="api-workflow-import-preview",
    ),
    path(
        "workflows/<uuid:workflow_id>/publish/",
        views.WorkflowPublishView.as_view(),
        name="api-workflow-publish",
    ),
    path(
        "workflows/<uuid:workflow_id>/versions/",
        views.WorkflowVersionListView.as_view(),
        name="api-workflow-versions",
    ),
    path(
        "workflows/<uuid:workflow_id>/versions/<int:number>/",
        views.WorkflowVersionDetailView.as_view(),
        name="api-workflow-version",
    ),
    path(
        "workflows/<uuid:workflow_id>/export/",
        views.WorkflowExportView.as_view(),
        name="api-workflow-export",
    ),
]
