"""TpmCommands: every dashboard action in the palette (ctrl+p), plus jump-to pickers."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider, SimpleCommand, SimpleProvider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from tpm_tui.ui.text import safe_text

# (title, action name, help); task actions are offered only when a task is selected
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Mark done", "mark_done", "Mark the selected task done (d)"),
    ("Snooze…", "snooze", "Snooze the selected task: tomorrow, +3 days, next Monday or a date (s)"),
    ("Due one working day later", "due_later", "Move the due date one working day of the assignee later (>)"),
    ("Due one working day earlier", "due_earlier", "Move the due date one working day earlier (<)"),
    ("Reassign…", "reassign", "Give the selected task to someone else (a)"),
    ("Block / unblock…", "toggle_block", "Block the selected task, or unblock it (b)"),
    ("Cycle priority", "cycle_priority", "low → normal → high → critical (p)"),
    ("Add note…", "add_note", "Add a note to the selected task, or to the meeting selected in Today (n)"),
    ("Hours left…", "hours_left", "Log progress: hours left (6, 6/20, -2 worked, +3 more, 40% done) (h)"),
    ("Edit task…", "edit_task", "Edit the selected task's fields (e)"),
    ("Delete task…", "delete_task", "Delete the selected task (in Today: an appointment of yours); asks first, "
     "u brings it back (x)"),
    ("New task…", "new_task", "Create a task (N)"),
    ("Undo", "undo", "Undo the last action (u)"),
    ("Redo", "redo", "Redo the last undone action (ctrl+r)"),
    ("Guided triage", "guided_triage", "Walk the at-risk list one task at a time (t)"),
    ("Filter…", "filter", "Filter At risk and Workload by project, person or words (/)"),
    ("Clear filter", "clear_filter", "Show every row again (esc)"),
    ("Import .ics…", "import_ics", "Import calendar invites from a file or folder (i)"),
    ("Days off…", "days_off", "Record days off for the Workload pane's person or the task's assignee (o)"),
    ("When can we meet…", "meet", "Free times for a meeting of several people across zones (m)"),
    ("Copy join link", "join", "Copy the call link of the meeting selected in Today (enter)"),
    ("Answer invitation…", "answer_invite", "Accept, maybe or decline the meeting selected in Today (A)"),
    ("Appointment…", "new_event", "Add an appointment of yours in one line, or change the one selected in Today (E)"),
    ("Projects", "projects", "Every project: how it stands and whether its work fits before its target (P)"),
    ("Copy status update", "copy_update", "The day's update per project, as markdown, for an e-mail; with the "
     "filter on a project key, that project's (y)"),
    ("Copy meeting minutes", "copy_minutes", "My notes on the meeting selected in Today, as markdown minutes for "
     "an e-mail (c)"),
    ("Focus: Today", "focus_pane('today')", "The day's meetings (1)"),
    ("Focus: At risk", "focus_pane('at-risk')", "Tasks by risk score (2)"),
    ("Focus: Workload", "focus_pane('workload')", "Load per person (3)"),
    ("Focus: Detail", "focus_pane('detail')", "The selected item, or the plan (4)"),
    ("Next day", "shift_day(1)", "Show the next day (])"),
    ("Previous day", "shift_day(-1)", "Show the previous day ([)"),
    ("Back to today", "go_today", "Show today (.)"),
    ("Toggle week", "toggle_week", "The first pane: the day, or its whole week (w)"),
    ("Toggle plan view", "toggle_plan", "Focus blocks in the fourth pane (v)"),
    ("Reload data", "reload", "Re-read the database now (r)"),
    ("Help: keys", "help", "Every key (?)"),
)


class TpmCommands(Provider):
    """The dashboard's actions (disabled ones left out), "Jump to task…" and "Jump to person…"."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        if not hasattr(screen, "jump_to_task"):
            return []
        out: list[tuple[str, Callable[[], Any], str]] = []
        for title, action, help_text in ACTIONS:
            name = action.split("(")[0]
            if screen.check_action(name, ()) is not True:
                continue
            out.append((title, partial(screen.run_action, action), help_text))
        out.append(("Jump to task…", self.pick_task, "Select a task of the At risk list by id or title"))
        out.append(("Jump to person…", self.pick_person, "Select a person in the Workload pane"))
        return out

    def pick_task(self) -> None:
        screen: Any = self.screen
        data = screen.data
        if data is None:
            return
        items = data.brief.at_risk  # highest score first
        commands = [
            SimpleCommand(safe_text(f"{r.task.id}  {r.task.title}"), partial(screen.jump_to_task, r.task.id),
                          safe_text(f"{r.level.value if hasattr(r.level, 'value') else r.level} · "
                                    f"{data.names.get(r.task.assignee or '', r.task.assignee or 'unassigned')}"))
            for r in items
        ]
        self.app.push_screen(CommandPalette(providers=[LiteralProvider(self.screen, commands)],
                                            placeholder="Jump to task…"))

    def pick_person(self) -> None:
        screen: Any = self.screen
        data = screen.data
        if data is None:
            return
        loads = sorted(data.brief.workload, key=lambda w: w.person.handle)
        commands = [
            SimpleCommand(safe_text(f"{w.person.name or w.person.handle} ({w.person.handle})"),
                          partial(screen.jump_to_person, w.person.handle), f"{w.load_pct:.0f}% load this week")
            for w in loads
        ]
        self.app.push_screen(CommandPalette(providers=[LiteralProvider(self.screen, commands)],
                                            placeholder="Jump to person…"))

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    MAX_TARGETS = 30
    """Most tasks and people offered directly for one query (the pickers list them all)."""

    def _targets(self, query: str) -> list[tuple[str, Callable[[], Any], str]]:
        """Tasks of the At risk list and people whose id, title, name or handle contain the
        query: typing ``API-7`` in the palette finds the task itself, not only "Jump to task…"."""
        screen: Any = self.screen
        data = getattr(screen, "data", None)
        q = query.strip().lower()
        if data is None or len(q) < 2 or not hasattr(screen, "jump_to_task"):
            return []
        out: list[tuple[str, Callable[[], Any], str]] = []
        names = data.names
        for r in data.brief.at_risk:  # highest score first
            text = safe_text(f"{r.task.id}  {r.task.title}")
            if q in text.lower():
                who = names.get(r.task.assignee or "", r.task.assignee or "unassigned")
                out.append((text, partial(screen.jump_to_task, r.task.id), f"Jump to task · {r.level.value} · {who}"))
                if len(out) >= self.MAX_TARGETS:
                    break
        for w in data.brief.workload:
            text = safe_text(f"{w.person.name or w.person.handle} ({w.person.handle})")
            if q in text.lower():
                out.append((text, partial(screen.jump_to_person, w.person.handle),
                            f"Jump to person · {w.load_pct:.0f}% load this week"))
        return out

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
        for text, callback, help_text in self._targets(query):
            score = matcher.match(text)
            if score > 0:
                # a title comes from outside: shown literally (Matcher.highlight reads markup)
                yield Hit(score, literal_highlight(matcher, text), callback, help=escape(safe_text(help_text)))


class LiteralProvider(SimpleProvider):
    """Textual's list-of-commands provider, with names and help shown literally: they are
    task titles and people's names (Textual's own reads them as markup, so a title like
    ``[bold red]boom[/]`` would turn bold and red)."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands:
            if (score := matcher.match(name)) > 0:
                yield Hit(score, literal_highlight(matcher, name), callback, text=name,
                          help=escape(help_text) if help_text else None)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands:
            yield DiscoveryHit(Content(name), callback, text=name, help=escape(help_text) if help_text else None)


def literal_highlight(matcher: Matcher, text: str) -> Content:
    """``text`` as plain content with the query's matched characters styled."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
