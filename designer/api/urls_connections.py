"""API routes for connections (per team and per connection) and a team's item files."""

from django.urls import path

from designer.api import connections as views
from designer.api import item_files

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
    path(
        "teams/<slug:slug>/item-files/",
        item_files.TeamItemFilesView.as_view(),
        name="api-item-files",
    ),
]
