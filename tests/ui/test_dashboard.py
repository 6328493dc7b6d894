"""Pilot tests of the dashboard on the demo data, frozen at Mon 30 Nov 2026 08:30 Berlin."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import NOW, TODAY, TZ, pane_text, screen_text, settle
from textual.widgets import Input, OptionList

from tpm_tui import demo
from tpm_tui.domain import Meeting, Task, TaskStatus
from tpm_tui.storage import Store
from tpm_tui.ui.app import TpmApp
from tpm_tui.ui.screens.dashboard import DashboardScreen
from tpm_tui.ui.screens.help_modal import HelpModal
from tpm_tui.ui.screens.import_modal import ImportModal, complete_path
from tpm_tui.ui.text import MAX_ROWS
from tpm_tui.ui.widgets.detail_pane import DetailPane
from tpm_tui.ui.widgets.list_pane import PaneList

WIDE = (160, 48)


async def select_in_today(app: TpmApp, pilot, summary: str) -> None:  # noqa: ANN001
    """Focus Today and move its cursor to the meeting called ``summary`` (up or down)."""
    from tpm_tui.ui.widgets.today_pane import TodayPane

    today = app.screen.query_one(TodayPane)
    await pilot.press("1")
    await settle(pilot)
    for key in ("k", "j"):
        for _ in range(10):
            if today.current_item() is not None and today.current_item().summary == summary:
                return
            await pilot.press(key)
            await settle(pilot)
    assert today.current_item().summary == summary


async def refused_then_saved(app: TpmApp, pilot, bad: str, said: str, good: str) -> None:  # noqa: ANN001
    """In the open one-line dialog: ``bad`` is refused with ``said`` (the dialog stays), then
    ``good`` is saved (back on the dashboard)."""
    from tpm_tui.ui.screens.task_modals import TextPrompt

    app.screen.query_one(Input).value = bad
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, TextPrompt) and said in screen_text(app)
    app.screen.query_one(Input).value = good
    await pilot.press("enter")
    await settle(pilot)
    assert app.screen is app.dashboard


def pane_of_focus(app: TpmApp) -> str | None:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    return screen.pane_of(app.focused)


async def test_demo_dashboard_shows_four_filled_panes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.screen.sub_title == "Mon 30 Nov 2026 · Europe/Berlin · today"
        today = pane_text(app, "today")
        assert "Sprint planning — Payments API" in today
        assert "Secure coding training (seminar)" in today
        assert "Daily stand-up" in today  # the recurring series, expanded for the day
        assert "Priya 20:30–20:45 Mon" in today and "Marcus 07:00–07:15 Mon" in today
        assert "── now 08:30" in today
        assert "▶ next" in today and "⚠ overlaps Vendor call: card processor" in today
        assert "☾" in today and "Marcus 01:00–02:00 Mon" in today  # whose odd hours, their local time
        assert "◆ training" in today
        at_risk = pane_text(app, "at-risk")
        assert "✖ late" in at_risk and "API-3" in at_risk and "overdue by" in at_risk
        assert "▲ at risk" in at_risk
        workload = pane_text(app, "workload")
        assert "Priya Raman" in workload and "OVERLOADED" in workload and "▓" in workload and "█" in workload
        detail = pane_text(app, "detail")
        assert "Sprint planning" in detail and "Local times" in detail  # the next-up meeting is selected
        # what to prepare: the project the meeting is about (its name's words), its worst tasks first
        assert "Related work" in detail and "API Payments API v2  off track" in detail
        # and whether its open work fits its people's free time before its target date: the demo's
        # API is due this Friday, and Priya's 46h of it do not fit
        assert "h short before Fri 04 Dec: Priya needs 46h, has" in " ".join(detail.split())
        assert detail.index("✖ API-3") < detail.index("▲ API-")  # late before at risk
        shown = screen_text(app)
        assert "07:00–07:15 Mon" in shown  # the wrapped tail of a row is painted, not cropped
        assert "                   @ Room Spree / video" in shown  # hanging indent under the time
        assert "1 Today" in shown and "2 At risk" in shown and "3 Workload" in shown and "4 Detail" in shown


async def test_now_line_sits_between_past_and_future_meetings(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        today = pane_text(app, "today")
        assert today.index("QA sync with Sydney") < today.index("── now 08:30") < today.index("Sprint planning")
        assert today.index("▶ next") < today.index("Sprint planning") < today.index("Vendor call")


async def test_number_keys_and_tab_move_focus_between_panes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert pane_of_focus(app) == "today"
        for key, pane in (("2", "at-risk"), ("3", "workload"), ("4", "detail"), ("1", "today")):
            await pilot.press(key)
            assert pane_of_focus(app) == pane, key
        await pilot.press("tab")
        assert pane_of_focus(app) == "at-risk"
        await pilot.press("tab", "tab")
        assert pane_of_focus(app) == "detail"
        await pilot.press("shift+tab")
        assert pane_of_focus(app) == "workload"


async def test_detail_follows_the_selection_of_the_focused_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        first = app.screen.query_one("#at-risk-list", OptionList).highlighted
        assert first == 0
        detail = pane_text(app, "detail")
        assert "Why" in detail and "Risk" in detail and "late" in detail
        top_id = app.screen.query_one("#at-risk").current_item().task.id
        assert top_id in detail
        await pilot.press("down")
        second = app.screen.query_one("#at-risk").current_item().task
        assert second.id != top_id and second.id in pane_text(app, "detail")
        await pilot.press("3")
        detail = pane_text(app, "detail")
        assert "This week" in detail and "Capacity" in detail and "Priya Raman" in detail


async def test_vi_keys_move_in_the_lists_and_scroll_the_detail(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        risk_list = app.screen.query_one("#at-risk-list", PaneList)
        pane = app.screen.query_one("#at-risk")
        assert risk_list.highlighted == 0
        await pilot.press("j", "j")
        assert risk_list.highlighted == 2
        third = pane.current_item().task.id
        await pilot.pause()
        assert third in pane_text(app, "detail")
        await pilot.press("k")
        assert risk_list.highlighted == 1
        await pilot.press("G")
        assert risk_list.highlighted == risk_list.option_count - 1 > 2 and not risk_list.tail
        await pilot.press("g")
        assert risk_list.highlighted == 0
        await pilot.press("3", "j")
        assert "Tom Becker" in pane_text(app, "detail")  # the second person
        detail = app.screen.query_one(DetailPane)
        await pilot.press("4")
        assert detail.max_scroll_y > 0 and detail.scroll_y == 0
        await pilot.press("j", "j")
        await pilot.pause()
        assert detail.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y
        await pilot.press("g")
        await pilot.pause()
        assert detail.scroll_y == 0


async def test_enter_on_a_meeting_copies_its_join_link(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("1", "enter")  # the next meeting: Sprint planning, in a room
        await pilot.pause()
        notes = [(str(n.title), n.message) for n in app._notifications]  # noqa: SLF001
        assert notes[-1] == ("Join", "No join link in this meeting (location: Room Spree / video)")
        assert app.clipboard == ""
        await pilot.press("up")  # QA sync with Sydney, above the now-line
        await pilot.pause()
        assert "Location     https://meet.example.com/qa  enter copies it" in pane_text(app, "detail")
        await pilot.press("enter")
        await pilot.pause()
        assert app.clipboard == "https://meet.example.com/qa"
        notes = [(str(n.title), n.message) for n in app._notifications]  # noqa: SLF001
        assert notes[-1] == ("QA sync with Sydney", "Join link copied: https://meet.example.com/qa")
        await pilot.press("4", "enter")  # from the Detail pane: the meeting it shows
        await pilot.pause()
        assert len([n for n in app._notifications if n.message.startswith("Join link copied")]) == 2  # noqa: SLF001
        await pilot.press("2", "enter")  # a task: not a meeting, and nothing is copied over
        await pilot.pause()
        assert app.clipboard == "https://meet.example.com/qa"


async def test_a_meeting_about_to_start_rings_and_is_said_once_also_with_another_day_shown(demo_store) -> None:  # noqa: ANN001
    from datetime import datetime, time

    clock = [NOW]
    app = TpmApp(demo_store, TZ, lambda: clock[0])
    rings = []
    app.bell = lambda: rings.append(clock[0])  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)

        def reminders() -> list[str]:
            return [n.message for n in app._notifications if "eeting" in str(n.title)]  # noqa: SLF001

        screen.tick()  # 08:30: the stand-up at 16:00 is hours away; QA sync (08:00) began 30 min ago
        await pilot.pause()
        assert reminders() == [] and rings == []
        await pilot.press("]")  # tomorrow shown: today's meetings are still reminded of
        await settle(pilot)
        clock[0] = datetime.combine(TODAY, time(15, 57), tzinfo=NOW.tzinfo)
        screen.tick()
        await pilot.pause()
        assert reminders() == ["Daily stand-up at 16:00 (in 3 min)\nhttps://meet.example.com/standup"]
        assert rings == [clock[0]]
        clock[0] += timedelta(minutes=1)
        screen.tick()
        await pilot.pause()
        assert len(reminders()) == 1 and len(rings) == 1  # once
        demo_store.put_settings(demo_store.settings()._replace(remind_minutes=35))
        clock[0] = datetime.combine(TODAY, time(9, 56), tzinfo=NOW.tzinfo)
        screen.tick()  # two at once: one note, one ring
        await pilot.pause()
        assert reminders()[-1] == ("Sprint planning — Payments API at 10:00 (in 4 min)\n"
                                   "Vendor call: card processor at 10:30 (in 34 min)")
        assert len(rings) == 2
        demo_store.put_settings(demo_store.settings()._replace(remind_minutes=0))
        clock[0] = datetime.combine(TODAY, time(13, 28), tzinfo=NOW.tzinfo)
        screen.tick()  # the training at 13:30, but reminders are off
        await pilot.pause()
        assert len(reminders()) == 2 and len(rings) == 2


async def test_brackets_move_the_day_and_dot_returns_to_today(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("]")
        await settle(pilot)
        assert app.screen.sub_title.startswith("Tue 01 Dec 2026 · Europe/Berlin · tomorrow")
        today = pane_text(app, "today")
        assert "Data migration review" in today and "1:1 Sam / Priya" in today
        assert "Sprint planning" not in today
        assert "── now" not in today  # the now-line belongs to today only
        await pilot.press("[")
        await settle(pilot)
        assert app.screen.sub_title.startswith("Mon 30 Nov 2026")
        assert "Sprint planning" in pane_text(app, "today")
        await pilot.press("[", "[")
        await settle(pilot)
        assert app.screen.sub_title.startswith("Sat 28 Nov 2026") and "-2 days" in app.screen.sub_title
        assert "No meetings on this day — press i to import an .ics invite" in screen_text(app)
        await pilot.press(".")
        await settle(pilot)
        assert app.screen.sub_title.startswith("Mon 30 Nov 2026")


async def test_w_shows_the_week_day_by_day_and_brackets_page_by_weeks(make_app) -> None:
    from tpm_tui.services.brief import agenda

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#today")
        await pilot.press("w")
        await settle(pilot)
        assert pane.border_title == "1 Week of Mon 30 Nov" and pane.border_subtitle.endswith("w: day")
        week = pane_text(app, "today")
        days = ["Mon 30 Nov  · today", "Tue 01 Dec", "Wed 02 Dec", "Thu 03 Dec", "Fri 04 Dec", "Sat 05 Dec", "Sun 06 Dec"]
        assert [week.index(d) for d in days] == sorted(week.index(d) for d in days)  # in order, each once
        # every meeting of the week, under its day (as tpm agenda lists them)
        expected = agenda(app.store, TODAY, 7, TZ)
        bounds = [week.index(d) for d in days] + [len(week)]
        for i, (_day, views) in enumerate(expected):
            section = week[bounds[i]:bounds[i + 1]]
            assert all(v.summary in section for v in views)
            assert ("no meetings" in section) is (not views)
        assert any(not views for _day, views in expected) and any(views for _day, views in expected)
        assert week.index("── now 08:30") < week.index("Tue 01 Dec")  # the now-line on today only
        assert week.count("── now") == 1
        detail = pane_text(app, "detail")
        assert "Sprint planning" in detail  # today's next-up meeting is selected, as in the day view
        # a meeting of another day, selected: Detail shows it
        await pilot.press("1")
        for _ in range(40):
            await pilot.press("down")
            if "Data migration review" in pane_text(app, "detail"):
                break
        await settle(pilot)
        assert "When         Tue 01 Dec 09:00–10:00" in pane_text(app, "detail")  # tomorrow's, in full
        await pilot.press("]")
        await settle(pilot)
        assert pane.border_title == "1 Week of Mon 07 Dec"
        assert app.screen.sub_title.startswith("Mon 07 Dec 2026")
        assert "── now" not in pane_text(app, "today")
        await pilot.press("w")
        await settle(pilot)
        assert pane.border_title == "1 Today" and pane.border_subtitle == ""
        await pilot.press(".")
        await settle(pilot)
        assert "Sprint planning" in pane_text(app, "today") and "Tue 01 Dec" not in pane_text(app, "today")


async def test_help_lists_every_dashboard_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("?")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        text = pane_text_of_help(app)
        for binding in DashboardScreen.BINDINGS:
            assert binding.tooltip in text  # type: ignore[union-attr]
        for key in ("1", "2", "3", "4", "[", "]", "?", "q", "tab", "^p"):
            assert f" {key} " in f" {text} ".replace("\n", " ")
        # keys doing the same in a list share a row: the arrows and vi's letters
        lines = text.splitlines()
        for keys, what in (("↓ j", "Down"), ("↑ k", "Up"), ("home g", "First"), ("end G", "Last")):
            assert [line for line in lines if keys in line and line.rstrip().endswith(what)], keys
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


def pane_text_of_help(app: TpmApp) -> str:
    from conftest import plain

    return plain(app.screen.query_one("#help-keys").content)


async def test_q_quits(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app._exit  # noqa: SLF001 - the app asked to exit


async def test_plan_view_toggles_in_the_fourth_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("v")
        assert detail.border_title == "4 Plan"
        text = pane_text(app, "detail")
        assert "Focus blocks for Sam" in text
        assert "Mon 30 Nov" in text
        await pilot.press("v")
        assert detail.border_title == "4 Detail"
        assert "Focus blocks" not in pane_text(app, "detail")


async def test_outside_text_is_shown_literally(store: Store) -> None:
    demo.seed(store, TODAY, NOW)
    start = NOW + timedelta(hours=3)
    store.put_meetings(
        [
            Meeting(
                uid="boom@x",
                summary="[bold red]boom[/]",
                start=start,
                end=start + timedelta(minutes=30),
                tzid=TZ,
                location="[link=https://evil]here[/link] \x1b]8;;https://evil\x07x",
            )
        ]
    )
    with store.transaction():
        store.put_task(
            Task(
                id="API-99",
                project="API",
                title="evil \x1b[31mred\x1b[0m [b]title[/b]",
                assignee="sam",
                due=TODAY - timedelta(days=3),
                remaining_hours=2.0,
                status=TaskStatus.TODO,
                updated_at=NOW,
            )
        )
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        svg = app.export_screenshot()
        assert "\x1b" not in svg
        shown = screen_text(app)
        assert "[bold red]boom[/]" in shown
        assert "[link=https://evil]here[/link]" in shown
        assert "evil ␛[31mred␛[0m [b]title[/b]" in shown
        # and the markup did not become a style: the summary text has no red span of its own
        today = app.screen.query_one("#today-list", OptionList)
        rendered = [o.prompt for o in today.options if "boom" in pane_plain(o.prompt)]
        assert rendered
        # the palette shows the title literally too: found directly, and in "Jump to task…"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"title")
        await pilot.pause(0.3)
        assert "API-99  evil ␛[31mred␛[0m [b]title[/b]" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"jump to task")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press(*"evil")
        await pilot.pause(0.3)
        assert "API-99  evil ␛[31mred␛[0m [b]title[/b]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.selected_task is not None and app.screen.selected_task.id == "API-99"


def pane_plain(renderable: object) -> str:
    from conftest import plain

    return plain(renderable)


async def test_narrow_terminal_stacks_the_panes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        regions = [screen.query_one(f"#{p}").region for p in ("today", "at-risk", "workload", "detail")]
        assert len({r.x for r in regions}) == 1  # one column
        assert regions[0].y < regions[1].y
        assert all(r.width <= 80 for r in regions)
        await pilot.press("3")
        await pilot.pause()
        workload = screen.query_one("#workload")
        assert pane_of_focus(app) == "workload"
        assert workload.region.y < 24 and workload.region.bottom > 1  # scrolled into view


async def test_wide_terminal_shows_a_two_by_two_grid(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        get = app.screen.query_one
        today, risk, work, detail = (get(f"#{p}").region for p in ("today", "at-risk", "workload", "detail"))
        assert today.y == risk.y and today.x < risk.x
        assert work.y == detail.y > today.y
        assert today.x == work.x and risk.x == detail.x


def test_every_dashboard_key_has_its_command_in_the_palette() -> None:
    from tpm_tui.ui.commands import ACTIONS

    offered = {action.split("(")[0] for _title, action, _help in ACTIONS}
    missing = [b.key for b in DashboardScreen.BINDINGS if b.action.split("(")[0] not in offered]
    assert missing == []


async def test_palette_runs_dashboard_commands(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next day")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title.startswith("Tue 01 Dec 2026")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"focus: workload")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert pane_of_focus(app) == "workload"


async def test_at_risk_pane_holds_bounded_rows(store: Store) -> None:
    demo.seed(store, TODAY, NOW)
    store.put_tasks(
        Task(id=f"BIG-{i}", project="API", title=f"Overdue {i}", assignee="priya",
             due=TODAY - timedelta(days=1 + i % 20), remaining_hours=1.0, updated_at=NOW)
        for i in range(1, 400)
    )
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        risk_list = app.screen.query_one("#at-risk-list", OptionList)
        total = len(app.screen.data.brief.at_risk)
        assert total > MAX_ROWS
        assert risk_list.option_count == MAX_ROWS
        assert app.screen.query_one("#at-risk").border_subtitle == f"top {MAX_ROWS} of {total}"


def _many_at_risk(store: Store) -> None:
    demo.seed(store, TODAY, NOW)
    store.put_tasks(
        Task(id=f"BIG-{i}", project="API", title=f"Overdue {i}", assignee="priya",
             due=TODAY - timedelta(days=1 + i % 20), remaining_hours=1.0, updated_at=NOW)
        for i in range(1, 400)
    )


async def _first_frame(pilot) -> None:  # noqa: ANN001
    """Until the first dashboard is on screen (not waiting for the rows that follow it)."""
    app = pilot.app
    for _ in range(200):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.screen.loads_shown:
            return
    raise AssertionError("the dashboard never loaded")


async def test_the_first_frame_holds_a_screenful_and_the_rest_follows(store: Store) -> None:
    _many_at_risk(store)
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _first_frame(pilot)
        risk_list = app.screen.query_one("#at-risk-list", PaneList)
        if risk_list.tail:  # not yet added (a slow machine may have added it already)
            assert 0 < risk_list.option_count < MAX_ROWS
            assert app.screen.recompute_pending  # settle() and the benchmarks wait for it
        await settle(pilot)
        assert risk_list.option_count == MAX_ROWS and not risk_list.tail
        assert not app.screen.recompute_pending


async def test_keys_and_jumps_reach_rows_not_yet_added(store: Store, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(PaneList, "TAIL_DELAY", 3600.0)  # the tail waits for a key, not for the timer
    _many_at_risk(store)
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await _first_frame(pilot)
        screen = app.screen
        pane = screen.query_one("#at-risk")
        risk_list = screen.query_one("#at-risk-list", PaneList)
        top = sorted(screen.data.brief.at_risk, key=lambda r: -r.score)[:MAX_ROWS]
        assert risk_list.tail and risk_list.option_count < MAX_ROWS

        await pilot.press("2", "end")  # the last of the top rows, not the last added so far
        assert risk_list.option_count == MAX_ROWS
        assert risk_list.highlighted == MAX_ROWS - 1
        assert pane.current_item().task.id == top[-1].task.id
        await pilot.pause()
        assert top[-1].task.id in pane_text(app, "detail")

    async with TpmApp(store, TZ, lambda: NOW).run_test(size=(80, 24)) as pilot:
        await _first_frame(pilot)
        screen = pilot.app.screen
        risk_list = screen.query_one("#at-risk-list", PaneList)
        assert risk_list.tail
        await pilot.press("2", "up")  # wraps around to the real last row
        assert risk_list.highlighted == MAX_ROWS - 1

    async with TpmApp(store, TZ, lambda: NOW).run_test(size=(80, 24)) as pilot:
        await _first_frame(pilot)
        screen = pilot.app.screen
        risk_list = screen.query_one("#at-risk-list", PaneList)
        assert risk_list.tail
        screen.jump_to_task(top[150].task.id)  # the palette's "go to task"
        await pilot.pause()
        assert risk_list.highlighted == 150
        assert screen.query_one("#at-risk").current_item().task.id == top[150].task.id
        # ranked below the rows the pane holds: the list is filtered to it
        far = screen.data.brief.at_risk[MAX_ROWS + 20].task.id
        screen.jump_to_task(far)
        await pilot.pause()
        await pilot.pause()
        assert screen.filter_text == far
        assert screen.query_one("#at-risk").current_item().task.id == far
        assert screen.selected_task is not None and screen.selected_task.id == far


async def test_empty_database_shows_hints(store: Store) -> None:
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "No meetings on this day — press i to import an .ics invite" in shown
        assert "No open tasks — press N to create one" in shown  # not "nothing at risk": nothing at all
        assert "Nothing at risk" not in shown
        detail = pane_text(app, "detail")
        assert "Getting started" in detail and "tpm set me priya" in detail


async def test_open_tasks_with_time_enough_say_nothing_is_at_risk(store: Store) -> None:
    store.put_task(Task(id="OPS-1", project="OPS", title="Rotate the pager", due=TODAY + timedelta(days=40),
                        created_at=NOW, updated_at=NOW))
    store.put_task(Task(id="OPS-2", project="OPS", title="Old one", status=TaskStatus.DONE))
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        assert "Nothing at risk — every open task has time and people to finish." in shown
        assert "No open tasks" not in shown
        pane = app.screen.query_one("#at-risk")
        assert pane.border_subtitle == "0 tasks"
        # one task at risk: "1 task", not "1 tasks"
        store.put_task(store.require_task("OPS-1")._replace(due=TODAY - timedelta(days=1)))
        await pilot.press("r")
        await settle(pilot)
        assert pane.border_subtitle == "1 task"
        await pilot.press("t", "space")  # walk the one task, skip it: the summary counts in words
        await pilot.pause()
        assert "Looked at 1 of 1 task at risk." in screen_text(app)


async def test_selection_survives_a_reload(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2", "down", "down")
        pane = app.screen.query_one("#at-risk")
        chosen = pane.current_item().task.id
        app.screen.load()
        await settle(pilot)
        assert pane.current_item().task.id == chosen
        assert chosen in pane_text(app, "detail")


async def test_external_change_is_reloaded_with_a_notice(demo_db: Path) -> None:
    store = Store.open(demo_db)
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "OPS-1" not in pane_text(app, "at-risk")
        other = Store.open(demo_db)  # another process, e.g. `tpm task add`
        with other.transaction():
            other.put_task(Task(id="OPS-1", project="API", title="Rotate the on-call pager", assignee="marcus",
                                due=TODAY - timedelta(days=2), remaining_hours=1.0, updated_at=NOW))
        assert store.has_changed_on_disk()
        app.screen.tick()
        await settle(pilot)
        assert "OPS-1" in pane_text(app, "at-risk")
        assert any("Data changed on disk" in n.message for n in app._notifications)  # noqa: SLF001


async def test_import_dialog_cancels_with_escape_and_q_types_into_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportModal)
        await pilot.press("q")  # q is not a priority binding: it types
        assert app.screen.query_one(Input).value == "q"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert not app._exit  # noqa: SLF001


def test_path_completion_offers_folders_and_ics_files(tmp_path: Path) -> None:
    (tmp_path / "team.ics").write_text("x")
    (tmp_path / "teamnotes.txt").write_text("x")
    (tmp_path / "invites").mkdir()
    assert complete_path(str(tmp_path / "te")) == str(tmp_path / "team.ics")
    assert complete_path(str(tmp_path / "inv")) == str(tmp_path / "invites") + "/"
    assert complete_path(str(tmp_path / "nothing")) is None
    assert complete_path("") is None
    (tmp_path / "Invitation review.eml").write_text("x")  # a saved invite mail: read from its calendar part
    (tmp_path / "Invoice.pdf").write_text("x")
    assert complete_path(str(tmp_path / "Inv")) == str(tmp_path / "Invitation review.eml")


async def test_a_chosen_theme_is_kept_for_the_next_session(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    store = Store.open(db)
    demo.seed(store, TODAY, NOW)
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"  # nothing saved: Textual's default
        app.theme = "textual-light"  # what ctrl+p "Change theme" does
        await settle(pilot)
        await pilot.pause(0.2)
    assert Store.open(db).settings().theme == "textual-light"
    again = TpmApp(Store.open(db), TZ, lambda: NOW)
    async with again.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"
        assert again.screen.has_class("-light-mode") or again.has_class("-light-mode")

    # a name this Textual does not know (a newer version's theme) is ignored, not an error
    from tpm_tui.services.entry import set_theme

    set_theme(Store.open(db), "from-the-future")
    third = TpmApp(Store.open(db), TZ, lambda: NOW)
    async with third.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert third.theme == "textual-dark"
    assert Store.open(db).settings().theme == "from-the-future"  # and not overwritten by merely opening


async def test_since_you_last_looked_names_what_changed_between_two_sessions(demo_db: Path, monkeypatch) -> None:  # noqa: ANN001
    from datetime import date

    from tpm_tui.services import triage
    from tpm_tui.services.seen import seen_path

    monkeypatch.setattr(DashboardScreen, "LOOK_AFTER", 0.05)

    def toasts(app: TpmApp) -> list[tuple[str, str]]:
        return [(str(n.title), n.message) for n in app._notifications]  # noqa: SLF001

    async def session(clock_at, keys: tuple[str, ...] = ()) -> list[tuple[str, str]]:  # noqa: ANN001
        app = TpmApp(Store.open(demo_db), TZ, lambda: clock_at)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
            shown = toasts(app)
        return shown

    first = await session(NOW, ("2", "d"))  # the first look; MOB-5 (first row) done during the session
    assert not any(title == "Since you last looked" for title, _ in first)
    assert seen_path(demo_db).exists()
    later = NOW + timedelta(hours=2)
    store = Store.open(demo_db)
    triage.edit(store, "API-4", {"due": date(2026, 11, 27)}, later)  # made late elsewhere
    second = await session(later)
    [text] = [m for title, m in second if title == "Since you last looked"]
    assert text.startswith("Since Mon 30 Nov 08:30: ✖ 1 turned late: API-4")
    assert "MOB-5" not in text  # solved during the last session: not news


async def test_y_copies_the_days_status_update_as_tpm_brief_prints_it(demo_db) -> None:  # noqa: ANN001
    from tests.conftest import cli

    app = TpmApp(Store.open(demo_db), TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        printed = cli("brief", "--format", "markdown", "--db", str(demo_db)).output.rstrip("\n")
        assert app.clipboard == printed and printed.startswith("# Status update — Mon 30 Nov 2026")
        # what each project finished in the week up to the day: the demo's done tasks
        assert "- Done since Tue 24 Nov:\n  - **API-11** Fix currency rounding in invoices (Priya Raman)\n" in printed
        assert "  - **DATA-11** Archive 2019 raw events (Yuki Tanaka)\n" in printed
        said = [n.message for n in app._notifications]  # noqa: SLF001
        assert said[-1] == (f"Status update for Mon 30 Nov copied: {len(printed.splitlines())} lines of markdown "
                            "— paste it into an e-mail; /KEY then y copies one project's")
        await pilot.press("]")  # the day shown is the day copied
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("# Status update — Tue 01 Dec 2026")


async def test_y_with_a_project_filter_copies_that_projects_update(demo_db) -> None:  # noqa: ANN001
    """At 10k tasks the whole update is thousands of lines (more than some terminals pass
    through OSC 52); a project's stakeholders want theirs: /api then y."""
    from tests.conftest import cli

    project = Store.open(demo_db).project("API")
    assert project is not None and project.stakeholders
    app = TpmApp(Store.open(demo_db), TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"api", "enter")
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        printed = cli("brief", "--format", "markdown", "--project", "API", "--db", str(demo_db)).output.rstrip("\n")
        assert app.clipboard == printed and "To: " in printed
        assert "**API-11** Fix currency rounding" in printed and "DATA-11" not in printed  # its own done work only
        said = [n.message for n in app._notifications]  # noqa: SLF001
        assert said[-1] == (f"{project.name} update for Mon 30 Nov copied (to {', '.join(project.stakeholders)}): "
                            f"{len(printed.splitlines())} lines of markdown — paste it into an e-mail")
        await pilot.press("slash", *" priya", "enter")  # two words: not a project, the whole update
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard.startswith("# Status update — Mon 30 Nov 2026")


