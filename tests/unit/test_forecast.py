"""Project forecast: a project's open work against its people's free time before its target."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person, Project, Settings, Task, TaskStatus
from tpm_tui.logic.forecast import PersonNeed, forecast, forecast_text
from tpm_tui.logic.risk import assess, free_hours_before

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 09:00
PAT = Person("pat", "Pat Doe", "pat@example.com", "UTC", "09:00", "17:00")
SAM = Person("sam", "Sam Roe", "sam@example.com", "UTC", "09:00", "17:00")
OWNER = Person("olga", "Olga Li", "olga@example.com", "UTC", "09:00", "17:00")
PROJECT = Project("P", "Portal", owner="olga", target_date=date(2026, 3, 6))  # Friday
NAMES = {"pat": "Pat", "sam": "Sam", "olga": "Olga"}


def T(id: str, assignee: str | None, hours: float | None, due: date | None = date(2026, 3, 5), **kw) -> Task:
    return Task(id, id.split("-")[0], f"Task {id}", assignee=assignee, due=due, remaining_hours=hours, **kw)


def review() -> Occurrence:
    start, end = datetime(2026, 3, 3, 10, tzinfo=UTC), datetime(2026, 3, 3, 12, tzinfo=UTC)
    return Occurrence(Meeting(uid="r", start=start, end=end, attendees=(Attendee("pat@example.com"),)), start, end)


def run(tasks: list[Task], project: Project = PROJECT, people: tuple[Person, ...] = (PAT, SAM, OWNER)):
    assessment = assess(tasks, people, [review()], NOW, Settings())
    return forecast(project, tasks, list(people), NOW, lambda p, when: free_hours_before(assessment, p, when))


TASKS = [
    T("P-1", "pat", 20),
    T("P-2", "pat", None, date(2026, 3, 9), estimate_hours=16),  # due after the target: its hours still count
    T("Q-1", "pat", 6, date(2026, 3, 4)),  # another project's, due first: comes off Pat's free time
    T("Q-2", "pat", 10, date(2026, 3, 9)),  # another project's, due after the target: not counted
    T("P-3", "sam", 10),
    T("P-4", None, 12),
    T("P-5", "sam", None),  # no estimate: counted apart
    T("P-6", "pat", 50, status=TaskStatus.DONE),
]


def test_each_person_s_part_against_their_free_time_before_the_target():
    fc = run(TASKS)
    assert fc is not None
    # Pat: Mon-Fri 5 x 8h = 40h free, less the 2h review = 38h, less Q-1's 6h = 32h for 36h of P
    # Sam: 40h for 10h (30h to spare); Olga, the owner, 40h for nothing: 40h to spare
    assert fc.people == (PersonNeed("pat", 36.0, 38.0, 6.0), PersonNeed("sam", 10.0, 40.0, 0.0))
    assert (fc.need, fc.unassigned, fc.spare, fc.unestimated) == (58.0, 12.0, 70.0, 1)
    assert fc.short == 4.0 and not fc.fits
    assert forecast_text(fc, NAMES) == ("4h short before Fri 06 Mar: Pat needs 36h, has 32h free (after 6h due "
                                        "elsewhere first) (1 open task without an estimate not counted)")


def test_unassigned_work_beyond_what_the_people_have_to_spare_is_short():
    tasks = [*TASKS, T("P-7", None, 70)]  # 82h unassigned, 70h to spare
    fc = run(tasks)
    assert fc is not None and fc.short == 4.0 + 12.0
    assert forecast_text(fc, NAMES).startswith("16h short before Fri 06 Mar: Pat needs 36h, has 32h free")
    assert "; 82h unassigned, 70h to spare" in forecast_text(fc, NAMES)


def test_work_that_fits_says_whose_hours_and_how_many_are_free():
    tasks = [t._replace(remaining_hours=10) if t.id == "P-1" else t for t in TASKS if t.id != "P-5"]
    fc = run(tasks)
    assert fc is not None and fc.fits and fc.short == 0.0
    assert fc.spare == 6.0 + 30.0 + 40.0
    assert forecast_text(fc, NAMES) == ("48h of open work fit before Fri 06 Mar; tightest: Pat, 26h of 32h free; "
                                        "12h unassigned, with room for it")


def test_a_person_in_another_zone_counts_to_the_end_of_the_target_date_in_theirs():
    kolkata = Person("pat", "Pat Doe", "pat@example.com", "Asia/Kolkata", "09:00", "17:00")
    fc = run([T("P-1", "pat", 20)], people=(kolkata, SAM, OWNER))
    assert fc is not None
    # from Mon 14:30 IST: Mon 2.5h + Tue-Fri 4 x 8h (the review, 15:30-17:30 IST, takes 1.5h) = 33h
    assert fc.people[0].free == 33.0


def test_no_forecast_without_a_target_after_it_or_without_open_work():
    assert run(TASKS, project=PROJECT._replace(target_date=None)) is None
    assert run(TASKS, project=PROJECT._replace(target_date=date(2026, 3, 1))) is None  # passed: said elsewhere
    assert run([t for t in TASKS if t.project != "P"]) is None


def test_other_work_due_at_a_time_counts_when_that_instant_is_before_the_target_s_end():
    tasks = [T("P-1", "pat", 10),
             T("Q-1", "pat", 7, datetime(2026, 3, 6, 23, 0, tzinfo=UTC)),  # Friday 23:00: before the day ends
             T("Q-2", "pat", 5, datetime(2026, 3, 7, 0, 30, tzinfo=UTC))]  # Saturday: after
    fc = run(tasks)
    assert fc is not None and fc.people == (PersonNeed("pat", 10.0, 38.0, 7.0),)


def test_many_people_short_are_named_the_most_short_first_and_the_rest_counted():
    folks = tuple(Person(f"p{i}", f"P{i} X", f"p{i}@example.com", "UTC", "09:00", "17:00") for i in range(5))
    tasks = [T(f"P-{i}", f"p{i}", 40 + 10 * i) for i in range(5)]  # each has 40h: short by 0, 10, 20, 30, 40
    fc = run(tasks, people=(*folks, OWNER))
    assert fc is not None and fc.short == 100.0
    text = forecast_text(fc, {})
    assert text.startswith("100h short before Fri 06 Mar: p4 needs 80h, has 40h free; p3 needs 70h, has 40h free; "
                           "p2 needs 60h, has 40h free; 1 more short by 10h")
    # Olga, the owner, has 40h to spare; nothing is unassigned, so nothing more is said
    assert "unassigned" not in text


def test_who_else_has_room_before_the_target():
    from tpm_tui.logic.forecast import room_before

    ava = Person("ava", "Ava", "ava@example.com", "UTC", "09:00", "13:00")  # 4h days: 20h to Friday
    tasks = [*TASKS, T("R-1", "ava", 5, date(2026, 3, 5)), T("R-2", "ava", 50, date(2026, 3, 20))]  # only R-1 by Friday
    assessment = assess(tasks, [PAT, SAM, OWNER, ava], [review()], NOW, Settings())
    rows = room_before(date(2026, 3, 6), tasks, [PAT, SAM, OWNER, ava], NOW,
                       lambda p, when: free_hours_before(assessment, p, when), besides={"pat", "sam"})
    # Olga: 40h free, nothing due; Ava: 20h free, 5h due by then (R-2 is due later)
    assert rows == [("olga", 40.0), ("ava", 15.0)]
