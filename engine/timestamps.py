"""ASL timestamps: the RFC 3339 strings that Choice rules compare and Wait states wait for.

The States Language takes RFC 3339's profile of ISO 8601 and narrows it: the
date and time are separated by an uppercase ``T``, and a time without a numeric
offset ends in an uppercase ``Z``. So ``2016-03-14T01:59:00Z``,
``2016-03-14T01:59:00.123+01:00`` and ``2016-03-14T01:59:00-05:30`` are
timestamps, while ``2016-03-14``, ``2016-03-14T01:59:00`` (no zone),
``2016-03-14 01:59:00Z`` (space), ``2016-03-14t01:59:00z`` (lowercase) and
``2016-03-14T01:59Z`` (no seconds) are not.

Further rules, following the strict calendar checks of AWS's (Java) runtime:
the date must exist (no February 30th), hours run 00-23, minutes and seconds
00-59 (no leap second 60), and an offset lies within +-18:00. The fraction of
a second may have any number of digits; it is kept to the nanosecond.

A parsed ``Timestamp`` is an instant: two timestamps are equal, and order, by
the moment they denote, whatever offsets they were written with
(``2012-10-09T20:00:55+01:00`` equals ``2012-10-09T19:00:55Z``), and a
fraction counts (``...:55.5Z`` is after ``...:55Z``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

NANOS_PER_SECOND: Final = 1_000_000_000
MAX_OFFSET_MINUTES: Final = 18 * 60

_TIMESTAMP = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"T(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})"
    r"(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})",
    re.ASCII,
)
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


class InvalidTimestamp(ValueError):
    """A string that is not an ASL timestamp."""


@dataclass(frozen=True, order=True)
class Timestamp:
    """An instant parsed from an ASL timestamp string.

    ``epoch_nanos`` (nanoseconds since 1970-01-01T00:00:00Z) is all that
    equality and ordering look at; ``offset_minutes`` and ``text`` only
    remember how the instant was written.
    """

    epoch_nanos: int
    offset_minutes: int = field(default=0, compare=False)
    text: str = field(default="", compare=False)

    @property
    def epoch_seconds(self) -> float:
        """Seconds since the Unix epoch, as a float (loses nanosecond precision)."""
        return self.epoch_nanos / NANOS_PER_SECOND

    def to_datetime(self) -> datetime:
        """The instant as an aware UTC ``datetime`` (truncated to microseconds)."""
        return _EPOCH + timedelta(microseconds=self.epoch_nanos // 1000)


def parse_timestamp(text: str) -> Timestamp:
    """Parse an ASL timestamp, or raise ``InvalidTimestamp`` saying why not."""
    match = _TIMESTAMP.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidTimestamp(f"not an RFC 3339 timestamp: {text!r}")
    year, month, day = (int(match[name]) for name in ("year", "month", "day"))
    hour, minute, second = (int(match[name]) for name in ("hour", "minute", "second"))
    _check_date(year, month, day, text)
    _check_time(hour, minute, second, text)
    offset = _offset_minutes(match["zone"], text)
    seconds = (
        _days_from_civil(year, month, day) * 86_400
        + hour * 3600
        + minute * 60
        + second
        - offset * 60
    )
    nanos = seconds * NANOS_PER_SECOND + _fraction_nanos(match["fraction"])
    return Timestamp(nanos, offset, text)


def try_parse_timestamp(value: Any) -> Timestamp | None:
    """The ``Timestamp`` a JSON value denotes, or None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except InvalidTimestamp:
        return None


def is_timestamp(value: Any) -> bool:
    """True for a string that is a valid ASL timestamp (what ``IsTimestamp`` tests)."""
    return try_parse_timestamp(value) is not None


def _check_date(year: int, month: int, day: int, text: str) -> None:
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        raise InvalidTimestamp(f"no such date: {text!r}")


def _check_time(hour: int, minute: int, second: int, text: str) -> None:
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidTimestamp(f"no such time of day: {text!r}")


def _offset_minutes(zone: str, text: str) -> int:
    """Minutes east of UTC for ``Z`` or ``+hh:mm`` / ``-hh:mm``."""
    if zone == "Z":
        return 0
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    total = hours * 60 + minutes
    if minutes > 59 or total > MAX_OFFSET_MINUTES:
        raise InvalidTimestamp(f"time zone offset out of range: {text!r}")
    return -total if zone[0] == "-" else total


def _fraction_nanos(fraction: str | None) -> int:
    """Nanoseconds in a fraction-of-second digit string (extra digits are dropped)."""
    if not fraction:
        return 0
    return int(fraction[:9].ljust(9, "0"))


def _is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a proleptic Gregorian date (year 0 included)."""
    shifted_year = year - 1 if month <= 2 else year
    era = shifted_year // 400
    year_of_era = shifted_year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468
