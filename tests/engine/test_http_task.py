"""The HTTP Task (arn:aws:states:::http:invoke) against real local HTTP servers.

Every server listens on 127.0.0.1, which the address guard refuses by default,
so each test allows it explicitly (``allow_hosts``), exactly as an
administrator would with STATEYARD_HTTP_ALLOW_HOSTS.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import engine
from engine.adapters import AdapterRegistry, TaskResponse
from engine.interpreter.effects import InvokeTask
from engine.tasks import http, http_guard
from engine.tasks.http_auth import ConnectionAuth, OAuthClient, OAuthTokens
from engine.tasks.http_guard import GuardedHttp, blocked_reason

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def query(self) -> list[tuple[str, str]]:
        return urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)


def json_reply(data: Any, status: int = 200) -> Reply:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()


@dataclass
class LocalServer:
    """A threaded HTTP server on 127.0.0.1; ``routes`` map a path to a reply function."""

    routes: dict[str, Callable[[Seen], Reply]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.server_address[1])

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def start(self) -> LocalServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers), self.rfile.read(length))
                owner.seen.append(seen)
                route = owner.routes.get(urllib.parse.urlsplit(self.path).path)
                status, headers, body = route(seen) if route else (404, {}, b"no such route")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def adapter_for(*hosts: str, **kwargs: Any) -> http.HttpInvoke:
    return http.HttpInvoke(allow_hosts=hosts, **kwargs)


def call(adapter: http.HttpInvoke, parameters: dict[str, Any]) -> TaskResponse:
    return adapter.invoke(InvokeTask(1, http.RESOURCE, parameters, "Call"))


def get(url: str, **more: Any) -> dict[str, Any]:
    return {"ApiEndpoint": url, "Method": "GET", **more}


# --- success ---


def test_json_response(server: LocalServer) -> None:
    server.routes["/items"] = lambda seen: json_reply({"items": [1, 2]})
    response = call(adapter_for(server.host), get(server.url("/items")))
    assert not response.failed, response.cause
    out = response.output
    assert (out["StatusCode"], out["StatusText"]) == (200, "OK")
    assert out["ResponseBody"] == {"items": [1, 2]}
    assert out["Headers"]["content-type"] == ["application/json"]
    assert set(out) == {"Headers", "ResponseBody", "StatusCode", "StatusText"}
    assert server.seen[0].headers["User-Agent"].startswith("Stateyard|StepFunctions|HttpInvoke")


def test_text_response_and_json_like_text_stays_text(server: LocalServer) -> None:
    server.routes["/t"] = lambda seen: (200, {"Content-Type": "text/plain"}, b'{"not": "json"}')
    response = call(adapter_for(server.host), get(server.url("/t")))
    assert response.output["ResponseBody"] == '{"not": "json"}'


def test_vendor_json_and_broken_json(server: LocalServer) -> None:
    server.routes["/p"] = lambda seen: (200, {"Content-Type": "application/problem+json"}, b"[1]")
    server.routes["/b"] = lambda seen: (200, {"Content-Type": "application/json"}, b"{oops")
    assert call(adapter_for(server.host), get(server.url("/p"))).output["ResponseBody"] == [1]
    assert call(adapter_for(server.host), get(server.url("/b"))).output["ResponseBody"] == "{oops"


# --- request encodings ---


def test_query_parameters_merge_with_the_url(server: LocalServer) -> None:
    server.routes["/q"] = lambda seen: json_reply({})
    params = {"QueryParameters": {"b": "two words", "n": 3, "flag": True, "many": ["x", "y"]}}
    call(adapter_for(server.host), get(server.url("/q?a=1"), **params))
    assert server.seen[0].query == [
        ("a", "1"),
        ("b", "two words"),
        ("n", "3"),
        ("flag", "true"),
        ("many", "x"),
        ("many", "y"),
    ]


def test_headers_arrive_and_reserved_headers_are_refused(server: LocalServer) -> None:
    server.routes["/h"] = lambda seen: json_reply({})
    adapter = adapter_for(server.host)
    call(adapter, get(server.url("/h"), Headers={"X-Trace": "abc", "Accept": "application/json"}))
    assert server.seen[0].headers["X-Trace"] == "abc"
    for name in ("Host", "Content-Length", "X-Forwarded-For", "x-amz-date", "Transfer-Encoding"):
        response = call(adapter, get(server.url("/h"), Headers={name: "x"}))
        assert (response.error, name in (response.cause or "")) == ("States.Runtime", True)
    assert len(server.seen) == 1


def test_json_body(server: LocalServer) -> None:
    server.routes["/orders"] = lambda seen: json_reply({"id": "o-1"}, 201)
    body = {"sku": "A", "qty": 2, "tags": ["x"]}
    response = call(
        adapter_for(server.host),
        {"ApiEndpoint": server.url("/orders"), "Method": "POST", "RequestBody": body},
    )
    assert response.output["StatusCode"] == 201
    assert json.loads(server.seen[0].body) == body
    assert server.seen[0].headers["Content-Type"] == "application/json"


def test_text_body_keeps_an_explicit_content_type(server: LocalServer) -> None:
    server.routes["/x"] = lambda seen: json_reply({})
    call(
        adapter_for(server.host),
        {
            "ApiEndpoint": server.url("/x"),
            "Method": "PUT",
            "Headers": {"Content-Type": "application/xml"},
            "RequestBody": "<a/>",
        },
    )
    assert (server.seen[0].body, server.seen[0].headers["Content-Type"]) == (
        b"<a/>",
        "application/xml",
    )


@pytest.mark.parametrize(
    ("array_format", "expected"),
    [
        ("INDICES", "a[0]=x&a[1]=y"),
        ("REPEAT", "a=x&a=y"),
        ("COMMAS", "a=x,y"),
        ("BRACKETS", "a[]=x&a[]=y"),
    ],
)
def test_url_encoded_body(server: LocalServer, array_format: str, expected: str) -> None:
    server.routes["/form"] = lambda seen: json_reply({})
    call(
        adapter_for(server.host),
        {
            "ApiEndpoint": server.url("/form"),
            "Method": "POST",
            "RequestBody": {"name": "Ann Lee", "a": ["x", "y"], "o": {"k": 1}},
            "Transform": {
                "RequestBodyEncoding": "URL_ENCODED",
                "RequestEncodingOptions": {"ArrayFormat": array_format},
            },
        },
    )
    seen = server.seen[0]
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    text = urllib.parse.unquote(seen.body.decode())
    assert text == f"name=Ann+Lee&{expected}&o[k]=1"


def test_url_encoded_defaults_to_indices() -> None:
    assert urllib.parse.unquote(http.url_encode({"a": [1, True]})) == "a[0]=1&a[1]=true"


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"Method": "GET"}, "ApiEndpoint is required"),
        ({"ApiEndpoint": "ftp://x/", "Method": "GET"}, "http:// or https://"),
        ({"ApiEndpoint": "https://u:p@x/", "Method": "GET"}, "credentials"),
        ({"ApiEndpoint": "https://x/", "Method": "TRACE"}, "Method is required"),
        ({"ApiEndpoint": "https://x/", "Method": "GET", "Url": 1}, "Url"),
        ({"ApiEndpoint": "https://x/", "Method": "GET", "Headers": []}, "Headers must be"),
        (
            {
                "ApiEndpoint": "https://x/",
                "Method": "POST",
                "RequestBody": [1],
                "Transform": {"RequestBodyEncoding": "URL_ENCODED"},
            },
            "must be a JSON object",
        ),
        (
            {
                "ApiEndpoint": "https://x/",
                "Method": "POST",
                "Transform": {
                    "RequestBodyEncoding": "URL_ENCODED",
                    "RequestEncodingOptions": {"ArrayFormat": "PIPES"},
                },
            },
            "ArrayFormat",
        ),
        (
            {"ApiEndpoint": "https://x/", "Method": "GET", "Authentication": {"Arn": "a"}},
            "ConnectionArn",
        ),
        ("not an object", "must be a JSON object"),
    ],
)
def test_invalid_parameters(parameters: Any, message: str) -> None:
    response = call(adapter_for(), parameters)
    assert response.error == "States.Runtime"
    assert message in (response.cause or "")


# --- errors ---


@pytest.mark.parametrize("status", [404, 500, 503])
def test_non_2xx_fails_with_the_status_code(server: LocalServer, status: int) -> None:
    server.routes["/e"] = lambda seen: json_reply({"message": "nope"}, status)
    response = call(adapter_for(server.host), get(server.url("/e")))
    assert response.failed
    assert response.error == f"States.Http.StatusCode.{status}"
    cause = json.loads(response.cause or "")
    assert cause["StatusCode"] == status
    assert cause["ResponseBody"] == {"message": "nope"}


def test_503_is_retried_with_backoff_in_a_real_time_workflow(server: LocalServer) -> None:
    answers = iter([503, 503, 200])
    times: list[float] = []

    def flaky(seen: Seen) -> Reply:
        times.append(time.monotonic())
        return json_reply({"ok": True}, next(answers))

    server.routes["/flaky"] = flaky
    registry = AdapterRegistry()
    http.register(registry, allow_hosts=[server.host])
    machine = engine.parse(
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": http.RESOURCE,
                    "Parameters": {"ApiEndpoint": server.url("/flaky"), "Method": "GET"},
                    "ResultSelector": {"body.$": "$.ResponseBody", "code.$": "$.StatusCode"},
                    "Retry": [
                        {
                            "ErrorEquals": ["States.Http.StatusCode.503"],
                            "IntervalSeconds": 1,
                            "BackoffRate": 1.5,
                            "MaxAttempts": 3,
                        }
                    ],
                    "End": True,
                }
            },
        }
    )
    result = engine.run(machine, {}, adapters=registry, real_time=True)
    assert result.status == "SUCCEEDED", result.cause
    assert result.output == {"body": {"ok": True}, "code": 200}
    assert len(times) == 3
    assert times[1] - times[0] >= 0.9 and times[2] - times[1] >= 1.4  # 1 s, then 1.5 s


def test_404_can_be_caught(server: LocalServer) -> None:
    registry = AdapterRegistry()
    http.register(registry, allow_hosts=[server.host])
    machine = engine.parse(
        {
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": http.RESOURCE,
                    "Parameters": {"ApiEndpoint": server.url("/missing"), "Method": "GET"},
                    "Catch": [
                        {
                            "ErrorEquals": ["States.Http.StatusCode.404"],
                            "ResultPath": "$.error",
                            "Next": "Missing",
                        }
                    ],
                    "End": True,
                },
                "Missing": {"Type": "Pass", "End": True},
            },
        }
    )
    result = engine.run(machine, {}, adapters=registry, real_time=True)
    assert result.status == "SUCCEEDED"
    assert result.output["error"]["Error"] == "States.Http.StatusCode.404"


def test_timeout_is_a_socket_error(server: LocalServer) -> None:
    def slow(seen: Seen) -> Reply:
        time.sleep(1.5)
        return json_reply({})

    server.routes["/slow"] = slow
    started = time.monotonic()
    response = call(adapter_for(server.host, timeout=0.3), get(server.url("/slow")))
    assert response.error == "States.Http.Socket"
    assert "timed out" in (response.cause or "")
    assert time.monotonic() - started < 1.2


def test_the_states_timeout_seconds_bounds_the_call(server: LocalServer) -> None:
    def slow(seen: Seen) -> Reply:
        time.sleep(1.5)
        return json_reply({})

    server.routes["/slow"] = slow
    request = InvokeTask(1, http.RESOURCE, get(server.url("/slow")), "S", timeout_seconds=0.3)
    assert adapter_for(server.host).invoke(request).error == "States.Http.Socket"


def test_connection_refused_is_a_socket_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    response = call(adapter_for(f"127.0.0.1:{port}"), get(f"http://127.0.0.1:{port}/"))
    assert response.error == "States.Http.Socket"


def test_unresolvable_host_is_a_socket_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(host: str, port: int) -> list[str]:
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(http_guard, "resolve", fail)
    response = call(adapter_for(), get("https://no-such-host.invalid/"))
    assert response.error == "States.Http.Socket"


def test_a_body_over_the_payload_limit_fails(server: LocalServer) -> None:
    server.routes["/big"] = lambda seen: (200, {"Content-Type": "text/plain"}, b"x" * 300_000)
    response = call(adapter_for(server.host), get(server.url("/big")))
    assert response.error == "States.DataLimitExceeded"


# --- redirects ---


def test_redirects_are_followed(server: LocalServer) -> None:
    server.routes["/old"] = lambda seen: (301, {"Location": "/new"}, b"")
    server.routes["/new"] = lambda seen: json_reply({"here": True})
    response = call(adapter_for(server.host), get(server.url("/old")))
    assert response.output["ResponseBody"] == {"here": True}


def test_303_after_post_becomes_a_get(server: LocalServer) -> None:
    server.routes["/submit"] = lambda seen: (303, {"Location": "/done"}, b"")
    server.routes["/done"] = lambda seen: json_reply({"method": seen.method})
    response = call(
        adapter_for(server.host),
        {"ApiEndpoint": server.url("/submit"), "Method": "POST", "RequestBody": {"a": 1}},
    )
    assert response.output["ResponseBody"] == {"method": "GET"}


def test_at_most_five_redirects(server: LocalServer) -> None:
    server.routes["/loop"] = lambda seen: (302, {"Location": "/loop"}, b"")
    response = call(adapter_for(server.host), get(server.url("/loop")))
    assert response.error == "States.Http.StatusCode.302"
    assert len(server.seen) == 6  # the call and five redirects


# --- the address guard ---


def test_loopback_is_refused_unless_allowed(server: LocalServer) -> None:
    server.routes["/"] = lambda seen: json_reply({})
    refused = call(adapter_for(), get(server.url("/")))
    assert refused.error == "States.Http.AddressNotAllowed"
    assert "loopback" in (refused.cause or "")
    other_port = call(adapter_for("127.0.0.1:1"), get(server.url("/")))
    assert other_port.error == "States.Http.AddressNotAllowed"
    assert not call(adapter_for("127.0.0.1"), get(server.url("/"))).failed  # any port
    assert len(server.seen) == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.10:8080/", "private"),
        ("http://172.20.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "metadata"),
        ("http://[::1]/", "loopback"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fc00::5]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 as one number
    ],
)
def test_non_public_addresses_are_refused(url: str, reason: str) -> None:
    response = call(adapter_for(), get(url))
    assert response.error == "States.Http.AddressNotAllowed", response.cause
    assert reason in (response.cause or "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2002:7f00:1::", "loopback"),  # 6to4 carrying 127.0.0.1
        ("2002:a9fe:a9fe::1", "metadata"),  # 6to4 carrying 169.254.169.254
        ("2002:c0a8:1::", "private"),  # 6to4 carrying 192.168.0.1
        ("fec0::1", "site-local"),
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 carrying 127.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 carrying 10.0.0.1
        ("64:ff9b:1::808:808", "private"),  # local-use NAT64, refused whatever it carries
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),  # Teredo client 127.0.0.1
        ("2001:0:a00:1:8000:63bf:f7f7:f7f7", "private"),  # Teredo server 10.0.0.1
        ("::7f00:1", "private"),  # IPv4-compatible (deprecated)
        ("::808:808", "private"),
        ("::ffff:0:a00:1", "private"),  # IPv4-translated 10.0.0.1
        ("::ffff:a9fe:a9fe", "metadata"),
        ("fd12::1", "private"),
        ("fe80::1", "link-local"),
        ("ff02::1", "multicast"),
        ("0.1.2.3", "private"),
        ("100.64.0.1", "private"),  # CGNAT
        ("198.18.0.1", "private"),  # benchmarking
        ("192.0.2.1", "private"),  # documentation
        ("192.88.99.1", "private"),  # 6to4 relay anycast
        ("240.0.0.1", "private"),
        ("2001:db8::1", "private"),
    ],
)
def test_tunnelled_and_special_addresses_are_refused(text: str, reason: str) -> None:
    import ipaddress

    assert reason in (blocked_reason(ipaddress.ip_address(text)) or "")


def test_tunnelled_public_addresses_are_judged_by_what_they_carry() -> None:
    import ipaddress

    for text in ("2002:808:808::1", "64:ff9b::808:808", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"):
        assert blocked_reason(ipaddress.ip_address(text)) is None, text


def test_a_6to4_address_is_refused_end_to_end() -> None:
    response = call(adapter_for(), get("http://[2002:7f00:1::]:1/"))
    assert response.error == "States.Http.AddressNotAllowed"
    assert "127.0.0.1" in (response.cause or "")


def test_a_redirect_to_a_private_address_is_refused(server: LocalServer) -> None:
    server.routes["/jump"] = lambda seen: (
        302,
        {"Location": "http://169.254.169.254/latest/meta-data/"},
        b"",
    )
    response = call(adapter_for(server.host), get(server.url("/jump")))
    assert response.error == "States.Http.AddressNotAllowed"
    assert "metadata" in (response.cause or "")


def test_a_redirect_to_another_loopback_port_is_refused(server: LocalServer) -> None:
    other = LocalServer({"/": lambda seen: json_reply({"secret": 1})}).start()
    try:
        server.routes["/jump"] = lambda seen: (302, {"Location": other.url("/")}, b"")
        response = call(adapter_for(server.host), get(server.url("/jump")))
        assert response.error == "States.Http.AddressNotAllowed"
        assert other.seen == []
    finally:
        other.stop()


def test_a_name_resolving_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lookups: list[str] = []

    def fake(host: str, port: int) -> list[str]:
        lookups.append(host)
        return {
            "internal.example.com": ["10.0.0.7"],
            "mixed.example.com": ["93.184.216.34", "127.0.0.1"],
        }[host]

    monkeypatch.setattr(http_guard, "resolve", fake)
    for name in ("internal.example.com", "mixed.example.com"):
        response = call(adapter_for(), get(f"https://{name}/"))
        assert response.error == "States.Http.AddressNotAllowed"
        assert name in (response.cause or "")
    assert lookups == ["internal.example.com", "mixed.example.com"]


def test_an_allowed_name_is_resolved_once_and_pinned(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The socket goes to the vetted address; Host keeps the name; no second lookup."""
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a rebinding DNS server
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return next(answers)

    monkeypatch.setattr(http_guard, "resolve", rebinding)
    server.routes["/"] = lambda seen: json_reply({"host": seen.headers["Host"]})
    response = call(adapter_for("api.example.test"), get(f"http://api.example.test:{server.port}/"))
    assert response.output["ResponseBody"] == {"host": f"api.example.test:{server.port}"}
    assert lookups == ["api.example.test"]


