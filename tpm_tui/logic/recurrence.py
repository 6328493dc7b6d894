"""Expand stored meetings into the occurrences of a window (a day, a week).

Pure: standard library, ``dateutil`` and the domain. ``dateutil.rrule`` does all of
the RRULE semantics; this module only decides *which part* of a series to ask it for
and applies what iCalendar adds on top: RDATE, EXDATE, RECURRENCE-ID overrides
(``RANGE=THISANDFUTURE`` included), cancellations.

Kinds are kept: a series written in a zone is expanded in that zone's wall time
(a 09:00 Europe/Berlin weekly stays 09:00 across DST) and yields aware datetimes in
that zone; a floating series yields naive datetimes read in the view zone; an
all-day series yields dates.

Work is bounded per series and per call, whatever the rule:

* DAILY/WEEKLY/HOURLY/MINUTELY/SECONDLY rules without COUNT start iterating a period
  or two before the window (the rule's start is moved by whole periods, which keeps
  every occurrence of the rule), so an endless rule from 2015 costs the same as
  one from last week, and a FREQ=SECONDLY rule only iterates inside the window;
* other rules (MONTHLY, YEARLY, anything with COUNT) are materialised once, lazily,
  up to :data:`MAX_MATERIALISED` occurrences (a COUNT=100000000 rule shows only its
  first occurrences);
* at most :data:`MAX_PER_CALL` occurrences of one series per call.

:class:`MeetingIndex` is built once over all stored meetings (singles sorted by
start for ``bisect``; series with their parsed rules cached) and answers
``between(start, end, tz)`` quickly, again and again.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from tpm_tui.domain import Meeting, Occurrence, When, recurrence_key, recurrence_value
from tpm_tui.logic.gcpause import paused_gc

if TYPE_CHECKING:
    from dateutil import rrule as du_rrule


def _du() -> Any:
    """``dateutil.rrule``, imported on first use: plain DAILY/WEEKLY rules never need it,
    and ``tpm brief`` should not pay for importing it."""
    from dateutil import rrule

    return rrule


# dateutil.rrule's frequency numbers (YEARLY = 0 ... SECONDLY = 6)
YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY = range(7)


class _Weekday(NamedTuple):
    """A BYDAY entry (``weekday`` 0 = Monday, ``n`` the ordinal or None); ``dateutil.rrule.weekday`` when built."""

    weekday: int
    n: int | None

MAX_PER_CALL = 2000
"""Most occurrences one series yields in one call (a FREQ=SECONDLY rule in a day window)."""
MAX_MATERIALISED = 5000
"""Most occurrences kept for a rule that cannot be entered in the middle (COUNT, MONTHLY, YEARLY)."""
LONG = timedelta(days=2)
"""Single events longer than this are kept apart and checked one by one."""

_FREQ = {
    "YEARLY": YEARLY,
    "MONTHLY": MONTHLY,
    "WEEKLY": WEEKLY,
    "DAILY": DAILY,
    "HOURLY": HOURLY,
    "MINUTELY": MINUTELY,
    "SECONDLY": SECONDLY,
}
_PERIOD = {
    WEEKLY: timedelta(weeks=1),
    DAILY: timedelta(days=1),
    HOURLY: timedelta(hours=1),
    MINUTELY: timedelta(minutes=1),
    SECONDLY: timedelta(seconds=1),
}
_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_INTS = {
    "BYMONTH": "bymonth",
    "BYMONTHDAY": "bymonthday",
    "BYYEARDAY": "byyearday",
    "BYWEEKNO": "byweekno",
    "BYHOUR": "byhour",
    "BYMINUTE": "byminute",
    "BYSECOND": "bysecond",
    "BYSETPOS": "bysetpos",
}


# ------------------------------------------------------------------ small helpers


def _naive(value: When) -> datetime:
    """A date as its midnight; a datetime's wall clock."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, time(0))


