"""API routes for activities, task-token answers and execution links (parent and children)."""

from django.urls import path

from designer.api import activities, task_tokens

urlpatterns = [
    path(
        "teams/<slug:slug>/activities/",
        activities.ActivityListView.as_view(),
        name="api-activities",
    ),
    path("activities/", activities.ActivitiesView.as_view(), name="api-activities-all"),
    path(
        "activities/<int:activity_id>/",
        activities.ActivityDetailView.as_view(),
        name="api-activity",
    ),
    path(
        "activities/<int:activity_id>/poll/",
        activities.ActivityPollView.as_view(),
        name="api-activity-poll",
    ),
    path("tasks/success/", task_tokens.TaskSuccessView.as_view(), name="api-task-success"),
    path("tasks/failure/", task_tokens.TaskFailureView.as_view(), name="api-task-failure"),
    path("tasks/heartbeat/", task_tokens.TaskHeartbeatView.as_view(), name="api-task-heartbeat"),
    path(
        "executions/<uuid:execution_id>/links/",
        task_tokens.ExecutionLinksView.as_view(),
        name="execution-links",
    ),
]
