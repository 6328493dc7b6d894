"""A record edited by hand (or by another program) that cannot be read: one line naming the
file, the table, the record and its field, a non-zero exit, and the file left as it was —
never an internal error, a traceback, or a silently wrong dashboard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import refused
from tpm_tui.storage import codec

TASK = ("tasks", "API-1")
MEETING = ("meetings", "demo-standup@tpm")
PERSON = ("people", "sam")
PROJECT = ("projects", "API")


def _edit(db: Path, table: str, name: str, field: str, value: Any) -> str:
    """Set (or, with ``...``, remove) ``field`` of the record named ``name``; its key in the table."""
    data = json.loads(db.read_text())
    naming = {"tasks": "id", "meetings": "uid", "people": "handle", "projects": "key"}[table]
    key = next(k for k, doc in data[table].items() if doc.get(naming) == name and not doc.get("recurrence_id"))
    if value is ...:
        del data[table][key][field]
    else:
        data[table][key][field] = value
    db.write_text(json.dumps(data))
    return key


CASES = [
    (TASK, "status", "bogus", "field 'status': expected one of todo, doing, blocked, done, found text 'bogus'"),
    (TASK, "due", "next friday", "field 'due': expected a date or date-time (ISO 8601) from 1970 to 2199, or null, "
                                 "found text 'next friday'"),
    (TASK, "due", "9999-12-31", "field 'due': expected a date or date-time (ISO 8601) from 1970 to 2199, or null, "
                                "found text '9999-12-31'"),
    (TASK, "id", 5, "field 'id': expected text, found a number 5"),
    (TASK, "id", ..., "field 'id' is missing"),
    (TASK, "estimate_hours", "8h", "field 'estimate_hours': expected a number of hours (0 or more) or null, found text '8h'"),
    (TASK, "remaining_hours", -2, "field 'remaining_hours': expected a number of hours (0 or more) or null, found a number -2"),
    (TASK, "depends_on", "API-7", "field 'depends_on': expected a list of task ids (text), found text 'API-7'"),
    (TASK, "priority", "urgent", "field 'priority': expected one of low, normal, high, critical, found text 'urgent'"),
    (TASK, "assignee", ["sam"], "field 'assignee': expected a handle (text) or null, found a list ['sam']"),
    (TASK, "title", None, "field 'title': expected text, found null None"),
    (TASK, "notes", [{"text": "no time"}], "field 'notes': expected a list of notes, each with its time (at) and text"),
    (MEETING, "start", ..., "field 'start' is missing"),
    (MEETING, "end", "soon", "field 'end': expected a date or date-time (ISO 8601), found text 'soon'"),
    (MEETING, "summary", 42, "field 'summary': expected text, found a number 42"),
    (MEETING, "attendees", [{"email": 7}], "field 'attendees': expected a list of objects with text email"),
    (MEETING, "tzid", "Mars/Base", "field 'tzid': expected a time zone name or null, found text 'Mars/Base'"),
    (PERSON, "days_off", ["someday"], "field 'days_off': expected a list of dates (YYYY-MM-DD), found a list ['someday']"),
    (PERSON, "work_days", "mon-fri", "field 'work_days': expected a list of text, found text 'mon-fri'"),
    (PROJECT, "target_date", "Q3", "field 'target_date': expected a date (YYYY-MM-DD) or null, found text 'Q3'"),
    (PROJECT, "stakeholders", "cfo", "field 'stakeholders': expected a list of text, found text 'cfo'"),
]


@pytest.mark.parametrize(("record", "field", "value", "said"), CASES,
                         ids=[f"{r[0]}-{f}-{v!r}"[:40] for r, f, v, _ in CASES])
def test_a_record_that_cannot_be_read_is_named_in_one_line(demo_db: Path, record: tuple[str, str], field: str,
                                                           value: Any, said: str) -> None:
    table, name = record
    key = _edit(demo_db, table, name, field, value)
    # each command that reads that table says the same line (and leaves the file as it was)
    command = {"tasks": ("task", "list"), "meetings": ("agenda",), "people": ("person", "list"),
               "projects": ("brief", "--format", "markdown")}[table]
    line = refused(demo_db, *command)
    named = "" if field in ("id",) else f" ({name})"
    assert line.startswith(f"tpm: {demo_db}: {table} record {key}{named}: {said}"), line
    assert line.endswith(" — fix or remove it in the file (it was left untouched)")
    if table in ("tasks", "meetings"):
        assert refused(demo_db, "brief") == line  # the dashboard's own read says it too


def test_settings_that_cannot_be_read_are_named_too(demo_db: Path) -> None:
    data = json.loads(demo_db.read_text())
    key = next(iter(data["settings"]))
    data["settings"][key]["stale_after_days"] = "a week"
    demo_db.write_text(json.dumps(data))
    assert refused(demo_db, "brief") == (
        f"tpm: {demo_db}: settings record {key}: field 'stale_after_days': expected a whole number of days "
        "(0 or more), found text 'a week' — fix or remove it in the file (it was left untouched)")


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"plan_window_start": "7am"}, "field 'plan_window_start': expected a time of day HH:MM, found text '7am'"),
        ({"remind_minutes": "5m"}, "field 'remind_minutes': expected a whole number of minutes from 0 to 240, found text '5m'"),
        ({"plan_window_end": "24:00"}, "field 'plan_window_end': expected a time of day HH:MM, found text '24:00'"),
        ({"plan_window_start": "22:00", "plan_window_end": "06:00"},
         "field 'plan_window_end': expected a time after plan_window_start (22:00): the window never runs overnight, "
         "found text '06:00'"),
    ],
)
def test_a_plan_window_that_cannot_be_used_is_named(demo_db: Path, fields: dict[str, str], said: str) -> None:
    """Before, a hand-edited "7am" passed the open and failed later inside the plan (no file, no field)."""
    data = json.loads(demo_db.read_text())
    key = next(iter(data["settings"]))
    data["settings"][key].update(fields)
    demo_db.write_text(json.dumps(data))
    assert refused(demo_db, "plan") == f"tpm: {demo_db}: settings record {key}: {said} — fix or remove it in the " \
        "file (it was left untouched)"


def test_a_plan_window_written_with_one_digit_hours_still_reads(demo_db: Path) -> None:
    from tpm_tui.storage import Store

    data = json.loads(demo_db.read_text())
    key = next(iter(data["settings"]))
    data["settings"][key].update({"plan_window_start": "7:30", "plan_window_end": "9:45"})
    demo_db.write_text(json.dumps(data))
    settings = Store.open(demo_db).settings()
    assert (settings.plan_window_start, settings.plan_window_end) == ("7:30", "9:45")


def test_a_record_that_is_not_an_object_is_refused_when_the_file_is_opened(demo_db: Path) -> None:
    data = json.loads(demo_db.read_text())
    data["people"]["3"] = ["sam"]
    demo_db.write_text(json.dumps(data))
    assert refused(demo_db, "task", "list") == (
        f"tpm: {demo_db}: people record 3: expected an object, found list — fix or remove it in the file "
        "(it was left untouched)")


def test_what_tpm_writes_reads_back_through_the_checks(demo_db: Path) -> None:
    """The fast path (one combined type test) accepts every record the demo writes, and the
    slow path finds nothing wrong with them either."""
    data = json.loads(demo_db.read_text())
    for doc in data["tasks"].values():
        assert codec.task_from_doc(doc).id == doc["id"]
        assert codec._diagnose(doc, codec._TASK_FIELDS) is None  # noqa: SLF001
    for doc in data["meetings"].values():
        assert codec.meeting_from_doc(doc).uid == doc["uid"]
        assert codec._diagnose(doc, codec._MEETING_FIELDS) is None  # noqa: SLF001
    for doc in data["people"].values():
        assert codec.person_from_doc(doc).handle == doc["handle"]


def test_a_record_the_store_could_not_read_back_is_never_saved(demo_db: Path) -> None:
    from tests.conftest import disk_state
    from tpm_tui.domain import StoreError
    from tpm_tui.storage import Store

    store = Store.open(demo_db)
    before = disk_state(demo_db)
    sam = store.person("sam")
    assert sam is not None
    with pytest.raises(StoreError) as got:
        store.put_person(sam._replace(weekly_capacity_hours=float("nan")))
    assert str(got.value) == (f"{demo_db}: cannot save people record 'sam': field 'weekly_capacity_hours': expected "
                              "a number of hours (0 or more) or null, found a number nan")
    task = store.task("API-1")
    with pytest.raises(StoreError, match=r"cannot save tasks record 'API-1': field 'depends_on'"):
        store.put_task(task._replace(depends_on=("API-2", 7)))  # type: ignore[arg-type]
    assert disk_state(demo_db) == before
    assert store.person("sam") == sam and store.task("API-1") == task


def test_an_undo_whose_journal_copy_was_edited_by_hand_is_one_line_and_changes_nothing(demo_db: Path) -> None:
    from tests.conftest import cli

    assert cli("task", "edit", "API-1", "--priority", "low", "--db", str(demo_db)).exit_code == 0
    data = json.loads(demo_db.read_text())
    if Path(f"{demo_db}.wal").exists():  # fold the log in first, as a user editing the file would
        from tpm_tui.storage import Store
        Store.open(demo_db).checkpoint()
        data = json.loads(demo_db.read_text())
    key, entry = max(data["journal"].items(), key=lambda kv: kv[1]["id"])
    entry["before"]["priority"] = "whenever"
    demo_db.write_text(json.dumps(data))
    line = refused(demo_db, "undo")
    assert line == (f"tpm: {demo_db}: 'API-1 edited (priority)' (journal entry {entry['id']}) cannot be undone: its copy of "
                    "field 'priority' cannot be read (expected one of low, normal, high, critical, found text "
                    "'whenever'); nothing was changed"), line


def test_a_zone_this_machine_does_not_know_is_read_as_utc_and_said(demo_db: Path) -> None:
    from tests.conftest import cli

    _edit(demo_db, "people", "priya", "timezone", "Asia/Atlantis")
    shown = cli("person", "show", "priya", "--db", str(demo_db))
    assert shown.exit_code == 0, shown.output
    assert "  zone        Asia/Atlantis (unknown here: read as UTC), 10:00–18:30" in shown.stdout
    assert cli("brief", "--db", str(demo_db)).exit_code == 0  # every rule reads it as UTC, as before
