"""Named UI states shared by the snapshot tests and ``tests/make_screenshots.py``.

Each scene opens the demo dashboard on the frozen clock (TODAY/NOW of
``tests/conftest.py``), presses its keys, waits for the data workers, and freezes the
cursor blink, so a screenshot is the same on every run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from tpm_tui import demo
from tpm_tui.storage import Store
from tpm_tui.ui.app import TpmApp


def _constants():  # noqa: ANN202 - TODAY/NOW/TZ from tests/conftest.py, without importing it as "conftest"
    spec = importlib.util.spec_from_file_location("_tpm_test_constants", Path(__file__).with_name("conftest.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_c = _constants()
TODAY, NOW, TZ = _c.TODAY, _c.NOW, _c.TZ


def demo_app(store: Store | None = None) -> TpmApp:
    """The demo dashboard on the frozen clock."""
    if store is None:
        store = Store.in_memory()
        demo.seed(store, TODAY, NOW)
    return TpmApp(store, TZ, lambda: NOW)


def quiet_demo_app() -> TpmApp:
    """The demo dashboard without meeting reminders: a scene that imports a meeting repeating
    every minute would otherwise show a reminder or not, by how long its keys took."""
    store = Store.in_memory()
    demo.seed(store, TODAY, NOW)
    store.put_settings(store.settings()._replace(remind_minutes=0))
    return demo_app(store)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every data load has finished and the screen has caught up."""
    app = pilot.app
    quiet = 0
    for _ in range(200):  # writes, then the recompute they ask for (and one more if asked meanwhile)
        busy = [w for w in app.workers if w.group in ("load", "import", "write") and not w.is_finished]
        details = app.screen_stack[0].query("DetailPane") if app.screen_stack else []
        if (getattr(app.screen_stack[0], "recompute_pending", False) or any(d.extras_pending for d in details)
                or getattr(app.screen, "extras_pending", False)):
            quiet = 0
            await pilot.pause(0.05)
        elif busy:
            quiet = 0
            await app.workers.wait_for_complete(busy)
        else:
            quiet += 1
            if quiet >= 2:
                break
        await pilot.pause()
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


@dataclass(frozen=True)
class Scene:
    name: str
    size: tuple[int, int]
    keys: tuple[str, ...] = ()
    description: str = ""
    make_app: Callable[[], TpmApp] = field(default=demo_app, compare=False)

    async def play(self, pilot: Pilot[None]) -> None:
        await settle(pilot)
        # the "Importing…" toast shows when an import takes over half a second: on a busy
        # machine it would appear in the picture, so a picture's content never depends on speed
        pilot.app.dashboard.IMPORT_NOTICE_AFTER = 3600.0  # type: ignore[union-attr]
        for key in self.keys:
            await pilot.press(key)
            await settle(pilot)


SCENES: tuple[Scene, ...] = (
    Scene("dashboard", (160, 48), description="The demo dashboard, wide: four panes in a grid"),
    Scene("dashboard-narrow", (80, 24), description="The same at 80×24: panes stacked"),
    Scene("at-risk", (160, 48), ("2", "down"), description="At risk focused, the second task in Detail"),
    Scene("plan", (160, 48), ("v",), description="The Plan view in the fourth pane"),
    Scene("next-day", (160, 48), ("right_square_bracket",), description="] moves to the next day"),
    Scene("week", (160, 48), ("w",), description="w: the shown day's week, Monday to Sunday, in the first pane"),
    Scene("projects", (160, 48), ("P",), description="P: every project, the most troubled first, each with its forecast"),
    Scene("meeting-notes", (160, 48), ("1", "j", "j", "j"),
          description="Today's stand-up in Detail, with my notes from the last one (n adds a note)"),
    Scene("help", (160, 48), ("question_mark",), description="? lists every key"),
    Scene("import-dialog", (160, 48), ("i",), description="i opens the import dialog"),
    Scene("guided-triage", (160, 48), ("t",), description="t walks the at-risk list one task at a time"),
    Scene("reassign", (160, 48), ("2", "down", "down", "down", "down", "a"),
          description="a on a task due Wednesday: who has its 20h free by then (their time), by load"),
    Scene("edit-form", (80, 24), ("2", "e"), description="e: one line a field, the whole form on an 80x24 terminal"),
    Scene("meet", (160, 48), ("m", *"priya", "space", *"marcus", "space", "4", "5", "m", "enter"),
          description="m: when can Priya (Kolkata), Marcus (Los Angeles) and you (Berlin) meet for 45 minutes"),
    # a relative path: the title shows it, and it is the same in every clone (run from the root)
    Scene("import-report", (160, 48),
          ("i", *("slash" if ch == "/" else "underscore" if ch == "_" else ch for ch in "tests/fixtures/ics"), "enter"),
          description="i on a folder: one line a file, refused files first", make_app=quiet_demo_app),
)
