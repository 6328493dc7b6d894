"""Differential check: our dateutil-based expansion against ``recurring_ical_events``.

A different library reads the same fixture files; both must give the same start
instants. Only fixtures whose meaning both agree on are listed (our normalisations of
Exchange quirks, e.g. an all-day RECURRENCE-ID at local midnight, are tested by hand).
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from tpm_tui.ics.parse import parse_calendar
from tpm_tui.logic.recurrence import expand

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
UTC = ZoneInfo("UTC")

CASES = [
    ("google_weekly_berlin_eu_dst.ics", date(2026, 3, 1), date(2026, 6, 1)),
    ("outlook_weekly_pacific_standard_time_us_dst.ics", date(2026, 2, 1), date(2026, 4, 1)),
    ("exdate_in_utc_for_tzid_series.ics", date(2026, 3, 1), date(2026, 3, 10)),
    ("rdate_list_with_dtstart_repeated.ics", date(2026, 5, 30), date(2026, 6, 10)),
    ("override_utc_recurrence_id_before_master.ics", date(2026, 3, 1), date(2026, 4, 1)),
    ("monthly_count_exdate.ics", date(2026, 1, 1), date(2026, 12, 31)),
    ("us_eu_dst_gap_new_york_weekly.ics", date(2026, 3, 1), date(2026, 12, 1)),
    ("seq_1_invite.ics", date(2026, 3, 1), date(2026, 5, 1)),
    ("kolkata_organiser.ics", date(2026, 3, 1), date(2026, 3, 31)),
    ("status_cancelled_publish.ics", date(2026, 4, 19), date(2026, 4, 22)),
]


def _instant(value: object) -> datetime:
    assert isinstance(value, datetime) and value.tzinfo is not None
    return value.astimezone(UTC)


@pytest.mark.parametrize(("name", "first", "last"), CASES, ids=[c[0] for c in CASES])
def test_same_starts_as_recurring_ical_events(name: str, first: date, last: date) -> None:
    data = (FIXTURES / name).read_bytes()
    start = datetime.combine(first, time(0), tzinfo=UTC)
    end = datetime.combine(last, time(0), tzinfo=UTC)
    theirs = sorted(
        _instant(ev.get("DTSTART").dt)
        for ev in recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(start, end)
        if str(ev.get("STATUS", "")).upper() != "CANCELLED"
    )
    ours = sorted(_instant(o.start) for o in expand(parse_calendar(data, source=name).meetings, start, end, UTC))
    assert ours == theirs
    assert ours  # the window is not empty
