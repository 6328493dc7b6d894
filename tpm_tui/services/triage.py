"""Triage actions on a task, each journalled with enough to undo (and redo) it.

Every action is one store transaction: the task change and its journal entry reach
the disk together in one atomic write, or not at all. The journal lives in the
database, so undo works after a restart.

Undo/redo follow the usual editor model: ``undo`` reverts the latest action not yet
undone; ``redo`` re-applies the oldest of the actions undone since the last new
action; a new action drops what could still be redone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tpm_tui.domain import (
    PRIORITIES,
    WEEKDAYS,
    InputError,
    JournalEntry,
    Note,
    NotFoundError,
    Person,
    StoreError,
    Task,
    TaskStatus,
    no_person,
)
from tpm_tui.storage import Store, codec

JOURNAL_LIMIT = 2000
"""Entries kept; older ones are pruned (they can no longer be undone)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an action did, for the notification and the panes to refresh."""

    message: str
    task_id: str | None
    entry_id: int | None = None


# ---------------------------------------------------------------- core


def _apply(store: Store, action: str, task_id: str, change: Callable[[Task], Task], summary: str,
           now: datetime) -> Outcome:
    """Change one task and journal it. A repeating task that this makes done hands its
    rule to the next one, created in the same write: one undo takes back both."""
    with store.transaction():
        before = store.require_task(task_id)
        after = change(before)._replace(updated_at=now)
        nxt = _next_in_series(store, before, after, now)
        extra: dict[str, Any] | None = None
        if nxt is not None:
            after = after._replace(repeat=None)  # the rule lives on the open one: reopening this cannot fork it
            extra = {"batch": f"repeat-{os.urandom(6).hex()}",
                     "batch_summary": f"{summary} and {nxt.id} (the next, {nxt.repeat}) created"}
            summary += f"; next ({nxt.repeat}): {nxt.id} due {_due_words(nxt.due, store, now)}"
        store.put_task(after)
        old, new = _diff(codec.task_to_doc(before), codec.task_to_doc(after))
        entry = _record(store, action, summary, old, new, now, extra)
        if nxt is not None:
            store.put_task(nxt)
            entry = _record(store, "new", f"{nxt.id} created (repeats {nxt.repeat})", None, codec.task_to_doc(nxt),
                            now, extra)
    return Outcome(summary, task_id, entry.id)


def _user_zone(store: Store, now: datetime) -> Any:
    from tpm_tui.logic.timeutil import zone

    name = store.settings().timezone
    return zone(name) if name else (now.tzinfo or UTC)


def _due_words(due: Any, store: Store, now: datetime) -> str:
    if isinstance(due, datetime):
        return due.astimezone(_user_zone(store, now)).strftime("%a %d %b %H:%M")
    return due.strftime("%a %d %b") if due is not None else "—"


def _next_in_series(store: Store, before: Task, after: Task, now: datetime) -> Task | None:
    """The task that follows ``before`` when this change makes a repeating task done."""
    if not after.repeat or before.status is TaskStatus.DONE or after.status is not TaskStatus.DONE:
        return None
    from tpm_tui.logic.repeat import next_in_series, parse_rule

    rule = parse_rule(after.repeat)  # as this change leaves it (an edit may set it and finish at once)
    if rule is None:
        return None
    t = after  # as this change leaves it: an edit may move it to a project or a date as it finishes it
    tz = _user_zone(store, now)
    person = store.person(t.assignee) if t.assignee else None
    due, rule = next_in_series(t.due, rule, now.astimezone(tz).date(), tz,
                               work_days=person.work_days if person else WEEKDAYS[:5],
                               days_off=person.days_off if person else ())
    number = store.next_task_number(t.project, deleted_task_ids(store))
    return Task(
        id=f"{t.project}-{number}", project=t.project, title=t.title, assignee=t.assignee, priority=t.priority,
        due=due, estimate_hours=t.estimate_hours, remaining_hours=t.estimate_hours, time_sensitive=t.time_sensitive,
        tags=t.tags, repeat=rule.text, created_at=now, updated_at=now,
    )


NOTES_ADDED = "notes+"


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed (plus the id): journal entries stay small, and undo
    restores just what the action touched. Appended notes are stored as the new notes
    alone, so a task with many notes does not make every entry large."""
    old: dict[str, Any] = {"id": before["id"]}
    new: dict[str, Any] = {"id": after["id"]}
    for key in after.keys() | before.keys():
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if key == "notes" and isinstance(a, list) and isinstance(b, list) and b[: len(a)] == a:
            new[NOTES_ADDED] = b[len(a):]
            continue
        old[key] = a
        new[key] = b
    return old, new


def _patch(doc: dict[str, Any], fields: dict[str, Any], removing: dict[str, Any] | None = None) -> dict[str, Any]:
    out = dict(doc)
    for key, value in fields.items():
        if key == NOTES_ADDED:
            out["notes"] = list(out.get("notes", [])) + list(value)
        else:
            out[key] = value
    if removing and NOTES_ADDED in removing:
        notes = list(out.get("notes", []))
        for note in removing[NOTES_ADDED]:
            if note in notes:
                # the last occurrence: the one this action appended
                del notes[len(notes) - 1 - notes[::-1].index(note)]
        out["notes"] = notes
    return out


def _record(store: Store, action: str, summary: str, before: dict[str, Any] | None,
            after: dict[str, Any] | None, now: datetime, extra: dict[str, Any] | None = None) -> JournalEntry:
    journal = store.journal()
    # A new action drops the redo branch.
    for e in reversed(journal):
        if not e.undone:
            break
        if not e.extra.get("dropped"):
            store.put_journal(replace(e, extra={**e.extra, "dropped": True}))
    if len(journal) >= JOURNAL_LIMIT:
        store.prune_journal(keep=JOURNAL_LIMIT - 1)
    return store.add_journal(JournalEntry(id=0, at=now, action=action, summary=summary, before=before, after=after,
                                          extra=dict(extra or {})))


