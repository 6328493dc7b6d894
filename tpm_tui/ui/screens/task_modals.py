"""Small dialogs for the triage keys: reassign, a line of text, and the task form.

(The snooze dialog is not a screen: ``tpm_tui/ui/widgets/snooze_picker.py``.)

Each is a typed ``ModalScreen``: it returns what was chosen, or ``None`` on escape.
Nothing is written here; the caller queues the service call. The task form is the
exception that proves the rule: it is given a ``submit`` coroutine (the write) so a
refusal from the service is shown in the form, which stays open with what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tpm_tui.domain import PRIORITIES, Note, Task, TaskStatus, TpmError
from tpm_tui.logic.repeat import rule_text
from tpm_tui.logic.results import PersonLoad
from tpm_tui.logic.risk import Fit, fmt_hours, room_key
from tpm_tui.services.entry import parse_due, parse_tags
from tpm_tui.ui.text import lit, safe_text
from tpm_tui.ui.widgets.completing_input import CompletingInput

UNASSIGNED = "\x00unassigned"
"""What the person picker returns for "nobody" (``None`` means cancelled)."""


# ---------------------------------------------------------------- reassign


class PersonPicker(ModalScreen[str | None]):
    """People with this week's load, whether the task would fit in their time, and "unassigned".

    ``fits`` (:func:`tpm_tui.logic.risk.fits_for`): per person, the hours they have free
    before the task is due (their zone, after their more urgent work) against what it
    needs. Those it fits come first (least loaded first), then those it does not (least
    short first); without ``fits`` (no due date, nothing left to do) by load alone.

    Typing filters the list by name, handle or e-mail (a team of 200 does not fit a
    screen); backspace takes a letter back. The cursor starts on the first person other
    than the current assignee, so enter at once moves the task to whoever has the most
    room instead of "reassigning" it to the same person.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, task: Task, loads: Sequence[PersonLoad], fits: Mapping[str, Fit] | None = None) -> None:
        super().__init__(classes="dialog")
        self.subject = task
        self._fits = dict(fits or {})

        self._loads = sorted(loads, key=lambda w: room_key(self._fits.get(w.person.handle), w.load_pct,
                                                            w.person.handle))
        self.query_text = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -fits" if self._fits else "dialog-box") as box:
            box.border_title = f"Reassign {self.subject.id}"
            yield Static(lit(self.subject.title, style="bold"), classes="dialog-task")
            if self._fits:
                need = next(iter(self._fits.values())).need
                yield Static(Text(f"Needs {fmt_hours(need)}. Each row: load this week, then the hours free "
                                  "before it is due (their time: working hours less meetings, days off and their "
                                  "more urgent work).", style="dim"), id="people-fit-note")
            yield OptionList(*self._options(), id="people")
            yield Static(self._hint(), id="people-hint", classes="dialog-hint")

    def _options(self) -> list[Option]:
        needle = self.query_text.casefold()
        options = []
        for w in self._loads:
            p = w.person
            # the e-mail's domain only once an "@" is typed: every address of a team shares it
            email = p.email if "@" in needle else p.email.partition("@")[0]
            if needle and not any(needle in field.casefold() for field in (p.name, p.handle, email)):
                continue
            row = Text(end="")  # one line (app.tcss): name and load first, the tail cut if narrow
            row.append("● " if p.handle == self.subject.assignee else "  ", style="bold")
            fit = self._fits.get(p.handle)
            if self._fits:  # compact, so that the fit is whole on an 80-column terminal
                row.append_text(lit(f"{p.name or p.handle}"[:16].ljust(16)))
                row.append_text(lit(f" {p.handle[:8]:<8}", style="dim"))
                row.append(f"{w.load_pct:>4.0f}%", style="bold red" if w.overloaded else "")
            else:
                row.append_text(lit(f"{p.name or p.handle}"[:24].ljust(24)))
                row.append_text(lit(f" {p.handle:<12}", style="dim"))
                row.append(f"{w.load_pct:>5.0f}% load", style="bold red" if w.overloaded else "")
            if fit is not None:
                row.append("  ")
                row.append("✓ " if fit.fits else "✗ ", style="bold green" if fit.fits else "bold red")
                row.append_text(lit(f"{fmt_hours(fit.free)} by {fit.before}"))
                if not fit.fits:
                    row.append(f" ({fmt_hours(fit.short)} short)", style="red")
            elif w.overloaded and not self._fits:
                row.append(" OVERLOADED", style="bold red")
            if p.handle == self.subject.assignee:
                row.append("  (now)", style="italic")
            options.append(Option(row, id=f"p-{p.handle}"))
        if not needle or "unassigned".startswith(needle):
            options.append(Option(Text("  unassigned" + ("  (now)" if not self.subject.assignee else ""),
                                       style="italic"), id="p-"))
        return options

    def _hint(self) -> Text:
        hint = Text(end="")
        if self.query_text:
            hint.append("filter: ", style="dim")
            hint.append(self.query_text, style="bold")  # appended as plain text: never markup
            hint.append(" · backspace · ", style="dim")
        else:
            hint.append("type to filter · ", style="dim")
        hint.append("enter picks · esc cancels", style="dim")
        return hint

    def _start_row(self, ol: OptionList) -> int | None:
        """The first row that is not the current assignee (else the first row, if any)."""
        now = f"p-{self.subject.assignee or ''}"
        for i in range(ol.option_count):
            if ol.get_option_at_index(i).id != now:
                return i
        return 0 if ol.option_count else None

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ol.highlighted = self._start_row(ol)
        ol.focus()

    def on_key(self, event: events.Key) -> None:
        """Printable keys extend the filter, backspace shortens it (the list keeps the rest)."""
        if event.key == "backspace":
            if not self.query_text:
                return
            self.query_text = self.query_text[:-1]
        elif event.is_printable and event.character and event.character.isprintable() and (
                event.key != "space" or self.query_text):
            self.query_text += event.character
        else:
            return
        event.stop()
        event.prevent_default()
        self._refilter()

    def on_paste(self, event: events.Paste) -> None:
        """A pasted name or address filters like typed text (its first line, printable characters)."""
        text = "".join(ch for ch in event.text.split("\n", 1)[0] if ch.isprintable()).strip()
        event.stop()
        if text:
            self.query_text += text
            self._refilter()

    def _refilter(self) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        ol.add_options(self._options())
        ol.highlighted = self._start_row(ol)
        self.query_one("#people-hint", Static).update(self._hint())

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        handle = (event.option.id or "p-")[2:]
        self.dismiss(handle or UNASSIGNED)

    def action_cancel(self) -> None:
        self.dismiss(None)


