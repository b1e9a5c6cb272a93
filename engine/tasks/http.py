"""``arn:aws:states:::http:invoke``: call an HTTP(S) API from a Task, the way AWS's HTTP Task does.

Parameters (as AWS names them): ``ApiEndpoint``, ``Method``, ``Headers``,
``QueryParameters``, ``RequestBody``, ``Transform`` (``RequestBodyEncoding``
``NONE`` | ``URL_ENCODED`` with ``RequestEncodingOptions.ArrayFormat``
``INDICES`` | ``REPEAT`` | ``COMMAS`` | ``BRACKETS``) and
``Authentication.ConnectionArn``. The result is
``{"Headers", "ResponseBody", "StatusCode", "StatusText"}``; the body is parsed
as JSON when the response says it is JSON.

Errors: a non-2xx answer fails with ``States.Http.StatusCode.<code>`` and the
response (the same shape as a result) as JSON in the cause; a timeout (60 s by
default, as on AWS), a refused or dropped connection, a DNS or TLS failure
fail with ``States.Http.Socket``; an address the guard refuses
(``engine.tasks.http_guard``) fails with ``States.Http.AddressNotAllowed``;
parameters that are not valid fail with ``States.Runtime``.

Calls are synchronous (httpx, one pooled client per registered adapter); the
runner's thread pool (``engine.run(..., real_time=True)``) and the durable
workers run them concurrently. See docs/tasks/http.md.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from engine.adapters import AdapterRegistry, TaskResponse
from engine.interpreter.effects import InvokeTask
from engine.jsonvalue import PAYLOAD_LIMIT_BYTES
from engine.tasks.http_auth import ConnectionAuth, ConnectionFailed, ConnectionResolver
from engine.tasks.http_guard import (
    AddressRefused,
    BodyTooLarge,
    Credentials,
    GuardedHttp,
    HttpResult,
)

RESOURCE = "arn:aws:states:::http:invoke"
DEFAULT_TIMEOUT = 60.0
MAX_CAUSE = 32_768
METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
ARRAY_FORMATS = frozenset({"INDICES", "REPEAT", "COMMAS", "BRACKETS"})
ENCODINGS = frozenset({"NONE", "URL_ENCODED"})
PARAMETERS = frozenset(
    {
        "ApiEndpoint",
        "Method",
        "Headers",
        "QueryParameters",
        "RequestBody",
        "Transform",
        "Authentication",
    }
)
# Headers the task sets itself or that would change how the request is framed or routed.
RESERVED_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "upgrade",
        "te",
        "trailer",
        "expect",
        "proxy-authorization",
        "proxy-connection",
        "forwarded",
        "via",
        "max-forwards",
        "http2-settings",
        "user-agent",
    }
)
RESERVED_HEADER_PREFIXES = ("x-forwarded-", "x-amz-", "x-amzn-")

SOCKET_ERROR = "States.Http.Socket"
REFUSED_ERROR = "States.Http.AddressNotAllowed"
RUNTIME_ERROR = "States.Runtime"


class ParameterError(ValueError):
    """The task's parameters are not a valid HTTP Task request."""


@dataclass(frozen=True)
class HttpCall:
    endpoint: str
    method: str
    headers: dict[str, str]
    query: list[tuple[str, str]]
    body: Any
    has_body: bool
    url_encoded: bool
    array_format: str
    connection_arn: str | None


# ---- parameters ------------------------------------------------------------------------------


def _scalar_text(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)
    if value is None:
        return ""
    raise ParameterError(f"{where} must be a string, number or boolean.")


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ParameterError(f"{where} must be a JSON object.")
    return value


