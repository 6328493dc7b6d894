"""Workload: a bar per person — meeting hours, task hours and free capacity this week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich.text import Text

from tpm_tui.ui.messages import DashboardData
from tpm_tui.ui.text import (
    FREE_CELL,
    MAX_ROWS,
    MEETING_CELL,
    TASK_CELL,
    filter_tokens,
    load_row,
    person_matches,
    task_matches,
)
from tpm_tui.ui.widgets.list_pane import ListPane, Row


class WorkloadPane(ListPane):
    TITLE = "3 Workload"
    EMPTY_HINT = "No people yet — add them with `tpm person add`."
    FILTERS = True
    LEGEND = f"{MEETING_CELL} meetings {TASK_CELL} tasks {FREE_CELL} free"

    def on_mount(self) -> None:
        self.border_subtitle = self.LEGEND

    def build(self, data: DashboardData) -> Sequence[Row | Text]:
        """People by load; with a filter, those it names and those its at-risk tasks are assigned to."""
        tokens = filter_tokens(self.filter_text)
        loads = list(data.brief.workload)
        if tokens:
            involved = {r.task.assignee for r in data.brief.at_risk if task_matches(r.task, tokens, data.names)}
            loads = [w for w in loads if w.person.handle in involved or person_matches(w.person, tokens)]
            self.border_subtitle = f"filter: {len(loads)} of {len(data.brief.workload)} · {self.LEGEND}"
        else:
            self.border_subtitle = self.LEGEND
        loads = sorted(loads, key=lambda w: (-w.load_pct, w.person.handle))[:MAX_ROWS]
        day = data.brief.day
        week = day - timedelta(days=day.weekday())  # the workload's week (Monday first)
        return [Row(self.prompt(w.person.handle, (w, week), lambda w=w: load_row(w, week_start=week)), w,
                    w.person.handle) for w in loads]
