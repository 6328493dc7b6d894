"""TpmApp: the Textual shell. Its one seam is ``TpmApp(store, tz, clock)``.

The CLI launches it with :func:`run_app`; tests and screenshots pass an in-memory
store and a fixed clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual.app import App
from textual.binding import Binding

from tpm_tui.ui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from tpm_tui.storage import Store

Clock = Callable[[], datetime]


class TpmApp(App[None]):
    """The morning console: one dashboard screen, modals for help and import."""

    CSS_PATH = "app.tcss"
    TITLE = "tpm"
    BINDINGS = [Binding("q", "quit", "Quit", tooltip="Quit tpm", id="app.quit")]

    def __init__(self, store: Store, tz: str, clock: Clock | None = None) -> None:
        super().__init__()
        self.store = store
        self.tz = tz
        zone = ZoneInfo(tz)
        self.clock: Clock = clock or (lambda: datetime.now(zone))
        self.exit_after_first_paint = os.environ.get("TPM_EXIT_AFTER_FIRST_PAINT") == "1"

    def get_default_screen(self) -> DashboardScreen:
        return DashboardScreen(self.store, self.tz, self.clock)


def run_app(store: Store, tz: str, now: Clock | None = None) -> None:
    """Run the TUI until the user quits. ``now`` = a clock returning an aware datetime (None: real time).

    ``TPM_HEADLESS=1`` runs without a terminal; ``TPM_EXIT_AFTER_FIRST_PAINT=1`` exits
    once the first day's data is on screen (benchmarks, smoke tests).
    """
    app = TpmApp(store, tz, now)
    app.run(headless=os.environ.get("TPM_HEADLESS") == "1")
    if app.return_code:
        raise SystemExit(app.return_code)
