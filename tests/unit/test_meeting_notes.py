"""My notes on meetings: ``tpm meeting note|notes``, kept apart from what calendars send."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from tests.conftest import cli, disk_state, one_error_line
from tpm_tui.domain import StoreError
from tpm_tui.storage import Store, migrations


def notes(db: Path, uid: str) -> dict[str, list[str]]:
    """The note texts on each occurrence of meeting ``uid``, by occurrence key."""
    return {n.occurrence: [x.text for x in n.notes] for n in Store.open(db).meeting_notes() if n.uid == uid}


def test_a_note_goes_to_one_occurrence_and_undo_takes_it_back(demo_db: Path) -> None:
    db = str(demo_db)
    first = cli("meeting", "note", "demo-standup", "Ask Priya about the PCI freeze", "--db", db)  # today's (Mon)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == "note on Daily stand-up (Mon 30 Nov)  (tpm undo reverts it)\n"
    assert cli("meeting", "note", "demo-standup", "Lena is out", "--on", "tue", "--db", db).exit_code == 0
    assert cli("meeting", "note", "demo-standup", "and Tom too", "--on", "tue", "--db", db).exit_code == 0
    friday = notes(demo_db, "demo-standup@tpm").pop("20261127T150000Z")  # the demo's, of last Friday's
    assert len(friday) == 2
    assert notes(demo_db, "demo-standup@tpm") == {"20261127T150000Z": friday,
                                                  "20261130T150000Z": ["Ask Priya about the PCI freeze"],
                                                  "20261201T150000Z": ["Lena is out", "and Tom too"]}
    listed = cli("meeting", "notes", "demo-standup@tpm", "--db", db).stdout.splitlines()[3:]  # after Friday's
    assert listed[0] == "Mon 30 Nov 2026 16:00  Daily stand-up" and listed[1].endswith("  Ask Priya about the PCI freeze")
    assert listed[2] == "Tue 01 Dec 2026 16:00  Daily stand-up" and len(listed) == 5
    as_json = json.loads(cli("meeting", "notes", "demo-stand", "--format", "json", "--db", db).stdout)
    assert [(n["occurrence"], len(n["notes"])) for n in as_json] == [
        ("20261127T150000Z", 2), ("20261130T150000Z", 1), ("20261201T150000Z", 2)]
    assert as_json[1]["summary"] == "Daily stand-up" and as_json[1]["start"] == "2026-11-30T16:00:00+01:00"
    assert cli("undo", "--db", db).stdout.startswith("Undone: note on Daily stand-up (Tue 01 Dec)")
    assert notes(demo_db, "demo-standup@tpm")["20261201T150000Z"] == ["Lena is out"]
    assert cli("redo", "--db", db).exit_code == 0
    assert notes(demo_db, "demo-standup@tpm")["20261201T150000Z"] == ["Lena is out", "and Tom too"]


def test_notes_outlive_an_update_a_re_export_and_a_cancellation(demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    invite = tmp_path / "review.ics"
    event = (b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:review@x\n"
             b"DTSTAMP:20261125T080000Z\nSEQUENCE:%d\nDTSTART:20261202T140000Z\nDTEND:20261202T150000Z\n"
             b"SUMMARY:Architecture review\nORGANIZER:mailto:priya@example.com\n"
             b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com\n%bEND:VEVENT\nEND:VCALENDAR\n")
    invite.write_bytes(event % (0, b""))
    assert cli("import", str(invite), "--calendar", "work", "--db", db).exit_code == 0
    assert cli("meeting", "note", "review@x", "Bring the latency numbers", "--db", db).exit_code == 0
    invite.write_bytes(event % (1, b"LOCATION:Room 4\n"))  # the organizer's update
    assert cli("import", str(invite), "--calendar", "work", "--replace", "--db", db).exit_code == 0
    invite.write_bytes(event % (2, b"STATUS:CANCELLED\n"))
    assert cli("import", str(invite), "--db", db).exit_code == 0
    assert notes(demo_db, "review@x") == {"": ["Bring the latency numbers"]}
    assert cli("calendar", "remove", "work", "--db", db).exit_code == 0  # the meeting itself is gone
    shown = cli("meeting", "notes", "review@x", "--db", db)
    assert shown.exit_code == 0 and shown.stdout.splitlines() == [
        "Wed 02 Dec 2026 15:00  Architecture review", shown.stdout.splitlines()[1]]
    assert shown.stdout.splitlines()[1].endswith("Bring the latency numbers")


def test_what_cannot_be_noted_is_one_line_and_changes_nothing(demo_db: Path) -> None:
    db = str(demo_db)
    state = disk_state(demo_db)
    for args, needle in ((["demo-vendor", "x", "--on", "fri"], "is not a series: leave --on out"),
                         (["demo-standup", "x", "--on", "sat"], "'Daily stand-up' has no occurrence on Sat 05 Dec"),
                         (["nothing-like-it", "x"], "no meeting with UID 'nothing-like-it'"),
                         (["demo-standup", "   "], "TEXT: the note is empty"),
                         (["demo-standup", "x" * 2001], "at most 2,000 in one note")):
        result = cli("meeting", "note", *args, "--db", db)
        assert result.exit_code != 0 and needle in one_error_line(result), (args, result.stderr)
    assert disk_state(demo_db) == state
    assert cli("meeting", "notes", "demo-vendor", "--db", db).stdout.startswith("No notes on it yet")
    missing = cli("meeting", "notes", "gone@nowhere", "--db", db)
    assert missing.exit_code != 0 and "no notes under it" in one_error_line(missing)


def test_notes_are_shown_literally_on_the_command_line(demo_db: Path) -> None:
    db = str(demo_db)
    assert cli("meeting", "note", "demo-vendor", "\x1b[31mred\x1b[0m [b]bold[/b]", "--db", db).exit_code == 0
    out = cli("meeting", "notes", "demo-vendor", "--db", db).stdout
    assert "\x1b" not in out and "[b]bold[/b]" in out


def test_a_schema_1_file_gains_the_notes_table_with_a_backup(tmp_path: Path, demo_db: Path) -> None:
    data = orjson.loads(demo_db.read_bytes())
    data.pop("notes", None)
    data["meta"] = {"1": {"schema_version": 1}}
    old = tmp_path / "old.json"
    old.write_bytes(orjson.dumps(data))
    original = old.read_bytes()
    store = Store.open(old)
    assert store.schema_version() == migrations.SCHEMA_VERSION == 2 and store.meeting_notes() == []
    assert (tmp_path / "old.json.v1.bak").read_bytes() == original
    assert orjson.loads(old.read_bytes())["notes"] == {} and len(store.tasks()) == 40


@pytest.mark.parametrize(("doc", "field"), [
    ({"uid": "", "occurrence": "", "start": "2026-12-01", "notes": []}, "field 'uid' is empty"),
    ({"uid": "a@x", "occurrence": "", "start": "soon", "notes": []}, "field 'start': expected a date or a time"),
    ({"uid": "a@x", "occurrence": "", "start": "2026-12-01", "notes": [{"at": "2026-12-01", "text": "x"}]},
     "field 'notes at': expected a time with its zone"),
    ({"uid": "a@x", "occurrence": "", "start": "2026-12-01", "notes": "x"}, "field 'notes': expected a list of notes"),
])
def test_a_notes_record_edited_by_hand_is_named_in_one_line(demo_db: Path, doc: dict, field: str) -> None:
    data = orjson.loads(demo_db.read_bytes())
    data["notes"] = {"1": {"key": f"{doc['uid']}|", **doc}}
    demo_db.write_bytes(orjson.dumps(data))
    before = demo_db.read_bytes()
    with pytest.raises(StoreError) as err:
        Store.open(demo_db).meeting_notes()
    assert field in str(err.value) and "notes record 1" in str(err.value) and "\n" not in str(err.value)
    assert demo_db.read_bytes() == before


def test_the_agenda_says_how_many_notes_each_meeting_has(demo_db: Path) -> None:
    db = str(demo_db)
    assert cli("meeting", "note", "demo-vendor", "Ask for the SLA", "--db", db).exit_code == 0
    text = cli("agenda", "--days", "1", "--db", db).stdout.splitlines()
    assert [line.split(maxsplit=1)[1] for line in text if "✎" in line] == ["Vendor call: card processor  ✎ 1 note"]
    (day,) = json.loads(cli("agenda", "--days", "1", "--format", "json", "--db", db).stdout)["days"]
    assert {m["summary"]: m["notes"] for m in day["meetings"]}["Vendor call: card processor"] == 1
    assert sum(m["notes"] for m in day["meetings"]) == 1  # today's stand-up has none (Friday's has two)
    friday = json.loads(cli("agenda", "--from", "2026-11-27", "--days", "1", "--format", "json", "--db", db).stdout)
    assert [m["notes"] for m in friday["days"][0]["meetings"] if m["summary"] == "Daily stand-up"] == [2]


def test_a_note_says_the_meeting_s_day_in_my_zone_not_the_organizer_s(demo_db: Path, tmp_path: Path) -> None:
    tokyo = tmp_path / "tokyo.ics"  # Tue 01 Dec 07:00 in Tokyo is Mon 30 Nov 23:00 in Berlin
    tokyo.write_bytes(b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nBEGIN:VEVENT\nUID:tokyo@x\n"
                      b"DTSTAMP:20261125T080000Z\nDTSTART;TZID=Asia/Tokyo:20261201T070000\n"
                      b"DTEND;TZID=Asia/Tokyo:20261201T073000\nSUMMARY:Sync with Yuki\n"
                      b"ORGANIZER:mailto:yuki@example.com\nATTENDEE:mailto:sam@example.com\nEND:VEVENT\nEND:VCALENDAR\n")
    assert cli("import", str(tokyo), "--db", str(demo_db)).exit_code == 0
    said = cli("meeting", "note", "tokyo@x", "Backfill numbers", "--db", str(demo_db)).stdout
    assert said.startswith("note on Sync with Yuki (Mon 30 Nov)")
    assert cli("meeting", "notes", "tokyo@x", "--db", str(demo_db)).stdout.startswith("Mon 30 Nov 2026 23:00  Sync")


def test_every_meeting_s_notes_and_a_search_through_them(demo_db: Path) -> None:
    db = str(demo_db)
    assert cli("meeting", "note", "demo-vendor", "Ask for the SLA; PCI freeze date?", "--db", db).exit_code == 0
    every = cli("meeting", "notes", "--db", db).stdout.splitlines()
    heads = [line for line in every if not line.startswith("  ")]
    assert heads == ["Fri 27 Nov 2026 16:00  Daily stand-up  (demo-standup@tpm)",
                     "Mon 30 Nov 2026 10:30  Vendor call: card processor  (demo-vendor@tpm)"]
    found = cli("meeting", "notes", "--search", "pci FREEZE", "--db", db).stdout.splitlines()
    assert found[0].startswith("Mon 30 Nov 2026 10:30  Vendor call") and len(found) == 2
    one = json.loads(cli("meeting", "notes", "demo-standup", "--search", "marcus", "--format", "json", "--db", db).stdout)
    assert [[x["text"] for x in n["notes"]] for n in one] == [
        ["Staging DB credentials expire Wednesday: Marcus renews them"]]
    assert cli("meeting", "notes", "--search", "nothing like it", "--db", db).stdout == "No note has 'nothing like it'\n"


def test_a_note_is_fixed_or_removed_by_its_number_and_undo_puts_it_back(demo_db: Path) -> None:
    db = str(demo_db)
    friday = ["--on", "2026-11-27", "--db", db]
    listed = cli("meeting", "notes", "demo-standup", "--db", db).stdout.splitlines()
    assert [line.split(".")[0].strip() for line in listed[1:]] == ["1", "2"]  # numbered, oldest first
    fixed = cli("meeting", "note", "demo-standup", "--fix", "2", "Diego unblocked: Ava paired with him", *friday)
    assert fixed.stdout == "note 2 on Daily stand-up (Fri 27 Nov) fixed  (tpm undo reverts it)\n"
    assert notes(demo_db, "demo-standup@tpm")["20261127T150000Z"][1] == "Diego unblocked: Ava paired with him"
    # a search keeps each note's own number, the one --fix and --rm take
    found = cli("meeting", "notes", "demo-standup", "--search", "diego", "--db", db).stdout.splitlines()
    assert found[1].startswith("  2. 27 Nov 16:20  Diego unblocked")
    assert cli("meeting", "note", "demo-standup", "--rm", "1", *friday).exit_code == 0
    assert notes(demo_db, "demo-standup@tpm")["20261127T150000Z"] == ["Diego unblocked: Ava paired with him"]
    assert cli("meeting", "note", "demo-standup", "--rm", "last", *friday).exit_code == 0
    assert "demo-standup@tpm" not in cli("meeting", "notes", "--db", db).stdout  # none left: not listed
    assert cli("undo", "--db", db).exit_code == 0 and cli("undo", "--db", db).exit_code == 0
    assert cli("undo", "--db", db).exit_code == 0
    assert notes(demo_db, "demo-standup@tpm")["20261127T150000Z"][1].startswith("Diego blocked on the Android 12")
    state = disk_state(demo_db)
    for args, needle in (
        (["--fix", "3", "text"], "note 3: there are 2 notes (1 is the oldest)"),
        (["--rm", "0"], "--rm: '0' is not a note's number (1 is the oldest; or last)"),
        (["--rm", "1", "text"], "--rm N takes no TEXT"),
        (["--fix", "1"], "--fix N: give the note's new TEXT"),
        (["--fix", "1", "   "], "--fix N: give the note's new TEXT"),
        (["--fix", "1", "--rm", "1", "x"], "--fix and --rm: one at a time"),
    ):
        refused = cli("meeting", "note", "demo-standup", *args, *friday)
        assert refused.exit_code != 0 and needle in one_error_line(refused), args
    refused = cli("meeting", "note", "demo-standup", "--rm", "1", "--db", db)  # today's has none
    assert refused.exit_code != 0 and one_error_line(refused).endswith(
        "no notes on Daily stand-up (Mon 30 Nov) to change: n in Today adds one (tpm meeting note UID TEXT --on DATE)")
    assert cli("meeting", "note", "demo-standup", "--db", db).exit_code != 0  # no text, nothing to do
    assert disk_state(demo_db) == state


def test_notes_as_minutes_in_markdown_for_one_day(demo_db: Path) -> None:
    db = str(demo_db)
    assert cli("meeting", "note", "demo-standup", "Ship *1.2* on Friday\nLena writes the notes", "--db", db).exit_code == 0
    minutes = cli("meeting", "notes", "demo-standup", "--on", "2026-11-27", "--format", "markdown", "--db", db).stdout
    assert minutes.splitlines() == [
        "## Daily stand-up — Fri 27 Nov 2026 16:00",
        "",
        "Invited: Sam Okafor, Lena Vogel, Tom Becker, Priya Raman, Marcus Chen, Diego Alvarez",
        "",
        "- Staging DB credentials expire Wednesday: Marcus renews them",
        "- Diego blocked on the Android 12 camera crash; pair him with Ava",
    ]
    today = cli("meeting", "notes", "demo-standup", "--on", "today", "--format", "markdown", "--db", db).stdout
    assert "- Ship \\*1.2\\* on Friday\n  Lena writes the notes\n" in today  # literal in the e-mail, lines kept
    assert today.count("## Daily stand-up") == 1 and "Fri 27 Nov" not in today
    assert cli("meeting", "notes", "demo-standup", "--on", "2026-11-26", "--db", db).stdout == "No notes on '2026-11-26'\n"


def test_notes_follow_their_days_when_the_organizer_moves_the_series(demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    invite = tmp_path / "sync.ics"
    event = (b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:sync@x\n"
             b"DTSTAMP:20261125T080000Z\nSEQUENCE:%d\nDTSTART;TZID=Europe/Berlin:%b\nDURATION:PT30M\n"
             b"RRULE:%b\nSUMMARY:Vendor sync\nORGANIZER:mailto:priya@example.com\n"
             b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com\nEND:VEVENT\nEND:VCALENDAR\n")
    invite.write_bytes(event % (0, b"20261201T100000", b"FREQ=WEEKLY;BYDAY=TU"))
    assert cli("import", str(invite), "--db", db).exit_code == 0
    assert cli("meeting", "note", "sync@x", "Ask about the SLA", "--on", "2026-12-08", "--db", db).exit_code == 0
    assert notes(demo_db, "sync@x") == {"20261208T090000Z": ["Ask about the SLA"]}
    # the organizer moves every Tuesday to 11:30: the note stays with Tuesday 8 Dec
    invite.write_bytes(event % (1, b"20261201T113000", b"FREQ=WEEKLY;BYDAY=TU"))
    moved = cli("import", str(invite), "--db", db)
    assert moved.exit_code == 0, moved.stderr
    assert notes(demo_db, "sync@x") == {"20261208T103000Z": ["Ask about the SLA"]}
    shown = cli("meeting", "notes", "sync@x", "--on", "2026-12-08", "--db", db).stdout
    assert shown.startswith("Tue 08 Dec 2026 11:30  Vendor sync") and "Ask about the SLA" in shown
    # one undo takes the update back, the note's key with it
    assert cli("undo", "--db", db).stdout.startswith("Undone: import of ")
    assert notes(demo_db, "sync@x") == {"20261208T090000Z": ["Ask about the SLA"]}
    assert cli("redo", "--db", db).exit_code == 0
    assert notes(demo_db, "sync@x") == {"20261208T103000Z": ["Ask about the SLA"]}
    # a new repeat (Wednesdays): which day becomes which is not known, the note stays where it was
    invite.write_bytes(event % (2, b"20261202T113000", b"FREQ=WEEKLY;BYDAY=WE"))
    assert cli("import", str(invite), "--db", db).exit_code == 0
    assert notes(demo_db, "sync@x") == {"20261208T103000Z": ["Ask about the SLA"]}
