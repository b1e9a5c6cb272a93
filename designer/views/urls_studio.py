"""Studio pages (the React bundle): team start page, designer, execution view, Map Run view."""

from django.urls import path

from designer.views import studio

urlpatterns = [
    path("teams/<slug:slug>/studio/", studio.studio_start, name="studio_start"),
    path(
        "teams/<slug:slug>/executions/",
        studio.studio_team_executions,
        name="studio_team_executions",
    ),
    path("workflows/<uuid:workflow_id>/", studio.studio_designer, name="studio_designer"),
    path("executions/<uuid:execution_id>/", studio.studio_execution, name="studio_execution"),
    path("map-runs/<uuid:run_id>/", studio.studio_map_run, name="studio_map_run"),
]