async def test_p_lists_the_projects_and_enter_filters_the_panes_to_one(make_app) -> None:
    from tpm_tui.ui.screens.projects_modal import ProjectsModal

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, ProjectsModal)
        shown = " ".join(screen_text(app).split())
        # every demo project is off track (each has a late task): by key, each with why and its forecast
        assert shown.index("API Payments API v2 off track") < shown.index("DATA Data platform migration off track") \
            < shown.index("MOB Mobile app 3.0 off track")
        assert "✖ 1 late ▲ 5 at risk ● 4 watch 13 open" in shown
        assert "h short before Fri 04 Dec: Priya needs 46h, has" in shown
        assert "room elsewhere before Fri 04 Dec: Tom 16.5h, Ava 16.2h" in shown  # who could take some of it
        await pilot.press("escape")  # closes, nothing filtered
        await settle(pilot)
        assert app.screen is app.dashboard and app.dashboard.filter_text == ""
        await pilot.press("P", "j", "enter")  # the second: DATA
        await settle(pilot)
        assert app.screen is app.dashboard and app.dashboard.filter_text == "DATA"
        at_risk = pane_text(app, "at-risk")
        assert "DATA-7" in at_risk and "API-3" not in at_risk


@pytest.mark.parametrize("size", [WIDE, (70, 40)])
async def test_a_projects_forecast_wraps_to_the_box_under_its_name(make_app, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        lines = screen_text(app).splitlines()
        top = next(i for i, line in enumerate(lines) if "Projects" in line and "╭" in line)
        left, right = lines[top].index("╭"), lines[top].rindex("╮")
        start = next(i for i, line in enumerate(lines) if "92h of open work" in line)
        forecast = []  # DATA's forecast, line by line, as drawn inside the box
        for line in lines[start:]:
            inside = line[left + 1:right].strip("│ ")
            if not inside or inside.startswith(("MOB", "✖", "▲", "●")):
                break
            forecast.append((line[left + 1:right], inside))
        said = " ".join(inside for _, inside in forecast)
        assert said.startswith("92h of open work fit before Mon 11 Jan; tightest: Yuki, 32h of 218.5h free")
        assert said.endswith("2h unassigned, with room for it")
        # every line sits under the name (nothing wrapped again at the box's edge) ...
        assert all(row.startswith(" " * 9) and not row.startswith(" " * 10) for row, _ in forecast), forecast
        # ... and uses the box: one line on a wide screen holds what took two at 68 columns
        longest = max(len(inside) for _, inside in forecast)
        assert longest > 68 if size == WIDE else longest <= right - left - 1 - 9


async def test_a_answers_the_selected_meeting_and_writes_the_reply(make_app, demo_store: Store, tmp_path: Path) -> None:
    from tpm_tui.ui.screens.answer_modal import AnswerInvite

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("1", "j")  # from the next-up Sprint planning (Sam organises it) to the vendor call
        await settle(pilot)
        assert "overlaps Vendor call" in pane_text(app, "today")
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AnswerInvite)
        assert "Vendor call: card processor" in screen_text(app)
        reply = app.screen.query_one("#answer-reply", Input)
        assert reply.value.endswith("reply-vendor-call-card-processor.ics")  # offered, in the Downloads folder
        reply.value = str(tmp_path / "reply.ics")
        await pilot.press("down", "down", "enter")  # Decline
        await settle(pilot)
        assert app.screen is app.dashboard
        today = pane_text(app, "today")
        assert "Vendor call: card processor (you declined)" in " ".join(today.split())
        assert "overlaps Vendor call" not in today  # declined: no longer a clash for me
        assert b"PARTSTAT=DECLINED" in (tmp_path / "reply.ics").read_bytes()
        assert {a.partstat for a in demo_store.meeting("demo-vendor@tpm", None).attendees  # type: ignore[union-attr]
                if a.email == "sam@example.com"} == {"DECLINED"}
        # esc answers nothing
        await pilot.press("A", "escape")
        await settle(pilot)
        assert app.screen is app.dashboard and "(you declined)" in pane_text(app, "today")


