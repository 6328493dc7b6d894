"""``Store.open_tasks``: the tasks not done, in file order, without decoding the done ones,
kept right through every kind of change (and the same objects as ``tasks()``/``task()``)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tpm_tui.domain import Task, TaskStatus
from tpm_tui.services import triage
from tpm_tui.storage import Store

NOW = datetime(2026, 11, 30, 8, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def _fill(store: Store, n: int = 60) -> None:
    store.put_tasks([
        Task(id=f"T-{i}", project="T", title=f"task {i}", assignee=None, due=date(2026, 12, 1 + i % 20),
             status=TaskStatus.DONE if i % 3 == 0 else TaskStatus.TODO, estimate_hours=2.0, remaining_hours=1.0)
        for i in range(1, n + 1)
    ])


def expected(store: Store) -> list[str]:
    return [t.id for t in store.tasks() if t.is_open]


def test_only_the_open_tasks_are_decoded(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    _fill(Store.open(path))
    store = Store.open(path)  # nothing decoded yet
    got = store.open_tasks()
    decoded = store._cache["typed:tasks"]  # noqa: SLF001
    assert [t.id for t in got] == expected(Store.open(path))  # the order of tasks(): the file's
    assert sorted(t.id for t in got) == sorted(f"T-{i}" for i in range(1, 61) if i % 3)
    assert len(decoded) == 40 and all(t.is_open for t in decoded.values())  # the 20 done never decoded
    assert store.task(got[0].id) is got[0]  # one object per task, whichever way it is asked for
    every = {t.id: t for t in store.tasks()}
    assert all(every[t.id] is t for t in got)


def test_the_list_follows_every_change_in_file_order(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.json")
    _fill(store)
    assert [t.id for t in store.open_tasks()] == expected(store)
    steps = [
        lambda: triage.mark_done(store, "T-5", NOW),  # leaves
        lambda: triage.undo(store, NOW),  # back, in its place (not at the end)
        lambda: triage.cycle_priority(store, "T-7", NOW),  # changed in place
        lambda: triage.edit(store, "T-3", {"status": TaskStatus.TODO}, NOW),  # a done one reopened
        lambda: store.put_task(Task(id="T-61", project="T", title="new")),  # appended
        lambda: store.delete_task("T-8"),  # gone
        lambda: triage.mark_done(store, "T-61", NOW),
        lambda: triage.undo(store, NOW),
    ]
    for step in steps:
        before = store.open_tasks()
        step()
        after = store.open_tasks()
        assert [t.id for t in after] == expected(store)
        fresh = {t.id: t for t in store.tasks()}
        assert all(fresh[t.id] is t for t in after)  # the very objects the store hands out
        assert before is not after
    again = Store.open(tmp_path / "t.json")  # and the file agrees
    reopened = [t.id for t in again.open_tasks()]
    assert reopened == expected(again)
    assert sorted(reopened) == sorted(t.id for t in store.open_tasks())
    assert "T-5" in reopened and "T-3" in reopened and "T-8" not in reopened
