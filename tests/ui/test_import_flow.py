"""The import dialog: i → path → enter → import in a worker → report toasts → panes reloaded."""

from __future__ import annotations

from pathlib import Path

from conftest import pane_text, screen_text, settle
from textual.widgets import Input

from tpm_tui.ui.screens.dashboard import DashboardScreen
from tpm_tui.ui.screens.import_modal import ImportModal

WIDE = (160, 48)

INVITE = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//tpm tests//EN\r
METHOD:REQUEST\r
BEGIN:VEVENT\r
UID:ui-import-1@example.com\r
DTSTAMP:20261120T090000Z\r
DTSTART;TZID=Europe/Berlin:20261130T120000\r
DTEND;TZID=Europe/Berlin:20261130T123000\r
SUMMARY:Budget review [b]Q1[/b]\r
LOCATION:Room Havel\r
ORGANIZER:mailto:cfo@example.com\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com\r
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:priya@example.com\r
END:VEVENT\r
END:VCALENDAR\r
"""


def messages(app) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(n.severity, n.message) for n in app._notifications]  # noqa: SLF001


async def open_dialog_beside(pilot, invite: Path) -> Input:  # noqa: ANN001
    """An .ics file made at ``invite``, the dashboard settled, ``i`` pressed: the path field."""
    invite.write_text("x")
    await settle(pilot)
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ImportModal)
    return pilot.app.screen.query_one(Input)


async def submit_path(pilot, path: str) -> None:  # noqa: ANN001
    app = pilot.app
    await pilot.press("i")
    await pilot.pause()
    assert isinstance(app.screen, ImportModal)
    app.screen.query_one(Input).value = path
    await pilot.press("enter")
    await settle(pilot)


async def test_import_dialog_imports_a_file_refreshes_today_and_u_takes_it_back(make_app, tmp_path: Path) -> None:
    ics = tmp_path / "budget.ics"
    ics.write_bytes(INVITE.encode())
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "Budget review" not in pane_text(app, "today")
        await submit_path(pilot, str(ics))
        assert isinstance(app.screen, DashboardScreen)
        assert ("information", f"{ics}: 1 added, 0 updated, 0 cancelled, 0 unchanged, 0 skipped — u to undo") in messages(app)
        today = pane_text(app, "today")
        assert "12:00–12:30" in today and "Budget review [b]Q1[/b]" in today and "Room Havel" in today
        # Priya is in Kolkata: 16:30 there, inside her hours; the invite is not at odd hours for anyone
        await pilot.press("u")  # the whole file taken back
        await settle(pilot)
        assert f"Undone: import of {ics} (1 added) — ctrl+r redoes" in [m for _, m in messages(app)]
        assert "Budget review" not in pane_text(app, "today")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Budget review" in pane_text(app, "today")
        # an import that changes nothing offers no undo
        await submit_path(pilot, str(ics))
        assert ("information", f"{ics}: 0 added, 0 updated, 0 cancelled, 1 unchanged, 0 skipped") in messages(app)


async def test_import_of_a_broken_file_is_an_error_toast(make_app, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ics"
    bad.write_bytes(b"this is not a calendar\n")
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        before = pane_text(app, "today")
        await submit_path(pilot, str(bad))
        errors = [m for sev, m in messages(app) if sev == "error"]
        assert errors and str(bad) in errors[0]
        assert pane_text(app, "today") == before


async def test_import_of_a_missing_path_is_an_error_toast(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await submit_path(pilot, str(tmp_path / "nope.ics"))
        assert any(sev == "error" and "nope.ics" in m for sev, m in messages(app))


async def test_import_dialog_completes_paths(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        field = await open_dialog_beside(pilot, tmp_path / "team-invites.ics")
        field.value = str(tmp_path / "team")
        await pilot.pause(0.2)
        await pilot.press("right")  # accepts the suggestion
        await pilot.pause()
        assert field.value == str(tmp_path / "team-invites.ics")


async def test_a_folder_gets_one_toast_and_a_list_of_its_files_problems_first(make_app, tmp_path: Path) -> None:
    from tpm_tui.ui.screens.import_report import ImportReport

    folder = tmp_path / "[b]invites[red]"
    folder.mkdir()
    (folder / "a-budget.ics").write_bytes(INVITE.encode())
    (folder / "b-broken.ics").write_bytes(b"this is not a calendar\n")
    (folder / "c-again.ics").write_bytes(INVITE.replace("ui-import-1", "ui-import-2").encode())
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        before = len(messages(app))
        await submit_path(pilot, str(folder))
        report = app.screen
        assert isinstance(report, ImportReport)
        toasts = [t for t in messages(app)[before:] if not t[1].startswith("Importing ")]  # a slow machine's notice
        assert toasts == [("warning", "3 files: 2 added · 1 refused — u undoes the folder")]
        text = screen_text(app)
        assert text.index("b-broken.ics") < text.index("a-budget.ics") < text.index("c-again.ics")
        assert "refused: not an iCalendar file" in text and "1 added" in text
        assert f"Import of {folder}" in text  # the folder's name literally, in the title
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert pane_text(app, "today").count("12:00–12:30 Budget review [b]Q1[/b]") == 2  # both files landed
        await pilot.press("u")  # the folder's files go back together
        await settle(pilot)
        assert "Undone: import of 2 files (2 added) — ctrl+r redoes" in [m for _, m in messages(app)]
        assert "Budget review" not in pane_text(app, "today")


async def test_the_whole_corpus_folder_is_reported_file_by_file(make_app) -> None:
    import pytest
    from tests.conftest import CORPUS

    from tpm_tui.ui.screens.import_report import ImportReport

    if not CORPUS.is_dir():
        pytest.skip(f"the shared ics corpus is not beside the clone ({CORPUS})")
    files = sorted(CORPUS.glob("*.ics"))
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        before = len(messages(app))
        await submit_path(pilot, str(CORPUS))
        for _ in range(100):
            if isinstance(app.screen, ImportReport):
                break
            await pilot.pause(0.1)
        report = app.screen
        assert isinstance(report, ImportReport)
        assert sorted(r.source for r in report.reports) == [str(f) for f in files]
        results = [m for _, m in messages(app)[before:] if not m.startswith("Importing ")]
        assert len(results) == 1 and results[0].startswith(f"{len(files)} files: ")  # one toast for the folder


async def test_right_arrow_typed_at_once_still_completes_the_path(make_app, tmp_path: Path) -> None:
    """A fast typist's path and → arrive before the suggestion is computed: → completes anyway."""
    from textual import events
    from textual.keys import _character_to_key

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        field = await open_dialog_beside(pilot, tmp_path / "team-invites.ics")
        for ch in str(tmp_path / "te"):
            app.post_message(events.Key(_character_to_key(ch), ch))
        app.post_message(events.Key("right", None))
        await pilot.pause()
        assert field.value == str(tmp_path / "team-invites.ics")