async def test_a_on_a_series_answers_that_day_alone_when_asked(make_app, demo_store: Store) -> None:
    from tpm_tui.ics.parse import parse_calendar
    from tpm_tui.ui.screens.answer_modal import AnswerInvite

    daily = (b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nBEGIN:VEVENT\nUID:daily@x\nDTSTAMP:20261125T080000Z\n"
             b"DTSTART;TZID=Europe/Berlin:20261130T123000\nDTEND;TZID=Europe/Berlin:20261130T130000\n"
             b"RRULE:FREQ=DAILY;COUNT=10\nSUMMARY:Daily sync\nORGANIZER:mailto:priya@example.com\n"
             b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com\nEND:VEVENT\nEND:VCALENDAR\n")
    demo_store.put_meetings(parse_calendar(daily, source="daily.ics").meetings)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("1", "j", "j")  # Sprint planning (next) → Vendor call → Daily sync
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, AnswerInvite)
        shown = screen_text(app)
        assert "Decline (the series)" in shown and "Decline — Mon 30 Nov only" in shown
        app.screen.query_one("#answer-reply", Input).value = ""  # no reply file
        await pilot.press(*["down"] * 5, "enter")
        await settle(pilot)
        mine = {m.recurrence_id: next(a.partstat for a in m.attendees if a.email == "sam@example.com")
                for m in demo_store.meetings() if m.uid == "daily@x"}
        assert mine == {None: "ACCEPTED", "20261130T113000Z": "DECLINED"}
        assert "Daily sync (you declined)" in " ".join(pane_text(app, "today").split())


