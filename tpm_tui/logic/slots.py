"""When can we meet? Times for one meeting of several people spread over zones.

What Outlook's scheduling assistant answers while booking, with the odd-hours rule of
this product. A slot never overlaps a meeting of anyone asked (by the same rules as free
time: :mod:`tpm_tui.logic.freetime`) nor touches a day off of theirs (leave). Each
attendee's minutes of it are then

* inside their working hours: fine;
* **odd hours**: outside them, on a working day, within the daily local window that
  odd-hours focus blocks may use (settings, 07:00–21:00 by default);
* **night or weekend**: anything else (before or after that window, or a day they do
  not work).

Slots are ranked by fewest people with night-or-weekend minutes, then the shallowest
night (how far the worst minute lies from the nearest minute that is not night for that
person: 21:00–21:30 is half an hour deep, 02:00–02:30 five hours), then fewest
night-or-weekend minutes, then fewest people at odd hours, then fewest odd minutes, then
earliest. A team
from Los Angeles to Kolkata has no hour inside everyone's working day: the answer is then
the least odd one, said as such, never nothing.

Candidate starts are on a quarter-hour grid (every zone's offset is a whole number of
quarter hours); the slots returned never overlap one another, so five answers are five
different choices, not one hour cut five ways. The same time on later days, free and ranked
the same, is one answer with those days in ``also`` (five days of 16:15 are not five answers).

Pure logic: no Textual, no store; an explicit window and the meetings as an
:class:`~tpm_tui.logic.freetime.OccurrenceIndex`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import NamedTuple

from tpm_tui.domain import Person
from tpm_tui.logic.freetime import (OccurrenceIndex, merge, person_zone, window_intervals, work_weekdays,
                                    working_intervals)
from tpm_tui.logic.results import LocalTime
from tpm_tui.logic.timeutil import from_us, to_us

STEP = timedelta(minutes=15)
"""Candidate starts: every quarter hour (UTC grid, which is a quarter-hour grid in every zone)."""

_US_PER_MINUTE = 60_000_000
_ONE_DAY = timedelta(days=1)
_REACH = timedelta(days=7)
"""How far around the asked days the allowed window is laid out, to measure how deep a
night minute lies (the longest night, a weekend with leave on both sides, is shorter)."""
_NO_DAY = 10**7
"""Depth of a minute with no allowed minute within reach on either side."""


class Slot(NamedTuple):
    """One proposed time: ``[start, end)`` in UTC, and how it falls for each attendee."""

    start: datetime
    end: datetime
    odd_for: tuple[str, ...]  # handles with minutes of it outside their working hours (night included)
    night_for: tuple[str, ...]  # handles with minutes at night or on a day they do not work
    odd_minutes: int  # minutes outside working hours within the allowed window, summed over the people
    night_minutes: int  # minutes at night or on a non-working day, summed
    night_depth: int  # minutes from the deepest night minute to the nearest non-night one (0: none)
    local_times: tuple[LocalTime, ...]  # each attendee's wall clock, in the order asked
    also: tuple[datetime, ...] = ()  # the same time on later days, free and ranked the same (UTC starts)


def _us_list(intervals: Sequence[tuple[datetime, datetime]]) -> list[tuple[int, int]]:
    return [(to_us(a), to_us(b)) for a, b in intervals]


def _overlaps(intervals: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """``[a, b)`` meets one of the sorted, merged ``intervals``."""
    i = bisect_right(starts, a) - 1
    if i >= 0 and intervals[i][1] > a:
        return True
    return i + 1 < len(intervals) and intervals[i + 1][0] < b


def _covered(intervals: list[tuple[int, int]], starts: list[int], a: int, b: int) -> int:
    """Microseconds of ``[a, b)`` inside the sorted, disjoint ``intervals``."""
    total = 0
    i = max(0, bisect_right(starts, a) - 1)
    while i < len(intervals) and intervals[i][0] < b:
        s, e = intervals[i]
        lo, hi = max(s, a), min(e, b)
        if hi > lo:
            total += hi - lo
        i += 1
    return total


def _depth(intervals: list[tuple[int, int]], starts: list[int], a: int, b: int) -> int:
    """Minutes from the deepest minute of ``[a, b)`` outside the sorted, disjoint
    ``intervals`` to the nearest minute inside them (0 when ``[a, b)`` is all inside).

    A minute starting at ``t`` in a gap ``[g0, g1)`` lies ``min(t - g0 + 1, g1 - t)``
    minutes from the allowed ones; that is concave in ``t``, so its maximum over a stretch
    is at an end or beside the middle of the gap."""
    deepest = 0
    pos = a
    n = len(intervals)
    while pos < b:
        i = bisect_right(starts, pos) - 1
        if i >= 0 and intervals[i][1] > pos:
            pos = intervals[i][1]
            continue
        g0 = intervals[i][1] // _US_PER_MINUTE if i >= 0 else None
        g1 = intervals[i + 1][0] // _US_PER_MINUTE if i + 1 < n else None
        x = pos // _US_PER_MINUTE
        stop = b if i + 1 >= n else min(b, intervals[i + 1][0])
        y = -(-stop // _US_PER_MINUTE) - 1  # the last minute of the stretch
        if g0 is None and g1 is None:
            return _NO_DAY
        points = [x, y]
        if g0 is not None and g1 is not None:
            mid = (g0 + g1 - 1) // 2
            points += [min(y, max(x, mid)), min(y, max(x, mid + 1))]
        for t in points:
            far = min(t - g0 + 1 if g0 is not None else _NO_DAY, g1 - t if g1 is not None else _NO_DAY)
            deepest = max(deepest, far)
        pos = stop
    return deepest


class _Attendee(NamedTuple):
    person: Person
    work: list[tuple[int, int]]  # working hours
    work_s: list[int]
    soft: list[tuple[int, int]]  # working hours and the allowed window on working days
    soft_s: list[int]
    blocked: list[tuple[int, int]]  # meetings and days off
    blocked_s: list[int]


def _attendee(p: Person, index: OccurrenceIndex, start: datetime, end: datetime, window: tuple[time, time],
              is_me: bool) -> _Attendee:
    tz = person_zone(p)
    work = _us_list(working_intervals(p, start - _REACH, end + _REACH))
    days = work_weekdays(p)
    off = set(p.days_off)
    allowed = [iv for iv in _us_list(window_intervals(p, start - _REACH, end + _REACH, *window))
               if from_us(iv[0]).astimezone(tz).date().weekday() in days]
    soft = merge(work + allowed)
    leave = [(to_us(datetime.combine(d, time(0), tzinfo=tz)), to_us(datetime.combine(d + _ONE_DAY, time(0), tzinfo=tz)))
             for d in off if start.astimezone(tz).date() - _ONE_DAY <= d <= end.astimezone(tz).date() + _ONE_DAY]
    blocked = merge(list(index.busy_us_for(p, is_me=is_me)) + leave)
    return _Attendee(p, work, [a for a, _ in work], soft, [a for a, _ in soft], blocked, [a for a, _ in blocked])


def find_slots(
    people: Sequence[Person],
    index: OccurrenceIndex,
    start: datetime,
    end: datetime,
    duration: timedelta,
    *,
    me: str | None = None,
    window: tuple[time, time] = (time(7), time(21)),
    limit: int = 5,
) -> list[Slot]:
    """Up to ``limit`` non-overlapping slots of ``duration`` starting in ``[start, end)`` (aware),
    best first (see the module doc). ``me``: the handle whose busy time is every meeting
    of the calendar they have not declined. Empty only when every quarter hour meets
    someone's meeting or day off."""
    if not people or duration <= timedelta(0) or end <= start:
        return []
    step_us = int(STEP.total_seconds()) * 1_000_000
    dur_us = int(duration.total_seconds() * 1_000_000)
    first = -(-to_us(start) // step_us) * step_us  # the first quarter hour at or after start
    last = to_us(end)
    span_start, span_end = from_us(first) - _ONE_DAY, from_us(last + dur_us) + _ONE_DAY
    folks = [_attendee(p, index, span_start, span_end, window, p.handle == me) for p in people]
    ranked: list[tuple[int, int, int, int, int, int]] = []
    for a in range(first, last, step_us):
        b = a + dur_us
        night_people = depth = night_us = odd_people = odd_us = 0
        for f in folks:
            if _overlaps(f.blocked, f.blocked_s, a, b):
                break
            soft = _covered(f.soft, f.soft_s, a, b)
            if soft < dur_us:
                night_people += 1
                night_us += dur_us - soft
                depth = max(depth, _depth(f.soft, f.soft_s, a, b))
            odd = soft - _covered(f.work, f.work_s, a, b)
            if odd:
                odd_people += 1
                odd_us += odd
        else:
            ranked.append((night_people, depth, night_us, odd_people, odd_us, a))
    ranked.sort()
    chosen: list[int] = []
    ranks: dict[int, tuple[int, int, int, int, int]] = {}
    also: dict[int, list[int]] = {}
    for cand in ranked:
        a, rank = cand[-1], cand[:-1]
        # the same time a whole number of days after an answer, and as good: said with it
        # ("also Tue, Wed"), so five answers are five times, not one time on five days
        twin = next((c for c in chosen if a > c and (a - c) % _DAY_US == 0 and ranks[c] == rank), None)
        if twin is not None:
            also[twin].append(a)
        elif len(chosen) < limit and all(a + dur_us <= c or c + dur_us <= a for c in chosen):
            chosen.append(a)
            ranks[a] = rank
            also[a] = []
        elif len(chosen) >= limit and rank > ranks[chosen[-1]]:
            break  # nothing later can be as good as an answer: no more twins
    return [_slot(folks, a, a + dur_us)._replace(also=tuple(from_us(x) for x in sorted(also[a]))) for a in chosen]


_DAY_US = 86_400_000_000


def _slot(folks: list[_Attendee], a: int, b: int) -> Slot:
    s, e = from_us(a), from_us(b)
    odd: list[str] = []
    night: list[str] = []
    odd_us = night_us = depth = 0
    local: list[LocalTime] = []
    for f in folks:
        work, soft = _covered(f.work, f.work_s, a, b), _covered(f.soft, f.soft_s, a, b)
        tz = person_zone(f.person)
        local.append(LocalTime(handle=f.person.handle, start=s.astimezone(tz), end=e.astimezone(tz), odd=work < b - a))
        if work < b - a:
            odd.append(f.person.handle)
        if soft < b - a:
            night.append(f.person.handle)
            depth = max(depth, _depth(f.soft, f.soft_s, a, b))
        odd_us += soft - work
        night_us += b - a - soft
    return Slot(start=s, end=e, odd_for=tuple(odd), night_for=tuple(night), odd_minutes=odd_us // _US_PER_MINUTE,
                night_minutes=night_us // _US_PER_MINUTE, night_depth=depth, local_times=tuple(local))


__all__ = ["STEP", "Slot", "find_slots"]
