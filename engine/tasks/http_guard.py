"""Which addresses an HTTP Task may reach, and a client that enforces it on every connection.

By default no call may reach a loopback, link-local, private, unique-local,
site-local, unspecified, multicast, reserved or cloud metadata address: a
workflow author must not be able to probe the machines next to the worker.
IPv6 addresses that carry an IPv4 address (IPv4-mapped ``::ffff:0:0/96``,
IPv4-translated ``::ffff:0:0:0/96``, IPv4-compatible ``::/96``, NAT64
``64:ff9b::/96``, 6to4 ``2002::/16``, Teredo ``2001::/32``) are judged by the
IPv4 address they carry: ``2002:7f00:1::`` reaches 127.0.0.1 through a 6to4
relay and is refused as a loopback address. IPv4-compatible addresses and the
local-use NAT64 prefix ``64:ff9b:1::/48`` are refused whatever they carry
(deprecated, or routed inside the site). The check happens
after DNS resolution, inside the connection itself: the host is resolved once
(``resolve``), every address it resolves to is vetted, and the socket connects
to a vetted address while TLS (SNI, certificate check) and the ``Host`` header
keep the original name. Nothing resolves the name a second time, so a DNS
answer that changes between a check and a connect (DNS rebinding) cannot slip
through. Redirects are followed here, hop by hop, so each hop's connection
goes through the same check.

A redirect to another origin (scheme, host or port) never carries credentials:
``Authorization``, ``Cookie`` and ``Proxy-Authorization`` are dropped, as
browsers and curl do, and so is everything the caller marks as a credential
(``Credentials``: a connection's API-key header, extra headers and query
parameters); once dropped they stay dropped for later hops. When the caller
added credential fields to the body, a cross-origin redirect that would resend
the body (307, 308) is not followed: its response is returned as it is.

An administrator may allow listed hosts (``host`` or ``host:port``, matched
against the URL's host name, case-insensitively): those skip the address
check (they are still resolved once and pinned).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

MAX_REDIRECTS = 5
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/128",
        "::1/128",
        "::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001:db8::/32",
        "fc00::/7",
        "fec0::/10",
        "fe80::/10",
        "ff00::/8",
    )
)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The guard refused to connect: the address is not public and the host is not allowed."""


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (the one DNS lookup per connection; tests replace it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


def parse_allow_hosts(text: str | None) -> tuple[str, ...]:
    """``STATEYARD_HTTP_ALLOW_HOSTS``: comma separated ``host`` or ``host:port`` entries."""
    return tuple(part.strip().lower() for part in (text or "").split(",") if part.strip())


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, translated, NAT64, 6to4, Teredo)."""
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    value = int(address)
    low32 = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if address in _IPV4_TRANSLATED or address in _NAT64:
        return [low32]
    if address in _SIX_TO_FOUR:
        return [ipaddress.IPv4Address((value >> 80) & 0xFFFFFFFF)]
    if address in _TEREDO:  # server at bits 32-63, client (inverted) in the last 32 bits
        server = ipaddress.IPv4Address((value >> 64) & 0xFFFFFFFF)
        client = ipaddress.IPv4Address(~value & 0xFFFFFFFF)
        return [server, client]
    return []


def _ipv4_reason(address: ipaddress.IPv4Address) -> str | None:
    if address in METADATA_ADDRESSES:
        return "the cloud metadata address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if any(address in network for network in _BLOCKED_NETWORKS) or address.is_private:
        return "a private address"
    if address.is_reserved or not address.is_global:
        return "a reserved address"
    return None


def blocked_reason(address: IPAddress) -> str | None:
    """Why an address may not be reached by default, or None when it is public."""
    if isinstance(address, ipaddress.IPv4Address):
        return _ipv4_reason(address)
    if address in METADATA_ADDRESSES:
        return "the cloud metadata address"
    carried = embedded_ipv4(address)
    if carried:
        for inner in carried:
            reason = _ipv4_reason(inner)
            if reason is not None:
                return f"{reason} ({inner}, carried in {address})"
        return None  # a public IPv4 address reached through NAT64, 6to4 or Teredo
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_site_local:
        return "a site-local address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if any(address in network for network in _BLOCKED_NETWORKS) or address.is_private:
        return "a private address"
    if address.is_reserved or not address.is_global:
        return "a reserved address"
    return None


@dataclass(frozen=True)
class AddressGuard:
    allow_hosts: tuple[str, ...] = ()

    def allows_host(self, host: str, port: int) -> bool:
        name = host.lower().strip("[]")
        bracketed = f"[{name}]" if ":" in name else name
        return any(entry in (name, bracketed, f"{bracketed}:{port}") for entry in self.allow_hosts)

    def vet(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` once and return the addresses to connect to, or raise AddressRefused."""
        try:
            addresses = resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"Could not resolve '{host}': {error}") from error
        if not addresses:
            raise httpcore.ConnectError(f"Could not resolve '{host}'.")
        if self.allows_host(host, port):
            return addresses
        for text in addresses:
            reason = blocked_reason(ipaddress.ip_address(text.split("%", 1)[0]))
            if reason is not None:
                shown = host if host == text else f"{host} ({text})"
                raise AddressRefused(
                    f"The HTTP Task may not call {shown}: it is {reason}. An administrator "
                    "can allow the host with STATEYARD_HTTP_ALLOW_HOSTS."
                )
        return addresses


