"""run_app: the CLI's entry into the TUI, with TPM_HEADLESS and TPM_EXIT_AFTER_FIRST_PAINT."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import settle

from tpm_tui.ui.screens.dashboard import DashboardScreen


async def test_exit_after_first_paint_waits_for_the_data(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPM_EXIT_AFTER_FIRST_PAINT", "1")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.data is not None  # the panes were filled before it asked to exit
        assert app._exit  # noqa: SLF001


async def test_exit_after_first_paint_fails_when_the_first_load_fails(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    import tpm_tui.ui.screens.dashboard as dashboard

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setenv("TPM_EXIT_AFTER_FIRST_PAINT", "1")
    monkeypatch.setattr(dashboard, "build_dashboard", broken)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app._exit  # noqa: SLF001
    assert app.return_code == 1


def test_the_cli_pauses_the_gc_for_start_up_and_the_app_resumes_it(demo_db) -> None:  # noqa: ANN001
    """``tpm`` pauses the cyclic GC until the first frame; then what start-up made is frozen
    (the collector does not walk the loaded database again) and collections run while the
    user pauses (the idle collector); once the app closes, CPython's collector is back."""
    code = textwrap.dedent(
        """
        import gc, sys
        from tpm_tui.ui import app as ui_app
        seen = {}
        original = ui_app.TpmApp.first_frame_shown
        def first_frame_shown(self, failed=False):
            seen["paused before"] = not gc.isenabled()
            original(self, failed)
            seen["automatic after"] = gc.isenabled()
            seen["idle collector"] = self.idle_gc.active
            seen["frozen"] = gc.get_freeze_count()
        ui_app.TpmApp.first_frame_shown = first_frame_shown
        from tpm_tui.cli import main
        try:
            main(["--db", sys.argv[1]])
        except SystemExit:
            pass
        seen["enabled after exit"] = gc.isenabled()
        print(seen)
        """
    )
    env = {**os.environ, "TPM_HEADLESS": "1", "TPM_EXIT_AFTER_FIRST_PAINT": "1", "TPM_NOW": "2026-11-30T08:30:00+01:00"}
    done = subprocess.run([sys.executable, "-c", code, str(demo_db)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own dict literal
    assert seen["paused before"] and seen["frozen"] > 10_000
    assert seen["idle collector"] and not seen["automatic after"]
    assert seen["enabled after exit"]


async def test_without_the_variable_the_app_keeps_running(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app._exit  # noqa: SLF001


def test_run_app_headless_exits_after_first_paint() -> None:
    code = textwrap.dedent(
        """
        from datetime import date, datetime, time
        from zoneinfo import ZoneInfo
        from tpm_tui import demo
        from tpm_tui.storage import Store
        from tpm_tui.ui.app import run_app
        day = date(2026, 11, 30)
        now = datetime.combine(day, time(8, 30), tzinfo=ZoneInfo("Europe/Berlin"))
        store = Store.in_memory()
        demo.seed(store, day, now)
        run_app(store, tz="Europe/Berlin", now=lambda: now)
        print("exited")
        """
    )
    env = {**os.environ, "TPM_HEADLESS": "1", "TPM_EXIT_AFTER_FIRST_PAINT": "1"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "exited" in done.stdout


async def test_after_start_up_the_gc_runs_when_the_user_pauses(make_app) -> None:  # noqa: ANN001
    """The app hands the cyclic GC to its idle collector after the first frame: a key
    counts as activity, a write on its way postpones it, a pause lets it run; on exit
    the collector is CPython's again."""
    import gc

    from tests.fakes import Clock, FakeGC
    from tpm_tui.ui.idle_gc import IdleCollector

    fake, clock = FakeGC(enabled=True), Clock()
    app = make_app()
    app.resume_gc_after_first_frame = True  # as run_app sets it when the CLI paused the GC
    app.idle_gc = IdleCollector(clock=clock, collector=fake, quiet=1.0, min_pending=1)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.idle_gc.active and not fake.enabled
            clock.t += 5
            await pilot.press("2")  # a key: the collector waits for the next pause
            fake.pending = 10_000
            app._idle_gc_tick()  # noqa: SLF001
            assert fake.collected == 0
            app.pending_writes += 1  # a write on its way (no await: no timer can run between)
            clock.t += 2
            app._idle_gc_tick()  # noqa: SLF001
            assert fake.collected == 0
            app.pending_writes -= 1
            app._idle_gc_tick()  # noqa: SLF001
            assert fake.collected == 1 and fake.pending == 0
        assert fake.enabled and not app.idle_gc.active
    finally:
        gc.unfreeze()  # first_frame_shown froze this test process's heap
        gc.enable()


async def test_a_record_that_cannot_be_read_is_said_on_screen_and_nothing_is_written(
        demo_db, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import json

    from conftest import NOW, TZ

    from tests.conftest import disk_state
    from tpm_tui.storage import Store
    from tpm_tui.ui.app import TpmApp

    data = json.loads(demo_db.read_text())
    key, doc = next((k, d) for k, d in data["tasks"].items() if d["id"] == "API-1")
    doc["status"] = "bogus"
    demo_db.write_text(json.dumps(data))
    before = disk_state(demo_db)
    monkeypatch.setenv("TPM_EXIT_AFTER_FIRST_PAINT", "1")
    app = TpmApp(Store.open(demo_db), TZ, lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        said = [n.message for n in app._notifications]  # noqa: SLF001
        assert said == [f"Loading the day failed: {demo_db}: tasks record {key} (API-1): field 'status': expected "
                        "one of todo, doing, blocked, done, found text 'bogus' — fix or remove it in the file "
                        "(it was left untouched)"]
        assert app._exit  # noqa: SLF001
    assert app.return_code == 1
    assert disk_state(demo_db) == before


def test_without_a_terminal_the_dashboard_says_so_instead_of_drawing_into_a_pipe(demo_db, tmp_path) -> None:  # noqa: ANN001
    """``tpm`` in a pipe or a cron job: one line and exit 2, not escape codes in a file and a
    wait for keys that never come; ``--demo`` makes no folder for nothing."""
    from tests.conftest import disk_state

    env = {k: v for k, v in os.environ.items() if k != "TPM_HEADLESS"}
    env["TMPDIR"] = str(tmp_path)
    before = disk_state(demo_db)
    for args in (["--db", str(demo_db)], ["--demo"]):
        done = subprocess.run([sys.executable, "-c", "import sys; from tpm_tui.launch import main; sys.exit(main())",
                               *args], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stderr[-500:]
        assert done.stdout == ""
        assert done.stderr.startswith("tpm: the dashboard needs a terminal, and stdin")
        assert done.stderr.rstrip().endswith("not one; for text, use tpm brief (or tpm agenda, tpm task list)")
        assert len(done.stderr.splitlines()) == 1
    assert disk_state(demo_db) == before
    assert not list(tmp_path.glob("tpm-demo-*"))
