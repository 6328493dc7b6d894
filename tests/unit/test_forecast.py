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


# ------------------------------------------------------------------ work order
# Pat: Mon 8h, Tue 6h (the review), Wed-Fri 8h; Sam: 8h a day; both 09:00-17:00 UTC.


def test_hours_that_fit_can_miss_the_target_when_one_task_waits_for_another():
    tasks = [T("P-1", "pat", 16, date(2026, 3, 5)), T("P-3", "sam", 24, date(2026, 3, 6), depends_on=("P-1",))]
    fc = run(tasks)
    assert fc is not None and fc.short == 0.0  # each one's hours fit: Pat 16h of 38h, Sam 24h of 40h
    # ... but Sam starts once Pat is done, Wed 11:00: Wed 6h + Thu 8h + Fri 8h = 22h < 24h
    (wait,) = fc.late
    assert (wait.task, wait.handle, wait.ends, wait.chain) == (
        "P-3", "sam", datetime(2026, 3, 9, 11, 0, tzinfo=UTC), (("P-1", "pat", True),))
    assert not fc.fits
    assert forecast_text(fc, NAMES) == ("40h of open work fit before Fri 06 Mar, but not in work order: P-3 (Sam) "
                                        "can end Mon 09 Mar at the earliest: it waits for P-1 (Pat)")
    assert run([tasks[0], tasks[1]._replace(remaining_hours=20)]).fits  # 20h: ends Fri 15:00


def test_a_person_works_on_something_else_while_a_task_waits():
    tasks = [T("P-1", "pat", 16, date(2026, 3, 5)),
             T("P-3", "sam", 20, date(2026, 3, 6), depends_on=("P-1",)),  # Wed 11:00 → Fri 15:00
             T("P-4", "sam", 16, date(2026, 3, 6))]  # Mon-Tue, while P-3 waits (after it: Tue 17:00 next week)
    fc = run(tasks)
    assert fc is not None and fc.fits and fc.late == ()


def test_a_chain_of_waits_is_told_back_to_where_it_starts():
    tasks = [T("P-1", "pat", 16, date(2026, 3, 5)),  # Pat: done Wed 11:00
             T("P-3", "sam", 8, date(2026, 3, 6), depends_on=("P-1",)),  # Sam: Wed 11:00 → Thu 11:00
             T("P-2", "pat", 15, date(2026, 3, 6), depends_on=("P-3",))]  # Pat again: Thu 11:00 → Mon 10:00
    fc = run(tasks)
    assert fc is not None and fc.short == 0.0
    (wait,) = fc.late
    assert wait.ends == datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    assert wait.chain == (("P-3", "sam", True), ("P-1", "pat", True))
    assert forecast_text(fc, NAMES).endswith(
        "P-2 (Pat) can end Mon 09 Mar at the earliest: it waits for P-3 (Sam), which waits for P-1")


def test_waiting_for_another_project_s_task_starts_at_its_due_time_and_cycles_end():
    tasks = [T("Q-9", "pat", 4, date(2026, 3, 9)),  # another project's, due Monday after the target
             T("P-3", "sam", 4, date(2026, 3, 6), depends_on=("Q-9",))]
    fc = run(tasks)
    assert fc is not None and [(w.task, w.ends, w.chain) for w in fc.late] == [
        ("P-3", datetime(2026, 3, 10, 13, 0, tzinfo=UTC), (("Q-9", "pat", True),))]
    assert "it waits for Q-9 (Pat)" in forecast_text(fc, NAMES)
    looped = [T("P-1", "pat", 4, depends_on=("P-3",)), T("P-3", "sam", 4, depends_on=("P-1",))]
    fc = run(looped)  # a cycle: broken at its most urgent task, never looped
    assert fc is not None and fc.fits


def test_hours_short_and_late_in_order_are_both_said():
    tasks = [T("P-1", "pat", 40, date(2026, 3, 5)),  # Pat: 40h of 38h
             T("P-3", "sam", 4, date(2026, 3, 6), depends_on=("P-1",))]  # waits for what cannot end in time
    fc = run(tasks)
    assert fc is not None and fc.short == 2.0 and [w.task for w in fc.late] == ["P-3"]
    text = forecast_text(fc, NAMES)
    assert text.startswith("2h short before Fri 06 Mar: Pat needs 40h, has 38h free")
    assert "; in work order too: P-3 (Sam) can end Mon 09 Mar at the earliest: it waits for P-1 (Pat)" in text


def test_another_project_s_task_is_due_in_its_assignees_zone():
    # Kai's Q-9 is due Thursday in Tokyo, i.e. by 15:00 UTC: Sam's 9h of P-3 start then
    # (2h Thursday, 7h Friday) and end before Friday's end. Read in Sam's UTC, Q-9 would be
    # due at Thursday's end, leaving Friday's 8h for 9h of work.
    kai = Person("kai", "Kai Mori", "kai@example.com", "Asia/Tokyo", "09:00", "17:00")
    tasks = [T("Q-9", "kai", 2, date(2026, 3, 5)), T("P-3", "sam", 9, date(2026, 3, 6), depends_on=("Q-9",))]
    fc = run(tasks, people=(PAT, SAM, OWNER, kai))
    assert fc is not None and fc.late == () and fc.fits
    fc = run(tasks, people=(PAT, SAM, OWNER, kai._replace(timezone="UTC")))
    assert fc is not None and [(w.task, w.ends) for w in fc.late] == [("P-3", datetime(2026, 3, 9, 10, 0, tzinfo=UTC))]
