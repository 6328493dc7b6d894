"""Workload per person for one week: capacity, task hours, meeting hours.

Rules:

* **The week** is the local dates ``week_start … week_start + 6`` in each person's
  own zone.
* **Capacity**: ``weekly_capacity_hours`` prorated by working days lost to days off
  (4 of 5 working days → 4/5 of it) when set; otherwise the sum of their working
  hours on working days that are not days off (DST-correct, see ``freetime``).
* **Task hours**: every open task of theirs (snoozed ones too: snoozing hides a task,
  the work remains) with a due date and remaining hours (``remaining_hours``, else
  ``estimate_hours``). The hours are spread evenly over the person's working days
  from their local today to the due date inclusive; the week gets the share of the
  days it contains. Overdue tasks, and tasks with no working day left before the
  due date, put all their hours on today (so only on the week containing today).
  Tasks without a due date are not counted (nothing says when the work falls).
  Weeks before today get no task hours.
* **Meeting hours**: the full duration of their timed meetings (attending, not
  declined, not cancelled, not shown as free, see ``freetime.attends``) inside the week, *including*
  meetings outside working hours: a 22:00 call still takes their time, so it
  adds to demand while capacity counts working hours only. Overlapping meetings
  count once; all-day events count 0.
* ``load_pct`` / ``overloaded`` come from :class:`PersonLoad` (demand / capacity,
  over 100% is overloaded). Every person appears; sorted by load, highest first,
  then handle.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta

from tpm_tui.domain import Occurrence, Person, Task
from tpm_tui.logic.freetime import (
    OccurrenceIndex,
    calendar_key,
    capacity_hours,
    count_work_days,
    person_zone,
)
from tpm_tui.logic.results import PersonLoad
from tpm_tui.logic.risk import needed_hours
from tpm_tui.logic.timeutil import US_PER_HOUR, to_us


def week_bounds(person: Person, week_start: date) -> tuple[datetime, datetime]:
    """Local midnight of ``week_start`` to local midnight 7 days later, in UTC."""
    tz = person_zone(person)
    s = datetime.combine(week_start, time(0), tzinfo=tz).astimezone(UTC)
    e = datetime.combine(week_start + timedelta(days=7), time(0), tzinfo=tz).astimezone(UTC)
    return s, e


def task_hours_in_week(person: Person, task: Task, week_start: date, today: date) -> float:
    """The part of a task's remaining hours that falls in the week (see the module rules)."""
    if not task.is_open or task.due is None:
        return 0.0
    need = needed_hours(task)
    if need <= 0:
        return 0.0
    week_end = week_start + timedelta(days=6)
    if isinstance(task.due, datetime):
        due_day = (task.due if task.due.tzinfo is None else task.due.astimezone(person_zone(person))).date()
    else:
        due_day = task.due
    n = count_work_days(person, today, due_day) if due_day >= today else 0
    if n == 0:
        return need if week_start <= today <= week_end else 0.0
    first, last = max(today, week_start), min(due_day, week_end)
    if last < first:
        return 0.0
    return need * count_work_days(person, first, last) / n


def week_load(
    people: Sequence[Person],
    tasks: Sequence[Task],
    occurrences: Sequence[Occurrence] | OccurrenceIndex,
    week_start: date,
    now: datetime,
    *,
    me: str | None = None,
    previous: Sequence[PersonLoad] | None = None,
    only: Collection[str] | None = None,
) -> list[PersonLoad]:
    """One :class:`PersonLoad` per person for the week starting ``week_start``.

    With ``previous`` (the result for the same people, meetings, week and ``now``) and
    ``only`` (the handles whose tasks changed since), the other people's loads are
    taken from ``previous``: what a triage action on one task needs.
    """
    index = occurrences if isinstance(occurrences, OccurrenceIndex) else OccurrenceIndex(occurrences)
    kept: dict[str, PersonLoad] = {}
    if previous is not None and only is not None:
        same = {id(p) for p in people}  # a person whose record changed is recomputed
        kept = {w.person.handle: w for w in previous if w.person.handle not in only and id(w.person) in same}
    by_assignee: dict[str, list[Task]] = {}
    for t in tasks:
        if t.assignee and t.is_open and t.due is not None and t.assignee not in kept:
            by_assignee.setdefault(t.assignee, []).append(t)
    loads: list[PersonLoad] = []
    capacities: dict[tuple[object, ...], float] = {}  # per calendar: equal for equal working time
    share_tables: dict[tuple[object, date], dict[date, tuple[int, int]]] = {}
    week_end = week_start + timedelta(days=6)
    for p in people:
        old = kept.get(p.handle)
        if old is not None:
            loads.append(old)
            continue
        ws, we = week_bounds(p, week_start)
        tz = person_zone(p)
        today = now.astimezone(tz).date()
        cal = (calendar_key(p), p.weekly_capacity_hours)
        cap = capacities.get(cal)
        if cap is None:
            cap = capacities[cal] = capacity_hours(p, ws, we)
        # task_hours_in_week per task, with the working-day counts kept per due date (and
        # shared by people of one calendar and zone: their counts are equal)
        shares = share_tables.get((cal[0], today))
        if shares is None:
            shares = share_tables[(cal[0], today)] = {}
        parts: list[float] = []
        for t in by_assignee.get(p.handle, ()):
            need = needed_hours(t)
            if need <= 0:
                parts.append(0.0)
                continue
            due = t.due
            due_day = (due if due.tzinfo is None else due.astimezone(tz)).date() if isinstance(due, datetime) else due
            share = shares.get(due_day)  # type: ignore[arg-type]
            if share is None:
                n = count_work_days(p, today, due_day) if due_day >= today else 0  # type: ignore[operator, arg-type]
                first, last = max(today, week_start), min(due_day, week_end)  # type: ignore[type-var]
                c = count_work_days(p, first, last) if n and last >= first else -1  # type: ignore[arg-type]
                share = shares[due_day] = (n, c)  # type: ignore[index]
            n, c = share
            if n == 0:
                parts.append(need if week_start <= today <= week_end else 0.0)
            elif c < 0:
                parts.append(0.0)
            else:
                parts.append(need * c / n)
        th = sum(parts)
        is_me = p.handle == me
        busy = index.busy_us_for(p, is_me=is_me)  # merged and sorted: only the week's slice can overlap it
        a_us, b_us = to_us(ws), to_us(we)
        lo = max(0, bisect_left(busy, (a_us,)) - 1)
        hi = bisect_left(busy, (b_us,))
        total = 0
        for s, e in busy[lo:hi]:
            if s < a_us:
                s = a_us
            if e > b_us:
                e = b_us
            if e > s:
                total += e - s
        mh = total / US_PER_HOUR
        loads.append(PersonLoad(person=p, capacity_hours=cap, task_hours=th, meeting_hours=mh))
    loads.sort(key=lambda w: (-w.load_pct, w.person.handle))
    return loads
