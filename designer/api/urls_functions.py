"""API route for the registered Python functions (read-only)."""

from django.urls import path

from designer.api import functions

urlpatterns = [
    path("functions/", functions.FunctionListView.as_view(), name="api-functions"),
]
