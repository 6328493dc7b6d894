"""Explainable risk: a level, a score and plain-word reasons for every open task.

Which tasks: open (status is not ``done``) and not snoozed (``snoozed_until`` after
today means hidden). A task gets a :class:`RiskItem` only when at least one rule
fires. Dates are read in the assignee's zone (a task due on a date is due at the
end of that local day for them); unassigned tasks use the settings zone, else the
zone of ``now``.

Rules (reason text → level):

=================  ===================================================================  ========
rule               reason                                                               level
=================  ===================================================================  ========
overdue            ``overdue by 2 days`` (``overdue by 5h`` under a day)                late
capacity           ``needs 14h, Priya has 6h free before Thu 17:00 (their time)``       at_risk
waiting            ``needs 12h, Lena has 6h free after WEB-1 is due (Thu) before``     at_risk
                   ``Fri 17:00 (their time)``
dependency         ``blocked by API-7 (due 3 days after this)``;                        at_risk
                   ``blocked by API-9 via API-7 (overdue by 1 day)``
cycle              ``dependency cycle: API-1 → API-2 → API-1``                          at_risk
slipping badly     ``40% done, 80% of its window gone`` (gap ≥ 40 pts, ≥ 75% gone)     at_risk
slipping           ``30% done, 65% of its window gone`` (gap ≥ 30 pts, ≥ 60% gone)     watch
dependency         ``blocked by API-7 (no due date)``                                   watch
blocked status     ``blocked: waiting for legal`` (``blocked`` without a reason)        watch
stale              ``no update for 9 days`` (≥ ``settings.stale_after_days``)          watch
unassigned         ``unassigned, due in 2 days`` / ``unassigned`` when overdue          watch
due soon           ``due today`` / ``due in 2 days`` (≤ ``settings.due_soon_days``)    watch
=================  ===================================================================  ========

The level of a task is its most severe reason; reasons are listed most severe
first. "Their time" means the assignee's own zone (people have no pronoun field).

Details:

* **Capacity**: free time is the assignee's working time from ``now`` until the due
  instant minus their meetings (see :mod:`tpm_tui.logic.freetime`), minus the
  remaining hours of their open tasks of *strictly higher* priority that are due
  *earlier*. Meetings are subtracted for ``CAPACITY_EXACT_DAYS`` (28) days
  ahead; after that free time is plain working time. Tasks due more than
  ``CAPACITY_HORIZON_DAYS`` (120) days ahead are not judged. The task needs
  ``remaining_hours`` (else ``estimate_hours``). The
  "before" label is the end of their working day on the due date (a date due on a
  day off reads ``end of Sat``), with day and month when more than 6 days away.
* **Waiting**: a task whose free time fits from now may still not fit from when it can
  start: once the last of its open dependencies is due (those due after now and before
  it). The window is the free time between then and its due instant, less what is left of
  the higher-priority work due earlier (done first, from now) when the wait ends.
* **Dependencies** are followed transitively through open tasks (done ones end the
  chain; unknown ids are ignored). An open dependency is a problem when it is
  overdue or due after this task; one without a due date is a watch. At most
  ``MAX_DEPENDENCY_REASONS`` are listed, then ``and N more blocking dependencies``.
  Cycles (among open tasks) are reported for each task on them, never looped.
* **Slipping**: done fraction ``1 - remaining/estimate``; window from ``created_at``
  to the due instant; only while the task is not yet due and at least 60% of the
  window is gone (work rarely starts on day one).

Score (higher = more urgent; levels never overlap)::

    score = base[level] + min(99, urgency + 8·priority_rank + 5·(reasons - 1) + 10·time_sensitive)
    base  = late 300, at_risk 200, watch 100
    urgency = late: min(40, 10 + 2·days_overdue)
              else: 40 / (1 + days_until_due)   (0 without a due date)

``priority_rank`` is 0 (low) … 3 (critical). Ties sort by due instant, then id.
"""

from __future__ import annotations

import copy

from typing import NamedTuple
from bisect import bisect_left, insort
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from tpm_tui.domain import PRIORITY_RANK, Occurrence, Person, RiskLevel, Settings, Task, TaskStatus, short_names
from tpm_tui.logic.freetime import (
    FreeTimeline,
    OccurrenceIndex,
    calendar_key,
    day_work_interval,
    off_between,
    person_zone,
    subtract,
    working_intervals,
)
from tpm_tui.logic.results import RiskItem
from tpm_tui.logic.timeutil import EPOCH, ONE_US, US_PER_DAY, US_PER_HOUR, due_instant, to_us, zone

