"""Working time and free time of a person, as concrete UTC intervals.

Rules (pure logic, standard library only):

* **Working intervals**: on each of the person's ``work_days`` that is not in
  ``days_off``, ``[work_start, work_end)`` local wall time in *their own* zone. A
  ``work_end`` at or before ``work_start`` means a shift that ends the next day.
  Wall times are built per local date with ``datetime.combine(..., tzinfo=zone)``,
  so DST changes are honoured (a 09:00–17:30 day is 8.5 h on either side of a
  switch; the day *length* changes, not the working hours).
* **Intervals are kept in UTC.** Python compares and subtracts two datetimes that
  share one ``tzinfo`` by wall clock, ignoring the offset, which is wrong across a
  DST change; UTC has no such trap. Convert with ``.astimezone(zone)`` to show.
* **Whose meeting is it?** A person attends an occurrence when their e-mail is
  among the attendees (case-insensitive) or is the organizer, unless their
  PARTSTAT is ``DECLINED``. The user ("me") attends every meeting of their own
  calendar unless they declined it. Cancelled meetings block nobody.
* **All-day events do not block time** (holidays and out-of-office go into
  ``days_off``; an all-day "release week" marker should not wipe out a week).
* **Focus blocks exported by tpm** (UID ``tpm-focus-…``) and imported back do not
  block time either: the planner re-places them, and risk counts their task.
* **Floating times** (naive datetimes) are read in the person's own zone: a floating
  10:00 meeting is at 10:00 wherever it is viewed.
* **Capacity** of a person over a window: ``weekly_capacity_hours`` prorated by the
  working days in the window (a 5-day week with one day off gives 4/5 of it) when
  set, else the sum of their working hours.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.domain import WEEKDAYS, InputError, Occurrence, Person
from tpm_tui.logic.timeutil import parse_hhmm, zone

Interval = tuple[datetime, datetime]
"""``[start, end)``: aware datetimes in UTC."""

FOCUS_UID_PREFIX = "tpm-focus-"
_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------- people


def person_zone(person: Person) -> ZoneInfo:
    """The person's zone; UTC when the stored name is unknown (never fails a brief)."""
    try:
        return zone(person.timezone)
    except InputError:
        return zone("UTC")


def _hours_of(person: Person) -> tuple[time, time]:
    try:
        return parse_hhmm(person.work_start), parse_hhmm(person.work_end)
    except InputError:
        return time(9, 0), time(17, 30)


def work_weekdays(person: Person) -> frozenset[int]:
    """``date.weekday()`` numbers of the person's working days."""
    return frozenset(WEEKDAYS.index(d[:3].lower()) for d in person.work_days if d[:3].lower() in WEEKDAYS)


def is_work_day(person: Person, day: date) -> bool:
    return day.weekday() in work_weekdays(person) and day not in person.days_off


def day_work_interval(person: Person, day: date, tz: ZoneInfo | None = None) -> Interval | None:
    """The working interval that starts on local ``day`` (UTC), or ``None`` on a day off."""
    if not is_work_day(person, day):
        return None
    tz = tz or person_zone(person)
    ws, we = _hours_of(person)
    start = datetime.combine(day, ws, tzinfo=tz)
    end_day = day if we > ws else day + _ONE_DAY
    end = datetime.combine(end_day, we, tzinfo=tz)
    s, e = start.astimezone(UTC), end.astimezone(UTC)
    return (s, e) if e > s else None


def working_intervals(person: Person, start: datetime, end: datetime) -> list[Interval]:
    """The person's working time overlapping ``[start, end)``, clipped to it, in UTC."""
    if end <= start:
        return []
    tz = person_zone(person)
    s_utc, e_utc = start.astimezone(UTC), end.astimezone(UTC)
    weekdays = work_weekdays(person)
    days_off = set(person.days_off)
    ws, we = _hours_of(person)
    overnight = we <= ws
    day = s_utc.astimezone(tz).date() - (_ONE_DAY if overnight else timedelta(0))
    last = e_utc.astimezone(tz).date()
    out: list[Interval] = []
    while day <= last:
        if day.weekday() in weekdays and day not in days_off:
            a = datetime.combine(day, ws, tzinfo=tz).astimezone(UTC)
            b = datetime.combine(day + _ONE_DAY if overnight else day, we, tzinfo=tz).astimezone(UTC)
            a, b = max(a, s_utc), min(b, e_utc)
            if b > a:
                out.append((a, b))
        day += _ONE_DAY
    return out


