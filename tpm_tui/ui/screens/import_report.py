"""ImportReport: what an import of several files did, one line a file, problems first.

A folder of 48 invites used to raise 48 toasts (and as many for their warnings), stacked
over the dashboard for ten seconds. Now a folder gets one toast with the sums and this
list: refused files first (with the reason), then files with warnings, then the rest.
File names, errors and warnings come from outside and are shown literally.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tpm_tui.services.imports import counts_text, totals
from tpm_tui.ui.text import lit

__all__ = ["ImportReport", "counts_text", "totals"]

def ordered(reports: Sequence[Any]) -> list[Any]:
    """Refused files first, then files with warnings, then the rest; each group in file order."""
    def rank(r: Any) -> int:
        if getattr(r, "error", None) is not None:
            return 0
        return 1 if r.warnings else 2
    return sorted(reports, key=rank)


def common_folder(reports: Sequence[Any]) -> str:
    """The folder every file is in (shown once, in the title), or ``""``."""
    folders = {os.path.dirname(r.source) for r in reports}
    return folders.pop() if len(folders) == 1 else ""


class ImportReport(ModalScreen[None]):
    """The per-file results of one import; escape, enter or q closes it."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", show=False)]

    def __init__(self, reports: Sequence[Any]) -> None:
        super().__init__(id="import-report")
        self.reports = list(reports)

    def compose(self) -> ComposeResult:
        folder = common_folder(self.reports)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)  # mark
        table.add_column(no_wrap=True, max_width=44, overflow="ellipsis")  # file
        table.add_column(ratio=1)  # what happened
        for report in ordered(self.reports):
            name = os.path.basename(report.source) if folder else report.source
            error = getattr(report, "error", None)
            if error is not None:
                table.add_row(Text("✖", style="bold red"), lit(name, style="bold"),
                              lit(f"refused: {error}", style="red"))
                continue
            what = Text(counts_text(report))
            for warning in report.warnings:
                # the file is named on the row already: the warning's own "path: " prefix goes
                warning = str(warning).removeprefix(f"{report.source}: ")
                what.append("\n")
                what.append_text(lit(f"⚠ {warning}", style="yellow"))
            mark = Text("⚠", style="bold yellow") if report.warnings else Text("✔", style="green")
            table.add_row(mark, lit(name), what)
        with Vertical(id="import-report-box") as box:
            # a Text, not a str: Textual reads a str title as markup, and the folder is outside text
            box.border_title = Text.assemble("Import of ", lit(folder)) if folder else Text("Import")
            box.border_subtitle = "esc closes"
            yield Static(lit(totals(self.reports), style="bold"), id="import-report-totals")
            with VerticalScroll(id="import-report-files"):
                yield Static(table)

    def on_mount(self) -> None:
        self.query_one("#import-report-files", VerticalScroll).focus()
