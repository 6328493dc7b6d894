"""After triage actions the brief reuses what did not move; it must equal a brief from nothing."""

from __future__ import annotations

import random
from datetime import timedelta

from benchmarks.generate import fill
from tests.conftest import NOW, TODAY, TZ
from tpm_tui.logic import risk as risk_module
from tpm_tui.logic.render import brief_to_json
from tpm_tui.services import brief as brief_service
from tpm_tui.services import triage
from tpm_tui.storage import Store


def _from_nothing(store: Store, day=TODAY) -> dict:
    """The brief with every cache and memo emptied (then put back: the next step goes on
    from the incremental state, so chains of incremental updates are checked)."""
    caches = (brief_service._caches, brief_service._meeting_caches, brief_service._assessments,
              brief_service._loads)
    saved = [cache.pop(store, None) for cache in caches]
    facts = dict(risk_module._FACTS)
    risk_module._FACTS.clear()
    fresh = brief_to_json(brief_service.daily_brief(store, day, TZ, NOW), store.people())
    for cache, entry in zip(caches, saved):
        if entry is not None:
            cache[store] = entry
    risk_module._FACTS.update(facts)
    return fresh


def test_brief_after_each_triage_action_equals_a_fresh_one() -> None:
    store = Store.in_memory()
    fill(store, tasks=300, people=12, meetings=80, seed=3, tz=TZ)
    rng = random.Random(5)
    handles = [p.handle for p in store.people()]
    brief_service.daily_brief(store, TODAY, TZ, NOW)
    reused = 0
    for step in range(40):
        open_ids = [t.id for t in store.tasks() if t.is_open and t.assignee and t.remaining_hours]
        task_id = rng.choice(open_ids)
        kind = step % 6
        if kind == 0:
            triage.mark_done(store, task_id, NOW)
        elif kind == 1:
            triage.snooze(store, task_id, TODAY + timedelta(days=2), NOW)
        elif kind == 2:
            triage.shift_due(store, task_id, rng.choice((-1, 1)), NOW)
        elif kind == 3:
            triage.reassign(store, task_id, rng.choice(handles), NOW)
        elif kind == 4:
            triage.cycle_priority(store, task_id, NOW)
        else:
            triage.undo(store, NOW)
        day = TODAY + timedelta(days=7 * (step % 10 == 9))  # now and then the next week's workload
        incremental = brief_to_json(brief_service.daily_brief(store, day, TZ, NOW), store.people())
        previous = brief_service._assessments[store][1]
        reused += previous.moved is not None
        assert incremental == _from_nothing(store, day), f"step {step} ({kind})"
    assert reused >= 30  # the incremental path really ran


def test_with_lag_a_triage_action_in_a_new_minute_is_rescored_as_of_the_last_pass(monkeypatch) -> None:  # noqa: ANN001
    """``lag``: an action a minute (or a few) after the last risk pass is re-scored
    incrementally as of that pass's moment — equal to a brief from nothing at that moment —
    and says so in ``now``; without lag (or beyond it, or on another day) it is a full pass."""
    store = Store.in_memory()
    fill(store, tasks=300, people=12, meetings=80, seed=3, tz=TZ)
    full_passes = []
    real_assess = brief_service.assess
    monkeypatch.setattr(brief_service, "assess", lambda *a, **k: full_passes.append(1) or real_assess(*a, **k))
    first = brief_service.daily_brief(store, TODAY, TZ, NOW)
    assert first.now == NOW and len(full_passes) == 1
    task_id = next(t.id for t in store.tasks() if t.is_open and t.assignee and t.remaining_hours)
    triage.shift_due(store, task_id, 1, NOW)

    later = NOW + timedelta(minutes=3, seconds=20)
    lagged = brief_service.daily_brief(store, TODAY, TZ, later, lag=timedelta(minutes=10))
    assert lagged.now == NOW and len(full_passes) == 1  # re-scored, not a new full pass
    assert brief_service._assessments[store][1].moved is not None
    assert brief_to_json(lagged, store.people()) == _from_nothing(store)  # (a full pass of its own)
    del full_passes[:]

    fresh = brief_service.daily_brief(store, TODAY, TZ, later)  # no lag: as of now
    assert fresh.now == later and len(full_passes) == 1

    triage.cycle_priority(store, task_id, later)
    too_late = later + timedelta(minutes=11)
    assert brief_service.daily_brief(store, TODAY, TZ, too_late, lag=timedelta(minutes=10)).now == too_late
    assert len(full_passes) == 2
    # never across the local date: a pass of yesterday evening does not stand in for this morning
    evening = NOW.replace(hour=23, minute=58)
    brief_service.daily_brief(store, TODAY, TZ, evening)
    after_midnight = evening + timedelta(minutes=4)
    assert brief_service.daily_brief(store, TODAY, TZ, after_midnight, lag=timedelta(minutes=10)).now == after_midnight
