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

import math
from typing import NamedTuple
from bisect import bisect_left
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from tpm_tui.domain import PRIORITY_RANK, Occurrence, Person, RiskLevel, Settings, Task, TaskStatus
from tpm_tui.logic.freetime import (
    FreeTimeline,
    OccurrenceIndex,
    Interval,
    busy_of,
    calendar_key,
    day_work_interval,
    person_zone,
    subtract,
    working_intervals,
)
from tpm_tui.logic.results import RiskItem
from tpm_tui.logic.timeutil import due_instant, zone

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


class _Ctx:
    """Everything assess needs, computed once for all tasks."""

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
        try:
            self.horizon_utc = self.now_utc + timedelta(days=CAPACITY_HORIZON_DAYS)
        except OverflowError:
            self.horizon_utc = datetime.max.replace(tzinfo=UTC)
        self.stale_texts: dict[int, Reason] = {}
        self.people = {p.handle: p for p in people}
        self.me = settings.me
        self.index = occurrences if isinstance(occurrences, OccurrenceIndex) else OccurrenceIndex(occurrences)
        self.tasks = {t.id: t for t in tasks}
        self._zones: dict[str, tzinfo] = {}
        self._today: dict[tzinfo, date] = {}
        self.labels: dict[tuple[str, object], str] = {}
        self._due: dict[str, datetime | None] = {}
        self._due_values: dict[tuple[object, tzinfo], datetime] = {}
        self._timelines: dict[str, FreeTimeline] = {}
        self._calendars: dict[tuple[object, ...], tuple[datetime, list[Interval], tuple[dict[datetime, float], list[float]]]] = {}
        self._queues: dict[str, dict[int, tuple[list[datetime], list[float]]]] = {}
        self._build_queues()
        self.cycles = _find_cycles(self.tasks)

    # zones and due instants ------------------------------------------------

    def tz_of(self, task: Task) -> tzinfo:
        who = task.assignee
        tz = self._zones.get(who or "")
        if tz is None:
            p = self.people.get(who) if who else None
            tz = self._zones[who or ""] = person_zone(p) if p else self.ref_tz
        return tz

    def due_of(self, task: Task) -> datetime | None:
        """The due instant in UTC (cached per task, and per due value and zone)."""
        try:
            return self._due[task.id]
        except KeyError:
            pass
        d = None
        if task.due is not None:
            tz = self.tz_of(task)
            key = (task.due, tz)
            d = self._due_values.get(key)
            if d is None:
                d = self._due_values[key] = due_instant(task.due, tz).astimezone(UTC)  # type: ignore[arg-type]
        self._due[task.id] = d
        return d

    def today(self, tz: tzinfo) -> date:
        got = self._today.get(tz)
        if got is None:
            got = self._today[tz] = self.now.astimezone(tz).date()
        return got

    # capacity ----------------------------------------------------------------

    def _build_queues(self) -> None:
        """Per assignee and priority rank: due instants (sorted) and cumulative hours."""
        raw: dict[str, dict[int, list[tuple[datetime, float]]]] = {}
        done = TaskStatus.DONE
        due_of = self.due_of
        for t in self.tasks.values():
            if t.status is done or not t.assignee or t.due is None:
                continue
            h = needed_hours(t)
            if h <= 0:
                continue
            d = due_of(t)
            assert d is not None
            ranks = raw.get(t.assignee)
            if ranks is None:
                ranks = raw[t.assignee] = {}
            rank = PRIORITY_RANK.get(t.priority, 1)
            items = ranks.get(rank)
            if items is None:
                ranks[rank] = [(d, h)]
            else:
                items.append((d, h))
        for who, ranks in raw.items():
            out: dict[int, tuple[list[datetime], list[float]]] = {}
            for rank, items in ranks.items():
                items.sort()
                cum = [0.0]
                for _, h in items:
                    cum.append(cum[-1] + h)
                out[rank] = ([d for d, _ in items], cum)
            self._queues[who] = out

    def competing_hours(self, task: Task, due: datetime) -> float:
        """Remaining hours of the assignee's open, strictly higher-priority tasks due earlier."""
        ranks = self._queues.get(task.assignee or "", {})
        mine = PRIORITY_RANK.get(task.priority, 1)
        total = 0.0
        for rank, (dues, cum) in ranks.items():
            if rank > mine:
                total += cum[bisect_left(dues, due)]
        return total

    def timeline(self, person: Person) -> FreeTimeline:
        """Free time from now: exact (meetings subtracted) for ``CAPACITY_EXACT_DAYS``, then working hours."""
        tl = self._timelines.get(person.handle)
        if tl is None:
            # working time (and working hours beyond the exact part) are shared by people of one calendar
            cal = self._calendars.get(calendar_key(person))
            if cal is None:
                tz = person_zone(person)
                last = self.now_utc.astimezone(tz).date() + timedelta(days=CAPACITY_EXACT_DAYS)
                exact_until = datetime.combine(last, time(0), tzinfo=tz).astimezone(UTC)
                work = working_intervals(person, self.now_utc, exact_until)
                cal = self._calendars[calendar_key(person)] = (exact_until, work, ({}, [0.0]))
            exact_until, work, beyond = cal
            busy = busy_of(person, self.index, is_me=person.handle == self.me)
            tl = FreeTimeline(subtract(work, busy) if busy else work, person=person, exact_until=exact_until, beyond=beyond)
            self._timelines[person.handle] = tl
        return tl


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


