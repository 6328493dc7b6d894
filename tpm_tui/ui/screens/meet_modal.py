"""``m``: when can we meet? People and a length in one line; the best times below.

The same finder as ``tpm meet`` (:func:`tpm_tui.logic.slots.find_slots` through
:func:`tpm_tui.services.brief.meeting_slots`): free for everyone named and you, ranked by
the fewest people at night or on a day they do not work, then at odd hours. Enter looks
again with what is typed; escape closes. Nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tpm_tui.domain import Person, TpmError

Finder = Callable[[list[str], timedelta], tuple[Sequence[Person], Sequence[Any], list[str]]]
"""(handles, length) -> (the people asked, the slots, the result as lines of text)."""

_LENGTH = re.compile(r"^\d+(?:\.\d+)?h(?:\d+(?:m|min)?)?$|^\d+(?:m|min)?$")


def read_request(text: str, people: Sequence[Person]) -> tuple[list[str], str | None]:
    """The handles and the length typed: ``priya marcus 45m``. A word is a length when it
    reads as one, else a person by handle, or by first name when that names one person
    (case-insensitive); anything else raises :class:`TpmError` naming it."""
    handles: list[str] = []
    length: str | None = None
    by_handle = {p.handle.lower(): p.handle for p in people}
    by_first: dict[str, list[str]] = {}
    for p in people:
        first = (p.name.split() or [p.handle])[0].lower()
        by_first.setdefault(first, []).append(p.handle)
    for word in text.replace(",", " ").split():
        w = word.lower()
        if _LENGTH.match(w):
            length = w
        elif w in by_handle:
            handles.append(by_handle[w])
        elif len(by_first.get(w, ())) == 1:
            handles.append(by_first[w][0])
        elif w in by_first:
            raise TpmError(f"{word!r} names {len(by_first[w])} people: use a handle ({', '.join(by_first[w])})")
        else:
            raise TpmError(f"no person {word!r} (a handle or a first name), nor a length (45m, 1h)")
    if not handles:
        raise TpmError("name at least one person (and a length: 45m, 1h)")
    return list(dict.fromkeys(handles)), length


class MeetFinder(ModalScreen[None]):
    """One line in (people, length), the proposed times out."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, find: Finder, people: Sequence[Person], initial: str = "") -> None:
        super().__init__(classes="dialog")
        self._find = find
        self._people = list(people)
        self._initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="meet-box") as box:
            box.border_title = "When can we meet?"
            yield Static(Text("People (handles or first names) and a length; you are counted in."))
            yield Input(value=self._initial, placeholder="priya marcus 45m", id="meet-input")
            yield Static("", classes="dialog-error")
            with VerticalScroll(id="meet-scroll"):
                yield Static("", id="meet-result")
            yield Static(Text("enter looks · esc closes", style="dim"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self._initial.strip():
            self.look(self._initial)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.look(event.value)

    def look(self, text: str) -> None:
        from tpm_tui.services.entry import parse_duration

        error = self.query_one(".dialog-error", Static)
        try:
            handles, length = read_request(text, self._people)
            _asked, _slots, lines = self._find(handles, parse_duration(length or "30m", field="length"))
        except TpmError as exc:
            error.update(Text(str(exc), style="bold red"))
            self.query_one("#meet-result", Static).update("")  # never an answer to another question
            return
        error.update("")
        self.query_one("#meet-result", Static).update(styled(lines))

    def action_close(self) -> None:
        self.dismiss(None)


def styled(lines: Sequence[str]) -> Text:
    """``tpm meet``'s lines, literal (names come from outside), with the title bold, each time
    bold with its verdict coloured (☾ magenta, else green) and everyone's local time dim."""
    t = Text(end="")
    for i, line in enumerate(lines):
        if i:
            t.append("\n")
        if i == 0:
            t.append(line, style="bold")
        elif line.startswith("      "):
            t.append("      ")
            t.append(line[6:], style="dim")
        elif line.startswith("  ") and "  " in line[2:]:
            when, _, verdict = line[2:].partition("  ")
            t.append("  ")
            t.append(when, style="bold")
            t.append("  ")
            t.append(verdict, style="magenta" if verdict.startswith("☾") else "green")
        else:
            t.append(line)
    return t
