"""Focus-block planner: hand-worked plans, then a hypothesis property test."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person, RiskLevel, Settings, Task, TaskStatus
from tpm_tui.logic.freetime import busy_intervals, working_intervals
from tpm_tui.logic.plan import allowed_intervals, plan, planning_window
from tpm_tui.logic.results import RiskItem, Shortfall
from tpm_tui.logic.timeutil import due_instant

NOW = datetime(2026, 3, 4, 8, 50, tzinfo=UTC)  # Wednesday, ten to nine
PAT = Person("pat", "Pat Doe", "pat@example.com", "UTC", "09:00", "17:00")
SETTINGS = Settings(me="pat")
MEET = Attendee("pat@example.com", partstat="ACCEPTED")


def U(d: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, 3, d, h, mi, tzinfo=UTC)


def task(id: str = "T-1", hours: float = 4, due=date(2026, 3, 5), **kw) -> Task:
    kw.setdefault("assignee", "pat")
    kw.setdefault("time_sensitive", True)
    return Task(id, "T", f"Task {id}", due=due, remaining_hours=hours, **kw)


def meeting(start: datetime, end: datetime, uid: str = "m") -> Occurrence:
    return Occurrence(Meeting(uid=uid, start=start, end=end, attendees=(MEET,)), start, end)


def spans(p):
    return [(b.task_id, f"{b.start:%a %H:%M}", f"{b.end:%H:%M}", b.odd_hours) for b in p.blocks]


def test_working_hours_around_a_meeting():
    p = plan(PAT, [task()], [], [meeting(U(4, 10), U(4, 11))], NOW, 2, SETTINGS)
    assert spans(p) == [("T-1", "Wed 09:00", "10:00", False), ("T-1", "Wed 11:00", "14:00", False)]
    assert p.shortfalls == () and p.person == "pat"


def test_odd_hours_when_working_hours_do_not_suffice():
    p = plan(PAT, [task(hours=20)], [], [meeting(U(4, 10), U(4, 11))], NOW, 2, SETTINGS)
    # worked by hand: working hours first (09-17, a 15-min break after each 3 h run), then
    # the odd-hours window 07-21; a run never passes 3 h, across working and odd hours too
    assert spans(p) == [
        ("T-1", "Wed 09:00", "10:00", False),
        ("T-1", "Wed 11:00", "14:00", False),
        ("T-1", "Wed 14:15", "17:00", False),  # 165 min: the working day ends
        ("T-1", "Wed 17:15", "20:15", True),  # after 14:15-17:00 a break, then odd hours
        ("T-1", "Wed 20:30", "21:00", True),
        ("T-1", "Thu 07:00", "08:45", True),  # 135 min were left: 105 + 30, no 15-min remainder
        ("T-1", "Thu 09:00", "12:00", False),
        ("T-1", "Thu 12:15", "15:15", False),
        ("T-1", "Thu 15:30", "17:00", False),
        ("T-1", "Thu 17:00", "17:30", True),  # 90 + 30 min: a run of 2 h
    ]
    assert p.shortfalls == ()


def test_a_break_after_three_hours_of_focus():
    p = plan(PAT, [task(hours=3.5)], [], [], NOW, 1, SETTINGS)
    assert spans(p) == [("T-1", "Wed 09:00", "12:00", False), ("T-1", "Wed 12:15", "12:45", False)]
    # of several tasks too: the second one waits for the break
    p = plan(PAT, [task("T-1", 2, date(2026, 3, 4)), task("T-2", 2)], [], [], NOW, 1, SETTINGS)
    assert spans(p) == [("T-1", "Wed 09:00", "11:00", False), ("T-2", "Wed 11:00", "12:00", False),
                        ("T-2", "Wed 12:15", "13:15", False)]
    # a meeting of 15 min or more is a break of its own
    p = plan(PAT, [task(hours=5)], [], [meeting(U(4, 12), U(4, 12, 30))], NOW, 1, SETTINGS)
    assert spans(p) == [("T-1", "Wed 09:00", "12:00", False), ("T-1", "Wed 12:30", "14:30", False)]


def test_an_odd_hours_block_keeps_a_break_before_the_working_run_after_it():
    # 9.5h due at the end of Wednesday, from 06:40: working hours take 7.5h; of the 2h left,
    # the odd-hours piece 07:00-09:00 before the full run 09:00-12:00 must end a break before
    # it (105 min, cut to 90 so no 15 min are left), and the last 30 min follow 15:30-17:00
    early = datetime(2026, 3, 4, 6, 40, tzinfo=UTC)
    p = plan(PAT, [task(hours=9.5, due=date(2026, 3, 4))], [], [], early, 1, SETTINGS)
    assert spans(p) == [("T-1", "Wed 07:00", "08:30", True), ("T-1", "Wed 09:00", "12:00", False),
                        ("T-1", "Wed 12:15", "15:15", False), ("T-1", "Wed 15:30", "17:00", False),
                        ("T-1", "Wed 17:00", "17:30", True)]
    assert p.shortfalls == ()


def test_shortfall_reported_with_the_due_date():
    p = plan(PAT, [task(hours=40)], [], [meeting(U(4, 10), U(4, 11))], NOW, 2, SETTINGS)
    placed = sum((b.end - b.start).total_seconds() for b in p.blocks) / 3600
    # 14.25h working (breaks after each 3h run) + odd hours Wed 17:15-20:15, 20:30-21:00,
    # Thu 07:00-08:45 (a break before the 09:00 run), 17:00-18:30 (the run from 15:30), 18:45-21:00
    assert placed == 23.25
    assert p.shortfalls == (Shortfall("T-1", 16.75, date(2026, 3, 5)),)
    assert p.shortfalls[0].label() == "T-1: 16.75h short before Thu 05 Mar"


def test_shortfall_label_names_a_due_time_in_the_viewers_zone():
    due = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    sf = Shortfall("DATA-6", 4.5, due)
    assert sf.label() == "DATA-6: 4.5h short before Tue 01 Dec 09:00"
    assert sf.label(ZoneInfo("Europe/Berlin")) == "DATA-6: 4.5h short before Tue 01 Dec 10:00"
    assert sf.label(ZoneInfo("Asia/Tokyo")) == "DATA-6: 4.5h short before Tue 01 Dec 18:00"
    floating = Shortfall("DATA-6", 1.0, datetime(2026, 12, 1, 9, 0))  # shown as written
    assert floating.label(ZoneInfo("Asia/Tokyo")) == "DATA-6: 1h short before Tue 01 Dec 09:00"


def test_never_overnight_window_means_no_odd_blocks():
    overnight = Settings(me="pat", plan_window_start="22:00", plan_window_end="06:00")
    p = plan(PAT, [task(hours=20)], [], [], NOW, 2, overnight)
    assert all(not b.odd_hours for b in p.blocks)
    # 7.5h a day: 09:00-12:00, 12:15-15:15, 15:30-17:00
    assert p.shortfalls == (Shortfall("T-1", 5.0, date(2026, 3, 5)),)


def test_most_urgent_first():
    tasks = [task("T-1", 4, date(2026, 3, 5)), task("T-2", 3, date(2026, 3, 4))]
    p = plan(PAT, tasks, [], [meeting(U(4, 10), U(4, 11))], NOW, 2, SETTINGS)
    assert spans(p) == [
        ("T-2", "Wed 09:00", "10:00", False),
        ("T-2", "Wed 11:00", "13:00", False),
        ("T-1", "Wed 13:00", "14:00", False),  # the run from 11:00 reaches 3 h
        ("T-1", "Wed 14:15", "16:45", False),  # 165 min would leave 15: 150, and 30 tomorrow
        ("T-1", "Thu 09:00", "09:30", False),
    ]


def test_no_remainder_under_thirty_minutes():
    p = plan(PAT, [task(hours=10 / 3)], [], [], NOW, 1, SETTINGS)  # 200 minutes: 170 + a break + 30
    assert spans(p) == [("T-1", "Wed 09:00", "11:50", False), ("T-1", "Wed 12:05", "12:35", False)]


def test_which_tasks_are_planned():
    tasks = [
        task("TS", 1, time_sensitive=True),
        task("AR", 1, time_sensitive=False),
        task("LATE", 1, due=date(2026, 3, 2), time_sensitive=False),
        task("WATCH", 1, time_sensitive=False),
        task("PLAIN", 1, time_sensitive=False),
        task("SNOOZED", 1, snoozed_until=date(2026, 3, 6)),
        task("DONE", 1, status=TaskStatus.DONE),
        task("OTHER", 1, assignee="someone"),
        task("NOHOURS", 0),
    ]
    risk = [
        RiskItem(tasks[1], 210.0, RiskLevel.AT_RISK, ("x",)),
        RiskItem(tasks[2], 310.0, RiskLevel.LATE, ("overdue by 2 days",)),
        RiskItem(tasks[3], 110.0, RiskLevel.WATCH, ("due in 1 day",)),
    ]
    p = plan(PAT, tasks, risk, [], NOW, 2, SETTINGS)
    # LATE is overdue: planned first, as soon as possible; then by due date and score
    assert [b.task_id for b in p.blocks] == ["LATE", "AR", "TS"]


def test_overdue_work_that_does_not_fit_is_short_and_far_work_is_not():
    tasks = [task("LATE", 12, due=date(2026, 3, 2)), task("FAR", 30, due=date(2026, 3, 20))]
    p = plan(PAT, tasks, [], [], NOW, 1, SETTINGS)  # the rest of Wednesday only
    hours = {tid: sum((b.end - b.start).total_seconds() for b in p.blocks if b.task_id == tid) / 3600 for tid in ("LATE", "FAR")}
    # LATE: 7.5h working (two breaks) + 07:00-09:00 is gone, 17:00-18:30 and 18:45-21:00 odd
    # = 11.25h; FAR gets nothing left and no odd hours
    assert hours == {"LATE": 11.25, "FAR": 0.0}
    assert p.shortfalls == (Shortfall("LATE", 0.75, date(2026, 3, 2)),)
    p = plan(PAT, [task("FAR", 30, due=date(2026, 3, 20))], [], [], NOW, 1, SETTINGS)
    assert sum((b.end - b.start).total_seconds() for b in p.blocks) / 3600 == 7.5
    assert all(not b.odd_hours for b in p.blocks) and p.shortfalls == ()


def test_blocks_are_in_the_persons_zone_and_focus_blocks_do_not_block():
    ist = ZoneInfo("Asia/Kolkata")
    priya = Person("priya", "Priya", "priya@example.com", "Asia/Kolkata", "09:00", "17:30")
    focus = Occurrence(Meeting(uid="tpm-focus-T-1-1@tpm", start=U(4, 3, 30), end=U(4, 6, 30)), U(4, 3, 30), U(4, 6, 30))
    p = plan(priya, [task(assignee="priya", hours=2)], [], [focus], datetime(2026, 3, 4, 3, 0, tzinfo=UTC), 1, Settings(me="priya"))
    assert [(b.start, b.end) for b in p.blocks] == [(datetime(2026, 3, 4, 9, 0, tzinfo=ist), datetime(2026, 3, 4, 11, 0, tzinfo=ist))]
    assert p.blocks[0].start.utcoffset() == timedelta(hours=5, minutes=30)


# ------------------------------------------------------------------ property

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata"]
HOURS = [("09:00", "17:30"), ("08:00", "16:00"), ("10:00", "18:00"), ("06:00", "14:00")]
WINDOWS = [("07:00", "21:00"), ("06:00", "22:00"), ("08:00", "20:00"), ("21:00", "07:00")]


@st.composite
def scenarios(draw):
    tzname = draw(st.sampled_from(ZONES))
    ws, we = draw(st.sampled_from(HOURS))
    # mid-March to early April 2026: US, EU and Sydney all change clocks in this span
    now = datetime(2026, 3, 5, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 40 * 24 * 60)))
    tz = ZoneInfo(tzname)
    # none, or one or two days off within the plan's days (leave: never planned, not even at odd hours)
    today = now.astimezone(tz).date()
    off = draw(st.lists(st.integers(0, 6), max_size=2, unique=True))
    person = Person("p", "P", "p@example.com", tzname, ws, we, days_off=tuple(today + timedelta(days=d) for d in off))
    local_midnight = datetime.combine(now.astimezone(tz).date(), time(0), tzinfo=tz)
    occs = []
    for i in range(draw(st.integers(0, 12))):
        day = draw(st.integers(0, 6))
        start = datetime.combine(local_midnight.date() + timedelta(days=day), time(0), tzinfo=tz) + timedelta(minutes=draw(st.integers(0, 1439)))
        end = start + timedelta(minutes=draw(st.integers(15, 300)))
        partstat = draw(st.sampled_from(["ACCEPTED", "ACCEPTED", "DECLINED"]))
        m = Meeting(uid=f"m{i}", start=start, end=end, attendees=(Attendee("p@example.com", partstat=partstat),))
        occs.append(Occurrence(m, start, end))
    tasks = []
    for i in range(draw(st.integers(1, 6))):
        due_kind = draw(st.sampled_from(["date", "datetime", "none"]))
        offset = draw(st.integers(-24 * 60, 8 * 24 * 60))
        if due_kind == "date":
            due = (now + timedelta(minutes=offset)).astimezone(tz).date()
        elif due_kind == "datetime":
            due = now + timedelta(minutes=offset)
        else:
            due = None
        hours = draw(st.integers(1, 60)) / 2
        waits = tuple(f"T-{j}" for j in draw(st.lists(st.integers(0, i - 1), max_size=1))) if i else ()
        tasks.append(Task(f"T-{i}", "T", "t", assignee="p", due=due, remaining_hours=hours, time_sensitive=True,
                          priority=draw(st.sampled_from(["low", "normal", "high", "critical"])), depends_on=waits))  # fmt: skip
    window = draw(st.sampled_from(WINDOWS))
    days = draw(st.integers(1, 6))
    return person, tasks, occs, now, days, Settings(me="p", plan_window_start=window[0], plan_window_end=window[1])


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_plan_properties(scenario):
    person, tasks, occs, now, days, cfg = scenario
    result = plan(person, tasks, [], occs, now, days, cfg)
    start, end = planning_window(person, now, days)
    busy = busy_intervals(person, occs, is_me=True)
    work = working_intervals(person, start - timedelta(days=1), end + timedelta(days=1))
    allowed = allowed_intervals(person, start - timedelta(days=1), end + timedelta(days=1), cfg)
    blocks = sorted(result.blocks, key=lambda b: b.start.astimezone(UTC))
    tz = ZoneInfo(person.timezone)
    run = 0.0
    for a, b in zip(blocks, blocks[1:], strict=False):
        assert a.end.astimezone(UTC) <= b.start.astimezone(UTC), "blocks overlap"
    for i, b in enumerate(blocks):
        touching = i > 0 and b.start - blocks[i - 1].end < timedelta(minutes=15)
        run = (run if touching else 0.0) + (b.end - b.start).total_seconds() / 60
        assert run <= 180, "more than 3 h of focus without a 15-min break"
    for b in blocks:
        s, e = b.start.astimezone(UTC), b.end.astimezone(UTC)
        assert 30 <= (e - s).total_seconds() / 60 <= 180
        assert s >= now and e <= end
        assert not any(bs < e and s < be for bs, be in busy), "block over a meeting"
        local_days = {b.start.astimezone(tz).date(), (b.end - timedelta(microseconds=1)).astimezone(tz).date()}
        assert not local_days & set(person.days_off), "block on a day off"
        pool = allowed if b.odd_hours else work
        assert any(ps <= s and e <= pe for ps, pe in pool), "block outside the allowed window"
        if not b.odd_hours:
            assert any(ps <= s and e <= pe for ps, pe in work)
        else:
            assert not any(ps < e and s < pe for ps, pe in work), "odd block inside working hours"
        t = next(t for t in tasks if t.id == b.task_id)
        if t.due is not None:
            due = due_instant(t.due, tz).astimezone(UTC)
            if due > now:
                assert e <= due, "block after the due date"
        for dep in (d for d in tasks if d.id in t.depends_on and d.due is not None):
            waits_until = due_instant(dep.due, tz).astimezone(UTC)
            assert waits_until <= now or s >= waits_until, "block before what it waits for is due"
    short = {sf.task_id: sf.hours_short for sf in result.shortfalls}
    for t in tasks:
        placed = sum((b.end - b.start).total_seconds() for b in blocks if b.task_id == t.id) / 3600
        due = due_instant(t.due, tz).astimezone(UTC) if t.due is not None else None
        if due is not None and due <= end:
            assert placed + short.get(t.id, 0.0) == pytest.approx(t.remaining_hours, abs=0.005)  # short is rounded to 0.01h
        else:
            assert t.id not in short and placed <= t.remaining_hours + 1e-9


def test_work_that_waits_is_planned_from_when_what_it_waits_for_is_due():
    waiting = task(hours=6, due=date(2026, 3, 6), depends_on=("T-2",))
    other = task("T-3", hours=2, due=date(2026, 3, 6))
    dep = task("T-2", due=date(2026, 3, 5), assignee="sam")  # Sam's, due Thursday (the end of it)
    p = plan(PAT, [waiting, other, dep], [], [], NOW, 3, SETTINGS)
    # T-1 from Friday on; T-3, due the same day but after it in order, takes Wednesday meanwhile
    assert spans(p) == [("T-3", "Wed 09:00", "11:00", False),
                        ("T-1", "Fri 09:00", "12:00", False), ("T-1", "Fri 12:15", "15:15", False)]
    # what it waits for done: nothing holds it back
    p = plan(PAT, [waiting, dep._replace(status=TaskStatus.DONE)], [], [], NOW, 3, SETTINGS)
    assert spans(p)[0] == ("T-1", "Wed 09:00", "12:00", False)
    # due when the task is due: no time is left for it, all of it is short
    p = plan(PAT, [waiting, dep._replace(due=date(2026, 3, 6))], [], [], NOW, 3, SETTINGS)
    (short,) = p.shortfalls
    assert p.blocks == () and short == Shortfall("T-1", 6.0, date(2026, 3, 6), "T-2", date(2026, 3, 6))
    assert short.label(UTC) == "T-1: 6h short before Fri 06 Mar (waits for T-2, due Fri 06 Mar)"


def test_what_it_waits_for_is_due_in_its_assignees_zone():
    # Priya's T-2 is due Thursday in Kolkata: the end of her Thursday is 18:30 in Pat's UTC,
    # so Pat's 10h may start in Thursday evening's odd hours, not only from Friday on.
    priya = Person("priya", "Priya Nair", "priya@example.com", "Asia/Kolkata", "09:00", "17:00")
    waiting = task(hours=10, due=date(2026, 3, 6), depends_on=("T-2",))
    dep = task("T-2", due=date(2026, 3, 5), assignee="priya")
    p = plan(PAT, [waiting, dep], [], [], NOW, 3, SETTINGS, people=[PAT, priya])
    first = min(p.blocks, key=lambda b: b.start)
    assert (f"{first.start:%a %H:%M}", first.odd_hours) == ("Thu 18:30", True)
    assert all(b.start >= U(5, 18, 30) for b in p.blocks) and p.shortfalls == ()
    # an assignee nobody knows: the settings zone (else now's), as the risk rules read it
    p = plan(PAT, [waiting, dep._replace(assignee="kim")], [], [], NOW, 3,
             Settings(me="pat", timezone="Asia/Kolkata"), people=[PAT])
    assert min(b.start for b in p.blocks) == U(5, 18, 30)
    p = plan(PAT, [waiting, dep._replace(assignee="kim")], [], [], NOW, 3, SETTINGS, people=[PAT])
    assert min(b.start for b in p.blocks) >= U(6, 0)
