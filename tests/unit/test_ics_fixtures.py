"""The hand-written fixture corpus: each file parsed and expanded, expectations worked out by hand.

Times are written as they read on a wall clock in the view zone, with its UTC
offset (``+0100``), so each expectation can be checked against a calendar and the
DST tables: the US switches on 2026-03-08 and 2026-11-01, the EU on 2026-03-29
and 2026-10-25, Sydney on 2026-04-05.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import Meeting, When
from tpm_tui.ics.parse import parse_calendar
from tpm_tui.logic.recurrence import expand

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"


def parse(name: str) -> list[Meeting]:
    return parse_calendar((FIXTURES / name).read_bytes(), source=name).meetings


def fmt(value: When, view: ZoneInfo) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.astimezone(view).strftime("%Y-%m-%d %H:%M%z")
    return value.isoformat()


def occurrences(meetings: list[Meeting], first: date, last: date, tz: str) -> list[tuple[str, str, str]]:
    """(uid, start, end) of every occurrence on the local days first..last in ``tz``."""
    view = ZoneInfo(tz)
    start = datetime.combine(first, time(0), tzinfo=view)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=view)
    return [(o.uid, fmt(o.start, view), fmt(o.end, view)) for o in expand(meetings, start, end, view)]


def test_fixture_corpus_is_big_enough() -> None:
    assert len(list(FIXTURES.glob("*.ics"))) >= 30


def test_outlook_w_europe_standard_time_single() -> None:
    [m] = parse("outlook_single_w_europe_standard_time.ics")
    uid = "040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F501000000000000000010000000AABBCCDDEEFF00112233445566778899"
    assert m.uid == uid
    assert m.tzid == "Europe/Berlin"
    assert m.organizer == "anna.schmidt@example.com"
    assert [(a.email, a.name, a.partstat) for a in m.attendees] == [
        ("priya.nair@example.com", "Priya Nair", "NEEDS-ACTION"),
        ("bob@example.com", "bob@example.com", "ACCEPTED"),
    ]
    assert m.categories == ("Planning", "Meeting")
    assert m.description == "Quarterly planning, bring numbers.\n"
    assert m.location == "Room Rhein"
    assert occurrences([m], date(2026, 3, 10), date(2026, 3, 10), "Europe/Berlin") == [
        (uid, "2026-03-10 10:00+0100", "2026-03-10 11:00+0100")
    ]


def test_outlook_pacific_weekly_across_us_dst() -> None:
    ms = parse("outlook_weekly_pacific_standard_time_us_dst.ics")
    assert ms[0].tzid == "America/Los_Angeles"
    uid = "pst-weekly-0001@example.com"
    assert occurrences(ms, date(2026, 2, 20), date(2026, 3, 31), "America/Los_Angeles") == [
        (uid, "2026-02-23 09:00-0800", "2026-02-23 09:30-0800"),
        (uid, "2026-03-02 09:00-0800", "2026-03-02 09:30-0800"),
        (uid, "2026-03-09 09:00-0700", "2026-03-09 09:30-0700"),
        (uid, "2026-03-16 09:00-0700", "2026-03-16 09:30-0700"),
    ]
    # Seen from Berlin the US switch moves it an hour earlier (EU still on winter time).
    assert occurrences(ms, date(2026, 3, 2), date(2026, 3, 9), "Europe/Berlin") == [
        (uid, "2026-03-02 18:00+0100", "2026-03-02 18:30+0100"),
        (uid, "2026-03-09 17:00+0100", "2026-03-09 17:30+0100"),
    ]


def test_google_weekly_berlin_across_eu_dst_and_endless() -> None:
    ms = parse("google_weekly_berlin_eu_dst.ics")
    uid = "5k2j3h4g5f6d7s8a9p0o@google.com"
    assert occurrences(ms, date(2026, 3, 16), date(2026, 4, 3), "Europe/Berlin") == [
        (uid, "2026-03-19 09:00+0100", "2026-03-19 09:15+0100"),
        (uid, "2026-03-26 09:00+0100", "2026-03-26 09:15+0100"),
        (uid, "2026-04-02 09:00+0200", "2026-04-02 09:15+0200"),
    ]
    assert occurrences(ms, date(2026, 3, 26), date(2026, 4, 2), "UTC") == [
        (uid, "2026-03-26 08:00+0000", "2026-03-26 08:15+0000"),
        (uid, "2026-04-02 07:00+0000", "2026-04-02 07:15+0000"),
    ]
    # no UNTIL, no COUNT: still there years later, one a week
    assert occurrences(ms, date(2029, 1, 1), date(2029, 1, 7), "Europe/Berlin") == [
        (uid, "2029-01-04 09:00+0100", "2029-01-04 09:15+0100")
    ]


def test_google_x_wr_timezone_repairs_utc_times() -> None:
    ms = {m.uid: m for m in parse("google_xwr_timezone_utc_times.ics")}
    assert ms["0aa1bb2cc3dd4ee5ff6@google.com"].tzid == "America/New_York"
    assert occurrences(list(ms.values()), date(2026, 10, 26), date(2026, 11, 8), "America/New_York") == [
        ("1bb2cc3dd4ee5ff6gg7@google.com", "2026-10-26 10:00-0400", "2026-10-26 11:00-0400"),
        ("0aa1bb2cc3dd4ee5ff6@google.com", "2026-11-02 10:00-0500", "2026-11-02 11:00-0500"),
        # expanded in New York wall time: still 10:00 after the US switch (15:00Z, not 14:00Z)
        ("1bb2cc3dd4ee5ff6gg7@google.com", "2026-11-02 10:00-0500", "2026-11-02 11:00-0500"),
    ]


@pytest.mark.parametrize("tz", ["Asia/Kolkata", "America/New_York"])
def test_floating_times_stay_floating(tz: str) -> None:
    ms = parse("floating_daily_count.ics")
    assert ms[0].start == datetime(2026, 6, 1, 10, 0) and ms[0].tzid is None
    uid = "floating-daily-1@example.org"
    assert occurrences(ms, date(2026, 5, 31), date(2026, 6, 5), tz) == [
        (uid, "2026-06-01 10:00", "2026-06-01 10:30"),
        (uid, "2026-06-02 10:00", "2026-06-02 10:30"),
        (uid, "2026-06-03 10:00", "2026-06-03 10:30"),
    ]


def test_floating_time_is_read_in_the_view_zone_for_the_window() -> None:
    ms = parse("floating_daily_count.ics")
    view = ZoneInfo("Asia/Kolkata")
    # 04:30Z..05:00Z on June 2 is 10:00..10:30 in Kolkata: the floating 10:00 falls in it
    found = expand(ms, datetime(2026, 6, 2, 4, 30, tzinfo=ZoneInfo("UTC")), datetime(2026, 6, 2, 5, 0, tzinfo=ZoneInfo("UTC")), view)
    assert [o.start for o in found] == [datetime(2026, 6, 2, 10, 0)]


def test_allday_without_dtend_lasts_one_day_in_any_zone() -> None:
    ms = parse("allday_single_no_dtend.ics")
    assert ms[0].all_day and ms[0].start == date(2026, 7, 4) and ms[0].end == date(2026, 7, 5)
    assert ms[0].categories == ("Holiday",)
    for tz in ("Pacific/Auckland", "America/Los_Angeles"):
        assert occurrences(ms, date(2026, 7, 4), date(2026, 7, 4), tz) == [
            ("allday-single-1@example.org", "2026-07-04", "2026-07-05")
        ]
        assert occurrences(ms, date(2026, 7, 5), date(2026, 7, 5), tz) == []
        assert occurrences(ms, date(2026, 7, 3), date(2026, 7, 3), tz) == []


def test_allday_multiday_end_is_exclusive() -> None:
    ms = parse("allday_multiday.ics")
    assert occurrences(ms, date(2026, 7, 8), date(2026, 7, 8), "Europe/Berlin") == [
        ("allday-multi-1@google.com", "2026-07-06", "2026-07-09")
    ]
    assert occurrences(ms, date(2026, 7, 9), date(2026, 7, 9), "Europe/Berlin") == []


def test_duration_instead_of_dtend() -> None:
    ms = parse("duration_instead_of_dtend.ics")
    assert occurrences(ms, date(2026, 5, 5), date(2026, 5, 5), "Europe/London") == [
        ("duration-1@example.org", "2026-05-05 14:00+0100", "2026-05-05 15:30+0100")
    ]


def test_missing_dtend_datetime_is_an_instant_and_date_is_one_day() -> None:
    ms = {m.uid: m for m in parse("no_dtend_datetime_and_date.ics")}
    timed = ms["no-dtend-timed@example.org"]
    assert timed.end == timed.start == datetime(2026, 5, 6, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert ms["no-dtend-date@example.org"].end == date(2026, 5, 8)
    assert occurrences(list(ms.values()), date(2026, 5, 6), date(2026, 5, 7), "UTC") == [
        ("no-dtend-timed@example.org", "2026-05-06 08:00+0000", "2026-05-06 08:00+0000"),
        ("no-dtend-date@example.org", "2026-05-07", "2026-05-08"),
    ]


def test_missing_uid_gets_a_stable_hash() -> None:
    first = parse("no_uid_thunderbird.ics")
    second = parse("no_uid_thunderbird.ics")
    assert [m.uid for m in first] == [m.uid for m in second]
    assert all(m.uid.startswith("tpm-nouid-") for m in first)
    assert len({m.uid for m in first}) == 2
    assert [m.summary for m in first] == ["Lunch with Sam", "Dentist"]


def test_override_only_exchange_then_series_in_a_later_file() -> None:
    [override] = parse("exchange_override_only.ics")
    # RECURRENCE-ID 11:00 "Eastern Standard Time" on 2026-03-11 is 11:00 EDT = 15:00Z
    assert override.recurrence_id == "20260311T150000Z"
    uid = "exchange-series-77@example.com"
    assert occurrences([override], date(2026, 3, 1), date(2026, 3, 31), "America/New_York") == [
        (uid, "2026-03-12 14:00-0400", "2026-03-12 15:00-0400")
    ]
    series = parse("exchange_series_for_override.ics")
    assert occurrences(series + [override], date(2026, 3, 1), date(2026, 3, 31), "America/New_York") == [
        (uid, "2026-03-04 11:00-0500", "2026-03-04 12:00-0500"),
        (uid, "2026-03-12 14:00-0400", "2026-03-12 15:00-0400"),
        (uid, "2026-03-18 11:00-0400", "2026-03-18 12:00-0400"),
    ]


def test_range_thisandfuture_moves_the_rest_of_the_series() -> None:
    ms = parse("range_thisandfuture.ics")
    uid = "range-1@example.org"
    view = ZoneInfo("Europe/Paris")
    got = expand(ms, datetime(2026, 1, 1, tzinfo=view), datetime(2026, 3, 1, tzinfo=view), view)
    assert [(fmt(o.start, view), fmt(o.end, view), o.meeting.summary) for o in got] == [
        ("2026-01-06 10:00+0100", "2026-01-06 11:00+0100", "Paris weekly"),
        ("2026-01-13 10:00+0100", "2026-01-13 11:00+0100", "Paris weekly"),
        ("2026-01-20 10:00+0100", "2026-01-20 11:00+0100", "Paris weekly"),
        ("2026-01-27 14:00+0100", "2026-01-27 14:30+0100", "Paris weekly (afternoons)"),
        ("2026-02-03 14:00+0100", "2026-02-03 14:30+0100", "Paris weekly (afternoons)"),
        ("2026-02-10 14:00+0100", "2026-02-10 14:30+0100", "Paris weekly (afternoons)"),
    ]
    assert all(o.uid == uid for o in got)


def test_windows_fle_standard_time_across_eu_dst_end() -> None:
    ms = parse("windows_fle_standard_time_eu_dst.ics")
    assert ms[0].tzid in ("Europe/Kiev", "Europe/Kyiv", "Europe/Helsinki")
    assert occurrences(ms, date(2026, 10, 19), date(2026, 10, 31), ms[0].tzid or "UTC") == [
        ("fle-weekly-1@example.fi", "2026-10-20 15:00+0300", "2026-10-20 16:00+0300"),
        ("fle-weekly-1@example.fi", "2026-10-27 15:00+0200", "2026-10-27 16:00+0200"),
    ]


def test_outlook_2003_canberra_name_is_sydney_across_its_dst_end() -> None:
    ms = parse("outlook2003_canberra_sydney.ics")
    assert ms[0].tzid == "Australia/Sydney"
    assert ms[0].uid.endswith("0000SYDNEYSTANDUP")
    uid = ms[0].uid
    assert occurrences(ms, date(2026, 4, 1), date(2026, 4, 10), "Australia/Sydney") == [
        (uid, "2026-04-02 09:00+1100", "2026-04-02 09:30+1100"),
        (uid, "2026-04-09 09:00+1000", "2026-04-09 09:30+1000"),
    ]


def test_custom_vtimezone_matched_to_iana_keeps_wall_time_across_us_dst() -> None:
    ms = parse("custom_vtimezone_us_eastern_rules.ics")
    assert ms[0].tzid == "America/New_York"
    assert occurrences(ms, date(2026, 10, 26), date(2026, 11, 8), "UTC") == [
        ("custom-tz-weekly@example.com", "2026-10-27 14:00+0000", "2026-10-27 15:00+0000"),
        ("custom-tz-weekly@example.com", "2026-11-03 15:00+0000", "2026-11-03 16:00+0000"),
    ]


def test_custom_vtimezone_without_iana_match_is_stored_as_utc_instants() -> None:
    result = parse_calendar((FIXTURES / "custom_vtimezone_no_iana_match.ics").read_bytes(), source="mars.ics")
    [m] = result.meetings
    assert m.tzid is None
    # 10:17 at +05:17 is 05:00Z
    assert m.start == datetime(2026, 6, 10, 5, 0, tzinfo=ZoneInfo("UTC"))
    assert m.end == datetime(2026, 6, 10, 6, 0, tzinfo=ZoneInfo("UTC"))
    assert any("Mars Base Time" in w and w.startswith("mars.ics: ") for w in result.warnings)


def test_kolkata_organiser_seen_from_berlin() -> None:
    ms = parse("kolkata_organiser.ics")
    assert ms[0].tzid == "Asia/Kolkata"
    assert occurrences(ms, date(2026, 3, 10), date(2026, 3, 10), "Europe/Berlin") == [
        ("kolkata-1@google.com", "2026-03-10 14:00+0100", "2026-03-10 15:00+0100")
    ]
    assert [a.email for a in ms[0].attendees] == ["ravi.kumar@example.in", "anna.schmidt@example.com"]


def test_sydney_organiser_lands_on_the_previous_day_in_berlin() -> None:
    ms = parse("sydney_organiser_iana.ics")
    assert ms[0].organizer == "liam.oconnor@example.com.au"
    assert occurrences(ms, date(2026, 3, 9), date(2026, 3, 9), "Europe/Berlin") == [
        ("8F1E2D3C-4B5A-6978-8A9B-0C1D2E3F4A5B", "2026-03-09 22:00+0100", "2026-03-09 23:00+0100")
    ]
    assert occurrences(ms, date(2026, 3, 10), date(2026, 3, 10), "Europe/Berlin") == []


def test_non_ascii_folded_lf_file() -> None:
    raw = (FIXTURES / "non_ascii_folded_lf.ics").read_bytes()
    assert b"\r\n" not in raw
    [m] = parse("non_ascii_folded_lf.ics")
    assert m.summary == "Réunion d'équipe – Überblick 会議 with a long title that is folded over two lines"
    assert m.description == "Zeile eins\nZeile zwei, mit Komma; und Semikolon – naïve café"
    assert m.location == "Zürich, Raum «Säntis»"
    assert occurrences([m], date(2026, 2, 12), date(2026, 2, 12), "Europe/Zurich") == [
        ("unicode-1@example.org", "2026-02-12 13:00+0100", "2026-02-12 14:00+0100")
    ]


def test_empty_summary_is_kept_empty() -> None:
    [m] = parse("empty_summary.ics")
    assert m.summary == ""
    assert occurrences([m], date(2026, 2, 13), date(2026, 2, 13), "UTC") == [
        ("empty-summary-1@example.org", "2026-02-13 09:00+0000", "2026-02-13 09:30+0000")
    ]


def test_outlook_2007_tab_folding_crlf() -> None:
    raw = (FIXTURES / "outlook2007_tab_folded_crlf.ics").read_bytes()
    assert b"\r\n\t" in raw
    [m] = parse("outlook2007_tab_folded_crlf.ics")
    assert m.uid == "040000008200E00074C5B7101A82E00800000000TABFOLD000000000000000000010000000TABFOLDED"
    assert m.description == (
        "This description is long enough that Outlook 2007 folds it with a tab character "
        "at the start of the continuation line.\n"
    )


def test_status_cancelled_is_omitted_tentative_kept() -> None:
    ms = parse("status_cancelled_publish.ics")
    assert {m.uid: m.status for m in ms} == {"apple-cancelled-1": "CANCELLED", "apple-tentative-1": "TENTATIVE"}
    assert occurrences(ms, date(2026, 4, 20), date(2026, 4, 20), "America/Vancouver") == [
        ("apple-tentative-1", "2026-04-20 11:00-0700", "2026-04-20 12:00-0700")
    ]


def test_exdate_in_utc_and_in_tzid_both_remove_their_occurrence() -> None:
    ms = parse("exdate_in_utc_for_tzid_series.ics")
    uid = "exdate-utc-1@example.org"
    assert occurrences(ms, date(2026, 3, 1), date(2026, 3, 8), "America/New_York") == [
        (uid, "2026-03-02 09:00-0500", "2026-03-02 09:30-0500"),
        (uid, "2026-03-04 09:00-0500", "2026-03-04 09:30-0500"),
        (uid, "2026-03-06 09:00-0500", "2026-03-06 09:30-0500"),
    ]


def test_rdate_repeating_dtstart_gives_no_duplicate() -> None:
    ms = parse("rdate_list_with_dtstart_repeated.ics")
    uid = "rdate-1@example.org"
    assert occurrences(ms, date(2026, 5, 31), date(2026, 6, 7), "Europe/Berlin") == [
        (uid, "2026-06-01 15:00+0200", "2026-06-01 16:00+0200"),
        (uid, "2026-06-03 15:00+0200", "2026-06-03 16:00+0200"),
        (uid, "2026-06-05 15:00+0200", "2026-06-05 16:00+0200"),
    ]


def test_override_with_utc_recurrence_id_listed_before_master() -> None:
    ms = parse("override_utc_recurrence_id_before_master.ics")
    view = ZoneInfo("America/New_York")
    got = expand(ms, datetime(2026, 3, 1, tzinfo=view), datetime(2026, 3, 31, tzinfo=view), view)
    assert [(fmt(o.start, view), fmt(o.end, view), o.meeting.summary) for o in got] == [
        ("2026-03-02 11:00-0500", "2026-03-02 12:00-0500", "NY weekly"),
        ("2026-03-09 13:00-0400", "2026-03-09 14:00-0400", "NY weekly (moved)"),
        ("2026-03-16 11:00-0400", "2026-03-16 12:00-0400", "NY weekly"),
    ]


def test_duplicate_uid_in_one_file_highest_sequence_wins() -> None:
    [m] = parse("duplicate_uid_sequence.ics")
    assert (m.summary, m.sequence) == ("Newest", 3)


def test_new_york_weekly_seen_from_berlin_between_the_two_dst_switches() -> None:
    ms = parse("us_eu_dst_gap_new_york_weekly.ics")
    spring = occurrences(ms, date(2026, 3, 1), date(2026, 4, 30), "Europe/Berlin")
    assert spring == [
        ("gap-weekly-1@google.com", "2026-03-02 17:00+0100", "2026-03-02 18:00+0100"),
        ("gap-weekly-1@google.com", "2026-03-09 16:00+0100", "2026-03-09 17:00+0100"),
        ("gap-weekly-1@google.com", "2026-03-16 16:00+0100", "2026-03-16 17:00+0100"),
        ("gap-weekly-1@google.com", "2026-03-23 16:00+0100", "2026-03-23 17:00+0100"),
        ("gap-weekly-1@google.com", "2026-03-30 17:00+0200", "2026-03-30 18:00+0200"),
    ]
    autumn = occurrences(ms, date(2026, 10, 1), date(2026, 11, 30), "Europe/Berlin")
    assert autumn == [
        ("gap-weekly-2@google.com", "2026-10-19 17:00+0200", "2026-10-19 18:00+0200"),
        ("gap-weekly-2@google.com", "2026-10-26 16:00+0100", "2026-10-26 17:00+0100"),
        ("gap-weekly-2@google.com", "2026-11-02 17:00+0100", "2026-11-02 18:00+0100"),
    ]


def test_allday_weekly_with_exchange_override_keyed_by_local_midnight() -> None:
    ms = parse("allday_weekly_exchange_moved.ics")
    assert {m.recurrence_id for m in ms} == {None, "20260330"}
    uid = "allday-weekly-1@example.com"
    assert occurrences(ms, date(2026, 3, 20), date(2026, 4, 26), "Europe/Berlin") == [
        (uid, "2026-03-23", "2026-03-24"),
        (uid, "2026-03-31", "2026-04-01"),
        (uid, "2026-04-06", "2026-04-07"),
        (uid, "2026-04-13", "2026-04-14"),
    ]


def test_categories_tell_a_training_from_a_meeting() -> None:
    [m] = parse("training_categories_apple.ics")
    assert m.categories == ("Training", "Seminar", "External")
    assert m.attendees[0].email == "priya.nair@example.com"


def test_monthly_last_day_with_exdate_across_bst() -> None:
    ms = parse("monthly_count_exdate.ics")
    uid = "monthly-1@example.org"
    assert occurrences(ms, date(2026, 1, 1), date(2026, 12, 31), "Europe/London") == [
        (uid, "2026-01-31 17:00+0000", "2026-01-31 18:00+0000"),
        (uid, "2026-03-31 17:00+0100", "2026-03-31 18:00+0100"),
        (uid, "2026-04-30 17:00+0100", "2026-04-30 18:00+0100"),
    ]


def test_two_vcalendars_in_one_file() -> None:
    assert sorted(m.uid for m in parse("two_calendars_one_file_lf.ics")) == [
        "multi-cal-a@example.org",
        "multi-cal-b@example.org",
    ]


def test_unusable_components_are_skipped_with_a_warning_naming_the_uid() -> None:
    result = parse_calendar((FIXTURES / "bad_component_skipped.ics").read_bytes(), source="bad.ics")
    assert [m.uid for m in result.meetings] == ["good-1@example.org"]
    assert result.skipped == 2
    assert len(result.warnings) == 2
    assert result.warnings[0].startswith("bad.ics: UID bad-no-dtstart@example.org: skipped")
    assert "DTSTART" in result.warnings[1] and "bad-dtstart@example.org" in result.warnings[1]
    assert all("\n" not in w for w in result.warnings)


def test_method_reply_gives_replies_not_meetings() -> None:
    result = parse_calendar((FIXTURES / "method_reply.ics").read_bytes(), source="r.ics")
    assert result.method == "REPLY" and result.meetings == []
    [reply] = result.replies
    assert reply.uid == "reply-target-1@example.com"
    assert [(a.email, a.partstat) for a in reply.attendees] == [("bob@example.com", "ACCEPTED")]


def test_cancel_sequence_files_parse_as_cancellations() -> None:
    [occ] = parse("seq_3_cancel_occurrence.ics")
    # 14:00 Berlin on 2026-03-30 (summer time) is 12:00Z
    assert (occ.recurrence_id, occ.status, occ.sequence) == ("20260330T120000Z", "CANCELLED", 2)
    [series] = parse("seq_4_cancel_series.ics")
    assert (series.recurrence_id, series.status) == (None, "CANCELLED")
