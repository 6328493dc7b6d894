"""Small time helpers shared by the logic modules (standard library only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tpm_tui.domain import InputError, When


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """A ZoneInfo by IANA name; :class:`InputError` with one line when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)") from None


def parse_hhmm(text: str) -> time:
    try:
        hh, mm = text.split(":")
        return time(int(hh), int(mm))
    except ValueError:
        raise InputError(f"bad time {text!r} (expected HH:MM)") from None


def to_instant(value: When, tz: ZoneInfo) -> datetime:
    """An aware datetime for ``value``: aware stays, floating and dates are read in ``tz``.

    A date means its local midnight in ``tz`` (all-day events cover their dates in
    any zone).
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=tz)
        return value
    return datetime.combine(value, time(0), tzinfo=tz)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The local day ``[00:00, next 00:00)`` in ``tz`` as aware datetimes (23 or 25 h on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
US_PER_HOUR = 3_600_000_000
US_PER_DAY = 86_400_000_000


def to_us(value: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch (exact; compares like the instant)."""
    return (value - EPOCH) // ONE_US


def from_us(us: int) -> datetime:
    """The UTC datetime of :func:`to_us` microseconds."""
    return EPOCH + timedelta(microseconds=us)


def as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def due_instant(due: When, tz: ZoneInfo) -> datetime:
    """When a task is due: a datetime as given (floating in ``tz``), a date at the end of that local day."""
    if isinstance(due, datetime):
        return to_instant(due, tz)
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=tz)