def _coerce(value: When, aware: bool, zone: tzinfo | None, start: datetime) -> datetime:
    """An EXDATE/RDATE/RECURRENCE-ID value in the series' own terms (see module doc)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, start.time())
        return value.replace(tzinfo=zone) if aware else value
    if aware:
        return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return value.replace(tzinfo=None)


def _key(value: datetime, all_day: bool) -> str:
    """``recurrence_key`` of an occurrence start, formatted without ``strftime`` (3x faster)."""
    if all_day:
        return recurrence_key(value.date())
    if value.year >= 1000:  # strftime("%Y") does not pad years before 1000
        if value.tzinfo is None:
            return "%04d%02d%02dT%02d%02d%02d" % (value.year, value.month, value.day, value.hour, value.minute, value.second)
        if value.utcoffset() is not None:
            u = value.astimezone(UTC)
            if u.year >= 1000:
                return "%04d%02d%02dT%02d%02d%02dZ" % (u.year, u.month, u.day, u.hour, u.minute, u.second)
    return recurrence_key(value)




def _until(text: str, aware: bool, zone: tzinfo | None) -> datetime:
    """An RRULE UNTIL value in the series' terms (UTC-aware for aware series, else naive)."""
    text = text.strip().upper()
    if not text[:8].isdigit():
        raise ValueError(f"bad UNTIL {text!r}")
    y, mo, d = int(text[:4]), int(text[4:6]), int(text[6:8])
    if len(text) >= 15 and text[8] == "T" and text[9:15].isdigit():
        value = datetime(y, mo, d, int(text[9:11]), int(text[11:13]), int(text[13:15]))
        if aware:
            return value.replace(tzinfo=UTC) if text.endswith("Z") else value.replace(tzinfo=zone).astimezone(UTC)
        return value
    value = datetime(y, mo, d, 23, 59, 59)
    return value.replace(tzinfo=zone).astimezone(UTC) if aware else value


def _rule_args(text: str, dtstart: datetime, aware: bool, zone: tzinfo | None) -> tuple[int, dict[str, Any]] | None:
    """(freq, keyword arguments) for ``dateutil.rrule.rrule``; None when the text needs ``rrulestr``."""
    parts: dict[str, str] = {}
    for item in text.split(";"):
        if "=" in item:
            name, _, value = item.partition("=")
            parts[name.strip().upper()] = value.strip()
    freq = _FREQ.get(parts.get("FREQ", "").upper())
    if freq is None:
        return None
    kwargs: dict[str, Any] = {"dtstart": dtstart, "cache": False}
    try:
        for name, value in parts.items():
            if name == "FREQ":
                continue
            if name == "INTERVAL":
                kwargs["interval"] = max(1, int(value))
            elif name == "COUNT":
                kwargs["count"] = max(0, int(value))
            elif name == "UNTIL":
                kwargs["until"] = _until(value, aware, zone)
            elif name == "WKST":
                kwargs["wkst"] = _DAYS[value.upper()[:2]]
            elif name == "BYDAY":
                days = []
                for d in value.split(","):
                    d = d.strip().upper()
                    n = d[:-2]
                    ordinal = int(n) if n not in ("", "+", "-") else None
                    if ordinal == 0:
                        raise ValueError("BYDAY ordinal 0")  # as dateutil.rrule.weekday refuses it
                    days.append(_Weekday(_DAYS[d[-2:]], ordinal))
                kwargs["byweekday"] = days
            elif name in _INTS:
                kwargs[_INTS[name]] = [int(v) for v in value.split(",") if v.strip()]
            elif name.startswith("X-") or name == "BYEASTER":
                continue
            else:  # an unknown part: let dateutil's own parser judge the whole rule
                return None
    except (KeyError, ValueError):
        return None
    return freq, kwargs


_SIMPLE_KEYS = frozenset({"dtstart", "cache", "interval", "count", "until", "byweekday", "wkst"})
_ONE_DAY = timedelta(days=1)


