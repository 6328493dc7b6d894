"""services.brief.daily_brief and services.plan on an in-memory store."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import Attendee, InputError, Meeting, NotFoundError, Person, Settings, Task
from tpm_tui.logic.render import brief_to_json
from tpm_tui.services.brief import daily_brief
from tpm_tui.services.plan import make_plan
from tpm_tui.storage import Store

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 1, 15, 8, 0, tzinfo=NY)  # Thursday
DAY = date(2026, 1, 15)


@pytest.fixture
def team() -> Store:
    s = Store.in_memory()
    with s.transaction():
        s.put_person(Person("nina", "Nina Park", "nina@example.com", "America/New_York", "09:00", "17:30"))
        s.put_person(Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata", "09:00", "17:30"))
        s.put_person(Person("idle", "Ida Le", "ida@example.com", "Europe/London"))
        s.put_settings(Settings(me="nina", timezone="America/New_York"))
        s.put_tasks(
            [
                Task("API-1", "API", "Ship it", assignee="nina", due=date(2026, 1, 13), remaining_hours=2, created_at=NOW, updated_at=NOW),
                Task("API-2", "API", "Urgent fix", assignee="nina", due=date(2026, 1, 16), remaining_hours=3,
                     time_sensitive=True, created_at=NOW, updated_at=NOW),
                Task("API-3", "API", "Later", assignee="priya", due=date(2026, 3, 1), remaining_hours=4, created_at=NOW, updated_at=NOW),
            ]
        )  # fmt: skip
        s.put_meetings(
            [
                Meeting(
                    uid="review",
                    start=datetime(2026, 1, 15, 17, 0, tzinfo=NY),
                    end=datetime(2026, 1, 15, 17, 30, tzinfo=NY),
                    summary="Design review",
                    attendees=(Attendee("nina@example.com", partstat="ACCEPTED"), Attendee("priya@example.com", partstat="ACCEPTED")),
                ),
                Meeting(uid="other-day", start=datetime(2026, 1, 16, 10, 0, tzinfo=NY), end=datetime(2026, 1, 16, 11, 0, tzinfo=NY)),
            ]
        )
    return s


def test_daily_brief_puts_it_all_together(team: Store):
    brief = daily_brief(team, DAY, "America/New_York", NOW)
    assert [v.occurrence.uid for v in brief.meetings] == ["review"]
    assert brief.meetings[0].odd_hours_for == ("priya",)  # 03:30 Fri in Kolkata
    assert [(i.task.id, i.level.value, i.reasons) for i in brief.at_risk] == [
        ("API-1", "late", ("overdue by 2 days",)),
        ("API-2", "watch", ("due in 1 day",)),
    ]
    assert {w.person.handle for w in brief.workload} == {"nina", "priya", "idle"}
    nina = next(w for w in brief.workload if w.person.handle == "nina")
    # API-1 overdue: 2h today; API-2: 3h over Thu+Fri, both in this week; review 0.5h + Fri meeting 1h (me attends all)
    assert (nina.capacity_hours, nina.task_hours, nina.meeting_hours) == (42.5, 5.0, 1.5)
    assert brief.plan.person == "nina"
    blocks = [(b.task_id, b.start.strftime("%a %H:%M"), b.end.strftime("%H:%M"), b.odd_hours) for b in brief.plan.blocks]
    # 2h + 1h make a 3h run; the rest of API-2 after a 15-min break
    assert blocks == [("API-1", "Thu 09:00", "11:00", False), ("API-2", "Thu 11:00", "12:00", False),
                      ("API-2", "Thu 12:15", "14:15", False)]
    doc = brief_to_json(brief, team.people())
    assert doc["date"] == "2026-01-15" and doc["meetings"][0]["start"] == "2026-01-15T17:00:00-05:00"


def test_brief_is_cached_until_the_store_changes(team: Store):
    first = daily_brief(team, DAY, "America/New_York", NOW)
    second = daily_brief(team, DAY, "America/New_York", NOW)
    assert second.at_risk[0] is first.at_risk[0]  # the same objects: served from the cache
    assert second.plan is first.plan
    team.put_task(Task("API-4", "API", "New", due=date(2026, 1, 10), created_at=NOW, updated_at=NOW))
    again = daily_brief(team, DAY, "America/New_York", NOW)
    assert "API-4" in [i.task.id for i in again.at_risk]  # the change is seen at once
    assert again.at_risk is not first.at_risk
    # only what the new (unassigned) task can move was assessed again: API-1 is reused
    api1 = next(i for i in again.at_risk if i.task.id == "API-1")
    assert api1 is next(i for i in first.at_risk if i.task.id == "API-1")


def test_no_me_means_an_empty_plan(team: Store):
    team.put_settings(Settings(me=None))
    brief = daily_brief(team, DAY, "America/New_York", NOW)
    assert brief.plan.person is None and brief.plan.blocks == ()


def test_make_plan_for_someone_and_errors(team: Store):
    plan = make_plan(team, days=3, handle="nina", now=NOW, tz="America/New_York")
    assert [b.task_id for b in plan.blocks] == ["API-1", "API-2", "API-2"]
    assert make_plan(team, days=3, handle=None, now=NOW, tz="America/New_York") == plan
    with pytest.raises(NotFoundError):
        make_plan(team, days=3, handle="ghost", now=NOW, tz="America/New_York")
    team.put_settings(Settings(me=None))
    with pytest.raises(InputError):
        make_plan(team, days=3, handle=None, now=NOW, tz="America/New_York")


def test_workload_counts_this_weeks_past_meetings_and_other_weeks(team: Store):
    monday = Meeting(uid="mon", start=datetime(2026, 1, 12, 10, 0, tzinfo=NY), end=datetime(2026, 1, 12, 12, 0, tzinfo=NY),
                     attendees=(Attendee("priya@example.com", partstat="ACCEPTED"),))  # fmt: skip
    later = Meeting(uid="feb", start=datetime(2026, 2, 24, 10, 0, tzinfo=NY), end=datetime(2026, 2, 24, 13, 0, tzinfo=NY),
                    attendees=(Attendee("priya@example.com", partstat="ACCEPTED"),))  # fmt: skip
    team.put_meetings([monday, later])
    loads = {w.person.handle: w for w in daily_brief(team, DAY, "America/New_York", NOW).workload}
    assert loads["priya"].meeting_hours == 2.5  # Monday (already past) 2h + Thursday's review 0.5h
    far = {w.person.handle: w for w in daily_brief(team, date(2026, 2, 25), "America/New_York", NOW).workload}
    assert far["priya"].meeting_hours == 3.0  # a week beyond the 28-day horizon is expanded on its own
    assert far["priya"].task_hours == 0.625  # API-3 (due Sun 1 Mar): 4h over 32 working days, 5 of them that week
