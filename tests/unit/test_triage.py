"""Triage actions, the journal, undo/redo (also across a restart and after 100 actions)."""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from tpm_tui.domain import InputError, NotFoundError, TaskStatus
from tpm_tui.services import triage
from tpm_tui.storage import Store
from tests.conftest import NOW, disk_state


def test_done_is_saved_and_journalled(demo_db: Path) -> None:
    store = Store.open(demo_db)
    out = triage.mark_done(store, "API-1", NOW)
    assert out.message == "API-1 marked done"
    again = Store.open(demo_db)  # what is on disk
    task = again.task("API-1")
    assert task is not None and task.status is TaskStatus.DONE and task.remaining_hours == 0.0
    [entry] = again.journal()
    assert entry.action == "done" and entry.before["status"] == "doing" and entry.after["status"] == "done"


def test_done_twice_is_refused(demo_store: Store) -> None:
    triage.mark_done(demo_store, "API-1", NOW)
    with pytest.raises(InputError, match="already done"):
        triage.mark_done(demo_store, "API-1", NOW)
    assert len(demo_store.journal()) == 1


def test_undo_survives_a_restart(demo_db: Path) -> None:
    original = disk_state(demo_db)
    triage.snooze(Store.open(demo_db), "API-2", date(2026, 12, 3), NOW)
    reopened = Store.open(demo_db)  # "quit and reopen"
    assert reopened.task("API-2").snoozed_until == date(2026, 12, 3)  # type: ignore[union-attr]
    out = triage.undo(reopened, NOW)
    assert out.message == "Undone: API-2 snoozed until Thu 03 Dec"
    assert Store.open(demo_db).task("API-2").snoozed_until is None  # type: ignore[union-attr]
    assert len(original) > 0


def test_undo_then_redo_then_nothing(demo_store: Store) -> None:
    triage.cycle_priority(demo_store, "MOB-1", NOW)  # high -> critical
    assert demo_store.task("MOB-1").priority == "critical"  # type: ignore[union-attr]
    triage.undo(demo_store, NOW)
    assert demo_store.task("MOB-1").priority == "high"  # type: ignore[union-attr]
    assert triage.undo(demo_store, NOW).message == "Nothing to undo"
    assert triage.redo(demo_store, NOW).message == "Redone: MOB-1 priority critical"
    assert demo_store.task("MOB-1").priority == "critical"  # type: ignore[union-attr]
    assert triage.redo(demo_store, NOW).message == "Nothing to redo"


def test_a_new_action_drops_the_redo_branch(demo_store: Store) -> None:
    triage.cycle_priority(demo_store, "MOB-1", NOW)
    triage.undo(demo_store, NOW)
    triage.add_note(demo_store, "MOB-2", "asked Lena", NOW)
    assert triage.redo(demo_store, NOW).message == "Nothing to redo"
    assert triage.undo(demo_store, NOW).message == "Undone: MOB-2 note added"
    assert triage.undo(demo_store, NOW).message == "Nothing to undo"  # the priority change was already undone
    assert demo_store.task("MOB-1").priority == "high"  # type: ignore[union-attr]


def test_due_shifts_by_the_assignees_working_days(demo_store: Store) -> None:
    # API-1 is Priya's, due Wed 2 Dec; Priya works Mon-Fri.
    triage.shift_due(demo_store, "API-1", 1, NOW)
    assert demo_store.task("API-1").due == date(2026, 12, 3)  # type: ignore[union-attr]
    # Friday 4 Dec + 1 working day = Monday 7 Dec (weekend skipped).
    triage.shift_due(demo_store, "API-1", 1, NOW)
    triage.shift_due(demo_store, "API-1", 1, NOW)
    assert demo_store.task("API-1").due == date(2026, 12, 7)  # type: ignore[union-attr]
    triage.shift_due(demo_store, "API-1", -1, NOW)
    assert demo_store.task("API-1").due == date(2026, 12, 4)  # type: ignore[union-attr]


def test_due_shift_skips_the_assignees_day_off(demo_store: Store) -> None:
    # Lena is off on Tue 1 Dec (the demo's next working day); API-5 is hers, due Tue 1 Dec.
    assert demo_store.task("API-5").due == date(2026, 12, 1)  # type: ignore[union-attr]
    triage.shift_due(demo_store, "API-5", -1, NOW)
    assert demo_store.task("API-5").due == date(2026, 11, 30)  # type: ignore[union-attr]
    triage.shift_due(demo_store, "API-5", 1, NOW)
    assert demo_store.task("API-5").due == date(2026, 12, 2)  # type: ignore[union-attr]