LEVEL_BASE = {RiskLevel.LATE: 300.0, RiskLevel.AT_RISK: 200.0, RiskLevel.WATCH: 100.0}
LEVEL_ORDER = {RiskLevel.WATCH: 0, RiskLevel.AT_RISK: 1, RiskLevel.LATE: 2}
SLIP_WATCH_GAP = 0.30  # window gone minus work done, for a watch
SLIP_MIN_ELAPSED = 0.6  # ... judged once 60% of the window is gone
SLIP_AT_RISK_GAP = 0.40  # "slipping badly" (at_risk) needs this gap
SLIP_AT_RISK_ELAPSED = 0.75  # ... and this much of the window gone
MAX_DEPENDENCY_REASONS = 3
CAPACITY_HORIZON_DAYS = 120  # capacity is not judged for tasks due later than this
CAPACITY_EXACT_DAYS = 28  # meetings are subtracted this far ahead; beyond, working hours only


class Reason(NamedTuple):
    level: RiskLevel
    text: str


class DueInfo(NamedTuple):
    utc: datetime  # the due instant
    us: int  # the same in UTC microseconds
    day: int  # ordinal of the due date in the task's zone


class Facts(NamedTuple):
    """What the rules read of one task, independent of ``now`` (see :func:`task_facts`)."""

    tz: tzinfo  # the assignee's zone (else the reference zone)
    due: DueInfo | None
    last_us: int | None  # updated_at (else created_at) in UTC µs
    created_us: int | None
    need: float  # needed_hours
    rank: int  # PRIORITY_RANK


_FACTS: dict[int, tuple[Task, Facts]] = {}
"""Memo of :func:`task_facts` by task identity: tasks are immutable and the store hands
out the same objects until one changes, so a recompute after one triage action
converts only that task's instants again."""
_DUE_VALUES: dict[tuple[object, tzinfo], DueInfo] = {}


def _due_value(due: date, tz: tzinfo) -> DueInfo:
    key = (due, tz)
    info = _DUE_VALUES.get(key)
    if info is None:
        inst = due_instant(due, tz).astimezone(UTC)  # type: ignore[arg-type]
        day = inst.astimezone(tz).date() if isinstance(due, datetime) else due
        if len(_DUE_VALUES) > 50_000:
            _DUE_VALUES.clear()
        info = _DUE_VALUES[key] = DueInfo(inst, to_us(inst), day.toordinal())
    return info


def task_facts(task: Task, tz: tzinfo) -> Facts:
    """The task's instants as integer µs (read in ``tz`` when floating), hours and rank; memoised."""
    key = id(task)
    hit = _FACTS.get(key)
    if hit is not None and hit[0] is task and hit[1].tz is tz:
        return hit[1]
    due = task.due
    if due is not None:
        info = _DUE_VALUES.get((due, tz))
        due = info if info is not None else _due_value(due, tz)
    created = task.created_at
    last = task.updated_at or created
    # to_us, inlined: this runs for every task of a cold pass
    if last is not None:
        last = ((last if last.tzinfo else last.replace(tzinfo=tz)) - EPOCH) // ONE_US
    if created is not None:
        created = ((created if created.tzinfo else created.replace(tzinfo=tz)) - EPOCH) // ONE_US
    need = task.remaining_hours
    if need is None:
        need = task.estimate_hours
    need = 0.0 if need is None else max(0.0, float(need))
    facts = Facts(tz, due, last, created, need, PRIORITY_RANK.get(task.priority, 1))
    if len(_FACTS) > 200_000:
        _FACTS.clear()
    _FACTS[key] = (task, facts)
    return facts


def needed_hours(task: Task) -> float:
    """Hours of work left: ``remaining_hours``, else ``estimate_hours``, else 0."""
    if task.remaining_hours is not None:
        return max(0.0, float(task.remaining_hours))
    if task.estimate_hours is not None:
        return max(0.0, float(task.estimate_hours))
    return 0.0


def fmt_hours(h: float) -> str:
    """``14h``, ``6.5h``, ``0.3h``: one decimal at most."""
    return f"{round(h, 1):g}h"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def first_name(person: Person) -> str:
    return (person.name.split() or [person.handle])[0]


def reference_zone(now: datetime, settings: Settings) -> tzinfo:
    if settings.timezone:
        try:
            return zone(settings.timezone)
        except Exception:
            pass
    return now.tzinfo or UTC


class ZoneReader:
    """The zone a task's dates are read in, as the rules read them: its assignee's own zone,
    else (unassigned, or assigned to someone unknown) the settings zone, else ``now``'s.
    ``also``: a person to know besides ``people`` (the planner's own)."""

    def __init__(self, people: Sequence[Person], now: datetime, settings: Settings, *, also: Person | None = None) -> None:
        self.people = {p.handle: p for p in people}
        if also is not None:
            self.people.setdefault(also.handle, also)
        self.ref = reference_zone(now, settings)
        self._zones: dict[str, tzinfo] = {}

    def of(self, task: Task) -> tzinfo:
        who = task.assignee or ""
        tz = self._zones.get(who)
        if tz is None:
            p = self.people.get(who) if who else None
            tz = self._zones[who] = person_zone(p) if p else self.ref
        return tz


