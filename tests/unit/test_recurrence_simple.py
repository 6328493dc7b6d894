"""The date-arithmetic path for plain DAILY/WEEKLY rules yields exactly what dateutil yields."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.domain import Meeting, recurrence_key
from tpm_tui.logic.recurrence import MeetingIndex, _simple_plan, _rule_args

ZONES = [ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney"), UTC, None]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _rule(rng: random.Random, start: datetime | date) -> str:
    freq = rng.choice(["DAILY", "WEEKLY"])
    parts = [f"FREQ={freq}"]
    if rng.random() < 0.4:
        parts.append(f"INTERVAL={rng.randint(1, 3)}")
    if rng.random() < 0.5:
        own = DAYS[start.weekday()]
        parts.append("BYDAY=" + (own if rng.random() < 0.5 else ",".join(rng.sample(DAYS, rng.randint(1, 4)))))
    if rng.random() < 0.3:
        parts.append(f"COUNT={rng.randint(1, 30)}")
    elif rng.random() < 0.3:
        u = (start if isinstance(start, date) and not isinstance(start, datetime) else start.date()) + timedelta(days=rng.randint(0, 90))
        parts.append(f"UNTIL={u:%Y%m%d}" + (rng.choice(["T235959Z", "T080000Z", "T120000", ""]) ))
    if rng.random() < 0.2:
        parts.append("WKST=" + rng.choice(DAYS))
    rng.shuffle(parts)
    return ";".join(parts)


def _meeting(rng: random.Random, i: int) -> Meeting:
    tz = rng.choice(ZONES)
    day = date(2026, 1, 1) + timedelta(days=rng.randint(0, 400))
    if rng.random() < 0.15:
        return Meeting(uid=f"d{i}", start=day, end=day + timedelta(days=1), all_day=True, rrule=_rule(rng, day))
    at = time(rng.choice([0, 1, 2, 3, 9, 23]), rng.choice([0, 30]), rng.choice([0, 0, 15]), rng.choice([0, 0, 500]))
    start = datetime.combine(day, at, tzinfo=tz)
    return Meeting(uid=f"m{i}", start=start, end=start + timedelta(minutes=rng.choice([0, 30, 90, 1500])), rrule=_rule(rng, start))


def test_simple_path_matches_dateutil_on_random_rules() -> None:
    rng = random.Random(7)
    meetings = [_meeting(rng, i) for i in range(600)]
    fast, slow = MeetingIndex(meetings), _asking_every_series(MeetingIndex(meetings))
    for series in slow._series_for(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC), UTC):
        series._simple = None  # force dateutil for every rule
    used = 0
    for k in range(40):
        view = rng.choice([ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")])
        first = date(2026, 1, 1) + timedelta(days=rng.randint(-20, 480))
        start = datetime.combine(first, time(0), tzinfo=view)
        end = start + timedelta(days=rng.choice([1, 7, 31]))
        assert fast.between(start, end, view) == slow.between(start, end, view), (k, start, end)
    used = sum(1 for s in fast._series if s is not None and s._simple not in (None, False))
    assert used > 100  # the fast path was really taken


def _asking_every_series(index: MeetingIndex) -> MeetingIndex:
    """The index with its weekday filter off: every series is asked for every window."""
    index._always, index._by_weekday = list(range(len(index._masters))), {}
    return index


def test_a_window_asks_only_the_series_of_its_weekdays_and_misses_none() -> None:
    """The index skips series whose weekdays a window's local dates miss: the answers are
    those of asking every series, for windows of hours to a week at any hour, across DST,
    in three view zones, with floating and all-day series, RDATEs and EXDATEs, and
    overrides (moved, cancelled, this-and-future)."""
    rng = random.Random(11)
    meetings = [_meeting(rng, i) for i in range(500)]
    for i in rng.sample(range(len(meetings)), 60):
        m = meetings[i]
        if isinstance(m.start, datetime):
            shift = timedelta(days=rng.choice([1, 3]), hours=rng.choice([0, 5]))
            m = meetings[i] = m._replace(rdate=(m.start + shift,) if rng.random() < 0.5 else (),
                                         exdate=(m.start + timedelta(days=7),))
            key = recurrence_key(m.start)
            meetings.append(Meeting(uid=m.uid, recurrence_id=key, start=m.start + shift, end=m.end + shift,
                                    range_future=rng.random() < 0.3,
                                    status="CANCELLED" if rng.random() < 0.2 else "CONFIRMED"))
    fast, slow = MeetingIndex(meetings), _asking_every_series(MeetingIndex(meetings))
    assert len(fast._always) < len(fast._masters) * 0.4  # most series are filtered by weekday
    asked = 0
    for k in range(120):
        view = rng.choice([ZoneInfo("Europe/Berlin"), ZoneInfo("Pacific/Auckland"), ZoneInfo("America/Los_Angeles")])
        first = date(2026, 1, 1) + timedelta(days=rng.randint(-5, 420))
        start = datetime.combine(first, time(rng.choice([0, 0, 2, 13, 23])), tzinfo=view)
        end = start + rng.choice([timedelta(hours=1), timedelta(days=1), timedelta(days=2), timedelta(days=7)])
        got = fast.between(start, end, view)
        assert got == slow.between(start, end, view), (k, start, end)
        asked += len(fast._series_for(start, end, view))
    assert asked < 120 * len(fast._masters) * 0.85  # and the filter really skipped series (1.0: none)


def test_simple_plan_refuses_what_it_cannot_do() -> None:
    start = datetime(2026, 5, 4, 9, tzinfo=UTC)  # a Monday
    def plan(text: str) -> object:
        args = _rule_args(text, start, True, UTC)
        assert args is not None
        return _simple_plan(args, start)
    assert plan("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE") is None  # WKST would matter
    assert plan("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4") is None  # two per period
    assert plan("FREQ=DAILY;BYDAY=MO;COUNT=4") is None
    assert plan("FREQ=MONTHLY") is None
    assert plan("FREQ=WEEKLY;BYDAY=1MO") is None
    assert plan("FREQ=DAILY;BYHOUR=9,10") is None
    assert plan("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO") == (14, 14, None, None, None)
    assert plan("FREQ=WEEKLY;BYDAY=MO,WE") == (1, 7, frozenset({0, 2}), None, None)
