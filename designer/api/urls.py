"""API routes: each area keeps its own URL module."""

from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from designer.api.not_found import api_not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("designer.api.urls_teams")),
    path("", include("designer.api.urls_workflows")),
    path("", include("designer.api.urls_executions")),
    path("", include("designer.api.urls_test_state")),
    path("", include("designer.api.urls_connections")),
    path("", include("designer.api.urls_tasks")),
    re_path(r"", api_not_found),  # last: whatever no route above matches
]
