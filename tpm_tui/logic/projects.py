"""Every project at a glance: how it stands, why, and whether its work fits before its target.

What the status update says per project (:func:`tpm_tui.logic.render.render_markdown`), as
rows for a list: the status (off track / at risk / on track), its tasks at risk by level,
its open tasks, those due after its target date, and its forecast
(:mod:`tpm_tui.logic.forecast`). Projects with nothing open and no target ahead (finished
long ago) are left out, as in the update.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple

from tpm_tui.domain import Project, RiskLevel, Task
from tpm_tui.logic.forecast import Forecast
from tpm_tui.logic.render import project_status, target_facts
from tpm_tui.logic.results import RiskItem

STATUS_ORDER = {"off track": 0, "at risk": 1, "on track": 2}
LEVELS = (RiskLevel.LATE, RiskLevel.AT_RISK, RiskLevel.WATCH)


class ProjectRow(NamedTuple):
    project: Project
    status: str  # off track | at risk | on track
    levels: tuple[tuple[RiskLevel, int], ...]  # its tasks at risk by level (those with any)
    open: int  # its open tasks
    after_target: int  # open tasks due after its target date
    target_passed: bool  # the target date is before the day, with work open
    forecast: Forecast | None
    room: tuple[tuple[str, float], ...] = ()  # short of time: who else has spare hours before the target


def overview(projects: Sequence[Project], at_risk: Sequence[RiskItem], open_tasks: Sequence[Task], day: date,
             forecast: Callable[[str], Forecast | None] | None = None,
             room: Callable[[Forecast], Sequence[tuple[str, float]]] | None = None) -> list[ProjectRow]:
    """One row per live project (open work, a task at risk, or a target date on or after ``day``),
    the most troubled first (off track, at risk, on track; then by key). ``forecast``: a
    project's forecast by key (:func:`tpm_tui.services.brief.forecast_finder`); ``room``: for
    a forecast that is short, who else has spare hours before the target
    (:func:`tpm_tui.services.brief.room_elsewhere_finder`)."""
    items: dict[str, list[RiskItem]] = {}
    for item in at_risk:
        items.setdefault(item.task.project, []).append(item)
    counts: dict[str, int] = {}
    for t in open_tasks:
        counts[t.project] = counts.get(t.project, 0) + 1
    rows = []
    for p in projects:
        mine = items.get(p.key, [])
        if not counts.get(p.key) and not mine and (p.target_date is None or p.target_date < day):
            continue
        after, passed = target_facts(p, open_tasks, day)
        fc = forecast(p.key) if forecast is not None else None
        status = project_status(mine, after_target=len(after), target_passed=passed,
                                short=fc is not None and not fc.fits)
        levels = tuple((lv, n) for lv in LEVELS if (n := sum(1 for i in mine if i.level is lv)))
        spare = tuple(room(fc)) if room is not None and fc is not None and not fc.fits else ()
        rows.append(ProjectRow(p, status, levels, counts.get(p.key, 0), len(after), passed, fc, spare))
    rows.sort(key=lambda r: (STATUS_ORDER[r.status], r.project.key))
    return rows


__all__ = ["ProjectRow", "overview"]