# ---------------------------------------------------------------- one line of text


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line (a note, what blocks a task). Enter returns it, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, question: str, *, task: Task | None = None, placeholder: str = "",
                 allow_empty: bool = False, check: Callable[[str], object] | None = None, value: str = "") -> None:
        """``check(text)`` raising :class:`TpmError` keeps the dialog open with its one line;
        ``value``: the line to start from (an appointment being changed)."""
        super().__init__(classes="dialog")
        self._value = value
        self._check = check
        self._title = title
        self._question = question
        self.subject = task
        self._placeholder = placeholder
        self._allow_empty = allow_empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = self._title
            if self.subject is not None:
                yield Static(lit(self.subject.title, style="bold"), classes="dialog-task")
            yield Static(Text(self._question))
            yield Input(self._value, placeholder=self._placeholder, id="prompt-input")
            yield Static("", classes="dialog-error")
            yield Static(Text("enter saves · esc cancels", style="dim"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        error = self.query_one(".dialog-error", Static)
        if not value and not self._allow_empty:
            error.update(Text("Type something, or esc to cancel", style="bold red"))
            return
        if self._check is not None and value:
            try:
                self._check(value)
            except TpmError as exc:
                error.update(Text(form_message(exc), style="bold red"))
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteChange(NamedTuple):
    """What :class:`NotePrompt` returns for an earlier note: fix it (``text``) or remove it (None)."""

    which: int  # 0-based, oldest first
    at: datetime  # when that note was made: a list changed meanwhile is refused, not misapplied
    text: str | None


class _NotesList(OptionList):
    """The notes so far, in the note dialog: enter fixes the highlighted one, x removes it."""

    BINDINGS = [Binding("x,delete", "remove", "Remove"), Binding("escape", "back", "Back")]

    class Remove(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Back(Message):
        pass

    def action_remove(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Remove(self.highlighted))

    def action_back(self) -> None:
        self.post_message(self.Back())


class NotePrompt(TextPrompt):
    """A note: a new one on the line — or, with ``notes`` (those so far), ``↑`` goes up to
    them: ``enter`` brings one into the line to fix it (``enter`` saves it), ``x`` removes it
    (``u`` brings it back). Returns the new note's text, a :class:`NoteChange`, or None."""

    BINDINGS = [Binding("up", "pick", "Earlier notes", show=False)]

    def __init__(self, title: str, question: str, *, notes: Sequence[Note] = (), tz: str = "UTC",
                 **prompt: Any) -> None:
        super().__init__(title, question, **prompt)
        self._notes = tuple(notes)
        self._zone = ZoneInfo(tz)
        self._fixing: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box") as box:
            box.border_title = self._title
            if self.subject is not None:
                yield Static(lit(self.subject.title, style="bold"), classes="dialog-task")
            if self._notes:
                yield Static(Text("Notes so far (↑: enter fixes one, x removes it)", style="dim"))
                yield _NotesList(*(Option(self._note_line(n)) for n in self._notes), id="notes-so-far")
            yield Static(Text(self._question), id="prompt-question")
            yield Input(self._value, placeholder=self._placeholder, id="prompt-input")
            yield Static("", classes="dialog-error")
            yield Static(Text("enter saves · esc cancels", style="dim"), classes="dialog-hint")

    def on_mount(self) -> None:  # (TextPrompt's focuses the line; both run)
        if self._notes:  # the latest in sight and marked: what ↑ takes
            listed = self.query_one(_NotesList)
            self.call_after_refresh(setattr, listed, "highlighted", len(self._notes) - 1)

    def _note_line(self, note: Note) -> Text:
        first = (note.text.splitlines() or [""])[0]
        return Text.assemble((f"{note.at.astimezone(self._zone):%d %b %H:%M}  ", "dim"), lit(first))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self._notes) if action == "pick" else True

    def action_pick(self) -> None:
        listed = self.query_one(_NotesList)
        listed.highlighted = len(self._notes) - 1  # from the line up to the latest: the one most often fixed
        listed.focus()

    @on(_NotesList.OptionSelected)
    def note_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._fixing = event.option_index
        note = self._notes[event.option_index]
        self.query_one("#prompt-question", Static).update(Text.assemble(
            ("Fixing the note of ", ""), (f"{note.at.astimezone(self._zone):%d %b %H:%M}", "bold"),
            (": enter saves it (x on it in the list removes it)", "dim")))
        field = self.query_one(Input)
        field.value = note.text
        field.focus()

    @on(_NotesList.Remove)
    def note_removed(self, event: _NotesList.Remove) -> None:
        event.stop()
        self.dismiss(NoteChange(event.index, self._notes[event.index].at, None))  # type: ignore[arg-type]

    @on(_NotesList.Back)
    def back_to_line(self, event: _NotesList.Back) -> None:
        event.stop()
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def fixed(self, event: Input.Submitted) -> None:
        if self._fixing is None:
            return  # a new note: TextPrompt.submitted takes it
        event.prevent_default()  # (runs first: the subclass' handler; TextPrompt's is skipped)
        event.stop()
        value = event.value.strip()
        if not value:
            self.query_one(".dialog-error", Static).update(
                Text("Type the note, or x on it in the list above to remove it", style="bold red"))
            return
        which = self._fixing
        self.dismiss(NoteChange(which, self._notes[which].at, value))  # type: ignore[arg-type]


# ---------------------------------------------------------------- delete, asked first


class AskFirst(ModalScreen[bool | str]):
    """Remove something? ``y`` says yes; ``n`` or escape keeps it (enter does neither: a
    removal is not what an enter typed ahead for the previous dialog should do). With
    ``one`` (a repeating appointment's day), ``o`` answers ``"one"``: that day only."""

    BINDINGS = [Binding("y", "answer(True)", "Delete"), Binding("n,escape", "answer(False)", "Keep"),
                Binding("o", "only_one", "Only this one")]

    def __init__(self, title: str, subject: str, said: Text, verb: str = "deletes", one: str | None = None) -> None:
        super().__init__(classes="dialog")
        self._title, self._subject, self._said, self._verb, self._one = title, subject, said, verb, one

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="delete-box") as box:
            box.border_title = self._title
            yield Static(lit(self._subject, style="bold"), classes="dialog-task")
            yield Static(self._said, id="delete-said")
            one: list[str | tuple[str, str]] = [("o", "bold"), f" only {self._one} · "] if self._one else []
            yield Static(Text.assemble(("y", "bold"), f" {self._verb} · ", *one, ("n", "bold"), " or ",
                                       ("esc", "bold"), " keeps it", style="dim"), classes="dialog-hint")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self._one) if action == "only_one" else True

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_only_one(self) -> None:
        self.dismiss("one")


