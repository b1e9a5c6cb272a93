"""API routes: each area keeps its own URL module."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its start-up script from ?script: the CSP allows no inline script
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("designer.api.urls_teams")),
    path("", include("designer.api.urls_workflows")),
    path("", include("designer.api.urls_executions")),
    path("", include("designer.api.urls_test_state")),
    path("", include("designer.api.urls_connections")),
    path("", include("designer.api.urls_tasks")),
    path("", include("designer.api.urls_functions")),
    path("", include("designer.api.urls_operate")),
]