def parse_call(parameters: Any) -> HttpCall:
    """Check the task's effective input and turn it into a request; raises ParameterError."""
    if not isinstance(parameters, Mapping):
        raise ParameterError("The HTTP Task's Parameters must be a JSON object.")
    unknown = sorted(set(parameters) - PARAMETERS)
    if unknown:
        raise ParameterError(
            f"The HTTP Task does not accept the field(s) {', '.join(unknown)}; "
            f"it accepts {', '.join(sorted(PARAMETERS))}."
        )
    endpoint = parameters.get("ApiEndpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise ParameterError("ApiEndpoint is required and must be a URL string.")
    try:
        url = httpx.URL(endpoint)
    except (httpx.InvalidURL, ValueError) as error:
        raise ParameterError(f"ApiEndpoint is not a valid URL: {error}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ParameterError("ApiEndpoint must be an absolute http:// or https:// URL.")
    if url.userinfo:
        raise ParameterError(
            "ApiEndpoint must not carry credentials; use Authentication.ConnectionArn."
        )
    method = parameters.get("Method")
    if not isinstance(method, str) or method.upper() not in METHODS:
        raise ParameterError(f"Method is required and must be one of {', '.join(sorted(METHODS))}.")

    headers: dict[str, str] = {}
    for name, value in _object(parameters.get("Headers", {}), "Headers").items():
        lower = name.lower()
        if lower in RESERVED_HEADERS or lower.startswith(RESERVED_HEADER_PREFIXES):
            raise ParameterError(f"The header '{name}' may not be set on an HTTP Task.")
        if not name or any(c in name for c in " \t\r\n:"):
            raise ParameterError(f"'{name}' is not a valid header name.")
        text = _scalar_text(value, f"Headers.{name}")
        if "\r" in text or "\n" in text:
            raise ParameterError(f"The header '{name}' must not contain line breaks.")
        headers[name] = text

    query: list[tuple[str, str]] = []
    for name, value in _object(parameters.get("QueryParameters", {}), "QueryParameters").items():
        values = value if isinstance(value, list) else [value]
        query.extend((name, _scalar_text(v, f"QueryParameters.{name}")) for v in values)

    transform = _object(parameters.get("Transform", {}), "Transform")
    extra = sorted(set(transform) - {"RequestBodyEncoding", "RequestEncodingOptions"})
    if extra:
        raise ParameterError(f"Transform does not accept {', '.join(extra)}.")
    encoding = transform.get("RequestBodyEncoding", "NONE")
    if encoding not in ENCODINGS:
        raise ParameterError("Transform.RequestBodyEncoding must be NONE or URL_ENCODED.")
    options = _object(transform.get("RequestEncodingOptions", {}), "RequestEncodingOptions")
    array_format = options.get("ArrayFormat", "INDICES")
    if array_format not in ARRAY_FORMATS:
        raise ParameterError(
            "RequestEncodingOptions.ArrayFormat must be INDICES, REPEAT, COMMAS or BRACKETS."
        )
    if "RequestEncodingOptions" in transform and encoding != "URL_ENCODED":
        raise ParameterError("RequestEncodingOptions needs RequestBodyEncoding URL_ENCODED.")
    has_body = "RequestBody" in parameters
    body = parameters.get("RequestBody")
    if encoding == "URL_ENCODED" and has_body and not isinstance(body, Mapping):
        raise ParameterError("A URL_ENCODED RequestBody must be a JSON object.")

    connection_arn: str | None = None
    if "Authentication" in parameters:
        auth = _object(parameters["Authentication"], "Authentication")
        arn = auth.get("ConnectionArn")
        if set(auth) - {"ConnectionArn"} or not isinstance(arn, str) or not arn:
            raise ParameterError('Authentication must be {"ConnectionArn": "arn:..."}.')
        connection_arn = arn
    return HttpCall(
        endpoint=endpoint,
        method=method.upper(),
        headers=headers,
        query=query,
        body=body,
        has_body=has_body,
        url_encoded=encoding == "URL_ENCODED",
        array_format=array_format,
        connection_arn=connection_arn,
    )


def url_encode(body: Mapping[str, Any], array_format: str = "INDICES") -> str:
    """A JSON object as ``application/x-www-form-urlencoded`` text, arrays in ``array_format``.

    INDICES ``a[0]=x&a[1]=y``; REPEAT ``a=x&a=y``; COMMAS ``a=x,y``; BRACKETS
    ``a[]=x&a[]=y``. Nested objects become ``outer[inner]=v``.
    """
    pairs: list[tuple[str, str]] = []

    def add(key: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                add(f"{key}[{k}]", v)
        elif isinstance(value, list):
            if array_format == "COMMAS":
                pairs.append((key, ",".join(_scalar_text(v, key) for v in value)))
                return
            for index, item in enumerate(value):
                if array_format == "INDICES":
                    add(f"{key}[{index}]", item)
                elif array_format == "BRACKETS":
                    add(f"{key}[]", item)
                else:  # REPEAT
                    add(key, item)
        else:
            pairs.append((key, _scalar_text(value, key)))

    for name, value in body.items():
        add(str(name), value)
    return urllib.parse.urlencode(pairs)


# ---- results ---------------------------------------------------------------------------------


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def result_of(response: HttpResult) -> dict[str, Any]:
    """AWS's result shape: Headers (name -> values), ResponseBody, StatusCode, StatusText."""
    headers: dict[str, list[str]] = {}
    for name, value in response.headers:
        headers.setdefault(name.lower(), []).append(value)
    text = response.body.decode("utf-8", errors="replace")
    body: Any = text
    if text and _is_json(response.content_type):
        try:
            body = json.loads(text)
        except ValueError:
            body = text
    return {
        "Headers": headers,
        "ResponseBody": body,
        "StatusCode": response.status,
        "StatusText": response.reason,
    }


def _failed(error: str, cause: str) -> TaskResponse:
    return TaskResponse(failed=True, error=error, cause=cause[:MAX_CAUSE])


# ---- the adapter -----------------------------------------------------------------------------


class HttpInvoke:
    """The ``http:invoke`` adapter."""

    def __init__(
        self,
        *,
        resolve_connection: ConnectionResolver | None = None,
        allow_hosts: Iterable[str] = (),
        timeout: float = DEFAULT_TIMEOUT,
        http: GuardedHttp | None = None,
    ) -> None:
        self.http = http or GuardedHttp(allow_hosts)
        self.resolve_connection = resolve_connection
        self.timeout = timeout

    def invoke(self, request: InvokeTask) -> TaskResponse:
        try:
            call = parse_call(request.input)
        except ParameterError as error:
            return _failed(RUNTIME_ERROR, str(error))
        try:
            auth = self._auth(call)
        except ConnectionFailed as error:
            return _failed(error.error, str(error))
        url, headers, content = _prepare(call, auth)
        timeout = self.timeout
        if request.timeout_seconds:
            timeout = min(timeout, float(request.timeout_seconds))
        try:
            response = self.http.request(
                call.method,
                url,
                headers=headers,
                content=content,
                timeout=timeout,
                max_body=PAYLOAD_LIMIT_BYTES,
                credentials=Credentials.of(auth.headers, auth.query, bool(auth.body)),
            )
        except AddressRefused as refused:
            return _failed(REFUSED_ERROR, str(refused))
        except BodyTooLarge as error:
            return _failed("States.DataLimitExceeded", str(error))
        except httpx.TimeoutException:
            return _failed(
                SOCKET_ERROR, f"The call to {call.endpoint} timed out after {timeout:g} s."
            )
        except httpx.TransportError as error:
            return _failed(
                SOCKET_ERROR, f"The call to {call.endpoint} failed: {error or type(error).__name__}"
            )
        result = result_of(response)
        if 200 <= response.status < 300:
            return TaskResponse(output=result)
        return _failed(
            f"States.Http.StatusCode.{response.status}",
            json.dumps(result, ensure_ascii=False, separators=(",", ":")),
        )

    def _auth(self, call: HttpCall) -> ConnectionAuth:
        if call.connection_arn is None:
            return ConnectionAuth()
        if self.resolve_connection is None:
            raise ConnectionFailed(
                f"No connections are configured here, so {call.connection_arn} cannot be used."
            )
        return self.resolve_connection(call.connection_arn)


def _prepare(call: HttpCall, auth: ConnectionAuth) -> tuple[str, dict[str, str], bytes | None]:
    query = [(k, v) for k, v in call.query if k not in auth.query]
    query.extend(auth.query.items())
    url = httpx.URL(call.endpoint)
    if query:
        existing = urllib.parse.parse_qsl(url.query.decode("ascii"), keep_blank_values=True)
        url = url.copy_with(query=urllib.parse.urlencode(existing + query).encode("ascii"))
    headers = {k: v for k, v in call.headers.items() if k.lower() not in _lower(auth.headers)}
    headers.update(auth.headers)
    content: bytes | None = None
    body = call.body
    if auth.body and (not call.has_body or isinstance(body, Mapping)):
        body = {**dict(body or {}), **dict(auth.body)}
    if call.has_body or auth.body:
        if call.url_encoded and isinstance(body, Mapping):
            content = url_encode(body, call.array_format).encode()
            _default_header(headers, "Content-Type", "application/x-www-form-urlencoded")
        elif isinstance(body, str):
            content = body.encode()
            _default_header(headers, "Content-Type", "text/plain; charset=utf-8")
        else:
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            _default_header(headers, "Content-Type", "application/json")
    return str(url), headers, content


def _lower(mapping: Mapping[str, str]) -> set[str]:
    return {k.lower() for k in mapping}


def _default_header(headers: dict[str, str], name: str, value: str) -> None:
    if name.lower() not in _lower(headers):
        headers[name] = value


def register(
    registry: AdapterRegistry,
    *,
    resolve_connection: ConnectionResolver | None = None,
    allow_hosts: Iterable[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> HttpInvoke:
    """Register the ``http:invoke`` adapter; returns it (its ``http`` client can be closed)."""
    adapter = HttpInvoke(
        resolve_connection=resolve_connection, allow_hosts=allow_hosts, timeout=timeout
    )
    registry.register(RESOURCE, adapter)
    return adapter
