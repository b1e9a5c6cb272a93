"""Map Runs API: describe a Distributed Map's run, page its children, stop and redrive.

Thin views over ``designer.selectors.map_runs`` and the execution services: a
run is visible to whoever may see its parent execution (viewers and up, other
teams get 404); stop and redrive act on the parent (runners and up), as on AWS,
where a Map Run ends with its parent and is redriven by redriving the parent.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.errors import ValidationFailed
from designer.models import ExecutionStatus, MapRun
from designer.selectors.map_runs import (
    MAX_PAGE,
    map_run_children,
    map_run_counts,
    map_run_get_for,
    map_run_pending,
    map_run_progress,
    map_runs_of,
)
from designer.services.access import RUN, VIEW, execution_get_for
from designer.services.execution_redrive import execution_redrive
from designer.services.executions import execution_stop


def _run_for(user: Any, run_id: Any) -> MapRun:
    return map_run_get_for(user, run_id, VIEW)


def describe(run: MapRun) -> dict[str, Any]:
    counts = map_run_counts(run)
    return {
        "id": str(run.pk),
        "map_run_arn": run.arn,
        "execution": str(run.execution_id),
        "state_name": run.state_name,
        "label": run.label,
        "status": run.status,
        "execution_type": run.execution_type,
        "start_date": run.start_date,
        "stop_date": run.stop_date,
        "max_concurrency": run.max_concurrency,
        "tolerated_failure_count": run.tolerated_failure_count,
        "tolerated_failure_percentage": run.tolerated_failure_percentage,
        "item_counts": counts,
        "execution_counts": counts,
        "progress": map_run_progress(run, counts),
        "error": run.error,
        "cause": run.cause,
        "result_writer_details": run.result_writer_details,
        "redrive_count": run.redrive_count,
        "redrive_date": run.redrive_date,
    }


class ExecutionMapRunsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, execution_id: str) -> Response:
        execution = execution_get_for(request.user, execution_id, VIEW)
        return Response({"results": [describe(run) for run in map_runs_of(execution)]})


class MapRunDetailView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, run_id: str) -> Response:
        return Response(describe(_run_for(request.user, run_id)))


def _int(value: str | None, name: str, minimum: int, maximum: int | None = None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise ValidationFailed(f"{name} must be an integer.") from None
    if number < minimum or (maximum is not None and number > maximum):
        raise ValidationFailed(f"{name} must be between {minimum} and {maximum or 'any'}.")
    return number


CHILD_STATUSES = [*ExecutionStatus.values, "PENDING"]


def _pending(index: int) -> dict[str, Any]:
    return {
        "id": None,
        "name": None,
        "index": index,
        "status": "PENDING",
        "start_date": None,
        "stop_date": None,
        "error": None,
        "cause": None,
        "redrive_count": 0,
    }


class MapRunChildrenView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=CHILD_STATUSES,
                description="PENDING: items read but not started (no child execution yet).",
            ),
            OpenApiParameter("cursor", int, description="The map_index to start after."),
            OpenApiParameter("limit", int, description=f"At most {MAX_PAGE} (50 by default)."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, run_id: str) -> Response:
        run = _run_for(request.user, run_id)
        wanted = request.query_params.get("status") or None
        if wanted is not None and wanted not in CHILD_STATUSES:
            raise ValidationFailed(f"status must be one of {', '.join(CHILD_STATUSES)}.")
        after = _int(request.query_params.get("cursor"), "cursor", 0)
        limit = _int(request.query_params.get("limit"), "limit", 1, MAX_PAGE) or 50
        if wanted == "PENDING":  # items read, no child yet
            indexes, next_index = map_run_pending(run, after, limit)
            pending = [_pending(index) for index in indexes]
            return Response({"results": pending, "next_cursor": next_index})
        page, cursor = map_run_children(run, wanted, after, limit)
        results = [
            {
                "id": str(child.pk),
                "name": child.name,
                "index": child.map_index,
                "status": child.status,
                "start_date": child.start_date,
                "stop_date": child.stop_date,
                "error": child.error,
                "cause": child.cause,
                "redrive_count": child.redrive_count,
            }
            for child in page
        ]
        return Response({"results": results, "next_cursor": cursor})


class MapRunStopView(APIView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={202: OpenApiTypes.OBJECT},
        description="Stops the Map Run and its parent execution (optional `error`, `cause`).",
    )
    def post(self, request: Request, run_id: str) -> Response:
        run = _run_for(request.user, run_id)
        parent = execution_get_for(request.user, run.execution_id, RUN)
        data = request.data if isinstance(request.data, dict) else {}
        error = str(data.get("error") or "").strip()[:256] or "States.Aborted"
        cause = str(data.get("cause") or "").strip()[:32768]
        cause = cause or f"Stopped from its Map Run {run.label}."
        execution_stop(request.user, parent, error, cause)
        return Response(describe(run), status=status.HTTP_202_ACCEPTED)


class MapRunRedriveView(APIView):
    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    def post(self, request: Request, run_id: str) -> Response:
        run = _run_for(request.user, run_id)
        execution_redrive(request.user, run.execution_id)
        run.refresh_from_db()
        return Response(describe(run), status=status.HTTP_202_ACCEPTED)
