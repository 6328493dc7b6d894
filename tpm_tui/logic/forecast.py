"""Will a project make its target date? Its open work against its people's free time.

The capacity rule of :mod:`tpm_tui.logic.risk` asks it of one task; a manager asks it of
the project: "Payments API v2 has 86h of open work; does the team have 86h before 17 Dec?"

For each person with open work in the project (estimated: ``remaining_hours``, else
``estimate_hours``):

* **need** — the hours of the project's open tasks that are theirs, whatever their due
  dates (the project is done when all of it is: a task due after the target is already
  named by the status update, and its hours still count here);
* **free** — their free working time from ``now`` to the end of the target date in their
  own zone (working hours and days, days off and meetings taken out: the free time the
  capacity rule reads);
* **other** — the hours of their open tasks of *other* projects due by then: that work
  comes first or is late anyway;
* **short** — what ``need`` exceeds ``free - other`` by.

**Work order.** Hours that fit can still miss the date when one person's task waits for
another's (``depends_on``): each person works through their part in order (what it waits
for first, then the earliest due, the highest priority), after their work due elsewhere,
in their own free time; a task starts once what it waits for is done (a task of another
project: at its due instant, a date read in its assignee's zone). A task that then ends after the target — and would not have
without the waiting — makes the project late in work order (:class:`Wait`: which task,
when it can end, and the chain it waits on), said even when the hours fit.

Unassigned work is set against the hours the project's people (its assignees and its
owner) have to spare beyond their own part. The project is **short** by the people's
shortfalls plus the unassigned hours nobody has room for. Open tasks without an estimate
cannot be counted: they are counted and said. No forecast without a target date, once the
target date has passed (the status update says so), or without open work.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from heapq import heapify, heappop, heappush
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple

from tpm_tui.domain import Person, Project, Task
from tpm_tui.logic.freetime import person_zone
from tpm_tui.logic.risk import fmt_hours, needed_hours
from tpm_tui.logic.timeutil import due_instant

SHORT_NAMED = 3
"""A forecast names at most this many people who are short (the most short first), then counts the rest."""

FreeBefore = Callable[[Person, datetime], float]
"""Free working hours of a person from now to an instant (see :func:`risk.free_hours_before`)."""


class PersonNeed(NamedTuple):
    handle: str
    need: float  # hours of the project's open work assigned to them
    free: float  # their free working hours from now to the end of the target date (their zone)
    other: float  # hours of their open work in other projects due by then

    @property
    def available(self) -> float:
        return max(0.0, self.free - self.other)

    @property
    def short(self) -> float:
        return max(0.0, self.need - self.available)


class Wait(NamedTuple):
    """A task that ends after the target in work order because it waits (see the module rules)."""

    task: str
    handle: str
    ends: datetime | None  # the earliest it can end (None: not within a year)
    chain: tuple[tuple[str, str, bool], ...]  # what it waits for, nearest first: (task id, handle, is a dependency)


class Forecast(NamedTuple):
    project: str
    target: date
    need: float  # all open, estimated work of the project
    people: tuple[PersonNeed, ...]  # the most short first, then the most work
    unassigned: float  # hours of open work nobody has
    spare: float  # hours the project's people have beyond their own part
    unestimated: int  # open tasks without an estimate (not counted)
    late: tuple[Wait, ...] = ()  # tasks ending after the target in work order, the latest first

    @property
    def short(self) -> float:
        return sum(p.short for p in self.people) + max(0.0, self.unassigned - self.spare)

    @property
    def fits(self) -> bool:
        return self.short < 0.05 and not self.late  # (0.05: what fmt_hours would print as 0h)


def _due_by(task: Task, target: date, tz: tzinfo, end: datetime) -> bool:
    """Is the task due by the end of ``target`` (``end``, in the zone ``tz`` of its assignee)?
    A date is due at the end of that day in their zone, as the target is: the days compare."""
    due = task.due
    if due is None:
        return False
    return due <= target if type(due) is date else due_instant(due, tz) <= end  # type: ignore[operator, arg-type]


def forecast(project: Project, tasks: Sequence[Task], people: Sequence[Person], now: datetime,
             free_before: FreeBefore) -> Forecast | None:
    """The project's forecast to its target date (see the module rules); ``tasks``: at least
    every open task of the project and of the people in it."""
    target = project.target_date
    if target is None:
        return None
    by_handle = {p.handle: p for p in people}
    mine = [t for t in tasks if t.project == project.key and t.is_open]
    ref = person_zone(by_handle[project.owner]) if project.owner in by_handle else now.tzinfo or UTC
    if not mine or due_instant(target, ref) <= now:  # type: ignore[arg-type]
        return None  # nothing open, or the target date is over (the status update says so)
    need: dict[str, float] = {}
    unassigned = 0.0
    unestimated = 0
    for t in mine:
        if t.remaining_hours is None and t.estimate_hours is None:
            unestimated += 1
            continue
        hours = needed_hours(t)
        if t.assignee and t.assignee in by_handle:
            need[t.assignee] = need.get(t.assignee, 0.0) + hours
        else:
            unassigned += hours
    team = set(need) | ({project.owner} if project.owner in by_handle else set())
    ends = {h: due_instant(target, person_zone(by_handle[h])) for h in team}
    other = dict.fromkeys(team, 0.0)
    zones = {h: person_zone(by_handle[h]) for h in team}
    for t in tasks:
        who = t.assignee
        if who in other and t.project != project.key and t.is_open and _due_by(t, target, zones[who], ends[who]):  # type: ignore[index]
            other[who] += needed_hours(t)  # type: ignore[index]
    rows = [PersonNeed(h, need.get(h, 0.0), free_before(by_handle[h], ends[h]), other[h]) for h in team]
    spare = sum(max(0.0, r.available - r.need) for r in rows)
    shown = tuple(sorted((r for r in rows if r.need > 0), key=lambda r: (-r.short, -r.need, r.handle)))
    scheduled = [t for t in mine if t.assignee in need and (t.remaining_hours is not None or t.estimate_hours is not None)]
    late = _late_in_order(scheduled, tasks, by_handle, other, ends, now, free_before)
    return Forecast(project.key, target, sum(need.values()) + unassigned, shown, unassigned, spare, unestimated, late)


ORDER_HORIZON_DAYS = 366
"""Work order looks this far ahead for where a task can end; later is "not within a year"."""


def _late_in_order(mine: Sequence[Task], tasks: Sequence[Task], people: Mapping[str, Person],
                   other: Mapping[str, float], ends: Mapping[str, datetime], now: datetime,
                   free_before: FreeBefore) -> tuple[Wait, ...]:
    """The project's tasks (``mine``: open, estimated, assigned to people of the team) that end
    after the target in work order but not without it (see the module rules)."""
    if not any(t.depends_on for t in mine):
        return ()  # nothing waits: the hours alone decide (already said by ``short``)
    ids = {t.id for t in mine}
    outside = _due_elsewhere(mine, tasks, ids)
    if not any(d in ids or d in outside for t in mine for d in t.depends_on):
        return ()
    order = _work_order(mine)
    inverse = _Inverse(people, now, free_before)
    by_id = {x.id: x for x in mine}
    with_deps = _schedule(order, ids, outside, other, inverse, waits=True)
    by_target = {who: inverse.hours_at(who, end) for who, end in ends.items()}  # in free hours, as the schedule counts
    over = [t for t in order if with_deps[t.id][0] > by_target[t.assignee or ""] + 1e-9]
    if not over:
        return ()
    alone = _schedule(order, ids, outside, other, inverse, waits=False)
    late = []
    for t in over:
        who = t.assignee or ""
        finish = with_deps[t.id][0]
        if alone[t.id][0] <= by_target[who] + 1e-9:
            end = inverse.instant(who, finish)
            local = end.astimezone(person_zone(people[who])) if end is not None else None
            late.append(Wait(t.id, who, local, _chain(t.id, with_deps, {**outside, **by_id})))
    late.sort(key=lambda w: (w.ends is not None, -w.ends.timestamp() if w.ends else 0.0, w.task))  # latest first
    return tuple(late)


def _due_elsewhere(mine: Sequence[Task], tasks: Sequence[Task], ids: Collection[str]) -> dict[str, Task]:
    """The open tasks outside ``ids`` with a due date that a task of ``mine`` waits for."""
    wanted = {d for t in mine for d in t.depends_on if d not in ids}
    if not wanted:
        return {}
    return {t.id: t for t in tasks if t.id in wanted and t.is_open and t.due is not None}


def _work_order(mine: Sequence[Task]) -> list[Task]:
    """``mine`` in the order work is done: what a task waits for first (cycles broken at their
    most urgent task), then the earliest due, the highest priority, the id."""
    from tpm_tui.domain import PRIORITY_RANK

    by_id = {t.id: t for t in mine}
    key = {t.id: ((t.due.date() if isinstance(t.due, datetime) else t.due) or date.max,
                  -PRIORITY_RANK.get(t.priority, 1), t.id) for t in mine}
    waiting = {t.id: {d for d in t.depends_on if d in by_id and d != t.id} for t in mine}
    dependents: dict[str, list[str]] = {}
    for i, deps in waiting.items():
        for d in deps:
            dependents.setdefault(d, []).append(i)
    ready = [key[i] for i, deps in waiting.items() if not deps]
    heapify(ready)
    out: list[Task] = []
    done: set[str] = set()
    while len(out) < len(mine):
        if not ready:  # a cycle: its most urgent task goes first, as if it waited for nothing
            ready = [min(key[i] for i in by_id if i not in done)]
        i = heappop(ready)[2]
        if i in done:
            continue
        done.add(i)
        out.append(by_id[i])
        for x in dependents.get(i, ()):
            deps = waiting[x]
            if i in deps:
                deps.discard(i)
                if not deps and x not in done:
                    heappush(ready, key[x])
    return out


class _Inverse:
    """Per person, the instant by which they have had ``h`` free hours since ``now`` (bisection
    on ``free_before``, to the minute; the minutes asked are kept: the searches of one person
    share their first steps)."""

    def __init__(self, people: Mapping[str, Person], now: datetime, free_before: FreeBefore) -> None:
        self.people, self.now, self.free_before = people, now, free_before
        self._at: dict[tuple[str, int], float] = {}

    def hours_at(self, who: str, when: datetime) -> float:
        return 0.0 if when <= self.now else self.free_before(self.people[who], when)

    def _minute(self, who: str, minute: int) -> float:
        got = self._at.get((who, minute))
        if got is None:
            got = self._at[(who, minute)] = self.free_before(self.people[who], self.now + timedelta(minutes=minute))
        return got

    def instant(self, who: str, hours: float) -> datetime | None:
        if hours == float("inf"):
            return None
        if hours <= 1e-9:
            return self.now
        lo, hi = 0, ORDER_HORIZON_DAYS * 24 * 60  # minutes from now
        if self._minute(who, hi) < hours - 1e-9:
            return None
        while lo < hi:
            mid = (lo + hi) // 2
            if self._minute(who, mid) >= hours - 1e-9:
                hi = mid
            else:
                lo = mid + 1
        return self.now + timedelta(minutes=lo)


def _schedule(order: Sequence[Task], ids: Collection[str], outside: Mapping[str, Task],
              other: Mapping[str, float], inverse: _Inverse, *, waits: bool
              ) -> dict[str, tuple[float, tuple[str, bool] | None]]:
    """Task id -> (where it ends, in its person's free hours since now — inf: never; what held
    it back: (task id, is a dependency) or None).

    Each person's time is a line of free hours since ``now``; their work due elsewhere takes
    the first ``other`` hours. A task takes the first free hours of its person from its
    release (the end of what it waits for), split over gaps where it must: while one task
    waits, the person works on another. Instants are worked out only where one person waits
    for another's task."""
    used: dict[str, list[list[object]]] = {  # per person: [start, end, task id] in free hours, sorted, disjoint
        who: ([[0.0, hours, None]] if hours > 0 else []) for who, hours in other.items()}
    out: dict[str, tuple[float, tuple[str, bool] | None]] = {}
    owner = {t.id: t.assignee or "" for t in order}
    for t in order:
        who = t.assignee or ""
        release, held = 0.0, None
        if waits:
            for d in t.depends_on:
                if d in ids and d in out:
                    if owner[d] == who:
                        at = out[d][0]  # one's own work: the same line
                    else:
                        end = inverse.instant(owner[d], out[d][0]) if out[d][0] != float("inf") else None
                        at = float("inf") if end is None else inverse.hours_at(who, end)
                elif d in outside:
                    dep = outside[d]  # its date read in its assignee's zone, as the risk rules read it
                    theirs = inverse.people.get(dep.assignee or "") or inverse.people[who]
                    end = due_instant(dep.due, person_zone(theirs))  # type: ignore[arg-type]
                    at = inverse.hours_at(who, end)
                else:
                    continue
                if at > release + 1e-9:
                    release, held = at, (d, True)
        finish, before = _take(used[who], release, needed_hours(t), t.id)
        if held is None and before is not None:
            held = (before, False)  # started only once the person's earlier work was done
        out[t.id] = (finish, held)
    return out