async def test_today_says_how_many_invitations_wait_for_an_answer(make_app) -> None:
    from tpm_tui.ui.widgets.today_pane import TodayPane

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(TodayPane)
        assert pane.border_subtitle == ""  # Monday: every invitation of the day is answered
        await pilot.press("w")  # the week holds the go/no-go on Thursday, not answered yet
        await settle(pilot)
        assert pane.border_subtitle == "1 to answer: A · w: day"


async def test_e_adds_an_appointment_of_mine_in_one_line(make_app, demo_store: Store) -> None:
    from tpm_tui.ui.screens.task_modals import TextPrompt

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        await refused_then_saved(app, pilot, "Physio at noon", "TITLE @ WHEN [LENGTH]",  # no @: said, it stays
                                 "Physio @ 11:30 45m")
        assert "11:30–12:15 Physio" in pane_text(app, "today")
        assert [m.summary for m in demo_store.meetings() if m.calendar == "tpm"] == ["Physio"]
        await pilot.press("u")
        await settle(pilot)
        assert "Physio" not in pane_text(app, "today") and not [m for m in demo_store.meetings() if m.calendar == "tpm"]


async def test_e_on_my_appointment_changes_it_and_x_removes_it(make_app, demo_store: Store) -> None:
    from zoneinfo import ZoneInfo

    from tpm_tui.services.events import add_event
    from tpm_tui.ui.screens.task_modals import AskFirst, TextPrompt

    start = NOW.astimezone(ZoneInfo(TZ)).replace(hour=9, minute=0)
    physio, _outcome, _clashes = add_event(demo_store, "Physio", start, timedelta(minutes=45), NOW)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("1")  # the cursor on what is next: the appointment at 09:00
        await settle(pilot)
        assert "an appointment of yours: E changes it, x removes it" in pane_text(app, "detail")
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        prompt = app.screen.query_one(Input)
        assert prompt.value == "Physio @ 2026-11-30 09:00 45m"  # the line it was made from
        prompt.value = "Physio (knee) @ 2026-11-30 11:30 1h"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.dashboard
        assert "11:30–12:30 Physio (knee)" in pane_text(app, "today") and "09:00–09:45" not in pane_text(app, "today")
        (moved,) = [m for m in demo_store.meetings() if m.calendar == "tpm"]
        assert (moved.uid, moved.summary, moved.sequence) == (physio.uid, "Physio (knee)", 1)
        await pilot.press("1", "j", "j")  # Sprint planning → Vendor call → the appointment
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, AskFirst) and "Physio (knee)" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert "Physio" not in pane_text(app, "today") and not [m for m in demo_store.meetings() if m.calendar == "tpm"]
        await pilot.press("u")
        await settle(pilot)
        assert "11:30–12:30 Physio (knee)" in pane_text(app, "today")
        # on a meeting from an invitation, x removes nothing and E adds a new appointment
        await select_in_today(app, pilot, "Sprint planning — Payments API")
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is app.dashboard and len([m for m in demo_store.meetings() if m.calendar == "tpm"]) == 1
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt) and app.screen.query_one(Input).value == ""


