"""Activity endpoints: create, list, describe, delete, and the long poll workers call.

``POST /api/activities/<id>/poll/`` is AWS's GetActivityTask. Its checks (who
is calling, their role, the body) run in an ordinary DRF view; the waiting runs
in an async view around it that sleeps between short claim attempts, so a
waiting poll holds neither a database transaction nor a connection nor a
thread (under ASGI; under WSGI a poll occupies its worker as any slow request).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.serializers_teams import ErrorSerializer
from designer.api.serializers_workflows import NameField
from designer.models import Activity
from designer.services import activities as services

TAGS = ["activities"]
E403 = OpenApiResponse(ErrorSerializer, description="Your role does not allow this.")
E404 = OpenApiResponse(ErrorSerializer, description="No such activity (or team).")
POLL_MAX_SLEEP = 0.5  # seconds between claim attempts once the backoff has grown


class ActivitySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    arn = serializers.CharField(help_text="What a Task state names as its Resource.")
    team = serializers.SlugField(source="team.slug")
    created_at = serializers.DateTimeField()


class ActivityCreateSerializer(serializers.Serializer[Any]):
    name = NameField(max_length=80)


class PollSerializer(serializers.Serializer[Any]):
    wait = serializers.FloatField(
        required=False,
        min_value=0,
        help_text="Seconds to wait for a task (default and maximum 60).",
    )
    workerName = serializers.CharField(required=False, allow_blank=True, max_length=80)


class ActivityTaskSerializer(serializers.Serializer[Any]):
    taskToken = serializers.CharField(
        required=False, help_text="Absent when no task came within the wait."
    )
    input = serializers.JSONField(required=False, help_text="The Task's effective input.")


def activity_data(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "name": activity.name,
        "arn": services.activity_arn(activity),
        "team": activity.team,
        "created_at": activity.created_at,
    }


class ActivitiesView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Activities in all your teams (a worker finds its activity's id by ARN)",
        parameters=[OpenApiParameter("arn", str, description="Only the activity with this ARN.")],
        responses={200: ActivitySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        found = services.activities_visible(request.user, request.query_params.get("arn"))
        return Response(ActivitySerializer([activity_data(a) for a in found], many=True).data)


class ActivityListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The team's activities",
        responses={200: ActivitySerializer(many=True), 404: E404},
    )
    def get(self, request: Request, slug: str) -> Response:
        found = services.activity_list(request.user, slug)
        return Response(ActivitySerializer([activity_data(a) for a in found], many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Create an activity (editors and owners)",
        request=ActivityCreateSerializer,
        responses={201: ActivitySerializer, 403: E403, 404: E404},
    )
    def post(self, request: Request, slug: str) -> Response:
        body = ActivityCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.activity_create(request.user, slug, body.validated_data["name"])
        return Response(ActivitySerializer(activity_data(activity)).data, status=201)


class ActivityDetailView(APIView):
    @extend_schema(tags=TAGS, summary="One activity", responses={200: ActivitySerializer})
    def get(self, request: Request, activity_id: int) -> Response:
        activity = services.activity_get_for(request.user, activity_id)
        return Response(ActivitySerializer(activity_data(activity)).data)

    @extend_schema(
        tags=TAGS,
        summary="Delete an activity (editors and owners)",
        description="Tasks still waiting on it fail with ActivityDoesNotExist.",
        responses={204: None, 403: E403, 404: E404},
    )
    def delete(self, request: Request, activity_id: int) -> Response:
        services.activity_delete(request.user, activity_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@dataclass(frozen=True)
class _Ticket:
    """What the checks hand to the waiting part (never rendered)."""

    activity_id: int
    wait: float
    worker_name: str


class ActivityPollView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Wait for a task of this activity (GetActivityTask; runners and up)",
        description="Long poll: answers as soon as a task is claimed for you, or after `wait` "
        "seconds with `{}`. Answer the task with its `taskToken` at `/api/tasks/success/`, "
        "`/api/tasks/failure/` and `/api/tasks/heartbeat/`.",
        parameters=[
            OpenApiParameter(
                "wait", {"type": "number", "minimum": 0}, description="Also accepted in the body."
            )
        ],
        request=PollSerializer,
        responses={200: ActivityTaskSerializer, 403: E403, 404: E404},
    )
    def post(self, request: Request, activity_id: int) -> Response:
        body = PollSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.activity_poll_check(request.user, activity_id)
        in_query = request.query_params.get("wait")
        if in_query is not None:
            services.clamp_wait(in_query)  # a bad one is refused even when the body has one too
        wait = body.validated_data.get("wait", in_query)
        worker = body.validated_data.get("workerName") or ""
        return Response(_Ticket(activity.pk, services.clamp_wait(wait), worker))

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        checks = super().as_view(**initkwargs)

        async def view(request: HttpRequest, activity_id: int) -> HttpResponseBase:
            response = await sync_to_async(checks)(request, activity_id=activity_id)
            ticket = getattr(response, "data", None)
            if not isinstance(ticket, _Ticket):
                return response  # an error, rendered by DRF's exception handler
            return await _long_poll(ticket)

        wrapped = csrf_exempt(view)  # DRF's SessionAuthentication enforces CSRF in the checks
        wrapped.cls = cls  # type: ignore[attr-defined]  # for the OpenAPI schema
        wrapped.initkwargs = initkwargs  # type: ignore[attr-defined]
        return wrapped


def _claim_once(ticket: _Ticket) -> tuple[str, Any] | None:
    try:
        return services.activity_claim(ticket.activity_id, ticket.worker_name)
    finally:
        services.release_connection()


async def _long_poll(ticket: _Ticket) -> JsonResponse:
    deadline = time.monotonic() + ticket.wait
    delay = 0.05
    while True:
        claimed = await sync_to_async(_claim_once)(ticket)
        if claimed is not None:
            token, task_input = claimed
            return JsonResponse({"taskToken": token, "input": task_input})
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return JsonResponse({})
        await asyncio.sleep(min(delay, remaining))
        delay = min(delay * 2, POLL_MAX_SLEEP)