class ConfirmDelete(AskFirst):
    """Delete a task? (what goes with it: its notes, the dependencies on it)."""

    def __init__(self, task: Task, dependents: Sequence[str] = ()) -> None:
        dependents = list(dependents)
        notes = len(task.notes)
        said = Text("\nDeleted, it leaves every list")
        if notes:
            said.append(f" (its {notes} note{'s' if notes > 1 else ''} with it)")
        said.append("; u brings it back.\nFinished work is better marked done (d).")
        if dependents:
            shown = ", ".join(dependents[:5]) + (f" and {len(dependents) - 5} more" if len(dependents) > 5 else "")
            said.append(f"\n{shown} depend{'s' if len(dependents) == 1 else ''} on it: that dependency goes too.")
        super().__init__(f"Delete {task.id}", task.title, said)
        self.subject = task
        self.dependents = dependents


# ---------------------------------------------------------------- the task form


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    placeholder: str = ""


EDIT_FIELDS = (
    FormField("title", "Title"),
    FormField("assignee", "Assignee", "a handle, or empty for nobody"),
    FormField("due", "Due", "2026-12-04, fri, +3d, 2026-12-04T17:00"),
    FormField("estimate", "Estimate (h)", "hours: 6, 1h30m, 2d (8h a day)"),
    FormField("remaining", "Remaining (h)", "hours left: 4, 90m"),
    FormField("priority", "Priority", " / ".join(PRIORITIES)),
    FormField("depends", "Depends on", "task ids, e.g. API-3, DATA-2"),
    FormField("time_sensitive", "Time-sensitive", "yes / no (focus blocks planned; +10 to its score)"),
    FormField("tags", "Tags", "words to find it by, e.g. frontend, q1"),
    FormField("repeat", "Repeat", "weekly, every 2 weeks, monthly… (done makes the next)"),
    FormField("status", "Status", " / ".join(s.value for s in TaskStatus)),
)
NEW_FIELDS = (EDIT_FIELDS[0], FormField("project", "Project", "a key, e.g. API (required)"), *EDIT_FIELDS[1:-1])
_YES = {"yes", "y", "true", "on", "1"}
_NO = {"", "no", "n", "false", "off", "0"}