async def test_n_on_a_meeting_notes_that_occurrence_and_the_next_one_shows_it_as_last_time(make_app,
                                                                                          demo_store: Store) -> None:
    from tpm_tui.ui.screens.task_modals import TextPrompt

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_in_today(app, pilot, "Daily stand-up")
        assert "none yet: n adds one" in pane_text(app, "detail")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt) and "Daily stand-up: talking point" in screen_text(app)
        app.screen.query_one(Input).value = "[b]Ask Priya[/b] about the PCI freeze"  # shown as typed
        await pilot.press("enter")
        await settle(pilot)
        detail = pane_text(app, "detail")
        assert "Notes  n adds one or fixes one · c copies them as minutes" in detail and "08:30  [b]Ask Priya[/b] about the PCI freeze" in detail
        notes = demo_store.meeting_notes_of("demo-standup@tpm|20261130T150000Z")
        assert notes is not None and [n.text for n in notes.notes] == ["[b]Ask Priya[/b] about the PCI freeze"]
        assert "Last time  Fri 27 Nov" in detail  # the demo's notes of Friday's stand-up, below
        assert "Daily stand-up  ✎" in pane_text(app, "today")  # Today marks a meeting I have notes on
        # the next day's stand-up shows it as last time's
        await pilot.press("]")
        await settle(pilot)
        await select_in_today(app, pilot, "Daily stand-up")
        detail = pane_text(app, "detail")
        assert "Last time  Mon 30 Nov" in detail and "[b]Ask Priya[/b] about the PCI freeze" in detail
        assert detail.index("none yet: n adds one") < detail.index("Last time")  # none on this day's yet
        # u takes the note back
        await pilot.press("u")
        await settle(pilot)
        assert demo_store.meeting_notes_of("demo-standup@tpm|20261130T150000Z") is None
        assert "✎" not in pane_text(app, "today")