def _overdue_text(task: Task, due: datetime, ctx: _Ctx, tz: tzinfo) -> str:
    if isinstance(task.due, date) and not isinstance(task.due, datetime):
        days = max(1, (ctx.today(tz) - task.due).days)
        return f"overdue by {_plural(days, 'day')}"
    delta = ctx.now_utc - due
    if delta >= timedelta(days=1):
        return f"overdue by {_plural(delta.days, 'day')}"
    return f"overdue by {max(1, math.ceil(delta.total_seconds() / 3600))}h"


def _days_until(task: Task, due: datetime, ctx: _Ctx, tz: tzinfo) -> int:
    if isinstance(task.due, date) and not isinstance(task.due, datetime):
        due_day = task.due
    else:
        due_day = due.astimezone(tz).date()
    return (due_day - ctx.today(tz)).days


def _due_soon_text(days: int) -> str:
    return "due today" if days <= 0 else f"due in {_plural(days, 'day')}"


def _gap_text(dep: Task, dep_due: datetime, task: Task, due: datetime) -> str:
    """``due 3 days after this`` / ``due 5h after this``."""
    if isinstance(dep.due, date) and not isinstance(dep.due, datetime) and isinstance(task.due, date) and not isinstance(task.due, datetime):
        return f"due {_plural((dep.due - task.due).days, 'day')} after this"
    delta = dep_due - due
    if delta >= timedelta(days=1):
        return f"due {_plural(delta.days, 'day')} after this"
    return f"due {max(1, math.ceil(delta.total_seconds() / 3600))}h after this"


def _dependency_reasons(task: Task, due: datetime | None, ctx: _Ctx) -> list[Reason]:
    found: list[Reason] = []
    seen = {task.id}
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
        dep_due = ctx.due_of(dep)
        if dep_due is None:
            found.append(Reason(RiskLevel.WATCH, f"blocked by {name} (no due date)"))
        elif dep_due <= ctx.now_utc:
            found.append(Reason(RiskLevel.AT_RISK, f"blocked by {name} ({_overdue_text(dep, dep_due, ctx, ctx.tz_of(dep))})"))
        elif due is not None and dep_due > due:
            found.append(Reason(RiskLevel.AT_RISK, f"blocked by {name} ({_gap_text(dep, dep_due, task, due)})"))
        for nxt in reversed(dep.depends_on):
            if nxt not in seen:
                stack.append((nxt, via or dep_id))
    found.sort(key=_severity)
    if len(found) > MAX_DEPENDENCY_REASONS:
        more = len(found) - MAX_DEPENDENCY_REASONS
        level = max((r.level for r in found[MAX_DEPENDENCY_REASONS:]), key=LEVEL_ORDER.__getitem__)
        found = found[:MAX_DEPENDENCY_REASONS] + [Reason(level, f"and {more} more blocking dependencies")]
    return found


