"""Focus-block planner: when does a person do their urgent work?

Rules:

* **Which tasks**: the person's open, un-snoozed tasks with hours left
  (``remaining_hours``, else ``estimate_hours``; under 30 min counts as 30) that are
  ``time_sensitive`` or whose risk level is ``late`` or ``at_risk``.
* **Window**: from ``now`` rounded up to the next quarter hour until local midnight
  after ``days`` days in the person's zone (``days=1`` is the rest of today).
* **Deadline** of a task: its due instant (a date is due at the end of that local
  day) or the window end, whichever is earlier. An overdue task is planned as soon
  as possible within the window (it is late already; the work still has to happen).
* **Start**: a task that waits for an open dependency due after ``now`` is planned only
  from that dependency's due instant on (the latest of them; a date is the end of that
  day in its assignee's zone, as the risk rules read it): the work cannot start before. One overdue or without a due
  date holds nothing back (its risk says so). What then fits nowhere before the deadline
  is short, as any other.
* **Order**: most urgent first: earliest deadline, then higher risk score, then
  higher priority, then id (earliest-deadline-first is what makes the most fit).
* **Blocks** are 30 min to 3 h, never over the person's meetings (timed, attending,
  not declined; see ``freetime``) nor over each other, and never leave a remainder
  under 30 min. **Breaks**: focus blocks that follow one another with less than
  15 min between them (of one task or several, in working or odd hours) make a run of
  at most 3 h; the next block starts 15 min after the run ends at the earliest (a
  3h30 task in a free afternoon is 3 h, a break, 30 min — not one 3h30 stretch). Pass 1 uses working hours only. Pass 2, for tasks due within the
  window that are still short, uses the odd-hours window
  ``settings.plan_window_start``–``plan_window_end`` local on any day (default
  07:00–21:00; an end at or before the start means no odd-hours window: never
  overnight), outside working hours; those blocks are ``odd_hours=True``.
* **Shortfall**: for tasks due within the window (or overdue), the hours that fit
  nowhere (rounded to 0.01 h), with the task's due. Work on tasks due after the window is partly
  placed in working hours and never reported short.

Everything is computed in whole minutes on UTC intervals; blocks are returned in
the person's zone, sorted by start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from tpm_tui.domain import PRIORITY_RANK, Occurrence, Person, RiskLevel, Settings, Task
from tpm_tui.logic.freetime import (
    Interval,
    OccurrenceIndex,
    busy_of,
    merge,
    person_zone,
    subtract,
    window_intervals,
    working_intervals,
)
from tpm_tui.logic.results import Plan, PlanBlock, RiskItem, Shortfall
from tpm_tui.logic.risk import ZoneReader, needed_hours
from tpm_tui.logic.timeutil import due_instant, parse_hhmm

MIN_BLOCK_MIN = 30
MAX_BLOCK_MIN = 180
BREAK_MIN = 15
_BREAK = timedelta(minutes=BREAK_MIN)
_QUARTER = 15 * 60


def _ceil_quarter(t: datetime) -> datetime:
    t = t.astimezone(UTC).replace(microsecond=0)
    ts = int(t.timestamp())
    up = -(-ts // _QUARTER) * _QUARTER
    return datetime.fromtimestamp(up, UTC)


def planning_window(person: Person, now: datetime, days: int) -> tuple[datetime, datetime]:
    tz = person_zone(person)
    start = _ceil_quarter(now)
    last_day = now.astimezone(tz).date() + timedelta(days=max(1, days))
    end = datetime.combine(last_day, time(0), tzinfo=tz).astimezone(UTC)
    return start, max(start, end)


def _run(placed: list[Interval], at: datetime, *, after: bool) -> tuple[int, datetime]:
    """Minutes of focus work in the run of blocks that ends less than a break before ``at``
    (``after``: starts less than a break after it), each block of it less than a break from the
    next, and where that run meets ``at`` (its end; ``after``: its start)."""
    total, cur, edge = 0, at, at
    while True:
        block = next((b for b in placed if (cur <= b[0] < cur + _BREAK if after else cur - _BREAK < b[1] <= cur)), None)
        if block is None:
            return total, edge
        if total == 0:
            edge = block[0] if after else block[1]
        total += int((block[1] - block[0]).total_seconds() // 60)
        cur = block[1] if after else block[0]


def _length(remaining: int, room: int) -> int:
    """The block to take of ``remaining`` minutes with ``room`` minutes to put it in: at most
    3 h, and never leaving a remainder under 30 min; 0 when no such block fits."""
    length = min(MAX_BLOCK_MIN, remaining, room)
    left = remaining - length
    if 0 < left < MIN_BLOCK_MIN:
        length = remaining - MIN_BLOCK_MIN
    return length if length >= MIN_BLOCK_MIN else 0


def _place(pool: list[list[datetime]], deadline: datetime, remaining: int,
           placed_all: list[Interval], release: datetime | None = None) -> tuple[list[Interval], int]:
    """Take blocks from the earliest free pieces before ``deadline`` (and from ``release`` on);
    ``pool`` is consumed. ``placed_all`` holds every block placed so far (either pass), for
    the breaks; the new blocks are added to it."""
    placed: list[Interval] = []
    if release is not None:  # the pieces before it stay in the pool, for other work
        split: list[list[datetime]] = []
        for iv in pool:
            if iv[0] < release < iv[1]:
                split.extend(([iv[0], release], [release, iv[1]]))
            else:
                split.append(iv)
        pool[:] = split
    for iv in pool:
        if remaining <= 0:
            break
        s, e = iv
        if s >= deadline:
            break
        if release is not None and e <= release:
            continue
        avail_end = min(e, deadline)
        while remaining > 0:
            before, run_end = _run(placed_all, s, after=False)
            length = _length(remaining, min(MAX_BLOCK_MIN - before, int((avail_end - s).total_seconds() // 60)))
            if before and length == 0 and before > MAX_BLOCK_MIN - MIN_BLOCK_MIN:
                s = max(s, run_end + _BREAK)  # the run is (nearly) full: a break first
                continue
            if length == 0:
                break
            after, run_start = _run(placed_all, s + timedelta(minutes=length), after=True)
            if after and before + length + after > MAX_BLOCK_MIN:
                # end a break before the run that follows
                length = _length(remaining, min(length, int((run_start - _BREAK - s).total_seconds() // 60)))
                if length == 0:
                    break
            end = s + timedelta(minutes=length)
            placed.append((s, end))
            placed_all.append((s, end))
            s = end
            remaining -= length
        iv[0] = s
    pool[:] = [iv for iv in pool if iv[1] > iv[0]]
    return placed, remaining


def candidates(person: Person, tasks: Sequence[Task], risk: dict[str, RiskItem], today_local: object) -> list[Task]:
    out = []
    for t in tasks:
        if t.assignee != person.handle or not t.is_open or needed_hours(t) <= 0:
            continue
        if t.snoozed_until is not None and t.snoozed_until > today_local:  # type: ignore[operator]
            continue
        item = risk.get(t.id)
        if t.time_sensitive or (item is not None and item.level in (RiskLevel.LATE, RiskLevel.AT_RISK)):
            out.append(t)
    return out


def plan(
    person: Person,
    tasks: Sequence[Task],
    risk_items: Sequence[RiskItem],
    occurrences: Sequence[Occurrence] | OccurrenceIndex,
    now: datetime,
    days: int,
    settings: Settings,
    *,
    people: Sequence[Person] = (),
) -> Plan:
    """Focus blocks for one person over ``days`` days (see the module rules).

    ``people``: whom the tasks may be assigned to. A dependency's date is read in its
    assignee's zone, as the risk rules read it (:class:`tpm_tui.logic.risk.ZoneReader`):
    Priya's task due Wednesday in Kolkata is due before a Wednesday in New York ends."""
    tz = person_zone(person)
    start, end = planning_window(person, now, days)
    is_me = person.handle == settings.me
    busy = busy_of(person, occurrences, is_me=is_me)
    work = working_intervals(person, start, end)
    work_pool = [list(iv) for iv in subtract(work, busy)]
    try:
        ws, we = parse_hhmm(settings.plan_window_start), parse_hhmm(settings.plan_window_end)
        window = window_intervals(person, start, end, ws, we)
    except Exception:
        window = []
    odd_pool = [list(iv) for iv in subtract(subtract(window, work), busy)]

    risk = {i.task.id: i for i in risk_items}
    today_local = now.astimezone(tz).date()
    chosen = candidates(person, tasks, risk, today_local)

    far = datetime.max.replace(tzinfo=UTC)
    by_id = {t.id: t for t in tasks} if any(t.depends_on for t in chosen) else {}
    zones = ZoneReader(people, now, settings, also=person) if by_id else None
    jobs = []
    for t in chosen:
        due = due_instant(t.due, tz).astimezone(UTC) if t.due is not None else None  # type: ignore[arg-type]
        deadline = min(due, end) if due is not None and due > now else end
        need = max(MIN_BLOCK_MIN, math.ceil(needed_hours(t) * 60 - 1e-9))
        score = risk[t.id].score if t.id in risk else 0.0
        release, waits_for = _release(t, by_id, zones, now) if zones and t.depends_on else (None, None)
        jobs.append([(due or far, -score, -PRIORITY_RANK.get(t.priority, 1), t.id), t, due, deadline, need, release,
                     waits_for])
    jobs.sort(key=lambda j: j[0])

    blocks: list[PlanBlock] = []
    placed_all: list[Interval] = []
    for job in jobs:
        _, t, due, deadline, need, release, _waits = job
        placed, job[4] = _place(work_pool, deadline, need, placed_all, release)
        blocks.extend(PlanBlock(t.id, s.astimezone(tz), e.astimezone(tz), False) for s, e in placed)
    shortfalls: list[Shortfall] = []
    for job in jobs:
        _, t, due, deadline, need, release, waits_for = job
        if need <= 0 or due is None or due > end:
            continue
        placed, job[4] = _place(odd_pool, deadline, need, placed_all, release)
        blocks.extend(PlanBlock(t.id, s.astimezone(tz), e.astimezone(tz), True) for s, e in placed)
        if job[4] > 0:
            shortfalls.append(Shortfall(task_id=t.id, hours_short=round(job[4] / 60, 2), due=t.due,  # type: ignore[arg-type]
                                        waits_for=waits_for.id if waits_for else "",
                                        waits_until=waits_for.due if waits_for else None))
    blocks.sort(key=lambda b: (b.start.astimezone(UTC), b.task_id))
    return Plan(person=person.handle, blocks=tuple(blocks), shortfalls=tuple(shortfalls))


def _release(task: Task, by_id: dict[str, Task], zones: ZoneReader, now: datetime) -> tuple[datetime | None, Task | None]:
    """When the task can start: the latest due instant of its open dependencies due after
    ``now`` (each read in its assignee's zone), and which one that is (None, None: nothing
    holds it back)."""
    out, which = None, None
    for d in task.depends_on:
        dep = by_id.get(d)
        if dep is None or not dep.is_open or dep.due is None:
            continue
        at = due_instant(dep.due, zones.of(dep)).astimezone(UTC)  # type: ignore[arg-type]
        if at > now and (out is None or at > out):
            out, which = at, dep
    return out, which


def allowed_intervals(person: Person, start: datetime, end: datetime, settings: Settings) -> list[Interval]:
    """Working time plus the odd-hours window: where a block may ever be (for checks and tests)."""
    window = window_intervals(person, start, end, parse_hhmm(settings.plan_window_start), parse_hhmm(settings.plan_window_end))
    return merge(working_intervals(person, start, end) + window)