async def test_e_makes_a_repeating_appointment_and_x_removes_every_occurrence_or_that_day(make_app,
                                                                                    demo_store: Store) -> None:
    from tpm_tui.ui.screens.task_modals import AskFirst, TextPrompt

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "Focus time @ 12:00 45m weekdays"
        await pilot.press("enter")
        await settle(pilot)
        (made,) = [m for m in demo_store.meetings() if m.calendar == "tpm"]
        assert made.rrule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        assert "12:00–12:45 Focus time" in pane_text(app, "today")
        await select_in_today(app, pilot, "Focus time")
        assert "every weekday" in " ".join(pane_text(app, "detail").split())
        await pilot.press("E")  # it repeats: every day, or this one alone?
        await settle(pilot)
        assert isinstance(app.screen, AskFirst) and "y every day · o only Mon 30 Nov · n or esc" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "Focus time @ 2026-11-30 12:00 45m weekdays"
        await pilot.press("escape", "x")
        await settle(pilot)
        shown = screen_text(app)
        assert isinstance(app.screen, AskFirst) and "every occurrence: it repeats" in shown
        assert "o only Mon 30 Nov" in shown
        await pilot.press("o")  # today's alone: an EXDATE, the other days stay
        await settle(pilot)
        (kept,) = [m for m in demo_store.meetings() if m.calendar == "tpm"]
        assert len(kept.exdate) == 1 and "Focus time" not in pane_text(app, "today")
        await pilot.press("]")
        await settle(pilot)
        assert "12:00–12:45 Focus time" in pane_text(app, "today")  # Tuesday's is there
        await pilot.press(".", "u")
        await settle(pilot)
        assert "12:00–12:45 Focus time" in pane_text(app, "today")


