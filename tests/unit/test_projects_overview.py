"""The Projects list: every live project, the most troubled first, with why (no terminal)."""

from __future__ import annotations

from datetime import date

from tpm_tui.domain import Project, RiskLevel, Task, TaskStatus
from tpm_tui.logic.forecast import Forecast, PersonNeed
from tpm_tui.logic.projects import overview
from tpm_tui.logic.results import RiskItem

DAY = date(2026, 11, 30)


def T(id: str, due: date | None = None, status: TaskStatus = TaskStatus.TODO) -> Task:
    return Task(id, id.split("-")[0], id, due=due, status=status)


def item(task: Task, level: RiskLevel) -> RiskItem:
    return RiskItem(task, 100.0, level, ("why",))


def test_projects_in_order_of_trouble_with_their_counts_and_forecast() -> None:
    projects = [
        Project("CALM", "Calm", target_date=date(2026, 12, 20)),
        Project("LATE", "Late one"),
        Project("AFTER", "Due after", target_date=date(2026, 12, 4)),
        Project("SHORT", "Short of time", target_date=date(2026, 12, 10)),
        Project("PASSED", "Passed", target_date=date(2026, 11, 20)),
        Project("OLD", "Finished long ago", target_date=date(2025, 1, 1)),  # nothing open: left out
        Project("NEXT", "Starts soon", target_date=date(2027, 2, 1)),  # no task yet, target ahead: listed
    ]
    tasks = [T("CALM-1", date(2026, 12, 18)), T("LATE-1", date(2026, 11, 27)), T("LATE-2"),
             T("AFTER-1", date(2026, 12, 9)), T("SHORT-1"), T("PASSED-1"), T("OLD-1", status=TaskStatus.DONE)]
    open_tasks = [t for t in tasks if t.is_open]
    at_risk = [item(tasks[1], RiskLevel.LATE), item(tasks[2], RiskLevel.WATCH), item(tasks[0], RiskLevel.WATCH)]
    short = Forecast("SHORT", date(2026, 12, 10), 30.0, (PersonNeed("tom", 30.0, 10.0, 0.0),), 0.0, 0.0, 0)
    fits = Forecast("CALM", date(2026, 12, 20), 5.0, (PersonNeed("tom", 5.0, 10.0, 0.0),), 0.0, 5.0, 0)
    asked = []

    def room(fc: Forecast) -> list[tuple[str, float]]:
        asked.append(fc.project)
        return [("ava", 12.0)]

    rows = overview(projects, at_risk, open_tasks, DAY, {"SHORT": short, "CALM": fits}.get, room)
    assert [(r.project.key, r.status) for r in rows] == [
        ("LATE", "off track"), ("PASSED", "off track"),  # a late task; a target passed with work open
        ("AFTER", "at risk"), ("SHORT", "at risk"),  # a task due after the target; more work than time
        ("CALM", "on track"), ("NEXT", "on track"),
    ]
    by = {r.project.key: r for r in rows}
    assert by["LATE"].levels == ((RiskLevel.LATE, 1), (RiskLevel.WATCH, 1)) and by["LATE"].open == 2
    assert by["AFTER"].after_target == 1 and by["PASSED"].target_passed
    assert by["SHORT"].forecast is short and by["CALM"].forecast is fits and by["LATE"].forecast is None
    assert by["NEXT"].open == 0 and by["NEXT"].levels == ()
    # who else has room: asked for the project short of time only
    assert asked == ["SHORT"] and by["SHORT"].room == (("ava", 12.0),) and by["CALM"].room == ()
