"""When can we meet? (``logic.slots.find_slots``): free for everyone, inside working hours
first, then the least odd, across zones and DST; days off and meetings never."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person
from tpm_tui.logic.freetime import OccurrenceIndex
from tpm_tui.logic.slots import STEP, find_slots

BER, NY, LA, KOL, SYD = (ZoneInfo(z) for z in ("Europe/Berlin", "America/New_York", "America/Los_Angeles",
                                                 "Asia/Kolkata", "Australia/Sydney"))
LENA = Person("lena", "Lena Vogel", "lena@example.com", "Europe/Berlin", "09:00", "17:30")
NINA = Person("nina", "Nina Park", "nina@example.com", "America/New_York", "09:00", "17:30")
MARCUS = Person("marcus", "Marcus Chen", "marcus@example.com", "America/Los_Angeles", "08:00", "16:30")
PRIYA = Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata", "10:00", "18:30")
AVA = Person("ava", "Ava Thompson", "ava@example.com", "Australia/Sydney", "09:00", "17:00")


def meeting(start: datetime, minutes: int, *people: Person, uid: str = "m") -> Occurrence:
    end = datetime.fromtimestamp(start.timestamp() + 60 * minutes, start.tzinfo)
    m = Meeting(uid=uid, start=start, end=end, summary="busy",
                attendees=tuple(Attendee(p.email, p.name, "ACCEPTED") for p in people))
    return Occurrence(meeting=m, start=start, end=end)


def days(first: date, n: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(first, time(0), tzinfo=tz), datetime.combine(first + timedelta(days=n), time(0), tzinfo=tz)


def test_berlin_and_new_york_meet_in_the_afternoon_overlap_around_a_meeting() -> None:
    # Tue 1 Dec 2026: New York 09:00 is Berlin 15:00; their shared working time is 15:00-17:30 Berlin
    busy = meeting(datetime(2026, 12, 1, 15, 0, tzinfo=BER), 60, NINA)
    start, end = days(date(2026, 12, 1), 1, BER)
    slots = find_slots([LENA, NINA], OccurrenceIndex([busy]), start, end, timedelta(minutes=60))
    first = slots[0]
    assert (first.start.astimezone(BER).time(), first.end.astimezone(BER).time()) == (time(16), time(17))
    assert first.odd_for == () and first.night_for == ()
    assert [lt.label() for lt in first.local_times] == ["lena 16:00–17:00 Tue", "nina 10:00–11:00 Tue"]
    # 16:00-17:00 was the only hour inside both days (15:00-16:00 is Nina's meeting; 16:30 would end
    # after Lena's 17:30): the next answers are odd for someone
    assert all(s.odd_for for s in slots[1:])
    assert all(not (s.start < busy.end and busy.start < s.end) for s in slots)


def test_los_angeles_and_kolkata_have_no_common_hour_the_least_odd_one_comes_first() -> None:
    # December: Los Angeles is UTC-8, Kolkata UTC+5:30. No hour is inside both working days.
    # LA 20:30 is Kolkata 10:00 the next morning: odd for Marcus alone, and inside his
    # allowed window (till 21:00) — better than LA 07:00 (Kolkata 20:30), odd for both.
    start, end = days(date(2026, 12, 1), 1, LA)
    slots = find_slots([MARCUS, PRIYA], OccurrenceIndex([]), start, end, timedelta(minutes=30))
    best = slots[0]
    assert best.start.astimezone(LA).time() == time(20, 30) and best.start.astimezone(KOL).time() == time(10)
    assert best.odd_for == ("marcus",) and best.night_for == () and best.odd_minutes == 30
    morning = next(s for s in slots if s.start.astimezone(LA).time() == time(7))
    assert morning.odd_for == ("marcus", "priya") and morning.odd_minutes == 60
    assert slots.index(morning) > 0
    # an hour: LA 20:00-21:00 is Kolkata 09:30-10:30, odd for both but night for neither (LA
    # 20:30-21:30 would run past Marcus's 21:00); the fewest odd minutes of those (60 + 30)
    slots = find_slots([MARCUS, PRIYA], OccurrenceIndex([]), start, end, timedelta(minutes=60))
    assert slots[0].start.astimezone(LA).time() == time(20) and slots[0].start.astimezone(KOL).time() == time(9, 30)
    assert slots[0].odd_for == ("marcus", "priya") and slots[0].night_for == () and slots[0].odd_minutes == 90
    # their allowed windows share LA 17:30-21:00 (Kolkata 07:00-10:30): four hours cannot avoid
    # the night for one of them; the least of it (30 minutes) comes first, and says so
    slots = find_slots([MARCUS, PRIYA], OccurrenceIndex([]), start, end, timedelta(hours=4))
    assert len(slots[0].night_for) == 1 and slots[0].night_minutes == 30
    assert all((len(s.night_for), s.night_minutes) >= (len(slots[0].night_for), slots[0].night_minutes) for s in slots)


def test_a_shallow_night_comes_before_a_deep_one_with_as_many_minutes() -> None:
    # Berlin, Sydney and Los Angeles in December share no hour without someone at night.
    # Berlin 09:00-10:00 is Marcus's midnight (LA 00:00-01:00) and Berlin 21:00-22:00 is an
    # hour past Lena's evening: one person, 60 night minutes and one odd person each, and
    # 09:00 is earlier. The night that ends an hour after 21:00 is the kinder one.
    start, end = days(date(2026, 12, 1), 1, BER)
    slots = find_slots([LENA, AVA, MARCUS], OccurrenceIndex([]), start, end, timedelta(minutes=60), limit=8)
    assert all(len(s.night_for) == 1 for s in slots)
    assert slots[0].night_depth == 60 and slots[0].night_minutes == 60
    assert [s.night_depth for s in slots] == sorted(s.night_depth for s in slots)
    one_hour_past = next(s for s in slots if s.start == datetime(2026, 12, 1, 21, tzinfo=BER))
    assert one_hour_past.night_for == ("lena",) and one_hour_past.night_depth == 60
    midnight = find_slots([LENA, AVA, MARCUS], OccurrenceIndex([]), datetime(2026, 12, 1, 9, tzinfo=BER),
                          datetime(2026, 12, 1, 9, 15, tzinfo=BER), timedelta(minutes=60))[0]
    assert midnight.night_for == ("marcus",) and midnight.night_minutes == 60
    assert midnight.night_depth == 4 * 60  # LA 00:59 is four hours after 21:00, six before 07:00
    assert midnight.start not in {s.start for s in slots[:2]}


@pytest.mark.parametrize(("day", "fits"), [
    (date(2026, 3, 4), False),  # both on winter time: Berlin 15:00-17:30 shared (2.5h)
    (date(2026, 3, 18), True),  # New York on summer time since 8 March, Berlin not until 29 March
    (date(2026, 4, 8), False),  # both on summer time: the 2.5h are back
])
def test_the_weeks_when_only_the_us_has_switched_give_an_hour_more(day: date, fits: bool) -> None:
    start, end = days(day, 1, BER)
    slots = find_slots([LENA, NINA], OccurrenceIndex([]), start, end, timedelta(hours=3, minutes=30))
    assert (slots[0].odd_for == ()) is fits
    if fits:
        assert slots[0].start.astimezone(BER).time() == time(14) and slots[0].start.astimezone(NY).time() == time(9)


def test_a_day_off_is_never_proposed_and_a_weekend_counts_as_night() -> None:
    lena_off = LENA._replace(days_off=(date(2026, 12, 1),))
    start, end = days(date(2026, 12, 1), 1, BER)
    assert find_slots([lena_off, NINA], OccurrenceIndex([]), start, end, timedelta(minutes=30)) == []
    # Saturday 5 Dec from noon in Berlin (06:00 in New York): a working day for neither
    start, end = datetime(2026, 12, 5, 12, tzinfo=BER), datetime(2026, 12, 6, tzinfo=BER)
    slots = find_slots([LENA, NINA], OccurrenceIndex([]), start, end, timedelta(minutes=30))
    assert slots and all(s.night_for == ("lena", "nina") for s in slots)


def test_me_is_busy_in_every_meeting_i_have_not_declined() -> None:
    start, end = days(date(2026, 12, 1), 1, BER)
    mine = meeting(datetime(2026, 12, 1, 9, 0, tzinfo=BER), 8 * 60 + 30)  # nobody listed: only me
    slots = find_slots([LENA], OccurrenceIndex([mine]), start, end, timedelta(minutes=30), me="lena")
    assert slots and all(s.odd_for for s in slots)  # her whole working day is taken
    slots = find_slots([LENA], OccurrenceIndex([mine]), start, end, timedelta(minutes=30))
    assert slots[0].odd_for == ()  # not "me": not her meeting


def test_answers_never_overlap_one_another_and_stay_on_the_grid() -> None:
    start, end = days(date(2026, 12, 1), 3, BER)
    slots = find_slots([LENA, NINA, AVA], OccurrenceIndex([]), start, end, timedelta(minutes=50), limit=8)
    assert len(slots) == 8
    for i, a in enumerate(slots):
        assert to_min(a.start) % 15 == 0 and start <= a.start < end
        assert a.end - a.start == timedelta(minutes=50)
        for b in slots[i + 1:]:
            assert a.end <= b.start or b.end <= a.start


def to_min(value: datetime) -> int:
    return int(value.timestamp()) // 60


# ------------------------------------------------------------------ against a minute-by-minute oracle

ZONES = [BER, NY, KOL, SYD, LA]


@functools.cache
def _rules(p: Person) -> tuple[ZoneInfo, frozenset[str], time, time]:
    return ZoneInfo(p.timezone), frozenset(p.work_days), time.fromisoformat(p.work_start), time.fromisoformat(p.work_end)


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@functools.lru_cache(maxsize=100_000)  # overlapping candidates and nights ask the same minutes again
def _minute_kind(p: Person, at: datetime, window: tuple[time, time]) -> str:
    """"work", "odd" or "night" for one minute, from the rules in words (no shared code)."""
    tz, work_days, work_start, work_end = _rules(p)
    local = at.astimezone(tz)
    workday = _WEEKDAYS[local.weekday()] in work_days and local.date() not in p.days_off
    hhmm = local.time().replace(second=0, microsecond=0, tzinfo=None)
    if workday and work_start <= hhmm < work_end:
        return "work"
    if workday and window[0] <= hhmm < window[1]:
        return "odd"
    return "night"


def _night_depths(p: Person, first: datetime, last: datetime, window: tuple[time, time]) -> dict[datetime, int]:
    """For every night minute of ``[first, last)``: minutes to the nearest minute that is not
    night, found by walking the night it belongs to out to both ends, a minute at a time."""
    one = timedelta(minutes=1)

    def night(at: datetime) -> bool:
        return _minute_kind(p, at, window) == "night"

    out: dict[datetime, int] = {}
    at = first
    while at < last:
        if not night(at):
            at += one
            continue
        lo = at  # the first minute of this night
        while night(lo - one):
            lo -= one
        hi = at + one  # the first minute after it
        while night(hi):
            hi += one
        while at < min(hi, last):
            out[at] = min((at - lo) // one + 1, (hi - at) // one)
            at += one
    return out


def _oracle_rank(people: list[Person], busy: list[Occurrence], a: datetime, minutes: int,
                 window: tuple[time, time], depths: dict[str, dict[datetime, int]]) -> tuple[int, ...] | None:
    b = a + timedelta(minutes=minutes)
    for p in people:
        tz = ZoneInfo(p.timezone)
        if any(o.start < b and a < o.end and any(x.email == p.email for x in o.meeting.attendees) for o in busy):
            return None
        if a.astimezone(tz).date() in p.days_off or (b - timedelta(minutes=1)).astimezone(tz).date() in p.days_off:
            return None
    night_p = night_m = odd_p = odd_m = deepest = 0
    for p in people:
        at = [a + timedelta(minutes=k) for k in range(minutes)]
        kinds = [_minute_kind(p, m, window) for m in at]
        night_p += "night" in kinds
        night_m += kinds.count("night")
        odd_p += "odd" in kinds
        odd_m += kinds.count("odd")
        deepest = max([deepest] + [depths[p.handle][m] for m in at if m in depths[p.handle]])
    return night_p, deepest, night_m, odd_p, odd_m


@st.composite
def _team(draw: st.DrawFn) -> list[Person]:
    people = []
    for i in range(draw(st.integers(1, 3))):
        tz = draw(st.sampled_from(ZONES))
        h = draw(st.integers(6, 11))
        length = draw(st.integers(6, 9))
        off = (date(2026, 3, 27) + timedelta(days=draw(st.integers(0, 3))),) if draw(st.booleans()) else ()
        people.append(Person(f"p{i}", f"P {i}", f"p{i}@example.com", tz.key, f"{h:02d}:00",
                             f"{h + length:02d}:30", days_off=off))
    return people


@settings(max_examples=25, deadline=None)
@given(people=_team(), minutes=st.sampled_from([15, 30, 45, 90]),
       meetings=st.lists(st.tuples(st.integers(0, 4 * 96), st.integers(1, 12), st.integers(0, 2)), max_size=6))
def test_the_best_answer_is_the_oracles_best_and_no_answer_is_impossible(people, minutes, meetings) -> None:
    # 27-31 March 2026: Europe switches to summer time on the 29th, the US already has
    start = datetime(2026, 3, 27, tzinfo=UTC)
    end = start + timedelta(days=2)
    busy = [meeting(start + q * STEP, 15 * n, people[who % len(people)], uid=f"m{k}")
            for k, (q, n, who) in enumerate(meetings)]
    window = (time(7), time(21))
    slots = find_slots(people, OccurrenceIndex(busy), start, end, timedelta(minutes=minutes), window=window, limit=3)
    depths = {p.handle: _night_depths(p, start, end + timedelta(minutes=minutes), window) for p in people}
    ranks = {}
    a = start
    while a < end:
        r = _oracle_rank(people, busy, a, minutes, window, depths)
        if r is not None:
            ranks[a] = r
        a += STEP
    if not ranks:
        assert slots == []
        return
    assert slots, "the oracle found a free quarter hour"
    best = min(ranks.values())
    assert ranks.get(slots[0].start) == best
    previous = None
    for s in slots:
        r = ranks.get(s.start)
        assert r is not None  # free for everyone, no day off
        for later in s.also:  # the same time on a later day, free and exactly as good
            assert (later - s.start) % timedelta(days=1) == timedelta(0) and later > s.start
            assert ranks.get(later) == r
        assert (r[0], r[1], r[2], r[4]) == (len(s.night_for), s.night_depth, s.night_minutes, s.odd_minutes)
        assert set(s.night_for) <= set(s.odd_for) and (r[0] + r[3] > 0) == bool(s.odd_for)
        assert previous is None or previous <= r  # best first
        previous = r
