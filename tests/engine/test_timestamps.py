"""RFC 3339 timestamps as the States Language restricts them (engine.timestamps)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from engine.timestamps import (
    InvalidTimestamp,
    Timestamp,
    is_timestamp,
    parse_timestamp,
    try_parse_timestamp,
)

VALID = [
    "2012-10-09T19:00:55Z",
    "2016-03-14T01:59:00Z",
    "2012-10-09T19:00:55+01:00",
    "2012-10-09T19:00:55-05:30",
    "2012-10-09T19:00:55-00:00",
    "2012-10-09T19:00:55.5Z",
    "2012-10-09T19:00:55.123456789Z",
    "2012-10-09T19:00:55.1234567891234Z",
    "2012-10-09T19:00:55.000+18:00",
    "2012-10-09T19:00:55-18:00",
    "2016-02-29T00:00:00Z",
    "2000-02-29T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
]

INVALID = [
    "",
    " ",
    "HelloWorld",
    "2023-02-24",
    "2012-10-09T19:00:55",  # no zone: ASL requires Z or an offset
    "2012-10-09T19:00:55.5",
    "2023-02-24 12:15:56.832957",
    "2012-10-09 19:00:55Z",  # space separator
    "2012-10-09t19:00:55Z",  # lowercase t
    "2012-10-09T19:00:55z",  # lowercase z
    "2012-10-09T19:00Z",  # no seconds
    "2012-10-09T19:00:55.Z",  # empty fraction
    "2012-10-09T19:00:55,5Z",  # comma fraction
    "2012-10-09T19:00:55+0100",  # offset without colon
    "2012-10-09T19:00:55+01",
    "2012-10-09T19:00:55+18:01",  # offset beyond +-18:00
    "2012-10-09T19:00:55+05:60",
    "2012-10-09T19:00:55ZZ",
    " 2012-10-09T19:00:55Z",
    "2012-10-09T19:00:55Z ",
    "2012-10-09T19:00:55Z\n",
    "12-10-09T19:00:55Z",
    "+2012-10-09T19:00:55Z",
    "2012-13-09T19:00:55Z",  # month 13
    "2012-00-09T19:00:55Z",
    "2012-10-00T19:00:55Z",
    "2012-10-32T19:00:55Z",
    "2015-02-29T00:00:00Z",  # not a leap year
    "1900-02-29T00:00:00Z",  # century, not a leap year
    "2016-04-31T00:00:00Z",
    "2012-10-09T24:00:00Z",
    "2012-10-09T19:60:00Z",
    "2012-10-09T19:00:60Z",  # no leap seconds
    "\uff12\uff10\uff11\uff12-10-09T19:00:55Z",  # full-width digits
    "2012-10-09T19:00:55\u2212 01:00",
]


@pytest.mark.parametrize("text", VALID)
def test_valid_timestamps_parse(text: str) -> None:
    assert is_timestamp(text)
    assert parse_timestamp(text).text == text


@pytest.mark.parametrize("text", INVALID)
def test_invalid_timestamps_are_rejected(text: str) -> None:
    assert not is_timestamp(text)
    assert try_parse_timestamp(text) is None
    with pytest.raises(InvalidTimestamp):
        parse_timestamp(text)


@pytest.mark.parametrize("value", [None, 0, 1.5, True, [], {}, ["2012-10-09T19:00:55Z"]])
def test_non_strings_are_not_timestamps(value: Any) -> None:
    assert not is_timestamp(value)
    assert try_parse_timestamp(value) is None


def test_epoch_is_zero() -> None:
    assert parse_timestamp("1970-01-01T00:00:00Z").epoch_nanos == 0


def test_epoch_value_matches_datetime() -> None:
    text = "2012-10-09T19:00:55Z"
    expected = int(datetime(2012, 10, 9, 19, 0, 55, tzinfo=UTC).timestamp())
    assert parse_timestamp(text).epoch_nanos == expected * 1_000_000_000


def test_offsets_denote_the_same_instant() -> None:
    utc = parse_timestamp("2012-10-09T19:00:55Z")
    assert parse_timestamp("2012-10-09T20:00:55+01:00") == utc
    assert parse_timestamp("2012-10-09T13:30:55-05:30") == utc
    assert parse_timestamp("2012-10-10T00:00:55+05:00") == utc
    assert parse_timestamp("2012-10-09T19:00:55-00:00") == utc


def test_offset_is_remembered_but_not_compared() -> None:
    east = parse_timestamp("2012-10-09T20:00:55+01:00")
    west = parse_timestamp("2012-10-09T13:30:55-05:30")
    assert (east.offset_minutes, west.offset_minutes) == (60, -330)
    assert east == west
    assert hash(east) == hash(west)


def test_later_offset_is_earlier_instant() -> None:
    assert parse_timestamp("2012-10-09T19:00:55+01:00") < parse_timestamp("2012-10-09T19:00:55Z")


def test_fractional_seconds_count() -> None:
    whole = parse_timestamp("2012-10-09T19:00:55Z")
    half = parse_timestamp("2012-10-09T19:00:55.5Z")
    assert half > whole
    assert half.epoch_nanos - whole.epoch_nanos == 500_000_000
    assert parse_timestamp("2012-10-09T19:00:55.000Z") == whole
    assert parse_timestamp("2012-10-09T19:00:55.50Z") == half


def test_fraction_kept_to_the_nanosecond() -> None:
    base = parse_timestamp("2012-10-09T19:00:55Z").epoch_nanos
    assert parse_timestamp("2012-10-09T19:00:55.000000001Z").epoch_nanos == base + 1
    # digits past the ninth are dropped, not rounded
    assert parse_timestamp("2012-10-09T19:00:55.0000000019Z").epoch_nanos == base + 1


def test_ordering_across_day_and_year_boundaries() -> None:
    texts = [
        "1999-12-31T23:59:59.999Z",
        "2000-01-01T00:00:00Z",
        "2000-01-01T00:00:00.001Z",
        "2000-02-29T12:00:00Z",
        "2000-03-01T00:00:00+01:00",
        "2000-03-01T00:00:00Z",
    ]
    parsed = [parse_timestamp(text) for text in texts]
    assert parsed == sorted(parsed)


def test_to_datetime_is_utc() -> None:
    moment = parse_timestamp("2012-10-09T20:00:55.25+01:00").to_datetime()
    assert moment == datetime(2012, 10, 9, 19, 0, 55, 250000, tzinfo=UTC)
    assert moment.tzinfo is UTC


def test_epoch_seconds() -> None:
    assert parse_timestamp("1970-01-01T00:01:00.5Z").epoch_seconds == 60.5


def test_pre_epoch_and_year_zero() -> None:
    assert parse_timestamp("1969-12-31T23:59:59Z").epoch_nanos == -1_000_000_000
    assert parse_timestamp("0000-01-01T00:00:00Z") < parse_timestamp("0001-01-01T00:00:00Z")


def test_timestamp_constructor_compares_by_instant() -> None:
    assert Timestamp(5, 60, "a") == Timestamp(5, 0, "b")
    assert Timestamp(4) < Timestamp(5)
