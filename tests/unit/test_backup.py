"""``tpm backup``: a standalone copy with the write-ahead log folded in (a copy of the main file
alone misses the changes still in the log), safe to copy back over the database."""

from __future__ import annotations

import shutil
from pathlib import Path

from tpm_tui.domain import TaskStatus
from tpm_tui.storage import Store
from tests.conftest import cli, disk_state, refused


def ok(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_backup_has_what_is_still_in_the_log(demo_db: Path, tmp_path: Path) -> None:
    ok("task", "done", "API-1", "--db", str(demo_db))
    assert Path(f"{demo_db}.wal").exists()
    plain_copy = tmp_path / "plain.json"
    shutil.copy(demo_db, plain_copy)  # what copying the file by hand gives
    assert Store.open(plain_copy).require_task("API-1").status is not TaskStatus.DONE
    target = tmp_path / "b.json"
    said = ok("backup", str(target), "--db", str(demo_db))
    assert said.startswith(f"{target}: backed up (8 people, 3 projects, 40 tasks, 11 meetings; ")
    copy = Store.open(target)
    assert copy.require_task("API-1").status is TaskStatus.DONE
    assert copy.counts() == Store.open(demo_db).counts()
    assert copy.journal()[-1].summary == "API-1 marked done"  # undo history goes along


def test_copied_back_over_the_database_a_log_beside_it_is_not_replayed(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.json"
    ok("backup", str(target), "--db", str(demo_db))
    ok("task", "done", "API-2", "--db", str(demo_db))  # a change after the backup, in the log
    assert Path(f"{demo_db}.wal").exists()
    shutil.copy(target, demo_db)  # restore by hand; the log stays beside it
    restored = Store.open(demo_db)
    assert restored.require_task("API-2").status is not TaskStatus.DONE


def test_standard_output_and_the_default_name(demo_db: Path) -> None:
    out = cli("backup", "-", "--db", str(demo_db))
    assert out.exit_code == 0
    piped = demo_db.with_name("piped.json")
    piped.write_bytes(out.stdout_bytes)
    assert Store.open(piped).counts() == Store.open(demo_db).counts()
    said = ok("backup", "--db", str(demo_db))
    made = Path(said.split(": backed up")[0])
    assert made.parent == demo_db.parent and made.name.startswith(f"{demo_db.stem}-backup-2026-11-30-")
    assert Store.open(made).counts() == Store.open(demo_db).counts()


def test_it_never_overwrites_without_force_nor_touches_the_databases_own_files(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "b.json"
    target.write_text("mine")
    assert refused(demo_db, "backup", str(target)) == f"tpm: {target}: exists (--force replaces it)"
    assert target.read_text() == "mine"
    ok("backup", str(target), "--force", "--db", str(demo_db))
    assert Store.open(target).counts()["tasks"] == 40
    for own in (demo_db, Path(f"{demo_db}.wal"), Path(f"{demo_db}.bak")):
        assert refused(demo_db, "backup", str(own), "--force").endswith(
            "that is the database or one of its own files; name another file")
    missing = tmp_path / "none.json"
    before = disk_state(demo_db)
    result = cli("backup", str(tmp_path / "x.json"), "--db", str(missing))
    assert result.exit_code != 0 and "nothing to back up yet" in result.output
    assert not missing.exists() and disk_state(demo_db) == before