def _simple_plan(args: tuple[int, dict[str, Any]], dtstart: datetime) -> tuple[int, int, frozenset[int] | None, int | None, Any] | None:
    """``(step_days, period_days, weekdays, count, until)`` when the rule is a plain
    DAILY or WEEKLY one whose days follow from date arithmetic alone, else None.

    Plain means: no BY* part but BYDAY (weekdays without an ordinal), and
    (for WEEKLY) either INTERVAL=1 or a single BYDAY on DTSTART's own weekday, so
    WKST never matters; COUNT only with one occurrence per period.
    """
    freq, kwargs = args
    if freq not in (DAILY, WEEKLY) or not set(kwargs) <= _SIMPLE_KEYS:
        return None
    interval = kwargs.get("interval", 1)
    days = kwargs.get("byweekday")
    weekdays: frozenset[int] | None = None
    if days is not None:
        if not days or any(getattr(d, "n", None) for d in days):
            return None
        weekdays = frozenset(d.weekday for d in days)
    count = kwargs.get("count")
    if freq == DAILY:
        if count is not None and weekdays is not None:
            return None
        return interval, interval, weekdays, count, kwargs.get("until")
    own = frozenset({dtstart.weekday()})
    if weekdays is None:
        weekdays = own
    if weekdays == own:
        return 7 * interval, 7 * interval, None, count, kwargs.get("until")
    if interval != 1 or count is not None:
        return None
    return 1, 7, weekdays, None, kwargs.get("until")


def _make_rrule(freq: int, kwargs: dict[str, Any]) -> du_rrule.rrule:
    """``dateutil.rrule.rrule(freq, **kwargs)`` with BYDAY entries as dateutil weekdays."""
    du = _du()
    days = kwargs.get("byweekday")
    if days is not None:
        kwargs = dict(kwargs, byweekday=[du.weekday(d.weekday, d.n) for d in days])
    return du.rrule(freq, **kwargs)


def _build_rule(text: str, dtstart: datetime, aware: bool, zone: tzinfo | None) -> du_rrule.rrule | None:
    """A dateutil rrule for the RRULE text (None when dateutil cannot make sense of it)."""
    args = _rule_args(text, dtstart, aware, zone)
    try:
        if args is not None:
            return _make_rrule(args[0], args[1])
    except Exception:
        pass
    try:
        return _du().rrulestr(text, dtstart=dtstart, cache=False)  # type: ignore[no-any-return]
    except Exception:
        return None


_PARTS: dict[str, dict[str, str]] = {}


def _rule_parts(text: str) -> dict[str, str]:
    """``FREQ=WEEKLY;BYDAY=MO`` -> ``{"FREQ": "WEEKLY", "BYDAY": "MO"}`` (upper-cased), cached:
    a calendar repeats a few rule texts across hundreds of series. Do not mutate."""
    got = _PARTS.get(text)
    if got is None:
        got = {}
        for item in text.split(";"):
            if "=" in item:
                name, _, value = item.partition("=")
                got[name.strip().upper()] = value.strip().upper()
        if len(_PARTS) > 10_000:
            _PARTS.clear()
        _PARTS[text] = got
    return got


def _weekday_filter(parts: dict[str, str], dtstart_weekday: int) -> frozenset[int] | None:
    """The local weekdays a plain DAILY/WEEKLY rule can produce (None: any, or not plain)."""
    if parts.get("FREQ", "") not in ("WEEKLY", "DAILY"):
        return None
    if any(p in parts for p in ("BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS")):
        return None
    if "BYDAY" in parts:
        days = [d.strip() for d in parts["BYDAY"].split(",")]
        return frozenset(_DAYS[d] for d in days) if all(d in _DAYS for d in days) else None
    if parts["FREQ"] == "WEEKLY":
        return frozenset({dtstart_weekday})
    return None


def _series_duration(master: Meeting) -> timedelta:
    """A series' duration: exact elapsed time for aware starts, wall clock otherwise; never negative."""
    start = master.start
    if isinstance(start, datetime) and start.tzinfo is not None:
        end_dt = _coerce(master.end, True, start.tzinfo, start)
        duration = end_dt.astimezone(UTC) - start.astimezone(UTC)
    else:
        duration = _naive(master.end) - _naive(start)
    return max(duration, timedelta(0))


