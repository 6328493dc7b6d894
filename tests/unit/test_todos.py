"""``tpm task import FILE.ics``: the to-dos (VTODO) of Apple Reminders, Thunderbird and
Outlook exports become tasks, once; ``tpm import`` says it left them out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tpm_tui.domain import TaskStatus
from tpm_tui.ics.parse import parse_calendar
from tpm_tui.services.todos import looks_like_icalendar, records
from tpm_tui.storage import Store
from tests.conftest import cli as run, disk_state, imported_copy, imported_from, refused

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
APPLE = FIXTURES / "todos_apple_reminders.ics"
THUNDERBIRD = FIXTURES / "todos_thunderbird_subtask_and_event.ics"
OUTLOOK = FIXTURES / "todos_outlook_task_windows_zone.ics"
BERLIN, KOLKATA = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata")


def imported(db: Path) -> dict[str, Any]:
    return imported_from(db, "ics:")


def test_reminders_become_tasks_in_the_lists_project_with_priority_status_and_repeat(demo_db: Path) -> None:
    result = run("task", "import", str(APPLE), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"{APPLE}: 3 added (1 done), 1 new project (WORK), 0 already here  "
                             "(tpm undo takes it back)\n")
    assert result.stderr == ""
    t = imported(demo_db)
    deck, flights, mail = (t["7D2F31C4-8B0E-4D5A-9E52-1A6E3C0F9B11"], t["1B8D0C2E-55A7-4C3F-8D1B-2E9F7A6C4D22"],
                           t["9A4E6B1D-0C3F-4E2A-B7D5-3F8C1E2D5A33"])
    assert (deck.id, deck.project, deck.title, deck.priority, deck.due, deck.status) == (  # type: ignore[attr-defined]
        "WORK-1", "WORK", "Send board deck to Ana", "high", date(2026, 12, 7), TaskStatus.TODO)
    assert [n.text for n in deck.notes] == ["Final numbers from finance first"]  # type: ignore[attr-defined]
    assert deck.created_at == datetime(2026, 11, 10, 9, 15, tzinfo=UTC)  # type: ignore[attr-defined]
    assert (flights.status, flights.updated_at) == (TaskStatus.DONE, datetime(2026, 11, 25, 17, tzinfo=UTC))  # type: ignore[attr-defined]
    assert flights.due == datetime(2026, 12, 4, 17, tzinfo=BERLIN)  # type: ignore[attr-defined]
    assert (mail.priority, mail.repeat) == ("low", "weekly")  # type: ignore[attr-defined]
    assert Store.open(demo_db).project("WORK").name == "Work"  # type: ignore[union-attr]
    me = Store.open(demo_db).settings().me
    assert {task.assignee for task in t.values()} == {me}  # type: ignore[attr-defined]


def test_a_thunderbird_subtask_comes_before_its_parent_and_a_start_ahead_is_a_snooze(demo_db: Path) -> None:
    result = run("task", "import", str(THUNDERBIRD), "--project", "PAY", "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{THUNDERBIRD}: 2 added, 1 new project (PAY), 0 already here, "
                                     "1 cancelled left out")
    assert f"1 meeting left out: tpm import {THUNDERBIRD} takes it" in result.stderr
    t = imported(demo_db)
    job, runbook = t["d1b0e7a2-4c55-4b0e-9a1f-6c2b3d4e5f01"], t["d1b0e7a2-4c55-4b0e-9a1f-6c2b3d4e5f02"]
    assert job.depends_on == (runbook.id,)  # type: ignore[attr-defined]  # the step first
    assert (job.status, job.tags, job.project) == (TaskStatus.DOING, ("Payments", "Backend"), "PAY")  # type: ignore[attr-defined]
    assert job.due == datetime(2026, 12, 9, 18, tzinfo=KOLKATA)  # type: ignore[attr-defined]
    assert runbook.snoozed_until == date(2026, 12, 7)  # type: ignore[attr-defined]  # DTSTART ahead: not before then
    assert "d1b0e7a2-4c55-4b0e-9a1f-6c2b3d4e5f03" not in t  # cancelled
    assert not [m for m in Store.open(demo_db).meetings() if m.uid.startswith("d1b0e7a2")]  # the event is not a task


def test_an_outlook_task_in_a_windows_zone_file_and_a_second_import_adds_nothing(demo_db: Path) -> None:
    assert run("task", "import", str(OUTLOOK), "--db", str(demo_db)).exit_code == 0
    [task] = imported(demo_db).values()
    assert (task.title, task.due, task.priority, task.project) == ("Get the DPA signed", date(2026, 12, 3), "high",  # type: ignore[attr-defined]
                                                                   "INBOX")
    assert [n.text for n in task.notes] == ["Vendor asked for the signed DPA before go-live."]  # type: ignore[attr-defined]
    before = disk_state(demo_db)
    again = run("task", "import", str(OUTLOOK), "--db", str(demo_db))
    assert again.stdout == f"{OUTLOOK}: 0 added, 1 already here\n"
    assert disk_state(demo_db) == before
    assert run("undo", "--db", str(demo_db)).stdout.startswith(f"Undone: import of 1 tasks from {OUTLOOK}")
    assert imported(demo_db) == {}


def test_calendar_import_says_it_left_the_to_dos_out_and_imports_the_meetings(demo_db: Path) -> None:
    result = run("import", str(THUNDERBIRD), "--db", str(demo_db))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{THUNDERBIRD}: 1 added, 0 updated")
    assert (f"3 to-dos (VTODO) left out: tpm task import {THUNDERBIRD} makes them tasks") in result.stderr
    assert imported(demo_db) == {}


def test_a_calendar_without_to_dos_is_one_line_and_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    said = refused(demo_db, "task", "import", str(FIXTURES / "google_weekly_berlin_eu_dst.ics"))
    assert said.endswith("no to-dos (VTODO) in this calendar (1 meeting: tpm import takes it)")
    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nEND:VCALENDAR\r\n")
    assert "BEGIN:VTODO has no END:VTODO" in refused(demo_db, "task", "import", str(broken))


@pytest.mark.parametrize(
    ("rrule", "repeat"),
    [
        ("FREQ=DAILY", "daily"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "weekdays"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "monthly"),
        ("FREQ=MONTHLY;INTERVAL=3", "every 3 months"),
        ("FREQ=YEARLY", "yearly"),
        ("FREQ=MONTHLY;BYDAY=1MO;BYSETPOS=1", None),  # first Monday: not a rule tpm has
        ("FREQ=HOURLY", None),
    ],
)
def test_a_to_dos_rule_becomes_a_repeat_or_a_warning(demo_db: Path, tmp_path: Path, rrule: str, repeat: str | None) -> None:
    f = tmp_path / "r.ics"
    f.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:r1\r\nDTSTAMP:20261101T000000Z\r\n"
                   f"SUMMARY:Report\r\nDUE;VALUE=DATE:20261215\r\nRRULE:{rrule}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n").encode())
    result = run("task", "import", str(f), "--db", str(demo_db))
    assert result.exit_code == 0
    assert imported(demo_db)["r1"].repeat == repeat  # type: ignore[attr-defined]
    assert ("imported without repeating" in result.stderr) is (repeat is None)


def test_records_read_floating_and_date_times_in_the_zone_given() -> None:
    data = (b"\xef\xbb\xbf\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTODO\r\nUID:f1\r\n"
            b"SUMMARY:Floating\r\nDTSTART:20261210T090000\r\nDURATION:PT8H\r\nEND:VTODO\r\n"
            b"BEGIN:VTODO\r\nSUMMARY:\r\nPRIORITY:7\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    assert looks_like_icalendar(data) and not looks_like_icalendar(b'[{"uuid": "x"}]')
    floating, untitled = records(parse_calendar(data, source="x").todos, KOLKATA)
    assert floating["due"] == "20261210T113000Z"  # 17:00 in Kolkata: DTSTART + DURATION, floating read there
    assert floating["scheduled"] == "20261210T033000Z"
    assert (untitled["description"], untitled["priority"], untitled["uuid"]) == ("(no title)", "L", "line-11")


_FIELDS = {
    "DUE": ["DUE;VALUE=DATE:20261215", "DUE:20261215T170000Z", "DUE:00010101T000000", "DUE;VALUE=DATE:99991231",
            "DUE;TZID=Nowhere/Zone:20261215T170000", "DUE:not-a-date", "DUE;TZID=W. Europe Standard Time:20261215T090000"],
    "DTSTART": ["DTSTART;VALUE=DATE:20261201", "DTSTART:20270101T090000", "DTSTART:garbage"],
    "DURATION": ["DURATION:PT2H", "DURATION:P1W", "DURATION:-PT1H", "DURATION:nonsense"],
    "PRIORITY": ["PRIORITY:0", "PRIORITY:1", "PRIORITY:9", "PRIORITY:42", "PRIORITY:high"],
    "STATUS": ["STATUS:COMPLETED", "STATUS:IN-PROCESS", "STATUS:CANCELLED", "STATUS:WHATEVER"],
    "RRULE": ["RRULE:FREQ=WEEKLY;INTERVAL=0", "RRULE:FREQ=DAILY;INTERVAL=9999", "RRULE:FREQ=MONTHLY;INTERVAL=x",
              "RRULE:nonsense"],
    "RELATED-TO": ["RELATED-TO:u1", "RELATED-TO;RELTYPE=CHILD:u2", "RELATED-TO;RELTYPE=DEPENDS-ON:u0",
                   "RELATED-TO:missing"],
    "SUMMARY": ["SUMMARY:[bold]x[/] \x1b[2J", "SUMMARY:", "SUMMARY:" + "long " * 200],
    "CATEGORIES": ["CATEGORIES:a,b", "CATEGORIES:", "CATEGORIES:+weird tag,ok"],
    "COMPLETED": ["COMPLETED:20261125T170000Z", "COMPLETED:soon"],
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in _FIELDS.items()}),
                min_size=1, max_size=4))
def test_any_mix_of_to_do_fields_imports_or_is_refused_in_one_line(demo_db: Path, todos: list[dict[str, str]]) -> None:
    body = "".join(f"BEGIN:VTODO\r\nUID:u{n}\r\nDTSTAMP:20261101T000000Z\r\n" + "".join(f"{v}\r\n" for v in t.values())
                   + "END:VTODO\r\n" for n, t in enumerate(todos))
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + body + "END:VCALENDAR\r\n").encode()
    with imported_copy(demo_db, data) as (result, db):
        if db is None:
            return
        added = int(result.stdout.split(": ", 1)[1].split(" added")[0])
        new = imported(db)
        cancelled = sum(1 for t in todos if t.get("STATUS") == "STATUS:CANCELLED")
        assert len(new) == added == len(todos) - cancelled  # every other to-do is a task, each once
        assert all(t.title for t in new.values())  # type: ignore[attr-defined]
        if added:
            assert run("undo", "--db", str(db)).exit_code == 0 and imported(db) == {}