_RECORDS: dict[str, tuple[str, Callable[..., Any], Callable[..., Any], Callable[..., Any], Callable[..., Any],
                          Callable[..., Any]]] = {
    "person": ("handle", Store.person, Store.put_person, codec.person_to_doc, codec.person_from_doc,
               Store.delete_person),
    "project": ("key", Store.project, Store.put_project, codec.project_to_doc, codec.project_from_doc,
                Store.delete_project),
    "meeting_notes": ("key", Store.meeting_notes_of, Store.put_meeting_notes, codec.meeting_notes_to_doc,
                      codec.meeting_notes_from_doc, Store.delete_meeting_notes),
}
"""Journal entries that concern a person or a project (``extra["kind"]``): the key field,
how to read, write and delete the record, and its codec. Undo and redo merge the changed
fields; an entry without ``before`` is a creation (undo deletes, redo puts it back whole)."""


def record_change(store: Store, kind: str, action: str, summary: str, before: Any, after: Any,
                   changed: list[str], now: datetime, extra: dict[str, Any] | None = None) -> Outcome:
    """Journal a person's or project's change: its key and the ``changed`` fields, before and
    after; ``before`` None: its creation (the whole record after); ``after`` None: its removal
    (the whole record before). ``extra``: a batch's marks."""
    key, _get, _put, to_doc, _from_doc, _delete = _RECORDS[kind]
    marks = {**(extra or {}), "kind": kind}
    if after is None:  # a removal: the whole record before
        entry = _record(store, action, summary, to_doc(before), None, now, extra=marks)
        return Outcome(summary, None, entry.id)
    new = to_doc(after)
    if before is None:
        entry = _record(store, action, summary, None, new, now, extra=marks)
        return Outcome(summary, None, entry.id)
    old = to_doc(before)
    entry = _record(store, action, summary, {key: old[key], **{k: old[k] for k in changed}},
                    {key: new[key], **{k: new[k] for k in changed}}, now, extra=marks)
    return Outcome(summary, None, entry.id)


MEETINGS_KIND = "meetings"
REDO_LIMIT = 500
"""A meetings entry keeps the new versions (for redo) of at most this many meetings; a
bigger import is undone from the old versions alone and redone by importing it again."""


def record_meetings(store: Store, action: str, summary: str, before: list[Any], after: list[Any],
                    deleted: list[tuple[str, str | None]], now: datetime,
                    extra: dict[str, Any] | None = None) -> JournalEntry:
    """Journal a change to meetings (an import, a calendar removed), inside the caller's
    transaction: ``before`` the stored versions it replaced or removed, ``after`` the
    versions it stored, ``deleted`` the keys it removed. Undo deletes what was new and puts
    the old versions back; redo stores ``after`` again (kept up to :data:`REDO_LIMIT`)."""
    had = {m.key for m in before}
    added = [[m.uid, m.recurrence_id] for m in after if m.key not in had]
    keep = len(after) <= REDO_LIMIT
    return _record(
        store, action, summary,
        {"meetings": [codec.meeting_to_doc(m) for m in before]},
        {"added": added, "deleted": [list(k) for k in deleted],
         **({"meetings": [codec.meeting_to_doc(m) for m in after]} if keep else {})},
        now, extra={**(extra or {}), "kind": MEETINGS_KIND},
    )


def _restore_meetings(store: Store, entry: JournalEntry, *, forward: bool) -> None:
    before, after = entry.before or {}, entry.after or {}
    if forward:
        if "meetings" not in after:
            source = entry.extra.get("source") or "the file"
            raise InputError(f"cannot redo '{entry.summary}': it was too big to keep; import {source} again")
        store.put_meetings(codec.meeting_from_doc(d) for d in after["meetings"])  # type: ignore[union-attr]
        store.delete_meetings((str(k[0]), k[1]) for k in after.get("deleted", ()))  # type: ignore[union-attr]
    else:
        store.delete_meetings((str(k[0]), k[1]) for k in after.get("added", ()))  # type: ignore[union-attr]
        store.put_meetings(codec.meeting_from_doc(d) for d in before.get("meetings", ()))  # type: ignore[union-attr]


TASKS_KIND = "tasks"


def record_tasks_added(store: Store, action: str, summary: str, tasks: Sequence[Task], projects: Sequence[Any],
                       now: datetime, extra: dict[str, Any] | None = None,
                       updated: Sequence[tuple[Task, Task]] = ()) -> JournalEntry:
    """Journal many tasks (and the projects made for them) added at once — an import — and
    the tasks it updated, as one entry, inside the caller's transaction: undo deletes the new
    ones and puts the updated ones back as they were, redo does it all again (the new
    documents kept up to :data:`REDO_LIMIT` tasks; a bigger import is redone by importing it
    again; the old versions are always kept)."""
    keep = len(tasks) + len(updated) <= REDO_LIMIT
    return _record(
        store, action, summary,
        {"updated": [codec.task_to_doc(old) for old, _new in updated]} if updated else None,
        {"added": [t.id for t in tasks], "projects": [codec.project_to_doc(p) for p in projects],
         **({"tasks": [codec.task_to_doc(t) for t in tasks],
             "updated": [codec.task_to_doc(new) for _old, new in updated]} if keep else {})},
        now, extra={**(extra or {}), "kind": TASKS_KIND},
    )


