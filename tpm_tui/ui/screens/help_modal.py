"""HelpModal: every key, generated from the bindings that are active on the dashboard."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_rows(app_get_key_display, bindings: Mapping[str, ActiveBinding]) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """(group, key, what it does) for each binding with a description, in binding order;
    keys doing the same thing in one group share a row (``↓ j``)."""
    order = {"Dashboard": 0, "In a list": 1, "Application": 2}
    rows: list[tuple[int, bool, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    row_of: dict[tuple[str, str], int] = {}
    for active in bindings.values():
        b = active.binding
        if not b.description:
            continue
        key = app_get_key_display(dataclasses.replace(b, key_display=None))
        what = b.tooltip or active.tooltip or b.description
        node = active.node
        group = "Dashboard" if node.__class__.__name__.endswith("Screen") else (
            "Application" if node is node.app else "In a list"
        )
        if (key, what) in seen:
            continue
        seen.add((key, what))
        same = row_of.get((group, what))
        if same is not None:
            rank, generic, _, keys, _ = rows[same]
            rows[same] = (rank, generic, group, f"{keys} {key}", what)
            continue
        generic = b.action.startswith(("app.", "screen."))  # Textual's own, after ours
        row_of[group, what] = len(rows)
        rows.append((order.get(group, 3), generic, group, key, what))
    rows.sort(key=lambda r: (r[0], r[1]))  # stable: binding order within a group
    return [(group, key, what) for _, _, group, key, what in rows]


class HelpModal(ModalScreen[None]):
    """A list of keys; any of escape, q, ? or f1 closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", show=False)]

    def __init__(self, bindings: Mapping[str, ActiveBinding]) -> None:
        super().__init__(id="help")
        self._shown_bindings = dict(bindings)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        rows = key_rows(self.app.get_key_display, self._shown_bindings)
        last = None
        for group, key, what in rows:
            table.add_row(group if group != last else "", Text(key), Text(what))
            last = group
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc closes"
            with VerticalScroll():
                yield Static(table, id="help-keys")
            yield Static(
                Text("Text from invites is shown literally. Every pane keeps at most 200 rows.", style="dim"),
                id="help-note",
            )
