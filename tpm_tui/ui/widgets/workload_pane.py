"""Workload: a bar per person — meeting hours, task hours and free capacity this week."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from tpm_tui.ui.messages import DashboardData
from tpm_tui.ui.text import FREE_CELL, MAX_ROWS, MEETING_CELL, TASK_CELL, load_row
from tpm_tui.ui.widgets.list_pane import ListPane, Row


class WorkloadPane(ListPane):
    TITLE = "3 Workload"
    EMPTY_HINT = "No people yet — add them with `tpm person add`."

    def on_mount(self) -> None:
        self.border_subtitle = f"{MEETING_CELL} meetings {TASK_CELL} tasks {FREE_CELL} free"

    def build(self, data: DashboardData) -> Sequence[Row | Text]:
        loads = sorted(data.brief.workload, key=lambda w: (-w.load_pct, w.person.handle))[:MAX_ROWS]
        return [Row(load_row(w), w, w.person.handle) for w in loads]
