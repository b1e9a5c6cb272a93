"""API routes for connections: per team (list, create) and per connection."""

from django.urls import path

from designer.api import connections as views

urlpatterns = [
    path(
        "teams/<slug:slug>/connections/",
        views.TeamConnectionListView.as_view(),
        name="api-connections",
    ),
    path(
        "connections/<uuid:connection_id>/",
        views.ConnectionDetailView.as_view(),
        name="api-connection",
    ),
]
