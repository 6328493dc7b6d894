"""SnoozePicker: the snooze dialog (``s``), drawn over the screen it was opened from.

Tomorrow / in 3 days / next Monday, or a typed date (``2026-12-10``, ``fri``, ``+5d``);
a bad or past date is named in one line and the dialog stays open; enter picks, escape
cancels, and the focus goes back where it was.

Why not a ``ModalScreen`` like the other dialogs: the snooze is committed by the key
that closes the dialog, and closing a modal screen makes Textual repaint the whole
screen underneath (90-110 ms at 10k tasks) before the change can show. This is a box on
the screen's ``dialog`` layer instead (``app.tcss``): showing and hiding it repaints only
the cells it covers. Keys stop at it as at a modal screen (:attr:`is_modal`): the
screen's and the app's keys (``d``, ``q``, ``escape`` …) do not act behind it.

A pick hands the day to the caller with a ``close`` callback, and the box stays up until
the caller calls it: once the snooze is on disk, in the same frame as the task leaves
the list (closing at once cost a frame of its own, which the acknowledgement of the
write then waited behind). Meanwhile the dialog takes no more input: a key (or a click
elsewhere) closes it first and then acts as it would have after it.

One picker per screen, mounted on the first ``s`` and reused (:meth:`open`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tpm_tui.domain import Task, TpmError
from tpm_tui.services.entry import parse_date
from tpm_tui.ui.text import fmt_day, lit

Picked = Callable[[date, Callable[[], None]], None]
"""Called with the day picked and ``close``; the box stays up until ``close()`` is called."""


def snooze_choices(today: date) -> list[tuple[str, date]]:
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return [
        ("Tomorrow", today + timedelta(days=1)),
        ("In 3 days", today + timedelta(days=3)),
        ("Next Monday", monday),
    ]


class _DateInput(Input):
    """The typed date; once a pick is made, keys pass through it (see :class:`SnoozePicker`)."""

    def _on_key(self, event: events.Key) -> None:
        picker = self.parent.parent if self.parent is not None else None
        if isinstance(picker, SnoozePicker) and picker.closing:
            # not typed here (Input's own handler is skipped): the key bubbles to the picker,
            # which closes, then on to the keys behind it
            event.prevent_default()


class SnoozePicker(Container):
    """The screen-wide, undrawn holder of the snooze box."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("tab", "cycle_focus", "Next field", show=False),
        Binding("shift+tab", "cycle_focus", "Previous field", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="snooze-picker")
        self.subject: Task | None = None
        self.today: date | None = None
        self.choices: list[tuple[str, date]] = []
        self._on_pick: Picked | None = None
        self._return_focus: Widget | None = None
        self._open = False
        # the token of the pick being saved (not ``_closing``: Textual's message pump has one,
        # and a truthy one makes it drop every message, bubbled keys included)
        self._pending_pick: object | None = None

    @property
    def is_modal(self) -> bool:
        """Keys stop here while it is open (Textual ends the binding chain at a modal node)."""
        return self._open

    @property
    def is_open(self) -> bool:
        """Shown and taking input."""
        return self._open

    @property
    def closing(self) -> bool:
        """A day was picked; the box is still up until the caller closes it."""
        return self._pending_pick is not None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="snooze-box") as box:
            box.display = False
            yield Static(classes="dialog-task", id="snooze-task")
            yield OptionList(id="snooze-choices")
            yield _DateInput(placeholder="or a date: 2026-12-10, fri, +5d", id="snooze-date")
            yield Static("", classes="dialog-error", id="snooze-error")
            yield Static(Text("enter picks · tab: type a date · esc cancels", style="dim"), classes="dialog-hint")

    @property
    def _box(self) -> Widget:
        return self.query_one("#snooze-box")

    # ------------------------------------------------------------ open / close

    def open(self, task: Task, today: date, on_pick: Picked) -> None:
        """Show the picker for ``task``; ``on_pick(day, close)`` on a pick; escape just closes."""
        if self.closing:
            self._hide()
        self.subject = task
        self.today = today
        self.choices = snooze_choices(today)
        self._on_pick = on_pick
        focused = self.screen.focused
        self._return_focus = None if focused is None or self in focused.ancestors_with_self else focused
        self._box.border_title = lit(f"Snooze {task.id}")
        self.query_one("#snooze-task", Static).update(lit(task.title, style="bold"))
        choices = self.query_one(OptionList)
        choices.set_options(
            Option(f"{label:<12} {fmt_day(day)}", id=f"c{i}") for i, (label, day) in enumerate(self.choices)
        )
        choices.highlighted = 0
        self.query_one(Input).value = ""
        self.show_error("")
        self._open = True
        self._box.display = True
        self.screen.set_focus(choices, scroll_visible=False)

    def pick(self, day: date) -> None:
        """Hand ``day`` to the caller (which queues the write at once); the box waits for ``close``."""
        on_pick, self._on_pick = self._on_pick, None
        if not self._open or on_pick is None:
            return
        self._open = False
        token = self._pending_pick = object()
        on_pick(day, lambda: self._close_pick(token))

    def cancel(self) -> None:
        """Close without a pick."""
        if self._open:
            self._open = False
            self._on_pick = None
            self._hide()

    def _close_pick(self, token: object) -> None:
        if self._pending_pick is not token:
            return  # closed already (a key or a click came first)
        if not self.is_attached:
            self._pending_pick = None  # its screen went away meanwhile
            return
        self._hide()

    def finish(self) -> None:
        """Close a pick still waiting for its caller now (a key or a click came first)."""
        if self.closing:
            self._hide()

    def _hide(self) -> None:
        """Hide the box and give the focus back."""
        self._pending_pick = None
        self._box.display = False
        back, self._return_focus = self._return_focus, None
        screen = self.screen
        if screen.focused is not None and self in screen.focused.ancestors_with_self:
            if back is not None and back.is_attached and back.focusable:
                screen.set_focus(back, scroll_visible=False)
            else:
                screen.set_focus(None)

    def show_error(self, message: str) -> None:
        self.query_one("#snooze-error", Static).update(lit(message, style="bold red") if message else "")

    # ------------------------------------------------------------ keys

    def action_cancel(self) -> None:
        self.cancel()

    def action_cycle_focus(self) -> None:
        choices, typed = self.query_one(OptionList), self.query_one(Input)
        self.screen.set_focus(typed if self.screen.focused is choices else choices, scroll_visible=False)

    def on_key(self, event: events.Key) -> None:
        """A key while a pick is being saved: close first; the key then goes where it would after."""
        self.finish()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()  # not a pane's row: the screen has nothing to do with it

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self._open:
            self.pick(self.choices[event.option_index][1])

    @on(Input.Submitted)
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        if not self._open or self.today is None:
            return
        try:
            day = parse_date(event.value, self.today, field="Date")
        except TpmError as exc:
            self.show_error(str(exc))
            return
        if day <= self.today:
            self.show_error(f"Date: {fmt_day(day)} is not in the future")
            return
        self.pick(day)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()  # not the dashboard's filter

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The focus went elsewhere on the screen (a click): the dialog is cancelled (or closed)."""
        focused = self.screen.focused
        if focused is None or self in focused.ancestors_with_self:
            return  # the app lost the focus, or it moved inside the dialog
        if self._open or self.closing:
            self._return_focus = None  # it is where the user put it
            self._open = False
            self._on_pick = None
            self._hide()
