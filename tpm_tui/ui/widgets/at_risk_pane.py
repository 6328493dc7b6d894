"""At risk: open tasks by score, level as word and symbol, the first reason inline."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from tpm_tui.domain import Task
from tpm_tui.logic.render import due_day
from tpm_tui.ui.messages import DashboardData
from tpm_tui.ui.text import MAX_ROWS, calm_row, filter_tokens, risk_row, task_matches
from tpm_tui.ui.widgets.list_pane import ListPane, Row


class AtRiskPane(ListPane):
    TITLE = "2 At risk"
    EMPTY_HINT = "Nothing at risk — every open task has time and people to finish."
    FILTERS = True

    def empty_hint(self, data: DashboardData) -> str:
        if data.open_tasks == 0:
            return "No open tasks — press N to create one (or `tpm task add`)."
        return self.EMPTY_HINT

    def build(self, data: DashboardData) -> Sequence[Row | Text]:
        tokens = filter_tokens(self.filter_text)
        at_risk = data.brief.at_risk
        # without a filter every item matches: no call per item (6,500 of them at 10k tasks)
        matching = [r for r in at_risk if task_matches(r.task, tokens, data.names)] if tokens else at_risk
        total = len(matching)
        # the brief lists them highest score first (ties by due date, then id), and filtering
        # and patch_task keep that order: no sort (6,500 key calls per key press at 10k tasks)
        items = matching[:MAX_ROWS]
        shown = f"top {MAX_ROWS} of {total}" if total > MAX_ROWS else f"{total} task{'' if total == 1 else 's'}"
        names = data.names
        rows = [
            Row(self.prompt(item.task.id, (item, names.get(item.task.assignee or "")),
                            lambda item=item: risk_row(item, names=names)), item, item.task.id)
            for item in items
        ]
        if tokens:
            # a filter reaches every open task: those not at risk (or snoozed) follow, by due date
            ranked = {r.task.id for r in at_risk}
            changed = data.changed
            current = (changed.get(t.id, t) for t in data.open_list) if changed else data.open_list
            calm = sorted((t for t in current if t.is_open and t.id not in ranked and task_matches(t, tokens, names)),
                          key=_by_due)
            rows.extend(
                Row(self.prompt(t.id, (t, names.get(t.assignee or ""), data.today),
                                lambda t=t: calm_row(t, names=names, today=data.today)), t, t.id)
                for t in calm[: max(0, MAX_ROWS - len(rows))]
            )
            more = f" · {len(calm)} not at risk" if calm else ""
            shown = f"filter “{' '.join(tokens)}”: {shown} of {len(data.brief.at_risk)}{more}"
        self.border_subtitle = shown
        return rows


def _by_due(task: Task) -> tuple[int, str, str]:
    if task.due is None:
        return (1, "", task.id)
    return (0, due_day(task.due).isoformat(), task.id)