def window_intervals(person: Person, start: datetime, end: datetime, win_start: time, win_end: time) -> list[Interval]:
    """A daily local window ``[win_start, win_end)`` on *every* day (never overnight), in UTC."""
    if end <= start or win_end <= win_start:
        return []
    tz = person_zone(person)
    s_utc, e_utc = start.astimezone(UTC), end.astimezone(UTC)
    day = s_utc.astimezone(tz).date()
    last = e_utc.astimezone(tz).date()
    out: list[Interval] = []
    while day <= last:
        a = max(datetime.combine(day, win_start, tzinfo=tz).astimezone(UTC), s_utc)
        b = min(datetime.combine(day, win_end, tzinfo=tz).astimezone(UTC), e_utc)
        if b > a:
            out.append((a, b))
        day += _ONE_DAY
    return out


def count_work_days(person: Person, first: date, last: date) -> int:
    """Working days (work_days minus days_off) in ``[first, last]`` inclusive, in O(days off)."""
    if last < first:
        return 0
    weekdays = work_weekdays(person)
    n_days = (last - first).days + 1
    weeks, rest = divmod(n_days, 7)
    count = weeks * len(weekdays)
    wd = first.weekday()
    for i in range(rest):
        if (wd + i) % 7 in weekdays:
            count += 1
    for off in set(person.days_off):
        if first <= off <= last and off.weekday() in weekdays:
            count -= 1
    return count


def capacity_hours(person: Person, start: datetime, end: datetime) -> float:
    """Capacity in ``[start, end)``: prorated ``weekly_capacity_hours`` or working hours."""
    if person.weekly_capacity_hours is None:
        return hours(working_intervals(person, start, end))
    tz = person_zone(person)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    n_work_days = len(work_weekdays(person)) or 5
    return person.weekly_capacity_hours * count_work_days(person, first, last) / n_work_days


# --------------------------------------------------------------------------- meetings


def is_focus_block(occ: Occurrence) -> bool:
    return occ.meeting.uid.startswith(FOCUS_UID_PREFIX)


def attends(person: Person, occ: Occurrence, *, is_me: bool = False) -> bool:
    """Does this occurrence take the person's time? (see the module rules)."""
    meeting = occ.meeting
    if meeting.cancelled:
        return False
    email = person.email.lower()
    for a in meeting.attendees:
        if a.email.lower() == email:
            return a.partstat.upper() != "DECLINED"
    if is_me:
        return True
    return bool(email) and meeting.organizer.lower().removeprefix("mailto:") == email


def occurrence_interval(occ: Occurrence, tz: ZoneInfo) -> Interval:
    """UTC interval of a timed occurrence; floating times are read in ``tz``."""
    s, e = occ.start, occ.end
    if not isinstance(s, datetime):
        s = datetime.combine(s, time(0))
    if not isinstance(e, datetime):
        e = datetime.combine(e, time(0))
    if s.tzinfo is None:
        s = s.replace(tzinfo=tz)
    if e.tzinfo is None:
        e = e.replace(tzinfo=tz)
    s, e = s.astimezone(UTC), e.astimezone(UTC)
    return (s, e) if e >= s else (s, s)


def busy_intervals(person: Person, occurrences: Iterable[Occurrence], *, is_me: bool = False) -> list[Interval]:
    """Merged UTC intervals when the person is in a (timed, not declined, not cancelled) meeting."""
    tz = person_zone(person)
    raw = [
        occurrence_interval(o, tz)
        for o in occurrences
        if not o.all_day and not is_focus_block(o) and attends(person, o, is_me=is_me)
    ]
    return merge(raw)


