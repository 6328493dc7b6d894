"""Recurrence rules in plain words (``tpm_tui.logic.rrule_text``), checked against a table and
against what dateutil expands the same rule to."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from tpm_tui.logic.rrule_text import DAY_CODES, DAY_NAMES, describe, ordinal

TOKYO = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 11, 25, 12, 30, tzinfo=TOKYO)  # a Wednesday, the 25th


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "every weekday"),
        ("FREQ=WEEKLY", "weekly on Wed"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,MO", "every 2 weeks on Mon, Thu"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE;WKST=SU", "weekly on Mon–Wed"),
        ("RRULE:FREQ=WEEKLY;BYDAY=SA,SU", "weekly on Sat, Sun"),
        ("FREQ=DAILY", "daily"),
        ("FREQ=DAILY;INTERVAL=3", "every 3 days"),
        ("FREQ=MONTHLY;BYDAY=2TU", "monthly on the 2nd Tue"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "monthly on the last Fri"),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=3", "monthly on the 3rd Tue"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "monthly on the last weekday"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "monthly on the 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "monthly on the last day"),
        ("FREQ=MONTHLY", "monthly on the 25th"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "every 3 months on the 1st"),
        ("FREQ=YEARLY", "yearly on 25 Nov"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3", "yearly on 3 Mar"),
        ("FREQ=YEARLY;INTERVAL=1;BYMONTH=11;BYDAY=4TH", "yearly on the 4th Thu of Nov"),
        ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10;COUNT=3", "yearly on the last Sun of Oct, 3 times"),
        ("FREQ=WEEKLY;BYDAY=WE;COUNT=10", "weekly on Wed, 10 times"),
        ("FREQ=WEEKLY;COUNT=1", "weekly on Wed, once"),
        # UNTIL in UTC is read in the series' zone: 14:59:59Z is 23:59:59 on the 31st in Tokyo
        ("FREQ=WEEKLY;BYDAY=WE;UNTIL=20261231T145959Z", "weekly on Wed, until Thu 31 Dec 2026"),
        ("FREQ=WEEKLY;BYDAY=WE;UNTIL=20261231T150000Z", "weekly on Wed, until Fri 01 Jan 2027"),
        ("FREQ=WEEKLY;UNTIL=20270115", "weekly on Wed, until Fri 15 Jan 2027"),
    ],
)
def test_rules_calendar_clients_write_read_as_sentences(rule: str, words: str) -> None:
    assert describe(rule, START) == words


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",  # not a meeting cadence it words
        "FREQ=WEEKLY;BYHOUR=9,15",  # a part it does not know
        "FREQ=YEARLY;BYWEEKNO=20",
        "FREQ=WEEKLY;BYDAY=XX",  # broken
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20270101",  # both (RFC 5545 forbids it)
        "FREQ=MONTHLY;BYDAY=1SA,1SU",
        "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=1E",  # a broken month (libical's crash.ics)
        "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4,10",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,-1",
        "INTERVAL=2",  # no FREQ
        "FREQ=WEEKLY;FREQ=DAILY",
        "",
    ],
)
def test_what_it_cannot_word_is_left_as_written(rule: str) -> None:
    assert describe(rule, START) is None


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31, -1, -2)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st", "last", "2nd last",
    ]


def _expand(rule: str, start: datetime, n: int = 40) -> list[datetime]:
    got = []
    for value in rrulestr(rule, dtstart=start):
        got.append(value)
        if len(got) >= n:
            break
    return got


@settings(max_examples=150, deadline=None)
@given(
    freq=st.sampled_from(["DAILY", "WEEKLY"]),
    days=st.sets(st.integers(0, 6), max_size=7),
    interval=st.integers(1, 3),
    offset=st.integers(0, 400),
)
def test_named_days_are_the_days_dateutil_expands_to(freq: str, days: set[int], interval: int, offset: int) -> None:
    start = START + timedelta(days=offset)
    rule = f"FREQ={freq};INTERVAL={interval}"
    if days:
        rule += ";BYDAY=" + ",".join(DAY_CODES[d] for d in sorted(days))
    words = describe(rule, start)
    assert words is not None
    seen = {v.weekday() for v in _expand(rule, start, 60)}
    if words == "every weekday":
        assert seen == set(range(5))
    elif " on " in words or (words.startswith("every ") and not words.endswith(" days")):
        listed = words.split(" on ")[-1] if " on " in words else words.removeprefix("every ")
        if "–" in listed:
            a, b = listed.split("–")
            named = set(range(DAY_NAMES.index(a), DAY_NAMES.index(b) + 1))
        else:
            named = {DAY_NAMES.index(x) for x in listed.split(", ")}
        assert named == seen, (rule, words)
    else:  # plain "daily" / "every N days": every weekday turns up
        assert words in ("daily", f"every {interval} days")
        assert len(seen) == 7 or interval > 1


@settings(max_examples=100, deadline=None)
@given(pos=st.sampled_from([1, 2, 3, 4, -1, -2]), day=st.integers(0, 6), offset=st.integers(0, 400),
       by_setpos=st.booleans())
def test_the_nth_weekday_of_the_month_is_what_dateutil_expands_to(pos: int, day: int, offset: int, by_setpos: bool) -> None:
    start = START + timedelta(days=offset)
    code = DAY_CODES[day]
    rule = f"FREQ=MONTHLY;BYDAY={code};BYSETPOS={pos}" if by_setpos else f"FREQ=MONTHLY;BYDAY={pos}{code}"
    assert describe(rule, start) == f"monthly on the {ordinal(pos)} {DAY_NAMES[day]}"
    for value in _expand(rule, start, 12):
        same = [d for d in range(1, calendar.monthrange(value.year, value.month)[1] + 1)
                if date(value.year, value.month, d).weekday() == day]
        assert value.weekday() == day and value.day == same[pos - 1 if pos > 0 else pos]