def _take(line: list[list[object]], release: float, need: float, task: str) -> tuple[float, str | None]:
    """Take ``need`` free hours of one person's ``line`` from ``release`` on (split over gaps);
    returns where the last hour ends, and the task whose hours came right before the first
    one taken (None: the person was free)."""
    if release == float("inf"):
        return release, None
    at, left, before, first = release, need, None, True
    pieces = []
    i = max(0, bisect_right(line, at, key=_start) - 1)  # the stretch holding ``at``, or the one before it
    while left > 1e-9:
        while i < len(line) and float(line[i][1]) <= at + 1e-9:  # type: ignore[arg-type]
            i += 1
        if i < len(line) and float(line[i][0]) <= at + 1e-9:  # type: ignore[arg-type]
            at = float(line[i][1])  # type: ignore[arg-type]  # inside a busy stretch: skip to its end
            if first:
                before = line[i][2]  # type: ignore[assignment]
            i += 1
            continue
        gap_end = float(line[i][0]) if i < len(line) else float("inf")  # type: ignore[arg-type]
        piece = min(left, gap_end - at)
        pieces.append([at, at + piece, task])
        first = False
        left -= piece
        at += piece
    for piece in pieces:
        insort(line, piece, key=_start)
    return (pieces[-1][1] if pieces else release), before  # type: ignore[return-value]