def _restore_tasks(store: Store, entry: JournalEntry, *, forward: bool) -> None:
    after = entry.after or {}
    if forward:
        if "tasks" not in after:
            source = entry.extra.get("source") or "the file"
            raise InputError(f"cannot redo '{entry.summary}': it was too big to keep; import {source} again")
        for doc in after.get("projects", ()):  # type: ignore[union-attr]
            store.put_project(codec.project_from_doc(doc))
        store.put_tasks(codec.task_from_doc(d) for d in [*after["tasks"], *after.get("updated", ())])  # type: ignore[misc]
        return
    store.delete_tasks(str(i) for i in after.get("added", ()))  # type: ignore[union-attr]
    store.put_tasks(codec.task_from_doc(d) for d in (entry.before or {}).get("updated", ()))  # type: ignore[union-attr]
    left = {t.project for t in store.tasks()} if after.get("projects") else set()
    for doc in after.get("projects", ()):  # type: ignore[union-attr]
        key = str(doc.get("key", ""))
        if key and key not in left:  # made for the import, and still empty
            store.delete_project(key)


def _restore(store: Store, entry: JournalEntry, *, forward: bool) -> str | None:
    """Apply an entry's ``after`` (forward) or ``before`` (backward) to its task (or, for
    a person's entry, to that person; for a meetings entry, to those meetings); the
    task's id, None for anything else."""
    kind = entry.extra.get("kind")
    if kind == MEETINGS_KIND:
        _restore_meetings(store, entry, forward=forward)
        return None
    if kind == TASKS_KIND:
        _restore_tasks(store, entry, forward=forward)
        return None
    if kind == SETTINGS_KIND:
        fields = entry.after if forward else entry.before
        store.put_settings(codec.settings_from_doc({**codec.settings_to_doc(store.settings()), **(fields or {})}))
        return None
    if kind in _RECORDS:
        key, get, put, to_doc, from_doc, delete = _RECORDS[kind]
        if entry.before is None:  # a creation: undone by deleting, redone by putting it back whole
            assert entry.after is not None
            if forward:
                put(store, from_doc(entry.after))
            else:
                delete(store, str(entry.after[key]))
            return None
        if entry.after is None:  # a removal: undone by putting it back whole, redone by deleting
            if forward:
                delete(store, str(entry.before[key]))
            else:
                put(store, from_doc(entry.before))
            return None
        fields = entry.after if forward else entry.before
        assert fields is not None
        current = get(store, str(fields[key]))
        if current is None:
            raise NotFoundError(f"no {kind} {fields[key]!r} any more")
        put(store, from_doc({**to_doc(current), **fields}))  # only the fields the action changed
        return None
    task_id = _task_id_of(entry)
    target = entry.after if forward else entry.before
    other = entry.before if forward else entry.after
    current = store.task(task_id)
    if target is None:  # undo of a creation / redo of a deletion
        store.delete_task(task_id)
    elif other is None or current is None:  # a whole document: creation redone / deletion undone
        store.put_task(codec.task_from_doc(target))
    else:
        doc = _patch(codec.task_to_doc(current), target, removing=None if forward else other)
        store.put_task(codec.task_from_doc(doc))
    return task_id


def _restore_checked(store: Store, entry: JournalEntry, *, forward: bool) -> str | None:
    """:func:`_restore`, with a journal copy that cannot be read (edited by hand) said in one
    line; the transaction around it then leaves the database as it was."""
    try:
        return _restore(store, entry, forward=forward)
    except codec.RecordError as exc:
        what = "redone" if forward else "undone"
        raise StoreError(f"{store.path}: '{entry.summary}' (journal entry {entry.id}) cannot be {what}: its copy "
                         f"of field {exc.field!r} cannot be read ({exc.problem}); nothing was changed") from None


def _task_id_of(entry: JournalEntry) -> str:
    doc = entry.after or entry.before or {}
    return str(doc.get("id", ""))


def _batch_run(entries: list[JournalEntry]) -> list[JournalEntry]:
    """``entries[0]`` and the entries right after it that belong to the same batch (the files
    of one folder import): undone or redone together, as the one command that made them."""
    batch = entries[0].extra.get("batch")
    if not batch:
        return entries[:1]
    run = [entries[0]]
    for e in entries[1:]:
        if e.extra.get("batch") != batch:
            break
        run.append(e)
    return run


def _batch_summary(run: list[JournalEntry]) -> str:
    """``import of 3 files (5 added, 1 cancelled)`` for a batch; an entry's own summary alone;
    the summary a batch of another kind (tasks deleted) gave itself."""
    if len(run) == 1:
        return run[0].summary
    told = run[0].extra.get("batch_summary")
    if isinstance(told, str) and told:
        return told
    sums: dict[str, int] = {}
    for e in run:
        counts = e.extra.get("counts")
        for word, n in (counts.items() if isinstance(counts, dict) else ()):
            sums[str(word)] = sums.get(str(word), 0) + int(n)
    did = ", ".join(f"{n} {word}" for word, n in sums.items())
    return f"import of {len(run)} files" + (f" ({did})" if did else "")


def undo(store: Store, now: datetime) -> Outcome:
    """Revert the latest change not undone (every file of a folder import at once)."""
    with store.transaction():
        live = [e for e in reversed(store.journal()) if not e.undone and not e.extra.get("dropped")]
        if not live:
            return Outcome("Nothing to undo", None)
        run = _batch_run(live)  # newest first
        task_id = None
        for target in run:
            task_id = _restore_checked(store, target, forward=False)
            store.put_journal(replace(target, undone=True, extra={**target.extra, "undone_at": now.isoformat()}))
    return Outcome(f"Undone: {_batch_summary(run)}", task_id if len(run) == 1 else None, run[-1].id)


def redo(store: Store, now: datetime) -> Outcome:
    """Re-apply the oldest change undone since the last new one (a folder import whole)."""
    with store.transaction():
        journal = store.journal()
        candidates: list[JournalEntry] = []
        for e in reversed(journal):
            if not e.undone or e.extra.get("dropped"):
                break
            candidates.append(e)
        if not candidates:
            return Outcome("Nothing to redo", None)
        run = _batch_run(candidates[::-1])  # oldest first
        task_id = None
        for target in run:
            task_id = _restore_checked(store, target, forward=True)
            store.put_journal(replace(target, undone=False, extra={**target.extra, "redone_at": now.isoformat()}))
    return Outcome(f"Redone: {_batch_summary(run)}", task_id if len(run) == 1 else None, run[0].id)


