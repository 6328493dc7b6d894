"""Public holidays from a calendar file, as days off (``tpm person off HANDLE --holidays FILE``).

A team spread over countries loses different days: Thanksgiving in New York, Diwali in
Pune, Whit Monday in Berlin. Holiday calendars are published as ``.ics`` (Google's
"Holidays in India", the Apple and Outlook ones, government feeds); their all-day events,
yearly rules expanded, become each person's days off in a window — so capacity, risk,
workload and the plan stop counting on them. Google's calendars mix in observances
(Valentine's Day, Mother's Day: DESCRIPTION "Observance"), which are not days off and are
left out; timed events are not holidays either.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from tpm_tui.domain import ImportFailed, InputError


class Holidays(NamedTuple):
    days: dict[date, str]  # date -> the holiday's name, in the window
    observances: int  # all-day events left out as observances
    timed: int  # timed events left out


def holidays_in(data: bytes, *, source: str, first: date, last: date) -> Holidays:
    """The holidays of calendar bytes from ``first`` to ``last``; :class:`InputError` (one
    line) when the file is no calendar or has no all-day event at all."""
    from tpm_tui.ics.parse import parse_calendar
    from tpm_tui.logic.agenda import by_local_day
    from tpm_tui.logic.recurrence import MeetingIndex

    try:
        parsed = parse_calendar(data, source=source)
    except ImportFailed as exc:
        raise InputError(str(exc)) from None
    live = [m for m in parsed.meetings if not m.cancelled]
    all_day = [m for m in live if m.all_day]
    if not all_day:
        n = len(live)
        raise InputError(f"{source}: no all-day events, so no holidays"
                         + (f" ({n} timed event{'s' if n != 1 else ''}: tpm import takes meetings)" if n else ""))
    kept = [m for m in all_day if not m.description.strip().lower().startswith("observance")]
    start = datetime.combine(first, time(0), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)
    found = MeetingIndex(kept).between(start, end, UTC)  # yearly rules expanded in the window
    span = by_local_day(found, first, (last - first).days + 1, UTC)  # every date each covers
    days = {day: " ".join(occs[0].meeting.summary.split()) or "holiday" for day, occs in span.items() if occs}
    return Holidays(dict(sorted(days.items())), len(all_day) - len(kept), len(live) - len(all_day))


__all__ = ["Holidays", "holidays_in"]
