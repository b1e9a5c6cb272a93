"""Connections: the credentials HTTP Tasks use (``Authentication.ConnectionArn``).

Editors and owners create, list, change and delete their team's connections
(runners and viewers get ``PermissionDenied``, other users ``NotFound``).
Secrets (an API key's value, a password, an OAuth client secret) are
encrypted at rest with Fernet (``cryptography``) under a key derived from
``settings.SECRET_KEY`` with HKDF-SHA256, and never leave this module except
to sign a request: ``connection_public`` shows the auth type and the
non-secret parts only.

``ConnectionResolver`` is the ``resolve_connection(arn)`` callable the
HTTP Task adapter uses in the workers (OAuth tokens are fetched through the
address guard and cached per connection revision).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import httpcore
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from designer.errors import Conflict, NotFound, ValidationFailed
from designer.limits import limit
from designer.models import CONNECTION_NAME_RULE, Connection, ConnectionAuthType
from designer.services.access import EDIT, team_get_for, team_require
from designer.services.audit import audit_record
from designer.services.secret_box import InvalidToken, MultiFernet, box
from engine.tasks.http_auth import (
    ConnectionAuth,
    ConnectionFailed,
    OAuthClient,
    OAuthTokens,
    basic_header,
)
from engine.tasks.http_guard import AddressGuard, AddressRefused, GuardedHttp, parse_allow_hosts

ARN = re.compile(
    r"^arn:aws:events:[^:]*:[^:]*:connection/(?P<name>[\.\-_A-Za-z0-9]{1,64})/(?P<id>[0-9a-fA-F-]{36})$"
)
OAUTH_METHODS = ("GET", "POST", "PUT")
S3_REGION = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")
# per auth type: required non-secret fields, required secret fields, optional non-secret fields
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    ConnectionAuthType.API_KEY: (("api_key_name",), ("api_key_value",), ()),
    ConnectionAuthType.BASIC: (("username",), ("password",), ()),
    ConnectionAuthType.OAUTH_CLIENT_CREDENTIALS: (
        ("authorization_endpoint", "client_id"),
        ("client_secret",),
        ("http_method", "scope"),
    ),
    # S3-compatible storage for Distributed Maps (designer.services.s3_storage)
    ConnectionAuthType.S3: (
        ("region", "access_key_id"),
        ("secret_access_key",),
        ("endpoint_url", "buckets"),
    ),
}
HTTP_PARAMETER_KINDS = ("headers", "query", "body")

# ---- encryption -------------------------------------------------------------------------------


def _fernet() -> MultiFernet:
    return box(b"stateyard.connections", b"connection secrets v1")


def encrypt_secrets(secrets: Mapping[str, str]) -> str:
    return _fernet().encrypt(json.dumps(dict(secrets)).encode()).decode()


def decrypt_secrets(token: str) -> dict[str, str]:
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise ConnectionFailed(
            "The connection's secrets cannot be decrypted (was SECRET_KEY changed?)."
        ) from None
    return dict(data)


# ---- validation -------------------------------------------------------------------------------


def _text(value: Any, field: str, *, limit: int = 2048) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise ValidationFailed(f"{field} must be a non-empty string (at most {limit} characters).")
    if any(c in value for c in "\r\n"):
        raise ValidationFailed(f"{field} must not contain line breaks.")
    return value


def _split_auth(auth_type: str, auth: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Check ``auth`` for ``auth_type`` and split it into (non-secret, secret) parts."""
    if auth_type not in FIELDS:
        raise ValidationFailed(
            "auth_type must be API_KEY, BASIC, OAUTH_CLIENT_CREDENTIALS or S3.",
            {"auth_type": auth_type},
        )
    if not isinstance(auth, Mapping):
        raise ValidationFailed("auth must be an object.")
    public_fields, secret_fields, optional = FIELDS[auth_type]
    unknown = sorted(set(auth) - set(public_fields) - set(secret_fields) - set(optional))
    if unknown:
        raise ValidationFailed(f"auth does not accept {', '.join(unknown)} for {auth_type}.")
    public = {f: _text(auth.get(f), f"auth.{f}") for f in public_fields}
    secret = {f: _text(auth.get(f), f"auth.{f}") for f in secret_fields}
    for f in optional:
        if auth.get(f) not in (None, ""):
            public[f] = _text(auth[f], f"auth.{f}")
    if auth_type == ConnectionAuthType.OAUTH_CLIENT_CREDENTIALS:
        endpoint = public["authorization_endpoint"]
        if not endpoint.startswith(("https://", "http://")):
            raise ValidationFailed("auth.authorization_endpoint must be an http(s) URL.")
        method = public.setdefault("http_method", "POST").upper()
        if method not in OAUTH_METHODS:
            raise ValidationFailed("auth.http_method must be GET, POST or PUT.")
        public["http_method"] = method
    if auth_type == ConnectionAuthType.S3:
        s3_region_check(public["region"])
        if public.get("endpoint_url"):
            s3_endpoint_check(public["endpoint_url"])
    return public, secret


