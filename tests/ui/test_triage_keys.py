"""Pilot tests of the triage keys on a real file store: the screen before and after, and the file.

Demo data frozen at Mon 30 Nov 2026 08:30 Berlin. The At risk pane starts with MOB-5
(Diego, critical, doing, due Fri 27 Nov), then API-3 (Marcus), DATA-7 (Sam).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import NOW, TODAY, TZ, pane_text, screen_text, settle
from tests.conftest import disk_state
from textual import events
from textual.geometry import Region
from textual.widgets import Input, OptionList

from tpm_tui.domain import Task, TaskStatus, TpmError
from tpm_tui.services import triage
from tpm_tui.services.triage import next_working_day
from tpm_tui.storage import Store
from tpm_tui.ui.app import TpmApp
from tpm_tui.ui.screens.dashboard import DashboardScreen
from tpm_tui.ui.screens.guided_triage import GuidedTriage
from tpm_tui.ui.screens.task_modals import EDIT_FIELDS, NEW_FIELDS, ConfirmDelete, PersonPicker, TaskForm, TextPrompt
from tpm_tui.ui.widgets.at_risk_pane import AtRiskPane
from tpm_tui.ui.widgets.detail_pane import DetailPane
from tpm_tui.ui.widgets.snooze_picker import SnoozePicker

WIDE = (160, 48)


def app_on(path: Path) -> TpmApp:
    return TpmApp(Store.open(path), TZ, lambda: NOW)


def on_disk(path: Path, task_id: str) -> Task:
    task = Store.open(path).task(task_id)
    assert task is not None
    return task


def toasts(app: TpmApp) -> list[str]:
    return [n.message for n in app._notifications]  # noqa: SLF001


def risk_ids(app: TpmApp) -> list[str]:
    """The task ids of the rows in the At risk pane."""
    pane = app.dashboard.query_one("#at-risk")  # type: ignore[union-attr]
    return [r.key for r in pane._rows if r is not None]  # noqa: SLF001


def option_ids(options: OptionList) -> list[str | None]:
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


def selected(app: TpmApp) -> str | None:
    task = app.dashboard.selected_task  # type: ignore[union-attr]
    return None if task is None else task.id


async def at_risk(pilot) -> None:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("2")
    await pilot.pause()


async def test_d_marks_done_saves_and_moves_on(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        assert selected(app) == "MOB-5" and on_disk(demo_db, "MOB-5").status is TaskStatus.DOING
        await pilot.press("d")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").status is TaskStatus.DONE
        assert Store.open(demo_db).journal()[-1].action == "done"
        assert "MOB-5 marked done — u to undo" in toasts(app)
        assert "MOB-5" not in risk_ids(app)
        assert selected(app) == "API-3"  # the cursor stays in place: the next task


async def test_x_asks_first_then_deletes_and_u_brings_the_task_back(demo_db: Path) -> None:
    import orjson

    before = disk_state(demo_db)
    tasks_before = orjson.loads(demo_db.read_bytes())["tasks"]
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        assert selected(app) == "MOB-5" and "MOB-5" in on_disk(demo_db, "MOB-7").depends_on
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        text = screen_text(app)
        assert "Delete MOB-5" in text and "MOB-7 depends on it: that dependency goes too." in text
        await pilot.press("enter")  # not an answer: a delete is asked for with y
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and disk_state(demo_db) == before
        await pilot.press("x", "y")
        await settle(pilot)
        assert Store.open(demo_db).task("MOB-5") is None
        assert "MOB-5" not in on_disk(demo_db, "MOB-7").depends_on
        assert "MOB-5 deleted (MOB-7 no longer depends on it) — u to undo" in toasts(app)
        assert "MOB-5" not in risk_ids(app) and selected(app) == "API-3"
        await pilot.press("u")
        await settle(pilot)
        assert "MOB-5" in risk_ids(app)
    assert orjson.loads(demo_db.read_bytes())["tasks"] == tasks_before


async def test_x_in_the_walk_deletes_and_moves_on(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        total = len(app.dashboard.data.brief.at_risk)  # type: ignore[union-attr]
        await pilot.press("t")
        await pilot.pause()
        assert "x delete" in screen_text(app)
        await pilot.press("space", "x")  # API-3
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete) and "Delete API-3" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GuidedTriage) and f"3 / {total}" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        summary = screen_text(app)
        assert "1 deleted" in summary and "API-3 deleted" in summary
    assert Store.open(demo_db).task("API-3") is None


async def test_task_keys_are_disabled_without_a_selected_task(demo_db: Path) -> None:
    before = disk_state(demo_db)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)  # the Today pane has the focus: no task selected
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.selected_task is None
        assert screen.check_action("mark_done", ()) is None  # shown, greyed
        assert screen.check_action("undo", ()) is True
        await pilot.press("d", "s", "p", "greater_than_sign")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        footer = screen_text(app).splitlines()[-1]
        for key in ("d Done", "s Snooze", "u Undo", "t Triage", "/ Filter"):
            assert key in footer, key
    assert disk_state(demo_db) == before


def snooze_picker(app: TpmApp) -> SnoozePicker | None:
    """The snooze dialog on the current screen, if it is open."""
    found = app.screen.query(SnoozePicker)
    return found.first() if found and found.first().is_open else None


async def test_s_snoozes_with_a_choice_or_a_typed_date(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        assert on_disk(demo_db, "MOB-5").snoozed_until is None
        list_before = app.screen.focused
        await pilot.press("s")
        await pilot.pause()
        picker = snooze_picker(app)
        assert picker is not None and picker.subject is not None and picker.subject.id == "MOB-5"
        assert isinstance(app.screen, DashboardScreen)  # drawn over the dashboard, not a screen of its own
        assert app.screen.focused is picker.query_one(OptionList)
        text = screen_text(app)
        assert "Snooze MOB-5" in text and "Crash on Android 12 camera" in text
        assert "Tomorrow" in text and "Tue 01 Dec 2026" in text and "Next Monday" in text and "Mon 07 Dec 2026" in text
        await pilot.press("d", "q", "greater_than_sign")  # the dashboard's keys do not act behind the dialog
        await pilot.pause()
        assert snooze_picker(app) is picker and app.is_running
        mob5 = on_disk(demo_db, "MOB-5")
        assert mob5.status is TaskStatus.DOING and mob5.due == date(2026, 11, 27)
        await pilot.press("enter")  # tomorrow
        await settle(pilot)
        assert snooze_picker(app) is None and "Snooze MOB-5" not in screen_text(app)
        assert app.screen.focused is list_before  # the focus is back on the At risk list
        assert on_disk(demo_db, "MOB-5").snoozed_until == TODAY + timedelta(days=1)
        assert "MOB-5" not in risk_ids(app)
        assert selected(app) == "API-3"
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("tab", *"yesterday", "enter")
        await pilot.pause()
        assert snooze_picker(app) is not None  # refused in the dialog, which stays open
        assert "Date: Sun 29 Nov 2026 is not in the future" in screen_text(app)
        await pilot.press(*["backspace"] * len("yesterday"), *"someday", "enter")
        await pilot.pause()
        assert snooze_picker(app) is not None and "someday" in screen_text(app)
        assert "is not in the future" not in screen_text(app)  # the new error replaced the old
        assert on_disk(demo_db, "API-3").snoozed_until is None
        app.screen.query_one("#snooze-date", Input).value = ""
        await pilot.press(*"+5d", "enter")
        await settle(pilot)
        assert snooze_picker(app) is None and app.screen.focused is list_before
        assert on_disk(demo_db, "API-3").snoozed_until == TODAY + timedelta(days=5)
        await pilot.press("s")
        await pilot.pause()
        picker = snooze_picker(app)
        assert picker is not None and picker.subject is not None and picker.subject.id == "DATA-7"
        assert "Snooze DATA-7" in screen_text(app) and "is not in the future" not in screen_text(app)
        assert picker.query_one("#snooze-date", Input).value == ""  # a fresh dialog
        await pilot.press("escape")
        await settle(pilot)
        assert snooze_picker(app) is None and "Snooze DATA-7" not in screen_text(app)
        assert app.screen.focused is list_before
        assert on_disk(demo_db, "DATA-7").snoozed_until is None
        assert selected(app) == "DATA-7"


async def test_the_snooze_dialog_shows_the_task_literally_and_fits_80x24(demo_db: Path) -> None:
    store = Store.open(demo_db)
    with store.transaction():
        store.put_task(store.require_task("MOB-5")._replace(title="[bold red]boom[/] \x1b[31mred"))
    app = app_on(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_risk(pilot)
        await pilot.press("s")
        await pilot.pause()
        picker = snooze_picker(app)
        assert picker is not None
        box = picker.query_one("#snooze-box")
        assert box.region.width <= 80 and box.region.height <= 24 and box.region in app.screen.region
        text = screen_text(app)
        assert "[bold red]boom[/] ␛[31mred" in text and "Snooze MOB-5" in text and "Next Monday" in text
        assert "esc cancels" in text
        assert "d Done" in text.splitlines()[-1]  # the footer stays as it was
        await pilot.press("escape")
        await settle(pilot)
        assert snooze_picker(app) is None


@contextmanager
def writes_held(app: TpmApp) -> Iterator[threading.Event]:
    """The writer thread waits (so a queued write is not on disk) until the event is set."""
    gate = threading.Event()
    app.writer.submit(gate.wait, 30)
    try:
        yield gate
    finally:
        gate.set()  # never leave the writer blocked: quitting waits for it


async def test_the_snooze_dialog_closes_with_the_saved_change_and_keys_meanwhile_act_behind_it(
        demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        list_before = app.screen.focused
        with writes_held(app) as gate:
            await pilot.press("s")
            await pilot.pause()
            picker = snooze_picker(app)
            assert picker is not None
            await pilot.press("enter")  # tomorrow: queued, not on disk yet
            await pilot.pause()
            assert picker.closing and not picker.is_open  # takes no more input…
            assert "Snooze MOB-5" in screen_text(app)  # …but stays up until the snooze shows
            assert on_disk(demo_db, "MOB-5").snoozed_until is None and "MOB-5" in risk_ids(app)
            await pilot.press("down")  # a key meanwhile: the dialog closes, then the key moves the cursor
            await pilot.pause()
            assert not picker.closing and snooze_picker(app) is None and "Snooze MOB-5" not in screen_text(app)
            assert app.screen.focused is list_before and selected(app) == "API-3"
            gate.set()
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").snoozed_until == TODAY + timedelta(days=1)
        assert "MOB-5" not in risk_ids(app) and selected(app) == "API-3"

        priority = on_disk(demo_db, "API-3").priority
        with writes_held(app) as gate:
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("tab", *"+5d", "enter")
            await pilot.pause()
            assert picker.closing and "Snooze API-3" in screen_text(app)
            await pilot.press("p")  # not typed into the date: the dashboard's p, on API-3
            await pilot.pause()
            assert picker.query_one(Input).value == "+5d" and app.screen.focused is list_before
            gate.set()
        await settle(pilot)
        assert on_disk(demo_db, "API-3").snoozed_until == TODAY + timedelta(days=5)
        assert on_disk(demo_db, "API-3").priority != priority
        assert snooze_picker(app) is None and not picker.closing

        with writes_held(app) as gate:
            await pilot.press("s")
            await pilot.pause()
            await pilot.press("enter")  # picked: the box waits for the write…
            await pilot.pause()
            assert picker.closing and picker.subject is not None
            snoozed = picker.subject.id
            gate.set()  # …and closes with it, in the same refresh as the task leaving the list
        await settle(pilot)
        assert not picker.closing and f"Snooze {snoozed}" not in screen_text(app) and snoozed not in risk_ids(app)
        assert app.screen.focused is list_before


async def test_a_refused_snooze_closes_the_dialog_and_says_so(demo_db: Path, monkeypatch) -> None:  # noqa: ANN001
    def refuse(*_args: object) -> None:
        raise TpmError("no room on the disk")

    monkeypatch.setattr(triage, "snooze", refuse)
    before = disk_state(demo_db)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        list_before = app.screen.focused
        await pilot.press("s")
        await pilot.pause()
        picker = snooze_picker(app)
        assert picker is not None
        await pilot.press("enter")
        await settle(pilot)
        assert not picker.closing and snooze_picker(app) is None and app.screen.focused is list_before
        assert "no room on the disk" in toasts(app) and "MOB-5" in risk_ids(app)
    assert disk_state(demo_db) == before


async def test_a_click_elsewhere_cancels_the_snooze_dialog(demo_db: Path) -> None:
    before = disk_state(demo_db)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert snooze_picker(app) is not None
        today_list = app.screen.query_one("#today-list")
        await pilot.click(today_list, offset=(2, 2))
        await settle(pilot)
        assert snooze_picker(app) is None
        assert app.screen.focused is today_list
    assert disk_state(demo_db) == before


async def test_greater_and_less_move_the_due_date_by_working_days(demo_db: Path) -> None:
    store = Store.open(demo_db)
    diego = store.person("diego")
    before = store.require_task("MOB-5").due
    assert before == date(2026, 11, 27)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        later = next_working_day(before, 1, diego)  # type: ignore[arg-type]
        assert later == date(2026, 11, 30)  # Friday + 1 working day = Monday
        assert on_disk(demo_db, "MOB-5").due == later
        assert "due Mon 30 Nov" in pane_text(app, "at-risk")
        await pilot.press("less_than_sign", "less_than_sign")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").due == date(2026, 11, 26)
        assert selected(app) == "MOB-5"


async def test_a_reassigns_with_loads_shown(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        assert on_disk(demo_db, "MOB-5").assignee == "diego"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PersonPicker)
        text = screen_text(app)
        assert "Priya Raman" in text and "148% load OVERLOADED" in text and "unassigned" in text
        assert "(now)" in text
        options = app.screen.query_one(OptionList)
        first = options.get_option_at_index(0).id  # least loaded first
        assert first == "p-ava"
        await pilot.press("enter")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").assignee == "ava"
        assert "MOB-5 assigned to ava — u to undo" in toasts(app)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("end", "enter")  # unassigned
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").assignee is None


async def test_a_shows_who_has_room_before_the_due_date_and_starts_on_the_first_who_does(demo_db: Path) -> None:
    from tpm_tui.logic.risk import fits_for, fmt_hours
    from tpm_tui.services import brief

    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        rows = risk_ids(app)
        await pilot.press(*["down"] * rows.index("API-1"))
        await pilot.pause()
        assert selected(app) == "API-1"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PersonPicker)
        store = app.store
        task = store.require_task("API-1")
        fits = fits_for(brief._assessments[store][1], task, store.people())  # noqa: SLF001
        assert len(fits) == len(store.people())
        room = [h for h, f in fits.items() if f.fits]
        assert room and "priya" not in room  # the assignee is short (the reason at risk)
        loads = {w.person.handle: w.load_pct for w in app.dashboard.data.brief.workload}  # type: ignore[union-attr]
        options = app.screen.query_one(OptionList)
        order = [i[2:] for i in option_ids(options)]  # type: ignore[index]
        # whoever it fits first, least loaded first; then the rest, least short first
        assert order[: len(room)] == sorted(room, key=lambda h: (loads[h], h))
        short = order[len(room):-1]
        assert [fits[h].short for h in short] == sorted(fits[h].short for h in short)
        assert options.highlighted == 0 and order[0] != "priya"
        text = screen_text(app)
        assert "Needs 20h. Each row: load this week, then the hours free before it is due" in text
        best = fits[order[0]]
        assert f"✓ {fmt_hours(best.free)} by {best.before}" in text
        priya = fits["priya"]
        assert f"148%  ✗ {fmt_hours(priya.free)} by {priya.before} ({fmt_hours(priya.short)} short)" in text
        await pilot.press("enter")
        await settle(pilot)
        assert on_disk(demo_db, "API-1").assignee == order[0]


async def test_a_typing_filters_the_people_and_enter_picks_the_match(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("a")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        everyone = options.option_count
        await pilot.press(*"RAM")  # part of "Priya Raman", any case
        await pilot.pause()
        assert isinstance(app.screen, PersonPicker)  # letters never reach the dashboard's keys
        assert option_ids(options) == ["p-priya"]
        assert "filter: RAM" in screen_text(app)
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause()
        assert options.option_count == everyone
        await pilot.press("q")  # no one has a "q": an empty list, and the app did not quit
        await pilot.pause()
        assert app.is_running and options.option_count == 0
        await pilot.press("enter")  # nothing to pick: the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, PersonPicker)
        await pilot.press("backspace", *"example")  # an e-mail's domain only once "@" is typed
        await pilot.pause()
        assert options.option_count == 0
        await pilot.press(*["backspace"] * 7, *"lena@ex")  # the e-mail matches too
        await pilot.pause()
        assert option_ids(options) == ["p-lena"]
        await pilot.press(*["backspace"] * 7)
        options.post_message(events.Paste("Priya Raman <priya@example.com>\nsecond line"))  # pasted, list focused
        await pilot.pause()
        assert app.screen.query_text == "Priya Raman <priya@example.com>"  # type: ignore[attr-defined]
        assert option_ids(options) == []  # the whole line is the filter: no one's name contains it
        await pilot.press(*["backspace"] * 20)
        assert app.screen.query_text == "Priya Raman"  # type: ignore[attr-defined]
        assert option_ids(options) == ["p-priya"]
        await pilot.press(*["backspace"] * 11, *"unas", "enter")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").assignee is None


async def test_on_80_columns_the_picker_shows_each_fit_whole(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_risk(pilot)
        await pilot.press(*["down"] * risk_ids(app).index("API-1"), "a")
        await pilot.pause()
        assert isinstance(app.screen, PersonPicker)
        text = screen_text(app)
        assert "148%  ✗ 19.8h by Wed 18:30 (0.2h short)" in text  # Priya, the assignee: short
        assert "✓ 25.5h by Wed 16:30" in text


@pytest.mark.parametrize("width", [60, 80])
async def test_the_pickers_rows_stay_one_line_each_on_a_narrow_terminal(demo_db: Path, width: int) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=(width, 30)) as pilot:
        await at_risk(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PersonPicker)
        options = app.screen.query_one(OptionList)
        assert options.option_count > 5
        assert options.virtual_size.height == options.option_count  # one line a row
        assert "Priya Raman" in screen_text(app)  # the name is kept, the tail is cut


async def test_a_starts_on_the_least_loaded_person_other_than_the_assignee() -> None:
    from textual.app import App

    from tpm_tui.domain import Person
    from tpm_tui.logic.results import PersonLoad

    def load(handle: str, hours: float) -> PersonLoad:
        return PersonLoad(Person(handle, f"[b]{handle}[/b]", f"{handle}@x.org", "UTC"), 40.0, hours, 0.0)

    task = Task(id="X-1", project="X", title="t", assignee="kim")
    picker = PersonPicker(task, [load("lee", 30.0), load("kim", 2.0), load("max", 10.0)])
    app: App[None] = App()
    async with app.run_test() as pilot:
        app.push_screen(picker)
        await pilot.pause()
        options = picker.query_one(OptionList)
        rows = option_ids(options)
        assert rows == ["p-kim", "p-max", "p-lee", "p-"]  # least loaded first, "unassigned" last
        assert options.highlighted == 1  # max: kim has the task already
        assert "[b]kim[/b]" in screen_text(app)  # names are literal text, never markup
        await pilot.press(*"[b")
        await pilot.pause()
        assert options.option_count == 3 and "filter: [b" in screen_text(app)


def type_ahead(app: TpmApp, keys: str) -> None:
    """Keys arriving in one burst, as a terminal delivers a fast typist's keys: each is
    queued before the previous one was handled (``pilot.press`` waits between keys)."""
    from textual import events
    from textual.keys import _character_to_key

    for ch in keys:
        app.post_message(events.Key(_character_to_key(ch), ch))


@pytest.mark.parametrize(("key", "dialog"), [("a", PersonPicker), ("n", TextPrompt), ("b", TextPrompt),
                                             ("e", TaskForm)])
async def test_keys_typed_right_after_a_dialog_key_go_to_the_dialog(demo_db: Path, key: str, dialog: type) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        before = on_disk(demo_db, "MOB-5")
        type_ahead(app, key + "pdq")  # the dashboard's priority, done and quit keys
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, dialog)
        assert on_disk(demo_db, "MOB-5") == before  # no key reached the dashboard
        if dialog is PersonPicker:
            assert app.screen.query_text == "pdq"  # type: ignore[attr-defined]
        elif dialog is TextPrompt:
            assert app.screen.query_one(Input).value == "pdq"  # what was typed is what is written


async def test_a_burst_follows_the_focus_its_first_keys_move(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        before = on_disk(demo_db, "MOB-5")
        type_ahead(app, "2apr")  # focus At risk, reassign its first task, filter the people by "pr"
        await settle(pilot)
        assert isinstance(app.screen, PersonPicker) and app.screen.query_text == "pr"
        assert app.screen.subject.id == "MOB-5"
        await pilot.press("escape")
        type_ahead(app, "/api")  # filter line: the letters are its text, never triage keys
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "api"
        assert on_disk(demo_db, "MOB-5") == before
        assert app.screen.filter_text == "api"  # type: ignore[attr-defined]


def post_keys(app: TpmApp, *keys: str) -> None:
    """Named keys (``down``, ``enter``) in one burst, like :func:`type_ahead`."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_a_key_right_behind_a_cursor_move_acts_on_the_row_the_cursor_moved_to(demo_db: Path) -> None:
    """``down`` then ``a`` (or ``d``) typed fast: the key acts on the row the cursor went to,
    not on the row it left (the screen learns of the move by a message the key overtakes)."""
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        pane = app.screen.query_one(AtRiskPane)
        second = pane.build(app.screen.data)[1].item.task.id  # type: ignore[attr-defined]
        assert selected(app) == "MOB-5" and second != "MOB-5"
        post_keys(app, "down", "a")
        await settle(pilot)
        assert isinstance(app.screen, PersonPicker) and app.screen.subject.id == second
        await pilot.press("escape")
        await settle(pilot)
        post_keys(app, "up", "d")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").status == TaskStatus.DONE
        assert on_disk(demo_db, second).status != TaskStatus.DONE


