"""services.imports: iTIP semantics, one transaction per file, idempotency, bad input."""

from __future__ import annotations

import os
from email.message import EmailMessage
import random
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import disk_state

from tpm_tui.logic.recurrence import MeetingIndex
from tpm_tui.services.imports import FileReport, import_sources
from tpm_tui.storage import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
BERLIN = ZoneInfo("Europe/Berlin")


def fx(name: str) -> str:
    return str(FIXTURES / name)


def one(store: Store, name: str, **kw: object) -> FileReport:
    [report] = import_sources(store, [fx(name)], **kw)  # type: ignore[arg-type]
    return report


def counts(r: FileReport) -> tuple[int, int, int, int, int]:
    return (r.added, r.updated, r.cancelled, r.unchanged, r.skipped)


def berlin_days(store: Store, first: date, last: date) -> list[tuple[str, str]]:
    start = datetime.combine(first, time(0), tzinfo=BERLIN)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=BERLIN)
    out = []
    for o in MeetingIndex(store.meetings()).between(start, end, BERLIN):
        assert isinstance(o.start, datetime)
        out.append((o.uid, o.start.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M%z")))
    return out


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "db.json"


def test_summary_line_format() -> None:
    r = FileReport("team.ics", added=12, updated=3, cancelled=1, unchanged=40, skipped=2)
    assert r.summary_line() == "team.ics: 12 added, 3 updated, 1 cancelled, 40 unchanged, 2 skipped"
    assert FileReport("x.ics", error="not an iCalendar file").summary_line() == "x.ics: error: not an iCalendar file"


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.ics")))
def test_every_fixture_twice_is_byte_identical_after_first_import(db: Path, name: str) -> None:
    store = Store.open(db)
    first = one(store, name)
    assert first.error is None, first.summary_line()
    before = disk_state(db) if db.exists() else b""
    stamp = os.stat(db).st_mtime_ns if db.exists() else None
    again = one(Store.open(db), name)
    assert again.error is None
    assert (again.added, again.updated, again.cancelled) == (0, 0, 0), again.summary_line()
    assert again.unchanged == first.added + first.updated + first.cancelled + first.unchanged
    assert (disk_state(db) if db.exists() else b"") == before
    assert (os.stat(db).st_mtime_ns if db.exists() else None) == stamp  # not even rewritten


def test_update_and_cancel_sequence(db: Path) -> None:
    store = Store.open(db)
    uid = "seq-series-1@example.com"
    r = one(store, "seq_1_invite.ics")
    assert counts(r) == (1, 0, 0, 0, 0)
    assert berlin_days(store, date(2026, 3, 1), date(2026, 4, 30)) == [
        (uid, "2026-03-16 10:00+0100"),
        (uid, "2026-03-23 10:00+0100"),
        (uid, "2026-03-30 10:00+0200"),
        (uid, "2026-04-06 10:00+0200"),
    ]
    r = one(store, "seq_2_update_moved.ics")
    assert counts(r) == (0, 1, 0, 0, 0)
    assert len(store.meetings()) == 1
    assert berlin_days(store, date(2026, 3, 1), date(2026, 4, 30)) == [
        (uid, "2026-03-16 14:00+0100"),
        (uid, "2026-03-23 14:00+0100"),
        (uid, "2026-03-30 14:00+0200"),
        (uid, "2026-04-06 14:00+0200"),
    ]
    r = one(store, "seq_3_cancel_occurrence.ics")
    assert counts(r) == (0, 0, 1, 0, 0)
    assert berlin_days(store, date(2026, 3, 1), date(2026, 4, 30)) == [
        (uid, "2026-03-16 14:00+0100"),
        (uid, "2026-03-23 14:00+0100"),
        (uid, "2026-04-06 14:00+0200"),
    ]
    # the old invite arrives late: stale, ignored, reported
    before = disk_state(db)
    r = one(store, "seq_stale_update.ics")
    assert counts(r) == (0, 0, 0, 1, 0)
    assert any("older than the stored version" in w for w in r.warnings)
    assert disk_state(db) == before
    assert store.meeting(uid).summary == "Architecture sync"  # type: ignore[union-attr]
    r = one(store, "seq_4_cancel_series.ics")
    assert counts(r) == (0, 0, 1, 0, 0)
    assert berlin_days(store, date(2026, 3, 1), date(2026, 4, 30)) == []
    # and a re-send of the original invite does not resurrect it
    r = one(store, "seq_1_invite.ics")
    assert counts(r) == (0, 0, 0, 1, 0)
    assert berlin_days(store, date(2026, 3, 1), date(2026, 4, 30)) == []
    assert store.meeting(uid).cancelled  # type: ignore[union-attr]


def test_cancel_before_invite_is_kept_as_tombstone(store: Store) -> None:
    r = one(store, "seq_4_cancel_series.ics")
    assert counts(r) == (0, 0, 1, 0, 0)
    r = one(store, "seq_2_update_moved.ics")  # SEQUENCE 1 < 3: stale
    assert counts(r) == (0, 0, 0, 1, 0)
    assert berlin_days(store, date(2026, 3, 1), date(2026, 4, 30)) == []


def test_dry_run_lists_changes_and_writes_nothing(db: Path) -> None:
    store = Store.open(db)
    one(store, "seq_1_invite.ics")
    before = disk_state(db)
    r = one(store, "seq_2_update_moved.ics", dry_run=True)
    assert counts(r) == (0, 1, 0, 0, 0)
    assert r.changes == ["moved: Architecture sync 2026-03-16 10:00 Europe/Berlin -> 2026-03-16 14:00 Europe/Berlin"]
    assert disk_state(db) == before
    assert store.meeting("seq-series-1@example.com").sequence == 0  # type: ignore[union-attr]
    r = one(store, "kolkata_organiser.ics", dry_run=True)
    assert r.changes == ["new: India sprint review 2026-03-10 18:30 Asia/Kolkata"]
    r = one(store, "seq_3_cancel_occurrence.ics", dry_run=True)
    assert r.changes == ["cancelled: Canceled: Architecture sync 2026-03-30 14:00 Europe/Berlin"]
    assert disk_state(db) == before


def test_method_reply_updates_partstat(store: Store) -> None:
    one(store, "reply_invite.ics")
    r = one(store, "method_reply.ics")
    assert counts(r) == (0, 1, 0, 0, 0)
    m = store.meeting("reply-target-1@example.com")
    assert m is not None
    assert [(a.email, a.partstat) for a in m.attendees] == [
        ("bob@example.com", "ACCEPTED"),
        ("carol@example.com", "NEEDS-ACTION"),
    ]
    assert m.summary == "Budget"  # the reply's "Accepted: Budget" does not rename it
    assert counts(one(store, "method_reply.ics")) == (0, 0, 0, 1, 0)


def test_reply_to_unknown_meeting_is_skipped(store: Store) -> None:
    r = one(store, "method_reply.ics")
    assert counts(r) == (0, 0, 0, 0, 1)
    assert "not in the database" in r.warnings[0]
    assert store.meetings() == []


def test_override_first_then_master_in_a_later_file(store: Store) -> None:
    assert counts(one(store, "exchange_override_only.ics")) == (1, 0, 0, 0, 0)
    assert counts(one(store, "exchange_series_for_override.ics")) == (1, 0, 0, 0, 0)
    ny = ZoneInfo("America/New_York")
    got = MeetingIndex(store.meetings()).between(datetime(2026, 3, 1, tzinfo=ny), datetime(2026, 4, 1, tzinfo=ny), ny)
    assert [o.start.strftime("%m-%d %H:%M") for o in got] == ["03-04 11:00", "03-12 14:00", "03-18 11:00"]  # type: ignore[union-attr]


def test_higher_master_sequence_drops_older_overrides_not_resent(store: Store) -> None:
    one(store, "override_utc_recurrence_id_before_master.ics")
    assert store.meeting("ovr-utc-1@google.com", "20260309T150000Z") is not None
    text = (FIXTURES / "override_utc_recurrence_id_before_master.ics").read_text()
    master_only = text[text.index("BEGIN:VEVENT", text.index("END:VEVENT")) :]
    new = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + master_only.replace("SEQUENCE:0", "SEQUENCE:2").replace(
        "T110000", "T083000"
    )
    [r] = import_sources(store, ["-"], stdin=new.encode())
    assert counts(r) == (0, 1, 0, 0, 0), r.summary_line()
    assert store.meeting("ovr-utc-1@google.com", "20260309T150000Z") is None
    assert len(store.meetings()) == 1


def test_calendar_name_is_kept(store: Store) -> None:
    one(store, "kolkata_organiser.ics", calendar="work")
    assert store.meeting("kolkata-1@google.com").calendar == "work"  # type: ignore[union-attr]
    r = one(store, "kolkata_organiser.ics")  # no --calendar: keeps "work", nothing changes
    assert counts(r) == (0, 0, 0, 1, 0)
    assert store.meeting("kolkata-1@google.com").calendar == "work"  # type: ignore[union-attr]


def test_directory_and_stdin_sources(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "b.ics").write_bytes((FIXTURES / "kolkata_organiser.ics").read_bytes())
    (folder / "a.ICS").write_bytes((FIXTURES / "empty_summary.ics").read_bytes())
    (folder / "notes.txt").write_text("not a calendar")
    # an invitation saved from a mail client: the whole e-mail, the calendar inside
    invite = EmailMessage()
    invite["Subject"] = "Invitation: Monthly"
    invite.set_content("You are invited.")
    invite.add_alternative((FIXTURES / "monthly_count_exdate.ics").read_text(), subtype="calendar")
    (folder / "c.eml").write_bytes(invite.as_bytes())
    data = (FIXTURES / "allday_multiday.ics").read_bytes()
    reports = import_sources(store, [str(folder), "-"], stdin=data)
    assert [Path(r.source).name for r in reports] == ["a.ICS", "b.ics", "c.eml", "<stdin>"]
    assert all(r.added == 1 and r.error is None for r in reports)
    [empty] = import_sources(store, [str(tmp_path)])
    assert empty.error == "folder has no .ics or .eml files"
    [missing] = import_sources(store, [str(tmp_path / "nope.ics")])
    assert missing.summary_line() == f"{tmp_path / 'nope.ics'}: error: no such file"


def test_a_failing_file_leaves_the_database_and_the_others_import(db: Path, tmp_path: Path) -> None:
    store = Store.open(db)
    one(store, "seq_1_invite.ics")
    before = disk_state(db)
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T000000Z\r\n")
    reports = import_sources(store, [str(bad), fx("kolkata_organiser.ics")])
    assert reports[0].error == "truncated iCalendar file (no END:VCALENDAR)"
    assert reports[0].summary_line() == f"{bad}: error: truncated iCalendar file (no END:VCALENDAR)"
    assert reports[1].added == 1
    assert disk_state(db) != before
    assert len(Store.open(db).meetings()) == 2


def _assert_refused_cleanly(db: Path, data: bytes, expect: str) -> None:
    store = Store.open(db)
    one(store, "kolkata_organiser.ics")
    before = disk_state(db)
    t0 = clock.perf_counter()
    [r] = import_sources(store, ["-"], stdin=data)
    assert clock.perf_counter() - t0 < 2.0
    assert r.error is not None and "\n" not in r.error and expect in r.error, r.error
    assert r.summary_line().startswith("<stdin>: error: ")
    assert disk_state(db) == before


def test_random_bytes_are_refused(db: Path) -> None:
    rng = random.Random(7)
    _assert_refused_cleanly(db, bytes(rng.randrange(256) for _ in range(5000)), "not an iCalendar file")


def test_random_printable_text_is_refused(db: Path) -> None:
    rng = random.Random(8)
    text = "".join(rng.choice("abcdefXYZ:;= \r\n") for _ in range(3000)).encode()
    _assert_refused_cleanly(db, text, "not an iCalendar file")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_files_are_refused(db: Path, cut: float) -> None:
    data = (FIXTURES / "outlook_single_w_europe_standard_time.ics").read_bytes()
    _assert_refused_cleanly(db, data[: int(len(data) * cut)], "truncated")


_EVENT = "BEGIN:VEVENT\r\nUID:x@example.com\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Review\r\n"


@pytest.mark.parametrize(
    ("body", "expect"),
    [
        # the event is cut short but the calendar is closed: icalendar finds no calendar at all
        (_EVENT + "END:VCALENDAR\r\n", "line 3: BEGIN:VEVENT has no END:VEVENT (END:VCALENDAR comes first, line 7)"),
        (_EVENT + "END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "line 7: END:VALARM without a BEGIN:VALARM"),
        (_EVENT + "BEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
         "line 7: BEGIN:VALARM has no END:VALARM (END:VEVENT comes first, line 9)"),
    ],
)
def test_unpaired_components_are_named_with_their_line(db: Path, body: str, expect: str) -> None:
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + body).encode()
    _assert_refused_cleanly(db, data, expect)


def test_nesting_is_not_blamed_when_it_pairs_up() -> None:
    from tpm_tui.ics.parse import _nesting_problem

    good = "BEGIN:VCALENDAR\r\n" + _EVENT + "BEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    assert _nesting_problem(good) is None
    assert _nesting_problem(good.lower()) is None  # names are case-insensitive
    assert _nesting_problem(good.replace("END:VEVENT", "END:VEVENT \t")) is None  # trailing blanks
    assert _nesting_problem(good.replace("END:VEVENT\r\n", "")) == (
        "line 2: BEGIN:VEVENT has no END:VEVENT (END:VCALENDAR comes first, line 8)"
    )


def test_vcard_and_email_are_refused(db: Path) -> None:
    _assert_refused_cleanly(db, b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nEND:VCARD\r\n", "vCard")
    _assert_refused_cleanly(
        db, b"MIME-Version: 1.0\r\nFrom: a@b.c\r\nSubject: hi\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "e-mail"
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_an_invite_saved_as_unicode_text_with_its_mark_imports_like_utf8(store: Store, tmp_path: Path,
                                                                         encoding: str) -> None:
    """Windows tools save "Unicode" text as UTF-16 with a byte-order mark (Notepad, PowerShell's
    Out-File): the same invitation reads the same."""
    data = (FIXTURES / "outlook_single_w_europe_standard_time.ics").read_bytes().decode("utf-8")
    path = tmp_path / "unicode.ics"
    mark = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((mark + data).encode(encoding))
    [report] = import_sources(store, [str(path)])
    assert report.error is None and report.warnings == [] and report.added == 1, report
    utf8 = Store.in_memory()
    import_sources(utf8, [fx("outlook_single_w_europe_standard_time.ics")])
    assert store.meetings() == utf8.meetings()


def test_a_utf16_mark_before_bytes_that_are_not_utf16_is_one_line(db: Path) -> None:
    _assert_refused_cleanly(db, b"\xff\xfeB\x00\x00\xd8", "marked as UTF-16 but not valid UTF-16 text")


def test_empty_input_is_refused(db: Path) -> None:
    _assert_refused_cleanly(db, b"", "empty")
    _assert_refused_cleanly(db, b"\r\n \r\n", "empty")


def test_huge_description_imports_within_two_seconds(db: Path) -> None:
    body = "x" * (20 * 1024 * 1024)
    folded = "\r\n ".join(body[i : i + 74] for i in range(0, len(body), 74))
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:big-1\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART:20260301T090000Z\r\nDTEND:20260301T100000Z\r\n"
        f"SUMMARY:Big\r\nDESCRIPTION:{folded}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    store = Store.open(db)
    t0 = clock.perf_counter()
    [r] = import_sources(store, ["-"], stdin=data)
    assert clock.perf_counter() - t0 < 2.0
    assert (r.added, r.error) == (1, None)
    assert any("longer than 262,144 characters cut" in w for w in r.warnings)
    assert any("description of" in w and "cut to 65,536" in w for w in r.warnings)
    assert len(store.meeting("big-1").description) == 64 * 1024  # type: ignore[union-attr]
    assert db.stat().st_size < 1024 * 1024


@pytest.mark.parametrize("name", ["rrule_bomb_secondly.ics", "rrule_bomb_count.ics"])
def test_rrule_bombs_import_with_warning_and_expand_bounded(db: Path, name: str) -> None:
    store = Store.open(db)
    t0 = clock.perf_counter()
    r = one(store, name)
    assert r.error is None and r.added >= 1
    assert any("FREQ=" in w or "COUNT=" in w for w in r.warnings)
    utc = ZoneInfo("UTC")
    index = MeetingIndex(Store.open(db).meetings())
    day = index.between(datetime(2026, 6, 1, tzinfo=utc), datetime(2026, 6, 2, tzinfo=utc), utc)
    week = index.between(datetime(2026, 6, 1, tzinfo=utc), datetime(2026, 6, 8, tzinfo=utc), utc)
    assert clock.perf_counter() - t0 < 2.0
    assert 1 <= len(day) <= 2000 + 1
    assert len(week) <= 2 * 2000 + 7
    if name == "rrule_bomb_count.ics":
        daily = [o for o in day if o.uid == "bomb-count@example.org"]
        assert [o.start for o in daily] == [datetime(2026, 6, 1, 9, 0, tzinfo=utc)]
    else:
        assert day[0].start == datetime(2026, 6, 1, 0, 0, 0, tzinfo=utc)