class _Ctx:
    """Everything assess needs, computed once for all tasks.

    Instants are compared as integer UTC microseconds (:func:`to_us`): exact, and
    far cheaper than aware datetimes across 10k tasks; datetimes are kept beside
    them for the texts.
    """

    def __init__(
        self,
        tasks: Sequence[Task],
        people: Sequence[Person],
        occurrences: Sequence[Occurrence] | OccurrenceIndex,
        now: datetime,
        settings: Settings,
    ) -> None:
        self.settings = settings
        self.ref_tz = reference_zone(now, settings)
        self.now = now if now.tzinfo else now.replace(tzinfo=self.ref_tz)
        self.now_utc = self.now.astimezone(UTC)
        self.now_us = to_us(self.now_utc)
        self.horizon_us = self.now_us + CAPACITY_HORIZON_DAYS * US_PER_DAY
        self.stale_texts: dict[int, Reason] = {}
        self.people = {p.handle: p for p in people}
        self.me = settings.me
        self.index = occurrences if isinstance(occurrences, OccurrenceIndex) else OccurrenceIndex(occurrences)
        self.tasks = {t.id: t for t in tasks}
        self.tz_of = ZoneReader(people, self.now, settings).of  # the zone a task's dates are read in
        self._today: dict[tzinfo, date] = {}
        self._today_ord: dict[tzinfo, int] = {}
        self.labels: dict[tuple[str, object], str] = {}
        self._facts: dict[str, Facts] = {}
        self._timelines: dict[str, FreeTimeline] = {}
        self._calendars: dict[tuple[object, ...], tuple[datetime, list[tuple[int, int]], tuple[dict[int, float], list[float]]]] = {}
        self._queues: dict[str, dict[int, tuple[list[int], list[float]]]] = {}
        self._first_names: dict[str, str] = {}
        self._build_queues()
        self.cycles = _find_cycles(self.tasks)

    # zones and due instants ------------------------------------------------

    def facts(self, task: Task) -> Facts:
        got = self._facts.get(task.id)
        if got is None:
            got = self._facts[task.id] = task_facts(task, self.tz_of(task))
        return got

    def due_info(self, task: Task) -> DueInfo | None:
        """(due instant in UTC, the same in µs, ordinal of the due date in the task's zone)."""
        return self.facts(task).due

    def today(self, tz: tzinfo) -> date:
        got = self._today.get(tz)
        if got is None:
            got = self._today[tz] = self.now.astimezone(tz).date()
            self._today_ord[tz] = got.toordinal()
        return got

    def today_ord(self, tz: tzinfo) -> int:
        got = self._today_ord.get(tz)
        if got is None:
            got = self.today(tz).toordinal()
        return got

    def first_name(self, person: Person) -> str:
        """What reasons call ``person``: the first name, told apart from a namesake's."""
        if not self._first_names:
            self._first_names = short_names(self.people.values())
        return self._first_names.get(person.handle) or first_name(person)

    # capacity ----------------------------------------------------------------

    def _build_queues(self, only: set[str] | None = None) -> None:
        """Per assignee and priority rank: due instants (µs, sorted) and cumulative hours.

        ``only``: rebuild just these assignees' queues (after their tasks changed)."""
        raw: dict[str, dict[int, list[tuple[int, float]]]] = {}
        done = TaskStatus.DONE
        facts_of = self.facts
        if only is not None:
            for who in only:
                self._queues.pop(who, None)
        for t in self.tasks.values():
            if t.status is done or not t.assignee or t.due is None:
                continue
            if only is not None and t.assignee not in only:
                continue
            f = facts_of(t)
            h = f.need
            if h <= 0:
                continue
            info = f.due
            assert info is not None
            ranks = raw.get(t.assignee)
            if ranks is None:
                ranks = raw[t.assignee] = {}
            rank = f.rank
            items = ranks.get(rank)
            if items is None:
                ranks[rank] = [(info.us, h)]
            else:
                items.append((info.us, h))
        for who, ranks in raw.items():
            out: dict[int, tuple[list[int], list[float]]] = {}
            for rank, items in ranks.items():
                items.sort()
                cum = [0.0]
                total = 0.0
                for _, h in items:
                    total += h
                    cum.append(total)
                out[rank] = ([d for d, _ in items], cum)
            self._queues[who] = out

    def competing_hours(self, task: Task, due_us: int, mine: int) -> float:
        """Remaining hours of the assignee's open, strictly higher-priority (than ``mine``) tasks due earlier."""
        ranks = self._queues.get(task.assignee or "")
        if not ranks:
            return 0.0
        total = 0.0
        for rank, (dues, cum) in ranks.items():
            if rank > mine:
                total += cum[bisect_left(dues, due_us)]
        return total

    def timeline(self, person: Person) -> FreeTimeline:
        """Free time from now: exact (meetings subtracted) for ``CAPACITY_EXACT_DAYS``, then working hours."""
        tl = self._timelines.get(person.handle)
        if tl is None:
            # working time (and working hours beyond the exact part) are shared by people of one calendar
            key = calendar_key(person)
            cal = self._calendars.get(key)
            if cal is None:
                tz = person_zone(person)
                last = self.now_utc.astimezone(tz).date() + timedelta(days=CAPACITY_EXACT_DAYS)
                exact_until = datetime.combine(last, time(0), tzinfo=tz).astimezone(UTC)
                work = [(to_us(a), to_us(b)) for a, b in working_intervals(person, self.now_utc, exact_until)]
                cal = self._calendars[key] = (exact_until, work, ({}, [0.0]))
            exact_until, work, beyond = cal
            busy = self.index.busy_us_for(person, is_me=person.handle == self.me)
            free = subtract(work, busy) if busy else work  # type: ignore[arg-type]
            tl = FreeTimeline(us=free, person=person, exact_until=exact_until, beyond=beyond)  # type: ignore[arg-type]
            self._timelines[person.handle] = tl
        return tl

    def derive(self, tasks: dict[str, Task], changed: set[str], assignees: set[str]) -> _Ctx:
        """A context for ``tasks`` where only ``changed`` tasks differ from this one's.

        Same ``now``, people, settings and meetings: zones, free-time lines and labels
        are shared; the changed tasks' facts, the queues of ``assignees`` and (when a
        dependency may have moved) the cycles are computed again.
        """
        new = copy.copy(self)
        new.tasks = tasks
        new._facts = {k: v for k, v in self._facts.items() if k not in changed} if changed else dict(self._facts)
        new._queues = dict(self._queues)
        new._build_queues(only=assignees)
        old_tasks = self.tasks
        graph_moved = False
        for i in changed:
            before, after = old_tasks.get(i), tasks.get(i)
            if (
                before is None or after is None
                or before.depends_on != after.depends_on
                or before.is_open != after.is_open
            ):
                graph_moved = True
                break
        new.cycles = _find_cycles(tasks) if graph_moved else self.cycles
        new._dependents = None if graph_moved else self._dependents
        return new

    _dependents: dict[str, list[str]] | None = None

    def _depended_on(self) -> dict[str, list[str]]:
        """Task id -> ids of the tasks that list it in ``depends_on`` (built on first use)."""
        got = self._dependents
        if got is None:
            got = {}
            for t in self.tasks.values():
                for d in t.depends_on:
                    got.setdefault(d, []).append(t.id)
            self._dependents = got
        return got


