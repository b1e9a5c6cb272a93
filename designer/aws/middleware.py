"""Every answer under ``/aws`` is AWS JSON, Django's own error pages included.

The endpoint answers its own errors (``designer.aws.view``); what happens
before it runs does not reach it: a path other than ``/aws`` (a 404), a
``Host`` outside ``ALLOWED_HOSTS`` (Django's 400), an error in another
middleware (a 500). Those pages are HTML, which no AWS SDK can read; this
middleware rewrites them as ``{"__type", "message"}`` with AWS's content type
and a request id, as the endpoint's own refusals are.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

AWS_PREFIX = "/aws"
CONTENT_TYPE = "application/x-amz-json-1.0"

_ANSWERS: dict[int, tuple[int, str, str]] = {
    400: (
        400,
        "ValidationException",
        "The request was refused before it reached the AWS API: check that its Host is one of "
        "Stateyard's ALLOWED_HOSTS (or sync-<host> for StartSyncExecution).",
    ),
    404: (
        400,
        "UnknownOperationException",
        "The AWS API is POST /aws (X-Amz-Target: AWSStepFunctions.<Operation>); "
        "there is nothing at this path.",
    ),
    405: (
        400,
        "UnknownOperationException",
        "Send POST /aws with X-Amz-Target: AWSStepFunctions.<Operation>.",
    ),
    413: (413, "ValidationException", "The request body is too large."),
}
_FAILURE = (500, "InternalFailure", "Internal error before the AWS API answered.")


def is_aws(request: HttpRequest) -> bool:
    return request.path == AWS_PREFIX or request.path.startswith(AWS_PREFIX + "/")


def aws_error(status: int, code: str, message: str) -> HttpResponse:
    body = json.dumps({"__type": code, "message": message}).encode()
    response = HttpResponse(body, content_type=CONTENT_TYPE, status=status)
    response["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


class AwsErrorMiddleware:
    """Put it right after ``SecurityMiddleware``: outside every middleware that may answer
    with an HTML page (``designer.csp`` checks the Host)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_aws(request) or response.status_code < 400:
            return response
        if str(response.get("Content-Type", "")).startswith(CONTENT_TYPE):
            return response  # the endpoint's own answer
        status = response.status_code
        fallback = _FAILURE if status >= 500 else _ANSWERS[400]
        return aws_error(*_ANSWERS.get(status, fallback))
