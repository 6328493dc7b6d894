"""``tpm person show`` computes one person's week alone (``services.brief.person_week``):
it must say exactly what the whole brief says about them."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from benchmarks.generate import NOW, TODAY, fill
from tpm_tui.services.brief import daily_brief, odd_hours_week, person_week
from tpm_tui.storage import Store

TZ = "Europe/Berlin"


@pytest.fixture(scope="module")
def store() -> Store:
    """A seeded team with dependencies that cross people, chains and a cycle."""
    s = Store.in_memory()
    fill(s, tasks=400, people=12, meetings=300, seed=5, tz=TZ)
    rng = random.Random(3)
    tasks = [t for t in s.tasks() if t.is_open]
    changed = []
    for t in rng.sample(tasks, 60):  # depend on another person's task
        other = rng.choice(tasks)
        if other.id != t.id:
            changed.append(t._replace(depends_on=(*t.depends_on, other.id)))
    a, b, c = rng.sample(tasks, 3)
    changed += [a._replace(depends_on=(b.id,)), b._replace(depends_on=(c.id,)), c._replace(depends_on=(a.id,))]
    s.put_tasks(changed)
    return s


@pytest.mark.parametrize("weeks_ahead", [0, 1, -2, 6])
def test_one_persons_week_is_what_the_whole_brief_says_of_them(store: Store, weeks_ahead: int) -> None:
    day = TODAY + timedelta(weeks=weeks_ahead)
    brief = daily_brief(store, day, TZ, NOW)
    week = day - timedelta(days=day.weekday())
    cycles = shown = 0
    for p in store.people():
        load, risks, odd = person_week(store, p.handle, day, TZ, NOW)
        assert load == next(w for w in brief.workload if w.person.handle == p.handle)
        assert risks == [r for r in brief.at_risk if r.task.assignee == p.handle]
        # the same meetings at the same local times (the views leave out conflicts between
        # meetings of "me", which the one-person week does not look at)
        whole = odd_hours_week(store, p.handle, week, TZ)
        assert [(v.occurrence, v.start, v.end, lt) for v, lt in odd] == [(v.occurrence, v.start, v.end, lt) for v, lt in whole]
        shown += len(odd)
        cycles += sum(1 for r in risks for text in r.reasons if text.startswith("dependency cycle"))
    assert shown > 0
    assert cycles >= 1  # the cycle was seen from one person's view alone
    assert any(r.reasons for r in brief.at_risk if any("blocked by" in x for x in r.reasons))