def test_blocked_reason_lets_public_addresses_through() -> None:
    import ipaddress

    for text in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"):
        assert blocked_reason(ipaddress.ip_address(text)) is None
    assert http_guard.parse_allow_hosts(" a.example , B.example:8443,,") == (
        "a.example",
        "b.example:8443",
    )


# --- connections (engine side) ---


def test_connection_headers_and_query_win(server: LocalServer) -> None:
    server.routes["/c"] = lambda seen: json_reply({})
    arns: list[str] = []

    def resolve(arn: str) -> ConnectionAuth:
        arns.append(arn)
        return ConnectionAuth(headers={"x-api-key": "k-1"}, query={"v": "2"}, body={"tenant": "t"})

    adapter = adapter_for(server.host, resolve_connection=resolve)
    call(
        adapter,
        {
            "ApiEndpoint": server.url("/c"),
            "Method": "POST",
            "Headers": {"X-Api-Key": "mine"},
            "QueryParameters": {"v": "1"},
            "RequestBody": {"a": 1},
            "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:0:connection/x/y"},
        },
    )
    seen = server.seen[0]
    assert seen.headers["x-api-key"] == "k-1"
    assert seen.query == [("v", "2")]
    assert json.loads(seen.body) == {"a": 1, "tenant": "t"}
    assert arns == ["arn:aws:events:us-east-1:0:connection/x/y"]