async def test_e_then_o_changes_one_day_of_a_repeating_appointment_alone(make_app, demo_store: Store) -> None:
    from zoneinfo import ZoneInfo

    from tpm_tui.services.events import add_event
    from tpm_tui.logic.repeat import parse_rule
    from tpm_tui.ui.screens.task_modals import AskFirst, TextPrompt

    start = NOW.astimezone(ZoneInfo(TZ)).replace(hour=12, minute=0)
    add_event(demo_store, "Focus time", start, timedelta(minutes=45), NOW, repeat=parse_rule("weekdays"))
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_in_today(app, pilot, "Focus time")
        await pilot.press("E", "o")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt) and "Mon 30 Nov alone: TITLE @ WHEN [LENGTH]" in screen_text(app)
        prompt = app.screen.query_one(Input)
        assert prompt.value == "Focus time @ 2026-11-30 12:00 45m"  # this day's line: no repeat
        await refused_then_saved(app, pilot, "Focus time (deep) @ 2026-11-30 14:00 1h weekly",
                                 "one day cannot repeat", "Focus time (deep) @ 2026-11-30 14:00 1h")
        today = pane_text(app, "today")
        assert "14:00–15:00 Focus time (deep)" in today and "12:00–12:45 Focus time" not in today
        series, day = sorted((m for m in demo_store.meetings() if m.calendar == "tpm"), key=lambda m: m.recurrence_id or "")
        assert (series.recurrence_id, series.summary, day.recurrence_id) == (None, "Focus time", "20261130T110000Z")
        await select_in_today(app, pilot, "Focus time (deep)")
        assert "one day of a series, changed on its own (moved from 12:00)" in pane_text(app, "detail")
        await pilot.press("]")  # Tuesday keeps the series' time and title
        await settle(pilot)
        assert "12:00–12:45 Focus time" in pane_text(app, "today") and "(deep)" not in pane_text(app, "today")
        await pilot.press(".")
        await settle(pilot)
        # E on the changed day, then y: the series' own line, to change every day
        await select_in_today(app, pilot, "Focus time (deep)")
        await pilot.press("E", "y")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "Focus time @ 2026-11-30 12:00 45m weekdays"
        await pilot.press("escape", "x")
        await settle(pilot)
        assert isinstance(app.screen, AskFirst) and "o only Mon 30 Nov" in screen_text(app)
        await pilot.press("o")  # the changed day removed: its override goes, the rule skips the day
        await settle(pilot)
        (kept,) = [m for m in demo_store.meetings() if m.calendar == "tpm"]
        assert kept.recurrence_id is None and len(kept.exdate) == 1 and "Focus time" not in pane_text(app, "today")
        await pilot.press("u", "u")  # the removal, then the change of that day
        await settle(pilot)
        assert "12:00–12:45 Focus time" in pane_text(app, "today")
        assert [m.recurrence_id for m in demo_store.meetings() if m.calendar == "tpm"] == [None]


