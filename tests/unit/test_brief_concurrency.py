"""The brief's cache when a write lands while the brief is being computed (the TUI's writer thread)."""

from __future__ import annotations

from tpm_tui.services import brief as brief_service
from tpm_tui.services import triage
from tpm_tui.storage import Store
from tests.conftest import NOW, TODAY, TZ


def test_a_write_during_the_compute_is_not_hidden_by_the_cache(demo_store: Store, monkeypatch) -> None:
    real = brief_service.assess
    calls = {"n": 0}

    def assess_then_write(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        result = real(*args, **kwargs)
        if calls["n"] == 0:  # another thread saves a change while the first brief is computed
            triage.mark_done(demo_store, "MOB-5", NOW)
        calls["n"] += 1
        return result

    monkeypatch.setattr(brief_service, "assess", assess_then_write)
    first = brief_service.daily_brief(demo_store, TODAY, TZ, NOW)
    assert "MOB-5" in {r.task.id for r in first.at_risk}  # computed from the data before the write
    second = brief_service.daily_brief(demo_store, TODAY, TZ, NOW)
    assert "MOB-5" not in {r.task.id for r in second.at_risk}  # not served the stale result