async def test_the_forms_right_arrow_completes_a_project_typed_in_the_same_burst(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "N")
        type_ahead(app, "Fix pager\tda")
        post_keys(app, "right")  # in the same burst (the path completer's case is in test_import_flow)
        await pilot.pause()
        assert form.query_one("#f-project", Input).value == "DATA"


def test_suggest_now_runs_a_list_suggester_and_gives_up_on_one_that_waits() -> None:
    import asyncio

    from textual.suggester import SuggestFromList, Suggester

    from tpm_tui.ui.widgets.completing_input import suggest_now

    words = SuggestFromList(["priya", "Pat"], case_sensitive=False)
    assert suggest_now(words, "PR") == "priya" and suggest_now(words, "pa") == "Pat"
    assert suggest_now(words, "zz") is None and suggest_now(words, "") is None

    class Slow(Suggester):
        async def get_suggestion(self, value: str) -> str | None:
            await asyncio.sleep(0)
            return value + "!"

    assert suggest_now(Slow(), "x") is None


async def test_tab_and_the_next_field_typed_in_one_burst(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await pilot.pause()
        type_ahead(app, "Fix pager\tops")  # the title, tab, the project: faster than the screen
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TaskForm)
        assert form.query_one("#f-title", Input).value == "Fix pager"
        assert form.query_one("#f-project", Input).value == "ops"


