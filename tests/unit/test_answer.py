"""Answering an invitation: ``tpm answer UID accept|tentative|decline [--reply FILE]``."""

from __future__ import annotations

import json
from pathlib import Path

from icalendar import Calendar

from tests.conftest import NOW, TODAY, TZ, cli, disk_state, one_error_line
from tpm_tui.services.brief import daily_brief
from tpm_tui.storage import Store


def partstat(db: Path, uid: str, email: str = "sam@example.com") -> set[str]:
    """Sam's answer on every stored part of the meeting (the demo's "me" is Sam)."""
    return {a.partstat for m in Store.open(db).meetings() if m.uid == uid for a in m.attendees if a.email == email}


def meeting_hours(db: Path, handle: str = "sam") -> float:
    """Sam's meeting hours this week, unrounded (the JSON brief rounds to 0.1h)."""
    brief = daily_brief(Store.open(db), TODAY, TZ, NOW)
    return next(w.meeting_hours for w in brief.workload if w.person.handle == handle)


def test_decline_frees_the_time_writes_the_reply_and_undo_takes_it_back(demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    hours = meeting_hours(demo_db)
    reply = tmp_path / "reply.ics"
    result = cli("answer", "demo-train", "decline", "--reply", str(reply), "--db", db)  # a prefix of the UID
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Declined: Secure coding training (seminar)  (tpm undo reverts it)",
        f"{reply}: reply to training@example.com written (send it from your mail, or open it in your calendar)",
    ]
    assert partstat(demo_db, "demo-training@tpm") == {"DECLINED"}
    assert meeting_hours(demo_db) == hours - 1.5  # the 90-minute seminar no longer takes Sam's time
    # the reply: what the organizer's calendar reads
    cal = Calendar.from_ical(reply.read_bytes())
    assert str(cal["METHOD"]) == "REPLY"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "demo-training@tpm" and str(event["ORGANIZER"]) == "mailto:training@example.com"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:sam@example.com" and attendee.params["PARTSTAT"] == "DECLINED"
    assert cli("undo", "--db", db).stdout.startswith("Undone: Declined: Secure coding training (seminar)")
    assert partstat(demo_db, "demo-training@tpm") == {"ACCEPTED"} and meeting_hours(demo_db) == hours


def test_the_reply_imported_by_the_organizer_records_the_answer(demo_db: Path, tmp_path: Path) -> None:
    organizer = tmp_path / "organizer.json"  # the organizer's own tpm, which has the meeting as Sam had it
    assert cli("demo", "--db", str(organizer)).exit_code == 0
    reply = tmp_path / "maybe.ics"
    assert cli("answer", "demo-training@tpm", "maybe", "--reply", str(reply), "--db", str(demo_db)).exit_code == 0
    imported = cli("import", str(reply), "--db", str(organizer))
    assert imported.exit_code == 0 and ", 1 updated," in imported.stdout
    assert partstat(organizer, "demo-training@tpm") == {"TENTATIVE"}


