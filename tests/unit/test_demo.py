"""The demo dataset: what issue 2 promises it contains, on a weekday and at a weekend."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tpm_tui import demo
from tpm_tui.domain import TaskStatus
from tpm_tui.services.brief import daily_brief
from tpm_tui.storage import Store
from tests.conftest import NOW, TODAY, TZ


def test_demo_has_the_promised_shape(demo_store: Store) -> None:
    people = demo_store.people()
    assert len(people) == 8
    assert len({p.timezone for p in people}) >= 4
    assert {"America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney"} <= {p.timezone for p in people}
    assert sum(1 for p in people if p.days_off) == 1
    assert len(demo_store.projects()) == 3
    tasks = demo_store.tasks()
    assert 35 <= len(tasks) <= 45
    statuses = {t.status for t in tasks}
    assert {TaskStatus.DONE, TaskStatus.BLOCKED, TaskStatus.DOING, TaskStatus.TODO} <= statuses
    assert any(t.due and t.due < TODAY and t.status is not TaskStatus.DONE for t in tasks)  # overdue
    assert any(t.updated_at and (NOW - t.updated_at).days >= 9 for t in tasks)  # stale
    assert demo_store.settings().me == "sam"


def test_demo_brief_shows_every_kind_of_reason_and_an_overload(demo_store: Store) -> None:
    brief = daily_brief(demo_store, TODAY, TZ, NOW)
    reasons = " | ".join(r for item in brief.at_risk for r in item.reasons)
    for words in ("overdue by", "free before", "blocked by", "dependency cycle", "no update for",
                  "of its window gone", "unassigned, due in", "due in", "blocked:"):
        assert words in reasons, words
    assert {item.level.value for item in brief.at_risk} == {"late", "at_risk", "watch"}
    assert any(load.overloaded for load in brief.workload)
    standup = [m for m in brief.meetings if m.summary == "Daily stand-up"]
    assert standup and {"priya", "marcus"} <= set(standup[0].odd_hours_for)
    assert any(view.conflicts_with for view in brief.meetings)  # two overlapping meetings
    assert any("TRAINING" in view.occurrence.meeting.categories for view in brief.meetings)
    assert any(block.odd_hours for block in brief.plan.blocks)


@pytest.mark.parametrize("weekend", [date(2026, 12, 5), date(2026, 12, 6)])
def test_at_a_weekend_the_demo_fills_the_next_monday(weekend: date) -> None:
    store = Store.in_memory()
    now = datetime.combine(weekend, time(10, 0), tzinfo=ZoneInfo(TZ))
    demo.seed(store, weekend, now)
    monday = weekend + timedelta(days=7 - weekend.weekday())
    assert monday.weekday() == 0
    brief = daily_brief(store, monday, TZ, now)
    summaries = {m.summary for m in brief.meetings}
    assert {"Daily stand-up", "Sprint planning — Payments API", "Vendor call: card processor"} <= summaries
    saturday_brief = daily_brief(store, weekend, TZ, now)
    assert "Sprint planning — Payments API" not in {m.summary for m in saturday_brief.meetings}


def test_demo_is_deterministic() -> None:
    a, b = Store.in_memory(), Store.in_memory()
    demo.seed(a, TODAY, NOW)
    demo.seed(b, TODAY, NOW)
    assert a.tasks() == b.tasks() and a.meetings() == b.meetings() and a.people() == b.people()