# ---------------------------------------------------------------- actions


def mark_done(store: Store, task_id: str, now: datetime) -> Outcome:
    def change(t: Task) -> Task:
        if t.status is TaskStatus.DONE:
            raise InputError(f"{t.id} is already done")
        return t._replace(status=TaskStatus.DONE, remaining_hours=0.0 if t.remaining_hours is not None else None)

    return _apply(store, "done", task_id, change, f"{task_id} marked done", now)


def reopen(store: Store, task_id: str, now: datetime) -> Outcome:
    def change(t: Task) -> Task:
        if t.status is not TaskStatus.DONE:
            raise InputError(f"{t.id} is not done")
        return t._replace(status=TaskStatus.TODO)

    return _apply(store, "reopen", task_id, change, f"{task_id} reopened", now)


def snooze(store: Store, task_id: str, until: date, now: datetime) -> Outcome:
    if until <= now.date():
        raise InputError(f"snooze: {until.isoformat()} is not in the future")
    return _apply(store, "snooze", task_id, lambda t: t._replace(snoozed_until=until),
                  f"{task_id} snoozed until {until:%a %d %b}", now)


def unsnooze(store: Store, task_id: str, now: datetime) -> Outcome:
    return _apply(store, "unsnooze", task_id, lambda t: t._replace(snoozed_until=None), f"{task_id} unsnoozed", now)


def next_working_day(day: date, step: int, person: Person | None) -> date:
    """The next (``step`` = 1) or previous (-1) working day of ``person`` (Mon–Fri when none)."""
    work_days = set(person.work_days) if person else set(WEEKDAYS[:5])
    days_off = set(person.days_off) if person else set()
    if not work_days:
        work_days = set(WEEKDAYS[:5])
    candidate = day
    for _ in range(366):
        candidate += timedelta(days=step)
        if WEEKDAYS[candidate.weekday()] in work_days and candidate not in days_off:
            return candidate
    raise InputError("no working day within a year")  # pragma: no cover - guarded by work_days


def shift_due(store: Store, task_id: str, step: int, now: datetime) -> Outcome:
    """Move the due date one working day of the assignee later (``step`` 1) or earlier (-1)."""
    if step not in (1, -1):
        raise InputError("shift_due: step must be 1 or -1")
    task = store.require_task(task_id)
    if task.due is None:
        raise InputError(f"{task_id} has no due date to move")
    person = store.person(task.assignee) if task.assignee else None

    def change(t: Task) -> Task:
        assert t.due is not None
        if isinstance(t.due, datetime):
            new_day = next_working_day(t.due.date(), step, person)
            return t._replace(due=t.due.replace(year=new_day.year, month=new_day.month, day=new_day.day))
        return t._replace(due=next_working_day(t.due, step, person))

    after_preview = change(task)
    due = after_preview.due
    label = due.strftime("%a %d %b %H:%M") if isinstance(due, datetime) else due.strftime("%a %d %b")  # type: ignore[union-attr]
    word = "later" if step > 0 else "earlier"
    return _apply(store, "due+1" if step > 0 else "due-1", task_id, change,
                  f"{task_id} due one working day {word}: {label}", now)


def reassign(store: Store, task_id: str, handle: str | None, now: datetime) -> Outcome:
    if handle is not None and store.person(handle) is None:
        raise NotFoundError(no_person(handle, store.people()))
    who = handle or "nobody"
    return _apply(store, "reassign", task_id, lambda t: t._replace(assignee=handle), f"{task_id} assigned to {who}",
                  now)


def toggle_block(store: Store, task_id: str, by: str | None, now: datetime) -> Outcome:
    """Block (with what blocks it: a task id or free text) or unblock a task."""
    task = store.require_task(task_id)
    if task.status is TaskStatus.BLOCKED:
        return _unblock(store, task, now)
    reason = (by or "").strip() or None
    if reason and reason.upper() == task_id.upper():
        raise InputError(f"{task_id} cannot block itself")
    blocker = store.task(reason.upper()) if reason else None
    if blocker is not None:
        reason = blocker.id  # "api-4" typed: the task API-4, spelt as its id

    def change(t: Task) -> Task:
        deps = t.depends_on
        if blocker is not None and blocker.id not in deps:
            deps = (*deps, blocker.id)
        return t._replace(status=TaskStatus.BLOCKED, blocked_by=reason, depends_on=deps)

    if reason is None:
        message = f"{task_id} blocked"
    elif blocker is None and TASK_ID_SHAPE.match(reason):
        # looks like a task id but names none (a typo of API-9?): say so, keep it as words
        message = f"{task_id} blocked by “{reason}” (no task {reason.upper()}: kept as a reason)"
    else:
        message = f"{task_id} blocked by {reason}"
    return _apply(store, "block", task_id, change, message, now)


def _block_entry(store: Store, task: Task) -> JournalEntry | None:
    """The journal's ``block`` of ``task`` that its current blocked state comes from, if
    nothing touched the task's status or dependencies since (a note or a new due date may
    have come in between); else ``None``."""
    for entry in reversed(store.journal()):
        if entry.undone or _task_id_of(entry) != task.id:
            continue
        after = entry.after or {}
        if entry.action == "block":
            return entry if after.get("blocked_by") == task.blocked_by and entry.before is not None else None
        if "status" in after or "depends_on" in after or entry.before is None:
            return None
    return None


