"""Any path under ``/api/`` that no route matches: a JSON 404 in the API's error shape.

Without it Django answers an unknown path (or an id that does not fit its
route, like ``/api/executions/not-a-uuid/``) with the site's HTML 404 page.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"code": "not_found", "message": "No such API endpoint.", "details": None}, status=404
    )
