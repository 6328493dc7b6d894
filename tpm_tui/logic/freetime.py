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
  calendar unless they declined it. Cancelled meetings block nobody, nor do meetings
  shown as free (``TRANSP:TRANSPARENT``, Outlook's "Show as: Free").
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

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.domain import WEEKDAYS, InputError, Meeting, Occurrence, Person
from tpm_tui.logic.timeutil import EPOCH, ONE_US, US_PER_HOUR, from_us, parse_hhmm, to_us, zone

Interval = tuple[datetime, datetime]
"""``[start, end)``: aware datetimes in UTC."""

FOCUS_UID_PREFIX = "tpm-focus-"
_ONE_DAY = timedelta(days=1)


# --------------------------------------------------------------------------- people


def calendar_key(person: Person) -> tuple[object, ...]:
    """Everything working time depends on: people with equal keys have equal working intervals."""
    return (person.timezone, person.work_start, person.work_end, person.work_days, person.days_off)


def person_zone(person: Person) -> ZoneInfo:
    """The person's zone; UTC when the stored name is unknown (never fails a brief)."""
    try:
        return zone(person.timezone)
    except InputError:
        return zone("UTC")


_HOURS_CACHE: dict[tuple[str, str], tuple[time, time]] = {}


def _hours_of(person: Person) -> tuple[time, time]:
    key = (person.work_start, person.work_end)
    got = _HOURS_CACHE.get(key)
    if got is None:
        try:
            got = parse_hhmm(person.work_start), parse_hhmm(person.work_end)
        except InputError:
            got = time(9, 0), time(17, 30)
        if len(_HOURS_CACHE) < 1024:
            _HOURS_CACHE[key] = got
    return got


_WEEKDAY_CACHE: dict[tuple[str, ...], frozenset[int]] = {}


def work_weekdays(person: Person) -> frozenset[int]:
    """``date.weekday()`` numbers of the person's working days."""
    days = person.work_days
    got = _WEEKDAY_CACHE.get(days)
    if got is None:
        got = frozenset(WEEKDAYS.index(d[:3].lower()) for d in days if d[:3].lower() in WEEKDAYS)
        if len(_WEEKDAY_CACHE) < 1024:
            _WEEKDAY_CACHE[days] = got
    return got


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
    """A daily local window ``[win_start, win_end)`` on every day but the person's days off
    (never overnight), in UTC. Weekends count (a flagged odd-hours block may land there);
    a day off is leave: nothing is ever planned on it."""
    if end <= start or win_end <= win_start:
        return []
    tz = person_zone(person)
    s_utc, e_utc = start.astimezone(UTC), end.astimezone(UTC)
    day = s_utc.astimezone(tz).date()
    last = e_utc.astimezone(tz).date()
    off = set(person.days_off)
    out: list[Interval] = []
    while day <= last:
        if day in off:
            day += _ONE_DAY
            continue
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
    if meeting.cancelled or meeting.transparent:  # shown as free: it takes nobody's time
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


def _attendance(m: Meeting) -> tuple[list[str], list[str], bool]:
    """(e-mails attending, e-mails declined, timed and not a focus block) of one meeting."""
    attending: list[str] = []
    declined: list[str] = []
    seen: set[str] = set()
    for a in m.attendees:
        e = a.email.lower()
        if e and e not in seen:
            seen.add(e)
            (declined if a.partstat.upper() == "DECLINED" else attending).append(e)
    org = m.organizer.lower().removeprefix("mailto:")
    if org and org not in seen:
        attending.append(org)
    return attending, declined, not m.all_day and not m.uid.startswith(FOCUS_UID_PREFIX)


class OccurrenceIndex:
    """Occurrences grouped by attendee / organizer e-mail, built once (O(occurrences)).

    ``busy_for`` / ``busy_us_for`` return a person's merged busy intervals without
    scanning every occurrence per person (the dashboard asks for 200 people);
    ``for_person`` (what :func:`attends` keeps) scans. Aware occurrences get their instants once, as
    integer microseconds (:func:`busy_us_for`, what risk and workload use);
    floating ones are read in each person's zone.
    """

    def __init__(self, occurrences: Sequence[Occurrence]) -> None:
        self.occurrences = list(occurrences)
        self._declined: dict[str, set[int]] = {}
        self._timed: list[Occurrence] = []  # live, timed, not a focus block
        self._us: dict[int, tuple[int, int] | None] = {}  # per timed occurrence: UTC µs, None when floating
        self._busy_us: dict[tuple[str, bool], list[tuple[int, int]]] = {}
        self._busy: dict[tuple[str, bool], list[Interval]] = {}
        # per attending e-mail: the µs interval of each timed occurrence (the occurrence itself when floating)
        busy_raw: dict[str, list[tuple[int, int] | Occurrence]] = {}
        self._busy_raw = busy_raw
        floating: set[str] = set()  # e-mails with a floating timed occurrence
        self._floating = floating
        # who attends / declined, per meeting (a series shares one Meeting across its occurrences)
        per_meeting: dict[int, tuple[list[str], list[str], bool] | None] = {}
        declined_by, us_of, timed_list = self._declined, self._us, self._timed
        epoch, one_us = EPOCH, ONE_US
        for occ in self.occurrences:
            m = occ.meeting
            info = per_meeting.get(id(m), False)
            if info is False:
                info = per_meeting[id(m)] = None if m.cancelled or m.transparent else _attendance(m)
            if info is None:
                continue
            attending, declined, timed = info
            for e in declined:
                declined_by.setdefault(e, set()).add(id(occ))
            if timed:
                timed_list.append(occ)
                s, e = occ.start, occ.end
                if isinstance(s, datetime) and isinstance(e, datetime) and s.tzinfo is not None and e.tzinfo is not None:
                    su, eu = (s - epoch) // one_us, (e - epoch) // one_us  # type: ignore[operator]
                    iv: tuple[int, int] | Occurrence = (su, eu) if eu >= su else (su, su)
                    us_of[id(occ)] = iv  # type: ignore[assignment]
                else:
                    us_of[id(occ)] = None
                    iv = occ  # floating: read in each person's zone
                    floating.update(attending)
                for a in attending:
                    got_iv = busy_raw.get(a)
                    if got_iv is None:
                        busy_raw[a] = [iv]
                    else:
                        got_iv.append(iv)

    def for_person(self, person: Person, *, is_me: bool = False) -> list[Occurrence]:
        """The occurrences that take the person's time (:func:`attends`), in order."""
        return [o for o in self.occurrences if attends(person, o, is_me=is_me)]

    def busy_us_for(self, person: Person, *, is_me: bool = False) -> list[tuple[int, int]]:
        """Merged busy intervals of the person in UTC microseconds (cached; do not mutate)."""
        key = (person.handle, is_me)
        got = self._busy_us.get(key)
        if got is not None:
            return got
        email = person.email.lower()
        us_of = self._us
        items: list[tuple[int, int] | Occurrence]
        if is_me:
            declined = self._declined.get(email, set())
            items = [us_of[id(o)] or o for o in self._timed if id(o) not in declined]  # type: ignore[misc]
        else:
            items = self._busy_raw.get(email, [])
        if (is_me or email in self._floating) and any(type(iv) is not tuple for iv in items):
            tz = person_zone(person)
            raw: list[tuple[int, int]] = []
            for iv in items:
                if type(iv) is not tuple:
                    s, e = occurrence_interval(iv, tz)  # type: ignore[arg-type]
                    iv = (to_us(s), to_us(e))
                raw.append(iv)  # type: ignore[arg-type]
            items = raw  # type: ignore[assignment]
        got = self._busy_us[key] = merge(items)  # type: ignore[arg-type]
        return got

    def busy_for(self, person: Person, *, is_me: bool = False) -> list[Interval]:
        """Merged UTC busy intervals of the person (same rules as :func:`busy_intervals`)."""
        key = (person.handle, is_me)
        got = self._busy.get(key)
        if got is None:
            got = self._busy[key] = [(from_us(s), from_us(e)) for s, e in self.busy_us_for(person, is_me=is_me)]
        return got


def busy_of(person: Person, occurrences: Sequence[Occurrence] | OccurrenceIndex, *, is_me: bool = False) -> list[Interval]:
    """Busy intervals from an index (cached) or a plain list of occurrences."""
    if isinstance(occurrences, OccurrenceIndex):
        return occurrences.busy_for(person, is_me=is_me)
    return busy_intervals(person, occurrences, is_me=is_me)


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


def hours(intervals: Iterable[Interval]) -> float:
    return sum((e - s).total_seconds() for s, e in intervals) / 3600.0


def covers(intervals: Sequence[Interval], start: datetime, end: datetime) -> bool:
    """True when merged ``intervals`` contain all of ``[start, end]`` (a point when equal)."""
    for s, e in intervals:
        if s <= start and (end < e or (end == e and end > start)):
            return True
    return False


def working_hours_between(person: Person, start: datetime, end: datetime) -> float:
    """Working hours in ``[start, end)`` by arithmetic over whole local days.

    ``start`` should be a local midnight of the person. Whole days count
    ``work_end - work_start`` of wall-clock time each (a shift across a DST change
    is off by the hour it gains or loses); the last, partial day is exact. O(days off).
    """
    if end <= start:
        return 0.0
    tz = person_zone(person)
    first = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    ws, we = _hours_of(person)
    day_h = (we.hour * 60 + we.minute - ws.hour * 60 - ws.minute) / 60.0
    if day_h <= 0:
        day_h += 24.0
    total = day_h * count_work_days(person, first, last - _ONE_DAY) if last > first else 0.0
    iv = day_work_interval(person, last, tz)
    if iv is not None:
        a, b = max(iv[0], start.astimezone(UTC)), min(iv[1], end.astimezone(UTC))
        if b > a:
            total += (b - a).total_seconds() / 3600.0
    return total


class FreeTimeline:
    """Free hours of one person before any instant, in O(log n) per question.

    Built once from sorted free intervals (cumulative sums, kept in integer UTC
    microseconds), so risk can ask "how many free hours before this due date" for
    each of a person's tasks cheaply. With ``person`` and ``exact_until`` (a local
    midnight of theirs), instants after ``exact_until`` add plain working hours
    (:func:`working_hours_between`): no meetings are known that far ahead.
    """

    def __init__(
        self,
        intervals: Sequence[Interval] = (),
        *,
        person: Person | None = None,
        exact_until: datetime | None = None,
        beyond: tuple[dict[int, float], list[float]] | None = None,
        us: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        """``intervals`` as datetimes, or ``us`` as microseconds (what risk passes).

        ``beyond`` may share the after-``exact_until`` tables between people of one
        calendar (same :func:`calendar_key` and ``exact_until``): they are equal."""
        pairs = list(us) if us is not None else [(to_us(a), to_us(b)) for a, b in intervals]
        self.person = person
        self.exact_until = exact_until
        self._exact_us = to_us(exact_until) if exact_until is not None else None
        self._starts = [a for a, _ in pairs]
        self._ends = [b for _, b in pairs]
        cum = self._cum = [0]
        total = 0
        for a, b in pairs:
            total += b - a
            cum.append(total)
        self._beyond: dict[int, float]
        self._day_cum: list[float]  # working hours of whole local days after exact_until
        self._beyond, self._day_cum = beyond if beyond is not None else ({}, [0.0])

    def _working_after_exact(self, when: datetime) -> float:
        """Working hours in ``[exact_until, when)``: a per-day prefix table, then the partial last day."""
        person, start = self.person, self.exact_until
        assert person is not None and start is not None
        tz = person_zone(person)
        first = start.astimezone(tz).date()
        local = when.astimezone(tz)
        last = local.date()
        k = (last - first).days
        cum = self._day_cum
        if len(cum) <= k:
            weekdays = work_weekdays(person)
            days_off = set(person.days_off)
            ws, we = _hours_of(person)
            day_h = (we.hour * 60 + we.minute - ws.hour * 60 - ws.minute) / 60.0
            if day_h <= 0:
                day_h += 24.0
            day = first + timedelta(days=len(cum) - 1)
            while len(cum) <= k:
                work = day.weekday() in weekdays and day not in days_off
                cum.append(cum[-1] + (day_h if work else 0.0))
                day += _ONE_DAY
        total = cum[k]
        if local.hour or local.minute or local.second:  # a partial last day
            iv = day_work_interval(person, last, tz)
            if iv is not None:
                a, b = max(iv[0], start), min(iv[1], when)
                if b > a:
                    total += (b - a).total_seconds() / 3600.0
        return total

    def hours_before(self, when: datetime) -> float:
        return self.hours_before_us(to_us(when), when)

    def hours_before_us(self, when_us: int, when: datetime | None = None) -> float:
        """Free hours before the instant ``when_us`` (``when``: the same as a datetime, if at hand)."""
        exact = self._exact_us
        if exact is not None and when_us > exact and self.person is not None:
            extra = self._beyond.get(when_us)
            if extra is None:
                extra = self._beyond[when_us] = self._working_after_exact(when if when is not None else from_us(when_us))
            return self._cum[-1] / US_PER_HOUR + extra
        i = bisect_right(self._starts, when_us)
        if i == 0:
            return 0.0
        e = self._ends[i - 1]
        return (self._cum[i - 1] + (e if e < when_us else when_us) - self._starts[i - 1]) / US_PER_HOUR


def off_runs(person: Person, today: date | None) -> list[tuple[date, date]]:
    """The person's days off from ``today`` on (all when None) as runs: days off with only
    days they do not work between them make one run (a week's leave is one ``Mon–Fri``)."""
    days = sorted(d for d in person.days_off if today is None or d >= today)
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs:
            first, last = runs[-1]
            gap = (last + timedelta(days=i) for i in range(1, (d - last).days))
            if all(WEEKDAYS[g.weekday()] not in person.work_days for g in gap):
                runs[-1] = (first, d)
                continue
        runs.append((d, d))
    return runs


def off_between(person: Person, first: date, last: date) -> str:
    """``Tue`` / ``Wed–Fri`` / ``Mon 07 Dec–Fri 18 Dec``: the person's days off from ``first`` to ``last``
    (inclusive) as runs, with dates once they reach past a week; empty when none."""
    inside = tuple(d for d in person.days_off if first <= d <= last)
    if not inside:
        return ""
    fmt = "%a" if (last - first).days < 7 else "%a %d %b"
    runs = off_runs(person._replace(days_off=inside), None)
    return ", ".join(a.strftime(fmt) if a == b else f"{a.strftime(fmt)}–{b.strftime(fmt)}" for a, b in runs)