# --------------------------------------------------------------------------- cycles


def _find_cycles(tasks: dict[str, Task]) -> dict[str, tuple[str, ...]]:
    """For every open task on a dependency cycle: the shortest cycle through it."""
    graph = {
        t.id: [d for d in t.depends_on if d in tasks and tasks[d].is_open]
        for t in tasks.values()
        if t.is_open and t.depends_on
    }
    if not graph:
        return {}
    # Tarjan's strongly connected components, iterative.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    comps: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            succ = graph.get(v, [])
            recurse = False
            while i < len(succ):
                w = succ[i]
                i += 1
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                comps.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    out: dict[str, tuple[str, ...]] = {}
    for comp in comps:
        members = set(comp)
        if len(comp) == 1 and comp[0] not in graph.get(comp[0], []):
            continue
        for start in sorted(comp):
            # BFS inside the component for the shortest way back to start.
            parent: dict[str, str] = {}
            frontier = [start]
            found = None
            seen = {start}
            while frontier and found is None:
                nxt = []
                for v in frontier:
                    for w in graph.get(v, []):
                        if w == start:
                            found = v
                            break
                        if w in members and w not in seen:
                            seen.add(w)
                            parent[w] = v
                            nxt.append(w)
                    if found is not None:
                        break
                frontier = nxt
            if found is None:
                continue
            path = [found]
            while path[-1] != start:
                path.append(parent[path[-1]])
            path.reverse()
            out[start] = (*path, start)
    return out


# --------------------------------------------------------------------------- rules


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _overdue_text(task: Task, due_us: int, ctx: _Ctx, tz: tzinfo) -> str:
    if _is_date(task.due):
        days = max(1, ctx.today_ord(tz) - task.due.toordinal())  # type: ignore[union-attr]
        return f"overdue by {_plural(days, 'day')}"
    delta = ctx.now_us - due_us
    if delta >= US_PER_DAY:
        return f"overdue by {_plural(delta // US_PER_DAY, 'day')}"
    return f"overdue by {max(1, -(-delta // US_PER_HOUR))}h"


