"""Websocket routes."""

from django.urls import path

from designer import consumers

websocket_urlpatterns = [
    path("ws/executions/<uuid:execution_id>/", consumers.ExecutionConsumer.as_asgi()),
    path(
        "ws/workflows/<uuid:workflow_id>/executions/",
        consumers.WorkflowExecutionsConsumer.as_asgi(),
    ),
]