def s3_region_check(region: str) -> None:
    """Refuse a region that is not an AWS-style region name (``us-east-1``, ``eu-west-3``)."""
    if not S3_REGION.fullmatch(region):
        raise ValidationFailed(
            "auth.region must be a region name such as us-east-1: letters, digits and "
            "hyphens, at most 63 characters, starting and ending with a letter or digit.",
            {"auth.region": region},
        )


def s3_endpoint_check(endpoint: str) -> tuple[str, int]:
    """``(host, port)`` of an S3 endpoint URL, refused (``ValidationFailed``) unless it is a
    plain http(s) URL whose host the HTTP Tasks' address guard lets through: no loopback,
    private, link-local or metadata address unless ``STATEYARD_HTTP_ALLOW_HOSTS`` lists it."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        parts, port = None, 0
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in endpoint)
    ):
        raise ValidationFailed(
            "auth.endpoint_url must be an http(s) URL with a host and no user, query or "
            "fragment (such as https://s3.example.com).",
            {"auth.endpoint_url": endpoint},
        )
    guard = AddressGuard(parse_allow_hosts(os.environ.get("STATEYARD_HTTP_ALLOW_HOSTS")))
    try:
        guard.vet(parts.hostname, port)
    except AddressRefused as err:
        raise ValidationFailed(
            str(err).replace("The HTTP Task may not call", "auth.endpoint_url may not reach"),
            {"auth.endpoint_url": endpoint},
        ) from None
    except httpcore.ConnectError:
        pass  # not resolvable now: checked again before every connection (s3_storage)
    return parts.hostname, port


def _http_parameters(value: Any) -> dict[str, dict[str, str]]:
    """Non-secret headers, query parameters and body fields added to every call."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or set(value) - set(HTTP_PARAMETER_KINDS):
        raise ValidationFailed("invocation_http_parameters may hold headers, query and body.")
    out: dict[str, dict[str, str]] = {}
    for kind in HTTP_PARAMETER_KINDS:
        part = value.get(kind) or {}
        if not isinstance(part, Mapping):
            raise ValidationFailed(f"invocation_http_parameters.{kind} must be an object.")
        most = limit("CONNECTION_PARAMETERS_MAX")
        if len(part) > most:
            raise ValidationFailed(
                f"invocation_http_parameters.{kind} holds {len(part)} entries; the most is "
                f"{most} (CONNECTION_PARAMETERS_MAX).",
                {"invocation_http_parameters": [f"At most {most} {kind} entries."]},
            )
        out[kind] = {
            _text(k, f"{kind} name", limit=256): _text(v, f"{kind}.{k}") for k, v in part.items()
        }
    return {k: v for k, v in out.items() if v}


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise ValidationFailed("name is required.")
    try:
        CONNECTION_NAME_RULE(name)
    except DjangoValidationError as error:
        raise ValidationFailed(error.messages[0], {"name": error.messages}) from None
    return name


# ---- services ---------------------------------------------------------------------------------


def connection_public(connection: Connection) -> dict[str, Any]:
    """What the API shows: everything except the secrets."""
    parameters = dict(connection.parameters or {})
    return {
        "id": str(connection.id),
        "arn": connection.arn,
        "name": connection.name,
        "description": connection.description,
        "auth_type": connection.auth_type,
        "auth": dict(parameters.get("auth", {})),
        "invocation_http_parameters": dict(parameters.get("http", {})),
        "created_at": connection.created_at,
        "updated_at": connection.updated_at,
    }


def connection_list(*, actor: Any, team_slug: str) -> list[Connection]:
    team = team_get_for(actor, team_slug, EDIT)
    return list(Connection.objects.filter(team=team))


def connection_get_for(actor: Any, connection_id: Any) -> Connection:
    connection = Connection.objects.select_related("team").filter(pk=connection_id).first()
    if connection is None:
        raise NotFound("No such connection.")
    try:
        team_require(actor, connection.team, EDIT)
    except NotFound:
        raise NotFound("No such connection.") from None
    return connection