def _due_soon_text(days: int) -> str:
    return "due today" if days <= 0 else f"due in {_plural(days, 'day')}"


def _gap_text(dep: Task, dep_due_us: int, task: Task, due_us: int) -> str:
    """``due 3 days after this`` / ``due 5h after this``."""
    if _is_date(dep.due) and _is_date(task.due):
        return f"due {_plural((dep.due - task.due).days, 'day')} after this"  # type: ignore[operator]
    delta = dep_due_us - due_us
    if delta >= US_PER_DAY:
        return f"due {_plural(delta // US_PER_DAY, 'day')} after this"
    return f"due {max(1, -(-delta // US_PER_HOUR))}h after this"


def _dependency_reasons(task: Task, due: DueInfo | None, ctx: _Ctx) -> list[Reason]:
    found: list[Reason] = []
    seen = {task.id}
    now_us = ctx.now_us
    # depth-first, keeping the direct dependency each one was reached through
    stack: list[tuple[str, str | None]] = [(d, None) for d in reversed(task.depends_on)]
    while stack:
        dep_id, via = stack.pop()
        if dep_id in seen:
            continue
        seen.add(dep_id)
        dep = ctx.tasks.get(dep_id)
        if dep is None or not dep.is_open:
            continue
        name = f"{dep_id} via {via}" if via else dep_id
        dep_due = ctx.due_info(dep)
        if dep_due is None:
            found.append(Reason(RiskLevel.WATCH, f"blocked by {name} (no due date)"))
        elif dep_due.us <= now_us:
            found.append(Reason(RiskLevel.AT_RISK, f"blocked by {name} ({_overdue_text(dep, dep_due.us, ctx, ctx.tz_of(dep))})"))
        elif due is not None and dep_due.us > due.us:
            found.append(Reason(RiskLevel.AT_RISK, f"blocked by {name} ({_gap_text(dep, dep_due.us, task, due.us)})"))
        for nxt in reversed(dep.depends_on):
            if nxt not in seen:
                stack.append((nxt, via or dep_id))
    found.sort(key=_severity)
    if len(found) > MAX_DEPENDENCY_REASONS:
        more = len(found) - MAX_DEPENDENCY_REASONS
        level = max((r.level for r in found[MAX_DEPENDENCY_REASONS:]), key=LEVEL_ORDER.__getitem__)
        found = found[:MAX_DEPENDENCY_REASONS] + [Reason(level, f"and {more} more blocking dependencies")]
    return found


def _due_label(task: Task, due: DueInfo, person: Person, ctx: _Ctx) -> str:
    key = (person.handle, task.due)
    got = ctx.labels.get(key)
    if got is None:
        got = ctx.labels[key] = _make_due_label(task, due, person, ctx)
    return got


def _make_due_label(task: Task, due: DueInfo, person: Person, ctx: _Ctx) -> str:
    tz = person_zone(person)
    far = due.us - ctx.now_us > 6 * US_PER_DAY
    if _is_date(task.due):
        iv = day_work_interval(person, task.due, tz)  # type: ignore[arg-type]
        if iv is None:
            return f"end of {task.due:%a %d %b}" if far else f"end of {task.due:%a}"
        end = iv[1].astimezone(tz)
    else:
        end = due.utc.astimezone(tz)
    return end.strftime("%a %d %b %H:%M" if far else "%a %H:%M")


def _capacity_reason(task: Task, f: Facts, due: DueInfo, ctx: _Ctx) -> Reason | None:
    person = ctx.people.get(task.assignee or "")
    if person is None or due.us <= ctx.now_us or due.us > ctx.horizon_us:
        return None  # not assigned to a known person, already due, or too far ahead to judge
    need = f.need
    if need <= 0:
        return None
    timeline = ctx.timeline(person)
    free = timeline.hours_before_us(due.us, due.utc)
    competing = ctx.competing_hours(task, due.us, f.rank)
    available = max(0.0, free - competing)
    if need <= available + 1e-9:
        return _waiting_reason(task, need, due, ctx, person, timeline, free, competing) if task.depends_on else None
    # days off explain a short week: "(their time; off Tue)"
    off = off_between(person, ctx.today(f.tz), date.fromordinal(due.day)) if person.days_off else ""
    return Reason(
        RiskLevel.AT_RISK,
        f"needs {fmt_hours(need)}, {ctx.first_name(person)} has {fmt_hours(available)} free before "
        f"{_due_label(task, due, person, ctx)} (their time{'; off ' + off if off else ''})",
    )


