"""``m``: when can we meet? People and a length in one line; the best times below.

The same finder as ``tpm meet`` (:func:`tpm_tui.logic.slots.find_slots` through
:func:`tpm_tui.services.brief.meeting_slots`): free for everyone named and you, ranked by
the fewest people at night or on a day they do not work, then at odd hours. Enter looks
again with what is typed; tab or down moves to the answers, and enter on one books it: a
title and a file name, then the invitation is written (as ``tpm meet --invite``) for a
calendar client to send. The database is not changed; escape closes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tpm_tui.domain import Person, TpmError
from tpm_tui.logic.render import SLOT_INDENT

Finder = Callable[[list[str], timedelta], tuple[Sequence[Person], Sequence[Any], list[str]]]
"""(handles, length) -> (the people asked, the slots, the result as lines of text: a heading,
then two lines a slot — as ``tpm meet`` prints them)."""
Booker = Callable[[Sequence[Person], Any, str, str], str]
"""(the people asked, the slot, title, file name) -> what was written, in one sentence;
raises :class:`TpmError` naming a bad title or file name."""
Suggest = Callable[[Any], str]
"""slot -> the file name offered for its invitation."""

_ANSWER = re.compile(r"^ *\d+\. .+  ")
"""A proposed time's first line: ``  1. Mon 30 Nov 09:00–09:45  inside everyone's working hours``."""
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


class MeetFinder(ModalScreen[str | None]):
    """One line in (people, length), the proposed times out; one of them booked on enter.
    Dismissed with the sentence saying what was written (None when nothing was)."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, find: Finder, people: Sequence[Person], initial: str = "", *,
                 book: Booker | None = None, suggest: Suggest | None = None) -> None:
        super().__init__(classes="dialog")
        self._find = find
        self._book = book
        self._suggest = suggest
        self._people = list(people)
        self._initial = initial
        self._asked: Sequence[Person] = ()
        self._slots: Sequence[Any] = ()
        self._picked: Any = None
        self._whens: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="meet-box") as box:
            box.border_title = "When can we meet?"
            yield Static(Text("People (handles or first names) and a length; you are counted in."))
            yield Input(value=self._initial, placeholder="priya marcus 45m", id="meet-input")
            yield Static("", classes="dialog-error")
            yield Static("", id="meet-result")
            yield OptionList(id="meet-slots")
            with Vertical(id="meet-book"):
                yield Static("", id="meet-book-what")
                with Grid(id="meet-book-grid", classes="one-line-form"):
                    yield Static("Title", classes="form-label")
                    yield Input(value="Meeting", placeholder="what the invitation says", id="meet-title")
                    yield Static("File", classes="form-label")
                    yield Input(placeholder="where to write it (.ics)", id="meet-file")
            yield Static(self._hint(), classes="dialog-hint")

    def _hint(self) -> Text:
        if self._picked is not None:
            text = "enter: next field, then write · esc back to the times"
        elif self._slots and self._book is not None:
            text = "enter looks · tab/↓ the times, enter books one · esc closes"
        else:
            text = "enter looks · esc closes"
        return Text(text, style="dim")

    def on_mount(self) -> None:
        self.query_one("#meet-book").display = False
        self.query_one("#meet-slots").display = False
        self.query_one("#meet-input", Input).focus()
        if self._initial.strip():
            self.look(self._initial)

    @on(Input.Submitted, "#meet-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.look(event.value)

    def look(self, text: str) -> None:
        from tpm_tui.services.entry import parse_duration

        self._close_booking()
        error = self.query_one(".dialog-error", Static)
        try:
            handles, length = read_request(text, self._people)
            asked, slots, lines = self._find(handles, parse_duration(length or "30m", field="length"))
        except TpmError as exc:
            error.update(Text(str(exc), style="bold red"))
            self._show((), (), [])  # never an answer to another question
            return
        error.update("")
        self._show(asked, slots, lines)

    def _show(self, asked: Sequence[Person], slots: Sequence[Any], lines: Sequence[str]) -> None:
        self._asked, self._slots = asked, slots
        n = len(slots)
        heading = list(lines[: len(lines) - 2 * n]) if n else list(lines)
        # "  1. Mon 30 Nov 09:00–09:30  inside …" -> "Mon 30 Nov 09:00–09:30"
        # the time booked: the answer's own day, without the other days it is also free on
        self._whens = [lines[len(heading) + 2 * k].strip().split("  ")[0].partition(". ")[2].split(" (also ")[0]
                       for k in range(n)]
        self.query_one("#meet-result", Static).update(styled(heading))
        answers = self.query_one("#meet-slots", OptionList)
        answers.set_options([Option(styled(lines[len(heading) + 2 * k: len(heading) + 2 * k + 2], first_bold=False))
                             for k in range(n)])
        answers.display = bool(n)
        answers.highlighted = 0 if n else None  # the best one, where the cursor lands
        self.query_one(".dialog-hint", Static).update(self._hint())

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#meet-input") and self._slots:
            event.stop()
            # at once, not after this key: a key typed right behind it moves in the answers
            self.set_focus(self.query_one("#meet-slots", OptionList))

    @on(OptionList.OptionSelected, "#meet-slots")
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int) -> None:
        """The booking form for answer ``index``."""
        if self._book is None:
            return
        self._picked = self._slots[index]
        when = self._whens[index]
        self.query_one("#meet-book-what", Static).update(
            Text(f"Book {when} as an invitation your calendar client sends", style="bold"))
        self.query_one("#meet-file", Input).value = self._suggest(self._picked) if self._suggest else ""
        self.query_one("#meet-book").display = True
        self.query_one("#meet-slots").display = False  # the line above names the time; esc shows them again
        self.query_one(".dialog-error", Static).update("")
        self.query_one(".dialog-hint", Static).update(self._hint())
        self._edit("#meet-title")

    @on(Input.Submitted, "#meet-title")
    def title_given(self, event: Input.Submitted) -> None:
        event.stop()
        if self.focused is self.query_one("#meet-file"):
            # a second ⏎ typed before the first had moved on: it reached the title line, but
            # it follows where the first one led (the file line), so it writes
            self._write()
            return
        self._edit("#meet-file")

    @on(Input.Submitted, "#meet-file")
    def file_given(self, event: Input.Submitted) -> None:
        event.stop()
        self._write()

    def _edit(self, selector: str) -> None:
        """Focus a field at once (a key typed right behind goes to it), cursor at its end."""
        field = self.query_one(selector, Input)
        self.set_focus(field)
        field.action_end()

    def _write(self) -> None:
        if self._book is None or self._picked is None:
            return
        title, path = self.query_one("#meet-title", Input).value, self.query_one("#meet-file", Input).value
        try:
            said = self._book(self._asked, self._picked, title, path)
        except TpmError as exc:
            self.query_one(".dialog-error", Static).update(Text(str(exc), style="bold red"))
            return
        self.dismiss(said)

    def _close_booking(self) -> None:
        self._picked = None
        self.query_one("#meet-book").display = False
        self.query_one("#meet-slots").display = bool(self._slots)
        self.query_one(".dialog-hint", Static).update(self._hint())

    def action_close(self) -> None:
        if self._picked is not None:  # back from the booking to the times
            self._close_booking()
            self.query_one(".dialog-error", Static).update("")
            self.set_focus(self.query_one("#meet-slots", OptionList))
            return
        self.dismiss(None)


def styled(lines: Sequence[str], *, first_bold: bool = True) -> Text:
    """``tpm meet``'s lines, literal (names come from outside), with the title bold, each time
    bold with its verdict coloured (☾ magenta, else green) and everyone's local time dim."""
    t = Text(end="")
    for i, line in enumerate(lines):
        if i:
            t.append("\n")
        if i == 0 and first_bold:
            t.append(line, style="bold")
        elif line.startswith(SLOT_INDENT):
            t.append(SLOT_INDENT)
            t.append(line[len(SLOT_INDENT):], style="dim")
        elif _ANSWER.match(line):
            number, rest = line.split(". ", 1)
            when, _, verdict = rest.partition("  ")
            t.append(f"{number}. ", style="dim")
            t.append(when, style="bold")
            t.append("  ")
            t.append(verdict, style="magenta" if verdict.startswith("☾") else "green")
        else:
            t.append(line)
    return t