def _start(stretch: list[object]) -> float:
    return stretch[0]  # type: ignore[return-value]


def _chain(task: str, scheduled: Mapping[str, tuple[datetime | None, tuple[str, bool] | None]],
           tasks: Mapping[str, Task]) -> tuple[tuple[str, str, bool], ...]:
    """What ``task`` waits for, back to the first task that waited for nothing: (id, handle, is a dependency)."""
    out: list[tuple[str, str, bool]] = []
    seen = {task}
    why = scheduled[task][1]
    while why is not None and why[0] not in seen:
        dep, is_dep = why
        seen.add(dep)
        t = tasks.get(dep)
        out.append((dep, t.assignee or "" if t is not None else "", is_dep))
        if dep not in scheduled:
            break  # another project's task: it ends at its due instant
        why = scheduled[dep][1]
    # keep it to the waits that matter: up to and including the last dependency
    last_dep = max((i for i, x in enumerate(out) if x[2]), default=-1)
    return tuple(out[: last_dep + 1])


def room_before(target: date, tasks: Sequence[Task], people: Sequence[Person], now: datetime,
                free_before: FreeBefore, *, besides: Collection[str] = ()) -> list[tuple[str, float]]:
    """Who else could take some of a project's work: each person (but ``besides``) with their
    spare hours until the end of ``target`` in their zone — free working time less their open
    work due by then — the most first; those with none left out."""
    due_by: dict[str, float] = {}
    zones = {p.handle: person_zone(p) for p in people if p.handle not in besides}
    ends = {h: due_instant(target, z) for h, z in zones.items()}
    for t in tasks:
        who = t.assignee
        if who in zones and t.is_open and _due_by(t, target, zones[who], ends[who]):  # type: ignore[index]
            due_by[who] = due_by.get(who, 0.0) + needed_hours(t)  # type: ignore[index]
    if ends and min(ends.values()) <= now:
        return []
    rows = [(p.handle, free_before(p, ends[p.handle]) - due_by.get(p.handle, 0.0)) for p in people if p.handle in zones]
    return sorted(((h, spare) for h, spare in rows if spare >= 0.05), key=lambda r: (-r[1], r[0]))