def _waiting_reason(task: Task, need: float, due: DueInfo, ctx: _Ctx, person: Person, timeline: FreeTimeline,
                    free: float, competing: float) -> Reason | None:
    """The capacity rule from when the task can start: once the last of its open dependencies
    is due (one overdue, due after this or without a due date has a reason of its own). The
    higher-priority work due earlier is done first, from now: only what of it is left when
    the wait ends takes from the window."""
    start: DueInfo | None = None
    waits_for: Task | None = None
    for d in task.depends_on:
        dep = ctx.tasks.get(d)
        if dep is None or not dep.is_open:
            continue
        info = ctx.due_info(dep)
        if info is None or info.us <= ctx.now_us or info.us >= due.us:
            continue
        if start is None or info.us > start.us:
            start, waits_for = info, dep
    if start is None or waits_for is None:
        return None
    before = timeline.hours_before_us(start.us, start.utc)
    available = max(0.0, free - before - max(0.0, competing - before))
    if need <= available + 1e-9:
        return None
    tz = person_zone(person)
    far = start.us - ctx.now_us > 6 * US_PER_DAY
    same_zone = getattr(ctx.tz_of(waits_for), "key", None) == getattr(tz, "key", tz)
    if _is_date(waits_for.due) and same_zone:
        when = f"{date.fromordinal(start.day):%a %d %b}" if far else f"{date.fromordinal(start.day):%a}"
    else:  # a time, or the end of a day in another zone: when that is in theirs
        when = start.utc.astimezone(tz).strftime("%a %d %b %H:%M" if far else "%a %H:%M")
    return Reason(
        RiskLevel.AT_RISK,
        f"needs {fmt_hours(need)}, {ctx.first_name(person)} has {fmt_hours(available)} free after "
        f"{waits_for.id} is due ({when}) before {_due_label(task, due, person, ctx)} (their time)",
    )


def _slip_reason(task: Task, f: Facts, due: DueInfo, ctx: _Ctx) -> Reason | None:
    created, estimate, remaining = f.created_us, task.estimate_hours, task.remaining_hours
    if created is None or not estimate or remaining is None:
        return None
    done = min(1.0, max(0.0, 1.0 - remaining / estimate))
    if 1.0 - done < SLIP_WATCH_GAP - 1e-9:  # elapsed is at most 1: the gap cannot reach a watch
        return None
    now_us = ctx.now_us
    window = due.us - created
    if window <= 0 or now_us >= due.us:
        return None
    elapsed = min(1.0, max(0.0, (now_us - created) / window))
    gap = elapsed - done
    if elapsed < SLIP_MIN_ELAPSED or gap < SLIP_WATCH_GAP - 1e-9:
        return None
    badly = gap >= SLIP_AT_RISK_GAP - 1e-9 and elapsed >= SLIP_AT_RISK_ELAPSED - 1e-9
    level = RiskLevel.AT_RISK if badly else RiskLevel.WATCH
    return Reason(level, f"{round(done * 100)}% done, {round(elapsed * 100)}% of its window gone")


def _stale_reason(f: Facts, ctx: _Ctx) -> Reason | None:
    if f.last_us is None:
        return None
    days = (ctx.now_us - f.last_us) // US_PER_DAY  # floor, like timedelta.days
    if days >= ctx.settings.stale_after_days:
        got = ctx.stale_texts.get(days)
        if got is None:
            got = ctx.stale_texts[days] = Reason(RiskLevel.WATCH, f"no update for {_plural(days, 'day')}")
        return got
    return None


def reasons_for(task: Task, ctx: _Ctx, f: Facts | None = None) -> list[Reason]:
    """Every rule that fires for one task, most severe first (stable within a level)."""
    out: list[Reason] = []
    if f is None:
        f = ctx.facts(task)
    due = f.due
    now_us = ctx.now_us
    pending = due is not None and now_us < due.us  # due, and not yet overdue
    if due is not None:
        if not pending:
            out.append(Reason(RiskLevel.LATE, _overdue_text(task, due.us, ctx, f.tz)))
        elif task.assignee:
            cap = _capacity_reason(task, f, due, ctx)
            if cap:
                out.append(cap)
    cycle = ctx.cycles.get(task.id) if ctx.cycles else None
    if cycle:
        out.append(Reason(RiskLevel.AT_RISK, "dependency cycle: " + " → ".join(cycle)))
    deps = _dependency_reasons(task, due, ctx) if task.depends_on else ()
    if deps:
        out.extend(deps)
    if pending:
        slip = _slip_reason(task, f, due, ctx)  # type: ignore[arg-type]
        if slip:
            out.append(slip)
    if task.status is TaskStatus.BLOCKED:
        text = (task.blocked_by or "").strip()
        if not (text and any(f"blocked by {text}" in r.text for r in deps)):
            out.append(Reason(RiskLevel.WATCH, f"blocked: {text}" if text else "blocked"))
    last = f.last_us
    if last is not None and (now_us - last) // US_PER_DAY >= ctx.settings.stale_after_days:
        stale = _stale_reason(f, ctx)
        if stale:
            out.append(stale)
    if pending:
        days = due.day - ctx.today_ord(f.tz)  # type: ignore[union-attr]
        if days <= ctx.settings.due_soon_days:
            soon = _due_soon_text(days)
            out.append(Reason(RiskLevel.WATCH, f"unassigned, {soon}" if not task.assignee else soon))
    elif due is not None and not task.assignee:
        out.append(Reason(RiskLevel.WATCH, "unassigned"))
    if len(out) > 1:
        out.sort(key=_severity)
    return out


