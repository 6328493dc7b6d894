"""``Store.meetings_within``: only the meetings near a range are decoded and indexed, and an
index of them answers every window inside the range exactly as an index of all meetings.

A database with years of history must not pay for it at start-up (25k past meetings cost
~0.8 s of decoding); these tests hold the shortcut to "same answer as the full index".
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import Attendee, Meeting, recurrence_key
from tpm_tui.logic.recurrence import MeetingIndex
from tpm_tui.services import brief as brief_service
from tpm_tui.services.imports import import_sources
from tpm_tui.storage import Store

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "ics-corpus"
# extreme offsets (+14, -11, +05:45), both hemispheres, and floating times (None)
ZONES = [ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago"), ZoneInfo("Asia/Kathmandu"),
         ZoneInfo("Europe/Berlin"), ZoneInfo("Australia/Sydney"), UTC, None]
VIEWS = [ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago"), ZoneInfo("Europe/Berlin")]
BASE = date(2026, 11, 30)


def occ(index: MeetingIndex, start: datetime, end: datetime, view: ZoneInfo) -> list[tuple[object, ...]]:
    return [(o.uid, o.recurrence_id, o.start, o.end, o.meeting.summary) for o in index.between(start, end, view)]


def window(first: date, days: int, view: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(0), tzinfo=view)
    return start, start + timedelta(days=days)


def assert_same_as_full(store: Store, windows: list[tuple[date, int, ZoneInfo]]) -> int:
    """Each window, asked of an index built from ``meetings_within`` exactly its own local
    dates, equals the answer of an index of all meetings."""
    full = MeetingIndex(store.meetings())
    seen = 0
    for first, days, view in windows:
        start, end = window(first, days, view)
        near = store.meetings_within(first, first + timedelta(days=days - 1))
        got = occ(MeetingIndex(near), start, end, view)
        assert got == occ(full, start, end, view), (first, days, view)
        seen += len(got)
    return seen


def _when(rng: random.Random, day: date) -> tuple[date | datetime, date | datetime, bool]:
    tz = rng.choice(ZONES)
    if rng.random() < 0.15:  # all day, sometimes several days
        return day, day + timedelta(days=rng.choice([1, 1, 3])), True
    start = datetime.combine(day, time(rng.choice([0, 1, 9, 13, 22, 23]), rng.choice([0, 30])), tzinfo=tz)
    minutes = rng.choice([30, 60, 90, 600, 60 * 24 * 5])  # up to a five-day "long" event
    return start, start + timedelta(minutes=minutes), False


def history(seed: int, n: int = 300) -> list[Meeting]:
    """Singles over three years, weekly and daily series (bounded or not), moved, cancelled
    and orphan overrides, cancelled singles, and singles sharing a UID with an override."""
    rng = random.Random(seed)
    out: list[Meeting] = []
    for i in range(n):
        day = BASE + timedelta(days=rng.randint(-1100, 200))
        start, end, all_day = _when(rng, day)
        kind = rng.random()
        if kind < 0.7:
            status = "CANCELLED" if rng.random() < 0.05 else "CONFIRMED"
            out.append(Meeting(uid=f"s{i}", start=start, end=end, all_day=all_day, summary=f"single {i}",
                               status=status, attendees=(Attendee("a@x.org", "A", "ACCEPTED"),)))
            if rng.random() < 0.05:  # an override of a single (its own occurrence, moved)
                out.append(Meeting(uid=f"s{i}", recurrence_id=recurrence_key(start), start=start + timedelta(days=1),
                                   end=end + timedelta(days=1), all_day=all_day, summary=f"single {i} moved"))
            continue
        rule = rng.choice(["FREQ=WEEKLY", "FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;COUNT=10",
                           f"FREQ=WEEKLY;UNTIL={day + timedelta(days=60):%Y%m%d}"])
        master = Meeting(uid=f"r{i}", start=start, end=end, all_day=all_day, rrule=rule, summary=f"series {i}")
        out.append(master)
        for k in range(rng.randint(0, 3)):  # overrides: moved by days, or cancelled
            original = start + timedelta(weeks=k + 1) if "WEEKLY" in rule else start + timedelta(days=3 * (k + 1))
            shift = timedelta(days=rng.choice([-2, 1, 30]))
            out.append(Meeting(uid=f"r{i}", recurrence_id=recurrence_key(original), start=original + shift,
                               end=original + shift + (end - start), all_day=all_day, summary=f"series {i} #{k}",
                               status="CANCELLED" if rng.random() < 0.3 else "CONFIRMED"))
    if out:  # an override whose series never arrived
        day = BASE + timedelta(days=rng.randint(-30, 30))
        start, end, all_day = _when(rng, day)
        out.append(Meeting(uid="orphan", recurrence_id=recurrence_key(start), start=start, end=end, all_day=all_day,
                           summary="orphan override"))
    return out


def windows_for(seed: int, count: int) -> list[tuple[date, int, ZoneInfo]]:
    rng = random.Random(seed + 1)
    return [(BASE + timedelta(days=rng.randint(-1110, 210)), rng.choice([1, 1, 7, 31]), rng.choice(VIEWS))
            for _ in range(count)]


@pytest.mark.parametrize("seed", range(12))
def test_an_index_of_the_nearby_meetings_answers_like_an_index_of_all(seed: int) -> None:
    store = Store.in_memory()
    store.put_meetings(history(seed))
    assert assert_same_as_full(store, windows_for(seed, 60)) > 20  # the windows did find meetings


def test_the_real_world_corpus_answers_the_same_around_every_event(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"real-world corpus not present at {CORPUS}")
    store = Store.open(tmp_path / "c.json")
    for path in sorted(CORPUS.glob("*.ics")):
        import_sources(store, [str(path)])  # the malformed ones are refused: nothing stored
    meetings = store.meetings()
    assert len(meetings) > 80  # 93 stored from the 48 files
    days = sorted({(m.start if isinstance(m.start, date) and not isinstance(m.start, datetime)
                    else m.start.date()) for m in meetings})
    full = MeetingIndex(meetings)
    found = 0
    for d in days:  # one index of the meetings near each event's day, asked four windows inside its range
        near = MeetingIndex(store.meetings_within(d - timedelta(days=5), d + timedelta(days=9)))
        for shift, span, view in ((-1, 1, VIEWS[0]), (0, 1, VIEWS[1]), (1, 1, VIEWS[2]), (-3, 7, VIEWS[2])):
            start, end = window(d + timedelta(days=shift), span, view)
            got = occ(near, start, end, view)
            assert got == occ(full, start, end, view), (d, shift, span, view)
            found += len(got)
    assert found > 100


def test_only_the_nearby_singles_are_decoded() -> None:
    store = Store.in_memory()
    rng = random.Random(11)
    past = [Meeting(uid=f"old{i}", start=(at := datetime.combine(BASE - timedelta(days=rng.randint(15, 1100)),
                                                                 time(9), tzinfo=UTC)),
                    end=at + timedelta(hours=1), summary="three years of history") for i in range(1500)]
    meetings = past + history(99, n=100)
    store.put_meetings(meetings)
    store._cache.clear()  # noqa: SLF001 - as after opening the file: nothing decoded yet
    near = store.meetings_within(BASE - timedelta(days=7), BASE + timedelta(days=7))
    decoded = store._cache["typed:meetings"]  # noqa: SLF001
    assert not store._cache.get("typed-all:meetings")  # noqa: SLF001 - the full decode never ran
    assert len(decoded) == len(near) < len(meetings) // 10
    assert store.meetings_within(BASE, BASE)[0] is near[0]  # decoded once, the same object after
    everything = {m.key: m for m in store.meetings()}  # completing the decode keeps those objects
    assert all(everything[m.key] is m for m in near)
    singles = [m for m in near if not m.is_recurring and m.recurrence_id is None]
    overridden = {m.uid for m in meetings if m.recurrence_id is not None}
    for m in singles:  # each single kept is near the range, or shares its UID with an override
        day = m.start if not isinstance(m.start, datetime) else m.start.date()
        end = m.end if not isinstance(m.end, datetime) else m.end.date()
        assert m.uid in overridden or (BASE - timedelta(days=9) <= end and day <= BASE + timedelta(days=9))


def test_writes_show_in_the_nearby_meetings_at_once() -> None:
    store = Store.in_memory()
    store.put_meetings(history(5))
    berlin = ZoneInfo("Europe/Berlin")
    at = datetime(2026, 12, 1, 10, tzinfo=berlin)
    first, last = BASE - timedelta(days=3), BASE + timedelta(days=3)
    before = {m.key for m in store.meetings_within(first, last)}
    store.put_meetings([Meeting(uid="new", start=at, end=at + timedelta(hours=1), summary="new one", tzid="Europe/Berlin")])
    assert [m.summary for m in store.meetings_within(first, last) if m.uid == "new"] == ["new one"]
    store.put_meetings([Meeting(uid="new", start=at, end=at + timedelta(hours=1), summary="renamed",
                                tzid="Europe/Berlin", sequence=1)])
    assert [m.summary for m in store.meetings_within(first, last) if m.uid == "new"] == ["renamed"]
    store.meetings()  # with the full decode present the answer is the same
    assert [m.summary for m in store.meetings_within(first, last) if m.uid == "new"] == ["renamed"]
    assert store.delete_meetings([("new", None)]) == 1
    assert {m.key for m in store.meetings_within(first, last)} == before


def test_the_brief_pages_far_back_through_a_second_index() -> None:
    store = Store.in_memory()
    store.put_meetings(history(3, n=400))
    view = ZoneInfo("Europe/Berlin")
    full = MeetingIndex(store.meetings())
    store._cache.clear()  # noqa: SLF001
    for first in (BASE, BASE - timedelta(days=400), BASE + timedelta(days=150), BASE - timedelta(days=1000)):
        start, end = window(first, 1, view)
        got = brief_service.occurrences_between(store, start, end, view)
        assert [(o.uid, o.start) for o in got] == [(o.uid, o.start) for o in full.between(start, end, view)]
    covers = brief_service._meeting_cache(store)["indexes"]  # noqa: SLF001
    assert len(covers) == 4  # one per far-apart page, each two months back and four ahead


def test_a_meeting_two_dates_away_in_another_zone_is_near() -> None:
    """23:00 on Tuesday in Pago Pago (-11) is 00:00 on Thursday in Kiritimati (+14): the
    stored dates (start and end) are two days before the date it is seen on."""
    store = Store.in_memory()
    pago, kiri = ZoneInfo("Pacific/Pago_Pago"), ZoneInfo("Pacific/Kiritimati")
    at = datetime(2026, 12, 1, 23, 0, tzinfo=pago)
    store.put_meetings([Meeting(uid="late", start=at, end=at + timedelta(minutes=30), tzid="Pacific/Pago_Pago")])
    thursday = date(2026, 12, 3)
    assert at.astimezone(kiri).date() == thursday
    assert [m.uid for m in store.meetings_within(thursday, thursday)] == ["late"]
    assert assert_same_as_full(store, [(thursday, 1, kiri)]) == 1


def test_a_cancelled_single_far_away_still_hides_its_moved_occurrence() -> None:
    """A single meeting cancelled in the past, whose occurrence had been moved into the range:
    the whole UID is cancelled, so the moved occurrence stays hidden (as with all meetings)."""
    store = Store.in_memory()
    berlin = ZoneInfo("Europe/Berlin")
    old = datetime(2026, 6, 1, 10, tzinfo=berlin)
    moved = datetime(2026, 12, 1, 10, tzinfo=berlin)
    store.put_meetings([
        Meeting(uid="x", start=old, end=old + timedelta(hours=1), status="CANCELLED", summary="cancelled"),
        Meeting(uid="x", recurrence_id=recurrence_key(old), start=moved, end=moved + timedelta(hours=1), summary="moved"),
        Meeting(uid="y", start=moved, end=moved + timedelta(hours=1), summary="another"),
    ])
    near = store.meetings_within(date(2026, 12, 1), date(2026, 12, 1))
    assert {(m.uid, m.summary) for m in near} == {("x", "cancelled"), ("x", "moved"), ("y", "another")}
    assert assert_same_as_full(store, [(date(2026, 12, 1), 1, berlin)]) == 1  # only "another"


def test_a_series_from_long_ago_and_an_occurrence_moved_far_away_are_near() -> None:
    """The master of a weekly series that began two years ago is always near; so is the
    override that moved this week's occurrence two months on (else the series would show
    the occurrence at its old time)."""
    store = Store.in_memory()
    berlin = ZoneInfo("Europe/Berlin")
    first = datetime(2024, 12, 1, 9, tzinfo=berlin)  # a Sunday
    this_week = datetime(2026, 11, 29, 9, tzinfo=berlin)
    later = datetime(2027, 2, 1, 9, tzinfo=berlin)
    store.put_meetings([
        Meeting(uid="w", start=first, end=first + timedelta(hours=1), rrule="FREQ=WEEKLY", summary="weekly"),
        Meeting(uid="w", recurrence_id=recurrence_key(this_week), start=later, end=later + timedelta(hours=1),
                summary="moved"),
    ])
    near = store.meetings_within(date(2026, 11, 29), date(2026, 12, 6))
    assert sorted(m.summary for m in near) == ["moved", "weekly"]
    shown = assert_same_as_full(store, [(date(2026, 11, 29), 8, berlin)])
    assert shown == 1  # the 6 Dec occurrence only: 29 Nov moved away


@pytest.mark.parametrize("shift", [-3, -2, 0, 2, 3])
def test_near_means_within_two_days_of_the_range_by_the_stored_dates(shift: int) -> None:
    store = Store.in_memory()
    day = BASE + timedelta(days=shift)
    at = datetime.combine(day, time(23, 0), tzinfo=ZoneInfo("Europe/Berlin"))
    store.put_meetings([
        Meeting(uid="timed", start=at, end=at + timedelta(minutes=30), tzid="Europe/Berlin"),
        Meeting(uid="all-day", start=day, end=day + timedelta(days=1), all_day=True),
    ])
    near = {m.uid for m in store.meetings_within(BASE, BASE)}
    # the all-day event's end is the next date (exclusive): it reaches one day further forward
    expected = {"timed", "all-day"} if -2 <= shift <= 2 else {"all-day"} if shift == -3 else set()
    assert near == expected
