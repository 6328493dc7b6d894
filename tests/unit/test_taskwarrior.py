"""``tpm task import``: a Taskwarrior export (``task export``, the documented JSON format:
one array, or one object a line with ``rc.json.array=off``) becomes tpm tasks, once."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from tpm_tui.domain import TaskStatus
from tpm_tui.services.taskwarrior import project_key
from tpm_tui.storage import Store
from tests.conftest import cli as run, disk_state, refused

BERLIN = ZoneInfo("Europe/Berlin")
U = [f"a360fc44-315c-4366-b70c-ea7e7520b7{n:02d}" for n in range(10)]

EXPORT = [
    {"id": 1, "description": "Write the Q4 report", "entry": "20261101T090000Z", "modified": "20261125T100000Z",
     "project": "Work.Reports", "status": "pending", "uuid": U[0], "due": "20261203T230000Z",  # midnight Berlin
     "priority": "H", "tags": ["finance", "q4"], "depends": [U[1]], "urgency": 12.1,
     "annotations": [{"entry": "20261120T080000Z", "description": "asked finance for the numbers"}]},
    {"id": 2, "description": "Collect numbers", "entry": "20261101T090000Z", "project": "Work.Reports",
     "status": "pending", "uuid": U[1], "due": "20261201T150000Z", "start": "20261128T090000Z", "priority": "L"},
    {"id": 0, "description": "Old slides", "entry": "20261001T090000Z", "status": "completed", "uuid": U[2],
     "end": "20261127T160000Z", "modified": "20261127T160000Z", "project": "Work"},
    {"id": 0, "description": "A mistake", "entry": "20261001T090000Z", "status": "deleted", "uuid": U[3]},
    {"id": 3, "description": "Renew passport", "entry": "20261001T090000Z", "status": "waiting", "uuid": U[4],
     "wait": "20261214T230000Z", "due": "99991230T230000Z"},
    # a weekly recurrence: the template and two pending instances; the latest carries the rule
    {"id": 0, "description": "Status mail", "entry": "20261001T090000Z", "status": "recurring", "uuid": U[5],
     "recur": "weekly", "due": "20261204T160000Z", "mask": "--"},
    {"id": 4, "description": "Status mail", "entry": "20261123T090000Z", "status": "pending", "uuid": U[6],
     "recur": "weekly", "parent": U[5], "imask": 8, "due": "20261204T160000Z", "project": "Work"},
    {"id": 5, "description": "Status mail", "entry": "20261123T090000Z", "status": "pending", "uuid": U[7],
     "recur": "weekly", "parent": U[5], "imask": 9, "due": "20261211T160000Z", "project": "Work"},
    {"id": 6, "description": "Dentist", "entry": "20261101T090000Z", "status": "pending", "uuid": U[8],
     "depends": f"{U[9]}"},  # Taskwarrior 2.5: depends as comma-separated text; U[9] not exported
]


def by_source(store: Store) -> dict[str, object]:
    return {t.source.split(":", 1)[1]: t for t in store.tasks() if t.source}  # type: ignore[union-attr]


def test_an_export_becomes_tasks_in_projects_with_their_dates_notes_and_links(demo_db: Path, tmp_path: Path) -> None:
    export = tmp_path / "tasks.json"
    export.write_bytes(orjson.dumps(EXPORT))
    result = run("task", "import", str(export), "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert result.stdout == (f"{export}: 7 added (1 done), 3 new projects (WORKREPORTS, WORK, INBOX), 0 already here, "
                             "2 deleted or templates left out  (tpm undo takes it back)\n")
    assert "warning: " in result.stderr and "depends on a360fc44…, which is not in the export" in result.stderr
    assert "task 5 ('Renew passport'): due 9999-12-31 (Taskwarrior's 'someday'?) read as no due date" in result.stderr
    store = Store.open(demo_db)
    t = by_source(store)
    report, numbers = t[U[0]], t[U[1]]
    assert (report.id, report.project, report.priority, report.due, report.tags) == (  # type: ignore[attr-defined]
        "WORKREPORTS-1", "WORKREPORTS", "high", date(2026, 12, 4), ("finance", "q4"))  # local midnight: that day
    me = store.settings().me
    assert me and {task.assignee for task in t.values()} == {me}  # Taskwarrior's tasks are one person's: yours
    assert report.depends_on == (numbers.id,)  # type: ignore[attr-defined]
    assert [n.text for n in report.notes] == ["asked finance for the numbers"]  # type: ignore[attr-defined]
    assert report.created_at == datetime(2026, 11, 1, 9, tzinfo=ZoneInfo("UTC"))  # type: ignore[attr-defined]
    assert (numbers.status, numbers.priority) == (TaskStatus.DOING, "low")  # type: ignore[attr-defined]
    assert numbers.due == datetime(2026, 12, 1, 15, tzinfo=ZoneInfo("UTC"))  # type: ignore[attr-defined]
    assert t[U[2]].status is TaskStatus.DONE  # type: ignore[attr-defined]
    assert t[U[2]].updated_at == datetime(2026, 11, 27, 16, tzinfo=ZoneInfo("UTC"))  # type: ignore[attr-defined]
    assert U[3] not in t and U[5] not in t  # deleted, template
    passport = t[U[4]]
    assert (passport.project, passport.snoozed_until, passport.due) == ("INBOX", date(2026, 12, 15), None)  # type: ignore[attr-defined]
    assert (t[U[6]].repeat, t[U[7]].repeat) == (None, "weekly")  # type: ignore[attr-defined]
    assert store.project("WORKREPORTS").name == "Work.Reports"  # type: ignore[union-attr]
    # the same export again adds nothing; one undo takes the first import back whole
    again = run("task", "import", str(export), "--db", str(demo_db))
    assert again.stdout == (f"{export}: 0 added, 0 already here, 2 deleted or templates left out\n").replace(
        "0 already here", "7 already here")
    before_undo = {p.key for p in Store.open(demo_db).projects()}
    assert run("undo", "--db", str(demo_db)).stdout.startswith(f"Undone: import of 7 tasks from {export}")
    store = Store.open(demo_db)
    assert not by_source(store)
    assert {p.key for p in store.projects()} == before_undo - {"WORKREPORTS", "WORK", "INBOX"}
    assert run("redo", "--db", str(demo_db)).exit_code == 0
    assert len(by_source(Store.open(demo_db))) == 7


def test_one_object_a_line_is_read_too_and_the_assignee_can_be_chosen(demo_db: Path, tmp_path: Path) -> None:
    export = tmp_path / "lines.json"
    export.write_bytes(b"\n".join(orjson.dumps(r) for r in EXPORT[:2]) + b"\n")
    assert refused(demo_db, "task", "import", str(export), "--assignee", "pria").startswith(
        "tpm: --assignee: no person 'pria' — did you mean 'priya'")
    assert run("task", "import", str(export), "--assignee", "", "--db", str(demo_db)).exit_code == 0
    tasks = by_source(Store.open(demo_db))
    assert len(tasks) == 2 and {t.assignee for t in tasks.values()} == {None}  # type: ignore[attr-defined]
    listed = run("task", "list", "--project", "WORKREPORTS", "--db", str(demo_db)).stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["WORKREPORTS-1", "WORKREPORTS-2"]
    assert listed[0].index(" todo ") == listed[1].index(" doing") and listed[0].index(" todo ") == 13  # ids align


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{not json", "line 1: not JSON (unexpected character"),
        (b'{"a": 1}\n{"b": 2}\n', "task 1: no uuid (not a Taskwarrior export?)"),
        (b'{"a": 1}\n[2]\n', "not a Taskwarrior export (expected a JSON list of tasks"),
        (b"[1, 2]", "not a Taskwarrior export (expected a JSON list of tasks, as `task export` writes)"),
        (json.dumps([{"uuid": U[0], "description": "x", "status": "pending", "due": "next week"}]).encode(),
         "task 1 ('x'): due 'next week' is not a date"),
        (json.dumps([{"uuid": U[0], "description": "x", "status": "someday"}]).encode(),
         "task 1 ('x'): status 'someday' is not one of pending, waiting, completed, deleted, recurring"),
        (json.dumps([{"uuid": U[0], "description": "  "}]).encode(), "task 1: no description"),
    ],
)
def test_what_is_not_an_export_is_one_line_and_nothing_changes(demo_db: Path, tmp_path: Path, content: bytes,
                                                               said: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert refused(demo_db, "task", "import", str(bad)).startswith(f"tpm: {bad}: {said}")


def test_a_missing_file_and_a_bad_default_project_are_one_line(demo_db: Path, tmp_path: Path) -> None:
    before = disk_state(demo_db)
    assert refused(demo_db, "task", "import", str(tmp_path / "none.json")).startswith(f"tpm: {tmp_path / 'none.json'}: "
                                                                                      "cannot be read")
    assert refused(demo_db, "task", "import", "-", "--project", "my project").startswith("tpm: --project: ")
    assert disk_state(demo_db) == before


@pytest.mark.parametrize(("name", "key"), [("Work.Reports", "WORKREPORTS"), ("2027 plan", "P2027PLAN"),
                                           ("home", "HOME"), ("Ünïcode.Ärger", "UNICODEARGER"),
                                           ("a.very.long.project.name", "AVERYLONGPRO"), ("...", "")])
def test_project_keys_from_taskwarrior_names(name: str, key: str) -> None:
    assert project_key(name) == key


def test_a_big_import_is_undone_whole_and_redone_by_importing_again(demo_db: Path, tmp_path: Path) -> None:
    from tpm_tui.services.triage import REDO_LIMIT

    n = REDO_LIMIT + 20
    export = tmp_path / "big.json"
    export.write_bytes(orjson.dumps([{"uuid": f"u-{i}", "description": f"task {i}", "status": "pending",
                                      "project": "Big"} for i in range(n)]))
    before = {t.id for t in Store.open(demo_db).tasks()}
    assert run("task", "import", str(export), "--db", str(demo_db)).exit_code == 0
    assert len(Store.open(demo_db).tasks()) == len(before) + n
    assert run("undo", "--db", str(demo_db)).exit_code == 0
    store = Store.open(demo_db)
    assert {t.id for t in store.tasks()} == before and store.project("BIG") is None
    assert refused(demo_db, "redo") == (f"tpm: cannot redo 'import of {n} tasks from {export}': it was too big to "
                                        f"keep; import {export} again")
    assert run("task", "import", str(export), "--db", str(demo_db)).stdout.startswith(f"{export}: {n} added")


@pytest.mark.parametrize(("value", "hours"), [("PT2H30M", 2.5), ("P1D", 24.0), ("PT45M", 0.75), (3, 3.0), ("1.5", 1.5),
                                              ("4h", 4.0), ("PT", None), ("soon", None), (-2, None), (True, None)])
def test_an_estimate_uda_is_read_as_hours_or_left_out(value: object, hours: float | None) -> None:
    from tpm_tui.services.taskwarrior import _hours

    assert _hours(value) == hours


def test_estimates_feed_the_capacity_rule_and_scheduled_hides_until_then(demo_db: Path, tmp_path: Path) -> None:
    export = tmp_path / "tasks.json"
    export.write_bytes(orjson.dumps([
        {"uuid": "e-1", "description": "Migrate billing", "status": "pending", "estimate": "PT12H",
         "due": "20261201T160000Z"},
        {"uuid": "e-2", "description": "Old", "status": "completed", "estimate": 3, "end": "20261120T100000Z"},
        {"uuid": "e-3", "description": "Later", "status": "pending", "scheduled": "20261207T080000Z"},
        {"uuid": "e-4", "description": "Ready", "status": "pending", "scheduled": "20261120T080000Z",
         "estimate": "a while"},
    ]))
    result = run("task", "import", str(export), "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert "task 4 ('Ready'): estimate 'a while' is not hours or a duration: left out" in result.stderr
    t = by_source(Store.open(demo_db))
    assert (t["e-1"].estimate_hours, t["e-1"].remaining_hours) == (12.0, 12.0)  # type: ignore[attr-defined]
    assert (t["e-2"].estimate_hours, t["e-2"].remaining_hours) == (3.0, 0.0)  # type: ignore[attr-defined]
    assert t["e-3"].snoozed_until == date(2026, 12, 7)  # type: ignore[attr-defined]
    assert t["e-4"].snoozed_until is None  # scheduled in the past: ready, nothing hidden
    shown = run("task", "show", t["e-1"].id, "--db", str(demo_db)).stdout  # type: ignore[attr-defined]
    assert "    - needs 12h, " in shown  # the capacity rule reads the imported estimate


def test_a_newer_export_updates_tasks_changed_in_taskwarrior_and_links_to_tasks_imported_before(
        demo_db: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_bytes(orjson.dumps(EXPORT[:2]))
    assert run("task", "import", str(first), "--db", str(demo_db)).exit_code == 0
    report = dict(EXPORT[0], modified="20261201T100000Z", due="20261210T230000Z", status="completed",
                  end="20261201T100000Z")
    later = {"uuid": U[9], "description": "Send it", "status": "pending", "entry": "20261201T090000Z",
             "depends": [U[0]], "project": "Work.Reports"}
    second = tmp_path / "second.json"
    second.write_bytes(orjson.dumps([report, EXPORT[1], later]))
    result = run("task", "import", str(second), "--db", str(demo_db))
    assert result.stdout.startswith(f"{second}: 1 added, 1 updated, 1 already here")
    assert "not in the export" not in result.stderr  # the link to a task imported before is kept
    tasks = by_source(Store.open(demo_db))
    assert tasks[U[0]].status is TaskStatus.DONE and tasks[U[0]].due == date(2026, 12, 11)  # type: ignore[attr-defined]
    assert tasks[U[9]].depends_on == (tasks[U[0]].id,)  # type: ignore[attr-defined]