def test_connection_without_a_resolver_fails_clearly() -> None:
    response = call(
        adapter_for(),
        get("https://example.com/", Authentication={"ConnectionArn": "arn:aws:events:::c/x"}),
    )
    assert response.error == "Events.ConnectionResource.InvalidConnectionState"


def test_credentials_are_not_forwarded_to_another_origin(server: LocalServer) -> None:
    other = LocalServer({"/": lambda seen: json_reply({})}).start()
    try:
        server.routes["/jump"] = lambda seen: (307, {"Location": other.url("/")}, b"")
        adapter = adapter_for(
            server.host,
            other.host,
            resolve_connection=lambda arn: ConnectionAuth(headers={"Authorization": "Bearer s"}),
        )
        response = call(
            adapter, get(server.url("/jump"), Authentication={"ConnectionArn": "arn:c"})
        )
        assert not response.failed
        assert server.seen[0].headers["Authorization"] == "Bearer s"
        assert "Authorization" not in other.seen[0].headers
    finally:
        other.stop()


def test_api_key_connection_credentials_stay_on_their_origin(server: LocalServer) -> None:
    """A redirect to another port drops the API key, the extra headers and the query params."""
    other = LocalServer({"/": lambda seen: json_reply({})}).start()
    try:
        # the redirect repeats the query string, as careless servers do
        server.routes["/jump"] = lambda seen: (
            302,
            {"Location": other.url("/?" + urllib.parse.urlsplit(seen.path).query)},
            b"",
        )
        server.routes["/same"] = lambda seen: (302, {"Location": server.url("/end")}, b"")
        server.routes["/end"] = lambda seen: json_reply({})
        auth = ConnectionAuth(
            headers={"x-api-key": "k-secret", "X-Tenant-Secret": "t-secret"},
            query={"api_key": "q-secret"},
        )
        adapter = adapter_for(server.host, other.host, resolve_connection=lambda arn: auth)
        params = {"Authentication": {"ConnectionArn": "arn:c"}, "QueryParameters": {"page": 2}}
        assert not call(adapter, get(server.url("/jump"), **params)).failed
        first, moved = server.seen[0], other.seen[0]
        assert first.headers["x-api-key"] == "k-secret"
        assert ("api_key", "q-secret") in first.query
        lowered = {k.lower() for k in moved.headers}
        assert "x-api-key" not in lowered and "x-tenant-secret" not in lowered
        assert moved.query == [("page", "2")]
        assert "secret" not in moved.path and "secret" not in json.dumps(moved.headers)

        assert not call(adapter, get(server.url("/same"), **params)).failed  # same origin
        kept = server.seen[-1]
        assert kept.path.startswith("/end") and kept.headers["x-api-key"] == "k-secret"
    finally:
        other.stop()


