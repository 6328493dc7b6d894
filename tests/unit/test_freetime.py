"""Working and free time: DST in three hemispheres, meetings, days off, capacity."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person
from tpm_tui.logic.freetime import (
    FreeTimeline,
    OccurrenceIndex,
    attends,
    capacity_hours,
    count_work_days,
    covers,
    free_intervals,
    hours,
    merge,
    subtract,
    working_intervals,
)

ALL_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def z(h: int, m: int = 0, d: date = date(2026, 3, 4)) -> datetime:
    return datetime.combine(d, time(h, m), tzinfo=UTC)


def U(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def person(tz: str = "UTC", start: str = "09:00", end: str = "17:00", days=("mon", "tue", "wed", "thu", "fri"), **kw) -> Person:
    return Person(handle="p", name="Pat Doe", email="Pat@Example.com", timezone=tz, work_start=start, work_end=end, work_days=days, **kw)


def occ(start, end, attendees=(), *, uid="m", status="CONFIRMED", all_day=False, organizer="") -> Occurrence:
    m = Meeting(uid=uid, start=start, end=end, attendees=tuple(attendees), status=status, all_day=all_day, organizer=organizer)
    return Occurrence(meeting=m, start=start, end=end)


# ------------------------------------------------------------------ DST, working intervals


@pytest.mark.parametrize(
    ("tz", "day", "start", "end", "expected"),
    [
        # US spring forward Sun 2026-03-08 02:00 EST -> 03:00 EDT: 01:00-05:00 local is 3 real hours
        ("America/New_York", date(2026, 3, 7), "01:00", "05:00", (U(2026, 3, 7, 6), U(2026, 3, 7, 10))),
        ("America/New_York", date(2026, 3, 8), "01:00", "05:00", (U(2026, 3, 8, 6), U(2026, 3, 8, 9))),
        ("America/New_York", date(2026, 3, 9), "09:00", "17:30", (U(2026, 3, 9, 13), U(2026, 3, 9, 21, 30))),
        ("America/New_York", date(2026, 3, 6), "09:00", "17:30", (U(2026, 3, 6, 14), U(2026, 3, 6, 22, 30))),
        # EU fall back Sun 2026-10-25 03:00 CEST -> 02:00 CET: 00:00-06:00 local is 7 real hours
        ("Europe/Berlin", date(2026, 10, 25), "00:00", "06:00", (U(2026, 10, 24, 22), U(2026, 10, 25, 5))),
        ("Europe/Berlin", date(2026, 10, 23), "09:00", "17:30", (U(2026, 10, 23, 7), U(2026, 10, 23, 15, 30))),
        ("Europe/Berlin", date(2026, 10, 26), "09:00", "17:30", (U(2026, 10, 26, 8), U(2026, 10, 26, 16, 30))),
        # EU spring: London 2026-03-29 01:00 GMT -> 02:00 BST
        ("Europe/London", date(2026, 3, 27), "09:00", "17:30", (U(2026, 3, 27, 9), U(2026, 3, 27, 17, 30))),
        ("Europe/London", date(2026, 3, 30), "09:00", "17:30", (U(2026, 3, 30, 8), U(2026, 3, 30, 16, 30))),
        # Sydney flips the other way: AEDT (+11) ends Sun 2026-04-05, AEST (+10) ends Sun 2026-10-04
        ("Australia/Sydney", date(2026, 4, 3), "09:00", "17:30", (U(2026, 4, 2, 22), U(2026, 4, 3, 6, 30))),
        ("Australia/Sydney", date(2026, 4, 6), "09:00", "17:30", (U(2026, 4, 5, 23), U(2026, 4, 6, 7, 30))),
        ("Australia/Sydney", date(2026, 4, 5), "01:00", "05:00", (U(2026, 4, 4, 14), U(2026, 4, 4, 19))),
        ("Australia/Sydney", date(2026, 10, 2), "09:00", "17:30", (U(2026, 10, 1, 23), U(2026, 10, 2, 7, 30))),
        ("Australia/Sydney", date(2026, 10, 5), "09:00", "17:30", (U(2026, 10, 4, 22), U(2026, 10, 5, 6, 30))),
        # Kolkata: +05:30 all year
        ("Asia/Kolkata", date(2026, 1, 15), "09:00", "17:30", (U(2026, 1, 15, 3, 30), U(2026, 1, 15, 12))),
        ("Asia/Kolkata", date(2026, 7, 15), "09:00", "17:30", (U(2026, 7, 15, 3, 30), U(2026, 7, 15, 12))),
    ],
)
def test_working_interval_of_one_day_is_built_from_local_wall_time(tz, day, start, end, expected):
    p = person(tz, start, end, ALL_WEEK)
    got = working_intervals(p, U(day.year, day.month, day.day, 0) - (U(2026, 1, 2, 0) - U(2026, 1, 1, 0)), U(2026, 12, 31, 0))
    mine = [iv for iv in got if iv[0].astimezone(ZoneInfo(tz)).date() == day]
    assert mine == [expected]


@pytest.mark.parametrize(
    ("tz", "day", "expected_hours"),
    [
        ("America/New_York", date(2026, 3, 8), 3.0),  # 23-hour day
        ("America/New_York", date(2026, 11, 1), 5.0),  # 25-hour day (01:00 repeats)
        ("Europe/Berlin", date(2026, 3, 29), 3.0),
        ("Europe/Berlin", date(2026, 10, 25), 5.0),
        ("Australia/Sydney", date(2026, 4, 5), 5.0),  # 03:00 AEDT -> 02:00 AEST
        ("Australia/Sydney", date(2026, 10, 4), 3.0),  # 02:00 AEST -> 03:00 AEDT
        ("Asia/Kolkata", date(2026, 3, 29), 4.0),
    ],
)
def test_night_shift_hours_change_on_dst_days(tz, day, expected_hours):
    p = person(tz, "00:30", "04:30", ALL_WEEK)
    zi = ZoneInfo(tz)
    start = datetime.combine(day, time(0), tzinfo=zi)
    end = datetime.combine(day, time(12), tzinfo=zi)
    assert hours(working_intervals(p, start, end)) == expected_hours


def test_working_week_skips_weekend_and_days_off_and_clips_to_window():
    p = person(days_off=(date(2026, 3, 5),))
    got = working_intervals(p, z(12), U(2026, 3, 10, 10))  # Wed 12:00 .. Tue 10:00
    assert got == [
        (U(2026, 3, 4, 12), U(2026, 3, 4, 17)),  # Wed, clipped at the start
        (U(2026, 3, 6, 9), U(2026, 3, 6, 17)),  # Fri (Thu is a day off)
        (U(2026, 3, 9, 9), U(2026, 3, 9, 17)),  # Mon
        (U(2026, 3, 10, 9), U(2026, 3, 10, 10)),  # Tue, clipped at the end
    ]
    assert hours(got) == 22.0


def test_working_intervals_empty_window():
    assert working_intervals(person(), z(12), z(12)) == []
    assert working_intervals(person(), z(12), z(11)) == []


def test_sunday_to_thursday_week():
    p = person("Asia/Dubai", "08:00", "16:00", ("sun", "mon", "tue", "wed", "thu"))
    got = working_intervals(p, U(2026, 3, 6, 0), U(2026, 3, 9, 0))  # Fri .. Sun (Dubai = +04)
    assert got == [(U(2026, 3, 8, 4), U(2026, 3, 8, 12))]


# ------------------------------------------------------------------ meetings


def test_free_time_minus_own_meetings_only():
    p = person("Asia/Kolkata", "09:00", "17:30")
    ist = ZoneInfo("Asia/Kolkata")
    ny = ZoneInfo("America/New_York")
    me_ = Attendee("pat@example.com", partstat="ACCEPTED")
    occs = [
        occ(datetime(2026, 3, 4, 10, 0, tzinfo=ist), datetime(2026, 3, 4, 11, 0, tzinfo=ist), [me_]),
        # 23:00 EST Tue = 09:30 IST Wed; the attendee e-mail differs only in case
        occ(datetime(2026, 3, 3, 23, 0, tzinfo=ny), datetime(2026, 3, 4, 0, 0, tzinfo=ny), [Attendee("PAT@example.COM")]),
        occ(datetime(2026, 3, 4, 12, 0, tzinfo=ist), datetime(2026, 3, 4, 13, 0, tzinfo=ist), [Attendee("pat@example.com", partstat="DECLINED")]),
        occ(datetime(2026, 3, 4, 13, 0, tzinfo=ist), datetime(2026, 3, 4, 14, 0, tzinfo=ist), [me_], status="CANCELLED"),
        occ(datetime(2026, 3, 4, 14, 0, tzinfo=ist), datetime(2026, 3, 4, 15, 0, tzinfo=ist), [Attendee("other@example.com")]),
        occ(date(2026, 3, 4), date(2026, 3, 5), [me_], all_day=True),
        # floating 16:00-16:30: read in Pat's own zone
        occ(datetime(2026, 3, 4, 16, 0), datetime(2026, 3, 4, 16, 30), [me_]),
    ]
    day_start = datetime(2026, 3, 4, 0, 0, tzinfo=ist)
    day_end = datetime(2026, 3, 5, 0, 0, tzinfo=ist)
    got = free_intervals(p, day_start, day_end, occs)
    assert got == [
        (U(2026, 3, 4, 3, 30), U(2026, 3, 4, 4, 0)),  # 09:00-09:30
        (U(2026, 3, 4, 5, 30), U(2026, 3, 4, 10, 30)),  # 11:00-16:00
        (U(2026, 3, 4, 11, 0), U(2026, 3, 4, 12, 0)),  # 16:30-17:30
    ]
    assert hours(got) == 6.5


def test_me_attends_every_meeting_unless_declined_and_organizer_attends():
    p = person()
    m1 = occ(z(10), z(11), [Attendee("someone@example.com")])
    m2 = occ(z(12), z(13), [Attendee("pat@example.com", partstat="DECLINED")])
    m3 = occ(z(14), z(15), [], organizer="mailto:pat@example.com")
    assert [attends(p, o) for o in (m1, m2, m3)] == [False, False, True]
    assert [attends(p, o, is_me=True) for o in (m1, m2, m3)] == [True, False, True]
    index = OccurrenceIndex([m1, m2, m3])
    assert index.for_person(p) == [m3]
    assert index.for_person(p, is_me=True) == [m1, m3]


def test_overlapping_meetings_are_merged():
    p = person()
    a = Attendee("pat@example.com")
    occs = [occ(z(10), z(11), [a]), occ(z(10, 30), z(12), [a]), occ(z(12), z(12, 15), [a])]
    assert free_intervals(p, z(0), z(23), occs) == [(z(9), z(10)), (z(12, 15), z(17))]


# ------------------------------------------------------------------ helpers


def test_interval_algebra():
    assert merge([(z(10), z(11)), (z(9), z(10)), (z(12), z(13))]) == [(z(9), z(11)), (z(12), z(13))]
    assert subtract([(z(9), z(17))], [(z(8), z(9, 30)), (z(12), z(13)), (z(16), z(18))]) == [(z(9, 30), z(12)), (z(13), z(16))]
    assert subtract([(z(9), z(10)), (z(11), z(12))], [(z(9), z(12))]) == []
    assert covers([(z(9), z(17))], z(16), z(17)) is True
    assert covers([(z(9), z(17))], z(16), z(17, 1)) is False
    assert covers([(z(9), z(17))], z(17), z(17)) is False  # a point at the (exclusive) end
    assert covers([(z(9), z(17))], z(9), z(9)) is True


def test_free_timeline_hours_before():
    tl = FreeTimeline([(z(9), z(12)), (z(13), z(17))])
    assert tl.hours_before(z(8)) == 0.0
    assert tl.hours_before(z(10, 30)) == 1.5
    assert tl.hours_before(z(12, 30)) == 3.0
    assert tl.hours_before(z(14)) == 4.0
    assert tl.hours_before(z(23)) == 7.0


def test_count_work_days():
    p = person(days_off=(date(2026, 3, 5), date(2026, 3, 7)))  # a Thursday and a Saturday
    assert count_work_days(p, date(2026, 3, 2), date(2026, 3, 8)) == 4
    assert count_work_days(p, date(2026, 3, 4), date(2026, 3, 4)) == 1
    assert count_work_days(p, date(2026, 3, 7), date(2026, 3, 8)) == 0
    assert count_work_days(p, date(2026, 3, 2), date(2026, 3, 29)) == 19
    assert count_work_days(p, date(2026, 3, 9), date(2026, 3, 2)) == 0


def test_capacity_from_hours_or_prorated_weekly_figure():
    week = (U(2026, 3, 2, 0), U(2026, 3, 9, 0))
    assert capacity_hours(person(), *week) == 40.0
    assert capacity_hours(person(days_off=(date(2026, 3, 5),)), *week) == 32.0
    assert capacity_hours(person(weekly_capacity_hours=30.0), *week) == 30.0
    assert capacity_hours(person(weekly_capacity_hours=30.0, days_off=(date(2026, 3, 5),)), *week) == 24.0
    # a DST week in Berlin still has 5 x 8.5 working hours
    berlin = person("Europe/Berlin", "09:00", "17:30")
    bz = ZoneInfo("Europe/Berlin")
    assert capacity_hours(berlin, datetime(2026, 3, 23, tzinfo=bz), datetime(2026, 3, 30, tzinfo=bz)) == 42.5


def test_index_busy_matches_the_plain_rules():
    p = person("Asia/Kolkata", "09:00", "17:30")
    a = Attendee("pat@example.com", partstat="ACCEPTED")
    occs = [
        occ(z(4), z(5), [a], uid="a"),
        occ(z(4, 30), z(6), [a], uid="b"),
        occ(z(7), z(8), [Attendee("pat@example.com", partstat="DECLINED")], uid="c"),
        occ(z(9), z(10), [Attendee("x@example.com")], uid="d"),
        occ(datetime(2026, 3, 4, 16, 0), datetime(2026, 3, 4, 16, 30), [a], uid="floating"),  # 10:30Z for Pat
        occ(z(11), z(12), [a], uid="tpm-focus-T-1-1@tpm"),
        occ(z(12), z(13), [a], uid="gone", status="CANCELLED"),
    ]
    index = OccurrenceIndex(occs)
    expected = [(z(4), z(6)), (z(10, 30), z(11))]
    assert index.busy_for(p) == expected
    from tpm_tui.logic.freetime import busy_intervals

    assert busy_intervals(p, occs) == expected
    as_me = [(z(4), z(6)), (z(9), z(10)), (z(10, 30), z(11))]
    assert index.busy_for(p, is_me=True) == as_me == busy_intervals(p, occs, is_me=True)


def test_timeline_beyond_the_exact_horizon_adds_working_hours():
    from tpm_tui.logic.freetime import working_hours_between

    p = person(days_off=(date(2026, 3, 12),))
    horizon = U(2026, 3, 9, 0)  # a Monday midnight
    assert working_hours_between(p, horizon, U(2026, 3, 14, 0)) == 32.0  # Mon-Fri minus Thursday off
    assert working_hours_between(p, horizon, U(2026, 3, 10, 12)) == 11.0  # Monday + Tuesday 09-12
    tl = FreeTimeline([(z(9), z(12))], person=p, exact_until=horizon)
    assert tl.hours_before(z(10)) == 1.0
    assert tl.hours_before(U(2026, 3, 10, 12)) == 3.0 + 11.0