def _unblock(store: Store, task: Task, now: datetime) -> Outcome:
    """Back to where blocking found it: its status before (``doing`` stays ``doing``) and
    without the dependency the block added — a dependency the task had already stays.
    A task blocked some other way (an edit, an import) becomes ``todo``, and the message
    says when the task it was blocked by is still an open dependency."""
    entry = _block_entry(store, task)
    status, added = TaskStatus.TODO, ()
    if entry is not None:
        before, after = entry.before or {}, entry.after or {}
        previous = before.get("status")
        if previous in (TaskStatus.TODO.value, TaskStatus.DOING.value):
            status = TaskStatus(previous)
        if "depends_on" in after:
            had = set(before.get("depends_on") or ())  # type: ignore[call-overload]
            added = tuple(d for d in after["depends_on"] if d not in had)  # type: ignore[union-attr]
    dropped = tuple(d for d in added if d in task.depends_on)

    def change(t: Task) -> Task:
        return t._replace(status=status, blocked_by=None, depends_on=tuple(d for d in t.depends_on if d not in dropped))

    message = f"{task.id} unblocked"
    if status is not TaskStatus.TODO:
        message += f", back to {status.value}"
    if dropped:
        message += f", no longer waiting for {', '.join(dropped)}"
    elif task.blocked_by in task.depends_on:
        blocker = store.task(task.blocked_by)  # type: ignore[arg-type]
        if blocker is not None and blocker.is_open:
            message += f" (still depends on {blocker.id}: e edits dependencies)"
    return _apply(store, "unblock", task.id, change, message, now)


TASK_ID_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,11}-\d+$")
"""What a task id looks like (project key, dash, number), whatever the case."""


def days_off(store: Store, handle: str, first: date, last: date, now: datetime, *, off: bool = True,
             extra: dict[str, Any] | None = None, only: Collection[date] | None = None) -> Outcome:
    """Days off (``off=False``: working again) for a person's working days from ``first`` to
    ``last`` (``only``: just these of them), journaled like a task action: ``u`` / ``tpm task
    undo`` takes them back. ``entry_id`` is None when nothing changed (already so, or not
    working days)."""
    from tpm_tui.services.entry import set_days_off

    with store.transaction():
        before = store.person(handle)
        if before is None:
            raise NotFoundError(no_person(handle, store.people()))
        person, changed = set_days_off(store, handle, first, last, off=off, only=only)
        name = person.name or handle
        if not changed:
            return Outcome(f"{name}: no change ({'not off' if not off else 'already off or not working'} on those days)",
                           None)
        n = len(changed)
        if only is not None and n > 1:  # holidays: each one said (a span would read as leave)
            fmt = "%a %d %b" if changed[0].year == changed[-1].year == now.year else "%a %d %b %Y"
            shown = ", ".join(f"{d:{fmt}}" for d in changed[:6]) + (f", … ({n - 6} more)" if n > 6 else "")
            summary = f"{name} {'off' if off else 'working again'} on {n} working days ({shown})"
            return record_change(store, "person", "days-off", summary, before, person, ["days_off"], now, extra)
        # with the years when the days are not all in this year's calendar ("Thu 24 Dec 2026–Fri 24 Dec 2027")
        fmt = "%a %d %b" if changed[0].year == changed[-1].year == now.year else "%a %d %b %Y"
        span = f"{changed[0]:{fmt}}" + (f"–{changed[-1]:{fmt}}" if n > 1 else "")
        days = f"{n} working day{'' if n == 1 else 's'} ({span})"
        summary = f"{name} off on {days}" if off else f"{name} working again on {days}"
        return record_change(store, "person", "days-off", summary, before, person, ["days_off"], now, extra)


def team_days_off(store: Store, handles: Sequence[str], first: date, last: date, now: datetime, *,
                  off: bool = True, only: Collection[date] | None = None) -> list[Outcome]:
    """:func:`days_off` for several people at once (a public holiday, the office closed; ``only``:
    a calendar's holidays): every handle is checked first, and one undo takes back the whole
    team's days."""
    handles = list(dict.fromkeys(handles))
    with store.transaction():
        unknown = [h for h in handles if store.person(h) is None]
        if unknown:
            raise NotFoundError(no_person(unknown, store.people()))
        fmt = "%a %d %b" if first.year == last.year == now.year else "%a %d %b %Y"
        span = f"{first:{fmt}}" + (f"–{last:{fmt}}" if last != first else "")
        told = f"{len(handles)} people {'off' if off else 'working again'} ({span})"
        if only is not None:  # a calendar's holidays: the window is not the days
            told = f"{len(handles)} people {'off' if off else 'working again'} on {len(only)} holiday" + \
                ("s" if len(only) != 1 else "")
        extra = {"batch": f"team-off-{os.urandom(6).hex()}", "batch_summary": told}
        return [days_off(store, h, first, last, now, off=off, extra=extra, only=only) for h in handles]


def create_person(store: Store, now: datetime, **fields: Any) -> Outcome:
    """:func:`tpm_tui.services.entry.add_person`, journaled: undo removes the person again."""
    from tpm_tui.services.entry import add_person

    with store.transaction():
        person = add_person(store, **fields)
        return record_change(store, "person", "person-add", f"person {person.handle} added", None, person, [], now)


def create_project(store: Store, key: str, now: datetime, **fields: Any) -> Outcome:
    """:func:`tpm_tui.services.entry.add_project`, journaled: undo removes the project again."""
    from tpm_tui.services.entry import add_project

    with store.transaction():
        project = add_project(store, key, **fields)
        return record_change(store, "project", "project-add", f"project {project.key} added", None, project, [],
                              now)


def edit_person(store: Store, handle: str, now: datetime, **fields: Any) -> Outcome:
    """:func:`tpm_tui.services.entry.edit_person`, journaled: ``u`` / ``tpm task undo`` put
    the person's old zone, hours, days, capacity, name, e-mail or role back."""
    from tpm_tui.services.entry import edit_person as change_person

    with store.transaction():
        before = store.person(handle)
        person, changed = change_person(store, handle, **fields)
        assert before is not None  # change_person refused an unknown handle
        return record_change(store, "person", "person-edit", f"{handle} edited ({', '.join(changed)})",
                              before, person, changed, now)