def test_a_body_with_connection_fields_is_not_resent_to_another_origin(
    server: LocalServer,
) -> None:
    other = LocalServer({"/": lambda seen: json_reply({})}).start()
    try:
        server.routes["/jump"] = lambda seen: (307, {"Location": other.url("/")}, b"")
        adapter = adapter_for(
            server.host,
            other.host,
            resolve_connection=lambda arn: ConnectionAuth(body={"client_secret": "b-secret"}),
        )
        response = call(
            adapter,
            {
                "ApiEndpoint": server.url("/jump"),
                "Method": "POST",
                "RequestBody": {"a": 1},
                "Authentication": {"ConnectionArn": "arn:c"},
            },
        )
        assert response.error == "States.Http.StatusCode.307"
        assert other.seen == []
    finally:
        other.stop()


def test_oauth_token_is_fetched_once_under_concurrency(server: LocalServer) -> None:
    def token(seen: Seen) -> Reply:
        time.sleep(0.1)
        return json_reply({"access_token": "tok-1", "expires_in": 3600})

    server.routes["/token"] = token
    tokens = OAuthTokens(GuardedHttp([server.host]))
    client = OAuthClient(server.url("/token"), "id", "secret", scope="read")
    got: list[str] = []
    threads = [
        threading.Thread(target=lambda: got.append(tokens.token("c1", client))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == ["tok-1"] * 8
    assert (tokens.fetches, len(server.seen)) == (1, 1)
    form = dict(urllib.parse.parse_qsl(server.seen[0].body.decode()))
    assert form == {"grant_type": "client_credentials", "scope": "read"}
    assert server.seen[0].headers["Authorization"].startswith("Basic ")


def test_oauth_token_endpoint_goes_through_the_guard() -> None:
    tokens = OAuthTokens(GuardedHttp())
    client = OAuthClient("http://169.254.169.254/token", "id", "secret")
    with pytest.raises(Exception, match="metadata"):
        tokens.token("c1", client)
