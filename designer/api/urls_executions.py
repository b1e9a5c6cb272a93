"""API routes for executions."""

from django.urls import path

from designer.api import execution_bulk_stop as bulk_stop_views
from designer.api import execution_redrive as redrive_views
from designer.api import executions as views
from designer.api import map_runs as map_run_views

urlpatterns = [
    path(
        "workflows/<uuid:workflow_id>/executions/",
        views.WorkflowExecutionsView.as_view(),
        name="workflow-executions",
    ),
    path(
        "workflows/<uuid:workflow_id>/executions/sync/",
        views.SyncStartView.as_view(),
        name="workflow-executions-sync",
    ),
    path("executions/", views.ExecutionListView.as_view(), name="executions"),
    path(
        "executions/redrive/",
        redrive_views.ExecutionsRedriveView.as_view(),
        name="executions-redrive",
    ),
    path(
        "executions/stop/",
        bulk_stop_views.ExecutionsStopView.as_view(),
        name="executions-stop",
    ),
    path(
        "executions/<uuid:execution_id>/",
        views.ExecutionDetailView.as_view(),
        name="execution-detail",
    ),
    path(
        "executions/<uuid:execution_id>/history/",
        views.ExecutionHistoryView.as_view(),
        name="execution-history",
    ),
    path(
        "executions/<uuid:execution_id>/stop/",
        views.ExecutionStopView.as_view(),
        name="execution-stop",
    ),
    path(
        "executions/<uuid:execution_id>/redrive/",
        redrive_views.ExecutionRedriveView.as_view(),
        name="execution-redrive",
    ),
    path(
        "executions/<uuid:execution_id>/rerun/",
        redrive_views.ExecutionRerunView.as_view(),
        name="execution-rerun",
    ),
    path(
        "executions/<uuid:execution_id>/map-runs/",
        map_run_views.ExecutionMapRunsView.as_view(),
        name="execution-map-runs",
    ),
    path("map-runs/<uuid:run_id>/", map_run_views.MapRunDetailView.as_view(), name="map-run"),
    path(
        "map-runs/<uuid:run_id>/children/",
        map_run_views.MapRunChildrenView.as_view(),
        name="map-run-children",
    ),
    path(
        "map-runs/<uuid:run_id>/stop/", map_run_views.MapRunStopView.as_view(), name="map-run-stop"
    ),
    path(
        "map-runs/<uuid:run_id>/redrive/",
        map_run_views.MapRunRedriveView.as_view(),
        name="map-run-redrive",
    ),
]