_FLAG_LABELS = {
    "TITLE": "Title", "--project": "Project", "--assignee": "Assignee", "--due": "Due", "--estimate": "Estimate",
    "--remaining": "Remaining", "--priority": "Priority", "--depends": "Depends on", "title": "Title",
    "assignee": "Assignee", "depends on": "Depends on", "estimate hours": "Estimate", "remaining hours": "Remaining",
    "priority": "Priority", "status": "Status", "time sensitive": "Time-sensitive",
}


def form_message(error: Exception) -> str:
    """A service error as one line naming the form's field (``--due: …`` → ``Due: …``)."""
    text = safe_text(str(error)).splitlines()[0] if str(error) else type(error).__name__
    head, sep, rest = text.partition(": ")
    if sep and head in _FLAG_LABELS:
        return f"{_FLAG_LABELS[head]}: {rest}"
    return text


def _hours(text: str, label: str) -> float | None:
    """Hours of work in the words ``--estimate`` takes (``6``, ``1h30m``, ``2d``); empty: none."""
    from tpm_tui.domain import InputError
    from tpm_tui.services.entry import parse_effort

    if not text.strip():
        return None
    try:
        return parse_effort(text, label)
    except InputError as exc:
        raise ValueError(str(exc)) from None


def _due_text(task: Task, tz: ZoneInfo) -> str:
    due = task.due
    if due is None:
        return ""
    if isinstance(due, datetime):
        return due.astimezone(tz).strftime("%Y-%m-%dT%H:%M")
    return due.isoformat()


