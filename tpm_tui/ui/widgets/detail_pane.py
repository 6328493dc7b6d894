"""Detail / Plan: the selected item in full, or the proposed focus blocks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from tpm_tui.logic.results import MeetingView, PersonLoad, RiskItem
from tpm_tui.domain import Task
from tpm_tui.ui.messages import DashboardData
from tpm_tui.ui.text import (Lines, getting_started, may_want_room, meeting_detail, person_detail, plan_detail,
                            task_detail)


class DetailPane(VerticalScroll):
    """Focusable and scrollable; ``v`` flips between the item's detail and the plan."""

    BINDINGS = [
        Binding("j", "scroll_down", "Scroll Down", show=False),
        Binding("k", "scroll_up", "Scroll Up", show=False),
        Binding("g", "scroll_home", "Scroll Home", show=False),
        Binding("G", "scroll_end", "Scroll End", show=False),
    ]

    # The body (a Static) refreshes itself when its text changes; the pane's own repaint
    # would redraw every line under it for nothing.
    data: reactive[DashboardData | None] = reactive(None, repaint=False)
    item: reactive[Any] = reactive(None, repaint=False)
    plan_mode: reactive[bool] = reactive(False, repaint=False)

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, classes="pane")
        self.border_title = "4 Detail"

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def watch_data(self) -> None:
        self.refresh_body()

    def watch_item(self) -> None:
        self.refresh_body()

    def watch_plan_mode(self, plan_mode: bool) -> None:
        self.border_title = "4 Plan" if plan_mode else "4 Detail"
        self.border_subtitle = "v: back to detail" if plan_mode else "v: plan"
        self.refresh_body()

    def render_text(self) -> Text | Lines:
        data = self.data
        if data is None:
            return Text("Loading…", style="italic")
        brief = data.brief
        if self.plan_mode:
            titles = {t.id: t.title for t in data.tasks.values()}
            titles.update({r.task.id: r.task.title for r in brief.at_risk})
            return plan_detail(brief.plan, tz=brief.tz, titles=titles, names=data.names)
        item = self.item
        if isinstance(item, MeetingView):
            summaries = {m.occurrence.uid: m.summary for m in brief.meetings}
            for _day, views in data.week or ():  # the week view: a clash on another day is named too
                summaries.update((m.occurrence.uid, m.summary) for m in views)
            return meeting_detail(item, tz=brief.tz, names=data.names, summaries=summaries, emails=data.emails,
                                  projects=data.projects, at_risk=brief.at_risk, forecast=data.forecast,
                                  my_email=data.my_email,
                                  notes=data.meeting_notes(item.occurrence) if data.meeting_notes else (None, None))
        if isinstance(item, RiskItem):
            room_of = data.room
            room = (self.later(room_of, item.task, lambda: room_of(item.task))
                    if room_of is not None and may_want_room(item) else None)
            loads = {w.person.handle: w.load_pct for w in brief.workload} if room else None
            return task_detail(item.task, item, names=data.names, lookup=data.tasks, tz=ZoneInfo(brief.tz),
                               room=room, loads=loads)
        if isinstance(item, Task):
            return task_detail(item, None, names=data.names, lookup=data.tasks, tz=ZoneInfo(brief.tz))
        if isinstance(item, PersonLoad):
            odd_of, meet_of, handle = data.odd_week, data.meet, item.person.handle
            extras = (self.later(odd_of, handle, lambda: (odd_of(handle), meet_of(handle) if meet_of else None))
                      if odd_of is not None else None)
            return person_detail(item, now=brief.now, risks=brief.at_risk, odd=extras[0] if extras else None,
                                 slots=extras[1] if extras else None, tz=ZoneInfo(brief.tz),
                                 names=data.names, me=brief.plan.person)
        return getting_started(people=len(data.names), me=brief.plan.person, open_tasks=data.open_tasks)

    # ------------------------------------------------------------ sections computed later

    EXTRAS_AFTER = 0.15
    """Seconds the selection must rest before the sections that take a computation are filled
    in (who has room: the capacity rule for every person; a person's odd-hours meetings: the
    week's agenda). Keys and cursor moves in a row never wait for them."""
    _extras: dict[tuple[int, int], tuple[object, object, object]] | None = None
    _pending: tuple[tuple[int, int], object, object, Callable[[], object]] | None = None
    _extras_timer: Timer | None = None

    @property
    def extras_pending(self) -> bool:
        """A section is waiting to be filled in (tests and screenshots wait for it)."""
        return self._pending is not None

    def later(self, source: object, subject: object, compute: Callable[[], Any]) -> Any:
        """What ``compute`` gives for ``subject`` from ``source`` (a finder of the data shown),
        if already computed; else None now, and the body is drawn again with it once the
        selection has rested :attr:`EXTRAS_AFTER` seconds."""
        key = (id(source), id(subject))
        extras = self._extras if self._extras is not None else {}
        hit = extras.get(key)
        if hit is not None and hit[0] is source and hit[1] is subject:
            return hit[2]
        self._pending = (key, source, subject, compute)
        if self._extras_timer is not None:
            self._extras_timer.stop()
        self._extras_timer = self.set_timer(self.EXTRAS_AFTER, self._fill_extras)
        return None

    def _fill_extras(self) -> None:
        self._extras_timer = None
        pending, self._pending = self._pending, None
        if pending is None:
            return
        key, source, subject, compute = pending
        if self._extras is None or len(self._extras) > 64:
            self._extras = {}
        self._extras[key] = (source, subject, compute())
        self._rendered_for = None  # the same data and item: drawn again with the section
        self.refresh_body()

    _shown: tuple[object, ...] | None = None

    _rendered_for: tuple[object, object, bool] | None = None

    def refresh_body(self) -> None:
        """Draw the body for the current data and item unless that is what it shows."""
        if not self.is_mounted:
            return
        made = self._rendered_for
        if made is not None and made[0] is self.data and made[1] is self.item and made[2] == self.plan_mode:
            return  # already drawn for these very objects
        self._rendered_for = (self.data, self.item, self.plan_mode)
        text = self.render_text()
        # A recompute after a triage key hands the pane new data for the same item: most
        # often the very same text. Updating the Static anyway costs a layout pass of the
        # whole screen and a redraw of the pane (5-10 ms at 10k tasks), for nothing.
        shown = text.key() if isinstance(text, Lines) else (text.plain, list(text.spans), text.style)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one("#detail-body", Static).update(text)
