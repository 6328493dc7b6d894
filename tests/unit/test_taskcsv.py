"""``tpm task import issues.csv``: a Jira issue-navigator CSV export becomes tpm tasks, once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tpm_tui.domain import TaskStatus
from tpm_tui.services.taskcsv import looks_like_task_csv
from tpm_tui.storage import Store
from tests.conftest import cli as run, disk_state, imported_copy, imported_from, refused

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "jira_cloud_issues.csv"


def by_key(db: Path) -> dict[str, Any]:
    return imported_from(db, "jira:")


def test_an_export_becomes_tasks_with_whose_they_are_estimates_links_and_states(demo_db: Path) -> None:
    result = run("task", "import", str(EXPORT), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{EXPORT}: 5 added (1 done), 1 new project (PAY), 0 already here  (tpm undo takes it back)\n"
    assert "line 6 (PAY-105): priority 'Nice to have' read as normal" in result.stderr
    assert "line 6 (PAY-105): due 'sometime' is not a date tpm reads" in result.stderr
    assert "assignees tpm does not know, left unassigned: Alex Doe (1)" in result.stderr
    t = by_key(demo_db)
    token, certs, webhook, evidence, sunset = (t[f"PAY-10{n}"] for n in range(1, 6))
    assert (token.id, token.project, token.status, token.priority, token.assignee) == (  # type: ignore[attr-defined]
        "PAY-1", "PAY", TaskStatus.DOING, "critical", "priya")  # In Progress, Highest, Priya Raman by name
    assert (token.estimate_hours, token.remaining_hours, token.due) == (20.0, 10.0, date(2026, 12, 3))  # type: ignore[attr-defined]
    assert token.tags == ("pci", "backend")  # type: ignore[attr-defined]  # two Labels columns
    assert [n.text for n in token.notes] == ["Vault first, then the token service.\nSee the runbook."]  # type: ignore[attr-defined]
    assert token.created_at == datetime(2026, 11, 12, 8, 15, tzinfo=UTC)  # type: ignore[attr-defined]  # 9:15 AM Berlin
    assert (certs.priority, certs.estimate_hours, certs.remaining_hours, certs.due) == ("normal", 4.0, 4.0, None)  # type: ignore[attr-defined]
    assert (webhook.status, webhook.remaining_hours) == (TaskStatus.DONE, 0.0)  # type: ignore[attr-defined]
    assert webhook.updated_at == datetime(2026, 11, 25, 17, 30, tzinfo=UTC)  # type: ignore[attr-defined]  # Resolved
    assert (evidence.assignee, evidence.priority, evidence.estimate_hours) == (None, "low", 56.0)  # type: ignore[attr-defined]  # 1w 2d
    assert evidence.depends_on == (token.id,)  # type: ignore[attr-defined]  # blocked by PAY-101, both ways said
    assert (sunset.assignee, sunset.due, sunset.status) == (None, None, TaskStatus.TODO)  # type: ignore[attr-defined]
    assert Store.open(demo_db).project("PAY").name == "Payments Platform"  # type: ignore[union-attr]
    # the Jira key finds the task, as the / filter does
    assert run("task", "list", "pay-104", "--db", str(demo_db)).stdout.split()[0] == evidence.id  # type: ignore[attr-defined]
    before = disk_state(demo_db)
    assert run("task", "import", str(EXPORT), "--db", str(demo_db)).stdout == f"{EXPORT}: 0 added, 5 already here\n"
    assert disk_state(demo_db) == before
    assert run("undo", "--db", str(demo_db)).stdout.startswith(f"Undone: import of 5 tasks from {EXPORT}")
    assert by_key(demo_db) == {} and Store.open(demo_db).project("PAY") is None


def test_assignee_sets_one_person_for_all_and_a_semicolon_export_reads_the_same(demo_db: Path, tmp_path: Path) -> None:
    excel = tmp_path / "excel.csv"  # re-saved by a German Excel: semicolons
    import csv

    with EXPORT.open(encoding="utf-8-sig", newline="") as f, excel.open("w", encoding="utf-8-sig", newline="") as g:
        csv.writer(g, delimiter=";").writerows(csv.reader(f))
    assert looks_like_task_csv(excel.read_bytes())
    result = run("task", "import", str(excel), "--assignee", "tom", "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    tasks = by_key(demo_db)
    assert len(tasks) == 5 and {task.assignee for task in tasks.values()} == {"tom"}  # type: ignore[attr-defined]
    assert tasks["PAY-101"].estimate_hours == 20.0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"Summary,Issue key,Status\nNo key here,,To Do\n", "line 2: no id"),
        (b"Who,When\nx,2026-12-01\n", "not a file tasks are imported from (a Taskwarrior export or GitHub's issues, .json; an .ics"),
    ],
)
def test_what_is_not_a_jira_export_is_one_line_and_changes_nothing(demo_db: Path, tmp_path: Path, content: bytes,
                                                                   said: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    assert said in refused(demo_db, "task", "import", str(bad))


_CELLS = {
    "Status Category": ["To Do", "In Progress", "Done", "", "Weird"],
    "Priority": ["Highest", "Low", "", "P1", "Blocker"],
    "Assignee": ["Priya Raman", "priya@example.com", "tom", "Nobody Known", ""],
    "Due date": ["03/Dec/26", "03/Dec/26 12:00 AM", "2026-12-03", "2026-12-03T17:00:00.000+0100", "31/Feb/26", "soon",
                 "01/Jan/00", "31/Dec/99 11:59 PM", ""],
    "Created": ["12/Nov/26 9:15 AM", "garbage", ""],
    "Original Estimate": ["72000", "1w 2d", "-5", "99999999999", "abc", ""],
    "Remaining Estimate": ["36000", "0", "4h", "x", ""],
    "Labels": ["pci", "", "a" * 60, "tab\there"],
    "Inward issue link (Blocks)": ["K-1", "K-2", "ELSE-9", ""],
    "Parent": ["K-1", "K-3", "Fine", "ELSE-9", ""],  # a parent by key or by a summary; may loop back
    "Summary": ["Fine", "", "[bold]x[/] \x1b[2J", "line\nbreak"],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _CELLS.items()}), min_size=1, max_size=4))
def test_any_mix_of_jira_cells_imports_every_issue_once_or_is_refused_in_one_line(demo_db: Path,
                                                                                   issues: list[dict[str, str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Issue key", *_CELLS])
    for n, issue in enumerate(issues, start=1):
        writer.writerow([f"K-{n}", *(issue[k] for k in _CELLS)])
    data = out.getvalue().encode()
    with imported_copy(demo_db, data) as (_result, db):
        if db is None:
            return
        tasks = by_key(db)
        done = sum(1 for i in issues if i["Status Category"] == "Done")
        assert len(tasks) == len(issues)  # every issue once, whatever its cells
        assert sum(1 for t in tasks.values() if t.status is TaskStatus.DONE) == done  # type: ignore[attr-defined]
        assert all(t.title for t in tasks.values())  # type: ignore[attr-defined]
        assert all(t.estimate_hours is None or 0 <= t.estimate_hours <= 10_000 for t in tasks.values())  # type: ignore[attr-defined]
        assert all(t.id not in t.depends_on for t in tasks.values())  # type: ignore[attr-defined]  # a link to itself dropped


def test_work_grown_past_its_estimate_raises_the_estimate(demo_db: Path, tmp_path: Path) -> None:
    grown = tmp_path / "grown.csv"
    grown.write_bytes(b"Issue key,Summary,Original Estimate,Remaining Estimate\nK-1,Grown,14400,36000\n")
    assert run("task", "import", str(grown), "--db", str(demo_db)).exit_code == 0
    task = by_key(demo_db)["K-1"]
    assert (task.estimate_hours, task.remaining_hours) == (10.0, 10.0)  # type: ignore[attr-defined]


def test_a_key_twice_is_imported_once_and_said(demo_db: Path, tmp_path: Path) -> None:
    twice = tmp_path / "twice.csv"
    twice.write_bytes(b"Issue key,Summary\nK-1,First\nK-1,Second\n")
    result = run("task", "import", str(twice), "--db", str(demo_db))
    assert result.exit_code == 0 and "line 3 (K-1): K-1 again: left out (line 2 has it)" in result.stderr
    assert [t.title for t in by_key(demo_db).values()] == ["First"]  # type: ignore[attr-defined]


def test_a_newer_export_updates_what_changed_in_jira_and_one_undo_puts_it_back(demo_db: Path, tmp_path: Path) -> None:
    """Export again the next morning: the issues changed in Jira since (a newer Updated) follow
    it — status, due date, assignee, hours — the rest stays; a change made here later wins."""
    import csv

    db = str(demo_db)
    assert run("task", "import", str(EXPORT), "--db", db).exit_code == 0
    with EXPORT.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    col = {name: head.index(name) for name in ("Status Category", "Status", "Updated", "Due date", "Assignee",
                                               "Remaining Estimate", "Resolved")}
    token = rows[1]  # PAY-101: done in Jira since
    token[col["Status Category"]], token[col["Status"]] = "Done", "Done"
    token[col["Updated"]] = token[col["Resolved"]] = "01/Dec/26 10:00 AM"
    certs = rows[2]  # PAY-102: moved and given to Tom, but not newer than what tpm has: left alone
    certs[col["Due date"]], certs[col["Assignee"]] = "04/Dec/26", "Tom Becker"
    evidence = rows[4]  # PAY-104: changed in Jira, and changed here after that: here wins
    evidence[col["Updated"]], evidence[col["Due date"]] = "29/Nov/26 9:00 AM", "20/Dec/26"
    newer = tmp_path / "newer.csv"
    with newer.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    run("task", "edit", by_key(demo_db)["PAY-104"].id, "--priority", "high", "--db", db)  # type: ignore[attr-defined]
    before = {k: t for k, t in by_key(demo_db).items()}
    result = run("task", "import", str(newer), "--db", db)
    assert result.stdout == f"{newer}: 0 added, 1 updated, 4 already here  (tpm undo takes it back)\n"
    after = by_key(demo_db)
    done = after["PAY-101"]
    assert (done.status, done.remaining_hours, done.id) == (TaskStatus.DONE, 0.0, before["PAY-101"].id)  # type: ignore[attr-defined]
    assert done.notes == before["PAY-101"].notes  # type: ignore[attr-defined]  # what tpm keeps stays
    assert after["PAY-102"] == before["PAY-102"] and after["PAY-104"] == before["PAY-104"]
    assert run("undo", "--db", db).stdout.startswith(f"Undone: import from {newer}: 1 updated")
    assert by_key(demo_db) == before
    assert run("redo", "--db", db).exit_code == 0 and by_key(demo_db)["PAY-101"].status is TaskStatus.DONE  # type: ignore[attr-defined]


LINEAR = (b"ID,Team,Title,Description,Status,Estimate,Priority,Project,Assignee,Labels,Created,Updated,Started,"
          b"Completed,Canceled,Due Date\n"
          b"ENG-7,Engineering,Ship the SSO login,Okta first,In Progress,5,Urgent,Identity,priya@example.com,"
          b"\"auth, q4\",2026-11-20T09:00:00.000Z,2026-11-28T10:00:00.000Z,2026-11-25T09:00:00.000Z,,,2026-12-04\n"
          b"ENG-8,Engineering,Old spike,,Canceled,,No priority,Identity,,,2026-11-01T09:00:00.000Z,"
          b"2026-11-02T09:00:00.000Z,,,2026-11-02T09:00:00.000Z,\n"
          b"ENG-9,Engineering,Audit log,,Done,3,Low,Identity,Marcus Chen,,2026-11-10T09:00:00.000Z,"
          b"2026-11-27T09:00:00.000Z,,2026-11-27T09:00:00.000Z,,\n")


def test_a_linear_export_reads_by_its_headers_and_points_are_not_hours(demo_db: Path, tmp_path: Path) -> None:
    f = tmp_path / "linear.csv"
    f.write_bytes(LINEAR)
    result = run("task", "import", str(f), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{f}: 2 added (1 done), 1 new project (IDENTITY), 0 already here, "
                                    "1 cancelled left out")
    assert "2 plain-number estimates left out (story points?" in result.stderr
    tasks = {t.source: t for t in Store.open(demo_db).tasks() if (t.source or "").startswith("csv:")}
    sso, audit = tasks["csv:ENG-7"], tasks["csv:ENG-9"]
    assert (sso.status, sso.priority, sso.assignee, sso.due, sso.tags, sso.estimate_hours) == (
        TaskStatus.DOING, "critical", "priya", date(2026, 12, 4), ("auth", "q4"), None)
    assert (audit.status, audit.priority, audit.assignee) == (TaskStatus.DONE, "low", "marcus")
    assert "csv:ENG-8" not in tasks


def test_a_spreadsheet_without_ids_matches_rows_by_title_and_reads_hours(demo_db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(b"Task;Owner;Due;Estimate (hours);Tags\nWrite the runbook;Lena Vogel;2026-12-09;6;ops\n"
                      b"Dry run;lena;fri;1d;ops\n")  # a sheet's own words for a date: Fri 04 Dec from Mon 30 Nov
    first = run("task", "import", str(sheet), "--project", "OPS", "--db", str(demo_db))
    assert first.exit_code == 0, first.stderr
    assert "no id column (ID, Key, Issue key): a later import matches its rows by title" in first.stderr
    tasks = {t.title: t for t in Store.open(demo_db).tasks() if (t.source or "").startswith("csv:")}
    assert (tasks["Write the runbook"].estimate_hours, tasks["Dry run"].estimate_hours) == (6.0, 8.0)
    assert (tasks["Write the runbook"].due, tasks["Dry run"].due) == (date(2026, 12, 9), date(2026, 12, 4))
    assert {t.assignee for t in tasks.values()} == {"lena"} and {t.project for t in tasks.values()} == {"OPS"}
    again = run("task", "import", str(sheet), "--project", "OPS", "--db", str(demo_db))
    assert again.stdout == f"{sheet}: 0 added, 2 already here\n"


def test_a_task_deleted_here_is_not_brought_back_by_the_next_import(demo_db: Path) -> None:
    db = str(demo_db)
    assert run("task", "import", str(EXPORT), "--db", db).exit_code == 0
    sunset = by_key(demo_db)["PAY-105"]
    assert run("task", "rm", sunset.id, "--db", db).exit_code == 0  # type: ignore[attr-defined]
    again = run("task", "import", str(EXPORT), "--db", db)
    assert again.stdout == f"{EXPORT}: 0 added, 4 already here, 1 deleted here left out\n"
    assert "PAY-105" not in by_key(demo_db)
    assert run("undo", "--db", db).exit_code == 0  # the delete undone: the task is back, and imports see it
    assert "PAY-105" in by_key(demo_db)
    assert run("task", "import", str(EXPORT), "--db", db).stdout == f"{EXPORT}: 0 added, 5 already here\n"


def test_a_sub_task_holds_its_parent_back(demo_db: Path, tmp_path: Path) -> None:
    """Jira names a sub-task's parent by key, by numeric ``Parent id`` (the parent's ``Issue id``) or
    by ``Parent summary``; Asana by the parent task's name. The parent depends on its sub-tasks."""
    jira = tmp_path / "sprint.csv"
    jira.write_bytes(
        b"Summary,Issue key,Issue id,Issue Type,Status,Parent,Parent id,Parent summary\n"
        b"Card vault,PAY-201,20201,Story,To Do,,,\n"
        b"Vault schema,PAY-202,20202,Sub-task,To Do,,20201,\n"  # by the parent's Issue id
        b"Vault load test,PAY-203,20203,Sub-task,To Do,PAY-201,,\n"  # by key
        b"Vault runbook,PAY-204,20204,Sub-task,To Do,,,Card vault\n"  # by the parent's summary
        b"Orphan step,PAY-205,20205,Sub-task,To Do,PAY-999,,\n")  # a parent not in the file
    result = run("task", "import", str(jira), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    t = by_key(demo_db)
    assert set(t["PAY-201"].depends_on) == {t[f"PAY-20{n}"].id for n in (2, 3, 4)}  # type: ignore[attr-defined]
    assert all(t[f"PAY-20{n}"].depends_on == () for n in (2, 3, 4, 5))  # type: ignore[attr-defined]
    asana = tmp_path / "asana.csv"
    asana.write_bytes(b"Task ID,Name,Parent task,Assignee\n"
                      b"1201,Launch checklist,,\n"
                      b"1202,Press release,Launch checklist,\n"
                      b"1203,Launch checklist,,\n"  # two tasks of one name: a parent by that name is neither
                      b"1204,Status page,Launch checklist,\n"
                      b"1205,Website refresh,,\n"
                      b"1206,Hero image,website  refresh,\n")  # by name, any case and spacing
    assert run("task", "import", str(asana), "--project", "OPS", "--db", str(demo_db)).exit_code == 0
    rows = {t.source: t for t in Store.open(demo_db).tasks() if (t.source or "").startswith("csv:")}
    assert rows["csv:1201"].depends_on == () and rows["csv:1203"].depends_on == ()
    assert rows["csv:1205"].depends_on == (rows["csv:1206"].id,)
