"""Who has room for a task: the capacity rule applied as if the task were each person's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person, Settings, Task
from tpm_tui.logic.risk import assess, fits_for

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
SETTINGS = Settings(timezone="UTC")
# three people, 09:00-17:00 in their own zones (8h a working day)
PRIYA = Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata", "09:00", "17:00")  # +05:30
TOM = Person("tom", "Tom Becker", "tom@example.com", "UTC", "09:00", "17:00",
             days_off=(date(2026, 3, 3),))
ANA = Person("ana", "Ana Lima", "ana@example.com", "UTC", "09:00", "17:00")
PEOPLE = [PRIYA, TOM, ANA]


def task(id: str, **kw) -> Task:  # noqa: ANN003
    kw.setdefault("created_at", NOW)
    kw.setdefault("updated_at", NOW)
    return Task(id=id, project="T", title=id, **kw)


def busy(email: str, start: datetime, end: datetime) -> Occurrence:
    m = Meeting(uid=f"m-{email}", start=start, end=end, attendees=(Attendee(email, partstat="ACCEPTED"),))
    return Occurrence(m, start, end)


def test_free_hours_per_person_by_hand() -> None:
    # due Wednesday (a date: the end of each one's working day, in their zone); needs 20h
    job = task("T-1", assignee="priya", due=date(2026, 3, 4), remaining_hours=20, priority="normal")
    # Ana has a critical task due Tuesday (more urgent: it counts) and a low one (it does not)
    urgent = task("T-2", assignee="ana", due=date(2026, 3, 3), remaining_hours=6, priority="critical")
    minor = task("T-3", assignee="ana", due=date(2026, 3, 3), remaining_hours=5, priority="low")
    meetings = [busy("tom@example.com", datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 2, 12, tzinfo=UTC))]
    a = assess([job, urgent, minor], PEOPLE, meetings, NOW, SETTINGS)
    fits = fits_for(a, job, PEOPLE)
    # Priya (Kolkata): Monday 09:00 UTC is 14:30 there: 2.5h today, then 8h Tue and Wed
    assert fits["priya"] == (fits["priya"][0], 20.0, 18.5, "Wed 17:00")
    # Tom: Monday 8h less a 2h meeting, Tuesday off, Wednesday 8h
    assert (fits["tom"].free, fits["tom"].before) == (14.0, "Wed 17:00")
    # Ana: 24h of working time less her critical 6h due earlier (the low one does not compete)
    assert fits["ana"].free == 18.0
    assert [h for h, f in fits.items() if f.fits] == []
    assert (fits["priya"].short, fits["tom"].short, fits["ana"].short) == (1.5, 6.0, 2.0)
    smaller = job._replace(remaining_hours=18)
    assert [h for h, f in fits_for(a, smaller, PEOPLE).items() if f.fits] == ["priya", "ana"]


def test_the_assignees_numbers_are_those_of_the_capacity_reason() -> None:
    job = task("T-1", assignee="priya", due=date(2026, 3, 4), remaining_hours=20)
    a = assess([job], PEOPLE, [], NOW, SETTINGS)
    [reason] = [r for item in a.items for r in item.reasons if r.startswith("needs")]
    need, name, free, before = re.fullmatch(r"needs (\S+)h, (\w+) has (\S+)h free before (.+) \(their time\)",
                                            reason).groups()  # type: ignore[union-attr]
    fit = fits_for(a, job, PEOPLE)["priya"]
    assert (float(need), float(free), fit.before, name) == (fit.need, fit.free, before, "Priya")


def test_nothing_to_judge_gives_no_fits() -> None:
    cases = [
        task("T-1", assignee="tom", remaining_hours=4),  # no due date
        task("T-2", assignee="tom", due=date(2026, 2, 27), remaining_hours=4),  # already overdue
        task("T-3", assignee="tom", due=date(2026, 3, 5)),  # no hours
        task("T-4", assignee="tom", due=date(2026, 9, 30), remaining_hours=4),  # beyond the horizon
    ]
    a = assess(cases, PEOPLE, [], NOW, SETTINGS)
    assert all(fits_for(a, t, PEOPLE) == {} for t in cases)
    unassigned = task("T-5", due=date(2026, 3, 5), remaining_hours=4)
    assert sorted(fits_for(assess([unassigned], PEOPLE, [], NOW, SETTINGS), unassigned, PEOPLE)) == [
        "ana", "priya", "tom"]