def test_a_series_is_answered_whole_and_answering_again_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    series = tmp_path / "sync.ics"  # a weekly sync organised by Priya, one week moved
    series.write_bytes(
        b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nMETHOD:REQUEST\n"
        b"BEGIN:VEVENT\nUID:sync@x\nDTSTAMP:20261201T080000Z\nDTSTART:20261201T120000Z\nDTEND:20261201T123000Z\n"
        b"RRULE:FREQ=WEEKLY\nSUMMARY:Weekly sync\nORGANIZER:mailto:priya@example.com\n"
        b"ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:sam@example.com\nEND:VEVENT\n"
        b"BEGIN:VEVENT\nUID:sync@x\nRECURRENCE-ID:20261208T120000Z\nDTSTAMP:20261201T080000Z\n"
        b"DTSTART:20261208T130000Z\nDTEND:20261208T133000Z\nSUMMARY:Weekly sync (moved)\n"
        b"ORGANIZER:mailto:priya@example.com\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:sam@example.com\n"
        b"END:VEVENT\nEND:VCALENDAR\n")
    assert cli("import", str(series), "--db", db).exit_code == 0
    assert cli("answer", "sync@x", "tentative", "--db", db).stdout.startswith("Tentatively accepted: Weekly sync  (")
    parts = [m for m in Store.open(demo_db).meetings() if m.uid == "sync@x"]
    assert len(parts) == 2 and partstat(demo_db, "sync@x") == {"TENTATIVE"}  # the series and its moved week
    state = disk_state(demo_db)
    again = cli("answer", "sync@x", "maybe", "--db", db)
    assert again.stdout.strip() == "Tentatively accepted: Weekly sync (already your answer)"
    assert disk_state(demo_db) == state
    # one undo takes both parts back
    assert cli("undo", "--db", db).exit_code == 0 and partstat(demo_db, "sync@x") == {"NEEDS-ACTION"}


def test_what_cannot_be_answered_is_one_line_and_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    state = disk_state(demo_db)
    for args, needle in (
        (["demo-training@tpm", "perhaps"], "ANSWER: 'perhaps' is not an answer (accept, tentative or decline)"),
        (["nothing-like-it", "accept"], "no meeting with UID 'nothing-like-it'"),
        (["demo", "accept"], "UID 'demo' names 11 meetings"),
        (["demo-planning@tpm", "accept"], "you organise 'Sprint planning — Payments API': there is nothing to answer"),
        (["demo-training@tpm", "accept", "--reply", str(tmp_path / "no" / "r.ics")], "--reply: "),
    ):
        result = cli("answer", *args, "--db", str(demo_db))
        assert result.exit_code != 0 and needle in one_error_line(result), (args, result.stderr)
        assert disk_state(demo_db) == state
    (demo_db.parent / "noone").mkdir()
    nobody = demo_db.parent / "noone" / "db.json"  # a database where nobody is "me"
    lone = demo_db.parent / "lone.ics"
    lone.write_bytes(b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nBEGIN:VEVENT\nUID:lone@x\n"
                     b"DTSTAMP:20261201T080000Z\nDTSTART:20261202T090000Z\nDTEND:20261202T100000Z\n"
                     b"SUMMARY:Lone\nEND:VEVENT\nEND:VCALENDAR\n")
    assert cli("import", str(lone), "--db", str(nobody)).exit_code == 0
    result = cli("answer", "lone@x", "accept", "--db", str(nobody))
    assert result.exit_code != 0 and "tpm set me HANDLE" in one_error_line(result)


def test_an_invitation_that_does_not_name_me_adds_me_with_the_answer(demo_db: Path, tmp_path: Path) -> None:
    forwarded = tmp_path / "fwd.ics"
    forwarded.write_bytes(b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nMETHOD:REQUEST\nBEGIN:VEVENT\n"
                          b"UID:fwd-1@x\nDTSTAMP:20261201T080000Z\nDTSTART:20261202T150000Z\nDTEND:20261202T160000Z\n"
                          b"SUMMARY:Forwarded review\nORGANIZER:mailto:boss@example.org\n"
                          b"ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:lena@example.com\nEND:VEVENT\nEND:VCALENDAR\n")
    assert cli("import", str(forwarded), "--db", str(demo_db)).exit_code == 0
    assert cli("answer", "fwd-1@x", "accept", "--db", str(demo_db)).exit_code == 0
    assert partstat(demo_db, "fwd-1@x") == {"ACCEPTED"} and partstat(demo_db, "fwd-1@x", "lena@example.com") == {
        "NEEDS-ACTION"}


DAILY = (b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:daily@x\n"
         b"DTSTAMP:20261125T080000Z\nDTSTART;TZID=Europe/Berlin:20261130T130000\n"
         b"DTEND;TZID=Europe/Berlin:20261130T133000\nRRULE:FREQ=DAILY;COUNT=10\nSUMMARY:Daily sync\n"
         b"ORGANIZER:mailto:priya@example.com\nATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com\n"
         b"END:VEVENT\nEND:VCALENDAR\n")


