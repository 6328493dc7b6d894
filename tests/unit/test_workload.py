"""Workload sums, worked out by hand on small cases."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person, Task, TaskStatus
from tpm_tui.logic.workload import task_hours_in_week, week_load

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # Wednesday
WEEK = date(2026, 3, 2)  # Monday

ANA = Person("ana", "Ana Lima", "ana@example.com", "UTC", "09:00", "17:00")  # 40h a week
BEN = Person("ben", "Ben Ito", "ben@example.com", "UTC", "09:00", "17:00", weekly_capacity_hours=30.0, days_off=(date(2026, 3, 5),))
CY = Person("cy", "Cy Ode", "cy@example.com", "UTC", "09:00", "17:00", days_off=(date(2026, 3, 2),))


def U(mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, mo, d, h, mi, tzinfo=UTC)


def t(id: str, who: str, due, remaining=None, estimate=None, **kw) -> Task:
    return Task(id, "P", id, assignee=who, due=due, remaining_hours=remaining, estimate_hours=estimate, **kw)


def m(start: datetime, end: datetime, email: str = "ana@example.com", partstat: str = "ACCEPTED", **kw) -> Occurrence:
    meeting = Meeting(uid=f"m-{start:%d%H%M}", start=start, end=end, attendees=(Attendee(email, partstat=partstat),), **kw)
    return Occurrence(meeting, start, end)


TASKS = [
    t("A-1", "ana", date(2026, 3, 6), remaining=12),  # Wed..Fri, all in the week: 12
    t("A-2", "ana", date(2026, 3, 10), remaining=10),  # Wed..Tue = 5 days, 3 in the week: 6
    t("A-3", "ana", date(2026, 3, 2), remaining=3),  # overdue: all on today: 3
    t("A-4", "ana", date(2026, 3, 5), estimate=4),  # no remaining: estimate, Wed+Thu: 4
    t("A-5", "ana", date(2026, 3, 5), remaining=9, status=TaskStatus.DONE),  # done: 0
    t("A-6", "ana", None, remaining=9),  # no due date: 0
    t("A-7", "ana", datetime(2026, 3, 9, 12, 0, tzinfo=UTC), remaining=8),  # Wed..Mon = 4 days, 3 in week: 6
    t("B-1", "ben", date(2026, 3, 6), remaining=8),  # Wed, Fri (Thu off): 8
]
OCCS = [
    m(U(3, 2, 10), U(3, 2, 11)),  # Monday, already past: still this week's load, 1
    m(U(3, 4, 20), U(3, 4, 21, 30)),  # outside working hours: counted, 1.5
    m(U(3, 5, 10), U(3, 5, 11)),  # overlapping pair: merged, 1.5
    m(U(3, 5, 10, 30), U(3, 5, 11, 30)),
    m(U(3, 6, 13), U(3, 6, 15), partstat="DECLINED"),  # declined: 0
    m(U(3, 6, 15), U(3, 6, 16), status="CANCELLED"),  # cancelled: 0
    m(U(3, 9, 10), U(3, 9, 12)),  # next week: 0
    m(U(3, 8, 23), U(3, 9, 1)),  # Sunday 23:00 to Monday 01:00: half in this week, 1
    Occurrence(Meeting(uid="ad", start=date(2026, 3, 3), end=date(2026, 3, 4), all_day=True, attendees=(Attendee("ana@example.com"),)), date(2026, 3, 3), date(2026, 3, 4)),
]


def loads(week=WEEK, tasks=TASKS, occs=OCCS, people=(ANA, BEN, CY)):
    return {w.person.handle: w for w in week_load(list(people), tasks, occs, week, NOW)}


def test_week_sums_by_hand():
    got = loads()
    ana = got["ana"]
    assert (ana.capacity_hours, ana.task_hours, ana.meeting_hours) == (40.0, 31.0, 5.0)
    assert ana.load_pct == 90.0 and ana.overloaded is False
    ben = got["ben"]
    assert (ben.capacity_hours, ben.task_hours, ben.meeting_hours) == (24.0, 8.0, 0.0)
    assert ben.load_pct == 33.3
    cy = got["cy"]  # no tasks at all, still listed; Monday off
    assert (cy.capacity_hours, cy.task_hours, cy.meeting_hours, cy.load_pct) == (32.0, 0.0, 0.0, 0.0)


def test_sorted_by_load_then_handle():
    assert [w.person.handle for w in week_load([CY, BEN, ANA], TASKS, OCCS, WEEK, NOW)] == ["ana", "ben", "cy"]


def test_next_week_gets_the_rest_and_past_weeks_nothing():
    nxt = loads(date(2026, 3, 9))["ana"]
    # Mon+Tue of 5 days = 4; A-7: Monday of 4 days = 2; meetings Mon 10-12 = 2 and Mon 00:00-01:00 = 1
    assert (nxt.task_hours, nxt.meeting_hours) == (6.0, 3.0)
    past = loads(date(2026, 2, 23))["ana"]
    assert (past.task_hours, past.meeting_hours) == (0.0, 0.0)


def test_overloaded_above_100_percent():
    got = loads(tasks=[t("A-9", "ana", date(2026, 3, 6), remaining=40)], occs=[m(U(3, 4, 10), U(3, 4, 12))])
    assert (got["ana"].task_hours, got["ana"].meeting_hours, got["ana"].load_pct, got["ana"].overloaded) == (40.0, 2.0, 105.0, True)


def test_due_on_a_weekend_with_no_working_day_left_lands_today():
    sat = NOW.replace(day=7)  # Saturday
    task = t("A-1", "ana", date(2026, 3, 8), remaining=5)
    assert task_hours_in_week(ANA, task, WEEK, sat.date()) == 5.0
    assert task_hours_in_week(ANA, task, date(2026, 3, 9), sat.date()) == 0.0


def test_today_is_read_in_the_persons_zone():
    tokyo = Person("kei", "Kei", "kei@example.com", "Asia/Tokyo", "09:00", "17:00")
    # 20:00Z Wed is already Thursday in Tokyo: a task due Fri spreads over Thu+Fri only
    late_now = datetime(2026, 3, 4, 20, 0, tzinfo=UTC)
    task = t("K-1", "kei", date(2026, 3, 10), remaining=10)
    [w] = week_load([tokyo], [task], [], WEEK, late_now)
    assert w.task_hours == 5.0  # Thu, Fri of Thu..Tue (4 working days) = 10 * 2/4
