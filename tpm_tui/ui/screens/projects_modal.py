"""ProjectsModal: every live project, how it stands and why; enter filters the dashboard to it.

A manager with several projects asks first "which one is in trouble": the list puts the
off-track ones first, each with its tasks at risk by level, its open tasks, those due after
its target date, and its forecast (does its open work fit its people's free time before the
target). Enter shows that project's tasks and people (the ``/KEY`` filter); esc closes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tpm_tui.logic.projects import ProjectRow
from tpm_tui.ui.text import lit, project_row


class ProjectsModal(ModalScreen[str | None]):
    """The projects, most troubled first; dismissed with the chosen key (enter) or None (esc)."""

    BINDINGS = [
        Binding("escape,q", "dismiss_none", "Close", show=False),
        Binding("j", "move(1)", "Down", show=False),  # as in the panes
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, rows: Sequence[ProjectRow], names: Mapping[str, str]) -> None:
        super().__init__(id="projects")
        self.rows = list(rows)
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(id="projects-box") as box:
            box.border_title = "Projects"
            box.border_subtitle = "enter: its tasks and people · esc closes"
            if not self.rows:
                yield Static(lit("No projects with open work: tpm project add KEY --name N, or a task's --project",
                                 style="italic"))
                return
            keys = max(len(r.project.key) for r in self.rows) + 2
            yield OptionList(*(Option(project_row(r, self.names, keys), id=f"p-{r.project.key}") for r in self.rows),
                             id="projects-list")

    def on_mount(self) -> None:
        if self.rows:
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.rows[event.option_index].project.key)

    def action_move(self, step: int) -> None:
        if self.rows:
            ol = self.query_one(OptionList)
            ol.action_cursor_down() if step > 0 else ol.action_cursor_up()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
