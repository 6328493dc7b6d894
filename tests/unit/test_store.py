"""The store: round-trips, atomicity, concurrent processes, corrupt files, schema."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from tests.conftest import disk_state

from tpm_tui.domain import (
    Attendee,
    JournalEntry,
    Meeting,
    Note,
    Person,
    Project,
    SchemaTooNewError,
    Settings,
    StoreError,
    Task,
    TaskStatus,
)
from tpm_tui.storage import Store, migrations

BERLIN = ZoneInfo("Europe/Berlin")


def _task(n: int, **kw: object) -> Task:
    fields: dict[str, object] = {"title": f"Task {n}", **kw}
    return Task(id=f"API-{n}", project="API", **fields)  # type: ignore[arg-type]


PERSON = Person(
    handle="priya",
    name="Priya Raman",
    email="priya@example.com",
    timezone="Asia/Kolkata",
    work_start="10:00",
    work_end="18:30",
    work_days=("mon", "tue", "wed", "thu"),
    weekly_capacity_hours=30.0,
    days_off=(date(2026, 12, 3),),
    role="Backend",
)
PROJECT = Project("API", "Payments API", owner="sam", target_date=date(2027, 1, 15), stakeholders=("cto@x.io",))
TASK = Task(
    id="API-7",
    project="API",
    title="Migrate [bold]batch[/] job ✓",
    assignee="priya",
    status=TaskStatus.BLOCKED,
    priority="high",
    due=datetime(2026, 12, 3, 17, 0, tzinfo=BERLIN),
    estimate_hours=16.0,
    remaining_hours=9.5,
    depends_on=("API-9",),
    time_sensitive=True,
    tags=("backend",),
    notes=(Note(at=datetime(2026, 11, 28, 9, 0, tzinfo=UTC), text="waiting on infra"),),
    snoozed_until=date(2026, 12, 1),
    blocked_by="API-9",
    created_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
    updated_at=datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
)
MEETINGS = (
    Meeting(
        uid="standup@x",
        start=datetime(2026, 11, 30, 16, 0, tzinfo=BERLIN),
        end=datetime(2026, 11, 30, 16, 15, tzinfo=BERLIN),
        tzid="Europe/Berlin",
        rrule="FREQ=WEEKLY;BYDAY=MO,TU",
        exdate=(datetime(2026, 12, 1, 16, 0, tzinfo=BERLIN),),
        rdate=(datetime(2026, 12, 5, 16, 0, tzinfo=BERLIN),),
        attendees=(Attendee("priya@example.com", "Priya", "ACCEPTED", "REQ-PARTICIPANT"),),
        organizer="sam@example.com",
        sequence=3,
        dtstamp=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
        categories=("TEAM",),
        summary="Stand-up",
    ),
    Meeting(
        uid="standup@x",
        recurrence_id="20261208T150000Z",
        start=datetime(2026, 12, 8, 17, 0, tzinfo=BERLIN),
        end=datetime(2026, 12, 8, 17, 15, tzinfo=BERLIN),
        tzid="Europe/Berlin",
        summary="Stand-up (moved)",
    ),
    Meeting(uid="floating@x", start=datetime(2026, 11, 30, 10, 0), end=datetime(2026, 11, 30, 11, 0)),
    Meeting(uid="allday@x", start=date(2026, 12, 24), end=date(2026, 12, 27), all_day=True, status="TENTATIVE"),
)


def _fill(store: Store) -> None:
    with store.transaction():
        store.put_person(PERSON)
        store.put_project(PROJECT)
        store.put_task(TASK)
        store.put_meetings(MEETINGS)
        store.put_settings(Settings(me="priya", timezone="Asia/Kolkata", due_soon_days=4))
        store.add_journal(
            JournalEntry(id=0, at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC), action="done", summary="API-7 done",
                         before={"id": "API-7"}, after=None)
        )


def test_every_entity_round_trips_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    _fill(Store.open(path))
    again = Store.open(path)
    assert again.people() == [PERSON]
    assert again.projects() == [PROJECT]
    assert again.task("API-7") == TASK
    assert sorted(again.meetings(), key=lambda m: (m.uid, m.recurrence_id or "")) == sorted(
        MEETINGS, key=lambda m: (m.uid, m.recurrence_id or "")
    )
    assert again.settings() == Settings(me="priya", timezone="Asia/Kolkata", due_soon_days=4)
    [entry] = again.journal()
    assert (entry.id, entry.action, entry.before, entry.after) == (1, "done", {"id": "API-7"}, None)


def test_aware_meeting_comes_back_in_its_own_zone(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    Store.open(path).put_meetings(MEETINGS[:1])
    start = Store.open(path).meeting("standup@x").start  # type: ignore[union-attr]
    assert isinstance(start, datetime) and start.tzinfo == BERLIN and start.hour == 16


def test_floating_time_stays_naive(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    Store.open(path).put_meetings(MEETINGS)
    m = Store.open(path).meeting("floating@x")
    assert m is not None and isinstance(m.start, datetime) and m.start.tzinfo is None and m.start.hour == 10


def test_schema_version_is_written(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    Store.open(path).put_task(_task(1))
    data = orjson.loads(path.read_bytes())
    assert data["meta"]["1"]["schema_version"] == migrations.SCHEMA_VERSION
    assert len(data["meta"]["1"]["generation"]) == 16  # names the write-ahead log it goes with


def test_upsert_replaces_instead_of_duplicating(store: Store) -> None:
    store.put_task(_task(1))
    store.put_task(_task(1, priority="high"))
    assert [t.priority for t in store.tasks()] == ["high"]
    assert store.delete_task("API-1") is True
    assert store.tasks() == []


def test_failure_inside_a_transaction_rolls_back_memory_and_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_task(_task(1))
    before = disk_state(path)
    with pytest.raises(RuntimeError), store.transaction():
        store.put_task(_task(2))
        raise RuntimeError("boom")
    assert [t.id for t in store.tasks()] == ["API-1"]
    assert disk_state(path) == before


def test_rollback_of_in_memory_store() -> None:
    store = Store.in_memory()
    store.put_task(_task(1))
    with pytest.raises(ValueError), store.transaction():
        store.delete_task("API-1")
        raise ValueError
    assert [t.id for t in store.tasks()] == ["API-1"]


def test_crash_before_rename_leaves_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_task(_task(1))
    before = disk_state(path)

    def dies(*_a: object, **_k: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", dies)
    with pytest.raises(StoreError, match="previous version is intact"):
        store.put_task(_task(2))
    monkeypatch.undo()
    assert disk_state(path) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert [t.id for t in store.tasks()] == ["API-1"]  # memory follows the file
    assert [t.id for t in Store.open(path).tasks()] == ["API-1"]


def test_failure_during_fsync_leaves_old_file_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_task(_task(1))
    before = disk_state(path)
    monkeypatch.setattr(os, "fsync", lambda _fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(StoreError, match="No space left"):
        store.put_task(_task(2))
    monkeypatch.undo()
    assert disk_state(path) == before


def test_unserialisable_value_leaves_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = Store.open(path)
    store.put_task(_task(1))
    before = disk_state(path)
    with pytest.raises(StoreError, match="not serialisable"), store.transaction():
        store._table("tasks").insert({"id": "API-2", "bad": object()})
    assert disk_state(path) == before
    assert [t.id for t in store.tasks()] == ["API-1"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2, 3]", "not a tpm database"),
        (b'{"_default": {}}', "not a tpm database"),
        (b"", "empty"),
        (b'{"meta": {"1": {"schema_version": 1}}, "tasks": []}', "not a tpm database"),
    ],
)
def test_corrupt_or_foreign_file_is_refused_and_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message) as err:
        Store.open(path)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)
    assert disk_state(path) == content


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    content = orjson.dumps({"meta": {"1": {"schema_version": migrations.SCHEMA_VERSION + 1}}})
    path.write_bytes(content)
    with pytest.raises(SchemaTooNewError, match="newer tpm"):
        Store.open(path)
    assert disk_state(path) == content


def test_older_schema_is_backed_up_then_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.json"
    Store.open(path).put_task(_task(1))
    data = orjson.loads(path.read_bytes())
    next(iter(data["tasks"].values()))["priority"] = "urgent"  # a value only the old schema knew
    path.write_bytes(orjson.dumps(data))
    original = disk_state(path)

    def v1_to_v2(data: dict) -> dict:
        for doc in data["tasks"].values():
            if doc["priority"] == "urgent":
                doc["priority"] = "critical"
        return data

    now = migrations.SCHEMA_VERSION  # the file as this tpm writes it: the next schema's step follows
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", now + 1)
    monkeypatch.setitem(migrations.STEPS, now, v1_to_v2)
    store = Store.open(path)
    assert store.task("API-1").priority == "critical"  # type: ignore[union-attr]
    assert store.schema_version() == now + 1
    assert (tmp_path / f"db.json.v{now}.bak").read_bytes() == original
    assert orjson.loads(path.read_bytes())["meta"]["1"]["schema_version"] == now + 1


def test_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist") as err:
        Store.open(tmp_path / "nope" / "db.json")
    assert "\n" not in str(err.value)


def test_other_process_change_is_seen_and_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    a = Store.open(path)
    a.put_task(_task(1))
    b = Store.open(path)
    b.put_task(_task(2))
    assert a.has_changed_on_disk()
    # a writes without reloading first: the transaction re-reads under the lock.
    a.put_task(_task(3))
    assert sorted(t.id for t in Store.open(path).tasks()) == ["API-1", "API-2", "API-3"]
    assert not a.has_changed_on_disk()


def test_reload_picks_up_external_change(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    a = Store.open(path)
    a.put_task(_task(1))
    Store.open(path).put_task(_task(1, title="renamed"))
    assert a.task("API-1").title == "Task 1"  # type: ignore[union-attr]
    assert a.reload() is True
    assert a.task("API-1").title == "renamed"  # type: ignore[union-attr]
    assert a.reload() is False


WRITER = textwrap.dedent(
    """
    import sys
    from tpm_tui.domain import Task
    from tpm_tui.storage import Store
    path, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(path)
    for i in range(n):
        store.put_task(Task(id=f"{prefix}-{i}", project=prefix, title=f"t{i}"))
    """
)


def test_two_processes_adding_200_tasks_each_end_with_400(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    Store.open(path).put_settings(Settings(me=None))
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), prefix, "200"]) for prefix in ("AAA", "BBB")
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    tasks = Store.open(path).tasks()
    assert len(tasks) == 400
    assert len({t.id for t in tasks}) == 400


def test_done_between_finds_what_was_finished_in_the_window_only(tmp_path: Path) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from tpm_tui.domain import Task, TaskStatus

    ber = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 11, 24, tzinfo=ber)
    end = start + timedelta(days=7)
    store = Store.open(tmp_path / "db.json")
    store.put_tasks([
        Task(id="A-1", project="A", title="in", status=TaskStatus.DONE, updated_at=start),  # the first instant
        Task(id="A-2", project="A", title="just after", status=TaskStatus.DONE, updated_at=end),
        Task(id="A-3", project="A", title="long ago", status=TaskStatus.DONE, updated_at=start - timedelta(days=90)),
        Task(id="A-4", project="A", title="open", updated_at=start + timedelta(days=1)),
        Task(id="A-5", project="A", title="no time", status=TaskStatus.DONE),
        Task(id="A-6", project="A", title="late in it", status=TaskStatus.DONE, updated_at=end - timedelta(seconds=1)),
    ])
    again = Store.open(tmp_path / "db.json")
    assert [t.id for t in again.done_between(start, end)] == ["A-1", "A-6"]
