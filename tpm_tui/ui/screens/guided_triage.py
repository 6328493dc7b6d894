"""Guided triage (``t``): the at-risk list one task at a time, then what was decided.

The card shows the task's reasons and fields and the progress (``3 / 9``). The
dashboard's task keys act on the card's task. ``d``, ``s``, ``a``, ``b`` and ``x`` decide
and move to the next card; ``>``/``<``, ``p``, ``n`` and ``e`` change the task and
stay (press again, or ``space`` to move on). ``space`` skips; ``escape`` leaves. At
the end (or on ``escape``) a summary lists every action saved during the walk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from tpm_tui.domain import Names, Task
from tpm_tui.logic.results import RiskItem
from tpm_tui.logic.risk import Fit
from tpm_tui.services.triage import Outcome
from tpm_tui.ui.task_actions import TaskActions, task_bindings
from tpm_tui.ui.text import lit, may_want_room, triage_card
from tpm_tui.ui.widgets.footer import KeyFooter

ADVANCING = frozenset({"done", "snooze", "reassign", "block", "unblock", "delete"})
"""Actions that decide a card: the walk moves on as soon as they are queued."""

WORDS = {
    "done": "done", "snooze": "snoozed", "reassign": "reassigned", "block": "blocked", "unblock": "unblocked",
    "due+1": "due later", "due-1": "due earlier", "priority": "priority changed", "note": "noted",
    "edit": "edited", "hours": "hours logged", "new": "created", "undo": "undone", "redo": "redone", "delete": "deleted",
}


class GuidedTriage(TaskActions, ModalScreen[None]):
    """A focused card per at-risk task; the summary at the end."""

    BINDINGS = [
        *task_bindings("triage"),
        Binding("space", "skip", "Next", tooltip="Skip to the next task", id="triage.skip"),
        Binding("escape", "leave", "Leave", tooltip="Leave the walk (shows the summary)", id="triage.leave"),
    ]

    index: var[int] = var(0, bindings=True)
    finished: var[bool] = var(False, bindings=True)

    def __init__(self, items: Sequence[RiskItem], *, names: Mapping[str, str], tz: str,
                 room: Callable[[Task], Mapping[str, Fit]] | None = None,
                 loads: Mapping[str, float] | None = None) -> None:
        super().__init__(id="guided-triage")
        self.items = list(items)
        self.names = names if isinstance(names, Names) else Names(names)
        self.room = room  # who has room for a task (the dashboard's, from the same risk pass)
        self.loads = dict(loads or {})
        self.zone = ZoneInfo(tz)
        self.decided: dict[str, list[str]] = {}
        self.saved: list[tuple[str, Outcome]] = []
        self.skipped: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="triage-box") as box:
            box.border_title = "Guided triage"
            box.border_subtitle = "space next · esc leave"
            yield Static(id="triage-progress")
            with VerticalScroll(id="triage-scroll"):
                yield Static(id="triage-card")
            yield Static(Text("d done · s snooze · > < due ±1 day · a reassign · b block · p priority\n"
                              "n note · h hours · e edit · x delete · u undo · space next · esc leave", style="dim"), id="triage-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show_card()

    # ------------------------------------------------------------ state

    def current_item(self) -> RiskItem | None:
        if self.finished or not 0 <= self.index < len(self.items):
            return None
        return self.items[self.index]

    def current_task(self) -> Task | None:
        item = self.current_item()
        return None if item is None else item.task

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skip" and self.finished:
            return False
        return self.task_check(action)

    def watch_index(self) -> None:
        self.show_card()

    def watch_finished(self) -> None:
        self.show_card()

    # ------------------------------------------------------------ drawing

    def show_card(self) -> None:
        if not self.query("#triage-card"):
            return  # not composed yet
        progress = self.query_one("#triage-progress", Static)
        card = self.query_one("#triage-card", Static)
        if self.finished:
            progress.update(Text("Triage finished", style="bold"))
            card.update(self.summary())
            self.query_one("#triage-box").border_subtitle = "esc closes"
            self.query_one("#triage-keys").display = False
            return
        item = self.current_item()
        if item is None:
            return
        bar = Text(f"{self.index + 1} / {len(self.items)}", style="bold")
        done = sum(1 for i in self.items if i.task.id in self.decided)
        bar.append(f"   {done} decided", style="dim")
        progress.update(bar)
        room = self._room_later(item) if self.room is not None and may_want_room(item) else None
        card.update(triage_card(item, names=self.names, tz=self.zone, decided=self.decided.get(item.task.id, ()),
                                room=room, loads=self.loads))
        self.query_one("#triage-scroll", VerticalScroll).scroll_home(animate=False)

    ROOM_AFTER = 0.15
    """Seconds a card must rest before "who has room" (the capacity rule for every person:
    ~30 ms a card with 2,000 people) is filled in: space through cards never waits for it."""
    _rooms: dict[str, tuple[Task, Mapping[str, Fit]]] | None = None
    _room_timer: Timer | None = None

    @property
    def extras_pending(self) -> bool:
        """A card is waiting for its "who has room" section (tests wait for it)."""
        return self._room_timer is not None

    def _room_later(self, item: RiskItem) -> Mapping[str, Fit] | None:
        hit = (self._rooms or {}).get(item.task.id)
        if hit is not None and hit[0] is item.task:
            return hit[1]
        if self._room_timer is not None:
            self._room_timer.stop()
        self._room_timer = self.set_timer(self.ROOM_AFTER, lambda: self._fill_room(item.task))
        return None

    def _fill_room(self, task: Task) -> None:
        self._room_timer = None
        current = self.current_task()
        if self.room is None or current is None or current is not task:
            return  # the card moved on (its own timer was started for it)
        if self._rooms is None or len(self._rooms) > 64:
            self._rooms = {}
        self._rooms[task.id] = (task, self.room(task))
        self.show_card()

    def summary(self) -> Text:
        """Counts per action, then every saved action, then what was skipped."""
        t = Text(end="")
        counts = Counter(kind for kind, _ in self.saved)
        looked = min(len(self.items), self.index + (0 if self.index >= len(self.items) else 1))
        total = len(self.items)
        t.append(f"Looked at {looked} of {total} task{'' if total == 1 else 's'} at risk.\n\n")
        if counts:
            t.append(" · ".join(f"{n} {WORDS.get(kind, kind)}" for kind, n in counts.items()), style="bold")
            t.append("\n\n")
            for _, outcome in self.saved:
                t.append("  ✔ ", style="green")
                t.append_text(lit(outcome.message))
                t.append("\n")
        else:
            t.append("Nothing changed.\n", style="italic")
        skipped = [i.task.id for i in self.items if i.task.id in self.skipped and i.task.id not in self.decided]
        if skipped:
            t.append(f"\nSkipped ({len(skipped)}): ", style="bold")
            t.append_text(lit(", ".join(skipped)))
            t.append("\n")
        t.append("\nEvery change is saved; u on the dashboard undoes them one by one.", style="dim")
        return t

    # ------------------------------------------------------------ moving

    def advance(self) -> None:
        if self.index + 1 >= len(self.items):
            self.finished = True
        else:
            self.index += 1

    def action_skip(self) -> None:
        item = self.current_item()
        if item is not None and item.task.id not in self.decided:
            self.skipped.add(item.task.id)
        self.advance()

    def action_leave(self) -> None:
        if self.finished or not self.saved:
            self.dismiss(None)
        else:
            self.finished = True

    # ------------------------------------------------------------ TaskActions hooks

    def action_queued(self, kind: str, task: Task | None) -> None:
        if kind in ADVANCING and task is not None and self.current_task() is not None \
                and self.current_task().id == task.id:  # type: ignore[union-attr]
            self.advance()

    def task_written(self, kind: str, outcome: Outcome, task: Task | None) -> None:
        if outcome.task_id is None:  # nothing to undo / redo
            return
        self.saved.append((kind, outcome))
        if outcome.task_id:
            self.decided.setdefault(outcome.task_id, []).append(WORDS.get(kind, kind))
        if task is not None:
            self.items = [i._replace(task=task) if i.task.id == task.id else i for i in self.items]
        self.show_card()
