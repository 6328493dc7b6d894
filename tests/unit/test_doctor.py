"""Backups and `tpm doctor`: say what is wrong, restore the last good backup."""

from __future__ import annotations

from pathlib import Path

from tpm_tui.domain import Task
from tpm_tui.storage import Store
from tests.conftest import disk_state
from tests.unit.test_cli import run


def test_first_write_of_a_session_keeps_the_previous_file_as_backup(demo_db: Path) -> None:
    before = disk_state(demo_db)
    store = Store.open(demo_db)
    store.put_task(Task(id="API-77", project="API", title="one"))
    store.put_task(Task(id="API-78", project="API", title="two"))
    backup = demo_db.with_name("demo.json.bak")
    assert backup.read_bytes() == before  # the state this session found, not an intermediate one


def test_doctor_on_a_healthy_file(demo_db: Path) -> None:
    result = run("doctor", "--db", str(demo_db))
    assert result.exit_code == 0
    assert "demo.json: OK, schema 2, 8 people, 3 projects, 40 tasks, 11 meetings" in result.stdout


def test_doctor_reports_damage_and_restores_the_last_good_backup(demo_db: Path) -> None:
    Store.open(demo_db).put_task(Task(id="API-77", project="API", title="makes a backup"))
    good_backup = demo_db.with_name("demo.json.bak").read_bytes()
    demo_db.write_bytes(b'{"meta": {"1": {"schema_ver')  # damaged by something else
    report = run("doctor", "--db", str(demo_db))
    assert report.exit_code == 1
    assert "PROBLEM: not valid JSON" in report.stdout
    assert "backup demo.json.bak: OK" in report.stdout
    assert "tpm doctor --restore" in report.stdout
    assert demo_db.read_bytes() == b'{"meta": {"1": {"schema_ver'  # doctor alone changes nothing
    restored = run("doctor", "--restore", "--db", str(demo_db))
    assert restored.exit_code == 0, restored.stderr
    assert "restored from demo.json.bak" in restored.stdout
    assert demo_db.read_bytes() == good_backup
    kept = list(demo_db.parent.glob("demo.json.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b'{"meta": {"1": {"schema_ver'
    assert len(Store.open(demo_db).tasks()) == 40


def test_restore_without_any_backup_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "x.json"
    db.write_bytes(b"garbage")
    result = run("doctor", "--restore", "--db", str(db))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"tpm: {db}: no readable backup to restore"
    assert disk_state(db) == b"garbage"


def test_doctor_names_a_record_edited_by_hand_and_skips_such_a_backup(demo_db: Path) -> None:
    import json

    def spoil(path: Path, field: str, value: object) -> None:
        data = json.loads(path.read_text())
        doc = next(d for d in data["meetings"].values() if d["uid"] == "demo-standup@tpm")
        doc[field] = value
        path.write_text(json.dumps(data))

    Store.open(demo_db).put_task(Task(id="API-77", project="API", title="makes a backup"))
    good = demo_db.with_name("demo.json.bak")
    older = demo_db.with_name("demo.json.v0.bak")  # an older backup, spoiled too, and newer on disk
    older.write_bytes(demo_db.read_bytes())
    spoil(older, "summary", 42)
    spoil(demo_db, "start", "tomorrow")
    report = run("doctor", "--db", str(demo_db))
    assert report.exit_code == 1
    assert "demo.json: PROBLEM: meetings record 1 (demo-standup@tpm): field 'start': expected a date or " \
           "date-time (ISO 8601), found text 'tomorrow'" in report.stdout
    assert "backup demo.json.v0.bak: meetings record 1 (demo-standup@tpm): field 'summary'" in report.stdout
    assert "backup demo.json.bak: OK" in report.stdout
    restored = run("doctor", "--restore", "--db", str(demo_db))
    assert restored.exit_code == 0 and "restored from demo.json.bak" in restored.stdout
    assert demo_db.read_bytes() == good.read_bytes()
    assert len(Store.open(demo_db).meetings()) == 11
