"""Conditional GET for JSON that clients poll: a strong ETag of the body, 304 when unchanged.

A poller sends the ETag it last got as ``If-None-Match``; when the page it asks
for is the same, the answer is ``304 Not Modified`` without a body, so a page
that polls every few seconds costs one small response while nothing changes.
``Cache-Control: private, no-cache``: a browser may keep the body but must ask
again each time; no shared cache keeps it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.http import parse_etags
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response


def etag_of(data: Any) -> str:
    """A strong ETag of JSON-ready data (the same data always gives the same tag)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def conditional_response(request: Request, data: Any) -> Response:
    """``data`` with its ETag, or an empty 304 when ``If-None-Match`` names that ETag."""
    tag = etag_of(data)
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    response = (
        Response(status=status.HTTP_304_NOT_MODIFIED)
        if tag in wanted or "*" in wanted
        else Response(data)
    )
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response
