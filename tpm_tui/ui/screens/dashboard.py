"""DashboardScreen: owns the shown day and the loaded data, runs the workers, feeds the panes."""

from __future__ import annotations

import time

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, OptionList
from textual.worker import Worker, WorkerState, get_current_worker

from tpm_tui.domain import Meeting, MeetingNotes, Names, Occurrence, Person, Task, TaskStatus
from tpm_tui.logic.results import MeetingView, PersonLoad, RiskItem
from tpm_tui.services.brief import (agenda, daily_brief, forecast_finder, meeting_slots, odd_hours_week,
                                    room_elsewhere_finder, room_finder)
from tpm_tui.services.triage import Outcome
from tpm_tui.ui.commands import TpmCommands
from tpm_tui.ui.messages import DashboardData, DashboardLoaded, ImportFinished
from tpm_tui.ui.task_actions import TaskActions, task_bindings
from tpm_tui.ui.text import MAX_ROWS, fmt_day, safe_text
from tpm_tui.ui.widgets.at_risk_pane import AtRiskPane
from tpm_tui.ui.widgets.detail_pane import DetailPane
from tpm_tui.ui.widgets.footer import KeyFooter
from tpm_tui.ui.widgets.list_pane import ListPane, PaneList
from tpm_tui.ui.widgets.today_pane import JOIN_TIP, TodayPane
from tpm_tui.ui.widgets.workload_pane import WorkloadPane

if TYPE_CHECKING:
    from tpm_tui.storage import Store

Clock = Callable[[], datetime]

PANES = ("today", "at-risk", "workload", "detail")
PANE_TITLES = {"today": "Today", "at-risk": "At risk", "workload": "Workload", "detail": "Detail"}


def build_dashboard(store: Store, day: date, tz: str, now: datetime, lag: timedelta | None = None, *,
                    week_mode: bool = False) -> DashboardData:
    """Compute what the panes show (runs in a thread worker: may be slow at 10k tasks).

    ``lag``: see :func:`daily_brief` (risk, workload and plan may stay as of the last pass);
    ``week_mode``: the meetings of the day's week (Mon–Sun) too, for the Today pane's week view."""
    brief = daily_brief(store, day, tz, now, lag=lag)
    people = store.people()
    names = Names(people)  # full names, and the short ones lines use (namesakes told apart)
    wanted: set[str] = set()
    for item in brief.at_risk[:MAX_ROWS]:  # highest score first
        wanted.update(item.task.depends_on)
    wanted.update(b.task_id for b in brief.plan.blocks)
    wanted.update(s.task_id for s in brief.plan.shortfalls)
    tasks: dict[str, Task] = {}
    for task_id in wanted:
        task = store.task(task_id)
        if task is not None:
            tasks[task_id] = task
    today = now.astimezone(ZoneInfo(tz)).date()
    open_list = store.open_tasks()
    week = day - timedelta(days=day.weekday())
    odd: dict[str, list[Any]] = {}

    def odd_week(handle: str) -> list[Any]:  # computed when a person is selected, then kept
        got = odd.get(handle)
        if got is None:
            got = odd[handle] = odd_hours_week(store, handle, week, tz)
        return got

    slots: dict[str, list[Any]] = {}
    me = store.settings().me

    def meet(handle: str) -> list[Any]:  # times for a 1:1 with them: computed when selected, then kept
        got = slots.get(handle)
        if got is None:
            got = slots[handle] = [] if handle == me else meeting_slots(
                store, [handle], today, ONE_ON_ONE_DAYS, tz, brief.now, ONE_ON_ONE, limit=ONE_ON_ONE_SHOWN).slots
        return got

    week_views = agenda(store, week, 7, tz) if week_mode else None
    return DashboardData(brief=brief, today=today, names=names, tasks=tasks, open_tasks=len(open_list),
                         projects={p.key: p.name for p in store.projects()}, week=week_views,
                         room=room_finder(store), forecast=forecast_finder(store),
                         room_elsewhere=room_elsewhere_finder(store), open_list=open_list, odd_week=odd_week, meet=meet,
                         emails=frozenset(p.email.lower() for p in people),
                         my_email=next((p.email.lower() for p in people if p.handle == me), ""),
                         meeting_notes=notes_finder(store),
                         noted=frozenset(n.key for n in store.meeting_notes() if n.notes))


def notes_finder(store: Store) -> Callable[[Occurrence], tuple[MeetingNotes | None, MeetingNotes | None]]:
    """My notes on an occurrence, and the last time's (read when a meeting's Detail is drawn)."""
    from tpm_tui.services.meeting_notes import last_time, notes_of

    return lambda occ: (notes_of(store, occ), last_time(store, occ))


def _only_to_dos(path: str) -> bool:
    """Is ``path`` a calendar file of to-dos (VTODO) and no meetings (Reminders, a tasks
    export)? ``i`` makes those tasks; a calendar with meetings imports its meetings."""
    from pathlib import Path

    try:
        target = Path(path).expanduser()
        if not target.is_file():
            return False
        data = target.read_bytes().upper()
    except OSError:
        return False
    return b"BEGIN:VTODO" in data and b"BEGIN:VEVENT" not in data


MEET_DAYS = 5
"""``m`` looks for times in the next five days (``tpm meet --days`` for more)."""
ONE_ON_ONE = timedelta(minutes=30)
ONE_ON_ONE_DAYS = 5
ONE_ON_ONE_SHOWN = 3
"""A selected person's Detail proposes this many times for a 30-minute 1:1 with you in the
next five days (``tpm meet HANDLE`` gives more)."""


def patch_task(data: DashboardData, task: Task, day: date) -> DashboardData:
    """``data`` with ``task``'s new fields shown at once (risk scores follow with the recompute).

    A task that is done, or snoozed past ``day``, leaves the At risk list.
    """
    gone = not task.is_open or (task.snoozed_until is not None and task.snoozed_until > day)
    at_risk = data.brief.at_risk
    tid = task.id
    at = next((i for i, item in enumerate(at_risk) if item.task.id == tid), None)
    if at is None:
        items = at_risk
    elif gone:
        items = at_risk[:at] + at_risk[at + 1:]
    else:
        items = (*at_risk[:at], at_risk[at]._replace(task=task), *at_risk[at + 1:])
    tasks = dict(data.tasks)
    if task.id in tasks:
        tasks[task.id] = task
    brief = data.brief._replace(at_risk=tuple(items))
    # the open tasks the filter lists: a task not at risk changed by a key shows it at once too
    # (an overlay, not a copy of the list: 80k open tasks at 100k would cost every key ~5 ms)
    return replace(data, brief=brief, tasks=tasks, changed={**data.changed, tid: task})


