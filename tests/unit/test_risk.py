"""Risk rules: one table row per reason and level, then scores and ordering."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person, RiskLevel, Settings, Task, TaskStatus
from tpm_tui.logic.risk import assess_all

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # a Wednesday
SETTINGS = Settings(timezone="UTC")
PRIYA = Person("priya", "Priya Raman", "priya@example.com", "UTC", "09:00", "17:00")
LATE, AT_RISK, WATCH = RiskLevel.LATE, RiskLevel.AT_RISK, RiskLevel.WATCH


def U(mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(2026, mo, d, h, mi, tzinfo=UTC)


def task(id: str = "T-1", **kw) -> Task:
    kw.setdefault("assignee", "priya")
    kw.setdefault("updated_at", NOW)
    kw.setdefault("created_at", NOW)
    return Task(id=id, project="T", title=f"Task {id}", **kw)


def meeting(start: datetime, end: datetime, email: str = "priya@example.com") -> Occurrence:
    m = Meeting(uid=f"m{start:%d%H%M}", start=start, end=end, attendees=(Attendee(email, partstat="ACCEPTED"),))
    return Occurrence(m, start, end)


def assess(tasks, occurrences=(), people=(PRIYA,), now=NOW, settings=SETTINGS):
    return {i.task.id: i for i in assess_all(tasks, list(people), list(occurrences), now, settings)}


@pytest.mark.parametrize(
    ("kw", "reasons", "level"),
    [
        pytest.param(dict(due=date(2026, 3, 2)), ("overdue by 2 days",), LATE, id="overdue-days"),
        pytest.param(dict(due=date(2026, 3, 3)), ("overdue by 1 day",), LATE, id="overdue-one-day"),
        pytest.param(dict(due=U(3, 4, 6)), ("overdue by 3h",), LATE, id="overdue-hours"),
        pytest.param(dict(due=U(3, 1, 6)), ("overdue by 3 days",), LATE, id="overdue-datetime-days"),
        pytest.param(dict(due=date(2026, 3, 4)), ("due today",), WATCH, id="due-today"),
        pytest.param(dict(due=date(2026, 3, 6)), ("due in 2 days",), WATCH, id="due-soon"),
        pytest.param(dict(due=date(2026, 3, 7)), ("due in 3 days",), WATCH, id="due-soon-edge"),
        pytest.param(dict(due=date(2026, 3, 8)), None, None, id="not-soon"),
        pytest.param(dict(due=date(2026, 3, 6), assignee=None), ("unassigned, due in 2 days",), WATCH, id="unassigned-soon"),
        pytest.param(dict(due=date(2026, 3, 2), assignee=None), ("overdue by 2 days", "unassigned"), LATE, id="unassigned-late"),
        pytest.param(dict(due=date(2026, 3, 20), assignee=None), None, None, id="unassigned-not-soon"),
        pytest.param(dict(updated_at=U(2, 23, 9)), ("no update for 9 days",), WATCH, id="stale"),
        pytest.param(dict(updated_at=U(2, 26, 9)), None, None, id="updated-6-days-ago"),
        pytest.param(dict(updated_at=None, created_at=U(2, 25, 9)), ("no update for 7 days",), WATCH, id="stale-never-updated"),
        pytest.param(dict(status=TaskStatus.BLOCKED, blocked_by="legal sign-off"), ("blocked: legal sign-off",), WATCH, id="blocked-text"),
        pytest.param(dict(status=TaskStatus.BLOCKED), ("blocked",), WATCH, id="blocked-bare"),
        pytest.param(
            dict(created_at=U(2, 24, 9), due=U(3, 6, 9), estimate_hours=10, remaining_hours=6),
            ("40% done, 80% of its window gone", "due in 2 days"),
            AT_RISK,
            id="slipping-badly",
        ),
        pytest.param(
            dict(created_at=U(2, 17, 9), due=U(3, 14, 9), estimate_hours=10, remaining_hours=7),
            ("30% done, 60% of its window gone",),
            WATCH,
            id="slipping",
        ),
        pytest.param(
            dict(created_at=U(2, 24, 9), due=U(3, 14, 9), estimate_hours=10, remaining_hours=7),
            None,
            None,
            id="not-slipping-yet",
        ),
        pytest.param(dict(due=date(2026, 3, 2), status=TaskStatus.DONE), None, None, id="done"),
        pytest.param(dict(due=date(2026, 3, 2), snoozed_until=date(2026, 3, 5)), None, None, id="snoozed"),
        pytest.param(dict(due=date(2026, 3, 2), snoozed_until=date(2026, 3, 4)), ("overdue by 2 days",), LATE, id="snooze-ended"),
        pytest.param(dict(), None, None, id="nothing"),
    ],
)
def test_single_task_rules(kw, reasons, level):
    got = assess([task(**kw)])
    if reasons is None:
        assert got == {}
    else:
        assert got["T-1"].reasons == reasons
        assert got["T-1"].level is level


# ------------------------------------------------------------------ capacity

# Priya, UTC 09:00-17:00: from Wed 09:00 to Fri 17:00 = 24h, minus a 4h meeting on Thursday = 20h
THURSDAY_MEETING = [meeting(U(3, 5, 10), U(3, 5, 14))]


@pytest.mark.parametrize(
    ("tasks", "reasons"),
    [
        pytest.param(
            [task(due=date(2026, 3, 6), remaining_hours=22)],
            ("needs 22h, Priya has 20h free before Fri 17:00 (their time)", "due in 2 days"),
            id="short",
        ),
        pytest.param([task(due=date(2026, 3, 6), remaining_hours=20)], ("due in 2 days",), id="just-fits"),
        pytest.param(
            [task(due=date(2026, 3, 6), estimate_hours=21)],
            ("needs 21h, Priya has 20h free before Fri 17:00 (their time)", "due in 2 days"),
            id="estimate-when-no-remaining",
        ),
        pytest.param(
            [
                task(due=date(2026, 3, 6), remaining_hours=12),
                task("T-2", due=date(2026, 3, 5), remaining_hours=10, priority="high"),
            ],
            ("needs 12h, Priya has 10h free before Fri 17:00 (their time)", "due in 2 days"),
            id="higher-priority-due-earlier-counts",
        ),
        pytest.param(
            [
                task(due=date(2026, 3, 6), remaining_hours=12),
                task("T-2", due=date(2026, 3, 5), remaining_hours=10, priority="normal"),
            ],
            ("due in 2 days",),
            id="same-priority-does-not",
        ),
        pytest.param(
            [
                task(due=date(2026, 3, 6), remaining_hours=12),
                task("T-2", due=date(2026, 3, 9), remaining_hours=10, priority="critical"),
            ],
            ("due in 2 days",),
            id="higher-priority-due-later-does-not",
        ),
        pytest.param(
            [
                task(due=date(2026, 3, 6), remaining_hours=12),
                task("T-2", due=date(2026, 3, 5), remaining_hours=10, priority="high", status=TaskStatus.DONE),
            ],
            ("due in 2 days",),
            id="done-work-does-not",
        ),
        pytest.param(
            [task(due=U(3, 5, 12), remaining_hours=10)],  # Wed 8h + Thu 09:00-10:00
            ("needs 10h, Priya has 9h free before Thu 12:00 (their time)", "due in 1 day"),
            id="datetime-due-counts-until-the-minute",
        ),
    ],
)
def test_capacity_rule(tasks, reasons):
    got = assess(tasks, THURSDAY_MEETING)
    assert got["T-1"].reasons == reasons
    assert got["T-1"].level is (AT_RISK if reasons[0].startswith("needs") else WATCH)


def test_capacity_reason_names_the_days_off_that_shrink_the_window():
    """Days off between today and the due date explain a short window: they are named in
    the reason (as runs; with dates once the window is longer than a week)."""
    # NOW: Wed 4 Mar 09:00 UTC. Thu 5 off: 8h Wed + 8h Fri = 16h before Fri 17:00
    off_thu = PRIYA._replace(days_off=(date(2026, 3, 5), date(2026, 3, 9)))  # Mon 9 is after the due date
    got = assess([task(due=date(2026, 3, 6), remaining_hours=20)], people=[off_thu])
    assert got["T-1"].reasons[0] == "needs 20h, Priya has 16h free before Fri 17:00 (their time; off Thu)"
    # a two-week window with a week's leave: one run, with dates
    leave = PRIYA._replace(days_off=tuple(date(2026, 3, d) for d in (9, 10, 11, 12, 13)))
    far = assess([task(due=date(2026, 3, 18), remaining_hours=100)], people=[leave])
    assert far["T-1"].reasons[0].endswith("(their time; off Mon 09 Mar–Fri 13 Mar)")
    # nothing off in the window: the reason is as before
    later = PRIYA._replace(days_off=(date(2026, 4, 1),))
    got = assess([task(due=date(2026, 3, 6), remaining_hours=30)], people=[later])
    assert got["T-1"].reasons[0].endswith("(their time)")


def test_capacity_in_the_assignees_own_zone_and_far_due_date_label():
    priya = Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata", "09:00", "17:30")
    # 09:00Z = 14:30 IST Wed: 3h Wed + 8.5h Thu + 8.5h Fri = 20h
    got = assess([task(due=date(2026, 3, 6), remaining_hours=24)], people=[priya])
    assert got["T-1"].reasons[0] == "needs 24h, Priya has 20h free before Fri 17:30 (their time)"
    far = assess([task(due=date(2026, 3, 20), remaining_hours=200)], people=[priya])
    assert far["T-1"].reasons == ("needs 200h, Priya has 105h free before Fri 20 Mar 17:30 (their time)",)
    weekend = assess([task(due=date(2026, 3, 7), remaining_hours=30)], people=[priya])
    assert weekend["T-1"].reasons[0] == "needs 30h, Priya has 20h free before end of Sat (their time)"


# ------------------------------------------------------------------ dependencies


def test_dependency_due_after_this():
    got = assess([task("A-1", due=date(2026, 3, 10), depends_on=("A-2",)), task("A-2", due=date(2026, 3, 13))])
    assert got["A-1"].reasons == ("blocked by A-2 (due 3 days after this)",)
    assert got["A-1"].level is AT_RISK
    assert "A-2" not in got


def test_transitive_dependency_is_named_with_the_direct_one():
    got = assess(
        [
            task("A-1", due=date(2026, 3, 10), depends_on=("A-2",)),
            task("A-2", due=date(2026, 3, 9), depends_on=("A-3",)),
            task("A-3", due=date(2026, 3, 12)),
        ]
    )
    assert got["A-1"].reasons == ("blocked by A-3 via A-2 (due 2 days after this)",)
    assert got["A-2"].reasons == ("blocked by A-3 (due 3 days after this)",)


def test_late_dependency_and_hours_gap_and_no_due_date():
    got = assess(
        [
            task("A-1", due=date(2026, 3, 10), depends_on=("A-2", "A-3", "A-4", "A-5", "A-6")),
            task("A-2", due=date(2026, 3, 2)),
            task("A-3"),
            task("A-4", due=date(2026, 3, 9), status=TaskStatus.DONE),  # done: not a blocker
            task("A-5", due=date(2026, 3, 9)),  # due before: fine
        ]
    )
    assert got["A-1"].reasons == ("blocked by A-2 (overdue by 2 days)", "blocked by A-3 (no due date)")
    hours = assess([task("B-1", due=U(3, 10, 9), depends_on=("B-2",)), task("B-2", due=U(3, 10, 14))])
    assert hours["B-1"].reasons == ("blocked by B-2 (due 5h after this)",)


def test_done_dependency_ends_the_chain():
    got = assess(
        [
            task("A-1", due=date(2026, 3, 10), depends_on=("A-2",)),
            task("A-2", due=date(2026, 3, 9), depends_on=("A-3",), status=TaskStatus.DONE),
            task("A-3", due=date(2026, 3, 20)),
        ]
    )
    assert "A-1" not in got


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"C-1": ("C-2",), "C-2": ("C-1",)}, {"C-1": "C-1 → C-2 → C-1", "C-2": "C-2 → C-1 → C-2"}),
        ({"C-1": ("C-1",)}, {"C-1": "C-1 → C-1"}),
        (
            {"C-1": ("C-2",), "C-2": ("C-3",), "C-3": ("C-1",), "C-4": ("C-1",)},
            {"C-1": "C-1 → C-2 → C-3 → C-1", "C-2": "C-2 → C-3 → C-1 → C-2", "C-3": "C-3 → C-1 → C-2 → C-3"},
        ),
    ],
)
def test_cycles_are_reported_not_looped(graph, expected):
    tasks = [task(i, due=date(2026, 3, 20), depends_on=deps) for i, deps in graph.items()]
    got = assess(tasks)
    cycles = {tid: r for tid, item in got.items() for r in item.reasons if r.startswith("dependency cycle")}
    assert cycles == {tid: f"dependency cycle: {text}" for tid, text in expected.items()}
    assert all(got[t].level is AT_RISK for t in expected)


def test_blocked_status_naming_a_dependency_is_not_repeated():
    got = assess(
        [
            task("A-1", due=date(2026, 3, 10), depends_on=("A-2",), status=TaskStatus.BLOCKED, blocked_by="A-2"),
            task("A-2", due=date(2026, 3, 13)),
        ]
    )
    assert got["A-1"].reasons == ("blocked by A-2 (due 3 days after this)",)


def test_dependency_cap():
    deps = tuple(f"D-{i}" for i in range(5))
    got = assess([task("A-1", due=date(2026, 3, 10), depends_on=deps), *(task(d, due=date(2026, 3, 1)) for d in deps)])
    assert got["A-1"].reasons[-1] == "and 2 more blocking dependencies"
    assert len(got["A-1"].reasons) == 4


# ------------------------------------------------------------------ scores and order


def test_score_formula_literal():
    # late by exactly 2 days: urgency 10 + 2*2 = 14; normal priority 8; one reason; 300 + 22
    got = assess([task(due=U(3, 2, 9))])
    assert got["T-1"].score == 322.0
    # due in 2 days (watch): 40/(1+2) = 13.33; high priority 16 -> 129.3; time-sensitive +10 -> 139.3
    got = assess([task(due=U(3, 6, 9), priority="high"), task("T-2", due=U(3, 6, 9), priority="high", time_sensitive=True)])
    assert got["T-1"].score == 129.3
    assert got["T-2"].score == 139.3


def test_levels_dominate_and_urgency_orders_within_a_level():
    tasks = [
        task("W-1", due=date(2026, 3, 7)),
        task("W-2", due=date(2026, 3, 5), priority="critical", time_sensitive=True),
        task("L-1", due=date(2026, 3, 3), priority="low"),
        task("L-2", due=date(2026, 2, 20)),
        task("R-1", due=date(2026, 3, 10), depends_on=("R-2",)),
        task("R-2", due=date(2026, 3, 12)),
    ]
    order = [i.task.id for i in assess_all(tasks, [PRIYA], [], NOW, SETTINGS)]
    assert order == ["L-2", "L-1", "R-1", "W-2", "W-1"]


def test_unknown_assignee_and_zones_of_unassigned_tasks():
    # the settings zone decides "today" for an unassigned task: 09:00Z is already Thursday in Tokyo
    got = assess([task(due=date(2026, 3, 4), assignee=None)], settings=Settings(timezone="Asia/Tokyo"), now=datetime(2026, 3, 4, 16, 0, tzinfo=UTC))
    assert got["T-1"].reasons == ("overdue by 1 day", "unassigned")
    ghost = assess([task(due=date(2026, 3, 6), assignee="ghost", remaining_hours=100)])
    assert ghost["T-1"].reasons == ("due in 2 days",)  # no person: no capacity judgement


def test_floating_due_is_read_in_the_assignees_zone():
    priya = Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata")
    # floating 14:00 on Wed in Kolkata = 08:30Z, before NOW (09:00Z)
    got = assess([task(due=datetime(2026, 3, 4, 14, 0))], people=[priya])
    assert got["T-1"].reasons == ("overdue by 1h",)
    ist = ZoneInfo("Asia/Kolkata")
    assert datetime(2026, 3, 4, 14, 0, tzinfo=ist) < NOW


# ------------------------------------------------------------------ waiting (capacity from when it can start)
# Priya: Wed 8h, Thu 4h (the meeting), Fri 8h. T-2 (nobody's) is due Thu: T-1 can start Fri.


@pytest.mark.parametrize(
    ("need", "t3", "expected"),
    [
        pytest.param(10, None, "needs 10h, Priya has 8h free after T-2 is due (Thu) before Fri 17:00 (their time)",
                     id="fits-from-now-not-from-the-wait"),
        pytest.param(7, None, None, id="fits-after-the-wait"),
        pytest.param(10, 6, "needs 10h, Priya has 8h free after T-2 is due (Thu) before Fri 17:00 (their time)",
                     id="higher-priority-work-done-while-waiting"),
        pytest.param(7, 14, "needs 7h, Priya has 6h free before Fri 17:00 (their time)",
                     id="short-from-now-already-said-plainly"),  # (what is left of T-3 after the wait: the same 6h)
    ],
)
def test_waiting_rule(need, t3, expected):
    tasks = [task(due=date(2026, 3, 6), remaining_hours=need, depends_on=("T-2",)),
             task("T-2", assignee=None, due=date(2026, 3, 5))]
    if t3 is not None:  # Priya's more urgent work: high priority, due Thursday
        tasks.append(task("T-3", due=date(2026, 3, 5), remaining_hours=t3, priority="high"))
    got = assess(tasks, THURSDAY_MEETING)["T-1"]
    if expected is None:
        assert got.reasons == ("due in 2 days",)
    else:
        assert got.reasons == (expected, "due in 2 days") and got.level is AT_RISK


def test_waiting_is_judged_only_for_what_is_due_between_now_and_the_task():
    base = task(due=date(2026, 3, 6), remaining_hours=10, depends_on=("T-2",))
    later = assess([base, task("T-2", assignee=None, due=date(2026, 3, 9))], THURSDAY_MEETING)["T-1"]
    assert later.reasons[0] == "blocked by T-2 (due 3 days after this)"  # its own reason, not a window
    done = assess([base, task("T-2", assignee=None, due=date(2026, 3, 5), status=TaskStatus.DONE)], THURSDAY_MEETING)
    assert done["T-1"].reasons == ("due in 2 days",)  # nothing to wait for
    far = assess([task(due=date(2026, 3, 20), remaining_hours=30, depends_on=("T-2",)),
                  task("T-2", assignee=None, due=date(2026, 3, 17))], THURSDAY_MEETING)["T-1"]
    assert far.reasons == ("needs 30h, Priya has 24h free after T-2 is due (Tue 17 Mar) before Fri 20 Mar 17:00 "
                           "(their time)",)


def test_waiting_for_a_day_due_in_another_zone_says_when_that_is_in_theirs():
    diego = Person("diego", "Diego Alvarez", "diego@example.com", "America/Mexico_City", "09:00", "17:00")
    tasks = [task(due=date(2026, 3, 6), remaining_hours=10, depends_on=("T-2",)),
             task("T-2", assignee="diego", due=date(2026, 3, 5))]  # the end of Thursday in Mexico: Fri 06:00 UTC
    got = assess(tasks, THURSDAY_MEETING, people=(PRIYA, diego))["T-1"]
    assert got.reasons[0] == "needs 10h, Priya has 8h free after T-2 is due (Fri 06:00) before Fri 17:00 (their time)"