def edit_project(store: Store, key: str, now: datetime, **fields: Any) -> Outcome:
    """:func:`tpm_tui.services.entry.edit_project`, journaled like :func:`edit_person`."""
    from tpm_tui.services.entry import edit_project as change_project

    with store.transaction():
        code = key.strip().upper()
        before = store.project(code)
        project, changed = change_project(store, key, **fields)
        assert before is not None  # change_project refused an unknown key
        return record_change(store, "project", "project-edit", f"{project.key} edited ({', '.join(changed)})",
                              before, project, changed, now)


def cycle_priority(store: Store, task_id: str, now: datetime) -> Outcome:
    task = store.require_task(task_id)
    i = PRIORITIES.index(task.priority) if task.priority in PRIORITIES else 1
    new = PRIORITIES[(i + 1) % len(PRIORITIES)]
    return _apply(store, "priority", task_id, lambda t: t._replace(priority=new), f"{task_id} priority {new}", now)


def set_priority(store: Store, task_id: str, priority: str, now: datetime) -> Outcome:
    if priority not in PRIORITIES:
        raise InputError(f"priority {priority!r} is not one of {', '.join(PRIORITIES)}")
    return _apply(store, "priority", task_id, lambda t: t._replace(priority=priority),
                  f"{task_id} priority {priority}", now)


def set_progress(store: Store, task_id: str, text: str, now: datetime) -> Outcome:
    """The hours left on a task, in the words of :func:`services.entry.parse_progress`
    (``6``, ``6/20``, ``-2``, ``+3``, ``40%``): the figure the slip and capacity rules read."""
    from tpm_tui.services.entry import parse_progress

    with store.transaction():  # read and changed in one: "-2" counts from what is on disk now
        task = store.require_task(task_id)
        left, estimate = parse_progress(text, task.remaining_hours, task.estimate_hours)
        if left == task.remaining_hours and estimate == task.estimate_hours:
            raise InputError(f"{task_id}: already {_h(left)} left" + (f" of {_h(estimate)}" if estimate else ""))
        of = f" of {_h(estimate)}" if estimate else ""
        before = [f"was {_h(task.remaining_hours)}"] if task.remaining_hours is not None else []
        if estimate != task.estimate_hours and task.estimate_hours is not None:
            before.append(f"estimate was {_h(task.estimate_hours)}")
        was = f" ({'; '.join(before)})" if before else ""
        summary = f"{task_id}: {_h(left)} left{of}{was}" + ("; d marks it done" if left == 0 and task.is_open else "")
        return _apply(store, "hours", task_id, lambda t: t._replace(remaining_hours=left, estimate_hours=estimate),
                      summary, now)


def _h(hours: float | None) -> str:
    return "?" if hours is None else f"{hours:g}h"


def add_note(store: Store, task_id: str, text: str, now: datetime) -> Outcome:
    text = text.strip()
    if not text:
        raise InputError("note: empty")
    return _apply(store, "note", task_id, lambda t: t._replace(notes=(*t.notes, Note(at=now, text=text))),
                  f"{task_id} note added", now)


def edited_notes(notes: tuple[Note, ...], which: int, text: str | None, at: datetime | None = None, *,
                 none: str = "no notes to change: n adds one (tpm task note ID TEXT)") -> tuple[Note, ...]:
    """``notes`` with note ``which`` (0-based, oldest first) given ``text`` — or, with ``text``
    None, removed. ``at``: when that note was made, as the caller saw it: a list changed
    meanwhile (another window removed one) is refused rather than the wrong note touched.
    ``none``: what to say when there is no note at all."""
    if not notes:
        raise InputError(none)
    if not 0 <= which < len(notes):
        raise InputError(f"note {which + 1}: there {'is' if len(notes) == 1 else 'are'} "
                         f"{len(notes)} note{'' if len(notes) == 1 else 's'} (1 is the oldest)")
    if at is not None and notes[which].at != at:
        raise InputError("the notes changed meanwhile: look again and pick the note anew")
    if text is None:
        return notes[:which] + notes[which + 1:]
    text = text.strip()
    if not text:
        raise InputError("note: empty (removing it says so: --rm, or x in the notes list)")
    return notes[:which] + (notes[which]._replace(text=text),) + notes[which + 1:]


def fix_note(store: Store, task_id: str, which: int, text: str | None, now: datetime,
             at: datetime | None = None) -> Outcome:
    """Give note ``which`` (0-based) of a task a new ``text``, or remove it (``text`` None);
    journaled (undo puts it back). See :func:`edited_notes`."""
    with store.transaction():
        notes = edited_notes(store.require_task(task_id).notes, which, text, at)
        said = "removed" if text is None else "fixed"
        return _apply(store, "note", task_id, lambda t: t._replace(notes=notes),
                      f"{task_id} note {which + 1} {said}", now)


EDITABLE = ("title", "project", "assignee", "status", "priority", "due", "estimate_hours", "remaining_hours",
            "depends_on", "time_sensitive", "tags", "repeat")