async def test_b_blocks_by_a_task_then_unblocks(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        before = on_disk(demo_db, "MOB-5")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert "Blocked by which task or reason?" in screen_text(app)
        await pilot.press(*"API-3", "enter")
        await settle(pilot)
        task = on_disk(demo_db, "MOB-5")
        assert task.status is TaskStatus.BLOCKED and task.blocked_by == "API-3" and "API-3" in task.depends_on
        assert selected(app) == "MOB-5"
        await pilot.press("b")  # unblock: no question asked
        await settle(pilot)
        task = on_disk(demo_db, "MOB-5")
        # back to where the block found it: its status, and without the dependency it added
        assert before.status is TaskStatus.DOING and "API-3" not in before.depends_on
        assert task.status is TaskStatus.DOING and task.blocked_by is None and task.depends_on == before.depends_on
        assert "MOB-5 unblocked, back to doing, no longer waiting for API-3 — u to undo" in toasts(app)


async def test_p_cycles_the_priority(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        assert on_disk(demo_db, "MOB-5").priority == "critical"
        await pilot.press("p")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").priority == "low"
        assert "Priority     low" in pane_text(app, "detail")
        await pilot.press("p")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").priority == "normal"


async def test_n_adds_a_note_and_keys_type_into_the_input(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        assert on_disk(demo_db, "MOB-5").notes == ()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"done? ask q/a", "enter")  # d, q, s, a, / type; none of them acts
        await settle(pilot)
        task = on_disk(demo_db, "MOB-5")
        assert [n.text for n in task.notes] == ["done? ask q/a"]
        assert task.status is TaskStatus.DOING
        assert not app._exit  # noqa: SLF001
        assert "done? ask q/a" in pane_text(app, "detail")


async def open_form(pilot, key: str) -> TaskForm:  # type: ignore[no-untyped-def]
    """Press ``e`` (edit the selected task) or ``N`` (new): the form that opens."""
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, TaskForm)
    return form


async def fill_and_save(pilot, form: TaskForm, **values: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``values`` into the form's fields (by name) and save with ctrl+s."""
    for name, value in values.items():
        form.query_one(f"#f-{name}", Input).value = value
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_e_edits_with_validation_in_the_form(demo_db: Path) -> None:
    before = disk_state(demo_db)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        form = await open_form(pilot, "e")
        assert form.query_one("#f-title", Input).value == on_disk(demo_db, "MOB-5").title
        assert form.query_one("#f-due", Input).value == "2026-11-27"
        form.query_one("#f-estimate", Input).value = "lots"
        await pilot.press("enter")
        await pilot.pause()
        assert "Estimate: 'lots' is not a number of hours" in screen_text(app)
        form.query_one("#f-estimate", Input).value = "3d 6h"  # work as people say it: 3 days of 8h and 6h
        form.query_one("#f-assignee", Input).value = "zed"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskForm)  # the service refused: the form stays
        assert "Assignee: no person 'zed'" in screen_text(app)
        assert disk_state(demo_db) == before  # nothing saved until valid
        await fill_and_save(pilot, form, assignee="lena", due="2026-12-04", title="Release the mobile app")
        assert isinstance(app.screen, DashboardScreen)
        task = on_disk(demo_db, "MOB-5")
        assert (task.title, task.assignee, task.due, task.estimate_hours) == (
            "Release the mobile app", "lena", date(2026, 12, 4), 30.0)
        assert Store.open(demo_db).journal()[-1].action == "edit"
        assert "MOB-5 edited (assignee, due, estimate_hours, title) — u to undo" in toasts(app)


async def test_the_form_edits_tags_and_the_filter_finds_them(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        form = await open_form(pilot, "e")
        assert form.query_one("#f-tags", Input).value == ", ".join(on_disk(demo_db, "MOB-5").tags)
        form.query_one("#f-tags", Input).value = "bad\x07tag"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskForm) and "Tags: 'bad\\x07tag' is not a tag" in screen_text(app)
        await fill_and_save(pilot, form, tags="+android, Release android")
        assert on_disk(demo_db, "MOB-5").tags == ("android", "Release")
        await pilot.press("slash", *"+release", "enter")
        await settle(pilot)
        assert risk_ids(app) == ["MOB-5"]


async def test_d_on_a_repeating_task_makes_the_next_and_the_form_sets_a_rule(demo_db: Path) -> None:
    report = next(t for t in Store.open(demo_db).tasks() if t.repeat == "monthly")
    n = Store.open(demo_db).next_task_number(report.project)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("slash", *report.title[:10], "enter")
        await settle(pilot)
        assert selected(app) == report.id
        assert "Repeats      ↻ monthly (done makes the next one)" in pane_text(app, "detail")
        await pilot.press("d")
        await settle(pilot)
        nxt = on_disk(demo_db, f"{report.project}-{n}")
        assert (nxt.title, nxt.repeat, nxt.status) == (report.title, "monthly", TaskStatus.TODO)
        assert f"{report.id} marked done; next (monthly): {nxt.id} due Fri 01 Jan 10:00 — u to undo" in toasts(app)
        # the form: a rule in any words is kept in tpm's, a wrong one is named
        await pilot.press("escape")
        await settle(pilot)
        form = await open_form(pilot, "e")
        assert form.subject is not None
        edited = form.subject.id
        assert form.query_one("#f-repeat", Input).value == ""
        form.query_one("#f-repeat", Input).value = "now and then"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskForm) and "Repeat: 'now and then' is not a repeat" in screen_text(app)
        await fill_and_save(pilot, form, repeat="2w")
        assert on_disk(demo_db, edited).repeat == "every 2 weeks"


