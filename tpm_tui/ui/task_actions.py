"""The triage keys, shared by the dashboard and the guided-triage screen.

A screen that mixes in :class:`TaskActions` says which task is selected
(:meth:`current_task`); each key builds one call into ``tpm_tui.services.triage``
and queues it on the app's writer thread. Once the call returned (the change is on
disk), the dashboard refreshes and notifies, and the screen's
:meth:`task_written` hook runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from textual.binding import Binding

from tpm_tui.domain import Task, TaskStatus
from tpm_tui.services import triage
from tpm_tui.services.entry import add_task
from tpm_tui.services.triage import Outcome

# The dialogs (tpm_tui.ui.screens.task_modals) are imported when a key opens one: the
# dashboard's first frame does not need them.

if TYPE_CHECKING:
    from tpm_tui.storage import Store
    from tpm_tui.ui.app import TpmApp

TASK_ACTIONS = frozenset(
    {"mark_done", "snooze", "due_later", "due_earlier", "reassign", "toggle_block", "cycle_priority", "add_note",
     "edit_task", "delete_task", "hours_left"}
)
"""Actions that need a selected task (disabled in the footer when there is none)."""

Written = tuple[Outcome, Task | None]


def task_bindings(scope: str) -> list[Binding]:
    """The triage keys; ``scope`` prefixes the binding ids (``dashboard``, ``triage``)."""
    return [
        Binding("d", "mark_done", "Done", tooltip="Mark the selected task done", id=f"{scope}.done"),
        Binding("s", "snooze", "Snooze", tooltip="Snooze the task: tomorrow, +3 days, next Monday or a date",
                id=f"{scope}.snooze"),
        Binding("greater_than_sign", "due_later", "Due +1", show=False,
                tooltip="Due one working day (of the assignee) later", id=f"{scope}.due-later"),
        Binding("less_than_sign", "due_earlier", "Due -1", show=False,
                tooltip="Due one working day (of the assignee) earlier", id=f"{scope}.due-earlier"),
        Binding("a", "reassign", "Reassign", show=False,
                tooltip="Reassign the task (people with their load, and who has its hours free before it is due)",
                id=f"{scope}.reassign"),
        Binding("b", "toggle_block", "Block", show=False, tooltip="Block the task (by a task or a reason), or unblock it",
                id=f"{scope}.block"),
        Binding("p", "cycle_priority", "Priority", show=False, tooltip="Cycle the priority: low, normal, high, critical",
                id=f"{scope}.priority"),
        Binding("n", "add_note", "Note", show=False, tooltip="Add a note to the task, or to the meeting selected in Today",
                id=f"{scope}.note"),
        Binding("h", "hours_left", "Hours", show=False,
                tooltip="Hours left on the task: 6, 6/20 (of an estimate), -2 (worked 2h), +3, 40% (done)",
                id=f"{scope}.hours"),
        Binding("e", "edit_task", "Edit", show=False,
                tooltip="Edit the task: every field (due, hours, repeat, tags…) in one form", id=f"{scope}.edit"),
        Binding("x", "delete_task", "Delete", show=False, tooltip="Delete the task (asks first; u brings it back)",
                id=f"{scope}.delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last action (again: the one before)", id=f"{scope}.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, tooltip="Redo the last undone action", id=f"{scope}.redo"),
    ]


class TaskActions:
    """Mixin for a ``Screen``: the triage keys acting on :meth:`current_task`."""

    app: TpmApp

    # ------------------------------------------------------------ hooks

    def current_task(self) -> Task | None:
        raise NotImplementedError

    def task_written(self, kind: str, outcome: Outcome, task: Task | None) -> None:
        """Called on the UI once an action of this screen is on disk (after the dashboard refreshed)."""

    def action_queued(self, kind: str, task: Task | None) -> None:
        """Called when an action was queued (guided triage moves on here)."""

    # ------------------------------------------------------------ plumbing

    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.app.tz)

    def _now(self) -> datetime:
        return self.app.clock().astimezone(self._zone())

    def task_check(self, action: str) -> bool | None:
        """For ``check_action``: task keys are disabled (shown, greyed) without a task."""
        if action in TASK_ACTIONS and self.current_task() is None:
            return None
        return True

    def queue(self, kind: str, call: Callable[[Store, datetime], Outcome], task: Task | None = None, *,
              settled: Callable[[], Any] | None = None) -> None:
        """Queue ``call(store, now)`` on the writer; refresh and notify once it is on disk.

        ``settled()`` runs once the write is on disk (just after the refresh, so both show in
        one frame) or was refused.
        """
        store, now = self.app.store, self._now()
        if self.app.dashboard is not None:
            self.app.dashboard.postpone_recompute()

        def run() -> Written:
            outcome = call(store, now)
            return outcome, (store.task(outcome.task_id) if outcome.task_id else None)

        def done(result: Written) -> None:
            outcome, fresh = result
            dashboard = self.app.dashboard
            if dashboard is not None:
                dashboard.after_write(kind, outcome, fresh)
            self.task_written(kind, outcome, fresh)

        self.app.write(run, done, settled)
        self.action_queued(kind, task)

    def _task_or_none(self) -> Task | None:
        task = self.current_task()
        if task is None:
            self.app.notify("Select a task first (2 focuses the At risk pane)", severity="warning", markup=False)
        return task

    # ------------------------------------------------------------ the keys

    def action_mark_done(self) -> None:
        task = self._task_or_none()
        if task is not None:
            self.queue("done", lambda s, now: triage.mark_done(s, task.id, now), task)

    def action_due_later(self) -> None:
        task = self._task_or_none()
        if task is not None:
            self.queue("due+1", lambda s, now: triage.shift_due(s, task.id, 1, now), task)

    def action_due_earlier(self) -> None:
        task = self._task_or_none()
        if task is not None:
            self.queue("due-1", lambda s, now: triage.shift_due(s, task.id, -1, now), task)

    def action_cycle_priority(self) -> None:
        task = self._task_or_none()
        if task is not None:
            self.queue("priority", lambda s, now: triage.cycle_priority(s, task.id, now), task)

    def action_undo(self) -> None:
        self.queue("undo", triage.undo)

    def action_redo(self) -> None:
        self.queue("redo", triage.redo)

    async def action_snooze(self) -> None:
        """The snooze dialog, drawn over this screen (not a modal screen: see ``SnoozePicker``)."""
        task = self._task_or_none()
        if task is None:
            return
        from tpm_tui.ui.widgets.snooze_picker import SnoozePicker

        found = self.query(SnoozePicker)  # type: ignore[attr-defined]
        if found:
            picker = found.first()
        else:
            picker = SnoozePicker()
            await self.mount(picker)  # type: ignore[attr-defined]
        if picker.is_open:
            return
        if self.app.dashboard is not None:
            self.app.dashboard.postpone_recompute()

        def picked(until: date, close: Callable[[], None]) -> None:
            # the dialog closes once the snooze is on disk: its box goes in the same frame
            # as the task leaves the list (one repaint, not two)
            self.queue("snooze", lambda s, now: triage.snooze(s, task.id, until, now), task, settled=close)

        picker.open(task, self._now().date(), picked)

    def action_reassign(self) -> None:
        task = self._task_or_none()
        if task is None:
            return
        data = self.app.dashboard.data if self.app.dashboard is not None else None
        loads = list(data.brief.workload) if data is not None else []
        from tpm_tui.ui.screens.task_modals import UNASSIGNED, PersonPicker

        def picked(handle: str | None) -> None:
            if handle is not None:
                who = None if handle == UNASSIGNED else handle
                self.queue("reassign", lambda s, now: triage.reassign(s, task.id, who, now), task)

        # the dashboard's own finder: the pass its rows come from, and what Detail already computed
        fits = data.room(task) if data is not None and data.room is not None else {}
        self.app.push_screen(PersonPicker(task, loads, fits), picked)

    def action_toggle_block(self) -> None:
        task = self._task_or_none()
        if task is None:
            return
        if task.status is TaskStatus.BLOCKED:
            self.queue("unblock", lambda s, now: triage.toggle_block(s, task.id, None, now), task)
            return
        from tpm_tui.ui.screens.task_modals import TextPrompt

        def answered(by: str | None) -> None:
            if by is not None:
                self.queue("block", lambda s, now: triage.toggle_block(s, task.id, by or None, now), task)

        self.app.push_screen(
            TextPrompt(f"Block {task.id}", "Blocked by which task or reason?", task=task,
                       placeholder="a task id (e.g. API-3) or a few words", allow_empty=True),
            answered,
        )

    def _ask_then(self, kind: str, task: Task, call: Callable[[Store, str, str, datetime], Outcome], title: str,
                  question: str, **prompt: Any) -> None:
        """One line asked about ``task``; once given, ``call(store, task id, text, now)`` is queued."""
        from tpm_tui.ui.screens.task_modals import TextPrompt

        def answered(text: str | None) -> None:
            if text:
                self.queue(kind, lambda s, now: call(s, task.id, text, now), task)

        self.app.push_screen(TextPrompt(title, question, task=task, **prompt), answered)

    def action_add_note(self) -> None:
        """``n``: a note on the task — and, above the line, its notes so far to fix or remove (``↑``)."""
        task = self._task_or_none()
        if task is None:
            return
        from tpm_tui.ui.screens.task_modals import NoteChange, NotePrompt

        def answered(said: str | NoteChange | None) -> None:
            if isinstance(said, NoteChange):
                change = said
                self.queue("note", lambda s, now: triage.fix_note(s, task.id, change.which, change.text, now,
                                                                  at=change.at), task)
            elif said:
                text = said
                self.queue("note", lambda s, now: triage.add_note(s, task.id, text, now), task)

        self.app.push_screen(NotePrompt(f"Note on {task.id}", "Note:", task=task, notes=task.notes,
                                        tz=self.app.tz, placeholder="e.g. asked Lena for the API keys"),  # type: ignore[attr-defined]
                             answered)

    def action_hours_left(self) -> None:
        task = self._task_or_none()
        if task is None:
            return
        from tpm_tui.services.entry import parse_progress

        left, estimate = task.remaining_hours, task.estimate_hours
        if left is None and estimate is None:
            now = "No hours yet"
        else:
            now = "Now " + (f"{left:g}h left" if left is not None else "no hours left set") + (
                f" of {estimate:g}h" if estimate is not None else ", no estimate")
        self._ask_then("hours", task, triage.set_progress, f"Hours left on {task.id}", f"{now}. Hours left:",
                       placeholder="6 · 6/20 (of an estimate) · -2 (worked) · +3 · 40% (done)",
                       check=lambda text: parse_progress(text, left, estimate, "Hours"))

    def action_delete_task(self) -> None:
        task = self._task_or_none()
        if task is None:
            return
        from tpm_tui.ui.screens.task_modals import ConfirmDelete

        data = self.app.dashboard.data if self.app.dashboard is not None else None
        # the open tasks that depend on it, from the dashboard's list (done ones lose the link too)
        dependents = [t.id for t in (data.open_list if data is not None else ()) if task.id in t.depends_on]

        def answered(yes: bool | None) -> None:
            if yes:
                self.queue("delete", lambda s, now: triage.delete_tasks(s, [task.id], now), task)

        self.app.push_screen(ConfirmDelete(task, dependents), answered)

    def _form_lists(self) -> tuple[list[str], list[str]]:
        """The form's completions: every person's handle and every project's key."""
        store = self.app.store
        return [p.handle for p in store.people()], [p.key for p in store.projects()]

    def _submitter(self, kind: str, make: Callable[[Store, datetime, dict[str, Any]], Outcome]) -> Callable[
            [dict[str, Any]], Any]:
        """The form's ``submit``: the write on the writer thread, awaited; then refresh."""
        store = self.app.store

        async def submit(values: dict[str, Any]) -> Written:
            now = self._now()

            def run() -> Written:
                outcome = make(store, now, values)
                return outcome, (store.task(outcome.task_id) if outcome.task_id else None)

            result = await self.app.save(run)
            outcome, fresh = result
            if self.app.dashboard is not None:
                self.app.dashboard.after_write(kind, outcome, fresh)
            self.task_written(kind, outcome, fresh)
            return result

        return submit

    def action_edit_task(self) -> None:
        task = self._task_or_none()
        if task is None:
            return
        handles, projects = self._form_lists()
        from tpm_tui.ui.screens.task_modals import TaskForm

        submit = self._submitter("edit", lambda s, now, changes: triage.edit(s, task.id, changes, now))
        self.app.push_screen(
            TaskForm(task=task, today=self._now().date(), tz=self._zone(), submit=submit, handles=handles,
                     projects=projects)
        )

    def action_new_task(self) -> None:
        from tpm_tui.ui.screens.task_modals import TaskForm

        handles, projects = self._form_lists()
        current = self.current_task()
        zone = self._zone()

        def create(s: Store, now: datetime, v: dict[str, Any]) -> Outcome:
            new_project = s.project(v["project"]) is None
            due = v["due"]
            due_text = None if due is None else due.isoformat()
            task = add_task(
                s, title=v["title"], project=v["project"], now=now, tz=zone, assignee=v["assignee"], due=due_text,
                estimate=v["estimate_hours"], remaining=v["remaining_hours"], priority=v["priority"],
                depends=",".join(v["depends_on"]) or None, time_sensitive=v["time_sensitive"], journal=True,
                tags=",".join(v["tags"]) or None, repeat=v["repeat"],
            )
            note = f" in a new project {task.project}" if new_project else ""
            return Outcome(f"{task.id} created{note}", task.id)

        self.app.push_screen(
            TaskForm(task=None, today=self._now().date(), tz=zone, submit=self._submitter("new", create),
                     handles=handles, projects=projects, project=current.project if current else "")
        )
