"""TpmApp: the Textual shell. Its one seam is ``TpmApp(store, tz, clock)``.

The CLI launches it with :func:`run_app`; tests and screenshots pass an in-memory
store and a fixed clock.
"""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker

from tpm_tui.domain import TpmError
from tpm_tui.ui.idle_gc import IdleCollector
from tpm_tui.ui.key_order import keep_key_order
from tpm_tui.ui.screens.dashboard import DashboardScreen
from tpm_tui.ui.text import safe_text

keep_key_order()  # backspace, ctrl+u, enter… in a text field act in typing order (Textual #6605)

if TYPE_CHECKING:
    from tpm_tui.storage import Store

Clock = Callable[[], datetime]
T = TypeVar("T")


class TpmApp(App[None]):
    """The morning console: one dashboard screen, modals for help, import and triage.

    Writes go through one writer thread (:attr:`writer`), in the order the keys were
    pressed; the UI keeps running while a write is saved, and is told only once the
    service call returned (the change is on disk then). Quitting waits for queued writes.
    """

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
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tpm-write")
        self.pending_writes = 0
        self.dashboard: DashboardScreen | None = None
        self.resume_gc_after_first_frame = False
        """Set by :func:`run_app` when the caller paused the cyclic GC for start-up."""
        self.idle_gc = IdleCollector()
        """After start-up (when :attr:`resume_gc_after_first_frame`): the cyclic GC runs
        while the user pauses, not inside a key's redraw (see :mod:`tpm_tui.ui.idle_gc`)."""
        self._held_keys: list[events.Key] = []
        """Keys typed ahead, waiting for the screen they belong to (see :meth:`_route_key`)."""
        saved = store.settings().theme
        if saved and saved != self.theme and saved in self.available_themes:
            self.theme = saved  # a name this Textual does not know (yet) leaves its default

    def on_mount(self) -> None:
        # a theme picked with ctrl+p "Change theme" (or set otherwise) is kept for next time
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _remember_theme(self, theme: Any) -> None:
        name = theme.name
        if name == self.store.settings().theme:
            return
        from tpm_tui.services.entry import set_theme

        store = self.store
        self.write(lambda: set_theme(store, name), lambda _result: None)

    def get_default_screen(self) -> DashboardScreen:
        self.dashboard = DashboardScreen(self.store, self.tz, self.clock)
        return self.dashboard

    def first_frame_shown(self, failed: bool = False) -> None:
        """The dashboard's first data is painted (or its first load failed): start-up is over."""
        if self.resume_gc_after_first_frame:
            self.resume_gc_after_first_frame = False
            # What start-up made (the loaded database, its caches, the widgets) lives as long
            # as the session: frozen, the collector never walks it again. (A few thousand
            # objects of start-up garbage are frozen with it; a full collection to free them
            # would stall the screen for 60-200 ms instead.)
            gc.freeze()
            gc.enable()
            # From here the collector runs when the user pauses (checked 4 times a second);
            # it is on again, as CPython's, once the app closes.
            self.idle_gc.start()
            self.set_interval(0.25, self._idle_gc_tick, name="idle gc")
        if self.exit_after_first_paint:
            self.exit(return_code=1 if failed else 0)

    last_input = float("-inf")
    """``time.monotonic()`` of the last key or mouse event (the screen waits for a pause before
    recomputing a stale dashboard)."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.last_input = time.monotonic()
            self.idle_gc.touch()
        if isinstance(event, events.Key) and self._route_key(event):
            return
        await super().on_event(event)

    def _route_key(self, event: events.Key) -> bool:
        """Keys typed ahead go where the keys before them lead (True: taken care of here).

        Textual hands every key to the widget focused when the key *arrives*, and only when
        it comes back unused are the bindings looked up — on the screen and focus of *then*.
        In a burst (``a`` then ``pr`` to pick Priya; ``/`` then ``api`` to filter; typed fast
        or while the screen is busy) the later keys are already on their way to the old
        focus when ``a`` opens a dialog or ``/`` focuses the filter line: they came back to
        be dropped by the dialog, or worse, to run the dashboard's keys (``p``: priority).
        Such a key — back unused, the screen or the focus moved since it was sent — is held
        and sent again, in order, once the new screen is mounted; new keys queue behind it.
        """
        if not event.is_forwarded:
            if self._held_keys:
                self._held_keys.append(event)
                return True
            event.tpm_sent_to = (self.screen, self.focused)  # type: ignore[attr-defined]
            return False
        sent_to = getattr(event, "tpm_sent_to", None)
        if sent_to is None or (sent_to[0] is self.screen and sent_to[1] is self.focused):
            return False
        self._held_keys = [*self._held_keys, event]
        self._send_held_keys()
        return True

    def _send_held_keys(self) -> None:
        screen = self.screen
        if not screen.is_mounted:
            self.call_after_refresh(self._send_held_keys)
            return
        held, self._held_keys = self._held_keys, []
        for key in held:
            self.post_message(events.Key(key.key, key.character))

    def _idle_gc_tick(self) -> None:
        dash = self.dashboard
        busy = bool(self.pending_writes) or (dash is not None and dash.busy)
        self.idle_gc.tick(busy)

    # ------------------------------------------------------------ writes

    def _submit(self, call: Callable[[], T]) -> Awaitable[T]:
        """Hand ``call`` to the writer thread now (after every write queued before it); await
        the result. ``pending_writes`` counts it until the awaitable is done."""
        self.pending_writes += 1
        try:
            future = asyncio.get_running_loop().run_in_executor(self.writer, call)
        except BaseException:
            self.pending_writes -= 1
            raise

        async def result() -> T:
            try:
                return await future
            finally:
                self.pending_writes -= 1

        return result()

    async def save(self, call: Callable[[], T]) -> T:
        """Run ``call`` on the writer thread (after every write queued before it); its result.

        Raises what ``call`` raised. The event loop keeps running meanwhile.
        """
        return await self._submit(call)

    def write(self, call: Callable[[], T], on_done: Callable[[T], Any],
              on_settled: Callable[[], Any] | None = None) -> Worker[None]:
        """Queue ``call``; ``on_done(result)`` runs on the UI once it returned; a failure is a toast.
        ``on_settled()`` runs on the UI after either (right after ``on_done``, in the same frame).

        ``call`` is handed to the writer thread here, not when the worker first runs (a
        turn of the event loop later, after whatever the key's handler does next).
        """
        saved = self._submit(call)

        async def run() -> None:
            try:
                try:
                    result = await saved
                except TpmError as exc:
                    self.notify(safe_text(str(exc)), title="Not saved", severity="error", timeout=8, markup=False)
                    return
                except Exception as exc:  # noqa: BLE001 - a bug or an OS error: the transaction rolled back
                    self.notify(safe_text(f"{type(exc).__name__}: {exc}"), title="Not saved", severity="error",
                                timeout=10, markup=False)
                    return
                on_done(result)
            finally:
                if on_settled is not None:
                    on_settled()

        return self.run_worker(run(), group="write", name="write", exit_on_error=False)

    async def writes_done(self) -> None:
        """Wait until every queued write is on disk."""
        await asyncio.get_running_loop().run_in_executor(self.writer, lambda: None)

    async def action_quit(self) -> None:
        await self.writes_done()
        self.exit()

    def on_unmount(self) -> None:
        self.writer.shutdown(wait=True)
        self.idle_gc.stop()


def run_app(store: Store, tz: str, now: Clock | None = None) -> None:
    """Run the TUI until the user quits. ``now`` = a clock returning an aware datetime (None: real time).

    ``TPM_HEADLESS=1`` runs without a terminal; ``TPM_EXIT_AFTER_FIRST_PAINT=1`` exits
    once the first day's data is on screen (benchmarks, smoke tests).

    A caller that paused the cyclic GC (``gc.disable()``) before opening the store has it
    resumed once the first frame is on screen: start-up allocates the database, its caches
    and the widgets, all long-lived, and the collector would otherwise walk them again and
    again before that frame (measured: ~0.14 s at 1k tasks, ~0.45 s at 10k).
    """
    import sys

    # Recomputing risk for thousands of tasks runs on a worker thread; a shorter GIL
    # switch interval lets the screen and the writer thread in between (measured at 10k
    # tasks: keypress -> durable p95 from 167 ms to 99 ms).
    sys.setswitchinterval(0.001)
    app = TpmApp(store, tz, now)
    app.resume_gc_after_first_frame = not gc.isenabled()
    app.run(headless=os.environ.get("TPM_HEADLESS") == "1")
    _fold_log(store)
    if app.return_code:
        raise SystemExit(app.return_code)


def _fold_log(store: Store) -> None:
    """Fold the session's write-ahead log into the main file on the way out.

    Every action was already durable in the log; if this fails (disk full, another
    process holding the lock), the log simply stays and is read next time. A session
    that finds no log (it wrote nothing, nor did anyone else) has nothing to fold, and
    skips taking the file lock for it (``tpm where`` names the log ``<database>.wal``).
    """
    if store.path is None or not Path(f"{store.path}.wal").exists():
        return
    try:
        store.checkpoint()
    except TpmError:
        pass