async def test_h_logs_hours_left_in_a_managers_words_and_refuses_others_in_the_dialog(demo_db: Path) -> None:
    before = on_disk(demo_db, "MOB-5")
    assert (before.remaining_hours, before.estimate_hours) == (2.0, 4.0)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt) and "Now 2h left of 4h. Hours left:" in screen_text(app)
        await pilot.press(*"soon", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # still asking, the reason on its error line
        assert "Hours: 'soon' is not an amount" in screen_text(app)
        assert on_disk(demo_db, "MOB-5") == before
        app.screen.query_one(Input).value = "75%"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, TextPrompt)
        assert on_disk(demo_db, "MOB-5").remaining_hours == 1.0
        assert "MOB-5: 1h left of 4h (was 2h) — u to undo" in toasts(app)
        await pilot.press("u")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5") == before


async def test_the_task_form_fits_a_classic_80x24_terminal_and_edits_status(demo_db: Path) -> None:
    """Every field, the error line and the hint are on screen at 80x24 (a field three lines
    tall used to push Priority, Depends on and every error message below the bottom edge);
    Status and Time-sensitive are edited like the rest."""
    app = app_on(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_risk(pilot)
        for key, fields in (("N", NEW_FIELDS), ("e", EDIT_FIELDS)):
            await pilot.press(key)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, TaskForm)
            screen = Region(0, 0, 80, 24)
            for f in fields:
                widget = form.query_one(f"#f-{f.name}", Input)
                assert screen.contains_region(widget.region), (key, f.name, widget.region)
            assert screen.contains_region(form.query_one("#form-error").region)
            assert "esc cancels" in screen_text(app)
            if key == "N":
                assert not form.query("#f-status")  # a new task starts as todo
                await pilot.press("escape")
                await pilot.pause()
        form.query_one("#f-status", Input).value = "started"
        await pilot.press("enter")
        await pilot.pause()
        assert "Status: 'started' is not one of todo, doing, blocked, done" in screen_text(app)
        assert form.query_one("#form-error").region.bottom <= 24
        await fill_and_save(pilot, form, status="todo", time_sensitive="no")
        assert isinstance(app.screen, DashboardScreen)
        task = on_disk(demo_db, "MOB-5")
        assert (task.status, task.time_sensitive) == (TaskStatus.TODO, False)
        assert "MOB-5 edited (status, time_sensitive) — u to undo" in toasts(app)