def edit(store: Store, task_id: str, changes: dict[str, Any], now: datetime) -> Outcome:
    """Change several fields at once (already parsed values of the Task's own types)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"edit: cannot change {', '.join(sorted(unknown))}")
    if "title" in changes and not str(changes["title"]).strip():
        raise InputError("title: must not be empty")
    if "priority" in changes and changes["priority"] not in PRIORITIES:
        raise InputError(f"priority {changes['priority']!r} is not one of {', '.join(PRIORITIES)}")
    if changes.get("assignee") and store.person(changes["assignee"]) is None:
        raise NotFoundError(f"assignee: {no_person(changes['assignee'], store.people())}")
    for dep in changes.get("depends_on", ()):
        if dep == task_id:
            raise InputError(f"{task_id} cannot depend on itself")
        if store.task(dep) is None:
            raise NotFoundError(f"depends on: no task {dep!r}")
    for hours_field in ("estimate_hours", "remaining_hours"):
        value = changes.get(hours_field)
        if value is not None and not 0 <= value <= 10_000:
            raise InputError(f"{hours_field.replace('_', ' ')}: {value:g} is not between 0 and 10000")
    if "tags" in changes and not (isinstance(changes["tags"], tuple) and all(isinstance(t, str) for t in changes["tags"])):
        raise InputError(f"tags: {changes['tags']!r} is not a list of words")
    if changes.get("repeat") is not None:
        from tpm_tui.logic.repeat import rule_text

        changes = {**changes, "repeat": rule_text(str(changes["repeat"]), "repeat")}  # in its own words; "none": None
    if "status" in changes and not isinstance(changes["status"], TaskStatus):
        raise InputError(f"status {changes['status']!r} is not one of {', '.join(s.value for s in TaskStatus)}")
    names = ", ".join(sorted(changes)) or "nothing"

    def change(t: Task) -> Task:
        new = t._replace(**changes)
        # a status set here means what its key would: done leaves no hours, leaving
        # blocked drops the reason (the b key's unblock also restores what it added)
        if new.status is not t.status:
            if new.status is TaskStatus.DONE and new.remaining_hours and "remaining_hours" not in changes:
                new = new._replace(remaining_hours=0.0)
            if t.status is TaskStatus.BLOCKED and "blocked_by" not in changes:
                new = new._replace(blocked_by=None)
        return new

    return _apply(store, "edit", task_id, change, f"{task_id} edited ({names})", now)


def create_task(store: Store, task: Task, now: datetime) -> Outcome:
    """Journal the creation of a task (already validated by services.entry)."""
    with store.transaction():
        if store.task(task.id) is not None:
            raise InputError(f"task {task.id} already exists")
        store.put_task(task)
        entry = _record(store, "new", f"{task.id} created", None, codec.task_to_doc(task), now)
    return Outcome(f"{task.id} created", task.id, entry.id)


DELETE_ACTION = "delete"


def delete_tasks(store: Store, task_ids: Sequence[str], now: datetime) -> Outcome:
    """Delete tasks, each kept whole in the journal (notes and all): one undo brings them
    all back, as the one command that deleted them.

    Every id is checked before anything changes. A task that depended on a deleted one
    loses that dependency in the same step (said in the message, put back by the same
    undo): a dependency naming a task that no longer exists would silently stop counting.
    """
    ids = list(dict.fromkeys(task_ids))
    if not ids:
        raise InputError("no task given")
    with store.transaction():
        doomed = [store.require_task(i) for i in ids]
        gone = {t.id for t in doomed}
        names = ", ".join(t.id for t in doomed)
        unlinked = [t for t in store.dependents_of(gone) if t.id not in gone]
        message = f"{names} deleted"
        if unlinked and len(doomed) == 1:
            message += f" ({', '.join(t.id for t in unlinked)} no longer depend{'s' if len(unlinked) == 1 else ''} on it)"
        elif unlinked:
            message += " (" + "; ".join(
                f"{t.id} no longer depends on {', '.join(d for d in t.depends_on if d in gone)}" for t in unlinked) + ")"
        held = [t.id for t in unlinked if t.status is TaskStatus.BLOCKED and t.blocked_by in gone]
        if held:  # blocked by it with b: still blocked, with its id as the reason, until unblocked
            message += f"; {', '.join(held)} still marked blocked by it (b unblocks)"
        # one batch: undone and redone together (undo walks it newest first: the tasks come
        # back before the dependencies on them)
        extra: dict[str, Any] = {}
        if len(doomed) + len(unlinked) > 1:
            extra = {"batch": f"delete-{os.urandom(6).hex()}", "batch_summary": message}
        entry = None
        for t in unlinked:
            after = t._replace(depends_on=tuple(d for d in t.depends_on if d not in gone), updated_at=now)
            store.put_task(after)
            old, new = _diff(codec.task_to_doc(t), codec.task_to_doc(after))
            dropped = ", ".join(d for d in t.depends_on if d in gone)
            entry = _record(store, "unlink", f"{t.id} no longer depends on {dropped} (deleted)", old, new, now, extra)
        store.delete_tasks(gone)  # one pass over the table for all of them
        for t in doomed:
            entry = _record(store, DELETE_ACTION, f"{t.id} deleted", codec.task_to_doc(t), None, now, extra)
    assert entry is not None
    return Outcome(message, doomed[0].id if len(doomed) == 1 else None, entry.id)


def deleted_task_sources(store: Store) -> set[str]:
    """Where the tasks deleted here (and not brought back) were imported from, while the journal
    holds them: a later import of the same file does not bring them back."""
    return {str(e.before["source"]) for e in store.journal()
            if e.action == DELETE_ACTION and not e.undone and isinstance(e.before, dict) and e.before.get("source")}


def deleted_task_ids(store: Store) -> set[str]:
    """Ids a new task does not take while the journal still holds them: of tasks deleted (and
    not brought back), and of tasks whose creation was undone (an add, an import, a repeat's
    next one) — a brief already sent, a note or a chat may name them, and a redo brings
    them back under the same id."""
    out: set[str] = set()
    for e in store.journal():
        if e.action == DELETE_ACTION and not e.undone and isinstance(e.before, dict):
            out.add(str(e.before.get("id", "")))
        elif e.undone and isinstance(e.after, dict):
            if e.extra.get("kind") == TASKS_KIND:
                out.update(str(i) for i in e.after.get("added", ()))  # type: ignore[union-attr]
            elif e.action == "new" and e.before is None and e.after.get("id"):
                out.add(str(e.after["id"]))
    return out


SETTINGS_KIND = "settings"

SETTING_WORDS = {
    "me": "me", "timezone": "timezone", "due_soon_days": "due-soon", "stale_after_days": "stale-after",
    "plan_window_start": "plan-window", "plan_window_end": "plan-window", "remind_minutes": "remind",
}
"""How a setting is named to the user (as ``tpm set`` spells it)."""


def _setting_texts(doc: dict[str, Any]) -> dict[str, str]:
    """The settings as ``tpm set`` says them (the plan window as one value)."""
    return {
        "me": doc["me"] or "unset", "timezone": doc["timezone"] or "unset",
        "due-soon": f"{doc['due_soon_days']} days", "stale-after": f"{doc['stale_after_days']} days",
        "plan-window": f"{doc['plan_window_start']}–{doc['plan_window_end']}",
        "remind": f"{doc['remind_minutes']} min" if doc["remind_minutes"] else "never",
    }


def change_settings(store: Store, now: datetime, **fields: Any) -> Outcome:
    """Change settings (``me``, ``timezone``, the risk thresholds, the plan window), journalled:
    ``tpm undo`` or ``u`` puts the old values back. The new settings are checked as a whole
    (the codec's rules: the plan window never runs overnight) before anything is written."""
    with store.transaction():
        current = store.settings()
        changed = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not changed:
            texts = _setting_texts(codec.settings_to_doc(current))
            names = dict.fromkeys(SETTING_WORDS.get(k, k) for k in fields)
            return Outcome("nothing to change: " + ", ".join(f"{n} is already {texts[n]}" for n in names), None)
        new_doc = {**codec.settings_to_doc(current), **changed}
        try:
            new = codec.settings_from_doc(new_doc)
        except codec.RecordError as exc:
            raise InputError(f"{SETTING_WORDS.get(exc.field, exc.field)}: {exc.problem}") from None
        store.put_settings(new)
        old_doc = codec.settings_to_doc(current)
        was, now_is = _setting_texts(old_doc), _setting_texts(codec.settings_to_doc(new))
        summary = "; ".join(f"{name} {was[name]} → {now_is[name]}" for name in was if was[name] != now_is[name])
        entry = _record(store, "settings", summary, {k: old_doc[k] for k in changed}, dict(changed), now,
                        extra={"kind": SETTINGS_KIND})
    return Outcome(summary, None, entry.id)


def remove_person(store: Store, handle: str, now: datetime, *, give_to: str | None = None,
                  unassign: bool = False) -> Outcome:
    """Remove a person (someone who left the team): out of Workload, the pickers and every
    rule. Their open tasks must go somewhere first: to ``give_to``, or to nobody with
    ``unassign`` — else nothing changes and the message names them. Done tasks keep the
    handle (history). One undo brings back the person and their tasks' assignee."""
    with store.transaction():
        person = store.person(handle)
        if person is None:
            raise NotFoundError(no_person(handle, store.people()))
        if store.settings().me == handle:
            raise InputError(f"{handle} is you (tpm set me): say who you are with tpm set me HANDLE first")
        if give_to is not None:
            if give_to == handle:
                raise InputError(f"--reassign: {handle} is the person being removed")
            if store.person(give_to) is None:
                raise NotFoundError("--reassign: " + no_person(give_to, store.people()))
        mine = sorted((t for t in store.open_tasks() if t.assignee == handle), key=task_order)
        if mine and give_to is None and not unassign:
            ids = ", ".join(t.id for t in mine[:5]) + (f" and {len(mine) - 5} more" if len(mine) > 5 else "")
            raise InputError(f"{handle} has {len(mine)} open task{'s' if len(mine) > 1 else ''} ({ids}): give them "
                             "to someone (--reassign HANDLE) or to nobody (--unassign); nothing was changed")
        message = f"{handle} removed"
        if mine:
            ids = ", ".join(t.id for t in mine[:5]) + (f" and {len(mine) - 5} more" if len(mine) > 5 else "")
            message += f" ({ids} {'given to ' + give_to if give_to else 'now unassigned'})"
        owned = [p.key for p in store.projects() if p.owner == handle]
        if owned:  # said, not changed: who owns a project now is the manager's call
            message += (f"; still the owner of {', '.join(owned)} (tpm project edit {owned[0]} --owner HANDLE)")
        extra: dict[str, Any] = {}
        if mine:
            extra = {"batch": f"person-rm-{os.urandom(6).hex()}", "batch_summary": message}
        for t in mine:
            after = t._replace(assignee=give_to, updated_at=now)
            store.put_task(after)
            old, new = _diff(codec.task_to_doc(t), codec.task_to_doc(after))
            _record(store, "reassign", f"{t.id} assigned to {give_to or 'nobody'} ({handle} removed)", old, new,
                    now, extra)
        store.delete_person(handle)
        entry = _record(store, "person-rm", f"person {handle} removed", codec.person_to_doc(person), None, now,
                        extra={**extra, "kind": "person"})
    return Outcome(message, None, entry.id)


def task_order(task: Task) -> tuple[str, int, str]:
    """Tasks by id as people read them: API-2 before API-10."""
    prefix, _, number = task.id.rpartition("-")
    return (prefix, int(number) if number.isdigit() else 0, task.id)


def remove_project(store: Store, key: str, now: datetime) -> Outcome:
    """Remove a project that has no task (one made by a typo in --project, or emptied by
    deletes); undoable. One with tasks is refused: its done tasks are its history."""
    code = key.strip().upper()
    with store.transaction():
        project = store.project(code)
        if project is None:
            raise NotFoundError(f"no project {key!r}")
        ids = store.task_ids_in(code)
        if ids:
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            raise InputError(f"{code} has {len(ids)} task{'s' if len(ids) > 1 else ''} ({shown}): a project with "
                             "tasks stays (done ones are its history; tpm task rm deletes mistakes)")
        store.delete_project(code)
        entry = _record(store, "project-rm", f"project {code} removed", codec.project_to_doc(project), None, now,
                        extra={"kind": "project"})
    return Outcome(f"project {code} removed", None, entry.id)
