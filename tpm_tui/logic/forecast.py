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

Unassigned work is set against the hours the project's people (its assignees and its
owner) have to spare beyond their own part. The project is **short** by the people's
shortfalls plus the unassigned hours nobody has room for. Open tasks without an estimate
cannot be counted: they are counted and said. No forecast without a target date, once the
target date has passed (the status update says so), or without open work.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
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


class Forecast(NamedTuple):
    project: str
    target: date
    need: float  # all open, estimated work of the project
    people: tuple[PersonNeed, ...]  # the most short first, then the most work
    unassigned: float  # hours of open work nobody has
    spare: float  # hours the project's people have beyond their own part
    unestimated: int  # open tasks without an estimate (not counted)

    @property
    def short(self) -> float:
        return sum(p.short for p in self.people) + max(0.0, self.unassigned - self.spare)

    @property
    def fits(self) -> bool:
        return self.short < 0.05  # what fmt_hours would print as 0h


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
    return Forecast(project.key, target, sum(need.values()) + unassigned, shown, unassigned, spare, unestimated)


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
    if fc.fits:
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
        text = head + ": " + "; ".join(parts)
    if fc.unestimated:
        n = fc.unestimated
        text += f" ({n} open task{'s' if n != 1 else ''} without an estimate not counted)"
    return text


__all__ = ["Forecast", "PersonNeed", "forecast", "forecast_text", "room_before"]