async def test_a_slow_import_says_it_is_running_and_a_quick_one_does_not(make_app, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import threading

    from tpm_tui.services import imports

    ics = tmp_path / "big.ics"
    ics.write_bytes(INVITE.encode())
    release = threading.Event()
    real = imports.import_sources

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        release.wait(10)
        return real(*args, **kwargs)

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        # quick (one invite, well within the delay even on a busy machine): only the result,
        # and the notice that was due later is called off
        monkeypatch.setattr(DashboardScreen, "IMPORT_NOTICE_AFTER", 3.0)
        await submit_path(pilot, str(ics))
        await pilot.pause(3.2)
        assert [m for _, m in messages(app) if m.startswith("Importing")] == []
        monkeypatch.setattr(DashboardScreen, "IMPORT_NOTICE_AFTER", 0.2)
        monkeypatch.setattr(imports, "import_sources", slow)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(ics)
        await pilot.press("enter")
        for _ in range(100):
            if any(m.startswith("Importing") for _, m in messages(app)):
                break
            await pilot.pause(0.05)
        assert ("information", f"Importing {ics}…") in messages(app)
        assert not any("unchanged" in m for _, m in messages(app)[-1:])
        release.set()
        await settle(pilot)
        assert messages(app)[-1] == ("information", f"{ics}: 0 added, 0 updated, 0 cancelled, 1 unchanged, 0 skipped")


async def test_i_takes_a_taskwarrior_export_too_and_u_takes_it_back(make_app, tmp_path: Path) -> None:
    import orjson

    export = tmp_path / "tasks.json"
    export.write_bytes(orjson.dumps([
        {"uuid": "tw-1", "description": "Renew the TLS certificates", "status": "pending", "project": "Ops",
         "due": "20261130T120000Z", "priority": "H"}]))
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        me = app.store.settings().me
        await submit_path(pilot, str(export))
        assert ("information", f"{export}: 1 added, 1 new project (OPS), 0 already here — u to undo") in messages(app)
        task = app.store.task("OPS-1")
        assert task is not None and task.assignee == me and task.priority == "high"
        await pilot.press("2", "slash", *"tls", "enter")
        await settle(pilot)
        assert "Renew the TLS certificates" in pane_text(app, "at-risk")  # due today at 13:00: listed
        await pilot.press("escape", "u")
        await settle(pilot)
        assert app.store.task("OPS-1") is None and app.store.project("OPS") is None
        broken = tmp_path / "broken.json"
        broken.write_bytes(b"[{\"description\": \"no uuid\"}]")
        await submit_path(pilot, str(broken))
        assert ("error", f"{broken}: task 1 ('no uuid'): no uuid (not a Taskwarrior export?)") in messages(app)


async def test_i_makes_tasks_of_an_ics_of_to_dos_and_meetings_of_a_mixed_one(make_app) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
    reminders, mixed = fixtures / "todos_apple_reminders.ics", fixtures / "todos_thunderbird_subtask_and_event.ics"
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await submit_path(pilot, str(reminders))
        assert ("information", f"{reminders}: 3 added (1 done), 1 new project (WORK), 0 already here — u to undo") \
            in messages(app)
        assert app.store.task("WORK-1") is not None and app.store.task("WORK-1").title == "Send board deck to Ana"  # type: ignore[union-attr]
        await pilot.press("u")
        await settle(pilot)
        assert app.store.task("WORK-1") is None
        await submit_path(pilot, str(mixed))  # meetings and to-dos: the meetings, and a word on the to-dos
        said = " ".join(m for _, m in messages(app))
        assert f"{mixed}: 1 added, 0 updated" in said and "3 to-dos (VTODO) left out: tpm task import" in said
        assert any(m.uid.endswith("5f04") for m in app.store.meetings())


async def test_i_takes_a_jira_csv_export_as_tasks(make_app) -> None:
    export = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "jira_cloud_issues.csv"
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await submit_path(pilot, str(export))
        assert ("information", f"{export}: 5 added (1 done), 1 new project (PAY), 0 already here — u to undo") \
            in messages(app)
        assert app.store.task("PAY-1").assignee == "priya"  # type: ignore[union-attr]
        await pilot.press("2", "slash", *"pay-101", "enter")
        await settle(pilot)
        assert "Tokenise stored card numbers" in pane_text(app, "at-risk")  # the Jira key finds it