class OccurrenceIndex:
    """Occurrences grouped by attendee / organizer e-mail, built once (O(occurrences)).

    ``for_person`` returns what :func:`attends` would keep, without scanning every
    occurrence per person (the dashboard asks for 200 people).
    """

    def __init__(self, occurrences: Sequence[Occurrence]) -> None:
        self.occurrences = list(occurrences)
        self._by_email: dict[str, list[Occurrence]] = {}
        for occ in self.occurrences:
            m = occ.meeting
            if m.cancelled:
                continue
            seen: set[str] = set()
            for a in m.attendees:
                e = a.email.lower()
                if e and e not in seen:
                    seen.add(e)
                    self._by_email.setdefault(e, []).append(occ)
            org = m.organizer.lower().removeprefix("mailto:")
            if org and org not in seen:
                self._by_email.setdefault(org, []).append(occ)

    def for_person(self, person: Person, *, is_me: bool = False) -> list[Occurrence]:
        if is_me:
            return [o for o in self.occurrences if attends(person, o, is_me=True)]
        return [o for o in self._by_email.get(person.email.lower(), ()) if attends(person, o)]


def free_intervals(
    person: Person,
    start: datetime,
    end: datetime,
    occurrences: Iterable[Occurrence],
    *,
    is_me: bool = False,
) -> list[Interval]:
    """Working intervals in ``[start, end)`` minus the person's meetings (UTC)."""
    return subtract(working_intervals(person, start, end), busy_intervals(person, occurrences, is_me=is_me))


# --------------------------------------------------------------------------- interval algebra


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def subtract(base: Sequence[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """``base`` minus ``busy``; both sorted, ``busy`` merged. Empty pieces are dropped."""
    out: list[Interval] = []
    j = 0
    nb = len(busy)
    for s, e in base:
        while j < nb and busy[j][1] <= s:
            j += 1
        cur = s
        k = j
        while k < nb and busy[k][0] < e:
            bs, be = busy[k]
            if bs > cur:
                out.append((cur, bs))
            if be > cur:
                cur = be
            if cur >= e:
                break
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def clip(intervals: Sequence[Interval], start: datetime, end: datetime) -> list[Interval]:
    out = []
    for s, e in intervals:
        s2, e2 = max(s, start), min(e, end)
        if e2 > s2:
            out.append((s2, e2))
    return out


def hours(intervals: Iterable[Interval]) -> float:
    return sum((e - s).total_seconds() for s, e in intervals) / 3600.0


def covers(intervals: Sequence[Interval], start: datetime, end: datetime) -> bool:
    """True when merged ``intervals`` contain all of ``[start, end]`` (a point when equal)."""
    for s, e in intervals:
        if s <= start and (end < e or (end == e and end > start)):
            return True
    return False


class FreeTimeline:
    """Free hours of one person before any instant, in O(log n) per question.

    Built once from sorted free intervals (cumulative sums), so risk can ask "how
    many free hours before this due date" for each of a person's tasks cheaply.
    """

    def __init__(self, intervals: Sequence[Interval]) -> None:
        self.intervals = list(intervals)
        self._starts = [s for s, _ in self.intervals]
        self._cum = [0.0]
        for s, e in self.intervals:
            self._cum.append(self._cum[-1] + (e - s).total_seconds() / 3600.0)

    def hours_before(self, when: datetime) -> float:
        i = bisect_right(self._starts, when)
        if i == 0:
            return 0.0
        total = self._cum[i - 1]
        s, e = self.intervals[i - 1]
        return total + (min(e, when) - s).total_seconds() / 3600.0

    def last_end_before(self, when: datetime) -> datetime | None:
        """End of the last free/working piece that ends at or before ``when`` (clipped)."""
        i = bisect_left(self._starts, when)
        if i == 0:
            return None
        return min(self.intervals[i - 1][1], when)
