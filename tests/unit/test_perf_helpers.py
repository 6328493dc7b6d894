"""Helpers added for speed answer exactly what the plain functions answer."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.domain import Person
from tpm_tui.logic.agenda import WorkCache, is_odd_for
from tpm_tui.logic.freetime import FreeTimeline, calendar_key, working_intervals

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]


def _people(rng: random.Random, n: int) -> list[Person]:
    out = []
    for i in range(n):
        start, end = rng.choice([("09:00", "17:30"), ("22:00", "06:00"), ("08:00", "16:00")])
        days_off = (date(2026, 3, 30),) if rng.random() < 0.3 else ()
        out.append(Person(handle=f"p{i}", name=f"P {i}", email=f"p{i}@x", timezone=rng.choice(ZONES),
                          work_start=start, work_end=end, days_off=days_off))
    return out


def test_work_cache_odd_matches_is_odd_for() -> None:
    rng = random.Random(3)
    people = _people(rng, 12)
    view = ZoneInfo("Europe/Berlin")
    for day in (date(2026, 3, 27), date(2026, 3, 29), date(2026, 3, 30), date(2026, 10, 25)):
        day_start = datetime.combine(day, time(0), tzinfo=view)
        cache = WorkCache(day_start - timedelta(days=2), day_start + timedelta(days=3))
        for _ in range(300):
            start = day_start + timedelta(minutes=15 * rng.randint(-8, 100))
            end = start + timedelta(minutes=rng.choice([0, 15, 60, 600, 2000, 5000]))
            p = rng.choice(people)
            assert cache.odd(p, start, end) == is_odd_for(p, start, end), (p, start, end)


def test_calendar_key_equal_means_equal_working_time() -> None:
    a = Person(handle="a", name="A", email="a@x", timezone="Europe/Berlin")
    b = Person(handle="b", name="B", email="b@x", timezone="Europe/Berlin", role="other")
    c = Person(handle="c", name="C", email="c@x", timezone="Europe/London")
    assert calendar_key(a) == calendar_key(b) != calendar_key(c)
    s, e = datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 4, 20, tzinfo=UTC)
    assert working_intervals(a, s, e) == working_intervals(b, s, e)


def test_shared_beyond_tables_give_the_same_hours() -> None:
    p = Person(handle="a", name="A", email="a@x", timezone="Europe/Berlin", days_off=(date(2026, 5, 1),))
    q = Person(handle="b", name="B", email="b@x", timezone="Europe/Berlin", days_off=(date(2026, 5, 1),))
    horizon = datetime(2026, 4, 20, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)
    shared: tuple[dict[datetime, float], list[float]] = ({}, [0.0])
    alone = FreeTimeline([], person=p, exact_until=horizon)
    first = FreeTimeline([], person=p, exact_until=horizon, beyond=shared)
    second = FreeTimeline([], person=q, exact_until=horizon, beyond=shared)
    whens = [horizon + timedelta(hours=7 * k) for k in range(200)]
    expected = [alone.hours_before(w) for w in whens]
    assert [first.hours_before(w) for w in whens[::2]] == expected[::2]
    assert [second.hours_before(w) for w in whens] == expected
