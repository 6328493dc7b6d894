"""After a triage key the recompute redraws only what can have changed, and waits for the keys
to pause: the Today pane keeps its rows, the Detail pane keeps identical text, a pending
recompute is pushed back by the next key, and a result older than a write on its way is not
drawn (the recompute runs again)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import NOW, TODAY, TZ, pane_text, settle
from textual.widgets import Static

from tpm_tui.domain import Meeting
from tpm_tui.storage import Store
from tpm_tui.ui.app import TpmApp
from tpm_tui.ui.messages import DashboardLoaded
from tpm_tui.ui.screens.dashboard import DashboardScreen, patch_task
from tpm_tui.ui.text import fmt_when
from tpm_tui.ui.widgets.at_risk_pane import AtRiskPane
from tpm_tui.ui.widgets.detail_pane import DetailPane
from tpm_tui.ui.widgets.today_pane import TodayPane

WIDE = (160, 48)


def app_on(path: Path) -> TpmApp:
    return TpmApp(Store.open(path), TZ, lambda: NOW)


def count_calls(monkeypatch, cls, name: str) -> list[object]:  # noqa: ANN001
    """Record each call of ``cls.name`` (the instance), still calling through."""
    calls: list[object] = []
    real = getattr(cls, name)

    def spy(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        calls.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, spy)
    return calls


async def test_a_task_key_leaves_the_today_pane_alone_and_an_import_rebuilds_it(demo_db: Path, monkeypatch) -> None:  # noqa: ANN001
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        today = screen.query_one(TodayPane)
        rows_before = today.option_list.option_count
        builds = count_calls(monkeypatch, TodayPane, "build")
        loads = screen.loads_shown
        await pilot.press("2", "p")  # a priority change: a recompute follows
        await settle(pilot)
        assert screen.loads_shown > loads  # the recompute was drawn
        assert [b for b in builds if b is today] == []
        assert today.option_list.option_count == rows_before
        # a new meeting today: the Today pane has something new to show
        start = NOW.replace(hour=18, minute=0)
        app.store.put_meetings([Meeting(uid="late-call@test", start=start, end=start + timedelta(minutes=30),
                                        tzid=TZ, summary="Late call")])
        screen.load()
        await settle(pilot)
        assert [b for b in builds if b is today]
        assert today.option_list.option_count > rows_before


async def test_identical_detail_text_is_not_drawn_again(demo_db: Path, monkeypatch) -> None:  # noqa: ANN001
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        detail = screen.query_one(DetailPane)
        body = detail.query_one("#detail-body", Static)
        updates = count_calls(monkeypatch, Static, "update")
        data = screen.data
        assert data is not None
        detail.data = replace(data)  # new object, same content
        await pilot.pause()
        assert [u for u in updates if u is body] == []
        detail.plan_mode = True  # different text: drawn
        await pilot.pause()
        assert [u for u in updates if u is body]


async def test_a_key_pushes_back_a_pending_recompute(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.request_load()
        first = screen._recompute_timer  # noqa: SLF001
        assert first is not None
        screen.postpone_recompute()
        second = screen._recompute_timer  # noqa: SLF001
        assert second is not None and second is not first
        assert screen.recompute_pending
        await settle(pilot)
        assert not screen.recompute_pending


@pytest.mark.parametrize("why", ["a write on its way", "a write landed since"])
async def test_a_recompute_older_than_a_write_is_not_drawn(demo_db: Path, why: str) -> None:
    """A result computed before a write is not drawn (it would show the write undone, or delay
    its acknowledgement); the dashboard is computed again instead."""
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        data, shown = screen.data, screen.loads_shown
        assert data is not None
        older = replace(data, brief=data.brief._replace(at_risk=data.brief.at_risk[1:]))
        pending = why == "a write on its way"
        app.pending_writes += pending
        try:
            version = app.store.version if pending else app.store.version - 1
            screen.post_message(DashboardLoaded(older, "write", version))
            await pilot.pause()
            assert screen.data is data and screen.loads_shown == shown
            assert screen.recompute_pending  # it runs again (once the keys pause)
        finally:
            app.pending_writes -= pending
        await settle(pilot)
        assert screen.loads_shown > shown
        assert len(screen.data.brief.at_risk) == len(data.brief.at_risk)


def test_patch_task_replaces_or_drops_one_row_in_place(demo_db: Path) -> None:
    from tpm_tui.ui.screens.dashboard import build_dashboard

    store = Store.open(demo_db)
    data = build_dashboard(store, TODAY, TZ, NOW)
    items = data.brief.at_risk
    target = items[2]
    renamed = target.task._replace(title="Renamed")
    patched = patch_task(data, renamed, TODAY)
    assert [i.task.id for i in patched.brief.at_risk] == [i.task.id for i in items]
    assert patched.brief.at_risk[2].task.title == "Renamed" and patched.brief.at_risk[2].score == target.score
    assert patched.brief.at_risk[1] is items[1] and patched.brief.at_risk[3] is items[3]
    snoozed = target.task._replace(snoozed_until=TODAY + timedelta(days=1))
    dropped = patch_task(data, snoozed, TODAY)
    assert [i.task.id for i in dropped.brief.at_risk] == [i.task.id for i in items if i.task.id != target.task.id]
    other = target.task._replace(id="NOPE-1")
    assert patch_task(data, other, TODAY).brief.at_risk == items


async def test_a_triage_key_draws_the_detail_once_with_the_new_fields(demo_db: Path, monkeypatch) -> None:  # noqa: ANN001
    """The acknowledgement hands the Detail pane new data and (often) a new row: its text is
    made once, for both, before the frame — not once per change."""
    # The recompute and the idle refresh that follow the key draw the pane again (new scores);
    # on a slow machine they can land inside the wait below, so they are kept out of it.
    monkeypatch.setattr(DashboardScreen, "RECOMPUTE_DELAY", 3600.0)
    monkeypatch.setattr(DashboardScreen, "FRESH_AFTER_IDLE", 3600.0)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.press("2")
        task = screen.selected_task
        assert task is not None and task.due is not None
        made = count_calls(monkeypatch, DetailPane, "render_text")
        patches = screen.patches_shown
        await pilot.press("greater_than_sign")
        for _ in range(200):
            if screen.patches_shown > patches:
                break
            await pilot.pause(0.01)
        assert screen.patches_shown == patches + 1
        assert len(made) == 1
        moved = screen.selected_task
        assert moved is not None and moved.id == task.id and moved.due != task.due
        body = pane_text(app, "detail")
        assert f"Due {fmt_when(moved.due)}" in " ".join(body.split())


async def test_the_at_risk_rows_follow_the_briefs_order(demo_db: Path) -> None:
    """The pane takes the brief's order as it is (highest score first), no sort of its own."""
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        items = screen.data.brief.at_risk
        assert [r.score for r in items] == sorted((r.score for r in items), reverse=True)
        shown = [row.item.task.id for row in screen.query_one(AtRiskPane).build(screen.data)]
        assert shown == [r.task.id for r in items][: len(shown)] and shown


