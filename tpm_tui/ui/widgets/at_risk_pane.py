"""At risk: open tasks by score, level as word and symbol, the first reason inline."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from tpm_tui.ui.messages import DashboardData
from tpm_tui.ui.text import MAX_ROWS, risk_row
from tpm_tui.ui.widgets.list_pane import ListPane, Row


class AtRiskPane(ListPane):
    TITLE = "2 At risk"
    EMPTY_HINT = "Nothing at risk — every open task has time and people to finish."

    def build(self, data: DashboardData) -> Sequence[Row | Text]:
        items = sorted(data.brief.at_risk, key=lambda r: -r.score)[:MAX_ROWS]
        total = len(data.brief.at_risk)
        self.border_subtitle = f"top {MAX_ROWS} of {total}" if total > MAX_ROWS else f"{total} tasks"
        return [Row(risk_row(item, names=data.names), item, item.task.id) for item in items]