def connection_create(
    *,
    actor: Any,
    team_slug: str,
    name: Any,
    auth_type: Any,
    auth: Any,
    description: str = "",
    invocation_http_parameters: Any = None,
) -> Connection:
    team = team_get_for(actor, team_slug, EDIT)
    name = _check_name(name)
    public, secret = _split_auth(auth_type, auth)
    parameters = {"auth": public, "http": _http_parameters(invocation_http_parameters)}
    try:
        with transaction.atomic():
            connection = Connection.objects.create(
                team=team,
                name=name,
                description=description or "",
                auth_type=auth_type,
                parameters=parameters,
                secret=encrypt_secrets(secret),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise Conflict(f"A connection named '{name}' already exists in this team.") from None
    audit_record(team, actor, "connection.create", name, auth_type=auth_type)
    return connection


def connection_update(*, actor: Any, connection_id: Any, changes: Mapping[str, Any]) -> Connection:
    """Change the description, the HTTP parameters or the auth (secrets left out are kept).

    The name is part of the ARN that workflows hold, so it cannot change.
    """
    allowed = {"description", "auth_type", "auth", "invocation_http_parameters"}
    with transaction.atomic():
        connection = connection_get_for(actor, connection_id)
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise ValidationFailed(f"These fields cannot be changed: {', '.join(unknown)}.")
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        parameters = dict(connection.parameters or {})
        if "description" in changes:
            connection.description = str(changes["description"] or "")
        if "invocation_http_parameters" in changes:
            parameters["http"] = _http_parameters(changes["invocation_http_parameters"])
        if "auth" in changes or "auth_type" in changes:
            auth_type = changes.get("auth_type", connection.auth_type)
            auth = dict(changes.get("auth") or {})
            if auth_type == connection.auth_type:  # keep what was not sent
                old = decrypt_secrets(connection.secret)
                auth = {**parameters.get("auth", {}), **old, **auth}
            public, secret = _split_auth(auth_type, auth)
            connection.auth_type = auth_type
            parameters["auth"] = public
            connection.secret = encrypt_secrets(secret)
        connection.parameters = parameters
        connection.save()
    audit_record(
        connection.team, actor, "connection.update", connection.name, fields=sorted(changes)
    )
    return connection


def connection_delete(*, actor: Any, connection_id: Any) -> None:
    connection = connection_get_for(actor, connection_id)
    team, name = connection.team, connection.name
    connection.delete()
    audit_record(team, actor, "connection.delete", name)


# ---- what the HTTP Task adapter calls --------------------------------------------------------


# The team whose execution is calling: a connection is only usable by its own team.
calling_team: ContextVar[int | None] = ContextVar("calling_team", default=None)
# Why the calls in scope may not use connections at all (None: they may).
connections_refused: ContextVar[str | None] = ContextVar("connections_refused", default=None)


@contextmanager
def team_scope(team_id: int, *, refuse_connections: str | None = None) -> Iterator[None]:
    """Run task calls on behalf of ``team_id`` (connections of other teams stay unknown).

    ``refuse_connections``, when given, is the reason no connection may be used
    (TestState by a runner: they may not point a connection's secrets anywhere).
    """
    reset = calling_team.set(team_id)
    reset_refused = connections_refused.set(refuse_connections)
    try:
        yield
    finally:
        connections_refused.reset(reset_refused)
        calling_team.reset(reset)


def connection_by_arn(arn: str) -> Connection:
    match = ARN.match(arn)
    if match is None:
        raise ConnectionFailed(f"'{arn}' is not a connection ARN.")
    team = calling_team.get()
    connection = Connection.objects.filter(pk=match["id"], name=match["name"]).first()
    if connection is None or team is None or connection.team_id != team:
        raise ConnectionFailed(f"The connection {arn} does not exist.")
    refused = connections_refused.get()
    if refused is not None:
        raise ConnectionFailed(refused)
    return connection


class ConnectionResolver:
    """``resolve_connection(arn)`` for ``engine.tasks.http.register`` (one per worker process)."""

    def __init__(self, http: GuardedHttp) -> None:
        self.tokens = OAuthTokens(http)  # OAuth tokens, per connection revision

    def __call__(self, arn: str) -> ConnectionAuth:
        connection = connection_by_arn(arn)
        public = dict((connection.parameters or {}).get("auth", {}))
        extra = dict((connection.parameters or {}).get("http", {}))
        secret = decrypt_secrets(connection.secret)
        headers = dict(extra.get("headers", {}))
        if connection.auth_type == ConnectionAuthType.API_KEY:
            headers[public["api_key_name"]] = secret["api_key_value"]
        elif connection.auth_type == ConnectionAuthType.BASIC:
            headers["Authorization"] = basic_header(public["username"], secret["password"])
        elif connection.auth_type == ConnectionAuthType.S3:
            raise ConnectionFailed(f"The connection {arn} is for S3 storage, not HTTP calls.")
        else:
            client = OAuthClient(
                token_url=public["authorization_endpoint"],
                client_id=public["client_id"],
                client_secret=secret["client_secret"],
                method=public.get("http_method", "POST"),
                scope=public.get("scope", ""),
            )
            key = f"{connection.pk}:{connection.updated_at.isoformat()}"
            headers["Authorization"] = f"Bearer {self.tokens.token(key, client)}"
        return ConnectionAuth(
            headers=headers, query=dict(extra.get("query", {})), body=dict(extra.get("body", {}))
        )