# ------------------------------------------------------------------ one series


class _Series:
    """A recurring master with its overrides, ready to be asked for windows."""

    def __init__(self, master: Meeting, overrides: dict[str, Meeting]) -> None:
        self.master = master
        self.all_day = not isinstance(master.start, datetime)
        start = master.start
        self.aware = isinstance(start, datetime) and start.tzinfo is not None
        self.zone: tzinfo | None = start.tzinfo if self.aware else None  # type: ignore[union-attr]
        self.dtstart: datetime = start if self.aware else _naive(start)  # type: ignore[assignment]
        self.duration = _series_duration(master)
        self.overrides = overrides
        self.ranges: list[tuple[datetime, Meeting, timedelta, timedelta]] = []
        if any(o.range_future for o in overrides.values()):
            self._prepare_ranges()
        self.slack = max((abs(r[2]) for r in self.ranges), default=timedelta(0))
        self.max_duration = max([self.duration] + [r[3] for r in self.ranges])
        self._details = False  # EXDATE keys, RDATEs, override starts: built on first real use
        self.exkeys: set[str] = set()
        self.rdates: list[datetime] = []
        self.override_starts: set[str] = set()
        self._rule: du_rrule.rrule | None | bool = False  # False = not parsed yet
        self._args: tuple[int, dict[str, Any]] | None | bool = False  # False = not parsed yet
        self._shifted: dict[int, du_rrule.rrule] = {}
        self._simple: tuple[int, int, frozenset[int] | None, int | None, Any] | None | bool = False  # False = not judged yet
        self._listed: list[datetime] | None = None
        self._gen: Iterator[datetime] | None = None
        self._weekdays: frozenset[int] | None = None
        self._shiftable = False
        self._counted = False
        self._time_of_day: time | None = None
        self._until: datetime | None = None
        self._prepare_filters()

    def _prepare_ranges(self) -> None:
        for rid, o in self.overrides.items():
            if not o.range_future:
                continue
            value = recurrence_value(rid)
            if value is None:
                continue
            rid_dt = _coerce(value, self.aware, self.zone, self.dtstart)
            o_start = _coerce(o.start, self.aware, self.zone, self.dtstart)
            o_end = _coerce(o.end, self.aware, self.zone, self.dtstart)
            if self.aware:
                shift = o_start.astimezone(UTC) - rid_dt.astimezone(UTC)
                dur = o_end.astimezone(UTC) - o_start.astimezone(UTC)
            else:
                shift, dur = o_start - rid_dt, o_end - o_start
            self.ranges.append((rid_dt, o, shift, max(dur, timedelta(0))))
        self.ranges.sort(key=lambda r: r[0])

    def _prepare_details(self) -> None:
        self._details = True
        master = self.master
        self.exkeys = {_key(_coerce(x, self.aware, self.zone, self.dtstart), self.all_day) for x in master.exdate}
        self.rdates = sorted({_coerce(x, self.aware, self.zone, self.dtstart) for x in master.rdate})
        # an override at the very start of a generated occurrence replaces it too
        # (a moved occurrence whose RECURRENCE-ID refers to an older version of the series)
        self.override_starts = {
            _key(_coerce(o.start, self.aware, self.zone, self.dtstart), self.all_day)
            for o in self.overrides.values()
            if type(o.start) is type(master.start)
        }

    def _prepare_filters(self) -> None:
        """Cheap facts from the rule text, without building the rule."""
        parts = _rule_parts(self.master.rrule or "")
        freq = parts.get("FREQ", "")
        periodic = freq in ("WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
        # one occurrence per period: no BY* part, or a weekly BYDAY naming DTSTART's own weekday only
        by = [p for p in parts if p.startswith("BY")]
        one_per_period = not by or (
            freq == "WEEKLY" and by == ["BYDAY"] and parts["BYDAY"] == list(_DAYS)[self.dtstart.weekday()]
        )
        self._shiftable = periodic and ("COUNT" not in parts or one_per_period)
        self._counted = "COUNT" in parts
        if "UNTIL" in parts:
            try:
                self._until = _until(parts["UNTIL"], self.aware, self.zone)
            except ValueError:
                self._until = None
        fixed_time = not any(p in parts for p in ("BYHOUR", "BYMINUTE", "BYSECOND"))
        self._time_of_day = _naive(self.dtstart).time() if fixed_time else None
        self._weekdays = _weekday_filter(parts, self.dtstart.weekday())

    def _off_days(self, lo: datetime, hi: datetime) -> bool:
        """True when no local date in [lo, hi] falls on a weekday the rule can produce."""
        assert self._weekdays is not None
        span = (hi.date() - lo.date()).days
        if span >= 6:
            return False
        lo_n, hi_n = _naive(lo), _naive(hi)
        at = self._time_of_day
        day0 = lo_n.date()
        for i in range(span + 1):
            day = day0 + timedelta(days=i)
            if day.weekday() in self._weekdays and (at is None or lo_n <= datetime.combine(day, at) <= hi_n):
                return False
        return True

    @property
    def rule(self) -> du_rrule.rrule | None:
        if self._rule is False:
            self._rule = None
            if self.master.rrule:
                self._rule = _build_rule(self.master.rrule, self.dtstart, self.aware, self.zone)
        return self._rule  # type: ignore[return-value]

    # -------------------------------------------------------------- rule occurrences

    def _from_rule(self, lo: datetime, hi: datetime) -> list[datetime]:
        if not self.master.rrule:
            return []
        if hi < self.dtstart or (self._until is not None and lo > self._until):
            return []
        if self._weekdays is not None and self._off_days(lo, hi):
            return []
        if self._shiftable:
            if self._args is False:
                self._args = _rule_args(self.master.rrule, self.dtstart, self.aware, self.zone)
            if self._args is not None:
                return self._shifted_between(lo, hi)
        rule = self.rule
        if rule is None:
            return []
        return self._listed_between(rule, lo, hi)

    def _shifted_between(self, lo: datetime, hi: datetime) -> list[datetime]:
        assert isinstance(self._args, tuple)
        if self._simple is False:
            self._simple = _simple_plan(self._args, self.dtstart)
        if self._simple is not None:
            return self._simple_between(self._simple, lo, hi)
        freq, kwargs = self._args
        period = _PERIOD[freq] * kwargs.get("interval", 1)
        k = max(0, (_naive(lo) - _naive(self.dtstart)) // period - 1)
        rule = self._shifted.get(k)
        if rule is None:
            if len(self._shifted) > 8:
                self._shifted.clear()
            args = dict(kwargs, dtstart=self.dtstart + k * period)
            if self._counted and k:  # one occurrence per period: k periods used k of the COUNT
                args["count"] = kwargs["count"] - k
                if args["count"] <= 0:
                    return []
            try:
                rule = _make_rrule(freq, args)
            except Exception:
                return []
            self._shifted[k] = rule
        out: list[datetime] = []
        steps = 0
        for value in rule:
            steps += 1
            if value > hi or steps > 4 * MAX_PER_CALL:
                break
            if value >= lo:
                out.append(value)
                if len(out) >= MAX_PER_CALL:
                    break
        return out

    def _simple_between(self, simple: tuple[int, int, frozenset[int] | None, int | None, Any], lo: datetime, hi: datetime) -> list[datetime]:
        """What ``dateutil`` yields in ``[lo, hi]`` for a plain DAILY/WEEKLY rule, by date arithmetic.

        The same values (``datetime.combine`` of a date with DTSTART's time and zone,
        as ``rrule`` builds them) and the same comparisons (``>= dtstart``,
        ``<= UNTIL``, ``[lo, hi]``), without building an ``rrule`` per window.
        """
        start = self.dtstart.replace(microsecond=0)  # as rrule keeps it
        out: list[datetime] = []
        try:
            return self._simple_walk(simple, start, lo, hi, out)
        except OverflowError:  # past year 9999: rrule stops there too
            return out

    def _simple_walk(self, simple: tuple[int, int, frozenset[int] | None, int | None, Any], start: datetime, lo: datetime, hi: datetime, out: list[datetime]) -> list[datetime]:
        step, per_period, weekdays, count, until = simple
        first = start.date()
        at = start.timetz().replace(fold=0)
        day = lo.date()
        day = day - _ONE_DAY if day > first else first
        # align to the rule's own days: every ``step`` days from DTSTART (then filtered by weekday)
        offset = (day - first).days % step
        if offset:
            day += timedelta(days=step - offset)
        last = hi.date()  # later dates are after ``hi`` (same tzinfo: wall-clock order)
        combine = datetime.combine
        while day <= last:
            if weekdays is None or day.weekday() in weekdays:
                value = combine(day, at)
                if value > hi:
                    break
                if count is not None and (day - first).days // per_period >= count:
                    break
                if until is not None and value > until:
                    break
                if value >= lo and value >= start:
                    out.append(value)
                    if len(out) >= MAX_PER_CALL:
                        break
            day += timedelta(days=step)
        return out

    def _listed_between(self, rule: du_rrule.rrule, lo: datetime, hi: datetime) -> list[datetime]:
        if self._listed is None:
            self._listed = []
            self._gen = iter(rule)
        listed = self._listed
        while self._gen is not None and (not listed or listed[-1] <= hi):
            if len(listed) >= MAX_MATERIALISED:
                self._gen = None
                break
            try:
                listed.append(next(self._gen))
            except StopIteration:
                self._gen = None
            except Exception:  # a rule dateutil cannot iterate: what we have is all
                self._gen = None
        i = bisect_left(listed, lo)
        j = bisect_right(listed, hi)
        return listed[i : min(j, i + MAX_PER_CALL)]

    # -------------------------------------------------------------- the window

    def between(self, start: datetime, end: datetime, tz: ZoneInfo) -> list[Occurrence]:
        if self.aware:
            ws, we = start.astimezone(self.zone), end.astimezone(self.zone)
        else:
            ws = start.astimezone(tz).replace(tzinfo=None)
            we = end.astimezone(tz).replace(tzinfo=None)
        lo = ws - self.max_duration - self.slack
        hi = we + self.slack
        if hi < self.dtstart:
            return []
        if (
            not self.master.rdate
            and not lo <= self.dtstart <= hi
            and (
                (self._until is not None and lo > self._until)
                or (self._weekdays is not None and self._off_days(lo, hi))
            )
        ):
            return []
        if not self._details:
            self._prepare_details()
        found: dict[str, datetime] = {}
        for value in self._from_rule(lo, hi):
            found.setdefault(_key(value, self.all_day), value)
        i = bisect_left(self.rdates, lo)
        for value in self.rdates[i:]:
            if value > hi:
                break
            found.setdefault(_key(value, self.all_day), value)
        if lo <= self.dtstart <= hi:  # RFC 5545: DTSTART is always the first instance
            found.setdefault(_key(self.dtstart, self.all_day), self.dtstart)
        out: list[Occurrence] = []
        for key, value in found.items():
            if key in self.exkeys or key in self.overrides or key in self.override_starts:
                continue
            meeting, occ_start, duration = self.master, value, self.duration
            if self.ranges:
                applied = None
                for r in self.ranges:
                    if r[0] <= value:
                        applied = r
                    else:
                        break
                if applied is not None:
                    if applied[1].cancelled:
                        continue
                    meeting, duration = applied[1], applied[3]
                    occ_start = self._plus(value, applied[2])
            occ_end = self._plus(occ_start, duration)
            if not _overlaps(occ_start, occ_end, ws, we):
                continue
            if self.all_day:
                out.append(Occurrence(meeting, occ_start.date(), occ_end.date(), key))
            else:
                out.append(Occurrence(meeting, occ_start, occ_end, key))
        return out

    def _plus(self, value: datetime, delta: timedelta) -> datetime:
        if not delta:
            return value
        if self.aware:  # exact elapsed time, shown in the series' zone
            return (value.astimezone(UTC) + delta).astimezone(self.zone)
        return value + delta


def _overlaps(s: datetime, e: datetime, ws: datetime, we: datetime) -> bool:
    """[s, e) overlaps [ws, we); an instant (s == e) counts when ws <= s < we."""
    if s >= we:
        return False
    return e > ws or (e == s and s >= ws)


# ------------------------------------------------------------------ the index


class MeetingIndex:
    """All stored meetings, arranged once to answer "what happens between A and B" fast."""

    def __init__(self, meetings: Iterable[Meeting]) -> None:
        with paused_gc():
            self._build(meetings)

    def _build(self, meetings: Iterable[Meeting]) -> None:
        masters: dict[str, Meeting] = {}
        plain: list[Meeting] = []
        overrides: dict[str, dict[str, Meeting]] = {}
        # (``Meeting.is_recurring`` and ``.cancelled`` spelt out: this loop runs for every meeting)
        cancelled_uids: set[str] = set()
        for m in meetings:
            if m.recurrence_id is not None:
                overrides.setdefault(m.uid, {})[m.recurrence_id] = m
                continue
            if m.rrule or m.rdate:
                masters[m.uid] = m
            else:
                plain.append(m)
            if m.status == "CANCELLED":
                cancelled_uids.add(m.uid)
        self._arrange_series([(m, overrides.get(uid, {})) for uid, m in masters.items() if uid not in cancelled_uids])
        shown: list[Meeting] = []
        for m in plain:
            if m.status == "CANCELLED":
                continue
            ovs = overrides.get(m.uid)
            if ovs and recurrence_key(m.start) in ovs:
                continue  # a single event replaced by an override of itself
            shown.append(m)
        for uid, ovs in overrides.items():
            if uid in cancelled_uids:
                continue
            shown.extend(o for o in ovs.values() if not o.cancelled)
        aware: list[tuple[float, Meeting]] = []
        naive: list[tuple[datetime, Meeting]] = []
        self._long: list[Meeting] = []
        for m in shown:
            start, end = m.start, m.end
            if isinstance(start, datetime) and start.tzinfo is not None:
                end_i = end if isinstance(end, datetime) and end.tzinfo is not None else start
                if end_i - start > LONG:
                    self._long.append(m)
                else:
                    aware.append((start.timestamp(), m))
            else:
                if _naive(end) - _naive(start) > LONG:
                    self._long.append(m)
                else:
                    naive.append((_naive(start), m))
        aware.sort(key=lambda p: p[0])
        naive.sort(key=lambda p: p[0])
        self._aware_keys = [p[0] for p in aware]
        self._aware = [p[1] for p in aware]
        self._naive_keys = [p[0] for p in naive]
        self._naive = [p[1] for p in naive]

    def _arrange_series(self, masters: list[tuple[Meeting, dict[str, Meeting]]]) -> None:
        """Series by the local weekdays they can start on, per zone; each built on first use.

        A plain DAILY/WEEKLY series (no RDATE, no RANGE=THISANDFUTURE override) can start
        only on its rule's weekdays and its DTSTART's, in its own zone (floating: the view's):
        a window whose local dates, widened by the longest duration of the zone's series,
        miss those weekdays cannot hold one of its occurrences (``_Series.between`` rejects
        it by the same dates), so a day's query asks only the series of its weekdays."""
        self._masters = masters
        self._series: list[_Series | None] = [None] * len(masters)
        self._always: list[int] = []  # asked for every window
        # zone (None: floating and all-day) -> [longest duration, series by weekday, all of them]
        self._by_weekday: dict[tzinfo | None, tuple[list[timedelta], list[list[int]], list[int]]] = {}
        for i, (m, ovs) in enumerate(masters):
            days = None
            if not m.rdate and not any(o.range_future for o in ovs.values()):
                days = _weekday_filter(_rule_parts(m.rrule or ""), m.start.weekday())
            if days is None:
                self._always.append(i)
                continue
            start = m.start
            key = start.tzinfo if isinstance(start, datetime) else None
            group = self._by_weekday.get(key)
            if group is None:
                group = self._by_weekday[key] = ([timedelta(0)], [[] for _ in range(7)], [])
            longest = _series_duration(m)
            if longest > group[0][0]:
                group[0][0] = longest
            for d in days | {start.weekday()}:
                group[1][d].append(i)
            group[2].append(i)

    def _series_for(self, start: datetime, end: datetime, tz: ZoneInfo) -> list[_Series]:
        """The series that may have an occurrence overlapping ``[start, end)`` (built now if new)."""
        picked = set(self._always)
        for key, (longest, by_day, every) in self._by_weekday.items():
            try:
                if key is None:
                    ws = start.astimezone(tz).replace(tzinfo=None)
                    we = end.astimezone(tz).replace(tzinfo=None)
                else:
                    ws, we = start.astimezone(key), end.astimezone(key)
                first, last = (ws - longest[0]).date(), we.date()
            except OverflowError:
                picked.update(every)
                continue
            span = (last - first).days
            if span >= 6:
                picked.update(every)
                continue
            weekday = first.weekday()
            for k in range(span + 1):
                picked.update(by_day[(weekday + k) % 7])
        out = []
        series, masters = self._series, self._masters
        for i in sorted(picked):
            one = series[i]
            if one is None:
                one = series[i] = _Series(*masters[i])
            out.append(one)
        return out

    def between(self, start: datetime, end: datetime, tz: ZoneInfo) -> list[Occurrence]:
        """Every non-cancelled occurrence overlapping ``[start, end)``, sorted by start instant.

        ``start``/``end`` are aware; ``tz`` is the view zone that floating times and
        dates are read in.
        """
        with paused_gc():
            return self._between(start, end, tz)

    def _between(self, start: datetime, end: datetime, tz: ZoneInfo) -> list[Occurrence]:
        out: list[Occurrence] = []
        ts0, ts1 = start.timestamp(), end.timestamp()
        i = bisect_left(self._aware_keys, ts0 - LONG.total_seconds())
        for m in self._aware[i : bisect_left(self._aware_keys, ts1)]:
            if _single_overlaps(m, start, end, tz):
                out.append(Occurrence(m, m.start, m.end, m.recurrence_id))
        ws = start.astimezone(tz).replace(tzinfo=None)
        we = end.astimezone(tz).replace(tzinfo=None)
        i = bisect_left(self._naive_keys, ws - LONG)
        for m in self._naive[i : bisect_left(self._naive_keys, we)]:
            if _single_overlaps(m, start, end, tz):
                out.append(Occurrence(m, m.start, m.end, m.recurrence_id))
        for m in self._long:
            if _single_overlaps(m, start, end, tz):
                out.append(Occurrence(m, m.start, m.end, m.recurrence_id))
        for series in self._series_for(start, end, tz):
            out.extend(series.between(start, end, tz))
        out.sort(key=lambda o: (_sort_instant(o.start, tz), o.uid, o.recurrence_id or ""))
        return out


def _sort_instant(value: When, tz: ZoneInfo) -> datetime:
    """``_instant`` in UTC: aware datetimes of one tzinfo compare without ``utcoffset`` calls."""
    inst = _instant(value, tz)
    try:
        return inst.astimezone(UTC)
    except (OverflowError, ValueError):  # near year 1 or 9999: compare as it is (same order)
        return inst


def _instant(value: When, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return datetime.combine(value, time(0), tzinfo=tz)


def _single_overlaps(m: Meeting, start: datetime, end: datetime, tz: ZoneInfo) -> bool:
    s = _instant(m.start, tz)
    e = _instant(m.end, tz)
    return _overlaps(s, max(e, s), start, end)


def expand(meetings: Sequence[Meeting], start: datetime, end: datetime, tz: ZoneInfo) -> list[Occurrence]:
    """Every non-cancelled occurrence of ``meetings`` overlapping ``[start, end)`` (see :class:`MeetingIndex`)."""
    return MeetingIndex(meetings).between(start, end, tz)


__all__ = ["MAX_MATERIALISED", "MAX_PER_CALL", "MeetingIndex", "expand"]

