"""Short names: the first name, unless a namesake needs telling apart."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from tpm_tui.domain import Meeting, Names, Occurrence, Person, Settings, Task, short_names
from tpm_tui.logic.render import render_text
from tpm_tui.logic.results import Brief, LocalTime, MeetingView
from tpm_tui.logic.risk import assess_all
from tpm_tui.ui.text import first_name, odd_hours_line


@pytest.mark.parametrize(
    ("names", "short"),
    [
        pytest.param({"priya": "Priya Raman", "sam": "Sam Okafor"}, {"priya": "Priya", "sam": "Sam"}, id="no-namesakes"),
        pytest.param({"ak": "Alex Kim", "as": "Alex Smith", "sam": "Sam Okafor"},
                     {"ak": "Alex K.", "as": "Alex S.", "sam": "Sam"}, id="two-alexes-by-initial"),
        pytest.param({"ak": "Alex Kim", "ak2": "alex King"}, {"ak": "Alex Kim", "ak2": "alex King"}, id="same-initial-full-name"),
        pytest.param({"a1": "Alex Kim", "a2": "Alex Kim"}, {"a1": "a1", "a2": "a2"}, id="same-full-name-handle"),
        pytest.param({"p1": "Person 1", "p2": "Person 2"}, {"p1": "Person 1", "p2": "Person 2"}, id="no-last-name-initial"),
        pytest.param({"alex": "Alex", "ak": "Alex Kim"}, {"alex": "Alex", "ak": "Alex K."}, id="one-word-name"),
        pytest.param({"x": "", "y": "Yuki Tanaka"}, {"x": "x", "y": "Yuki"}, id="no-name-is-the-handle"),
        pytest.param({"x": "x", "y": "X Ray"}, {"x": "x", "y": "X R."}, id="a-name-equal-to-a-handle"),
    ],
)
def test_short_names(names, short):
    assert short_names(names) == short
    assert Names(names).short == short


@given(st.dictionaries(st.from_regex(r"[a-z]{1,3}", fullmatch=True),
                       st.lists(st.sampled_from(["Alex", "alex", "Kim", "King", "Sam", "1", "Ó"]), max_size=3).map(" ".join),
                       max_size=8))
def test_short_names_never_name_two_people_alike(names):
    short = short_names(names)
    assert set(short) == set(names)
    labels = [s.casefold() for s in short.values()]
    # a short name is shared only by people whose labels fell back to their (distinct) handles
    assert len(labels) == len(set(labels)) or any(s == h for h, s in short.items())
    for handle, label in short.items():
        assert label  # never empty
        # a label that is someone else's handle would be another person: only a fallback handle repeats
        assert label == handle or label.casefold() not in {s.casefold() for h, s in short.items() if h != handle}


def test_names_call_says_unassigned_and_unknown_handles():
    names = Names([Person("ak", "Alex Kim", "a@x", "UTC"), Person("as", "Alex Smith", "s@x", "UTC")])
    assert names["ak"] == "Alex Kim"  # still the full names
    assert (first_name("ak", names), first_name(None, names), first_name("zed", names)) == ("Alex K.", "unassigned", "zed")
    assert first_name("as", names) == "Alex S."
    assert first_name("as", dict(names)) == "Alex S."  # a plain mapping is worked out too


NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
ALEX_K = Person("ak", "Alex Kim", "ak@example.com", "UTC", "09:00", "17:00")
ALEX_S = Person("as", "Alex Smith", "as@example.com", "Asia/Tokyo", "09:00", "17:00")
ALEX_S_TZ = ZoneInfo("Asia/Tokyo")


def test_a_capacity_reason_tells_two_alexes_apart():
    task = Task("T-1", "T", "Report", assignee="ak", due=date(2026, 3, 6), remaining_hours=30, updated_at=NOW, created_at=NOW)
    (item,) = assess_all([task], [ALEX_K, ALEX_S], [], NOW, Settings(timezone="UTC"))
    assert item.reasons[0] == "needs 30h, Alex K. has 24h free before Fri 17:00 (their time)"


def test_odd_hours_lines_tell_two_alexes_apart():
    start, end = datetime(2026, 3, 4, 20, 0, tzinfo=UTC), datetime(2026, 3, 4, 20, 30, tzinfo=UTC)
    m = Meeting(uid="m1", start=start, end=end, summary="Late review")
    view = MeetingView(Occurrence(m, start, end), start, end, odd_hours_for=("ak", "as"),
                       local_times=(LocalTime("ak", start, end, True),
                                    LocalTime("as", start.astimezone(ALEX_S_TZ), end.astimezone(ALEX_S_TZ), True)))
    line = odd_hours_line(view, Names([ALEX_K, ALEX_S]))
    assert line.replace("\u00a0", " ") == "Alex K. 20:00–20:30 Wed, Alex S. 05:00–05:30 Thu"  # each entry glued
    text = render_text(Brief(day=date(2026, 3, 4), tz="UTC", now=NOW, meetings=(view,)), [ALEX_K, ALEX_S])
    assert "Alex K. 20:00–20:30 Wed" in text and "Alex S. 05:00–05:30 Thu" in text
    assert "Alex 20:00" not in text
