"""A day's meetings: odd hours per person (across DST), local times, conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person
from tpm_tui.logic.agenda import day_views, is_odd_for, related_projects

NY = ZoneInfo("America/New_York")
LON = ZoneInfo("Europe/London")

PEOPLE = [
    Person("nina", "Nina Park", "nina@example.com", "America/New_York", "09:00", "17:30"),
    Person("liam", "Liam Hart", "liam@example.com", "Europe/London", "09:00", "17:30"),
    Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata", "09:00", "17:30"),
    Person("kenji", "Kenji Sato", "kenji@example.com", "Asia/Tokyo", "09:00", "17:30"),
]
EVERYONE = tuple(Attendee(p.email, p.name, "ACCEPTED") for p in PEOPLE[1:])


def review(day: date, hh: int, mm: int = 0, minutes: int = 30, uid: str = "review", **kw) -> Occurrence:
    start = datetime.combine(day, time(hh, mm), tzinfo=NY)
    end = datetime.fromtimestamp(start.timestamp() + 60 * minutes, NY)
    attendees = kw.pop("attendees", EVERYONE)
    m = Meeting(uid=uid, start=start, end=end, summary=kw.pop("summary", "Design review"), attendees=attendees, **kw)
    return Occurrence(meeting=m, start=start, end=end)


def labels(view) -> dict[str, str]:
    names = {p.handle: p.name.split()[0] for p in PEOPLE}
    return {lt.handle: lt.label(names[lt.handle]) for lt in view.local_times}


def test_review_at_17_new_york_in_january_is_odd_for_london_kolkata_tokyo():
    [v] = day_views([review(date(2026, 1, 15), 17)], date(2026, 1, 15), NY, PEOPLE, "nina")
    assert labels(v) == {
        "nina": "Nina 17:00–17:30 Thu",
        "liam": "Liam 22:00–22:30 Thu",
        "priya": "Priya 03:30–04:00 Fri",
        "kenji": "Kenji 07:00–07:30 Fri",
    }
    assert v.odd_hours_for == ("liam", "priya", "kenji")
    assert v.odd_hours is True
    assert v.start == datetime(2026, 1, 15, 17, 0, tzinfo=NY)
    assert v.start.utcoffset().total_seconds() == -5 * 3600


def test_march_weeks_when_only_the_us_has_switched():
    # 2026-03-12: New York is on EDT (since 03-08), London still on GMT (until 03-29)
    [v] = day_views([review(date(2026, 3, 12), 17)], date(2026, 3, 12), NY, PEOPLE, "nina")
    assert labels(v) == {
        "nina": "Nina 17:00–17:30 Thu",
        "liam": "Liam 21:00–21:30 Thu",
        "priya": "Priya 02:30–03:00 Fri",
        "kenji": "Kenji 06:00–06:30 Fri",
    }
    assert v.odd_hours_for == ("liam", "priya", "kenji")
    # after 03-29 both are on summer time: the five-hour gap is back
    [v] = day_views([review(date(2026, 4, 2), 17)], date(2026, 4, 2), NY, PEOPLE, "nina")
    assert labels(v)["liam"] == "Liam 22:00–22:30 Thu"


@pytest.mark.parametrize(
    ("day", "london", "odd"),
    [
        (date(2026, 1, 15), "Liam 18:00–18:30 Thu", ("liam", "priya", "kenji")),
        (date(2026, 3, 12), "Liam 17:00–17:30 Thu", ("priya", "kenji")),  # fits London's day only now
        (date(2026, 4, 2), "Liam 18:00–18:30 Thu", ("liam", "priya", "kenji")),
    ],
)
def test_a_13_00_new_york_call_fits_london_only_in_the_gap_weeks(day, london, odd):
    [v] = day_views([review(day, 13)], day, NY, PEOPLE, "nina")
    assert labels(v)["liam"] == london
    assert v.odd_hours_for == odd


def test_weekend_and_day_off_are_odd_and_declined_attendees_are_left_out():
    people = [*PEOPLE[:1], Person("liam", "Liam Hart", "liam@example.com", "Europe/London", days_off=(date(2026, 1, 14),))]
    sat = review(date(2026, 1, 17), 10, attendees=(Attendee("liam@example.com"),))
    [v] = day_views([sat], date(2026, 1, 17), NY, people, "nina")
    assert v.odd_hours_for == ("nina", "liam")  # Saturday for both
    off = review(date(2026, 1, 14), 9, attendees=(Attendee("liam@example.com"),))  # 14:00 London on his day off
    [v] = day_views([off], date(2026, 1, 14), NY, people, "nina")
    assert v.odd_hours_for == ("liam",)
    declined = review(date(2026, 1, 17), 10, attendees=(Attendee("liam@example.com", partstat="DECLINED"),))
    [v] = day_views([declined], date(2026, 1, 17), NY, people, None)
    assert v.local_times == () and v.odd_hours is False


def test_only_the_part_outside_hours_matters():
    liam = PEOPLE[1]
    assert is_odd_for(liam, datetime(2026, 1, 15, 17, 0, tzinfo=LON), datetime(2026, 1, 15, 17, 30, tzinfo=LON)) is False
    assert is_odd_for(liam, datetime(2026, 1, 15, 17, 0, tzinfo=LON), datetime(2026, 1, 15, 17, 31, tzinfo=LON)) is True
    assert is_odd_for(liam, datetime(2026, 1, 15, 8, 59, tzinfo=LON), datetime(2026, 1, 15, 9, 30, tzinfo=LON)) is True


def test_view_zone_moves_a_meeting_to_the_next_day():
    occ = review(date(2026, 1, 15), 17)
    tokyo = ZoneInfo("Asia/Tokyo")
    assert day_views([occ], date(2026, 1, 15), tokyo, PEOPLE, None) == []
    [v] = day_views([occ], date(2026, 1, 16), tokyo, PEOPLE, None)
    assert v.start == datetime(2026, 1, 16, 7, 0, tzinfo=tokyo)
    assert v.start.isoformat() == "2026-01-16T07:00:00+09:00"


def test_conflicts_sorting_all_day_floating_and_cancelled():
    day = date(2026, 1, 15)
    nina = Attendee("nina@example.com", partstat="ACCEPTED")
    a = review(day, 10, minutes=60, uid="a", summary="A")
    b = review(day, 10, 30, minutes=45, uid="b", summary="B")  # overlaps a
    c = review(day, 11, 15, minutes=45, uid="c", summary="C")  # touches b only
    d = review(day, 10, 15, minutes=30, uid="d", summary="D", attendees=(Attendee("nina@example.com", partstat="DECLINED"),))
    e = review(day, 10, 0, minutes=60, uid="e", summary="E", status="CANCELLED")
    allday_m = Meeting(uid="hol", start=day, end=date(2026, 1, 16), all_day=True, summary="Offsite", attendees=(nina,))
    allday = Occurrence(allday_m, day, date(2026, 1, 16))
    floating_m = Meeting(uid="f", start=datetime(2026, 1, 15, 8, 0), end=datetime(2026, 1, 15, 8, 30), summary="F")
    floating = Occurrence(floating_m, floating_m.start, floating_m.end)
    views = day_views([c, b, a, d, e, allday, floating], day, NY, PEOPLE, "nina")
    assert [v.occurrence.uid for v in views] == ["hol", "f", "a", "d", "b", "c"]
    by_uid = {v.occurrence.uid: v for v in views}
    assert by_uid["a"].conflicts_with == ("b",)
    assert by_uid["b"].conflicts_with == ("a",)
    assert by_uid["c"].conflicts_with == ()
    assert by_uid["d"].conflicts_with == ()  # declined by me: not a conflict
    assert by_uid["hol"].start == day and by_uid["hol"].end == date(2026, 1, 16)
    assert by_uid["hol"].local_times == () and by_uid["hol"].odd_hours is False
    # floating 08:00 stays 08:00 in the view zone, and is before Nina's 09:00
    assert by_uid["f"].start == datetime(2026, 1, 15, 8, 0, tzinfo=NY)
    assert by_uid["f"].odd_hours_for == ("nina",)


def test_all_day_event_covers_its_dates_in_any_zone_and_spans():
    m = Meeting(uid="trip", start=date(2026, 1, 14), end=date(2026, 1, 16), all_day=True)
    occ = Occurrence(m, m.start, m.end)
    for tz in (NY, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")):
        assert [len(day_views([occ], d, tz, PEOPLE, None)) for d in (date(2026, 1, 13), date(2026, 1, 14), date(2026, 1, 15), date(2026, 1, 16))] == [0, 1, 1, 0]


def test_meeting_ending_at_midnight_does_not_spill_and_overnight_one_does():
    late = review(date(2026, 1, 15), 23, minutes=60, uid="late")
    assert len(day_views([late], date(2026, 1, 15), NY, PEOPLE, None)) == 1
    assert day_views([late], date(2026, 1, 16), NY, PEOPLE, None) == []
    over = review(date(2026, 1, 15), 23, minutes=90, uid="over")
    [v] = day_views([over], date(2026, 1, 16), NY, PEOPLE, None)
    assert v.end == datetime(2026, 1, 16, 0, 30, tzinfo=NY)


def test_conflict_detection_across_the_fall_back_hour():
    # 2026-11-01 01:30 EDT and 01:15 EST are 45 minutes apart in real time
    a_start = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    b_start = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST
    ma = Meeting(uid="a", start=a_start, end=datetime(2026, 11, 1, 6, 0, tzinfo=UTC))
    mb = Meeting(uid="b", start=b_start, end=datetime(2026, 11, 1, 6, 45, tzinfo=UTC))
    views = day_views([Occurrence(mb, mb.start, mb.end), Occurrence(ma, ma.start, ma.end)], date(2026, 11, 1), NY, PEOPLE, None)
    assert [v.occurrence.uid for v in views] == ["a", "b"]
    assert [v.conflicts_with for v in views] == [(), ()]


@pytest.mark.parametrize(("partstat", "answer", "words"), [
    ("ACCEPTED", "ACCEPTED", None),
    ("NEEDS-ACTION", "NEEDS-ACTION", "(not answered)"),
    ("declined", "DECLINED", "(you declined)"),
    ("TENTATIVE", "TENTATIVE", "(you: maybe)"),
])
def test_my_answer_to_an_invitation_is_kept_and_said(partstat: str, answer: str, words: str | None) -> None:
    from tpm_tui.logic.render import meeting_lines

    invited = review(date(2026, 1, 13), 10, attendees=(Attendee("nina@example.com", partstat=partstat),
                                                       *EVERYONE))
    [v] = day_views([invited], date(2026, 1, 13), NY, PEOPLE, "nina")
    assert v.my_answer == answer
    first = meeting_lines([v], NY, date(2026, 1, 13), {})[0]
    assert first.endswith("Design review" if words is None else f"Design review  {words}")
    # not invited as an attendee (an organiser's own event, a calendar feed): nothing to say
    [own] = day_views([review(date(2026, 1, 13), 11)], date(2026, 1, 13), NY, PEOPLE, "nina")
    assert own.my_answer == ""


# --------------------------------------------------------------- a span grouped by day

from datetime import timedelta  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from tpm_tui.logic.agenda import by_local_day  # noqa: E402

_ZONES = [ZoneInfo(z) for z in ("America/New_York", "Europe/London", "Asia/Kolkata", "Pacific/Auckland", "UTC")]
_SPAN_FIRST = date(2026, 10, 23)  # the span crosses both October changes and the US one in November


@st.composite
def _occurrence(draw: st.DrawFn) -> Occurrence:
    kind = draw(st.sampled_from(["aware", "floating", "all_day", "instant"]))
    day = _SPAN_FIRST + timedelta(days=draw(st.integers(-3, 14)))
    uid = f"m{draw(st.integers(0, 10**6))}"
    if kind == "all_day":
        end = day + timedelta(days=draw(st.integers(0, 4)))  # 0: a zero-length all-day event
        m = Meeting(uid=uid, start=day, end=end, summary="off-site")
        return Occurrence(meeting=m, start=day, end=end)
    minutes = 0 if kind == "instant" else draw(st.integers(1, 60 * 50))
    naive = datetime.combine(day, time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45]))))
    if kind == "floating":
        start, end = naive, naive + timedelta(minutes=minutes)
    else:
        tz = draw(st.sampled_from(_ZONES))
        start = naive.replace(tzinfo=tz)
        end = datetime.fromtimestamp(start.timestamp() + 60 * minutes, tz)
    m = Meeting(uid=uid, start=start, end=end, summary="call", attendees=EVERYONE)
    return Occurrence(meeting=m, start=start, end=end)


@settings(max_examples=150, deadline=None)
@given(occurrences=st.lists(_occurrence(), max_size=12), view=st.sampled_from(_ZONES),
       days=st.integers(1, 10))
def test_grouping_a_span_by_local_day_keeps_each_days_meetings(occurrences, view, days):
    """What ``tpm agenda`` shows for each day from the grouped span is what the day shows
    filtered from the whole span (all-day spans, overnight and floating meetings, DST days)."""
    grouped = by_local_day(occurrences, _SPAN_FIRST, days, view)
    assert list(grouped) == [_SPAN_FIRST + timedelta(days=i) for i in range(days)]
    for day, some in grouped.items():
        assert day_views(some, day, view, PEOPLE, "nina") == day_views(occurrences, day, view, PEOPLE, "nina")


# ------------------------------------------------------------------ join links

from tpm_tui.logic.agenda import join_link  # noqa: E402


def _meeting(location: str = "", description: str = "") -> Meeting:
    t = datetime(2026, 12, 1, 9, tzinfo=UTC)
    return Meeting(uid="j", start=t, end=t, summary="x", location=location, description=description)


@pytest.mark.parametrize(("location", "description", "link"), [
    ("https://meet.example.com/qa", "", "https://meet.example.com/qa"),  # a link given as the place
    ("Room Spree / video", "", None),
    ("Room 4 (https://zoom.us/j/123456?pwd=abc).", "", "https://zoom.us/j/123456?pwd=abc"),
    # Google: the Meet link in the description, after help and options links that are not the call
    ("", "Learn more: https://support.google.com/a/users/answer/9282720\n"
         "Join with Google Meet: https://meet.google.com/abc-defg-hij\nJoin by phone +1 555", "https://meet.google.com/abc-defg-hij"),
    # Outlook: <…> around it; the call comes before its options link but is found by address anyway
    ("Microsoft Teams Meeting", "Meeting options<https://teams.microsoft.com/meetingOptions/?organizerId=1>\n"
     "Join<https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=%7b%7d>",
     "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=%7b%7d"),
    ("Room B", "Agenda: https://wiki.example.com/agenda", None),  # a link in the text is not the call
    ("", "javascript:alert(1) ftp://files.example.com", None),
    ("HTTPS://ACME.WEBEX.COM/meet/pr1", "", "HTTPS://ACME.WEBEX.COM/meet/pr1"),
    ("(see https://meet.example.com/Room_(2)).", "", "https://meet.example.com/Room_(2)"),  # its own brackets stay
])
def test_the_join_link_is_the_call_address_not_any_link(location: str, description: str, link: str | None) -> None:
    assert join_link(_meeting(location, description)) == link


def test_the_teams_invite_of_the_corpus_has_its_join_link(tmp_path) -> None:  # noqa: ANN001
    from tests.conftest import CORPUS
    from tpm_tui.services.imports import import_sources
    from tpm_tui.storage import Store

    teams = CORPUS / "tb__teams-meeting-invite.ics"
    if not teams.exists():
        pytest.skip(f"real-world corpus not present at {CORPUS}")
    store = Store.in_memory()
    import_sources(store, [str(teams)])
    [meeting] = store.meetings()
    link = join_link(meeting)
    assert link is not None and link.startswith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_")
    assert not link.endswith(">") and "meetingOptions" not in link


# --------------------------------------------------------------- reminders

from tpm_tui.logic.agenda import reminder_text, reminders_due  # noqa: E402


def _day_of_reminders():  # noqa: ANN202
    day = date(2026, 1, 13)
    occs = [
        review(day, 10, uid="standup", summary="Stand-up"),
        review(day, 10, 10, uid="later", summary="Later"),
        review(day, 9, 52, uid="begun", summary="Begun"),
        review(day, 9, 50, uid="long-begun", summary="Long begun"),
        review(day, 9, 58, uid="declined", summary="Declined",
               attendees=(Attendee("nina@example.com", partstat="DECLINED"), *EVERYONE)),
    ]
    allday = Meeting(uid="holiday", start=day, end=day + timedelta(days=1), all_day=True, summary="Holiday")
    occs.append(Occurrence(meeting=allday, start=day, end=day + timedelta(days=1)))
    return day_views(occs, day, NY, PEOPLE, "nina")


@pytest.mark.parametrize(
    ("hh", "mm", "lead", "told", "expected"),
    [
        (9, 56, 5, (), ["Begun", "Stand-up"]),  # Begun started 4 min ago; Stand-up in 4 min; Later in 14
        (9, 56, 15, (), ["Begun", "Stand-up", "Later"]),
        (9, 54, 5, (), ["Long begun", "Begun"]),  # Long begun started 4 min ago: still said
        (9, 56, 5, ("standup",), ["Begun"]),  # said once
        (9, 56, 0, (), []),  # 0: never
        (9, 40, 5, (), []),
        (10, 6, 5, (), ["Later"]),  # Stand-up started 6 min ago: no longer
    ],
)
def test_reminders_are_the_timed_meetings_starting_soon_not_declined_said_once(hh, mm, lead, told, expected) -> None:  # noqa: ANN001
    views = _day_of_reminders()
    told_starts = {v.occurrence.uid: v.start for v in views if v.occurrence.uid in told}
    now = datetime(2026, 1, 13, hh, mm, tzinfo=NY)
    due = reminders_due(views, now, timedelta(minutes=lead), told_starts)
    assert [v.summary for v in due] == expected


def test_a_series_repeating_every_minute_is_said_once_an_hour() -> None:
    """A real calendar of the corpus repeats every minute: ten occurrences near now are one
    reminder (the one about to start), and the next is an hour later."""
    day = date(2026, 1, 13)
    start = datetime.combine(day, time(0, 0), tzinfo=NY)
    occs = [Occurrence(meeting=Meeting(uid="minutely", start=start, end=start + timedelta(minutes=1),
                                       summary="Every minute"),
                       start=start + timedelta(minutes=m), end=start + timedelta(minutes=m + 1))
            for m in range(24 * 60)]
    views = day_views(occs, day, NY, PEOPLE, "nina")
    told: dict[str, datetime] = {}
    said = []
    for minute in range(8 * 60, 10 * 60):  # the dashboard checks at least once a minute
        now = start + timedelta(minutes=minute, seconds=30)
        for v in reminders_due(views, now, timedelta(minutes=5), told):
            told[v.occurrence.uid] = v.start  # type: ignore[assignment]
            said.append(f"{v.start:%H:%M}")
    assert said == ["08:01", "09:01", "10:01"]  # the last one said at 09:59:30


def test_reminder_text_says_when_in_the_zone_of_now() -> None:
    [view] = [v for v in _day_of_reminders() if v.summary == "Stand-up"]
    assert reminder_text(view, datetime(2026, 1, 13, 9, 56, tzinfo=NY)) == "Stand-up at 10:00 (in 4 min)"
    assert reminder_text(view, datetime(2026, 1, 13, 10, 0, tzinfo=NY)) == "Stand-up at 10:00 (now)"
    # counted as the clock shows minutes: at 09:55:40 (the clock says 09:55) it is 5 min away
    assert reminder_text(view, datetime(2026, 1, 13, 9, 55, 40, tzinfo=NY)) == "Stand-up at 10:00 (in 5 min)"
    assert reminder_text(view, datetime(2026, 1, 13, 10, 0, 50, tzinfo=NY)) == "Stand-up at 10:00 (now)"
    assert reminder_text(view, datetime(2026, 1, 13, 10, 1, 5, tzinfo=NY)) == "Stand-up at 10:00 (started 1 min ago)"
    assert reminder_text(view, datetime(2026, 1, 13, 15, 3, tzinfo=LON)) == "Stand-up at 15:00 (started 3 min ago)"


PROJECTS = {"API": "Payments API v2", "DATA": "Data platform migration", "MOB": "Mobile app 3.0", "QA": "Quality"}


@pytest.mark.parametrize(
    ("summary", "categories", "keys"),
    [
        ("Sprint planning — Payments API", (), ["API"]),  # the name's words, its version left out
        ("Data migration review", (), ["DATA"]),  # the key as a word, any case
        ("mobile APP go/no-go", (), ["MOB"]),
        ("API and DATA sync", (), ["API", "DATA"]),
        ("Rapid prototyping", (), []),  # "api" inside a word is not the key
        ("Steering committee", ("mob",), ["MOB"]),  # a category naming the key
        ("Quarterly quality review", (), ["QA"]),  # a one-word name
        ("Payments sync", (), []),  # only part of the name
        ("", (), []),
    ],
)
def test_the_projects_a_meeting_is_about(summary: str, categories: tuple[str, ...], keys: list[str]) -> None:
    assert related_projects(summary, categories, PROJECTS) == keys