async def test_a_key_in_a_new_minute_is_rescored_as_of_the_last_pass_then_refreshed_on_a_pause(
        demo_db: Path, monkeypatch) -> None:  # noqa: ANN001
    """Real clocks move: a key a few minutes after the last full pass re-scores only what it
    changed, as of that pass (no 0.45 s full pass at 10k per key); once the user pauses the
    dashboard is recomputed for the current minute."""
    import time

    from tpm_tui.services import brief as brief_service

    full_passes: list[int] = []
    real_assess = brief_service.assess
    monkeypatch.setattr(brief_service, "assess", lambda *a, **k: full_passes.append(1) or real_assess(*a, **k))
    monkeypatch.setattr(DashboardScreen, "FRESH_AFTER_IDLE", 3600.0)  # the 2 s tick stays out of the way
    clock = {"now": NOW}
    app = TpmApp(Store.open(demo_db), TZ, lambda: clock["now"])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        passes = len(full_passes)
        clock["now"] = NOW + timedelta(minutes=3)
        await pilot.press("2", "p")
        await settle(pilot)
        assert screen.data.brief.now == NOW  # as of the last full pass ...
        assert len(full_passes) == passes  # ... re-scored, not a full pass
        assert screen.data.brief.at_risk[0].task.priority == Store.open(demo_db).task(
            screen.data.brief.at_risk[0].task.id).priority  # and it shows the saved change
        assert screen.refresh_if_stale() is False  # the user has not paused yet
        monkeypatch.setattr(DashboardScreen, "FRESH_AFTER_IDLE", 0.0)
        app.last_input = time.monotonic() - 5
        assert screen.refresh_if_stale() is True
        await settle(pilot)
        assert screen.data.brief.now == NOW + timedelta(minutes=3) and len(full_passes) == passes + 1
        assert screen.refresh_if_stale() is False  # up to date


async def test_an_open_dashboard_follows_the_clock(demo_db: Path, monkeypatch) -> None:  # noqa: ANN001
    """Left open, the dashboard is recomputed as time passes: a task falls due and turns late
    without any key being pressed."""
    monkeypatch.setattr(DashboardScreen, "FRESH_AFTER_IDLE", 0.0)
    clock = {"now": NOW}
    app = TpmApp(Store.open(demo_db), TZ, lambda: clock["now"])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        level = {r.task.id: r.level.value for r in screen.data.brief.at_risk}
        assert level["DATA-6"] == "at_risk"  # due Tue 01 Dec 10:00
        clock["now"] = NOW + timedelta(days=1, hours=2)  # Tue 10:30
        screen.tick()
        await settle(pilot)
        level = {r.task.id: r.level.value for r in screen.data.brief.at_risk}
        assert level["DATA-6"] == "late" and screen.data.brief.now == clock["now"]


async def test_past_midnight_the_dashboard_moves_to_the_new_today(demo_db: Path) -> None:
    """Left open overnight on today, it shows the new today; a day paged to stays put."""
    clock = {"now": NOW.replace(hour=23, minute=59)}
    app = TpmApp(Store.open(demo_db), TZ, lambda: clock["now"])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.tick()
        assert screen.day == TODAY
        clock["now"] = clock["now"] + timedelta(minutes=2)  # 00:01 on Tuesday
        screen.tick()
        await settle(pilot)
        assert screen.day == TODAY + timedelta(days=1)
        assert screen.data.brief.day == TODAY + timedelta(days=1) and "today" in screen.sub_title
        await pilot.press("[")  # back to Monday, on purpose
        await settle(pilot)
        assert screen.day == TODAY
        await settle(pilot)
        clock["now"] = clock["now"] + timedelta(days=1)
        screen.tick()
        await settle(pilot)
        assert screen.day == TODAY  # a paged-to day is not moved


async def test_busy_can_be_asked_while_the_panes_are_taken_down(demo_db: Path) -> None:
    """The idle collector's timer asks ``busy`` four times a second; while the app closes, a
    pane's list may already be gone (seen once under load: a NoMatches and a traceback at exit)."""
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await screen.query_one(TodayPane).option_list.remove()
        assert screen.busy is False
