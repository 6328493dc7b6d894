"""Detail / Plan: the selected item in full, or the proposed focus blocks."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from tpm_tui.logic.results import MeetingView, PersonLoad, RiskItem
from tpm_tui.domain import Task
from tpm_tui.ui.messages import DashboardData
from tpm_tui.ui.text import (Lines, getting_started, may_want_room, meeting_detail, person_detail, plan_detail,
                            task_detail)


class DetailPane(VerticalScroll):
    """Focusable and scrollable; ``v`` flips between the item's detail and the plan."""

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
            return meeting_detail(item, tz=brief.tz, names=data.names, summaries=summaries)
        if isinstance(item, RiskItem):
            room = data.room(item.task) if data.room is not None and may_want_room(item) else None
            loads = {w.person.handle: w.load_pct for w in brief.workload} if room else None
            return task_detail(item.task, item, names=data.names, lookup=data.tasks, tz=ZoneInfo(brief.tz),
                               room=room, loads=loads)
        if isinstance(item, Task):
            return task_detail(item, None, names=data.names, lookup=data.tasks, tz=ZoneInfo(brief.tz))
        if isinstance(item, PersonLoad):
            return person_detail(item, now=brief.now, risks=brief.at_risk)
        return getting_started(people=len(data.names), me=brief.plan.person, open_tasks=data.open_tasks)

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