def test_due_shift_keeps_the_time_of_day(store: Store) -> None:
    from tpm_tui.domain import Task

    due = datetime(2026, 12, 4, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    store.put_task(Task(id="X-1", project="X", title="t", due=due))
    triage.shift_due(store, "X-1", 1, NOW)
    assert store.task("X-1").due == datetime(2026, 12, 7, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # type: ignore[union-attr]


def test_reassign_validates_the_person(demo_store: Store) -> None:
    with pytest.raises(NotFoundError):
        triage.reassign(demo_store, "API-1", "ghost", NOW)
    triage.reassign(demo_store, "API-1", "lena", NOW)
    assert demo_store.task("API-1").assignee == "lena"  # type: ignore[union-attr]


def test_block_by_a_task_adds_the_dependency_and_unblock_takes_it_back(demo_store: Store) -> None:
    start = demo_store.task("API-2")
    assert "API-4" not in start.depends_on  # type: ignore[union-attr]
    out = triage.toggle_block(demo_store, "API-2", "api-4", NOW)
    task = demo_store.task("API-2")
    assert out.message == "API-2 blocked by API-4"  # the task, spelt as its id
    assert task.status is TaskStatus.BLOCKED and "API-4" in task.depends_on  # type: ignore[union-attr]
    assert task.blocked_by == "API-4"  # type: ignore[union-attr]
    out = triage.toggle_block(demo_store, "API-2", None, NOW)
    task = demo_store.task("API-2")
    assert task.blocked_by is None and task.status is start.status  # type: ignore[union-attr]
    assert task.depends_on == start.depends_on  # type: ignore[union-attr]
    assert "no longer waiting for API-4" in out.message
    triage.undo(demo_store, NOW)  # the unblock, undone: blocked by API-4 again, dependency included
    task = demo_store.task("API-2")
    assert task.status is TaskStatus.BLOCKED and "API-4" in task.depends_on  # type: ignore[union-attr]


def _with(store: Store, task_id: str, **fields: object) -> None:
    store.put_task(store.require_task(task_id)._replace(**fields))


def test_unblock_returns_a_task_to_doing_and_keeps_a_dependency_it_already_had(demo_store: Store) -> None:
    _with(demo_store, "API-2", status=TaskStatus.DOING, depends_on=("API-4",))
    triage.toggle_block(demo_store, "API-2", "API-4", NOW)
    triage.add_note(demo_store, "API-2", "asked the vendor", NOW)  # a note in between changes nothing
    out = triage.toggle_block(demo_store, "API-2", None, NOW)
    task = demo_store.task("API-2")
    assert task.status is TaskStatus.DOING and task.depends_on == ("API-4",)  # type: ignore[union-attr]
    assert out.message.startswith("API-2 unblocked, back to doing")
    assert "(still depends on API-4" in out.message  # API-4 is open: the risk rule still sees it


def test_unblock_after_the_dependencies_were_edited_leaves_them_alone(demo_store: Store) -> None:
    triage.toggle_block(demo_store, "API-2", "API-4", NOW)
    triage.edit(demo_store, "API-2", {"depends_on": ("API-4", "API-5")}, NOW)
    triage.toggle_block(demo_store, "API-2", None, NOW)
    task = demo_store.task("API-2")
    assert task.status is TaskStatus.TODO and task.depends_on == ("API-4", "API-5")  # type: ignore[union-attr]


def test_a_task_blocked_outside_triage_unblocks_to_todo(demo_store: Store) -> None:
    _with(demo_store, "API-2", status=TaskStatus.BLOCKED, blocked_by="legal")
    out = triage.toggle_block(demo_store, "API-2", None, NOW)
    task = demo_store.task("API-2")
    assert task.status is TaskStatus.TODO and task.blocked_by is None  # type: ignore[union-attr]
    assert out.message == "API-2 unblocked"


@pytest.mark.parametrize(("by", "message"), [
    ("API-99", "API-2 blocked by “API-99” (no task API-99: kept as a reason)"),  # a typo of an id
    ("legal sign-off", "API-2 blocked by legal sign-off"),
    ("waiting for vendor-2", "API-2 blocked by waiting for vendor-2"),  # words, not an id
])
def test_block_by_something_that_is_not_a_task(demo_store: Store, by: str, message: str) -> None:
    before = demo_store.task("API-2").depends_on  # type: ignore[union-attr]
    out = triage.toggle_block(demo_store, "API-2", by, NOW)
    task = demo_store.task("API-2")
    assert out.message == message
    assert task.status is TaskStatus.BLOCKED and task.blocked_by == by  # type: ignore[union-attr]
    assert task.depends_on == before  # type: ignore[union-attr]


def test_priority_cycles_through_all_levels(demo_store: Store) -> None:
    seen = []
    for _ in range(4):
        triage.cycle_priority(demo_store, "API-4", NOW)
        seen.append(demo_store.task("API-4").priority)  # type: ignore[union-attr]
    assert seen == ["high", "critical", "low", "normal"]


def test_edit_validates_before_writing(demo_store: Store) -> None:
    version = demo_store.version
    with pytest.raises(InputError, match="title"):
        triage.edit(demo_store, "API-1", {"title": "  "}, NOW)
    with pytest.raises(NotFoundError, match="no task 'API-404'"):
        triage.edit(demo_store, "API-1", {"depends_on": ("API-404",)}, NOW)
    assert demo_store.version == version and demo_store.journal() == []
    triage.edit(demo_store, "API-1", {"title": "Tokenise cards", "remaining_hours": 8.0}, NOW)
    assert (demo_store.task("API-1").title, demo_store.task("API-1").remaining_hours) == ("Tokenise cards", 8.0)  # type: ignore[union-attr]


def test_edit_sets_a_status_as_its_key_would_and_undo_restores_it(demo_store: Store) -> None:
    from tpm_tui.domain import TaskStatus

    triage.toggle_block(demo_store, "API-1", "legal sign-off", NOW)
    blocked = demo_store.task("API-1")
    assert (blocked.status, blocked.blocked_by) == (TaskStatus.BLOCKED, "legal sign-off")  # type: ignore[union-attr]
    triage.edit(demo_store, "API-1", {"status": TaskStatus.DOING, "time_sensitive": True}, NOW)
    doing = demo_store.task("API-1")
    assert (doing.status, doing.blocked_by, doing.time_sensitive) == (TaskStatus.DOING, None, True)  # type: ignore[union-attr]
    assert doing.remaining_hours and doing.remaining_hours > 0  # type: ignore[union-attr]
    triage.edit(demo_store, "API-1", {"status": TaskStatus.DONE}, NOW)
    done = demo_store.task("API-1")
    assert (done.status, done.remaining_hours) == (TaskStatus.DONE, 0.0)  # type: ignore[union-attr]
    triage.undo(demo_store, NOW)
    triage.undo(demo_store, NOW)
    assert demo_store.task("API-1") == blocked
    with pytest.raises(InputError, match="status 'finished'"):
        triage.edit(demo_store, "API-1", {"status": "finished"}, NOW)


def test_create_then_undo_deletes_and_redo_recreates(demo_store: Store) -> None:
    from tpm_tui.domain import Task

    triage.create_task(demo_store, Task(id="API-99", project="API", title="new"), NOW)
    triage.undo(demo_store, NOW)
    assert demo_store.task("API-99") is None
    triage.redo(demo_store, NOW)
    assert demo_store.task("API-99").title == "new"  # type: ignore[union-attr]


def test_100_mixed_actions_undo_back_to_the_original_tasks(demo_db: Path) -> None:
    store = Store.open(demo_db)
    original = {t.id: t for t in store.tasks()}
    original_tasks_table = orjson.loads(demo_db.read_bytes())["tasks"]
    rng = random.Random(7)
    ids = sorted(original)
    done = 0
    while done < 100:
        tid = rng.choice(ids)
        kind = rng.randrange(7)
        try:
            if kind == 0:
                triage.mark_done(store, tid, NOW)
            elif kind == 1:
                triage.snooze(store, tid, date(2026, 12, rng.randint(1, 20)), NOW)
            elif kind == 2:
                triage.shift_due(store, tid, rng.choice((1, -1)), NOW)
            elif kind == 3:
                triage.reassign(store, tid, rng.choice(("lena", "priya", None)), NOW)
            elif kind == 4:
                triage.toggle_block(store, tid, rng.choice((None, "vendor")), NOW)
            elif kind == 5:
                triage.cycle_priority(store, tid, NOW)
            else:
                triage.add_note(store, tid, f"note {done}", NOW)
        except InputError:
            continue
        done += 1
    store = Store.open(demo_db)  # restart in the middle
    for _ in range(100):
        assert triage.undo(store, NOW).message.startswith("Undone: ")
    assert triage.undo(store, NOW).message == "Nothing to undo"
    assert {t.id: t for t in Store.open(demo_db).tasks()} == original
    # Byte for byte: the tasks table on disk is exactly what it was (doc ids included).
    assert orjson.loads(demo_db.read_bytes())["tasks"] == original_tasks_table


def test_journal_keeps_only_what_changed(demo_store: Store) -> None:
    triage.add_note(demo_store, "API-1", "first", NOW)
    triage.add_note(demo_store, "API-1", "second", NOW)
    entry = demo_store.journal()[-1]
    assert [n["text"] for n in entry.after["notes+"]] == ["second"]  # not the whole notes list
    assert "notes" not in entry.before and "title" not in entry.after


def test_undo_touches_only_the_fields_of_that_action(demo_store: Store) -> None:
    triage.cycle_priority(demo_store, "API-4", NOW)  # normal -> high
    triage.add_note(demo_store, "API-4", "mine", NOW)
    # someone else (another process) retitles the task and adds a note afterwards
    from tpm_tui.domain import Note

    t = demo_store.task("API-4")
    demo_store.put_task(t._replace(title="Retitled", notes=(*t.notes, Note(at=NOW, text="theirs"))))  # type: ignore[arg-type]
    triage.undo(demo_store, NOW)  # undoes my note only
    t = demo_store.task("API-4")
    assert [n.text for n in t.notes] == ["theirs"] and t.title == "Retitled"  # type: ignore[union-attr]
    triage.undo(demo_store, NOW)  # undoes my priority change only
    t = demo_store.task("API-4")
    assert t.priority == "normal" and t.title == "Retitled"  # type: ignore[union-attr]


def test_add_task_with_journal_is_undoable(demo_db: Path) -> None:
    from tpm_tui.services.entry import add_task

    store = Store.open(demo_db)
    task = add_task(store, title="Write the runbook", project="API", now=NOW, tz=ZoneInfo("Europe/Berlin"),
                    assignee="sam", due="2026-12-04", estimate=3, journal=True)
    reopened = Store.open(demo_db)
    assert reopened.task(task.id) is not None
    assert reopened.journal()[-1].action == "new"
    assert triage.undo(reopened, NOW).message == f"Undone: {task.id} created"
    assert Store.open(demo_db).task(task.id) is None


# ---------------------------------------------------------------- delete


def test_delete_keeps_the_whole_task_and_undo_redo_walk_it(demo_db: Path) -> None:
    triage.add_note(Store.open(demo_db), "API-4", "asked the gateway team", NOW)
    with_note = orjson.loads(Path(demo_db).read_bytes())["tasks"]
    store = Store.open(demo_db)
    out = triage.delete_tasks(store, ["API-4"], NOW)
    assert out.message == "API-4 deleted" and out.task_id == "API-4"
    again = Store.open(demo_db)
    assert again.task("API-4") is None
    assert again.journal()[-1].action == "delete" and again.journal()[-1].before["notes"][-1]["text"] == \
        "asked the gateway team"
    assert triage.undo(again, NOW).message == "Undone: API-4 deleted"
    assert orjson.loads(Path(demo_db).read_bytes())["tasks"] == with_note  # notes and all, as it was
    assert triage.redo(Store.open(demo_db), NOW).message == "Redone: API-4 deleted"
    assert Store.open(demo_db).task("API-4") is None


def test_deleting_several_unlinks_their_dependents_and_is_one_undo(demo_store: Store) -> None:
    from tpm_tui.domain import Task

    store = demo_store
    done_dependent = store.require_task("API-2")._replace(status=TaskStatus.DONE, depends_on=("API-5", "API-4"))
    store.put_task(done_dependent)  # a done task loses the link too: nothing names a missing task
    store.put_task(store.require_task("API-6")._replace(depends_on=("API-5",)))
    tasks_before = {t.id: t for t in store.tasks()}
    journal_before = len(store.journal())
    out = triage.delete_tasks(store, ["API-5", "API-4", "API-5"], NOW)  # a repeated id counts once
    assert out.message == ("API-5, API-4 deleted (API-2 no longer depends on API-5, API-4; "
                           "API-6 no longer depends on API-5)")
    assert out.task_id is None
    assert store.task("API-5") is None and store.task("API-4") is None
    assert store.require_task("API-2").depends_on == () and store.require_task("API-6").depends_on == ()
    assert len(store.journal()) == journal_before + 4
    assert triage.undo(store, NOW).message == f"Undone: {out.message}"
    assert {t.id: t for t in store.tasks()} == tasks_before
    assert triage.undo(store, NOW).message == "Nothing to undo"
    assert isinstance(tasks_before["API-2"], Task)


def test_delete_checks_every_id_first(demo_db: Path) -> None:
    before = disk_state(demo_db)
    with pytest.raises(NotFoundError, match="no task 'NOPE-1'"):
        triage.delete_tasks(Store.open(demo_db), ["API-1", "NOPE-1"], NOW)
    with pytest.raises(InputError, match="no task given"):
        triage.delete_tasks(Store.open(demo_db), [], NOW)
    assert disk_state(demo_db) == before


def test_a_deleted_id_is_not_given_to_a_new_task(demo_store: Store) -> None:
    """A brief already sent may name API-9: a new task must not become API-9."""
    from tpm_tui.services.entry import add_task

    store = demo_store
    top = max((t for t in store.tasks() if t.project == "API"), key=lambda t: int(t.id.split("-")[1]))
    number = int(top.id.split("-")[1])
    triage.delete_tasks(store, [top.id], NOW)
    fresh = add_task(store, title="New", project="API", now=NOW, tz=ZoneInfo("Europe/Berlin"))
    assert fresh.id == f"API-{number + 1}"
    triage.undo(store, NOW)  # the deletion (add_task without the journal records nothing)
    assert store.require_task(top.id) == top and store.require_task(fresh.id) == fresh


def test_deleting_a_blocker_says_who_stays_marked_blocked(demo_store: Store) -> None:
    triage.toggle_block(demo_store, "API-6", "API-5", NOW)  # b, by a task: a dependency and the reason
    out = triage.delete_tasks(demo_store, ["API-5"], NOW)
    assert out.message.endswith("API-6 still marked blocked by it (b unblocks)")
    assert demo_store.require_task("API-6").status is TaskStatus.BLOCKED
    assert "API-5" not in demo_store.require_task("API-6").depends_on


def test_an_undone_creation_keeps_its_id_from_the_next_new_task(demo_db: Path, tmp_path: Path) -> None:
    """API-15 added and undone (a note may already name it): the next task is API-16; the same
    for a repeat's next one and a whole import, and a redo brings them back under their ids."""
    from tests.conftest import cli as run

    db = str(demo_db)
    first = run("task", "add", "Draft", "--project", "API", "--db", db).stdout.strip()
    assert run("undo", "--db", db).exit_code == 0
    second = run("task", "add", "Another", "--project", "API", "--db", db).stdout.strip()
    assert (first, second) == ("API-15", "API-16")
    # a repeating task done, undone: the next one's id stays reserved too
    run("task", "edit", "API-16", "--repeat", "weekly", "--due", "2026-12-04", "--db", db)
    done = run("task", "done", "API-16", "--db", db).stdout
    assert "next (weekly): API-17" in done
    assert run("undo", "--db", db).exit_code == 0 and Store.open(demo_db).task("API-17") is None
    assert run("task", "add", "Third", "--project", "API", "--db", db).stdout.strip() == "API-18"
    # an import undone: its ids stay taken; a redo puts the same tasks back
    export = tmp_path / "tw.json"
    export.write_bytes(orjson.dumps([{"uuid": "u-1", "description": "From TW", "status": "pending", "project": "API"}]))
    assert run("task", "import", str(export), "--project", "API", "--db", db).exit_code == 0
    imported = next(t.id for t in Store.open(demo_db).tasks() if t.source == "taskwarrior:u-1")
    assert imported == "API-19"
    assert run("undo", "--db", db).exit_code == 0
    assert run("redo", "--db", db).exit_code == 0 and Store.open(demo_db).task("API-19").title == "From TW"  # type: ignore[union-attr]
    assert run("undo", "--db", db).exit_code == 0
    assert run("task", "add", "Fourth", "--project", "API", "--db", db).stdout.strip() == "API-20"
    assert triage.deleted_task_ids(Store.open(demo_db)) >= {"API-15", "API-17", "API-19"}