async def test_capital_n_creates_a_task_project_required(demo_db: Path) -> None:
    from tpm_tui.domain import Project

    Store.open(demo_db).put_project(Project(key="INFRA", name="Infrastructure"))  # a project with no tasks yet
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)  # no task selected: N still works
        form = await open_form(pilot, "N")
        assert form.new
        assert form._projects == ["API", "DATA", "INFRA", "MOB"]  # noqa: SLF001 - every project is offered
        await pilot.press(*"Rotate the pager", "enter")
        await pilot.pause()
        assert "Project: required" in screen_text(app)
        form.query_one("#f-project", Input).value = "ops"
        form.query_one("#f-assignee", Input).value = "marcus"
        form.query_one("#f-due", Input).value = "2026-11-27"
        form.query_one("#f-estimate", Input).value = "4"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        task = on_disk(demo_db, "OPS-1")
        assert (task.title, task.assignee, task.due, task.remaining_hours) == (
            "Rotate the pager", "marcus", date(2026, 11, 27), 4.0)
        assert "OPS-1 created in a new project OPS — u to undo" in toasts(app)
        assert "OPS-1" in risk_ids(app)  # overdue: the recompute lists it
        await pilot.press("u")
        await settle(pilot)
        assert Store.open(demo_db).task("OPS-1") is None