def _severity(r: Reason) -> int:
    return -LEVEL_ORDER[r.level]


def _score_us(task: Task, level: RiskLevel, n_reasons: int, due_us: int | None, now_us: int, rank: int) -> float:
    """The documented score formula (see the module docstring), on µs instants."""
    if due_us is None:
        urgency = 0.0
    elif now_us >= due_us:
        urgency = min(40.0, 10.0 + 2.0 * ((now_us - due_us) / US_PER_DAY))
    else:
        urgency = 40.0 / (1.0 + (due_us - now_us) / US_PER_DAY)
    extras = urgency + 8.0 * rank + 5.0 * max(0, n_reasons - 1)
    if task.time_sensitive:
        extras += 10.0
    return round(LEVEL_BASE[level] + min(99.0, extras), 1)


def _item(task: Task, ctx: _Ctx) -> tuple[tuple[float, int, str], RiskItem] | None:
    """The risk item of one task (None when it is done, snoozed or nothing fires), with its sort key."""
    if task.status is TaskStatus.DONE:
        return None
    if task.snoozed_until is not None and task.snoozed_until > ctx.today(ctx.tz_of(task)):
        return None
    f = ctx.facts(task)
    reasons = reasons_for(task, ctx, f)
    if not reasons:
        return None
    level = reasons[0].level
    due_us = None if f.due is None else f.due.us
    score = _score_us(task, level, len(reasons), due_us, ctx.now_us, f.rank)
    item = RiskItem(task, score, level, tuple([r.text for r in reasons]))
    return (-score, _FAR if due_us is None else due_us, task.id), item


_FAR = 1 << 62


class Assessment:
    """One risk pass: ``items`` (highest score first), and what :func:`reassess` reuses.

    ``moved``: after :func:`reassess`, the assignees (old and new) of the tasks that
    changed — whose workload may have moved; ``None`` after a full pass.
    """

    __slots__ = ("ctx", "keyed", "ordered", "items", "moved")

    def __init__(
        self,
        ctx: _Ctx,
        keyed: dict[str, tuple[tuple[float, int, str], RiskItem]],
        ordered: list[tuple[tuple[float, int, str], RiskItem]] | None = None,
        moved: frozenset[str] | None = None,
    ) -> None:
        self.ctx = ctx
        self.keyed = keyed
        self.ordered = ordered if ordered is not None else sorted(keyed.values(), key=lambda x: x[0])
        self.items = [item for _, item in self.ordered]
        self.moved = moved


def assess(
    tasks: Sequence[Task],
    people: Sequence[Person],
    occurrences: Sequence[Occurrence] | OccurrenceIndex,
    now: datetime,
    settings: Settings,
) -> Assessment:
    """Every open, un-snoozed task with a reason (see :func:`assess_all`), reusable by :func:`reassess`."""
    ctx = _Ctx(tasks, people, occurrences, now, settings)
    keyed = {}
    for task in ctx.tasks.values():
        got = _item(task, ctx)
        if got is not None:
            keyed[task.id] = got
    return Assessment(ctx, keyed)