class DashboardScreen(TaskActions, Screen[None]):
    """Four panes: Today, At risk, Workload, Detail/Plan."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    COMMANDS = {TpmCommands}

    # Footer order: the triage keys first (they must show at 80 columns), then help, panes, days.
    BINDINGS = [
        *task_bindings("dashboard"),
        Binding("N", "new_task", "New task", show=False, tooltip="Create a task (project required)",
                id="dashboard.new-task"),
        Binding("t", "guided_triage", "Triage", tooltip="Walk the at-risk list one task at a time",
                id="dashboard.triage"),
        Binding("slash", "filter", "Filter", tooltip="Filter At risk and Workload by project, person, words or +tag (finds every open task)",
                id="dashboard.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, tooltip="Clear the filter",
                id="dashboard.clear-filter"),
        Binding("?", "help", "Help", tooltip="Show every key", id="dashboard.help"),
        Binding("1", "focus_pane('today')", "Panes", key_display="1-4", tooltip="Focus the Today pane",
                id="dashboard.focus-today"),
        Binding("2", "focus_pane('at-risk')", "At risk", show=False, tooltip="Focus the At risk pane",
                id="dashboard.focus-at-risk"),
        Binding("3", "focus_pane('workload')", "Workload", show=False, tooltip="Focus the Workload pane",
                id="dashboard.focus-workload"),
        Binding("4", "focus_pane('detail')", "Detail", show=False, tooltip="Focus the Detail / Plan pane",
                id="dashboard.focus-detail"),
        Binding("[", "shift_day(-1)", "Day", key_display="[ ]", tooltip="Show the previous day",
                id="dashboard.prev-day"),
        Binding("]", "shift_day(1)", "Next day", show=False, tooltip="Show the next day",
                id="dashboard.next-day"),
        Binding(".", "go_today", "Today", tooltip="Back to today", id="dashboard.today"),
        Binding("w", "toggle_week", "Week", show=False, tooltip="Toggle the first pane between the day and its week",
                id="dashboard.week"),
        Binding("v", "toggle_plan", "Plan", tooltip="Toggle the Plan view in the fourth pane",
                id="dashboard.toggle-plan"),
        Binding("i", "import_ics", "Import", tooltip="Import .ics invites from a file or folder",
                id="dashboard.import"),
        Binding("r", "reload", "Reload", show=False, tooltip="Reload the data now", id="dashboard.reload"),
        Binding("m", "meet", "Meet", show=False, tooltip="When can we meet? Free times for several people",
                id="dashboard.meet"),
        Binding("enter", "join", "Join", show=False, tooltip=JOIN_TIP, id="dashboard.join"),
        Binding("y", "copy_update", "Copy update", show=False,
                tooltip="Copy the day's status update as markdown for an e-mail (filtered to a project: its own)",
                id="dashboard.copy_update"),
        Binding("c", "copy_minutes", "Copy minutes", show=False,
                tooltip="Copy my notes on the meeting selected in Today as minutes (markdown) for an e-mail",
                id="dashboard.copy-minutes"),
        Binding("o", "days_off", "Days off", show=False,
                tooltip="Record days off for the selected person (Workload) or the task's assignee",
                id="dashboard.days-off"),
        Binding("A", "answer_invite", "Answer", show=False,
                tooltip="Accept, maybe or decline the selected meeting, and write the reply to send",
                id="dashboard.answer"),
        Binding("E", "new_event", "New appointment", show=False,
                tooltip="Add an appointment of yours (Dentist @ thu 14:00 45m); on one of yours in Today: change it",
                id="dashboard.new-event"),
        Binding("P", "projects", "Projects", show=False,
                tooltip="Every project: how it stands, why, and whether its work fits before its target",
                id="dashboard.projects"),
    ]

    day: var[date | None] = var(None)
    """The local day shown (None until the first load)."""
    data: var[DashboardData | None] = var(None)
    """The loaded dashboard; panes are bound to it."""
    plan_mode: var[bool] = var(False)
    """The fourth pane shows the plan instead of the selected item's detail."""
    week_mode: var[bool] = var(False)
    """The first pane shows the shown day's week (Mon–Sun) instead of the day (``w``)."""
    selected_task: var[Task | None] = var(None, bindings=True)
    """The task the triage keys act on: the At risk pane's row, while that pane is the active one."""
    filter_text: var[str] = var("", bindings=True)
    """The ``/`` filter narrowing At risk and Workload."""

    def __init__(self, store: Store, tz: str, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.tz = tz
        self.clock = clock
        self._active_pane = "today"
        self._first_paint_done = False
        self._last_minute: datetime | None = None
        self._load_again = False
        self._recompute_timer: Timer | None = None
        self._today_views: tuple[MeetingView, ...] = ()  # today's meetings, for the reminders
        self._told: dict[str, datetime] = {}  # per series, the occurrence reminded of last this session
        self.loads_started = 0  # counters for tests and the benchmark
        self.loads_shown = 0
        self.patches_shown = 0

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # The breakpoint class for the terminal's width, before the first layout: Textual
        # sets it on the first resize, after laying out and drawing the whole screen once
        # without it (the 2x2 grid at any width), then restyles every widget for it.
        width = self.app.size.width
        for minimum, name in sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True):
            if width >= minimum:
                self.add_class(name)
                break
        yield Header(icon="◷")
        with Container(id="panes"):
            yield TodayPane(id="today").data_bind(DashboardScreen.data)
            yield AtRiskPane(id="at-risk").data_bind(DashboardScreen.data, DashboardScreen.filter_text)
            yield WorkloadPane(id="workload").data_bind(DashboardScreen.data, DashboardScreen.filter_text)
            yield DetailPane(id="detail").data_bind(DashboardScreen.data, DashboardScreen.plan_mode)
        yield Input(placeholder="filter: a project, a person or words of a title — enter keeps it, esc clears",
                    id="filter")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "tpm"
        self.sub_title = "loading…"
        self.query_one("#today-list").focus()
        self.day = self.today()
        self.set_interval(2.0, self.tick, name="tick")

    # ------------------------------------------------------------ time

    def now(self) -> datetime:
        return self.clock().astimezone(ZoneInfo(self.tz))

    def today(self) -> date:
        return self.now().date()

    def watch_day(self, day: date | None) -> None:
        if day is not None:
            self.load(reason="day" if self._first_paint_done else "")

    # ------------------------------------------------------------ loading

    RECOMPUTE_DELAY = 0.1
    """Seconds of quiet after a write before risk, workload and plan are recomputed (a
    burst of keys costs one recompute; after one action the recompute reassesses only
    what the change can move, ~35 ms at 10k tasks, so the wait can be short)."""

    def request_load(self) -> None:
        """Recompute after writes, debounced: a burst of keys costs one recompute, started once
        the keys pause, so the compute thread does not slow the next write or the repaint.
        At most one recompute runs; one more follows if asked for meanwhile."""
        if self._recompute_timer is not None:
            self._recompute_timer.stop()
        self._recompute_timer = self.set_timer(self.RECOMPUTE_DELAY, self._recompute, name="recompute")

    def postpone_recompute(self) -> None:
        """A key is acting: a recompute still waiting for quiet waits ``RECOMPUTE_DELAY`` more.

        Keys of a burst often come slower than the delay (a snooze is ``s``, a look, then
        ``enter``): without this, the previous key's recompute — its thread and then the
        redraw of every pane — lands in the middle of the next key."""
        if self._recompute_timer is not None:
            self._recompute_timer.stop()
            self._recompute_timer = self.set_timer(self.RECOMPUTE_DELAY, self._recompute, name="recompute")

    def _recompute(self) -> None:
        self._recompute_timer = None
        if self.loading:
            self._load_again = True
        else:
            self.load(reason="write")

    @property
    def recompute_pending(self) -> bool:
        """A recompute is due, or a pane has rows still to add (tests and benchmarks wait on it)."""
        if self._recompute_timer is not None or self._load_again:
            return True
        # the lists themselves, not each pane's: while the app closes, a timer may still ask
        # after a pane whose list is already gone (a NoMatches at exit, seen once under load)
        return any(rows.tail for rows in self.query(PaneList))

    @property
    def loading(self) -> bool:
        """A load (compute of the dashboard) is running."""
        return any(w.group == "load" and not w.is_finished for w in self.workers)

    @property
    def busy(self) -> bool:
        """A recompute is due or running (its redraw is on its way)."""
        return self.recompute_pending or self.loading

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, name="load")
    def load(self, reload_disk: bool = False, reason: str = "") -> None:
        """Compute the dashboard for the shown day (and re-read the file first if asked)."""
        day = self.day
        assert day is not None
        if reload_disk:
            self.store.reload()
        lag = self.LAG if reason in ("write", "day", "week") else None
        version = self.store.version
        started = time.monotonic()
        data = build_dashboard(self.store, day, self.tz, self.now(), lag, week_mode=self.week_mode)
        if lag is None:
            self.full_pass_seconds = time.monotonic() - started
        if not get_current_worker().is_cancelled:
            self.post_message(DashboardLoaded(data, reason, version))

    @on(DashboardLoaded)
    def show_dashboard(self, message: DashboardLoaded) -> None:
        data = message.data
        again = self._load_again
        if again:
            self._load_again = False
            self.load(reason="write")
        if data.brief.day != self.day:
            return  # a stale load for a day no longer shown
        if self._first_paint_done and message.version is not None and message.version != self.store.version:
            # computed from the data before a write that has landed since (and is already on
            # screen through its patch): drawing it would show that change undone for a moment
            if not again:
                self.request_load()
            return
        if message.reason in ("write", "fresh") and getattr(self.app, "pending_writes", 0) and self._first_paint_done:
            # a write is on its way: this result is already older than what the next
            # acknowledgement shows, and drawing it now would delay that. Once the keys
            # pause, the recompute runs again.
            self.request_load()
            return
        self.data = data
        if data.is_today:
            self._today_views = data.brief.meetings
        if self._follow is not None:
            self.query_one(AtRiskPane).select_key(self._follow)
            self._follow = None
        self.loads_shown += 1
        self.sub_title = self.describe_day(data)
        self.sync_detail()
        if message.reason == "disk":
            self.say("Data changed on disk — reloaded", title="tpm")
        if not self._first_paint_done:
            self._first_paint_done = True
            self._after_first_frame()
            if data.is_today:
                # after the first frame and out of its way: a run that exits on it never pays
                self.set_timer(self.LOOK_AFTER, lambda: self.compare_with_last_look(data))

    _invite_written: Path | None = None
    """The invitation ``m`` wrote last, offered by the next ``i``."""

    LOOK_AFTER = 1.0
    """Seconds after the first frame before the risk list is compared with the last look."""
    _looked = False

    def on_unmount(self) -> None:
        """Remember the risk list as last shown for today (what the session solved is no
        news next time) — once the look at start-up was taken."""
        data = self.data
        if self._looked and data is not None and data.is_today:
            from tpm_tui.services.seen import remember

            remember(self.store, data.brief.at_risk, data.brief.now)

    @work(thread=True, exclusive=True, group="seen", exit_on_error=False, name="seen")
    def compare_with_last_look(self, data: DashboardData) -> None:
        """Say what turned late, became at risk or left the list since this database was
        last shown (:mod:`tpm_tui.services.seen`), and remember this look."""
        from tpm_tui.services.seen import look

        changes = look(self.store, data.brief.at_risk, data.brief.now)
        self._looked = True
        if changes:
            text = changes.text(ZoneInfo(self.tz))
            self.app.call_from_thread(self.say, text, title="Since you last looked", timeout=20)

    def describe_day(self, data: DashboardData) -> str:
        day = data.brief.day
        text = f"{fmt_day(day)} · {data.brief.tz}"
        delta = (day - data.today).days
        if delta == 0:
            text += " · today"
        elif delta == 1:
            text += " · tomorrow"
        elif delta == -1:
            text += " · yesterday"
        else:
            text += f" · {delta:+d} days"
        return text

    LAG = timedelta(minutes=10)
    """How far behind the clock risk, workload and plan may be after a triage key or a day
    change: re-scoring just what changed as of the last full pass (~30 ms at 10k tasks)
    instead of a full pass for the new minute (~0.45 s). A full pass follows once the user
    pauses (:meth:`refresh_if_stale`)."""
    FRESH_AFTER_IDLE = 2.0
    """Seconds without input before a stale dashboard is recomputed for the current minute."""
    full_pass_seconds = 0.0
    """How long the last full computation took (a busy database is refreshed less often)."""
    _fresh_started = float("-inf")

    def tick(self) -> None:
        """Every 2 s: reload when another process changed the file; move the now-line each
        minute; recompute for the current minute when the shown data is older and the user
        pauses."""
        if not getattr(self.app, "pending_writes", 0) and self.store.has_changed_on_disk():
            self.load(reload_disk=True, reason="disk")
        now = self.now()
        minute = now.replace(second=0, microsecond=0)
        if minute != self._last_minute:
            previous = self._last_minute
            self._last_minute = minute
            self.query_one(TodayPane).now = minute
            if previous is not None and previous.date() != minute.date() and self.day == previous.date():
                # past midnight with "today" shown: show the new today (a day paged to stays)
                self.day = minute.date()
                return
        self.remind(now)
        self.refresh_if_stale()

    REMIND_SECONDS = 30
    """How long a reminder stays on screen."""

    def remind(self, now: datetime) -> None:
        """Ring and say which of today's meetings starts within the reminder lead (``tpm set
        remind``), once each; also while another day is shown."""
        from tpm_tui.logic.agenda import join_link, reminder_text, reminders_due

        views = self._today_views
        if not views:
            return
        lead = timedelta(minutes=self.store.settings().remind_minutes)
        due = reminders_due(views, now, lead, self._told)
        if not due:
            return
        for view in due:
            self._told[view.occurrence.uid] = view.start  # type: ignore[assignment]
        # one note and one ring, however many start together
        lines = [reminder_text(view, now) for view in due[:3]]
        if len(due) > 3:
            lines.append(f"and {len(due) - 3} more")
        link = join_link(due[0].occurrence.meeting) if len(due) == 1 else None
        if link:
            lines.append(link)  # where terminals know links, a click joins
        self.say("\n".join(lines), title="Meeting" if len(due) == 1 else f"{len(due)} meetings",
                 severity="warning", timeout=self.REMIND_SECONDS)
        self.app.bell()

    def refresh_if_stale(self) -> bool:
        """Start a full recompute if what is shown is as of an earlier minute (after triage keys,
        or simply as time passes: a task falls due, free hours shrink), the user has paused, and
        nothing else is on its way. At most every ``10 x`` the last full pass's duration (a
        database whose pass takes 5 s is refreshed every 50 s, not every minute)."""
        data = self.data
        if data is None or not self._first_paint_done or self.busy or getattr(self.app, "pending_writes", 0):
            return False
        if data.brief.now.replace(second=0, microsecond=0) >= self.now().replace(second=0, microsecond=0):
            return False
        clock = time.monotonic()
        if clock - getattr(self.app, "last_input", float("-inf")) < self.FRESH_AFTER_IDLE:
            return False
        if clock - self._fresh_started < 10 * self.full_pass_seconds:
            return False
        self._fresh_started = clock
        self.load(reason="fresh")
        return True

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.name == "import":
            self._call_off_import_notice()
        what = {"load": "Loading the day", "import": "Import"}.get(event.worker.name, event.worker.name)
        self.say(f"{what} failed: {error}", severity="error", timeout=10)
        if event.worker.name == "load" and not self._first_paint_done:
            self._first_paint_done = True
            self._after_first_frame(failed=True)

    def _after_first_frame(self, failed: bool = False) -> None:
        """Tell the app once the frame showing the first data (or its failure) is painted."""
        shown = getattr(self.app, "first_frame_shown", None)
        if shown is not None:
            self.app.call_after_refresh(shown, failed)

    # ------------------------------------------------------------ selection → detail

    def pane_of(self, widget: Widget | None) -> str | None:
        while widget is not None:
            if widget.id in PANES:
                return widget.id
            widget = widget.parent  # type: ignore[assignment]
        return None

    def on_descendant_focus(self, event: object) -> None:
        pane = self.pane_of(self.focused)
        if pane is not None and pane != "detail" and pane != self._active_pane:
            self._active_pane = pane
            self.sync_detail()

    @on(ListPane.ItemHighlighted)
    def item_highlighted(self, message: ListPane.ItemHighlighted) -> None:
        if message.pane.id == self._active_pane:
            self.query_one(DetailPane).item = message.item
            self.sync_selected()

    def sync_detail(self) -> None:
        pane = self.query_one(f"#{self._active_pane}", ListPane)
        self.query_one(DetailPane).item = pane.current_item()
        self.sync_selected()

    def sync_selected(self) -> None:
        item = self.query_one(AtRiskPane).current_item() if self._active_pane == "at-risk" else None
        self.selected_task = item.task if isinstance(item, RiskItem) else item if isinstance(item, Task) else None

    # ------------------------------------------------------------ task actions

    def current_task(self) -> Task | None:
        """The task the At risk cursor is on, read from the list itself: ``selected_task``
        follows the cursor through a message, which a key typed right behind ``down`` (the
        ``a`` of ``down a``) would overtake — and act on the row the cursor just left."""
        pane = self.pane_of(self.focused)
        if pane is None or pane == "detail":
            pane = self._active_pane  # focus moved to the Detail pane (or a dialog): the pane before
        if pane != "at-risk":
            return None
        item = self.query_one(AtRiskPane).current_item()  # at risk, or (with a filter) an open task not at risk
        return item.task if isinstance(item, RiskItem) else item if isinstance(item, Task) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            shown = bool(self.filter_text) or self.query_one("#filter", Input).has_class("-shown")
            return True if shown else None
        if action == "delete_task" and self._active_pane == "today":  # x on an appointment of mine removes it
            return True if self._my_appointment() is not None else None
        if action == "add_note" and self._active_pane == "today":  # n on a meeting: a note on it
            return True if self._selected_meeting() is not None else None
        return self.task_check(action)

    FOLLOWED_KINDS = frozenset({"undo", "redo", "new"})
    """Writes after which the At risk selection moves to the task they concern."""
    _follow: str | None = None

    def after_write(self, kind: str, outcome: Outcome, task: Task | None) -> None:
        """A triage action is on disk: say so, show the task's new fields now, recompute the rest."""
        if outcome.task_id is None and outcome.entry_id is None:  # nothing to undo / redo, nothing changed
            self.say(outcome.message, title="tpm", severity="warning")
            return
        if task is None and kind == "delete" and self.data is not None:
            # the deleted task leaves the lists now, shown as closed until the recompute drops it
            data = self.data
            tid = outcome.task_id
            gone = next((i.task for i in data.brief.at_risk if i.task.id == tid), None) or next(
                (t for t in data.open_list if t.id == tid), None)
            if gone is not None:
                task = gone._replace(status=TaskStatus.DONE)
        if kind == "undo":
            text = f"{outcome.message} — ctrl+r redoes"
        else:
            text = f"{outcome.message} — u to undo"
        self.say(text, title=task.title if task is not None else "")
        if outcome.task_id is None:  # a person's change (days off), or its undo: recompute everything
            self.request_load()
            return
        if kind in self.FOLLOWED_KINDS:
            # the task an undo, redo or new task concerns is selected: now if the At risk
            # pane shows it, else once the recompute puts it there (an undone "done")
            self._follow = outcome.task_id
            if self.query_one(AtRiskPane).select_key(outcome.task_id):
                self._follow = None
        if task is not None and self.data is not None:
            # Only the panes that show task fields are redrawn now (At risk, Detail); the
            # recompute that follows refreshes scores, workload and plan everywhere.
            patched = patch_task(self.data, task, self.data.brief.day)
            self.set_reactive(DashboardScreen.data, patched)
            self.query_one(AtRiskPane).data = patched
            detail = self.query_one(DetailPane)
            # the detail body is drawn once, for the new data and the row now selected
            detail.set_reactive(DetailPane.data, patched)
            self.patches_shown += 1
            self.sync_detail()
            detail.refresh_body()
        self.request_load()

    def say(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None) -> None:  # noqa: E501
        """A toast whose text is shown literally (file names and errors come from outside)."""
        text = "\n".join(safe_text(line) for line in str(message).split("\n"))
        self.notify(text, title=safe_text(title), severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    # ------------------------------------------------------------ actions

    def action_focus_pane(self, pane: str) -> None:
        # set_focus, not focus(): focus() moves it later, and a key typed right after "2"
        # would still find the old pane focused (see TpmApp._route_key)
        target = self.query_one(f"#{pane}")
        self.set_focus(target.query_one(OptionList) if isinstance(target, ListPane) else target)
        target.scroll_visible()

    def action_shift_day(self, days: int) -> None:
        base = self.day or self.today()
        self.day = base + timedelta(days=days * (7 if self.week_mode else 1))  # the week view pages by weeks

    def action_toggle_week(self) -> None:
        self.week_mode = not self.week_mode

    def watch_week_mode(self) -> None:
        if self.day is not None:
            self.load(reason="week")

    def action_go_today(self) -> None:
        self.day = self.today()

    def action_toggle_plan(self) -> None:
        self.plan_mode = not self.plan_mode

    def action_reload(self) -> None:
        self.load(reload_disk=True)

    def action_copy_update(self) -> None:
        """``y`` (yank): the shown day's stakeholder update, as ``tpm brief --format markdown``
        prints it, to the clipboard (the terminal's, through OSC 52) to paste into an e-mail."""
        from tpm_tui.logic.render import done_window, render_markdown

        data = self.data
        if data is None:
            self.notify("Nothing to copy yet: the day is still loading", severity="warning", markup=False)
            return
        from tpm_tui.logic.render import for_project

        store = self.store
        # the filter names one project (/api): that project's update, for its stakeholders
        words = self.filter_text.split()
        only = store.project(words[0].upper()) if len(words) == 1 else None
        brief, open_tasks = data.brief, store.open_tasks()
        if only is not None:
            brief = for_project(brief, only, open_tasks, me=store.settings().me)
        done = store.done_between(*done_window(brief.day, ZoneInfo(brief.tz)))
        if only is not None:
            done = [t for t in done if t.project == only.key]
        from tpm_tui.services.brief import forecasts

        text = render_markdown(brief, store.people(), store.projects(), open_tasks, only=only, done=done,
                               forecasts=forecasts(store, [only] if only else None)).rstrip("\n")
        self.app.copy_to_clipboard(text)
        what = "Status update" if only is None else f"{only.name or only.key} update"
        to = f" (to {', '.join(only.stakeholders)})" if only is not None and only.stakeholders else ""
        self.say(f"{what} for {data.brief.day:%a %d %b} copied{to}: {len(text.splitlines())} lines of markdown — "
                 "paste it into an e-mail" + ("" if only is not None else "; /KEY then y copies one project's"),
                 title="Copied")

    def action_join(self) -> None:
        """``enter`` on a meeting: its join link to the clipboard (the terminal's, through
        OSC 52: over SSH too) and in a note, where terminals that know links make it
        clickable. Opening a browser from a terminal app is left out on purpose: with no
        desktop, Python's webbrowser may start a text browser in this very terminal."""
        from tpm_tui.logic.agenda import join_link

        # Today's selection while Today is the active pane (also with the focus on Detail, which shows it)
        item = self._selected_meeting()
        if item is None:
            self.notify("Select a meeting in Today (1) first", severity="warning", markup=False)
            return
        link = join_link(item.occurrence.meeting)
        if link is None:
            where = item.occurrence.meeting.location.strip()
            self.say("No join link in this meeting" + (f" (location: {where})" if where else ""),
                     title="Join", severity="warning")
            return
        self.app.copy_to_clipboard(link)
        self.say(f"Join link copied: {link}", title=item.summary)

    def action_copy_minutes(self) -> None:
        """``c`` on a meeting in Today: my notes on it as minutes (``tpm meeting notes --format
        markdown``: heading, who was invited, the notes) to the clipboard, to paste into an e-mail."""
        from tpm_tui.logic.render import notes_markdown
        from tpm_tui.services.meeting_notes import notes_of

        item = self._selected_meeting()
        if item is None:
            self.notify("Select a meeting in Today (1) first", severity="warning", markup=False)
            return
        mine = notes_of(self.store, item.occurrence)
        if mine is None or not mine.notes:
            self.say("No notes on this meeting yet: n adds one", title=item.summary, severity="warning")
            return
        invited = [a.name or a.email for a in item.occurrence.meeting.attendees]
        text = notes_markdown([mine], {mine.key: invited}, ZoneInfo(self.tz)).rstrip("\n")
        self.app.copy_to_clipboard(text)
        self.say(f"Minutes copied: {len(mine.notes)} note{'s' if len(mine.notes) != 1 else ''}, "
                 f"{len(text.splitlines())} lines of markdown — paste them into an e-mail", title=item.summary)

    def action_answer_invite(self) -> None:
        """``A`` on a meeting in Today: accept, maybe or decline it (stored, journaled: ``u``
        takes it back) and write the reply to the file the dialog offers."""
        from tpm_tui.services.answer import answer_meeting
        from tpm_tui.services.invite import file_target
        from tpm_tui.ui.screens.answer_modal import AnswerInvite

        item = self._selected_meeting()
        if item is None:
            self.notify("Select a meeting in Today (1) first", severity="warning", markup=False)
            return
        meeting = item.occurrence.meeting
        when = f"{item.start:%a %d %b %H:%M}" if isinstance(item.start, datetime) else f"{item.start:%a %d %b}"
        uid = meeting.uid

        series = meeting.is_recurring or item.occurrence.recurrence_id is not None
        occurrence = item.occurrence if series and item.occurrence.recurrence_id is not None else None

        def answered(got: tuple[str, str, bool] | None) -> None:
            if not got:
                return
            partstat, path, only = got

            def call(store: Store, now: datetime) -> Outcome:
                target = file_target(path, "reply file", "reply.ics") if path else None
                outcome = answer_meeting(store, uid, partstat, now, reply_to=target,
                                         occurrence=occurrence if only else None)
                if target is not None:
                    outcome = replace(outcome, message=f"{outcome.message}; reply written to {target}")
                return outcome

            self.queue("answer", call)

        from tpm_tui.services.invite import default_reply_path

        organizer = meeting.organizer.lower().removeprefix("mailto:")
        day = f"{item.start:%a %d %b}" if occurrence is not None else None
        self.app.push_screen(AnswerInvite(meeting.summary, when, organizer, item.my_answer,
                                          str(default_reply_path(meeting.summary)), day), answered)

    def _selected_handle(self) -> str | None:
        """The Workload pane's person while it is the active pane, else the selected task's assignee."""
        if self._active_pane == "workload":
            item = self.query_one(WorkloadPane).current_item()
            return item.person.handle if isinstance(item, PersonLoad) else None
        task = self.current_task()
        return task.assignee if task is not None else None

    def _person_or_none(self) -> Person | None:
        """The person :meth:`_selected_handle` names, or None with a note saying how to pick one."""
        handle = self._selected_handle()
        person = self.store.person(handle) if handle else None
        if person is None:
            self.notify("Select a person first (3 focuses Workload), or a task with an assignee",
                        severity="warning", markup=False)
        return person

    def action_meet(self) -> None:
        """``m``: when can we meet? Starts with the Workload pane's person (or the selected
        task's assignee) and 30 minutes; the line can name more people and a length."""
        from tpm_tui.logic.render import slot_lines
        from tpm_tui.ui.screens.meet_modal import MeetFinder

        store, tz = self.store, self.tz
        people = store.people()
        me = store.settings().me
        handle = self._selected_handle()
        initial = f"{handle} 30m" if handle and handle != me else ""

        def find(handles: list[str], length: timedelta) -> tuple[Any, Any, list[str]]:
            now = self.now()
            today = now.date()
            asked, slots, never_free = meeting_slots(store, handles, today, MEET_DAYS, tz, now, length)
            lines = slot_lines(asked, slots, tz, int(length.total_seconds() // 60), today,
                               today + timedelta(days=MEET_DAYS - 1), me=me, never_free=never_free)
            return asked, slots, lines

        def book(asked: Any, slot: Any, title: str, path: str) -> str:
            from tpm_tui.services.invite import file_target, write_invite

            target = file_target(path, "file", "meeting.ics")
            said = write_invite(store, target, asked, slot, title, ZoneInfo(tz), self.now())
            self._invite_written = target  # what i offers to import next
            return said + "; i imports it here"

        def suggest(slot: Any) -> str:
            from tpm_tui.services.invite import default_invite_path

            return str(default_invite_path(slot.start, ZoneInfo(tz)))

        def booked(said: str | None) -> None:
            if said:
                self.say(said, title="Invitation written")

        self.app.push_screen(MeetFinder(find, people, initial, book=book, suggest=suggest), booked)

    def action_days_off(self) -> None:
        """``o``: days off for a person (holiday, leave): a date or FIRST..LAST; ``-`` first
        removes them. Journaled: ``u`` takes them back."""
        person = self._person_or_none()
        if person is None:
            return
        from tpm_tui.services.entry import parse_day_span
        from tpm_tui.services.triage import days_off
        from tpm_tui.ui.screens.task_modals import TextPrompt

        def answered(text: str | None) -> None:
            if not text or not text.strip():
                return
            spec = text.strip()
            off = not spec.startswith("-")
            spec = spec.removeprefix("-").strip()

            def call(store: Store, now: datetime) -> Outcome:
                first, last = parse_day_span(spec, now.date())
                return days_off(store, person.handle, first, last, now, off=off)

            self.queue("days-off", call)

        self.app.push_screen(
            TextPrompt(f"Days off for {person.name}",
                       "Which days? A date or FIRST..LAST (only their working days count); start with - to remove.",
                       placeholder="2026-12-21..2027-01-01, fri, +1w..+2w, -fri"),
            answered,
        )

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-shown")
        self.set_focus(box)  # at once: what is typed right after "/" goes into the line

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value

    @on(Input.Submitted, "#filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        box = self.query_one("#filter", Input)
        box.set_class(bool(event.value.strip()), "-shown")
        self.action_focus_pane("at-risk")

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.filter_text = ""
        box.remove_class("-shown")
        if self.focused is box:
            self.action_focus_pane("at-risk")

    def jump_to_task(self, task_id: str) -> None:
        """Select the task in At risk: as the list stands, else without the filter, else (ranked
        below the rows shown) with the list filtered to its id."""
        pane = self.query_one(AtRiskPane)
        if pane.select_key(task_id):
            self.action_focus_pane("at-risk")
            return
        if self.data is None or not any(r.task.id == task_id for r in self.data.brief.at_risk):
            self.say(f"{task_id} is not in the At risk list", severity="warning")
            return
        shown_without_filter = any(r.task.id == task_id for r in self.data.brief.at_risk[:MAX_ROWS])
        self._set_filter("" if shown_without_filter else task_id)
        self.call_after_refresh(self._jump_after_filter, task_id)

    def _jump_after_filter(self, task_id: str) -> None:
        self.query_one(AtRiskPane).select_key(task_id)
        self.action_focus_pane("at-risk")

    def _set_filter(self, text: str) -> None:
        box = self.query_one("#filter", Input)
        box.value = text
        self.filter_text = text
        box.set_class(bool(text), "-shown")

    def jump_to_person(self, handle: str) -> None:
        pane = self.query_one(WorkloadPane)
        if not pane.select_key(handle) and self.filter_text:
            self.action_clear_filter()
            self.call_after_refresh(lambda: (pane.select_key(handle), self.action_focus_pane("workload")))
            return
        self.action_focus_pane("workload")

    def action_guided_triage(self) -> None:
        from tpm_tui.ui.screens.guided_triage import GuidedTriage

        if self.data is None:
            return
        items = [r for r in sorted(self.data.brief.at_risk, key=lambda r: -r.score)]
        tokens = self.filter_text
        if tokens:
            from tpm_tui.ui.text import filter_tokens, task_matches

            words = filter_tokens(tokens)
            items = [r for r in items if task_matches(r.task, words, self.data.names)]
        if not items:
            self.say("Nothing at risk to walk through", title="Triage")
            return
        loads = {w.person.handle: w.load_pct for w in self.data.brief.workload}
        self.app.push_screen(GuidedTriage(items, names=self.data.names, tz=self.tz, room=self.data.room, loads=loads))

    def _selected_meeting(self) -> MeetingView | None:
        """The meeting selected in Today, while Today is the active pane."""
        from textual.css.query import NoMatches

        try:  # (asked by check_action before the panes are composed too)
            item = self.query_one(TodayPane).current_item() if self._active_pane == "today" else None
        except NoMatches:
            return None
        return item if isinstance(item, MeetingView) else None

    def action_add_note(self) -> None:
        """``n``: a note on the selected task — or, in Today, on the selected meeting (that occurrence)."""
        item = self._selected_meeting()
        if item is None:
            super().action_add_note()
            return
        from tpm_tui.services.meeting_notes import add_note, day_text, fix_note, notes_of
        from tpm_tui.ui.screens.task_modals import NoteChange, NotePrompt

        occurrence = item.occurrence
        zone = ZoneInfo(self.tz)

        def answered(said: str | NoteChange | None) -> None:
            if isinstance(said, NoteChange):
                change = said
                self.queue("meeting-note", lambda store, now: fix_note(store, occurrence, change.which, change.text,
                                                                       now, zone, at=change.at))
            elif said:
                text = said
                self.queue("meeting-note", lambda store, now: add_note(store, occurrence, text, now, zone))

        title = occurrence.meeting.summary or "(no title)"
        had = notes_of(self.store, occurrence)
        self.app.push_screen(NotePrompt(f"Note on {day_text(item.start)}'s meeting", f"{title}: talking point, "
                                        "decision or follow-up", notes=had.notes if had is not None else (),
                                        tz=self.tz, placeholder="e.g. ask Priya about the PCI freeze"),
                             answered)

    def _my_appointment(self) -> Meeting | None:
        """The appointment of mine (``E`` / ``tpm event add``) selected in Today, if that is what is selected."""
        from tpm_tui.services.events import is_mine

        item = self._selected_meeting()
        return item.occurrence.meeting if item is not None and is_mine(item.occurrence.meeting) else None

    def action_delete_task(self) -> None:
        """``x``: delete the selected task — or, in Today, remove the selected appointment of mine."""
        appointment = self._my_appointment()
        if appointment is None:
            super().action_delete_task()
            return
        from rich.text import Text

        from tpm_tui.services.events import remove_event
        from tpm_tui.ui.screens.task_modals import AskFirst

        uid = appointment.uid
        item = self._selected_meeting()
        repeats = bool(appointment.rrule or appointment.recurrence_id)
        occurrence = item.occurrence if item is not None and repeats else None
        zone = ZoneInfo(self.tz)

        def answered(yes: bool | str | None) -> None:
            if yes == "one":
                self.queue("event", lambda store, now: remove_event(store, uid, now, only=occurrence, tz=zone))
            elif yes:
                self.queue("event", lambda store, now: remove_event(store, uid, now))

        every = " (every occurrence: it repeats)" if repeats else ""
        said = Text(f"\nRemoved{every}, it no longer takes your time; u brings it back.")
        one = f"{item.start:%a %d %b}" if occurrence is not None and item is not None else None
        self.app.push_screen(AskFirst("Remove appointment", appointment.summary, said, "removes", one=one), answered)

    def action_new_event(self) -> None:
        """``E``: an appointment of mine (``tpm event add``), in one line: TITLE @ WHEN [LENGTH];
        on an appointment of mine selected in Today: that line, to change it."""
        from tpm_tui.services.events import add_event, parse_line
        from tpm_tui.ui.screens.task_modals import TextPrompt

        tz = ZoneInfo(self.tz)

        def check(text: str) -> None:
            parse_line(text, self.now().astimezone(tz).date(), tz)  # a bad line keeps the dialog open

        appointment = self._my_appointment()
        item = self._selected_meeting()
        if appointment is not None and item is not None:
            if appointment.rrule or appointment.recurrence_id:
                self._change_which(appointment, item.occurrence)
            else:
                self._change_appointment(appointment, None)
            return

        def answered(text: str | None) -> None:
            if not text:
                return

            def call(store: Store, now: datetime) -> Outcome:
                line = parse_line(text, now.astimezone(tz).date(), tz)
                _meeting, outcome, clashes = add_event(store, line.title, line.start, line.length, now,
                                                       repeat=line.repeat)
                said = f"Added {outcome.message}" + (f"; overlaps {', '.join(clashes)}" if clashes else "")
                return replace(outcome, message=said)

            self.queue("event", call)

        self.app.push_screen(TextPrompt("New appointment", "What and when? TITLE @ WHEN [LENGTH] [REPEAT] (an hour "
                                        "unless said; weekly, weekdays, every 2 weeks…)",
                                        placeholder="Dentist @ thu 14:00 45m", check=check), answered)

    def _change_which(self, appointment: Meeting, occurrence: Occurrence) -> None:
        """``E`` on a day of a repeating appointment: every day (``y``) or this day alone (``o``)?"""
        from rich.text import Text

        from tpm_tui.ui.screens.task_modals import AskFirst

        series = self.store.meeting(appointment.uid) or appointment
        day = f"{occurrence.start.astimezone(ZoneInfo(self.tz)):%a %d %b}"  # type: ignore[union-attr]

        def answered(which: bool | str | None) -> None:
            if which == "one":
                self._change_appointment(series, occurrence)
            elif which:
                self._change_appointment(series, None)

        said = Text(f"\nIt repeats: change every day of it, or {day} alone (the other days stay)?")
        self.app.push_screen(AskFirst("Change appointment", series.summary, said, "every day", one=day), answered)

    def _change_appointment(self, series: Meeting, occurrence: Occurrence | None) -> None:
        """The one line of an appointment, to change it: the series (or a single one), or with
        ``occurrence`` that day alone (its line has no repeat: one day cannot repeat)."""
        from tpm_tui.domain import InputError
        from tpm_tui.services.events import KEEP, change_event, line_of, parse_line
        from tpm_tui.ui.screens.task_modals import TextPrompt

        tz = ZoneInfo(self.tz)
        uid = series.uid
        # one day changed alone: a weekday named is that day's own or the next after it
        day = occurrence.start.astimezone(tz).date() if occurrence is not None and isinstance(occurrence.start, datetime) else None

        def check(text: str) -> None:  # a bad line keeps the dialog open
            line = parse_line(text, self.now().astimezone(tz).date(), tz, weekday_from=day)
            if occurrence is not None and line.repeat is not None:
                raise InputError("one day cannot repeat: leave the repeat out (E on it, then y, changes every day)")

        def changed(text: str | None) -> None:
            if not text:
                return

            def call(store: Store, now: datetime) -> Outcome:
                line = parse_line(text, now.astimezone(tz).date(), tz, weekday_from=day)
                _meeting, outcome, clashes = change_event(
                    store, uid, now, title=line.title, start=line.start, length=line.length,
                    repeat=line.repeat if occurrence is None else KEEP, only=occurrence, tz=tz)
                said = f"Changed {outcome.message}" if outcome.entry_id is not None else outcome.message
                return replace(outcome, message=said + (f"; overlaps {', '.join(clashes)}" if clashes else ""))

            self.queue("event", call)

        if occurrence is None:
            value, hint = line_of(series, tz), "TITLE @ WHEN [LENGTH] [REPEAT] (x removes it)"
        else:
            shown = occurrence.meeting if occurrence.meeting.recurrence_id else series
            value = line_of(shown._replace(start=occurrence.start, end=occurrence.end, rrule=None), tz)
            hint = f"{occurrence.start.astimezone(tz):%a %d %b} alone: TITLE @ WHEN [LENGTH]"  # type: ignore[union-attr]
        self.app.push_screen(TextPrompt("Change appointment", hint, value=value, check=check), changed)

    def action_projects(self) -> None:
        """``P``: the projects, most troubled first; enter on one filters the panes to it (``/KEY``)."""
        from tpm_tui.logic.projects import overview
        from tpm_tui.ui.screens.projects_modal import ProjectsModal

        data = self.data
        if data is None:
            self.say("Nothing to show yet: the day is still loading", severity="warning")
            return
        rows = overview(self.store.projects(), data.brief.at_risk, data.open_list, data.today, data.forecast,
                        data.room_elsewhere)

        def chosen(key: str | None) -> None:
            if key:
                self._set_filter(key)
                self.action_focus_pane("at-risk")

        self.app.push_screen(ProjectsModal(rows, data.names), chosen)

    def action_help(self) -> None:
        from tpm_tui.ui.screens.help_modal import HelpModal  # the dialogs load when opened

        self.app.push_screen(HelpModal(self.active_bindings))

    def action_import_ics(self) -> None:
        """The import dialog. Pushed at once, not from a worker: keys typed right after ``i``
        go to the dialog, never to the dashboard underneath (a fast ``i`` + ``d`` would
        otherwise mark a task done)."""
        from tpm_tui.ui.screens.import_modal import ImportModal

        def chosen(path: str | None) -> None:
            if path:
                self.run_import(path)
                # a big calendar takes seconds (icalendar's parse: ~1 s a thousand events):
                # say that it is on its way if it is not done in half a second
                self._call_off_import_notice()  # an import still running is replaced by this one
                self._import_notice = self.set_timer(
                    self.IMPORT_NOTICE_AFTER, lambda: self.say(f"Importing {path}…", title="Import"))

        offered, self._invite_written = self._invite_written, None
        self.app.push_screen(ImportModal(str(offered) if offered else ""), chosen)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, name="import")
    def run_import(self, path: str) -> None:
        if path.lower().endswith((".json", ".csv")) or _only_to_dos(path):  # Taskwarrior, GitHub, Jira, Reminders
            from tpm_tui.services.taskwarrior import import_path

            report = import_path(self.store, path, now=self.now(), tz=ZoneInfo(self.tz),
                                 assignee=self.store.settings().me)
            self.post_message(ImportFinished([report]))
            return
        from tpm_tui.services.imports import import_sources

        reports = import_sources(self.store, [path], now=self.now())
        self.post_message(ImportFinished(reports))

    IMPORT_NOTICE_AFTER = 0.5
    """Seconds an import may take before a toast says it is running."""
    _import_notice: Timer | None = None

    def _call_off_import_notice(self) -> None:
        if self._import_notice is not None:
            self._import_notice.stop()
            self._import_notice = None

    @on(ImportFinished)
    def import_finished(self, message: ImportFinished) -> None:
        self._call_off_import_notice()
        if len(message.reports) > 1:
            # a folder: one toast with the sums and the list of files, problems first
            # (not one toast a file, and one more for each file's warnings)
            from tpm_tui.ui.screens.import_report import ImportReport, totals

            refused = any(getattr(r, "error", None) is not None for r in message.reports)
            changed = sum(getattr(r, name, 0) for r in message.reports if getattr(r, "error", None) is None
                          for name in ("added", "updated", "cancelled"))
            self.say(totals(message.reports) + (" — u undoes the folder" if changed else ""), title="Imported",
                     severity="warning" if refused else "information")
            self.app.push_screen(ImportReport(message.reports))
            self.load(reason="import")
            return
        for report in message.reports:
            error = getattr(report, "error", None)
            line = report.summary_line() if hasattr(report, "summary_line") else str(report)
            if error:
                self.say(line, title="Import failed", severity="error", timeout=10)
                continue
            changed = sum(getattr(report, name, 0) for name in ("added", "updated", "cancelled"))
            self.say(line + (" — u to undo" if changed else ""), title="Imported")
            warnings = list(getattr(report, "warnings", ()) or ())
            if warnings:
                shown = "\n".join(str(w) for w in warnings[:5])
                more = f"\n… and {len(warnings) - 5} more" if len(warnings) > 5 else ""
                self.say(shown + more, title=f"{len(warnings)} warning(s)", severity="warning", timeout=10)
        self.load(reason="import")
