"""The protocol and its doors: SigV4 signatures, dates, replays, AWS's error shapes.

Every answer's body is compared with botocore's shapes; every refusal carries
AWS's ``__type`` and status. Requests are built and signed here with botocore's
own signer (``conftest.raw``), so a wrong signature is really a wrong one.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import patch

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from designer.aws.errors import AwsError
from designer.aws.operations import HANDLERS
from designer.aws.shapes import service_model
from designer.aws.sigv4 import SignedRequest, authenticate
from designer.models import Team
from designer.services.access_keys import CACHE_SECONDS, access_key_revoke
from tests.designer.aws.conftest import REGION, KeyFor, raw, signed_headers
from tests.designer.aws.shapes import assert_error, assert_shape

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    assert set(body) >= {"__type", "message"}, body
    assert response.headers["content-type"] == "application/x-amz-json-1.0"
    assert response.headers.get("x-amzn-requestid")
    return response.status_code, body["__type"], body["message"]


def test_a_signed_request_is_answered_in_the_output_shape(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    response = raw(aws_url, "ListStateMachines", {}, key_for(owner, team))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-amz-json-1.0"
    assert response.json() == {"stateMachines": []}
    assert_shape("ListStateMachines", response.json())


def test_unsigned_requests_are_refused(aws_url: str, team: Team) -> None:
    status, code, message = error_of(raw(aws_url, "ListStateMachines", {}, None))
    assert (status, code) == (400, "MissingAuthenticationTokenException")
    assert message == "Missing Authentication Token"


def test_a_wrong_secret_is_refused(aws_url: str, key_for: KeyFor, owner: Any, team: Team) -> None:
    key_id, secret = key_for(owner, team)
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    status, code, message = error_of(raw(aws_url, "ListStateMachines", {}, (key_id, wrong)))
    assert (status, code) == (400, "InvalidSignatureException")
    assert "does not match" in message


def test_an_unknown_or_revoked_key_is_refused(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    unknown = ("AKIAUNKNOWNUNKNOWN00", "x" * 40)
    _, code, _ = error_of(raw(aws_url, "ListStateMachines", {}, unknown))
    assert code == "UnrecognizedClientException"
    key = key_for(owner, team)
    assert raw(aws_url, "ListStateMachines", {}, key).status_code == 200
    access_key_revoke(owner, owner.access_keys.get(key_id=key[0]).pk)
    time.sleep(CACHE_SECONDS + 0.5)  # other processes forget a remembered key by then
    _, code, _ = error_of(raw(aws_url, "ListStateMachines", {}, key))
    assert code == "UnrecognizedClientException"


def test_a_changed_body_breaks_the_signature(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    key = key_for(owner, team)
    body = json.dumps({"maxResults": 5}).encode()
    headers = signed_headers(aws_url, "ListStateMachines", body, key)
    tampered = httpx.post(aws_url, content=b'{"maxResults": 6}', headers=headers)
    assert error_of(tampered)[1] == "InvalidSignatureException"


def test_a_claimed_body_hash_cannot_stand_in_for_the_body(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    """A captured request's body swapped, with the original's hash in X-Amz-Content-SHA256."""
    key = key_for(owner, team)
    body = json.dumps({"maxResults": 5}).encode()
    headers = signed_headers(aws_url, "ListStateMachines", body, key)
    headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    headers["amz-sdk-invocation-id"] = "another-call"  # unsigned: dodges the replay check
    tampered = httpx.post(aws_url, content=b'{"maxResults": 6}', headers=headers)
    status, code, message = error_of(tampered)
    assert (status, code) == (400, "InvalidSignatureException")
    assert "x-amz-content-sha256" in message


def test_a_matching_content_sha256_header_is_accepted(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    body = b"{}"
    extra = {"X-Amz-Content-SHA256": hashlib.sha256(body).hexdigest()}
    headers = signed_headers(aws_url, "ListStateMachines", body, key_for(owner, team), **extra)
    response = httpx.post(aws_url, content=body, headers=headers)
    assert response.status_code == 200, response.text


def test_an_unsigned_payload_is_refused(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    """Signed with ``UNSIGNED-PAYLOAD`` as the hash: any body would pass, so it is refused."""
    key = key_for(owner, team)
    extra = {"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}
    headers = signed_headers(aws_url, "ListStateMachines", b"{}", key, **extra)
    status, code, message = error_of(
        httpx.post(aws_url, content=b'{"maxResults": 1}', headers=headers)
    )
    assert (status, code) == (400, "InvalidSignatureException")
    assert "UNSIGNED-PAYLOAD" in message


def _signed_at(url: str, key: tuple[str, str], when: datetime) -> tuple[bytes, dict[str, str]]:
    body = b"{}"
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AWSStepFunctions.ListStateMachines",
        },
    )
    with patch("botocore.auth.get_current_datetime", return_value=when.replace(tzinfo=None)):
        SigV4Auth(Credentials(*key), "states", REGION).add_auth(request)
    return body, dict(request.headers.items())


@pytest.mark.parametrize(
    ("shift", "words"),
    [(timedelta(minutes=-16), "Signature expired"), (timedelta(minutes=16), "not yet current")],
)
def test_requests_dated_outside_15_minutes_are_refused(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team, shift: timedelta, words: str
) -> None:
    body, headers = _signed_at(aws_url, key_for(owner, team), datetime.now(tz=UTC) + shift)
    status, code, message = error_of(httpx.post(aws_url, content=body, headers=headers))
    assert (status, code) == (400, "InvalidSignatureException")
    assert words in message


def test_a_replayed_request_is_refused(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    body, headers = _signed_at(aws_url, key_for(owner, team), datetime.now(tz=UTC))
    first = httpx.post(aws_url, content=body, headers=headers)
    assert first.status_code == 200, first.text
    status, code, message = error_of(httpx.post(aws_url, content=body, headers=headers))
    assert (status, code) == (400, "InvalidSignatureException")
    assert "received before" in message


SIG = "0123456789abcdef" * 4
CRED = "Credential=AKIAEXAMPLE/20240101/us-east-1/states/aws4_request"
MALFORMED: list[tuple[str | bytes, str, str]] = [
    (
        "AWS4-HMAC-SHA256 Credential=AKIA/x",
        "IncompleteSignatureException",
        "requires 'SignedHeaders' and 'Signature'",
    ),
    (f"AWS4-HMAC-SHA256 {CRED}, Signature={SIG}", "IncompleteSignatureException", "SignedHeaders"),
    (
        f"AWS4-HMAC-SHA256 {CRED}, SignedHeaders=host;x-amz-date",
        "IncompleteSignatureException",
        "'Signature'",
    ),
    (
        f"AWS4-HMAC-SHA256 {CRED}, SignedHeaders=host;x-amz-date, Signature=not-hex",
        "IncompleteSignatureException",
        "64 lower-case hexadecimal",
    ),
    (
        f"AWS4-HMAC-SHA256 {CRED}, SignedHeaders=host;x-amz-date, Signature={SIG[:-1]}",
        "IncompleteSignatureException",
        "64 lower-case hexadecimal",
    ),
    (
        f"AWS4-HMAC-SHA256 {CRED}, SignedHeaders=host;x-amz-date, Signature=",
        "IncompleteSignatureException",
        "'Signature'",
    ),
    (
        f"AWS4-HMAC-SHA256 {CRED}, SignedHeaders=Host;X Amz, Signature={SIG}",
        "IncompleteSignatureException",
        "lower-case header names",
    ),
    (
        f"AWS4-HMAC-SHA256 {CRED}, {CRED}, SignedHeaders=host;x-amz-date, Signature={SIG}",
        "IncompleteSignatureException",
        "'Credential' more than once",
    ),
    (
        f"AWS4-HMAC-SHA256 {CRED}, SignedHeaders=host;x-amz-date, Signature={SIG}, Signature={SIG}",
        "IncompleteSignatureException",
        "'Signature' more than once",
    ),
    ("AWS4-HMAC-SHA256 garbage", "IncompleteSignatureException", "name=value"),
    ("Bearer abc.def.ghi", "IncompleteSignatureException", "Unsupported AWS 'algorithm'"),
    ("AWS AKIAEXAMPLE:c2lnbmF0dXJl", "IncompleteSignatureException", "Unsupported"),
    ("AWS4-HMAC-SHA256", "IncompleteSignatureException", "'Credential'"),
    (",,,==,,", "IncompleteSignatureException", "Unsupported"),
    (
        f"AWS4-HMAC-SHA256 Credential=/20240101/us-east-1/states/aws4_request, "
        f"SignedHeaders=host;x-amz-date, Signature={SIG}",
        "IncompleteSignatureException",
        "Credential should",
    ),
    (
        f"AWS4-HMAC-SHA256 {CRED}, SignedHeaders=content-type;host;x-amz-date, Signature={SIG}",
        "InvalidSignatureException",  # well formed, dated 2024: expired
        "Signature expired",
    ),
    (
        "AWS4-HMAC-SHA256 Credential=AKIA\xff/20240101/us-east-1/states/aws4_request".encode(
            "latin-1"
        )
        + f", SignedHeaders=host;x-amz-date, Signature={SIG}".encode(),
        "IncompleteSignatureException",
        "printable ASCII",
    ),
]


@pytest.mark.parametrize(("authorization", "code", "says"), MALFORMED)
def test_a_malformed_authorization_gets_aws_error_shape(
    aws_url: str, team: Team, authorization: str | bytes, code: str, says: str
) -> None:
    """Malformed Authorization headers are AWS's 400 errors naming the problem, never a 500."""
    headers: dict[str, Any] = signed_headers(aws_url, "ListStateMachines", b"{}", None)
    headers["X-Amz-Date"] = "20240101T000000Z"
    headers["Authorization"] = authorization
    response = httpx.post(aws_url, content=b"{}", headers=headers)
    status, found, message = error_of(response)
    assert (status, found) == (400, code), message
    assert says in message, message
    assert_error("ListStateMachines", found)


