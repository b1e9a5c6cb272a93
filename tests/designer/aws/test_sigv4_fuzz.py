"""Whatever arrives as ``Authorization`` (and ``X-Amz-Date``), the signature check answers
with one of AWS's errors, never another exception (which the endpoint would make a 500).

Headers are generated from the pieces a real one is made of, shuffled, dropped, repeated
and mangled, plus arbitrary text; the live-server cases are in ``test_protocol.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.aws.errors import AwsError
from designer.aws.sigv4 import SignedRequest, authenticate

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
STAMP = "20260102T030405Z"
ERRORS = {
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "UnrecognizedClientException",
    "MissingAuthenticationTokenException",
}

piece = st.one_of(
    st.just("Credential=AKIAEXAMPLE/20260102/us-east-1/states/aws4_request"),
    st.just("SignedHeaders=host;x-amz-date"),
    st.just("Signature=" + "ab" * 32),
    st.builds(
        lambda name, value: f"{name}={value}",
        st.sampled_from(["Credential", "SignedHeaders", "Signature", "credential", ""]),
        st.text(max_size=40),
    ),
    st.text(max_size=30),
)
header = st.one_of(
    st.builds(
        lambda algorithm, pieces, joiner: f"{algorithm} " + joiner.join(pieces),
        st.sampled_from(["AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1", "aws4-hmac-sha256", "", "Bearer"]),
        st.lists(piece, max_size=5),
        st.sampled_from([", ", ",", " ", ",,", ", \t"]),
    ),
    st.text(max_size=200),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(authorization=header, stamp=st.one_of(st.just(STAMP), st.text(max_size=20)))
def test_any_authorization_header_gets_an_aws_error(authorization: str, stamp: str) -> None:
    headers = {"authorization": authorization, "x-amz-date": stamp, "host": "localhost"}
    request = SignedRequest("POST", "/aws", "", headers, b"{}")
    with pytest.raises(AwsError) as caught:
        authenticate(request, now=NOW)
    assert caught.value.code in ERRORS
    assert caught.value.status == 400 and caught.value.message
