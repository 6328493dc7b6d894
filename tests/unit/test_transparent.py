"""Meetings shown as free (TRANSP:TRANSPARENT, Outlook's "Show as: Free") take nobody's time.

They are still listed (marked), but they do not shrink free time (capacity, plan, meet),
add no meeting hours to the workload and clash with nothing. Outlook's
X-MICROSOFT-CDO-BUSYSTATUS says it when present, else RFC 5545's TRANSP.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import cli as run
from tpm_tui.domain import Attendee, Meeting, Occurrence, Person
from tpm_tui.logic.agenda import day_views
from tpm_tui.logic.freetime import OccurrenceIndex, busy_intervals
from tpm_tui.logic.render import meeting_lines
from tpm_tui.logic.workload import week_load
from tpm_tui.services.imports import import_sources
from tpm_tui.storage import Store, codec
from tpm_tui.ui.text import meeting_body, meeting_detail

BERLIN = ZoneInfo("Europe/Berlin")
SAM = Person("sam", "Sam Okafor", "sam@example.com", "Europe/Berlin", "09:00", "17:30")
DAY = date(2026, 12, 2)  # a Wednesday


def vevent(uid: str, start: str, end: str, extra: str = "", summary: str = "Lunch") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;TZID=Europe/Berlin:{start}\r\n"
            f"DTEND;TZID=Europe/Berlin:{end}\r\nSUMMARY:{summary}\r\nORGANIZER:mailto:sam@example.com\r\n"
            f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:sam@example.com\r\n{extra}END:VEVENT\r\n")


def calendar(*events: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n").encode()


@pytest.mark.parametrize(
    ("extra", "transparent"),
    [
        pytest.param("TRANSP:TRANSPARENT\r\n", True, id="transp-transparent"),
        pytest.param("TRANSP:OPAQUE\r\n", False, id="transp-opaque"),
        pytest.param("", False, id="neither"),
        pytest.param("TRANSP:OPAQUE\r\nX-MICROSOFT-CDO-BUSYSTATUS:FREE\r\n", True, id="outlook-free-wins"),
        pytest.param("TRANSP:TRANSPARENT\r\nX-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\n", False, id="outlook-busy-wins"),
        pytest.param("X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE\r\n", False, id="outlook-tentative-is-busy"),
        pytest.param("X-MICROSOFT-CDO-BUSYSTATUS:OOF\r\n", False, id="outlook-out-of-office-is-busy"),
        pytest.param("transp:transparent\r\n", True, id="any-case"),
    ],
)
def test_import_reads_whether_a_meeting_is_shown_as_free(tmp_path: Path, extra: str, transparent: bool) -> None:
    store = Store.open(tmp_path / "db.json")
    data = calendar(vevent("a@x", "20261202T120000", "20261202T130000", extra))
    [report] = import_sources(store, ["-"], stdin=data)
    assert report.added == 1
    [m] = store.meetings()
    assert m.transparent is transparent
    doc = codec.meeting_to_doc(m)
    assert ("transparent" in doc) is transparent  # written only when set: older files stay byte-equal
    assert codec.meeting_from_doc(doc) == m
    again = Store.open(tmp_path / "db.json")  # read back from disk
    assert again.meetings()[0].transparent is transparent
    [same] = import_sources(again, ["-"], stdin=data)
    assert (same.added, same.updated, same.unchanged) == (0, 0, 1)


def test_a_file_from_an_older_tpm_reads_as_busy() -> None:
    doc = codec.meeting_to_doc(Meeting(uid="u", start=datetime(2026, 12, 2, 12, tzinfo=BERLIN),
                                       end=datetime(2026, 12, 2, 13, tzinfo=BERLIN)))
    assert "transparent" not in doc and codec.meeting_from_doc(doc).transparent is False


def occurrence(uid: str, h0: int, h1: int, *, transparent: bool = False, answer: str = "ACCEPTED",
               summary: str = "") -> Occurrence:
    s, e = datetime(2026, 12, 2, h0, tzinfo=BERLIN), datetime(2026, 12, 2, h1, tzinfo=BERLIN)
    m = Meeting(uid=uid, start=s, end=e, summary=summary or uid, transparent=transparent, organizer="ava@example.com",
                attendees=(Attendee("sam@example.com", "Sam", answer),))
    return Occurrence(m, s, e)


def test_a_meeting_shown_as_free_takes_nobodys_time() -> None:
    busy, free = occurrence("review", 10, 11), occurrence("lunch", 12, 14, transparent=True)
    for is_me in (False, True):
        assert busy_intervals(SAM, [busy, free], is_me=is_me) == busy_intervals(SAM, [busy], is_me=is_me)
        index = OccurrenceIndex([busy, free])
        assert index.busy_us_for(SAM, is_me=is_me) == OccurrenceIndex([busy]).busy_us_for(SAM, is_me=is_me)
        assert len(index.busy_us_for(SAM, is_me=is_me)) == 1
    monday = DAY - timedelta(days=DAY.weekday())
    now = datetime(2026, 11, 30, 8, tzinfo=BERLIN)
    [with_free] = week_load([SAM], [], [busy, free], monday, now)
    [without] = week_load([SAM], [], [busy], monday, now)
    assert with_free.meeting_hours == without.meeting_hours == 1.0


def test_a_meeting_shown_as_free_clashes_with_nothing_and_a_clash_keeps_my_answer() -> None:
    review = occurrence("review", 12, 13, answer="NEEDS-ACTION")
    lunch = occurrence("lunch", 12, 14, transparent=True)
    standup = occurrence("standup", 12, 13)
    views = {v.occurrence.uid: v for v in day_views([review, lunch, standup], DAY, BERLIN, [SAM], "sam")}
    assert views["review"].conflicts_with == ("standup",) and views["standup"].conflicts_with == ("review",)
    assert views["lunch"].conflicts_with == ()
    assert views["review"].my_answer == "NEEDS-ACTION"  # was lost once a clash was added
    assert views["lunch"].odd_hours_for == ()  # still a meeting of the day, inside Sam's hours


def test_a_meeting_shown_as_free_is_marked_where_it_is_shown() -> None:
    lunch = occurrence("lunch", 12, 14, transparent=True, summary="Team lunch")
    review = occurrence("review", 10, 11, summary="Review")
    views = day_views([review, lunch], DAY, BERLIN, [SAM], "sam")
    lines = meeting_lines(views, BERLIN, DAY, {"sam": "Sam"})
    assert "  12:00–14:00    Team lunch  (shown as free)" in lines
    assert not any("Review" in line and "free" in line for line in lines)
    by_uid = {v.occurrence.uid: v for v in views}
    assert "(shown as free)" in meeting_body(by_uid["lunch"], names={}, summaries={}).plain
    assert "(shown as free)" not in meeting_body(by_uid["review"], names={}, summaries={}).plain
    detail = meeting_detail(by_uid["lunch"], tz="Europe/Berlin", names={}, summaries={}).plain
    assert "Shown as" in detail and "takes nobody's time" in detail
    assert "Shown as" not in meeting_detail(by_uid["review"], tz="Europe/Berlin", names={}, summaries={}).plain


def test_agenda_json_says_transparent_and_meet_offers_the_time_of_a_free_meeting(demo_db: Path) -> None:
    # Sam ("me" in the demo) has a 2-hour lunch shown as free, and a review at the same hours next day
    data = calendar(vevent("lunch@x", "20261202T120000", "20261202T140000", "TRANSP:TRANSPARENT\r\n"),
                    vevent("talk@x", "20261203T120000", "20261203T140000", summary="Talk"))
    assert run("import", "-", "--db", str(demo_db), input=data).exit_code == 0
    agenda = json.loads(run("agenda", "--from", "2026-12-02", "--days", "2", "--format", "json", "--db", str(demo_db)).output)
    found = {m["uid"]: m for d in agenda["days"] for m in d["meetings"]}
    assert found["lunch@x"]["transparent"] is True and found["talk@x"]["transparent"] is False

    def taken(day: str) -> bool:  # does any proposed time on the day overlap 12:00-14:00?
        slots = json.loads(run("meet", "sam", "--from", day, "--days", "1", "--duration", "30m", "--limit", "20",
                               "--format", "json", "--db", str(demo_db)).output)["slots"]
        assert slots
        return not any(s["start"][11:16] < "14:00" and s["end"][11:16] > "12:00" for s in slots
                       if s["start"][:10] == day)

    assert taken("2026-12-03")  # the talk takes the time
    assert not taken("2026-12-02")  # the lunch shown as free does not