async def test_one_day_moved_to_a_weekday_lands_in_that_days_week(make_app, demo_store: Store) -> None:
    from zoneinfo import ZoneInfo

    from tpm_tui.logic.repeat import parse_rule
    from tpm_tui.services.events import add_event

    tz = ZoneInfo(TZ)
    add_event(demo_store, "Focus time", NOW.astimezone(tz).replace(hour=12, minute=0), timedelta(minutes=45), NOW,
              repeat=parse_rule("weekdays"))
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        for _ in range(7):  # to Monday 7 Dec
            await pilot.press("]")
            await settle(pilot)
        await select_in_today(app, pilot, "Focus time")
        await pilot.press("E", "o")
        await settle(pilot)
        assert "Mon 07 Dec alone" in screen_text(app)
        # "tue" is the Tuesday of that week (8 Dec), not the next one after today (1 Dec)
        await refused_then_saved(app, pilot, "Focus time @ tue 09:00 45m weekly", "one day cannot repeat",
                                 "Focus time @ tue 09:00 45m")
        (day,) = [m for m in demo_store.meetings() if m.calendar == "tpm" and m.recurrence_id]
        assert (day.recurrence_id, day.start.astimezone(tz)) == ("20261207T110000Z", datetime(2026, 12, 8, 9, 0, tzinfo=tz))


async def test_n_lists_a_tasks_notes_so_far_to_fix_or_remove_one(make_app, demo_store: Store) -> None:
    from tpm_tui.services import triage
    from tpm_tui.ui.screens.task_modals import NotePrompt

    triage.add_note(demo_store, "API-3", "asked Marcus, ETA wed", NOW)
    triage.add_note(demo_store, "API-3", "[b]second[/b] thuoght", NOW)
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2", "j")  # MOB-5, then API-3
        await settle(pilot)
        assert "Webhook retry with backoff" in pane_text(app, "detail")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NotePrompt)
        shown = screen_text(app)
        assert "asked Marcus, ETA wed" in shown and "[b]second[/b] thuoght" in shown  # literally, markup and all
        # typing goes to the line; the latest note is marked: what ↑ takes
        assert isinstance(app.focused, Input) and app.screen.query_one(OptionList).highlighted == 1
        await pilot.press("up", "enter")  # the latest note into the line
        await settle(pilot)
        field = app.screen.query_one(Input)
        assert field.value == "[b]second[/b] thuoght" and "Fixing the note of 30 Nov 08:30" in screen_text(app)
        field.value = "second thought: Marcus pairs with Ava"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.dashboard
        notes = [n.text for n in demo_store.require_task("API-3").notes]
        assert notes == ["asked Marcus, ETA wed", "second thought: Marcus pairs with Ava"]
        assert "second thought: Marcus pairs with Ava" in pane_text(app, "detail")
        await pilot.press("n", "up", "up", "x")  # the oldest one removed
        await settle(pilot)
        assert [n.text for n in demo_store.require_task("API-3").notes] == ["second thought: Marcus pairs with Ava"]
        assert "asked Marcus" not in pane_text(app, "detail")
        await pilot.press("u")
        await settle(pilot)
        assert len(demo_store.require_task("API-3").notes) == 2
        # a new note, as before: typed on the line
        await pilot.press("n", *"ping legal", "enter")
        await settle(pilot)
        assert [n.text for n in demo_store.require_task("API-3").notes][-1] == "ping legal"


async def test_n_on_a_meeting_fixes_a_note_of_that_occurrence(make_app, demo_store: Store) -> None:
    from tpm_tui.services.meeting_notes import add_note, notes_of
    from tpm_tui.ui.screens.task_modals import NotePrompt

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_in_today(app, pilot, "Daily stand-up")
        occurrence = app.screen._selected_meeting().occurrence
        add_note(demo_store, occurrence, "ask Priya abuot the freeze", NOW)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NotePrompt) and "ask Priya abuot the freeze" in screen_text(app)
        await pilot.press("up", "enter")
        await settle(pilot)
        app.screen.query_one(Input).value = "ask Priya about the freeze"
        await pilot.press("enter")
        await settle(pilot)
        assert [n.text for n in notes_of(demo_store, occurrence).notes] == ["ask Priya about the freeze"]
        assert "ask Priya about the freeze" in pane_text(app, "detail")
        await pilot.press("n", "up", "x")
        await settle(pilot)
        assert notes_of(demo_store, occurrence).notes == () and "✎" not in pane_text(app, "today")
        assert "none yet: n adds one" in pane_text(app, "detail")


async def test_c_copies_my_notes_on_a_meeting_as_minutes(make_app, demo_store: Store) -> None:
    from tpm_tui.services.meeting_notes import add_note

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_in_today(app, pilot, "Daily stand-up")
        await pilot.press("c")  # none on today's yet: said, nothing copied
        await settle(pilot)
        told = [(str(n.title), n.message) for n in app._notifications]  # noqa: SLF001
        assert app.clipboard == "" and told[-1] == ("Daily stand-up", "No notes on this meeting yet: n adds one")
        add_note(demo_store, app.screen._selected_meeting().occurrence, "Lena demos the *new* flow", NOW)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard.splitlines() == [
            "## Daily stand-up — Mon 30 Nov 2026 16:00", "",
            "Invited: Sam Okafor, Lena Vogel, Tom Becker, Priya Raman, Marcus Chen, Diego Alvarez", "",
            "- Lena demos the \\*new\\* flow"]
        told = [n.message for n in app._notifications]  # noqa: SLF001
        assert told[-1] == "Minutes copied: 1 note, 5 lines of markdown — paste them into an e-mail"
