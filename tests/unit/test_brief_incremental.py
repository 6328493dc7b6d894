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