def test_control_characters_never_reach_the_key_lookup() -> None:
    """A NUL in the key id (which PostgreSQL refuses in a query) is a malformed header."""
    now = datetime.now(tz=UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    header = f"AWS4-HMAC-SHA256 Credential=AK\x00IA/{stamp[:8]}/us-east-1/states/aws4_request, "
    header += f"SignedHeaders=host;x-amz-date, Signature={SIG}"
    headers = {"authorization": header, "x-amz-date": stamp, "host": "localhost"}
    request = SignedRequest("POST", "/aws", "", headers, b"{}")
    with pytest.raises(AwsError) as caught:  # a date in time: the key id is what is checked
        authenticate(request, now=now)
    assert caught.value.code == "IncompleteSignatureException"


def test_unknown_operations_and_bad_bodies(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    key = key_for(owner, team)
    assert error_of(raw(aws_url, "DoSomething", {}, key))[1] == "UnknownOperationException"
    body = b"{not json"
    headers = signed_headers(aws_url, "ListStateMachines", body, key)
    assert error_of(httpx.post(aws_url, content=body, headers=headers))[1] == (
        "SerializationException"
    )
    wrong_type = raw(aws_url, "ListStateMachines", {"maxResults": "ten"}, key)
    assert error_of(wrong_type)[1] == "SerializationException"


def test_validation_errors_list_every_problem(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    params = {"name": "x" * 81, "roleArn": ""}
    status, code, message = error_of(
        raw(aws_url, "CreateStateMachine", params, key_for(owner, team))
    )
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("3 validation errors detected: ")
    assert "Value null at 'definition' failed to satisfy constraint: Member must not be null" in (
        message
    )
    assert "Member must have length less than or equal to 80" in message
    assert "Member must have length greater than or equal to 1" in message
    assert_error("CreateStateMachine", code)


CONTROL_ARNS = [
    ("DescribeStateMachine", "stateMachineArn", "stateMachine:a\x00b", "ValidationException"),
    ("DescribeStateMachine", "stateMachineArn", "stateMachine:ab\n", "InvalidArn"),
    ("DescribeExecution", "executionArn", "execution:a\x00b:c", "ValidationException"),
    ("DescribeExecution", "executionArn", "execution:a\x07b:c", "InvalidArn"),
    ("DescribeActivity", "activityArn", "activity:a\x00b", "ValidationException"),
    ("DescribeActivity", "activityArn", "activity:a\x1bb", "InvalidArn"),
    ("DescribeMapRun", "mapRunArn", "mapRun:a/b:c\x00", "ValidationException"),
    ("DescribeMapRun", "mapRunArn", "mapRun:a/b:c\x7f", "InvalidArn"),
    ("ListTagsForResource", "resourceArn", "stateMachine:a\x00b", "ValidationException"),
    ("StartExecution", "stateMachineArn", "stateMachine:a\x1fb", "InvalidArn"),
]


@pytest.mark.parametrize(("operation", "member", "tail", "expected"), CONTROL_ARNS)
def test_arns_with_control_characters_are_refused_not_a_500(
    aws_url: str,
    key_for: KeyFor,
    owner: Any,
    team: Team,
    operation: str,
    member: str,
    tail: str,
    expected: str,
) -> None:
    """An ARN holding a NUL reached a query (PostgreSQL refuses it: InternalFailure, a 500,
    before). A NUL in any string member is a ValidationException at the door; an ARN with
    another control character is not an ARN (InvalidArn)."""
    arn = f"arn:aws:states:us-east-1:{team.pk:012d}:{tail}"
    response = raw(aws_url, operation, {member: arn}, key_for(owner, team))
    status, code, message = error_of(response)
    assert (status, code) == (400, expected), message
    assert_error(operation, code)
    if expected == "ValidationException":
        assert f"at '{member}' failed to satisfy constraint: Member must not contain a NUL" in (
            message
        )


def test_a_nul_in_a_description_is_refused_not_a_500(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    key = key_for(owner, team)
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
    made = raw(
        aws_url,
        "CreateStateMachine",
        {
            "name": "nul",
            "definition": json.dumps(definition),
            "roleArn": "arn:aws:iam::123456789012:role/r",
        },
        key,
    )
    arn = made.json()["stateMachineArn"]
    for operation, params in (
        ("PublishStateMachineVersion", {"stateMachineArn": arn, "description": "v\x00"}),
        ("UpdateStateMachine", {"stateMachineArn": arn, "versionDescription": "v\x00"}),
        ("TagResource", {"resourceArn": arn, "tags": [{"key": "k\x00", "value": "v"}]}),
    ):
        status, code, message = error_of(raw(aws_url, operation, params, key))
        assert (status, code) == (400, "ValidationException"), message
        assert "NUL character" in message


def _fuzz_body(team: Team, shape: Any, member: str, value: str) -> dict[str, Any]:
    """The operation's required members filled in plausibly, ``member`` set to ``value``."""
    prefix = f"arn:aws:states:us-east-1:{team.pk:012d}:"
    known = {
        "stateMachineArn": prefix + "stateMachine:fz",
        "executionArn": prefix + "execution:fz:run",
        "activityArn": prefix + "activity:fz",
        "resourceArn": prefix + "stateMachine:fz",
        "mapRunArn": prefix + "mapRun:fz/m:r",
        "definition": '{"StartAt":"x","States":{"x":{"Type":"Succeed"}}}',
        "roleArn": "arn:aws:iam::123456789012:role/x",
    }
    body: dict[str, Any] = {}
    for name in shape.required_members:
        kind = shape.members[name].type_name
        default = {"string": "x", "list": [], "structure": {}}.get(kind, 1)
        body[name] = known.get(name, default)
    body[member] = value
    return body


def test_unstorable_text_in_any_string_member_is_a_4xx_never_a_500(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    """A lone surrogate (valid in JSON, not in UTF-8) reached PostgreSQL (a 500), or was echoed
    in an enum's validation message that then could not be encoded (a plain-text 500)."""
    key = key_for(owner, team)
    model = service_model()
    failures: list[str] = []
    tried = 0
    for name in model.operation_names:
        shape = model.operation_model(name).input_shape
        if shape is None or name not in HANDLERS:
            continue
        for member, member_shape in shape.members.items():
            if member_shape.type_name != "string":
                continue
            for value in ("a\ud800b", "a\x00b", "\udfff"):
                tried += 1
                response = raw(aws_url, name, _fuzz_body(team, shape, member, value), key)
                ok = 400 <= response.status_code < 500
                ok = ok and response.headers.get("content-type") == "application/x-amz-json-1.0"
                if ok:
                    body = response.json()
                    ok = body.get("__type") in {"ValidationException", "SerializationException"}
                    ok = ok and "\ud800" not in body["message"] and "\x00" not in body["message"]
                if not ok:
                    failures.append(f"{name}.{member}={value!r}: {response.status_code}")
                    failures.append(response.text[:200])
    assert tried > 100
    assert not failures, "\n".join(failures)


def test_a_lone_surrogate_inside_a_json_payload_is_the_operations_error(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    key = key_for(owner, team)
    made = raw(
        aws_url,
        "CreateStateMachine",
        {
            "name": "payload",
            "definition": '{"StartAt":"x","States":{"x":{"Type":"Succeed"}}}',
            "roleArn": "arn:aws:iam::123456789012:role/x",
        },
        key,
    )
    assert made.status_code == 200, made.text
    response = raw(
        aws_url,
        "StartExecution",
        {"stateMachineArn": made.json()["stateMachineArn"], "input": '{"a": "\\ud800"}'},
        key,
    )
    status, code, _ = error_of(response)
    assert (status, code) == (400, "InvalidExecutionInput")


@pytest.mark.parametrize("media", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_body_that_is_not_aws_json_is_refused(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team, media: str
) -> None:
    """``Content-Type: text/plain`` (or none) was answered as if it were AWS JSON 1.0."""
    signed = signed_headers(aws_url, "ListStateMachines", b"{}", key_for(owner, team))
    headers = {**signed, "Content-Type": media}  # what the key signed, sent as another type
    status, code, message = error_of(httpx.post(aws_url, content=b"{}", headers=headers))
    assert (status, code) == (400, "UnknownOperationException")
    assert "application/x-amz-json-1.0" in message


def test_aws_json_1_1_is_the_same_json(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    media = {"Content-Type": "application/x-amz-json-1.1; charset=utf-8"}
    headers = signed_headers(aws_url, "ListStateMachines", b"{}", key_for(owner, team), **media)
    assert httpx.post(aws_url, content=b"{}", headers=headers).status_code == 200


def test_every_aws_path_answers_aws_json_never_an_html_page(
    aws_url: str, key_for: KeyFor, owner: Any, team: Team
) -> None:
    """``/aws/x/y`` (a 404) and a Host outside ALLOWED_HOSTS (Django's 400) were HTML pages."""
    key = key_for(owner, team)
    elsewhere = aws_url + "/x/y"
    headers = signed_headers(elsewhere, "ListStateMachines", b"{}", key)
    status, code, message = error_of(httpx.post(elsewhere, content=b"{}", headers=headers))
    assert (status, code) == (400, "UnknownOperationException")
    assert "POST /aws" in message
    status, code, _ = error_of(httpx.get(elsewhere))
    assert (status, code) == (400, "UnknownOperationException")
    headers = signed_headers(aws_url, "ListStateMachines", b"{}", key, Host="evil.example")
    status, code, message = error_of(httpx.post(aws_url, content=b"{}", headers=headers))
    assert (status, code) == (400, "ValidationException")
    assert "ALLOWED_HOSTS" in message