def _hours_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def parse_form(values: Mapping[str, str], *, today: date, tz: ZoneInfo, new: bool) -> dict[str, Any]:
    """The typed values of the form, or ``ValueError`` with one line naming the field."""
    out: dict[str, Any] = {}
    title = values.get("title", "").strip()
    if not title:
        raise ValueError("Title: must not be empty")
    out["title"] = title
    if new:
        project = values.get("project", "").strip().upper()
        if not project:
            raise ValueError("Project: required (a key such as API)")
        if not re.fullmatch(r"[A-Z][A-Z0-9]{0,11}", project):
            raise ValueError(f"Project: {project!r} is not a key (a letter, then up to 11 letters or digits)")
        out["project"] = project
    out["assignee"] = values.get("assignee", "").strip() or None
    due_text = values.get("due", "").strip()
    if due_text:
        try:
            out["due"] = parse_due(due_text, today, tz)
        except TpmError:
            raise ValueError(f"Due: {due_text!r} is not a date (2026-12-04, fri, +3d or 2026-12-04T17:00)") from None
    else:
        out["due"] = None
    out["estimate_hours"] = _hours(values.get("estimate", ""), "Estimate")
    out["remaining_hours"] = _hours(values.get("remaining", ""), "Remaining")
    if (out["estimate_hours"] is not None and out["remaining_hours"] is not None
            and out["remaining_hours"] > out["estimate_hours"]):
        raise ValueError("Remaining: more hours left than the estimate")
    priority = values.get("priority", "").strip().lower() or "normal"
    if priority not in PRIORITIES:
        raise ValueError(f"Priority: {priority!r} is not one of {', '.join(PRIORITIES)}")
    out["priority"] = priority
    deps = tuple(d.upper() for d in re.split(r"[,\s]+", values.get("depends", "")) if d)
    out["depends_on"] = deps
    sensitive = values.get("time_sensitive", "").strip().lower()
    if sensitive not in _YES | _NO:
        raise ValueError(f"Time-sensitive: {values.get('time_sensitive', '').strip()!r} is not yes or no")
    out["time_sensitive"] = sensitive in _YES
    try:
        out["tags"] = parse_tags(values.get("tags", ""), "Tags")
        out["repeat"] = rule_text(values.get("repeat", ""), "Repeat")
    except TpmError as exc:
        raise ValueError(str(exc)) from None
    if not new:
        status = values.get("status", "").strip().lower()
        try:
            out["status"] = TaskStatus(status)
        except ValueError:
            raise ValueError(f"Status: {status!r} is not one of {', '.join(s.value for s in TaskStatus)}") from None
    return out


