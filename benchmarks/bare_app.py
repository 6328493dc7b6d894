"""The floor for first paint: a bare Textual app (Header + DataTable + Footer), headless
(``--pty``: on the terminal it is given), exiting as soon as its first frame is painted.
Run as a script by the benchmark."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("id", "title", "due")

    def on_ready(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    import sys

    BareApp().run(headless="--pty" not in sys.argv[1:])