def imported_daily(demo_db: Path, tmp_path: Path, data: bytes = DAILY) -> Path:
    """The daily sync's invite (``data``) written to a file and imported: the file."""
    invite = tmp_path / "daily.ics"
    invite.write_bytes(data)
    assert cli("import", str(invite), "--db", str(demo_db)).exit_code == 0
    return invite


def test_one_occurrence_of_a_series_is_answered_alone(demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    imported_daily(demo_db, tmp_path)
    hours = meeting_hours(demo_db)
    reply = tmp_path / "reply.ics"
    result = cli("answer", "daily@x", "decline", "--on", "2026-12-02", "--reply", str(reply), "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Declined: Daily sync (Wed 02 Dec only)  (tpm undo reverts it)"
    parts = {m.recurrence_id: m for m in Store.open(demo_db).meetings() if m.uid == "daily@x"}
    assert set(parts) == {None, "20261202T120000Z"}  # the series, and Wednesday's exception (13:00 Berlin)
    mine = {rid: next(a.partstat for a in m.attendees if a.email == "sam@example.com") for rid, m in parts.items()}
    assert mine == {None: "ACCEPTED", "20261202T120000Z": "DECLINED"}
    (event,) = Calendar.from_ical(reply.read_bytes()).walk("VEVENT")
    assert event.decoded("RECURRENCE-ID").isoformat() == "2026-12-02T12:00:00+00:00"
    # that day's half hour no longer takes Sam's time; the other days of the week still do
    assert meeting_hours(demo_db) == hours - 0.5
    assert cli("undo", "--db", db).exit_code == 0
    assert {m.recurrence_id for m in Store.open(demo_db).meetings() if m.uid == "daily@x"} == {None}
    for args, needle in ((["daily@x", "decline", "--on", "2026-12-25"], "'Daily sync' has no occurrence on Fri 25 Dec"),
                         (["demo-training@tpm", "decline", "--on", "mon"], "is not a series: answer it without --on")):
        refused = cli("answer", *args, "--db", db)
        assert refused.exit_code != 0 and needle in one_error_line(refused)


def test_invites_lists_what_waits_for_my_answer_until_it_is_answered(demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    imported_daily(demo_db, tmp_path, DAILY.replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=NEEDS-ACTION"))
    lines = cli("invites", "--db", db).stdout.splitlines()
    assert lines[0] == "Waiting for your answer (next 14 days, Europe/Berlin):"
    # the series once, at its next occurrence (13:00 today, the clock at 08:30), and the demo's go/no-go
    assert lines[1].split()[:6] == ["Mon", "30", "Nov", "13:00–13:30", "Daily", "sync"]
    assert lines[1].endswith("from priya@example.com  daily@x") and "(daily, 10 times)" in lines[1]
    assert lines[2].endswith("demo-go-no-go@tpm") and lines[-1].startswith("tpm answer UID")
    as_json = json.loads(cli("invites", "--format", "json", "--db", db).stdout)
    assert [i["uid"] for i in as_json] == ["daily@x", "demo-go-no-go@tpm"] and as_json[0]["recurring"] is True
    assert cli("answer", "daily", "accept", "--db", db).exit_code == 0
    assert [line.split()[-1] for line in cli("invites", "--db", db).stdout.splitlines()[1:-1]] == ["demo-go-no-go@tpm"]
    assert cli("answer", "demo-go", "decline", "--db", db).exit_code == 0
    assert cli("invites", "--db", db).stdout == "No invitation waits for your answer in the next 14 days.\n"


# ------------------------------------------------------------ my answer outlives a new version


def my_answers(db: Path, uid: str) -> dict[str | None, str]:
    """Sam's answer on each stored part of the meeting, by RECURRENCE-ID (None: the series)."""
    return {m.recurrence_id: a.partstat for m in Store.open(db).meetings() if m.uid == uid
            for a in m.attendees if a.email == "sam@example.com"}


def updated(invite: bytes, *, sequence: int, stamp: bytes = b"20261201T090000Z", **changes: bytes) -> bytes:
    """The organizer's next version of ``invite``: another SEQUENCE and DTSTAMP, lines changed."""
    out = invite.replace(b"DTSTAMP:20261125T080000Z", b"DTSTAMP:" + stamp).replace(
        b"RRULE:", b"SEQUENCE:%d\nRRULE:" % sequence)
    for old, new in changes.items():
        out = out.replace(old.encode(), new)
    return out


NEEDS = DAILY.replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=NEEDS-ACTION")


def declined_daily(demo_db: Path, tmp_path: Path) -> tuple[str, Path]:
    """The daily sync imported from its invite (NEEDS-ACTION for Sam) and declined: (db, the invite file)."""
    db = str(demo_db)
    invite = imported_daily(demo_db, tmp_path, NEEDS)
    assert cli("answer", "daily@x", "decline", "--db", db).exit_code == 0
    return db, invite


def test_the_same_invite_again_or_an_update_keeps_my_answer(demo_db: Path, tmp_path: Path) -> None:
    db, invite = declined_daily(demo_db, tmp_path)
    state = disk_state(demo_db)
    again = cli("import", str(invite), "--db", db)  # the organizer's mail opened again: it still says NEEDS-ACTION
    assert ", 1 unchanged," in again.stdout and disk_state(demo_db) == state
    # the organizer adds an agenda (a new SEQUENCE, same times): updated, still declined
    invite.write_bytes(updated(NEEDS, sequence=1, **{"SUMMARY:Daily sync\n": b"SUMMARY:Daily sync\nDESCRIPTION:agenda in the doc\n"}))
    assert ", 1 updated," in cli("import", str(invite), "--db", db).stdout
    (series,) = [m for m in Store.open(demo_db).meetings() if m.uid == "daily@x"]
    assert series.description == "agenda in the doc" and my_answers(demo_db, "daily@x") == {None: "DECLINED"}
    assert "Daily sync" not in cli("invites", "--db", db).stdout


def test_a_rescheduled_meeting_asks_again_and_an_answer_in_the_file_wins(demo_db: Path, tmp_path: Path) -> None:
    db, invite = declined_daily(demo_db, tmp_path)
    # moved an hour later: RFC 5546 asks attendees to answer such a version again
    moved = updated(NEEDS, sequence=1, **{"T130000\n": b"T140000\n", "T133000\n": b"T143000\n"})
    invite.write_bytes(moved)
    preview = cli("import", str(invite), "--dry-run", "--db", db).stdout
    assert "(you had declined: answer again)" in preview
    assert cli("import", str(invite), "--db", db).exit_code == 0
    assert my_answers(demo_db, "daily@x") == {None: "NEEDS-ACTION"}
    assert "Daily sync" in cli("invites", "--db", db).stdout
    # my own calendar's export says I accepted: newer knowledge than the answer stored here
    assert cli("answer", "daily@x", "decline", "--db", db).exit_code == 0
    invite.write_bytes(updated(NEEDS, sequence=1, stamp=b"20261201T100000Z",
                               **{"T130000\n": b"T140000\n", "T133000\n": b"T143000\n",
                                  "PARTSTAT=NEEDS-ACTION": b"PARTSTAT=ACCEPTED"}))
    assert cli("import", str(invite), "--db", db).exit_code == 0
    assert my_answers(demo_db, "daily@x") == {None: "ACCEPTED"}


def test_one_occurrence_answer_outlives_a_new_series_unless_it_moves(demo_db: Path, tmp_path: Path) -> None:
    db = str(demo_db)
    invite = imported_daily(demo_db, tmp_path)
    hours = meeting_hours(demo_db)
    assert cli("answer", "daily@x", "decline", "--on", "2026-12-02", "--db", db).exit_code == 0
    # a new version of the series (a new room): Wednesday's decline is made again from it
    invite.write_bytes(updated(DAILY, sequence=1, **{"SUMMARY:Daily sync\n": b"SUMMARY:Daily sync\nLOCATION:Room 2\n"}))
    preview = cli("import", str(invite), "--dry-run", "--db", db).stdout
    assert "kept: your answer (declined) to Daily sync 2026-12-02 13:00 Europe/Berlin" in preview
    assert ", 1 updated," in cli("import", str(invite), "--db", db).stdout
    parts = {m.recurrence_id: m for m in Store.open(demo_db).meetings() if m.uid == "daily@x"}
    assert parts["20261202T120000Z"].location == "Room 2" and parts["20261202T120000Z"].sequence == 1
    assert my_answers(demo_db, "daily@x") == {None: "ACCEPTED", "20261202T120000Z": "DECLINED"}
    assert meeting_hours(demo_db) == hours - 0.5
    # one undo takes the import back: the old series and the old exception
    assert cli("undo", "--db", db).exit_code == 0
    parts = {m.recurrence_id: m for m in Store.open(demo_db).meetings() if m.uid == "daily@x"}
    assert parts["20261202T120000Z"].location == "" and parts[None].sequence == 0
    # the series moved to 14:00: the organizer asks again, Wednesday's exception goes with the old times
    invite.write_bytes(updated(DAILY, sequence=2, **{"T130000\n": b"T140000\n", "T133000\n": b"T143000\n"}))
    preview = cli("import", str(invite), "--dry-run", "--db", db).stdout
    assert "dropped: Daily sync 2026-12-02 13:00 Europe/Berlin (replaced by the new series)" in preview
    assert cli("import", str(invite), "--db", db).exit_code == 0
    assert my_answers(demo_db, "daily@x") == {None: "ACCEPTED"}


def test_replace_keeps_my_answer_to_one_occurrence_but_not_the_organizers_old_exception(demo_db: Path,
                                                                                       tmp_path: Path) -> None:
    db = str(demo_db)
    export = tmp_path / "work.ics"  # the calendar exported each morning
    export.write_bytes(DAILY)
    assert cli("import", str(export), "--calendar", "work", "--db", db).exit_code == 0
    assert cli("answer", "daily@x", "decline", "--on", "2026-12-03", "--db", db).exit_code == 0
    state = disk_state(demo_db)
    again = cli("import", str(export), "--calendar", "work", "--replace", "--db", db)
    assert again.exit_code == 0 and ", 0 removed" in again.stdout and disk_state(demo_db) == state
    assert my_answers(demo_db, "daily@x") == {None: "ACCEPTED", "20261203T120000Z": "DECLINED"}
    # an exception of the organizer's (Friday moved) that the next export no longer has does go
    friday = (b"BEGIN:VEVENT\nUID:daily@x\nRECURRENCE-ID:20261204T120000Z\nDTSTAMP:20261125T080000Z\n"
              b"DTSTART:20261204T150000Z\nDTEND:20261204T153000Z\nSUMMARY:Daily sync (late)\n"
              b"ORGANIZER:mailto:priya@example.com\nATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com\nEND:VEVENT\n")
    export.write_bytes(DAILY.replace(b"END:VCALENDAR", friday + b"END:VCALENDAR"))
    assert cli("import", str(export), "--calendar", "work", "--replace", "--db", db).exit_code == 0
    export.write_bytes(DAILY)
    removed = cli("import", str(export), "--calendar", "work", "--replace", "--db", db)
    assert ", 1 removed" in removed.stdout
    assert my_answers(demo_db, "daily@x") == {None: "ACCEPTED", "20261203T120000Z": "DECLINED"}
