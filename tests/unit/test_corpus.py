"""The real-world corpus in ../shared/ics-corpus: every file imports or is refused with one line.

Expected occurrences are worked out by hand from the files and RFC 5545/5546 (see
the comment on each). Corpus files are read in place, never copied into the repo.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import disk_state
from tests.unit.test_ics_fixtures import fmt

from tpm_tui.domain import ImportFailed
from tpm_tui.ics.parse import parse_calendar
from tpm_tui.logic.recurrence import MeetingIndex
from tpm_tui.services.imports import FileReport, import_sources
from tpm_tui.storage import Store

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "ics-corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-world corpus not present at {CORPUS}")


def _manifest_malformed() -> set[str]:
    manifest = CORPUS / "MANIFEST.md"
    if not manifest.exists():
        return set()
    return set(re.findall(r"^\| `([^`]+)` \|.*MALFORMED", manifest.read_text(encoding="utf-8"), re.MULTILINE))


READ_FROM_MAIL = {"tb__single-event-mime-message.ics"}
"""Listed as malformed (a whole e-mail saved as .ics): tpm reads the invitation inside it."""
MALFORMED = _manifest_malformed() - READ_FROM_MAIL
FILES = sorted(p.name for p in CORPUS.glob("*.ics")) if CORPUS.is_dir() else []




def days(store: Store, first: date, last: date, tz: str) -> list[tuple[str, str]]:
    view = ZoneInfo(tz)
    start = datetime.combine(first, time(0), tzinfo=view)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=view)
    return [(fmt(o.start, view), o.meeting.summary) for o in MeetingIndex(store.meetings()).between(start, end, view)]


def imp(store: Store, name: str) -> FileReport:
    [r] = import_sources(store, [str(CORPUS / name)])
    return r


def test_manifest_lists_the_malformed_files() -> None:
    assert len(MALFORMED) >= 5
    assert "libical__empty-2446.ics" in MALFORMED
    assert READ_FROM_MAIL <= _manifest_malformed()


def test_an_invitation_saved_as_a_whole_email_is_read_from_its_calendar_part(store: Store) -> None:
    name = "tb__single-event-mime-message.ics"
    r = imp(store, name)
    assert (r.error, r.added) == (None, 1)
    assert any("an e-mail message; its invitation (the text/calendar part) was read" in w for w in r.warnings)
    [m] = store.meetings()
    assert (m.uid, m.summary, m.location, m.organizer) == ("02e79b96", "Single Event", "Somewhere", "sender@example.com")
    # quoted-printable undone: CN=3DSender is CN=Sender
    assert [(a.email, a.name, a.partstat) for a in m.attendees] == [
        ("sender@example.com", "Sender", "ACCEPTED"),
        ("receiver@example.com", "Receiver", "NEEDS-ACTION"),
        ("other@example.com", "Other", "NEEDS-ACTION"),
    ]
    assert days(store, date(2022, 3, 16), date(2022, 3, 16), "UTC") == [("2022-03-16 11:00+0000", "Single Event")]


@pytest.mark.parametrize("name", FILES)
def test_every_file_imports_or_is_refused_with_one_line(name: str, tmp_path: Path) -> None:
    data = (CORPUS / name).read_bytes()
    if name in MALFORMED:
        with pytest.raises(ImportFailed) as err:
            parse_calendar(data, source=name)
        message = str(err.value)
        assert message.startswith(f"{name}: ") and "\n" not in message and len(message) < 200
        db = tmp_path / "db.json"
        r = imp(Store.open(db), name)
        assert r.error is not None and not db.exists()
    else:
        result = parse_calendar(data, source=name)
        assert result.meetings or result.replies
        assert all(w.startswith(f"{name}: ") and "\n" not in w for w in result.warnings)
        db = tmp_path / "db.json"
        first = imp(Store.open(db), name)
        assert first.error is None
        before = disk_state(db)
        again = imp(Store.open(db), name)
        assert (again.added, again.updated, again.cancelled) == (0, 0, 0)
        assert disk_state(db) == before


def test_khal_override_applied_once_not_twice(store: Store) -> None:
    # weekly Mondays 07:00 Berlin until 2014-08-06 06:00Z; the 07-07 instance (05:00Z) moved to 09:00
    imp(store, "khal__event_rrule_recuid.ics")
    assert days(store, date(2014, 6, 28), date(2014, 8, 10), "Europe/Berlin") == [
        ("2014-06-30 07:00+0200", "Arbeit"),
        ("2014-07-07 09:00+0200", "Arbeit"),
        ("2014-07-14 07:00+0200", "Arbeit"),
        ("2014-07-21 07:00+0200", "Arbeit"),
        ("2014-07-28 07:00+0200", "Arbeit"),
        ("2014-08-04 07:00+0200", "Arbeit"),
    ]


def test_khal_cancelled_override_disappears(store: Store) -> None:
    imp(store, "khal__event_rrule_recuid_cancelled.ics")
    got = [d for d, _ in days(store, date(2014, 7, 1), date(2014, 7, 31), "Europe/Berlin")]
    assert got == ["2014-07-07 09:00+0200", "2014-07-21 07:00+0200", "2014-07-28 07:00+0200"]


def test_khal_override_listed_before_master(store: Store) -> None:
    imp(store, "khal__mult_uids_and_recuid_no_order.ics")
    got = [d for d, _ in days(store, date(2014, 7, 6), date(2014, 7, 8), "Europe/Berlin")]
    assert got == ["2014-07-07 09:00+0200"]


def test_nodeical_non_utc_until_across_us_dst(store: Store) -> None:
    # daily 14:00 New York, UNTIL 20240315T140000 (no Z: read in New York) -> Mar 1..15
    imp(store, "nodeical__non-utc-until-ny.ics")
    got = [d for d, _ in days(store, date(2024, 2, 28), date(2024, 3, 20), "America/New_York")]
    assert len(got) == 15
    assert got[0] == "2024-03-01 14:00-0500"
    assert got[8:11] == ["2024-03-09 14:00-0500", "2024-03-10 14:00-0400", "2024-03-11 14:00-0400"]
    assert got[-1] == "2024-03-15 14:00-0400"


def test_ical4j_standup_windows_display_name(store: Store) -> None:
    imp(store, "ical4j__Standup.ics")
    [m] = store.meetings()
    assert m.tzid == "Australia/Sydney"
    # weekdays 09:30; Sydney left summer time on Sunday 2009-04-05
    got = [d for d, _ in days(store, date(2009, 4, 3), date(2009, 4, 6), "Australia/Sydney")]
    assert got == ["2009-04-03 09:30+1100", "2009-04-06 09:30+1000"]


def test_thunderbird_outlook_invite_fle_standard_time(store: Store) -> None:
    imp(store, "tb__outlook-test-invite.ics")
    assert days(store, date(2021, 11, 27), date(2021, 11, 27), "UTC") == [("2021-11-27 07:00+0000", "Testaus")]


def test_icalnet_biweekly_thursdays(store: Store) -> None:
    imp(store, "icalnet__Bug2959692.ics")
    got = [d for d, _ in days(store, date(2008, 2, 1), date(2008, 4, 15), "Europe/Warsaw")]
    assert got == [
        "2008-02-14 17:00+0100",
        "2008-02-28 17:00+0100",
        "2008-03-13 17:00+0100",
        "2008-03-27 17:00+0100",
        "2008-04-10 17:00+0200",
    ]


def test_exchange_whole_day_moved_recurrence(store: Store) -> None:
    # all-day Tue/Thu from Thu 2026-02-19; the 02-26 instance (RECURRENCE-ID at local midnight) moved to 02-27
    imp(store, "nodeical__exchange_whole_day_moved_recurrence.ics")
    got = [d for d, _ in days(store, date(2026, 2, 16), date(2026, 3, 6), "Europe/Berlin")]
    assert got == ["2026-02-19", "2026-02-24", "2026-02-27", "2026-03-03", "2026-03-05"]


def test_khal_date_rdate_without_duplicates(store: Store) -> None:
    imp(store, "khal__event_d_rdate.ics")
    got = [d for d, _ in days(store, date(2015, 8, 1), date(2015, 8, 31), "Europe/Berlin")]
    assert got == ["2015-08-12", "2015-08-13", "2015-08-14", "2015-08-15"]


def test_nodeical_duplicate_uid_highest_sequence(store: Store) -> None:
    r = imp(store, "nodeical__duplicate-uid-sequence.ics")
    assert r.added == 2
    assert days(store, date(2024, 1, 15), date(2024, 1, 20), "UTC") == [
        ("2024-01-15 10:00+0000", "Team Meeting (SEQUENCE 2)"),
        ("2024-01-20 14:00+0000", "Updated version (SEQUENCE 3) - should win"),
    ]


def test_thunderbird_import_without_uids_does_not_duplicate(store: Store) -> None:
    assert imp(store, "tb__import.ics").added == 4
    r = imp(store, "tb__import.ics")
    assert (r.added, r.unchanged) == (0, 4)
    assert len(store.meetings()) == 4
    got = [d for d, _ in days(store, date(2019, 1, 1), date(2019, 1, 1), "Asia/Tokyo")]
    assert got == ["2019-01-01 15:00", "2019-01-01 16:00", "2019-01-01 17:00", "2019-01-01 18:00"]


def test_thunderbird_scenario_in_sequence(store: Store) -> None:
    def when() -> list[tuple[str, str]]:
        return days(store, date(2022, 3, 15), date(2022, 3, 19), "UTC")

    assert imp(store, "tb__repeat-event.ics").added == 1
    assert [d for d, _ in when()] == ["2022-03-16 11:00+0000", "2022-03-17 11:00+0000", "2022-03-18 11:00+0000"]
    r = imp(store, "tb__repeat-update-major.ics")  # SEQUENCE 2: moved to 05:00Z
    assert (r.updated, r.unchanged) == (1, 0)
    assert [d for d, _ in when()] == ["2022-03-16 05:00+0000", "2022-03-17 05:00+0000", "2022-03-18 05:00+0000"]
    # override for the 03-17 11:00Z instance (of the old times), moved to 05:00Z: shown once
    assert imp(store, "tb__exception-major.ics").added == 1
    assert [d for d, _ in when()] == ["2022-03-16 05:00+0000", "2022-03-17 05:00+0000", "2022-03-18 05:00+0000"]
    # CANCEL with SEQUENCE 1 after SEQUENCE 2: stale per RFC 5546, ignored
    r = imp(store, "tb__cancel-single-event.ics")
    assert (r.cancelled, r.unchanged) == (0, 1)
    r = imp(store, "tb__cancel-repeat-event.ics")
    assert (r.cancelled, r.unchanged) == (0, 1)
    assert len(when()) == 3


def test_thunderbird_cancel_in_order_removes_the_series(store: Store) -> None:
    imp(store, "tb__repeat-event.ics")
    r = imp(store, "tb__cancel-single-event.ics")  # SEQUENCE 1 > 0, no RECURRENCE-ID: the whole UID
    assert r.cancelled == 1
    assert days(store, date(2022, 3, 15), date(2022, 3, 19), "UTC") == []
    r = imp(store, "tb__cancel-repeat-event.ics")  # no DTSTART; same SEQUENCE, earlier DTSTAMP: stale
    assert (r.cancelled, r.error) == (0, None)
    assert days(store, date(2022, 3, 15), date(2022, 3, 19), "UTC") == []


def test_cancel_repeat_event_without_dtstart_on_empty_store(store: Store) -> None:
    r = imp(store, "tb__cancel-repeat-event.ics")
    assert (r.cancelled, r.error) == (1, None)
    assert imp(store, "tb__repeat-event.ics").unchanged == 1  # SEQUENCE 0 < 1: the cancellation holds
    assert days(store, date(2022, 3, 15), date(2022, 3, 19), "UTC") == []


def test_google_override_before_master_denver(store: Store) -> None:
    imp(store, "nodeical__google-recurrence-order.ics")
    got = [d for d, _ in days(store, date(2026, 2, 9), date(2026, 2, 13), "America/Denver")]
    assert got == ["2026-02-10 10:00-0700", "2026-02-11 10:30-0700", "2026-02-12 10:00-0700"]


def test_exchange_customized_time_zone_across_us_dst_end(store: Store) -> None:
    imp(store, "nodeical__bad_ms_tz.ics")
    assert store.meetings()[0].tzid == "America/New_York"
    got = [d for d, _ in days(store, date(2020, 10, 29), date(2020, 11, 3), "UTC")]
    assert got == ["2020-10-29 14:35+0000", "2020-11-03 15:35+0000"]


def test_status_cancelled_events_are_omitted(store: Store) -> None:
    imp(store, "icalnet__EventStatus.ics")
    assert [s for _, s in days(store, date(2025, 1, 1), date(2025, 1, 4), "UTC")] == [
        "No status",
        "Confirmed",
        "Tentative",
    ]


def test_whole_day_override_moved_over_berlin_dst(store: Store) -> None:
    imp(store, "nodeical__whole_day_moved_over_dst_change_berlin.ics")
    got = [d for d, _ in days(store, date(2024, 10, 26), date(2024, 11, 2), "Europe/Berlin")]
    assert got == ["2024-10-27", "2024-10-29", "2024-10-30"]


def test_x_wr_timezone_google_utc_times(store: Store) -> None:
    imp(store, "xwr__single-events-DTSTART-DTEND.in.ics")
    assert all(m.tzid == "America/New_York" for m in store.meetings())
    assert days(store, date(2021, 12, 22), date(2021, 12, 22), "America/New_York")[0][0] == "2021-12-22 12:00-0500"