def reassess(previous: Assessment, tasks: Sequence[Task], *, max_changed: int = 256) -> Assessment:
    """The assessment of ``tasks`` at the same ``now``, people, meetings and settings as
    ``previous``, recomputing only what the changed tasks can move.

    A task changed when it is not the very object ``previous`` saw (tasks are
    immutable). Recomputed: the changed tasks, every task of their assignees (old and
    new: competing hours), every task depending on them, directly or not, and the
    tasks whose dependency cycle appeared or went. The result equals
    ``assess(tasks, ...)``; more than ``max_changed`` changes simply run a full pass.
    """
    ctx0 = previous.ctx
    old = ctx0.tasks
    new = {t.id: t for t in tasks}
    changed = {i for i, t in new.items() if old.get(i) is not t}
    changed.update(i for i in old if i not in new)
    if len(changed) > max_changed:
        people = list(ctx0.people.values())
        return assess(tasks, people, ctx0.index, ctx0.now, ctx0.settings)
    if not changed:
        return previous
    assignees: set[str] = set()
    for i in changed:
        for t in (old.get(i), new.get(i)):
            if t is not None and t.assignee:
                assignees.add(t.assignee)
    ctx = ctx0.derive(new, changed, assignees)
    affected = set(changed)
    if assignees:
        affected.update(t.id for t in new.values() if t.assignee in assignees)
    # every task depending on a changed one, directly or not: walked with its own visited
    # set (a task already affected as one of an assignee's may still lead to dependents)
    dependents = ctx._depended_on()
    reached = set(changed)
    stack = list(changed)
    while stack:
        for d in dependents.get(stack.pop(), ()):
            if d not in reached:
                reached.add(d)
                stack.append(d)
    affected |= reached
    if ctx.cycles is not ctx0.cycles:
        affected.update(i for i in set(ctx.cycles) | set(ctx0.cycles) if ctx.cycles.get(i) != ctx0.cycles.get(i))
    keyed = dict(previous.keyed)
    fresh: list[tuple[tuple[float, int, str], RiskItem]] = []
    for i in affected:
        keyed.pop(i, None)
        task = new.get(i)
        if task is not None:
            got = _item(task, ctx)
            if got is not None:
                keyed[i] = got
                fresh.append(got)
    # keep the order: drop the affected rows, insert their new ones where they belong
    ordered = [x for x in previous.ordered if x[0][2] not in affected]
    for got in fresh:
        insort(ordered, got, key=lambda x: x[0])
    return Assessment(ctx, keyed, ordered, frozenset(assignees))


def assess_all(
    tasks: Sequence[Task],
    people: Sequence[Person],
    occurrences: Sequence[Occurrence] | OccurrenceIndex,
    now: datetime,
    settings: Settings,
) -> list[RiskItem]:
    """Risk items for every open, un-snoozed task with a reason, highest score first.

    ``occurrences`` should cover ``now`` up to the latest due date of interest
    (meetings outside what is given simply do not reduce free time).
    """
    return assess(tasks, people, occurrences, now, settings).items


class Fit(NamedTuple):
    """Would a task fit in someone's time? The capacity rule's numbers, as if it were theirs."""

    handle: str
    need: float  # hours the task needs
    free: float  # hours they have free before it is due, after their more urgent work
    before: str  # the due instant in their zone, as the capacity reason says it ("Wed 18:30")

    @property
    def fits(self) -> bool:
        return self.need <= self.free + 1e-9

    @property
    def short(self) -> float:
        return max(0.0, self.need - self.free)


def fits_for(assessment: Assessment, task: Task, people: Sequence[Person]) -> dict[str, Fit]:
    """For each person, the capacity rule applied as if ``task`` were assigned to them: the
    hours free in their working time (their zone, meetings and days off taken out) from
    ``now`` to the task's due instant, minus their open tasks of strictly higher priority
    due earlier, against the hours the task needs. For the current assignee the numbers
    are those of the task's capacity reason.

    People are left out when the rule cannot judge: no due date, already due, due beyond
    the capacity horizon, or nothing left to do."""
    ctx = assessment.ctx
    out: dict[str, Fit] = {}
    for person in people:
        theirs = task._replace(assignee=person.handle)
        f = task_facts(theirs, person_zone(person))
        due = f.due
        if due is None or f.need <= 0 or due.us <= ctx.now_us or due.us > ctx.horizon_us:
            continue
        free = ctx.timeline(person).hours_before_us(due.us, due.utc)
        available = max(0.0, free - ctx.competing_hours(theirs, due.us, f.rank))
        out[person.handle] = Fit(person.handle, f.need, available, _due_label(theirs, due, person, ctx))
    return out


def free_hours_before(assessment: Assessment, person: Person, when: datetime) -> float:
    """The person's free working hours from the assessment's ``now`` to ``when``: the free time
    its capacity rule reads (working hours in their zone, days off and meetings taken out)."""
    return assessment.ctx.timeline(person).hours_before_us(to_us(when), when)


def room_key(fit: Fit | None, load_pct: float, handle: str) -> tuple[int, float, float, str]:
    """Who to offer a task first: those it fits (least loaded first), then those it cannot be
    judged for (by load), then those it does not fit (least short first)."""
    if fit is None:
        return (1, 0.0, load_pct, handle)
    return (0 if fit.fits else 2, fit.short, load_pct, handle)


def risk_by_task(items: Sequence[RiskItem]) -> dict[str, RiskItem]:
    return {i.task.id: i for i in items}


__all__ = [
    "CAPACITY_HORIZON_DAYS",
    "free_hours_before",
    "LEVEL_BASE",
    "Reason",
    "Assessment",
    "Fit",
    "assess",
    "assess_all",
    "first_name",
    "fits_for",
    "fmt_hours",
    "needed_hours",
    "reasons_for",
    "reassess",
    "risk_by_task",
    "room_key",
]
