"""Signature Version 4: who signed a request, and whether the signature is right, fresh and new.

Checks, in AWS's order and with AWS's error codes:

* no ``Authorization`` header: ``MissingAuthenticationTokenException``;
* a header that is not ``AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
  Signature=...`` (``authorization_parts`` says what is wrong: the algorithm,
  a missing, empty or repeated part, a Signature that is not 64 hex digits,
  characters outside printable ASCII), a scope that is not
  ``<date>/<region>/states/aws4_request``, no ``X-Amz-Date``, or ``host`` and
  ``x-amz-date`` not signed: ``IncompleteSignatureException``;
* an unknown, revoked or orphaned key id, or a session token (Stateyard issues
  none): ``UnrecognizedClientException``;
* a request dated more than 15 minutes from now, either way:
  ``InvalidSignatureException`` ("Signature expired" / "not yet current");
* a signature that does not match: ``InvalidSignatureException``;
* a request seen before (a replayed request): ``InvalidSignatureException``.
  Each accepted request is remembered in the cache (Redis when scaled out) for
  as long as its date would be accepted, by its signature together with the
  ``amz-sdk-invocation-id`` and ``amz-sdk-request`` headers every AWS SDK sends
  (a fresh id per call, the attempt number per retry). SDKs sign with
  one-second dates and do not sign those two headers, so two honest identical
  calls in the same second share a signature and differ only there; a
  captured request sent again as it was is refused. The key always holds the
  signature, which covers the method, path, signed headers and (see below)
  the body, so editing the two unsigned headers can at most repeat the very
  same call within the 15 minutes, never change it; keying on the signature
  alone would refuse honest identical calls (a polling loop) made in the same
  second. As on AWS, TLS is what keeps a request from being captured.

The canonical request is built from what arrived (method, path, query, the
signed headers' values, the SHA-256 of the body that arrived), exactly as the
SDKs build it. An ``X-Amz-Content-SHA256`` header is never taken as the hash:
it must equal the body's own hash, and ``UNSIGNED-PAYLOAD`` is refused, so no
body can be swapped under a captured signature.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote

from django.core.cache import cache

from designer.aws.errors import AwsError
from designer.services.access_keys import KeyHolder, access_key_holder

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "states"
MAX_SKEW = timedelta(minutes=15)
_PARTS = ("Credential", "SignedHeaders", "Signature")
_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")
_HEADER_NAME = re.compile(r"^[a-z0-9!#$%&'*+.^_`|~-]+$")
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")
_DATE = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What the signature covers, as the server received it."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes


def _incomplete(message: str) -> AwsError:
    return AwsError("IncompleteSignatureException", message)


def _invalid(message: str) -> AwsError:
    return AwsError("InvalidSignatureException", message)


def _canonical_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(pairs))


def _canonical_request(request: SignedRequest, signed: list[str]) -> str:
    headers = "".join(
        f"{name}:{' '.join(request.headers.get(name, '').split())}\n" for name in signed
    )
    payload = body_hash(request)
    return "\n".join(
        [
            request.method,
            quote(request.path or "/", safe="/~"),
            _canonical_query(request.query),
            headers,
            ";".join(signed),
            payload,
        ]
    )


def body_hash(request: SignedRequest) -> str:
    """The SHA-256 of the body that arrived; a differing ``X-Amz-Content-SHA256`` is refused.

    The header is not trusted as the hash: it must name the body's own hash
    (``UNSIGNED-PAYLOAD`` and the streaming forms are S3's, not this JSON
    API's), so the signature always covers the body that is acted on.
    """
    actual = hashlib.sha256(request.body).hexdigest()
    claimed = request.headers.get("x-amz-content-sha256")
    if claimed is None or claimed.strip().lower() == actual:
        return actual
    if claimed.strip().upper().startswith(("UNSIGNED-PAYLOAD", "STREAMING-")):
        raise _invalid(
            f"X-Amz-Content-SHA256 {claimed[:40]!r} is not accepted: this JSON API signs the "
            "body itself; send the body's SHA-256 or leave the header out."
        )
    raise _invalid(
        "The provided 'x-amz-content-sha256' header does not match what was computed "
        "(the SHA-256 of the request body)."
    )


def _signing_key(secret: str, date: str, region: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, SERVICE, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _check_date(stamp: str, now: datetime) -> datetime:
    try:
        when = datetime.strptime(stamp, _DATE).replace(tzinfo=UTC)
    except ValueError:
        raise _incomplete(f"X-Amz-Date {stamp!r} is not in the form 20240102T030405Z.") from None
    if when < now - MAX_SKEW:
        raise _invalid(
            f"Signature expired: {stamp} is now earlier than "
            f"{(now - MAX_SKEW).strftime(_DATE)} ({now.strftime(_DATE)} - 15 min.)"
        )
    if when > now + MAX_SKEW:
        raise _invalid(
            f"Signature not yet current: {stamp} is still later than "
            f"{(now + MAX_SKEW).strftime(_DATE)} ({now.strftime(_DATE)} + 15 min.)"
        )
    return when


def authorization_parts(header: str) -> dict[str, str]:
    """``Credential``, ``SignedHeaders`` and ``Signature`` of an ``Authorization`` header.

    Anything else (another algorithm, a part missing, empty or given twice, a
    piece that is not ``name=value``, a signature that is not 64 lower-case hex
    digits, characters outside printable ASCII) is IncompleteSignatureException
    saying which.
    """
    if not _PRINTABLE.match(header):
        raise _incomplete("The Authorization header holds characters outside printable ASCII.")
    algorithm, _, rest = header.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete(
            f"Unsupported AWS 'algorithm': {algorithm[:40]!r}; sign with {ALGORITHM} "
            "(Signature Version 4)."
        )
    parts: dict[str, str] = {}
    for piece in (p.strip() for p in rest.split(",") if rest.strip()):
        name, equals, value = piece.partition("=")
        if name in parts:
            raise _incomplete(
                f"Authorization header gives '{name}' more than once; give each of "
                "Credential, SignedHeaders and Signature exactly once."
            )
        if not equals or not name:
            raise _incomplete(
                f"Authorization header piece {piece[:60]!r} is not a single name=value pair "
                f"(expected {ALGORITHM} Credential=..., SignedHeaders=..., Signature=...)."
            )
        parts[name] = value.strip()
    missing = [name for name in _PARTS if not parts.get(name)]
    if missing:
        listed = " and ".join(f"'{name}'" for name in missing)
        raise _incomplete(f"Authorization header requires {listed} (a non-empty value).")
    if not _SIGNATURE.match(parts["Signature"]):
        raise _incomplete("Signature must be 64 lower-case hexadecimal digits (an HMAC-SHA256).")
    return parts


def authenticate(request: SignedRequest, now: datetime | None = None) -> KeyHolder:
    """The key holder who signed ``request``, or the AwsError AWS would answer."""
    header = request.headers.get("authorization")
    if not header:
        raise AwsError("MissingAuthenticationTokenException", "Missing Authentication Token")
    match = authorization_parts(header)
    scope = match["Credential"].split("/")
    if len(scope) != 5 or scope[3] != SERVICE or scope[4] != "aws4_request" or not all(scope[:3]):
        raise _incomplete(
            f"Credential should be scoped to a valid service and region: "
            f"'<key id>/<date>/<region>/{SERVICE}/aws4_request', not {match['Credential']!r}."
        )
    key_id, day, region = scope[0], scope[1], scope[2]
    signed = match["SignedHeaders"].split(";")
    if not all(_HEADER_NAME.match(name) for name in signed):
        raise _incomplete(
            f"SignedHeaders {match['SignedHeaders']!r} is not a ';'-separated list of "
            "lower-case header names."
        )
    if signed != sorted(signed) or "host" not in signed or "x-amz-date" not in signed:
        raise _incomplete("SignedHeaders must be sorted and include host and x-amz-date.")
    stamp = request.headers.get("x-amz-date", "")
    when = _check_date(stamp, now or datetime.now(tz=UTC))
    if stamp[:8] != day:
        raise _invalid(f"Credential date {day} does not match X-Amz-Date {stamp}.")
    if request.headers.get("x-amz-security-token"):
        raise AwsError(
            "UnrecognizedClientException",
            "The security token included in the request is invalid "
            "(Stateyard issues no session tokens; sign with an access key).",
        )
    holder = access_key_holder(key_id)
    if holder is None:
        raise AwsError(
            "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    canonical = _canonical_request(request, signed)
    to_sign = "\n".join(
        [ALGORITHM, stamp, "/".join(scope[1:]), hashlib.sha256(canonical.encode()).hexdigest()]
    )
    expected = hmac.new(
        _signing_key(holder.secret, day, region), to_sign.encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, match["Signature"]):
        raise _invalid(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method."
        )
    _refuse_replay(request, match["Signature"], when)
    return holder


def _refuse_replay(request: SignedRequest, signature: str, when: datetime) -> None:
    """Remember the request while its date is acceptable; the same request again is refused."""
    call = request.headers.get("amz-sdk-invocation-id", "")
    attempt = request.headers.get("amz-sdk-request", "")
    seen = hashlib.sha256(f"{signature}|{call}|{attempt}".encode()).hexdigest()
    keep = int((when + MAX_SKEW - datetime.now(tz=UTC)).total_seconds()) + 60
    if not cache.add(f"aws-sigv4:{seen}", 1, timeout=max(keep, 60)):
        raise _invalid("This request was received before (a replayed request).")