def _due_label(task: Task, due: datetime, person: Person, ctx: _Ctx) -> str:
    key = (person.handle, task.due)
    got = ctx.labels.get(key)
    if got is None:
        got = ctx.labels[key] = _make_due_label(task, due, person, ctx)
    return got


def _make_due_label(task: Task, due: datetime, person: Person, ctx: _Ctx) -> str:
    tz = person_zone(person)
    far = due - ctx.now_utc > timedelta(days=6)
    if isinstance(task.due, date) and not isinstance(task.due, datetime):
        iv = day_work_interval(person, task.due, tz)
        if iv is None:
            return f"end of {task.due:%a %d %b}" if far else f"end of {task.due:%a}"
        end = iv[1].astimezone(tz)
    else:
        end = due.astimezone(tz)
    return end.strftime("%a %d %b %H:%M" if far else "%a %H:%M")


def _capacity_reason(task: Task, due: datetime, ctx: _Ctx) -> Reason | None:
    person = ctx.people.get(task.assignee or "")
    need = needed_hours(task)
    if person is None or need <= 0 or due <= ctx.now_utc:
        return None
    if due > ctx.horizon_utc:  # i.e. due - now > CAPACITY_HORIZON_DAYS
        return None
    free = ctx.timeline(person).hours_before(due)
    available = max(0.0, free - ctx.competing_hours(task, due))
    if need <= available + 1e-9:
        return None
    return Reason(
        RiskLevel.AT_RISK,
        f"needs {fmt_hours(need)}, {first_name(person)} has {fmt_hours(available)} free before "
        f"{_due_label(task, due, person, ctx)} (their time)",
    )


def _slip_reason(task: Task, due: datetime | None, ctx: _Ctx) -> Reason | None:
    if due is None or task.created_at is None or not task.estimate_hours or task.remaining_hours is None:
        return None
    done = min(1.0, max(0.0, 1.0 - task.remaining_hours / task.estimate_hours))
    if 1.0 - done < SLIP_WATCH_GAP - 1e-9:  # elapsed is at most 1: the gap cannot reach a watch
        return None
    created = task.created_at if task.created_at.tzinfo else task.created_at.replace(tzinfo=ctx.tz_of(task))
    window = (due - created).total_seconds()
    if window <= 0 or ctx.now_utc >= due:
        return None
    elapsed = min(1.0, max(0.0, (ctx.now_utc - created).total_seconds() / window))
    gap = elapsed - done
    if elapsed < SLIP_MIN_ELAPSED or gap < SLIP_WATCH_GAP - 1e-9:
        return None
    badly = gap >= SLIP_AT_RISK_GAP - 1e-9 and elapsed >= SLIP_AT_RISK_ELAPSED - 1e-9
    level = RiskLevel.AT_RISK if badly else RiskLevel.WATCH
    return Reason(level, f"{round(done * 100)}% done, {round(elapsed * 100)}% of its window gone")


def _stale_reason(task: Task, ctx: _Ctx) -> Reason | None:
    last = task.updated_at or task.created_at
    if last is None:
        return None
    if last.tzinfo is None:
        last = last.replace(tzinfo=ctx.tz_of(task))
    days = (ctx.now_utc - last).days  # aware minus aware of another zone: exact
    if days >= ctx.settings.stale_after_days:
        got = ctx.stale_texts.get(days)
        if got is None:
            got = ctx.stale_texts[days] = Reason(RiskLevel.WATCH, f"no update for {_plural(days, 'day')}")
        return got
    return None


