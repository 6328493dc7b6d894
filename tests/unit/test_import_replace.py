"""``tpm import FILE --calendar NAME --replace``: a calendar exported again each morning.

An event deleted at its source is simply missing from the next export (no CANCEL comes),
so the meetings of that calendar the file no longer has are removed, within the span the
file covers, undoably; nothing else is touched."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import cli, disk_state, one_error_line
from tpm_tui.storage import Store


def vevent(uid: str, start: str, end: str, summary: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20261201T080000Z\nDTSTART:{start}\nDTEND:{end}\n"
            f"SUMMARY:{summary}\n{extra}END:VEVENT\n")


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + "".join(events) + "END:VCALENDAR\n").encode()


OLD = vevent("old@x", "20261020T090000Z", "20261020T100000Z", "Kick-off (history)")
BUDGET = vevent("e1@x", "20261202T090000Z", "20261202T100000Z", "Budget review")
DEMO = vevent("e2@x", "20261203T090000Z", "20261203T100000Z", "Vendor demo")
STANDUP = vevent("s1@x", "20261130T083000Z", "20261130T084500Z", "Stand-up", "RRULE:FREQ=DAILY\n")
MOVED = vevent("s1@x", "20261204T100000Z", "20261204T101500Z", "Stand-up (moved)", "RECURRENCE-ID:20261204T083000Z\n")
BOARD = vevent("e3@x", "20261210T090000Z", "20261210T100000Z", "Board prep")
LATER = vevent("far@x", "20270301T090000Z", "20270301T100000Z", "Offsite (beyond the export)")


def keys(db: Path, name: str = "work") -> set[tuple[str, str | None]]:
    return {m.key for m in Store.open(db).meetings() if m.calendar == name and not m.cancelled}


def test_what_the_new_export_no_longer_has_is_removed_and_undo_brings_it_back(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    first, second = tmp_path / "monday.ics", tmp_path / "tuesday.ics"
    first.write_bytes(calendar(OLD, BUDGET, DEMO, STANDUP, MOVED, BOARD, LATER))
    second.write_bytes(calendar(BUDGET, STANDUP, BOARD))  # the demo and the moved stand-up were deleted
    other = tmp_path / "invite.ics"  # a meeting of another calendar, with no calendar name
    other.write_bytes(calendar(vevent("inv@x", "20261203T120000Z", "20261203T130000Z", "Lunch")))
    assert cli("import", str(first), "--calendar", "work", "--db", str(db)).exit_code == 0
    assert cli("import", str(other), "--db", str(db)).exit_code == 0
    before = keys(db)

    dry = cli("import", str(second), "--calendar", "work", "--replace", "--dry-run", "--db", str(db))
    assert dry.exit_code == 0 and keys(db) == before
    assert dry.stdout.splitlines()[0] == (f"{second}: 0 added, 0 updated, 0 cancelled, 3 unchanged, 0 skipped, "
                                          "2 removed (dry run: nothing written)")
    assert sorted(line.strip() for line in dry.stdout.splitlines()[1:]) == [
        "removed: Stand-up (moved) 2026-12-04 10:00 +0000 (not in the file any more)",
        "removed: Vendor demo 2026-12-03 09:00 +0000 (not in the file any more)",
    ]

    done = cli("import", str(second), "--calendar", "work", "--replace", "--db", str(db))
    assert done.exit_code == 0, done.stderr
    assert done.stdout == f"{second}: 0 added, 0 updated, 0 cancelled, 3 unchanged, 0 skipped, 2 removed\n"
    # history before the export's first day and a meeting after its last stay; other calendars too
    assert keys(db) == before - {("e2@x", None), ("s1@x", "20261204T083000Z")}
    assert ("old@x", None) in keys(db) and ("far@x", None) in keys(db) and keys(db, "") == {("inv@x", None)}
    # importing it again changes nothing, not even the file
    state = disk_state(db)
    again = cli("import", str(second), "--calendar", "work", "--replace", "--db", str(db))
    assert again.stdout.endswith(", 0 removed\n") and disk_state(db) == state
    after = keys(db)
    assert cli("undo", "--db", str(db)).stdout.startswith(f"Undone: import of {second} (2 removed)")
    assert keys(db) == before
    assert cli("redo", "--db", str(db)).stdout.startswith(f"Redone: import of {second} (2 removed)")
    assert keys(db) == after


def test_a_series_deleted_at_the_source_goes_with_its_exceptions(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    first.write_bytes(calendar(BUDGET, STANDUP, MOVED, BOARD))
    second.write_bytes(calendar(BUDGET, BOARD))
    cli("import", str(first), "--calendar", "work", "--db", str(db))
    # the series began before the export's first start, but its days run through it
    result = cli("import", str(second), "--calendar", "work", "--replace", "--db", str(db))
    assert result.stdout.endswith(", 2 removed\n")
    assert keys(db) == {("e1@x", None), ("e3@x", None)}


def imported_work(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """Calendar ``work`` imported from a.ics (two meetings): the database, the file, the disk state."""
    db = tmp_path / "db.json"
    f = tmp_path / "a.ics"
    f.write_bytes(calendar(BUDGET, DEMO))
    cli("import", str(f), "--calendar", "work", "--db", str(db))
    return db, f, disk_state(db)


def test_replace_is_refused_without_a_calendar_and_nothing_changes(tmp_path: Path) -> None:
    db, f, state = imported_work(tmp_path)
    for args, needle in (([str(f)], "--replace needs --calendar NAME"),
                         ([str(f), "--calendar", "  "], "--replace needs --calendar NAME")):
        result = cli("import", *args, "--replace", "--db", str(db))
        assert result.exit_code != 0
        assert needle in one_error_line(result)
        assert disk_state(db) == state


def test_an_empty_or_broken_export_removes_nothing(tmp_path: Path) -> None:
    db, f, state = imported_work(tmp_path)
    empty = tmp_path / "empty.ics"
    empty.write_bytes(calendar())
    result = cli("import", str(empty), "--calendar", "work", "--replace", "--db", str(db))
    assert result.exit_code == 0 and result.stdout.endswith(", 0 removed\n")
    assert "no meetings in it: nothing of calendar 'work' removed" in result.stderr
    assert disk_state(db) == state
    broken = tmp_path / "broken.ics"
    broken.write_bytes(calendar(BUDGET)[:-15])  # cut off: no END:VCALENDAR
    result = cli("import", str(broken), "--calendar", "work", "--replace", "--db", str(db))
    assert result.exit_code == 1 and "truncated" in one_error_line(result)
    assert disk_state(db) == state


def test_a_folder_is_the_calendar_together_as_vdirsyncer_keeps_one_event_a_file(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    vdir = tmp_path / "work"
    vdir.mkdir()
    for name, event in (("budget", BUDGET), ("demo", DEMO), ("standup", STANDUP), ("board", BOARD)):
        (vdir / f"{name}.ics").write_bytes(calendar(event))
    first = cli("import", str(vdir), "--calendar", "work", "--replace", "--db", str(db))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines()[-2:] == ["calendar work: 0 removed (in none of the 4 files any more)",
                                              "4 files: 4 added"]
    before = keys(db)
    (vdir / "demo.ics").unlink()  # deleted at the source: the sync removed its file
    dry = cli("import", str(vdir), "--calendar", "work", "--replace", "--dry-run", "--db", str(db))
    assert "  removed: Vendor demo 2026-12-03 09:00 +0000 (not in the files any more)" in dry.stdout.splitlines()
    assert keys(db) == before
    again = cli("import", str(vdir), "--calendar", "work", "--replace", "--db", str(db))
    assert again.stdout.splitlines()[-2:] == ["calendar work: 1 removed (in none of the 3 files any more)",
                                              "3 files: 3 unchanged, 1 removed"]
    assert keys(db) == before - {("e2@x", None)}
    assert cli("undo", "--db", str(db)).exit_code == 0 and keys(db) == before
    # a file that cannot be read: what it holds is not known, so nothing is removed
    (vdir / "board.ics").write_bytes(b"BEGIN:VCALENDAR\nVERSION:2.0\n")
    broken = cli("import", str(vdir), "--calendar", "work", "--replace", "--db", str(db))
    assert broken.exit_code == 1
    assert "calendar work: nothing removed (1 file refused: what it holds is not known)" in broken.stdout
    assert keys(db) == before
