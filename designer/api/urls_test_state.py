"""API route for TestState (included by ``designer.api.urls``)."""

from django.urls import path

from designer.api.test_state import TestStateView

urlpatterns = [
    path("test-state/", TestStateView.as_view(), name="test-state"),
]