def reasons_for(task: Task, ctx: _Ctx) -> list[Reason]:
    """Every rule that fires for one task, most severe first (stable within a level)."""
    out: list[Reason] = []
    tz = ctx.tz_of(task)
    due = ctx.due_of(task)
    overdue = due is not None and ctx.now_utc >= due
    if overdue:
        assert due is not None
        out.append(Reason(RiskLevel.LATE, _overdue_text(task, due, ctx, tz)))
    elif due is not None:
        cap = _capacity_reason(task, due, ctx)
        if cap:
            out.append(cap)
    if task.id in ctx.cycles:
        out.append(Reason(RiskLevel.AT_RISK, "dependency cycle: " + " → ".join(ctx.cycles[task.id])))
    deps = _dependency_reasons(task, due, ctx) if task.depends_on else []
    out.extend(deps)
    slip = _slip_reason(task, due, ctx)
    if slip:
        out.append(slip)
    if task.status is TaskStatus.BLOCKED:
        text = (task.blocked_by or "").strip()
        if not (text and any(f"blocked by {text}" in r.text for r in deps)):
            out.append(Reason(RiskLevel.WATCH, f"blocked: {text}" if text else "blocked"))
    stale = _stale_reason(task, ctx)
    if stale:
        out.append(stale)
    if due is not None and not overdue:
        days = _days_until(task, due, ctx, tz)
        if days <= ctx.settings.due_soon_days:
            soon = _due_soon_text(days)
            out.append(Reason(RiskLevel.WATCH, f"unassigned, {soon}" if not task.assignee else soon))
    elif overdue and not task.assignee:
        out.append(Reason(RiskLevel.WATCH, "unassigned"))
    if len(out) > 1:
        out.sort(key=_severity)
    return out


def _severity(r: Reason) -> int:
    return -LEVEL_ORDER[r.level]


def score_of(task: Task, level: RiskLevel, n_reasons: int, due: datetime | None, now_utc: datetime) -> float:
    """The documented score formula (see the module docstring)."""
    if due is None:
        urgency = 0.0
    elif now_utc >= due:
        urgency = min(40.0, 10.0 + 2.0 * ((now_utc - due).total_seconds() / 86400.0))
    else:
        urgency = 40.0 / (1.0 + (due - now_utc).total_seconds() / 86400.0)
    extras = urgency + 8.0 * PRIORITY_RANK.get(task.priority, 1) + 5.0 * max(0, n_reasons - 1)
    if task.time_sensitive:
        extras += 10.0
    return round(LEVEL_BASE[level] + min(99.0, extras), 1)


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
    ctx = _Ctx(tasks, people, occurrences, now, settings)
    items: list[tuple[float, datetime, str, RiskItem]] = []
    far = datetime.max.replace(tzinfo=UTC)
    done = TaskStatus.DONE
    for task in ctx.tasks.values():
        if task.status is done:
            continue
        if task.snoozed_until is not None and task.snoozed_until > ctx.today(ctx.tz_of(task)):
            continue
        reasons = reasons_for(task, ctx)
        if not reasons:
            continue
        level = reasons[0].level
        due = ctx.due_of(task)
        score = score_of(task, level, len(reasons), due, ctx.now_utc)
        item = RiskItem(task, score, level, tuple([r.text for r in reasons]))
        items.append((-score, due or far, task.id, item))
    items.sort(key=lambda x: x[:3])
    return [x[3] for x in items]


def risk_by_task(items: Sequence[RiskItem]) -> dict[str, RiskItem]:
    return {i.task.id: i for i in items}


__all__ = [
    "CAPACITY_HORIZON_DAYS",
    "LEVEL_BASE",
    "Reason",
    "assess_all",
    "first_name",
    "fmt_hours",
    "needed_hours",
    "reasons_for",
    "risk_by_task",
    "score_of",
]