def changes_of(task: Task, parsed: Mapping[str, Any]) -> dict[str, Any]:
    """Only the fields that differ from ``task`` (what an edit changes)."""
    return {k: v for k, v in parsed.items() if k != "project" and getattr(task, k) != v}


Submit = Callable[[dict[str, Any]], Awaitable[Any]]


class TaskForm(ModalScreen[Any]):
    """Edit a task (``task`` given) or create one. Enter in any field saves; esc cancels.

    Nothing is saved until every field is valid: a bad field shows one line under the
    form, and so does a refusal from the service (an unknown person or task).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
        # priority: handled as the key arrives, so letters typed right after tab land in the
        # next field (a key reaches the field focused when it arrives; see TpmApp._route_key)
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(self, *, task: Task | None, today: date, tz: ZoneInfo, submit: Submit,
                 handles: Sequence[str] = (), projects: Sequence[str] = (), project: str = "") -> None:
        super().__init__(classes="dialog")
        self.subject = task
        self._today = today
        self._tz = tz
        self._submit = submit
        self._handles = list(handles)
        self._projects = list(projects)
        self._project = project
        self._busy = False

    @property
    def new(self) -> bool:
        return self.subject is None

    def initial(self) -> dict[str, str]:
        t = self.subject
        if t is None:
            return {"priority": "normal", "project": self._project, "time_sensitive": "no"}
        return {
            "title": t.title,
            "assignee": t.assignee or "",
            "due": _due_text(t, self._tz),
            "estimate": _hours_text(t.estimate_hours),
            "remaining": _hours_text(t.remaining_hours),
            "priority": t.priority,
            "depends": ", ".join(t.depends_on),
            "time_sensitive": "yes" if t.time_sensitive else "no",
            "tags": ", ".join(t.tags),
            "repeat": t.repeat or "",
            "status": t.status.value,
        }

    def compose(self) -> ComposeResult:
        fields = NEW_FIELDS if self.new else EDIT_FIELDS
        values = self.initial()
        suggest = {"assignee": self._handles, "priority": list(PRIORITIES), "project": self._projects,
                   "repeat": ["daily", "weekdays", "weekly", "every 2 weeks", "monthly", "quarterly", "yearly", "none"],
                   "time_sensitive": ["yes", "no"], "status": [s.value for s in TaskStatus]}
        with Vertical(classes="dialog-box", id="task-form") as box:
            box.border_title = "New task" if self.subject is None else f"Edit {self.subject.id}"
            with Grid(id="form-grid", classes="one-line-form"):
                for f in fields:
                    yield Label(f.label, classes="form-label")
                    words = suggest.get(f.name)
                    yield CompletingInput(
                        value=values.get(f.name, ""),
                        placeholder=f.placeholder,
                        id=f"f-{f.name}",
                        suggester=SuggestFromList(words, case_sensitive=False) if words else None,
                    )
            yield Static("", classes="dialog-error", id="form-error")
            yield Static(Text("tab: next field · enter or ctrl+s saves · esc cancels", style="dim"),
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()

    def values(self) -> dict[str, str]:
        return {w.id[2:]: w.value for w in self.query(Input) if w.id}

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(lit(message, style="bold red"))

    @on(Input.Submitted)
    async def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.action_save()

    async def action_save(self) -> None:
        if self._busy:
            return
        try:
            parsed = parse_form(self.values(), today=self._today, tz=self._tz, new=self.new)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        if self.subject is not None:
            parsed = changes_of(self.subject, parsed)
            if not parsed:
                self.show_error("Nothing changed (esc closes)")
                return
        self._busy = True
        self.show_error("Saving…")
        try:
            result = await self._submit(parsed)
        except TpmError as exc:
            self.show_error(form_message(exc))
            return
        finally:
            self._busy = False
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
