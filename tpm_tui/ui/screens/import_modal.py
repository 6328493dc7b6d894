"""ImportModal: ask for an .ics file or folder (with path completion); returns it or None."""

from __future__ import annotations

import asyncio
import os

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from tpm_tui.ui.widgets.completing_input import CompletingInput


def complete_path(value: str) -> str | None:
    """The first directory entry completing ``value`` (folders get a trailing ``/``).

    Only folders, ``.ics`` files and saved e-mails (``.eml``, an invite inside) are offered;
    hidden entries only when asked for.
    """
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, prefix = os.path.split(expanded)
    try:
        entries = sorted(os.scandir(folder or "."), key=lambda e: e.name)
    except OSError:
        return None
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or name == prefix:
            continue
        if name.startswith(".") and not prefix.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if not is_dir and not name.lower().endswith((".ics", ".eml")):
            continue
        return value + name[len(prefix):] + ("/" if is_dir else "")
    return None


class PathSuggester(Suggester):
    """Suggests the rest of a path; → (right arrow) accepts it."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)

    def suggest_now(self, value: str) -> str | None:
        return complete_path(value)


class ImportModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, value: str = "") -> None:
        """``value``: the path to offer (the invitation just written by ``m``), else empty."""
        super().__init__(id="import")
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box") as box:
            box.border_title = "Import invites or tasks"
            yield Static(Text("An .ics file (or an invite e-mail saved as .eml), or a folder of them; "
                              "or tasks: a Taskwarrior or GitHub issues .json, a CSV (Jira, Linear…), an .ics of to-dos:"))
            yield CompletingInput(value=self._value, placeholder="path/to/invite.ics", suggester=PathSuggester(),
                                  id="import-path")
            yield Static(
                Text("→ completes the path · enter imports · esc cancels", style="dim"), id="import-hint"
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.notify("Type a path to an .ics file or folder", severity="warning", markup=False)
            return
        if value == "-":
            self.notify("Standard input is for `tpm import -`; type a file or folder here", severity="warning", markup=False)
            return
        self.dismiss(os.path.expanduser(value))

    def action_cancel(self) -> None:
        self.dismiss(None)