async def test_u_undoes_repeatedly_and_ctrl_r_redoes(demo_db: Path) -> None:
    original = {t.id: t for t in Store.open(demo_db).tasks()}
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("p", "greater_than_sign", "d")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").status is TaskStatus.DONE
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: MOB-5 marked done — ctrl+r redoes" in toasts(app)
        assert on_disk(demo_db, "MOB-5").status is TaskStatus.DOING
        assert "MOB-5" in risk_ids(app)
        await pilot.press("u", "u")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5") == original["MOB-5"]
        await pilot.press("u")
        await settle(pilot)
        assert "Nothing to undo" in toasts(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").priority == "low"
        assert any(t.startswith("Redone: MOB-5 priority low") for t in toasts(app))


async def test_undo_works_after_a_restart(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("d")
        await pilot.press("q")  # quitting waits for the queued write
        await pilot.pause()
    assert on_disk(demo_db, "MOB-5").status is TaskStatus.DONE
    again = app_on(demo_db)  # a new process on the same file
    async with again.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "MOB-5" not in risk_ids(again)
        await pilot.press("u")
        await settle(pilot)
        assert "Undone: MOB-5 marked done — ctrl+r redoes" in toasts(again)
        assert "MOB-5" in risk_ids(again)
    assert on_disk(demo_db, "MOB-5").status is TaskStatus.DOING


async def test_t_walks_the_list_then_summarises(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        total = len(app.dashboard.data.brief.at_risk)  # type: ignore[union-attr]
        await pilot.press("t")
        await pilot.pause()
        walk = app.screen
        assert isinstance(walk, GuidedTriage)
        text = screen_text(app)
        assert f"1 / {total}" in text and "MOB-5" in text and "Why" in text and "overdue by 3 days" in text
        await pilot.press("space")  # skip MOB-5
        await pilot.pause()
        assert f"2 / {total}" in screen_text(app) and "API-3" in screen_text(app)
        await pilot.press("d")  # decides API-3 and moves on
        await settle(pilot)
        assert f"3 / {total}" in screen_text(app) and "DATA-7" in screen_text(app)
        await pilot.press("p")  # changes DATA-7, stays on it
        await settle(pilot)
        assert f"3 / {total}" in screen_text(app) and "priority changed" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        summary = screen_text(app)
        assert "Triage finished" in summary
        assert "1 done · 1 priority changed" in summary
        assert "API-3 marked done" in summary and "DATA-7 priority critical" in summary
        assert "Skipped (1): MOB-5" in summary
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
    assert on_disk(demo_db, "API-3").status is TaskStatus.DONE
    assert on_disk(demo_db, "DATA-7").priority == "critical"
    assert on_disk(demo_db, "MOB-5").status is TaskStatus.DOING


async def test_detail_and_the_triage_card_say_who_has_room_for_a_task_its_assignee_cannot_fit(demo_db: Path) -> None:
    from tpm_tui.logic.risk import fits_for, fmt_hours, room_key
    from tpm_tui.services import brief

    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        store = app.store
        fits = fits_for(brief._assessments[store][1], store.require_task("API-1"), store.people())  # noqa: SLF001
        loads = {w.person.handle: w.load_pct for w in app.dashboard.data.brief.workload}  # type: ignore[union-attr]
        names = {p.handle: p.name for p in store.people()}
        best = sorted((f for f in fits.values() if f.fits), key=lambda f: room_key(f, loads[f.handle], f.handle))
        expected = [f"✓ {names[f.handle]:<20} {fmt_hours(f.free)} free by {f.before}" for f in best[:3]]
        rows = risk_ids(app)
        pane = app.dashboard.query_one(DetailPane)  # type: ignore[union-attr]
        pane.EXTRAS_AFTER = 60.0  # the rest it waits for, longer than any slow machine's keys
        await pilot.press(*["down"] * rows.index("API-1"))
        await pilot.pause()
        # filled in once the selection rests (keys in a row never wait for it)
        assert "Room before it is due" not in pane_text(app, "detail") and pane.extras_pending
        pane._extras_timer.stop()  # noqa: SLF001 - the rest is over
        pane._fill_extras()  # noqa: SLF001
        await settle(pilot)
        detail = [line.strip() for line in pane_text(app, "detail").splitlines()]
        at = detail.index("Room before it is due")
        assert detail[at + 1:at + 4] == expected
        # a task its assignee has time for (or a late one): no such section
        await pilot.press("home")
        await settle(pilot)
        assert "Room before it is due" not in pane_text(app, "detail")
        # the guided walk's card says the same for API-1
        await pilot.press("t")
        await pilot.pause()
        asked: list[str] = []
        walk = app.screen
        room_of = walk.room
        walk.room = lambda task: asked.append(task.id) or room_of(task)  # type: ignore[attr-defined]
        walk.ROOM_AFTER = 60.0  # the rest a card waits for, longer than any slow machine's keys
        await pilot.press(*["space"] * rows.index("API-1"))
        await pilot.pause()
        card = [line.strip() for line in screen_text(app).splitlines()]
        assert any("API-1" in line for line in card)
        # cards skipped in a row never computed who has room; the resting one fills it in
        assert asked == [] and not any("Room before it is due" in line for line in card)
        walk.ROOM_AFTER = 0.15  # type: ignore[attr-defined]
        walk.show_card()  # type: ignore[attr-defined]  # the card rests from now
        await settle(pilot)
        card = [line.strip() for line in screen_text(app).splitlines()]
        assert any(expected[0] in line for line in card)
        assert asked == ["API-1"]


async def test_the_filter_reaches_open_tasks_not_at_risk_and_the_keys_act_on_them(demo_db: Path) -> None:
    from tpm_tui.services import triage

    store = Store.open(demo_db)
    triage.snooze(store, "API-3", TODAY + timedelta(days=3), NOW)  # late, but snoozed: off the list
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        ranked = set(risk_ids(app))
        assert "MOB-13" not in ranked and "API-3" not in ranked  # not at risk / snoozed
        await pilot.press("slash", *"mob", "enter")
        await settle(pilot)
        rows = risk_ids(app)
        calm = [t.id for t in store.open_tasks() if t.project == "MOB" and t.id not in ranked]
        assert rows[: len(rows) - len(calm)] == [i for i in risk_ids_unfiltered(app) if i.startswith("MOB-")]
        assert sorted(rows[len(rows) - len(calm):]) == sorted(calm)  # then the open ones not at risk
        pane = pane_text(app, "at-risk")
        assert "○ open    MOB-13" in pane and "not at risk" in pane
        subtitle = str(app.dashboard.query_one("#at-risk").border_subtitle)  # type: ignore[union-attr]
        assert subtitle.endswith(f" · {len(calm)} not at risk")
        await pilot.press("2", "end")
        await pilot.pause()
        assert selected(app) == rows[-1]
        assert "Risk" not in pane_text(app, "detail")  # its detail, without a risk line
        await pilot.press("d")
        await settle(pilot)
        assert on_disk(demo_db, rows[-1]).status is TaskStatus.DONE
        assert rows[-1] not in risk_ids(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash", *"api-3", "enter")
        await settle(pilot)
        assert risk_ids(app) == ["API-3"]
        assert "◌ snoozed API-3" in pane_text(app, "at-risk")
        assert "snoozed to Thu 03 Dec" in pane_text(app, "at-risk")


def risk_ids_unfiltered(app: TpmApp) -> list[str]:
    return [r.task.id for r in app.dashboard.data.brief.at_risk]  # type: ignore[union-attr]


async def test_t_and_its_keys_typed_in_one_burst(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        type_ahead(app, "td d")  # walk: MOB-5 done, API-3 skipped, DATA-7 done — before the walk is drawn
        await settle(pilot)
        assert isinstance(app.screen, GuidedTriage)
        assert "4 / " in screen_text(app)
    assert on_disk(demo_db, "MOB-5").status is TaskStatus.DONE
    assert on_disk(demo_db, "API-3").status is not TaskStatus.DONE
    assert on_disk(demo_db, "DATA-7").status is TaskStatus.DONE


async def test_t_to_the_end_shows_the_summary(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lena", "enter")  # the walk follows the filter: Lena's tasks
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert "1 / 2" in screen_text(app)
        walk = app.screen
        focus_before = walk.focused
        await pilot.press("s")
        await pilot.pause()
        picker = snooze_picker(app)
        assert picker is not None and picker.screen is walk and "Snooze API-5" in screen_text(app)
        await pilot.press("space")  # the walk's keys do not act behind the dialog
        await pilot.pause()
        assert snooze_picker(app) is picker and "1 / 2" in screen_text(app)
        await pilot.press("escape")  # cancels the dialog, not the walk
        await pilot.pause()
        assert snooze_picker(app) is None and app.screen is walk and walk.focused is focus_before
        assert "1 / 2" in screen_text(app) and "Snooze API-5" not in screen_text(app)
        assert on_disk(demo_db, "API-5").snoozed_until is None
        await pilot.press("s", "enter")  # snooze API-5 until tomorrow: decided, next
        await settle(pilot)
        assert "2 / 2" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "Triage finished" in text and "1 snoozed" in text and "Looked at 2 of 2" in text
    assert on_disk(demo_db, "API-5").snoozed_until == TODAY + timedelta(days=1)


async def test_slash_filters_at_risk_and_workload(demo_db: Path) -> None:
    before = disk_state(demo_db)
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "MOB-5" in risk_ids(app) and "Priya Raman" in pane_text(app, "workload")
        await pilot.press("slash", *"priya")
        await pilot.pause()
        risk = risk_ids(app)
        assert "API-1" in risk and "API-7" in risk and "MOB-5" not in risk and "API-3" not in risk
        work = pane_text(app, "workload")
        assert "Priya Raman" in work and "Tom Becker" not in work
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"mob")
        await pilot.pause()
        risk = risk_ids(app)
        assert "MOB-5" in risk and "API-1" not in risk
        assert "Diego Alvarez" in pane_text(app, "workload")  # MOB-5 is Diego's
        assert "Priya Raman" not in pane_text(app, "workload")
        await pilot.press("enter")  # keep it; the At risk pane gets the focus
        await pilot.pause()
        assert selected(app) == "MOB-5"
        assert "filter “mob”" in screen_text(app)
        await pilot.press("escape")  # clears
        await pilot.pause()
        assert "API-1" in risk_ids(app) and "Priya Raman" in pane_text(app, "workload")
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert "Nothing matches the filter" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "API-1" in risk_ids(app)
    assert disk_state(demo_db) == before


async def test_palette_runs_actions_and_jumps(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)

        async def palette(*words: str) -> None:
            for text in words:
                await pilot.press("ctrl+p")
                await pilot.pause()
                await pilot.press(*text)
                await pilot.pause(0.3)
                await pilot.press("enter")
                await settle(pilot)

        await palette("jump to task", "DATA-7")
        assert selected(app) == "DATA-7"
        await palette("mark done")
        assert on_disk(demo_db, "DATA-7").status is TaskStatus.DONE
        await palette("undo")
        assert on_disk(demo_db, "DATA-7").status is TaskStatus.DOING
        await palette("snooze")  # the palette opens the same dialog, focused
        picker = snooze_picker(app)
        assert picker is not None and app.screen.focused is picker.query_one(OptionList)
        await pilot.press("down", "enter")  # in 3 days
        await settle(pilot)
        assert snooze_picker(app) is None
        assert on_disk(demo_db, "DATA-7").snoozed_until == TODAY + timedelta(days=3)
        await palette("jump to person", "Lena Vogel")
        assert app.dashboard.query_one("#workload").current_item().person.handle == "lena"  # type: ignore[union-attr]
        await palette("days off")  # o from the palette: for the person just jumped to
        assert isinstance(app.screen, TextPrompt) and "Days off for Lena Vogel" in str(app.screen._title)  # noqa: SLF001
        await pilot.press("escape")
        await pilot.pause()
        await palette("API-3")  # a task id typed at the top level finds the task itself
        assert selected(app) == "API-3" and app.screen.focused is app.dashboard.query_one("#at-risk-list")
        await palette("marcus")  # and a name the person
        assert app.dashboard.query_one("#workload").current_item().person.handle == "marcus"  # type: ignore[union-attr]
        await palette("guided triage")
        assert isinstance(app.screen, GuidedTriage)
        await pilot.press("escape")
        await pilot.pause()
        old = app.theme
        await palette("theme")
        await pilot.press("down", "enter")  # pick another theme from Textual's picker
        await pilot.pause()
        assert app.theme != old


async def test_hostile_titles_show_literally_in_the_walk_and_toasts(demo_db: Path) -> None:
    store = Store.open(demo_db)
    with store.transaction():
        for i, title in enumerate(("[bold red]boom[/]", "evil \x1b[31mred\x1b[0m")):
            store.put_task(Task(id=f"EVIL-{i + 1}", project="API", title=title, assignee="sam",
                                due=TODAY - timedelta(days=9), remaining_hours=2.0, updated_at=NOW))
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"evil-", "enter")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        shown = screen_text(app)
        assert "[bold red]boom[/]" in shown
        await pilot.press("d")
        await settle(pilot)
        shown = screen_text(app)
        assert "evil ␛[31mred␛[0m" in shown
        assert "\x1b" not in app.export_screenshot()
        await pilot.press("d")
        await settle(pilot)
        titles = [n.title for n in app._notifications]  # noqa: SLF001
        assert "[bold red]boom[/]" in titles and "evil ␛[31mred␛[0m" in titles
        assert all(not n.markup for n in app._notifications)  # noqa: SLF001


async def test_help_lists_the_triage_keys(demo_db: Path) -> None:
    from conftest import plain

    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = plain(app.screen.query_one("#help-keys").content)
        for binding in DashboardScreen.BINDINGS:
            assert binding.tooltip in text, binding.tooltip  # type: ignore[union-attr]
        for key in (" d ", " s ", " > ", " < ", " a ", " b ", " p ", " n ", " e ", " x ", " N ", " u ", " ^r ", " t ",
                    " / "):
            assert key in f" {text} ".replace("\n", " "), key


async def test_the_selection_follows_a_task_after_the_one_above_it_left(demo_db: Path) -> None:
    """A snoozed task leaves, the next one moves up into its place and is selected; a key on
    that one moves it down the list (new score): the selection goes with it, so the next
    key acts on the same task, not on whichever moved into the place."""
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("s", "enter")  # MOB-5 snoozed to tomorrow leaves; API-3 moves up
        await settle(pilot)
        assert on_disk(demo_db, "MOB-5").snoozed_until == TODAY + timedelta(days=1)
        assert selected(app) == "API-3" and risk_ids(app)[0] == "API-3"
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await settle(pilot)
        moved = on_disk(demo_db, "API-3")
        assert moved.due is not None and moved.due > date(2026, 11, 30)  # no longer late
        assert risk_ids(app)[0] != "API-3"  # it moved down the list ...
        assert selected(app) == "API-3"  # ... and the selection with it
        await pilot.press("p")
        await settle(pilot)
        last = Store.open(demo_db).journal()[-1]
        assert last.action == "priority" and last.after is not None and last.after["id"] == "API-3"


async def test_undo_selects_the_task_it_brings_back(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await at_risk(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("down")
        assert selected(app) == "DATA-7"
        await pilot.press("u")  # MOB-5 is open again: back in the list, and selected
        await settle(pilot)
        assert "MOB-5" in risk_ids(app) and selected(app) == "MOB-5"
        await pilot.press("ctrl+r")  # done again: it leaves, the cursor stays in its place
        await settle(pilot)
        assert "MOB-5" not in risk_ids(app) and selected(app) == risk_ids(app)[0]


async def test_o_records_days_off_for_the_workload_person_and_minus_removes(demo_db: Path) -> None:
    """``o`` on a Workload row asks for days; they are saved (working days only), the
    recompute shows the lower capacity, Detail lists them as one run, ``-`` takes them back."""
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause()
        person = app.screen.query_one("#workload").current_item().person
        week = [TODAY + timedelta(days=i) for i in range(7 - TODAY.weekday())]  # the rest of this week
        capacity = next(w.capacity_hours for w in app.screen.data.brief.workload if w.person.handle == person.handle)
        await pilot.press("o")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt) and person.name in str(prompt._title)  # noqa: SLF001
        await pilot.press(*f"{week[0].isoformat()}..{week[-1].isoformat()}", "enter")
        await settle(pilot)
        working = [d for d in week if d.weekday() < 5]
        assert Store.open(demo_db).person(person.handle).days_off == tuple(working)  # type: ignore[union-attr]
        assert f"{person.name} off on {len(working)} working days" in " ".join(toasts(app))
        after = next(w.capacity_hours for w in app.screen.data.brief.workload if w.person.handle == person.handle)
        assert after == 0.0 < capacity
        assert f"Days off     {working[0]:%a %d %b}–{working[-1]:%a %d %b}" in pane_text(app, "detail")
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*f"-{working[-1].isoformat()}", "enter")
        await settle(pilot)
        assert Store.open(demo_db).person(person.handle).days_off == tuple(working[:-1])  # type: ignore[union-attr]
        assert f"{person.name} working again on 1 working day" in " ".join(toasts(app))
        await pilot.press("u")  # days off are journaled with the task actions
        await settle(pilot)
        assert Store.open(demo_db).person(person.handle).days_off == tuple(working)  # type: ignore[union-attr]
        assert any(t.startswith(f"Undone: {person.name} working again") for t in toasts(app))
        assert f"Days off     {working[0]:%a %d %b}–{working[-1]:%a %d %b}" in pane_text(app, "detail")


async def test_o_without_a_person_says_how_to_pick_one(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)  # the Today pane is active: no person, no task
        await pilot.press("o")
        await pilot.pause()
        assert not isinstance(app.screen, TextPrompt)
        assert any("Select a person first" in t for t in toasts(app))


async def test_a_persons_detail_lists_the_weeks_meetings_at_their_odd_hours(demo_db: Path) -> None:
    from tpm_tui.services.brief import odd_hours_week

    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # Workload: the most loaded first (Priya)
        await settle(pilot)
        detail = [line.strip() for line in pane_text(app, "detail").splitlines()]
        odd = odd_hours_week(app.store, "priya", TODAY - timedelta(days=TODAY.weekday()), TZ)
        assert odd
        at = next(i for i, line in enumerate(detail) if line.startswith("Odd hours this week (their time): "))
        assert detail[at].startswith(f"Odd hours this week (their time): {len(odd)}, ")
        first_meeting, first_local = odd[0]
        assert detail[at + 1] == f"☾ {first_local.start:%a %H:%M}–{first_local.end:%H:%M}  {first_meeting.summary}"


async def test_a_persons_detail_proposes_times_for_a_1_1_with_me(demo_db: Path) -> None:
    from datetime import timedelta as td

    from tpm_tui.services.brief import meeting_slots

    app = app_on(demo_db)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3", "down")  # Workload: the second most loaded (Tom, Berlin)
        await settle(pilot)
        handle = app.dashboard.query_one("#workload").current_item().person.handle  # type: ignore[union-attr]
        detail = [line.strip() for line in pane_text(app, "detail").splitlines()]
        at = detail.index("A 30-minute 1:1, next 5 days (your time · theirs)")
        slots = meeting_slots(app.store, [handle], TODAY, 5, TZ, NOW, td(minutes=30), limit=3).slots
        assert len(slots) == 3
        for line, s in zip(detail[at + 1:at + 4], slots, strict=True):
            theirs = next(lt for lt in s.local_times if lt.handle == handle)
            a = s.start.astimezone(ZoneInfo(TZ))
            assert line.startswith(f"{a:%a %d %b %H:%M}–{s.end.astimezone(ZoneInfo(TZ)):%H:%M} · "
                                   f"{theirs.start:%a %H:%M}–{theirs.end:%H:%M}")
        # no meeting of theirs or mine at the first time proposed
        first = slots[0]
        mine = [v for v in app.dashboard.data.brief.meetings  # type: ignore[union-attr]
                if v.start < first.end and first.start < v.end]
        assert mine == []
        # my own row proposes no 1:1 with myself
        me = app.store.settings().me
        loads = [w.person.handle for w in app.dashboard.data.brief.workload]  # type: ignore[union-attr]
        await pilot.press("home", *["down"] * loads.index(me))
        await settle(pilot)
        assert "1:1" not in pane_text(app, "detail")


async def test_keys_typed_fast_into_a_field_act_in_the_order_typed(demo_db: Path) -> None:
    """``2026-12-3 ⌫ 1`` and ``ctrl+u 2027-01-05`` posted all at once (a burst, or keys
    queued while the app is busy): the backspace and ctrl+u act where they were typed
    (Textual #6605 ran them after the characters behind them)."""
    from textual import events
    from textual.widgets import Input

    app = TpmApp(Store.open(demo_db), TZ, lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        due = app.screen.query_one("#f-due", Input)
        app.screen.set_focus(due)
        await pilot.pause()
        due.value = ""

        def burst(*keys: tuple[str, str | None]) -> None:
            for key, char in keys:
                app.post_message(events.Key(key, char))

        burst(*((c, c) for c in "2026-12-3"), ("backspace", None), ("1", "1"))
        await pilot.pause()
        await pilot.pause()
        assert due.value == "2026-12-1"
        burst(("ctrl+u", None), *((c, c) for c in "2027-01-05"))
        await pilot.pause()
        await pilot.pause()
        assert due.value == "2027-01-05"