class _GuardedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to addresses the guard vetted (resolved once, here)."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in self.guard.vet(host, port):
            try:
                return self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
        assert last is not None
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise AddressRefused("The HTTP Task does not connect to Unix sockets.")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, guard: AddressGuard, max_connections: int) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(),
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=30.0,
            network_backend=_GuardedBackend(guard),
        )


@dataclass(frozen=True)
class HttpResult:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    content_type: str
    url: str
    redirects: int


@dataclass(frozen=True)
class Credentials:
    """What a caller added that must not reach another origin (names, case-insensitive)."""

    headers: frozenset[str] = frozenset()
    query: frozenset[str] = frozenset()
    body: bool = False

    @classmethod
    def of(
        cls,
        headers: Iterable[str] = (),
        query: Iterable[str] = (),
        body: bool = False,
    ) -> Credentials:
        return cls(frozenset(h.lower() for h in headers), frozenset(query), body)


ALWAYS_CREDENTIALS = frozenset({"authorization", "cookie", "proxy-authorization"})


def _without_query(url: httpx.URL, names: frozenset[str]) -> httpx.URL:
    if not names or not url.query:
        return url
    kept = [(k, v) for k, v in url.params.multi_items() if k not in names]
    return url.copy_with(params=kept) if kept else url.copy_with(query=None)


class BodyTooLarge(Exception):
    """The response body is larger than the caller accepts."""


class GuardedHttp:
    """A pooled, thread-safe HTTP client whose every connection and redirect the guard checks."""

    def __init__(
        self,
        allow_hosts: Iterable[str] = (),
        *,
        max_connections: int = 256,
        user_agent: str = "Stateyard|StepFunctions|HttpInvoke",
    ) -> None:
        self.guard = AddressGuard(tuple(h.strip().lower() for h in allow_hosts if h.strip()))
        self.user_agent = user_agent
        self.client = httpx.Client(
            transport=_GuardedTransport(self.guard, max_connections),
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        self.client.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        timeout: float = 60.0,
        max_body: int | None = None,
        credentials: Credentials | None = None,
    ) -> HttpResult:
        """Send the request, following up to MAX_REDIRECTS redirects, within ``timeout`` seconds.

        ``credentials`` names what must not follow a redirect to another origin.
        Raises AddressRefused, BodyTooLarge, or httpx.TransportError (timeouts included).
        """
        secret = credentials or Credentials()
        dropped = False
        deadline = time.monotonic() + timeout
        current = httpx.URL(url)
        sent_headers = {"User-Agent": self.user_agent, **dict(headers or {})}
        body = content
        for hop in range(MAX_REDIRECTS + 1):
            if current.scheme not in ("http", "https"):
                raise AddressRefused(
                    f"The HTTP Task only calls http and https URLs, not {current}."
                )
            remaining = max(0.001, deadline - time.monotonic())
            request = self.client.build_request(
                method, current, headers=sent_headers, content=body, timeout=remaining
            )
            response = self.client.send(request, stream=True)
            try:
                location = response.headers.get("location")
                follow = bool(
                    response.status_code in REDIRECT_CODES and location and hop < MAX_REDIRECTS
                )
                target = current.join(location) if follow and location else current
                cross = (target.scheme, target.host, target.port) != (
                    current.scheme,
                    current.host,
                    current.port,
                )
                keeps_body = response.status_code in (307, 308)
                if follow and cross and secret.body and keeps_body and body is not None:
                    follow = False  # the body holds credentials: do not send it elsewhere
                if follow:
                    if cross or dropped:  # never hand credentials to another origin
                        dropped = True
                        names = ALWAYS_CREDENTIALS | secret.headers
                        sent_headers = {
                            k: v for k, v in sent_headers.items() if k.lower() not in names
                        }
                        target = _without_query(target, secret.query)
                    if response.status_code == 303 or (
                        response.status_code in (301, 302) and method not in ("GET", "HEAD")
                    ):
                        method = "GET"
                        body = None
                        sent_headers = {
                            k: v for k, v in sent_headers.items() if k.lower() != "content-type"
                        }
                    current = target
                    continue
                data = _read(response, max_body, deadline)
                return HttpResult(
                    status=response.status_code,
                    reason=response.reason_phrase,
                    headers=[
                        (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
                    ],
                    body=data,
                    content_type=response.headers.get("content-type", ""),
                    url=str(current),
                    redirects=hop,
                )
            finally:
                response.close()
        raise AssertionError("unreachable")  # pragma: no cover


def _read(response: httpx.Response, limit: int | None, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if limit is not None and size > limit:
            raise BodyTooLarge(f"The response body is larger than {limit} bytes.")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("The response took longer than the timeout.")
        chunks.append(chunk)
    return b"".join(chunks)
