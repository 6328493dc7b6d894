"""Imports and calendar removals are journaled: undo takes a whole file (or calendar) back,
redo applies it again, in one history with the task actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import NOW, cli, disk_state, refused
from tpm_tui.services import triage
from tpm_tui.services.calendars import calendars, remove_calendar
from tpm_tui.services.imports import import_sources
from tpm_tui.storage import Store, codec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"


def meetings(store: Store) -> list[str]:
    """Every stored meeting, whole, in a stable order."""
    return sorted(json.dumps(codec.meeting_to_doc(m), sort_keys=True) for m in store.meetings())


def imported(store: Store, name: str, **kw: object) -> None:
    [report] = import_sources(store, [str(FIXTURES / name)], **kw)  # type: ignore[arg-type]
    assert report.error is None, report.summary_line()


# A history that updates, moves, cancels one occurrence, receives a reply, adds an
# override before its master and then drops overrides with a new series.
STEPS = [
    "seq_1_invite.ics",
    "seq_2_update_moved.ics",
    "seq_3_cancel_occurrence.ics",
    "reply_invite.ics",
    "method_reply.ics",
    "exchange_override_only.ics",
    "exchange_series_for_override.ics",
    "override_utc_recurrence_id_before_master.ics",
    "seq_4_cancel_series.ics",
]


def test_every_import_undoes_to_the_state_before_it_and_redoes_to_the_state_after(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "db.json")
    states = [meetings(store)]
    for name in STEPS:
        imported(store, name)
        states.append(meetings(store))
    assert len({tuple(s) for s in states}) == len(states)  # each step changed something
    for expected in reversed(states[:-1]):
        outcome = triage.undo(store, NOW)
        assert outcome.message.startswith("Undone: import of ")
        assert meetings(store) == expected
    assert triage.undo(store, NOW).message == "Nothing to undo"
    for expected in states[1:]:
        assert triage.redo(store, NOW).message.startswith("Redone: import of ")
        assert meetings(store) == expected
    # and it all reached the disk
    assert meetings(Store.open(tmp_path / "db.json")) == states[-1]


def test_the_entry_names_the_file_and_what_changed(store: Store) -> None:
    imported(store, "seq_1_invite.ics")
    imported(store, "seq_2_update_moved.ics")
    imported(store, "seq_3_cancel_occurrence.ics")
    assert [e.summary for e in store.journal()] == [
        f"import of {FIXTURES / 'seq_1_invite.ics'} (1 added)",
        f"import of {FIXTURES / 'seq_2_update_moved.ics'} (1 updated)",
        f"import of {FIXTURES / 'seq_3_cancel_occurrence.ics'} (1 cancelled)",
    ]


def test_an_import_that_changes_nothing_or_a_dry_run_journals_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    store = Store.open(db)
    imported(store, "kolkata_organiser.ics")
    before = disk_state(db)
    imported(store, "kolkata_organiser.ics")
    imported(store, "seq_1_invite.ics", dry_run=True)
    assert disk_state(db) == before
    assert len(store.journal()) == 1


def test_undo_of_an_import_leaves_the_task_actions_around_it(demo_store: Store) -> None:
    triage.mark_done(demo_store, "API-1", NOW)
    before = meetings(demo_store)
    imported(demo_store, "kolkata_organiser.ics")
    triage.mark_done(demo_store, "API-2", NOW)
    assert triage.undo(demo_store, NOW).task_id == "API-2"
    undone = triage.undo(demo_store, NOW)
    assert undone.task_id is None and undone.entry_id is not None
    assert meetings(demo_store) == before
    assert demo_store.require_task("API-1").status.value == "done"  # the action before it stays


def test_a_big_import_undoes_but_is_redone_by_importing_again(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triage, "REDO_LIMIT", 1)
    imported(store, "two_calendars_one_file_lf.ics")
    after = meetings(store)
    assert len(after) > 1
    triage.undo(store, NOW)
    assert meetings(store) == []
    with pytest.raises(triage.InputError, match=r"too big to keep; import .*two_calendars_one_file_lf\.ics again"):
        triage.redo(store, NOW)
    assert meetings(store) == []
    assert store.journal()[-1].undone  # still undone: the refused redo changed nothing
    imported(store, "two_calendars_one_file_lf.ics")
    assert meetings(store) == after


# ---------------------------------------------------------------- calendars


def test_calendars_are_listed_with_what_they_hold(store: Store) -> None:
    imported(store, "seq_1_invite.ics", calendar="work")
    imported(store, "kolkata_organiser.ics", calendar="work")
    imported(store, "allday_multiday.ics")
    imported(store, "seq_3_cancel_occurrence.ics")  # an override of the work series, filed as given: ""
    got = {c.name: (c.meetings, c.series, c.cancelled) for c in calendars(store)}
    assert got == {"": (2, 0, 1), "work": (2, 1, 0)}
    work = next(c for c in calendars(store) if c.name == "work")
    assert (work.first.isoformat(), work.last.isoformat()) == ("2026-03-10", "2026-03-16")  # type: ignore[union-attr]


def test_removing_a_calendar_is_one_undoable_step(store: Store) -> None:
    imported(store, "seq_1_invite.ics", calendar="work")
    imported(store, "allday_multiday.ics", calendar="home")
    everything = meetings(store)
    outcome = remove_calendar(store, "work", NOW)
    assert outcome.message == "calendar work removed (1 meeting)"
    assert [c.name for c in calendars(store)] == ["home"]
    triage.undo(store, NOW)
    assert meetings(store) == everything
    triage.redo(store, NOW)
    assert [c.name for c in calendars(store)] == ["home"]


def test_cli_calendar_list_remove_undo_redo_history(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    assert cli("import", str(FIXTURES / "seq_1_invite.ics"), "--calendar", "work", "--db", str(db)).exit_code == 0
    assert cli("import", str(FIXTURES / "allday_multiday.ics"), "--db", str(db)).exit_code == 0
    listed = cli("calendar", "list", "--db", str(db)).output.splitlines()
    assert [line.split()[:3] for line in listed] == [["(no", "name)", "1"], ["work", "1", "meetings"]]
    as_json = json.loads(cli("calendar", "list", "--format", "json", "--db", str(db)).output)
    assert [(c["name"], c["meetings"], c["series"]) for c in as_json] == [("", 1, 0), ("work", 1, 1)]

    removed = cli("calendar", "remove", "", "--db", str(db))
    assert removed.output == "calendar (no name) removed (1 meeting)  (tpm undo puts them back)\n"
    history = cli("history", "--db", str(db)).output.splitlines()
    assert [line.split(None, 5)[-1] for line in history] == [
        "← undo  calendar (no name) removed (1 meeting)",
        f"import of {FIXTURES / 'allday_multiday.ics'} (1 added)",
        f"import of {FIXTURES / 'seq_1_invite.ics'} (1 added)",
    ]
    assert cli("undo", "--db", str(db)).output.startswith("Undone: calendar (no name) removed (1 meeting)")
    assert cli("undo", "--db", str(db)).output.startswith("Undone: import of ")
    history = cli("history", "--db", str(db)).output.splitlines()
    assert [line.split()[5] for line in history] == ["undone", "←", "←"]
    assert [line.split()[6] for line in history[1:]] == ["redo", "undo"]
    assert cli("calendar", "list", "--db", str(db)).output.split()[0] == "work"
    assert cli("redo", "--db", str(db)).output.startswith("Redone: import of ")
    assert len(cli("calendar", "list", "--db", str(db)).output.splitlines()) == 2


def test_cli_refuses_an_unknown_calendar_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    assert cli("import", str(FIXTURES / "seq_1_invite.ics"), "--calendar", "work", "--db", str(db)).exit_code == 0
    assert refused(db, "calendar", "remove", "Work") == "tpm: no calendar 'Work' (calendars: 'work')"


def test_cli_history_and_calendars_of_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    assert cli("history", "--db", str(db)).output == "no changes yet\n"
    assert cli("calendar", "list", "--db", str(db)).output.startswith("no meetings yet")


def test_the_files_of_one_folder_import_are_undone_and_redone_together(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("seq_1_invite.ics", "kolkata_organiser.ics", "allday_multiday.ics"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    store = Store.open(tmp_path / "db.json")
    imported(store, "reply_invite.ics")  # a file of its own before: not part of the folder's batch
    before = meetings(store)
    reports = import_sources(store, [str(folder)])
    assert [r.added for r in reports] == [1, 1, 1]
    after = meetings(store)
    batches = {e.extra.get("batch") for e in store.journal()[1:]}
    assert len(batches) == 1 and None not in batches and store.journal()[0].extra.get("batch") is None
    outcome = triage.undo(store, NOW)
    assert outcome.message == "Undone: import of 3 files (3 added)"
    assert meetings(store) == before  # the whole folder, in one undo
    assert triage.redo(store, NOW).message == "Redone: import of 3 files (3 added)"
    assert meetings(store) == after
    triage.undo(store, NOW)
    triage.undo(store, NOW)  # then the file before it, alone
    assert meetings(store) == []
    assert triage.redo(store, NOW).message.startswith("Redone: import of ") and meetings(store) == before