def forecast_text(fc: Forecast, names: Mapping[str, str]) -> str:
    """``18h short before Thu 17 Dec: Priya needs 54h, has 40h free (after 10h due elsewhere
    first); 12h unassigned, 8h to spare`` / ``86h of open work fit before Thu 17 Dec; tightest:
    Priya, 30h of 40h free; 5h unassigned, with room for it``; ``names``: handle → what to
    call them."""
    when = f"{fc.target:%a %d %b}"

    def name(h: str) -> str:
        return names.get(h, h)

    parts: list[str] = []
    if fc.late and fc.short < 0.05:  # the hours fit, the order does not
        text = f"{fmt_hours(fc.need)} of open work fit before {when}, but not in work order: {wait_text(fc, names)}"
    elif fc.fits:
        text = f"{fmt_hours(fc.need)} of open work fit before {when}"
        if fc.people:  # the one with the least room to spare, as a share of their free time
            r = max(fc.people, key=lambda r: (r.need / r.available if r.available else float("inf"), r.need))
            text += f"; tightest: {name(r.handle)}, {fmt_hours(r.need)} of {fmt_hours(r.available)} free"
        if fc.unassigned:
            text += f"; {fmt_hours(fc.unassigned)} unassigned, with room for it"
    else:
        head = f"{fmt_hours(fc.short)} short before {when}"
        short = [r for r in fc.people if r.short >= 0.05]  # the most short first
        for r in short[:SHORT_NAMED]:
            after = f" (after {fmt_hours(r.other)} due elsewhere first)" if r.other >= 0.05 else ""
            parts.append(f"{name(r.handle)} needs {fmt_hours(r.need)}, has {fmt_hours(r.available)} free{after}")
        if len(short) > SHORT_NAMED:
            rest = short[SHORT_NAMED:]
            parts.append(f"{len(rest)} more short by {fmt_hours(sum(r.short for r in rest))}")
        if fc.unassigned > fc.spare:
            parts.append(f"{fmt_hours(fc.unassigned)} unassigned, {fmt_hours(fc.spare)} to spare")
        if fc.late:
            parts.append(f"in work order too: {wait_text(fc, names)}")
        text = head + ": " + "; ".join(parts)
    if fc.unestimated:
        n = fc.unestimated
        text += f" ({n} open task{'s' if n != 1 else ''} without an estimate not counted)"
    return text


def wait_text(fc: Forecast, names: Mapping[str, str]) -> str:
    """``P-3 (Sam) can end Mon 09 Mar at the earliest: it waits for P-1 (Pat)`` — the latest of
    ``fc.late`` (``; 2 more end after Fri 06 Mar`` when there are more)."""
    w = fc.late[0]
    when = f"can end {w.ends:%a %d %b} at the earliest" if w.ends is not None else "cannot end within a year"
    steps = []
    for i, (task, handle, is_dep) in enumerate(w.chain):
        verb = ("waits for" if is_dep else "comes after") if i == 0 else (", which waits for" if is_dep else
                                                                           ", which comes after")
        who = f" ({names.get(handle, handle)})" if handle and (is_dep and handle != w.handle) else ""
        steps.append(f"{verb} {task}{who}")
    text = f"{w.task} ({names.get(w.handle, w.handle)}) {when}" + (": it " + " ".join(steps).replace(" ,", ",")
                                                                 if steps else "")
    if len(fc.late) > 1:
        text += f"; {len(fc.late) - 1} more end after {fc.target:%a %d %b}"
    return text


__all__ = ["Forecast", "PersonNeed", "Wait", "forecast", "forecast_text", "room_before", "wait_text"]
