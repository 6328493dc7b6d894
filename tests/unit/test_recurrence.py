"""logic.recurrence on hand-built meetings: kinds, DST, overrides, bounds."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.domain import Meeting
from tpm_tui.logic.recurrence import MAX_PER_CALL, MeetingIndex, expand

BERLIN = ZoneInfo("Europe/Berlin")
NY = ZoneInfo("America/New_York")


def week(first: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    return start, start + timedelta(days=7)


def test_weekly_berlin_stays_at_nine_local_across_eu_dst() -> None:
    m = Meeting(
        uid="w", start=datetime(2026, 3, 16, 9, 0, tzinfo=BERLIN), end=datetime(2026, 3, 16, 10, 0, tzinfo=BERLIN),
        tzid="Europe/Berlin", rrule="FREQ=WEEKLY",
    )
    got = expand([m], datetime(2026, 3, 16, tzinfo=BERLIN), datetime(2026, 4, 7, tzinfo=BERLIN), BERLIN)
    assert [(o.start.hour, o.start.utcoffset()) for o in got] == [  # type: ignore[union-attr]
        (9, timedelta(hours=1)), (9, timedelta(hours=1)), (9, timedelta(hours=2)), (9, timedelta(hours=2)),
    ]
    assert [o.recurrence_id for o in got] == ["20260316T080000Z", "20260323T080000Z", "20260330T070000Z", "20260406T070000Z"]
    assert all(isinstance(o.start, datetime) and o.start.tzinfo is BERLIN for o in got)


def test_kinds_are_kept() -> None:
    floating = Meeting(uid="f", start=datetime(2026, 5, 4, 10, 0), end=datetime(2026, 5, 4, 11, 0), rrule="FREQ=DAILY;COUNT=2")
    allday = Meeting(uid="d", start=date(2026, 5, 4), end=date(2026, 5, 5), all_day=True, rrule="FREQ=DAILY;COUNT=2")
    got = expand([floating, allday], *week(date(2026, 5, 4), NY), NY)
    assert [(o.uid, o.start) for o in got] == [
        ("d", date(2026, 5, 4)), ("f", datetime(2026, 5, 4, 10, 0)), ("d", date(2026, 5, 5)), ("f", datetime(2026, 5, 5, 10, 0)),
    ]
    assert [o.recurrence_id for o in got] == ["20260504", "20260504T100000", "20260505", "20260505T100000"]


def test_cancelled_master_hides_its_overrides() -> None:
    master = Meeting(
        uid="c", start=datetime(2026, 5, 4, 9, tzinfo=UTC), end=datetime(2026, 5, 4, 10, tzinfo=UTC),
        rrule="FREQ=DAILY;COUNT=3", status="CANCELLED",
    )
    override = Meeting(
        uid="c", recurrence_id="20260505T090000Z", start=datetime(2026, 5, 5, 12, tzinfo=UTC),
        end=datetime(2026, 5, 5, 13, tzinfo=UTC),
    )
    assert expand([master, override], *week(date(2026, 5, 4), ZoneInfo("UTC")), ZoneInfo("UTC")) == []


def test_override_moved_into_another_window_is_shown_there_and_not_at_home() -> None:
    master = Meeting(
        uid="m", start=datetime(2026, 5, 4, 9, tzinfo=UTC), end=datetime(2026, 5, 4, 10, tzinfo=UTC), rrule="FREQ=WEEKLY"
    )
    moved = Meeting(
        uid="m", recurrence_id="20260511T090000Z", start=datetime(2026, 5, 20, 9, tzinfo=UTC),
        end=datetime(2026, 5, 20, 10, tzinfo=UTC), summary="moved",
    )
    index = MeetingIndex([master, moved])
    utc = ZoneInfo("UTC")
    assert [o.start.day for o in index.between(*week(date(2026, 5, 11), utc), utc)] == []  # type: ignore[union-attr]
    got = index.between(*week(date(2026, 5, 18), utc), utc)
    assert [(o.start.day, o.meeting.summary) for o in got] == [(18, ""), (20, "moved")]  # type: ignore[union-attr]


def test_unsynchronised_dtstart_is_the_first_instance() -> None:
    # DTSTART on a Wednesday, rule on Mondays: RFC 5545 counts DTSTART as the first instance
    m = Meeting(uid="u", start=datetime(2026, 5, 6, 9, tzinfo=UTC), end=datetime(2026, 5, 6, 10, tzinfo=UTC),
                rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=2")
    utc = ZoneInfo("UTC")
    got = expand([m], datetime(2026, 5, 1, tzinfo=utc), datetime(2026, 5, 31, tzinfo=utc), utc)
    assert [o.start.day for o in got] == [6, 11, 18]  # type: ignore[union-attr]


def test_secondly_rule_is_bounded_per_call() -> None:
    m = Meeting(uid="s", start=datetime(2015, 1, 1, tzinfo=UTC), end=datetime(2015, 1, 1, 0, 0, 1, tzinfo=UTC), rrule="FREQ=SECONDLY")
    utc = ZoneInfo("UTC")
    t0 = clock.perf_counter()
    got = expand([m], datetime(2026, 6, 1, tzinfo=utc), datetime(2026, 6, 2, tzinfo=utc), utc)
    assert clock.perf_counter() - t0 < 2.0
    assert MAX_PER_CALL - 1 <= len(got) <= MAX_PER_CALL  # the cap counts the instant just before the window
    assert got[0].start == datetime(2026, 6, 1, tzinfo=utc) and got[1].start == datetime(2026, 6, 1, 0, 0, 1, tzinfo=utc)


def test_endless_weekly_from_long_ago_is_cheap() -> None:
    series = [
        Meeting(uid=f"s{i}", start=datetime(2000, 1, 3 + i % 7, 9, tzinfo=BERLIN), end=datetime(2000, 1, 3 + i % 7, 10, tzinfo=BERLIN),
                tzid="Europe/Berlin", rrule="FREQ=WEEKLY")
        for i in range(700)
    ]
    index = MeetingIndex(series)
    t0 = clock.perf_counter()
    got = index.between(datetime(2026, 11, 30, tzinfo=BERLIN), datetime(2026, 12, 1, tzinfo=BERLIN), BERLIN)
    assert clock.perf_counter() - t0 < 2.0
    # 2026-11-30 is a Monday, like 2000-01-03: the series with i % 7 == 0
    assert len(got) == 100
    assert {o.start for o in got} == {datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)}


def test_invalid_rule_falls_back_to_the_first_instance() -> None:
    m = Meeting(uid="x", start=datetime(2026, 5, 4, 9, tzinfo=UTC), end=datetime(2026, 5, 4, 10, tzinfo=UTC), rrule="FREQ=FORTNIGHTLY")
    utc = ZoneInfo("UTC")
    assert [o.start for o in expand([m], *week(date(2026, 5, 4), utc), utc)] == [datetime(2026, 5, 4, 9, tzinfo=utc)]
