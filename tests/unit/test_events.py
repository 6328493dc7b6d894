"""``tpm event add/rm``: appointments of one's own take one's time like meetings."""

from __future__ import annotations

import json

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import NOW, TODAY, TZ, cli, disk_state, one_error_line
from tpm_tui.domain import InputError
from tpm_tui.services.brief import daily_brief
from tpm_tui.services.events import parse_at
from tpm_tui.storage import Store

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(("text", "expected"), [
    ("14:00", datetime(2026, 11, 30, 14, 0, tzinfo=BERLIN)),  # today (Monday)
    ("9", datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)),
    ("thu 14:30", datetime(2026, 12, 3, 14, 30, tzinfo=BERLIN)),
    ("tomorrow 9:30", datetime(2026, 12, 1, 9, 30, tzinfo=BERLIN)),
    ("2026-12-03 08:00", datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN)),
    ("2026-12-03T08:00", datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN)),
])
def test_when_an_appointment_is(text: str, expected: datetime) -> None:
    assert parse_at(text, date(2026, 11, 30), BERLIN) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("fri 19:00", datetime(2026, 12, 11, 19, 0, tzinfo=BERLIN)),  # the day after Thursday the 10th
    ("thu 19:00", datetime(2026, 12, 10, 19, 0, tzinfo=BERLIN)),  # its own day
    ("mon 08:00", datetime(2026, 12, 7, 8, 0, tzinfo=BERLIN)),  # its week's Monday
    ("sun 08:00", datetime(2026, 12, 13, 8, 0, tzinfo=BERLIN)),  # ... and Sunday
    ("tomorrow 9:30", datetime(2026, 12, 1, 9, 30, tzinfo=BERLIN)),  # words other than weekdays: from today
    ("2026-12-09 08:00", datetime(2026, 12, 9, 8, 0, tzinfo=BERLIN)),
])
def test_one_day_of_a_series_reads_a_weekday_from_that_day(text: str, expected: datetime) -> None:
    assert parse_at(text, date(2026, 11, 30), BERLIN, weekday_from=date(2026, 12, 10)) == expected


@pytest.mark.parametrize("text", ["fri", "25:00", "14:75", "someday 10:00", ""])
def test_what_is_not_a_time_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="--at: "):
        parse_at(text, date(2026, 11, 30), BERLIN)


def my_meeting_hours(db: Path) -> float:
    brief = daily_brief(Store.open(db), TODAY, TZ, NOW)
    return next(w.meeting_hours for w in brief.workload if w.person.handle == "sam")


def test_an_appointment_takes_my_time_names_its_clashes_and_undo_removes_it(demo_db: Path) -> None:
    db = str(demo_db)
    hours = my_meeting_hours(demo_db)
    result = cli("event", "add", "Dentist", "--at", "10:15", "--duration", "45m", "--with", "lena", "--db", db)
    assert result.exit_code == 0, result.stderr
    uid = result.stdout.strip()
    assert uid.startswith("tpm-event-") and uid.endswith("@tpm")  # the id alone on stdout
    assert result.stderr.strip() == ("tpm: added Dentist: Mon 30 Nov 10:15–11:00; overlaps Sprint planning — "
                                     "Payments API, Vendor call: card processor  (tpm undo removes it)")
    (m,) = [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    assert (m.calendar, m.organizer, [a.email for a in m.attendees]) == (
        "tpm", "sam@example.com", ["sam@example.com", "lena@example.com"])
    assert my_meeting_hours(demo_db) == hours  # inside Sprint planning's hour: no time of mine more
    assert "Dentist" in cli("agenda", "--days", "1", "--db", db).stdout
    assert cli("event", "add", "Physio", "--at", "11:30", "--duration", "45m", "--db", db).exit_code == 0
    assert my_meeting_hours(demo_db) == hours + 0.75  # a free 45 minutes taken
    assert cli("undo", "--db", db).stdout.startswith("Undone: appointment Physio added")
    assert cli("undo", "--db", db).stdout.startswith("Undone: appointment Dentist added")
    assert my_meeting_hours(demo_db) == hours and not [m for m in Store.open(demo_db).meetings() if m.calendar == "tpm"]


def test_rm_removes_an_appointment_of_mine_but_not_an_invitation(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Offsite prep", "--at", "thu 14:00", "--db", db).stdout.strip()
    state = disk_state(demo_db)
    refused = cli("event", "rm", "demo-vendor@tpm", "--db", db)
    assert refused.exit_code != 0
    assert one_error_line(refused) == ("tpm: 'Vendor call: card processor' came from an invitation: "
                                       "tpm answer demo-vendor@tpm decline frees its time")
    assert disk_state(demo_db) == state
    assert cli("event", "rm", uid[:14], "--db", db).stdout.startswith("Offsite prep removed")  # a prefix will do
    assert not [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    assert cli("undo", "--db", db).exit_code == 0 and [m for m in Store.open(demo_db).meetings() if m.uid == uid]


def test_an_appointment_needs_me_a_title_and_known_people(demo_db: Path, tmp_path: Path) -> None:
    state = disk_state(demo_db)
    for args, needle in ((["", "--at", "14:00"], "TITLE: give the appointment a title"),
                         (["X", "--at", "14:00", "--with", "zed"], "--with: no person 'zed'"),
                         (["X", "--at", "14:00", "--duration", "2 days"], "--duration: '2 days' is not a length")):
        result = cli("event", "add", *args, "--db", str(demo_db))
        assert result.exit_code != 0 and needle in one_error_line(result), result.stderr
    assert disk_state(demo_db) == state
    alone = cli("event", "add", "X", "--at", "14:00", "--db", str(tmp_path / "empty.json"))
    assert alone.exit_code != 0 and "tpm set me HANDLE" in one_error_line(alone)


@pytest.mark.parametrize(("line", "expected"), [
    ("Dentist @ thu 14:00 45m", ("Dentist", datetime(2026, 12, 3, 14, 0, tzinfo=BERLIN), 45)),
    ("Offsite prep @ 2026-12-03 09:00 3h", ("Offsite prep", datetime(2026, 12, 3, 9, 0, tzinfo=BERLIN), 180)),
    ("Call mum @ 18:30", ("Call mum", datetime(2026, 11, 30, 18, 30, tzinfo=BERLIN), 60)),  # an hour, today
    ("Lunch @ Café @ 12:00 1h30m", ("Lunch @ Café", datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN), 90)),  # the last @
])
def test_the_dashboard_s_one_line_for_an_appointment(line: str, expected: tuple[str, datetime, int]) -> None:
    from tpm_tui.services.events import parse_line

    title, start, length, repeat = parse_line(line, date(2026, 11, 30), BERLIN)
    assert (title, start, length.total_seconds() / 60) == expected and repeat is None


@pytest.mark.parametrize("line", ["Dentist thu 14:00", "@ thu 14:00", "Dentist @ thu", "Dentist @ 14:00 2 days"])
def test_a_line_that_is_no_appointment_is_refused(line: str) -> None:
    from tpm_tui.services.events import parse_line

    with pytest.raises(InputError):
        parse_line(line, date(2026, 11, 30), BERLIN)


def test_edit_moves_renames_or_resizes_an_appointment_and_undo_puts_it_back(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Dentist", "--at", "thu 14:00", "--duration", "45m", "--db", db).stdout.strip()
    moved = cli("event", "edit", uid, "--at", "thu 16:00", "--db", db)
    assert moved.exit_code == 0, moved.stderr
    assert moved.stdout.strip() == "Dentist: Thu 03 Dec 16:00–16:45; overlaps Daily stand-up  (tpm undo reverts it)"
    renamed = cli("event", "edit", uid[:14], "--title", "Dentist (Dr. Weiss)", "--duration", "1h15", "--db", db)
    assert renamed.stdout.startswith("Dentist (Dr. Weiss): Thu 03 Dec 16:00–17:15")  # a prefix of the UID will do
    (m,) = [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    assert (m.summary, m.start, m.end, m.sequence) == (
        "Dentist (Dr. Weiss)", datetime(2026, 12, 3, 16, 0, tzinfo=BERLIN), datetime(2026, 12, 3, 17, 15, tzinfo=BERLIN), 2)
    state = disk_state(demo_db)
    same = cli("event", "edit", uid, "--at", "thu 16:00", "--db", db)
    assert same.stdout.strip() == "Dentist (Dr. Weiss): nothing to change" and disk_state(demo_db) == state
    assert cli("undo", "--db", db).stdout.startswith("Undone: appointment Dentist (Dr. Weiss) changed")
    (m,) = [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    assert (m.summary, m.end) == ("Dentist", datetime(2026, 12, 3, 16, 45, tzinfo=BERLIN))


def test_edit_refuses_an_invitation_nothing_to_change_and_bad_values(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Dentist", "--at", "thu 14:00", "--db", db).stdout.strip()
    state = disk_state(demo_db)
    for args, needle in (([uid], "say what changes: --title, --at, --duration or --repeat"),
                         (["demo-vendor@tpm", "--at", "thu 9:00"], "came from an invitation: tpm answer"),
                         ([uid, "--duration", "0m"], "--duration: '0m' is not between 5 minutes and 12 hours"),
                         ([uid, "--title", "  "], "TITLE: give the appointment a title"),
                         ([uid, "--at", "someday"], "--at: 'someday' is not a day and a time"),
                         (["tpm-event-nope", "--at", "9:00"], "no appointment 'tpm-event-nope'")):
        result = cli("event", "edit", *args, "--db", db)
        assert result.exit_code != 0 and needle in one_error_line(result), (args, result.stderr)
    assert disk_state(demo_db) == state


def test_the_line_of_an_appointment_reads_back_as_itself(demo_db: Path) -> None:
    from tpm_tui.services.events import line_of, parse_line

    db = str(demo_db)
    uid = cli("event", "add", "Lunch @ Café", "--at", "thu 12:00", "--duration", "1h15", "--db", db).stdout.strip()
    (m,) = [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    line = line_of(m, BERLIN)
    assert line == "Lunch @ Café @ 2026-12-03 12:00 1h15"
    title, start, length, repeat = parse_line(line, date(2026, 11, 30), BERLIN)
    assert (title, start, start + length, repeat) == (m.summary, m.start, m.end, None)


@pytest.mark.parametrize(("line", "repeat", "length"), [
    ("Gym @ mon 07:00 1h weekly", "weekly", 60),
    ("1:1 Priya @ fri 10:00 30m every 2 weeks", "every 2 weeks", 30),
    ("Stand-up @ 9:15 15m weekdays", "weekdays", 15),
    ("Rent @ 2026-12-01 09:00 monthly on the 1st", "monthly on the 1st", 60),
    ("Run @ sat 08:00 daily", "daily", 60),
    ("Dentist @ thu 14:00 45m", None, 45),  # 45m is a length, never "every 45 months"
])
def test_the_line_may_end_with_how_it_repeats(line: str, repeat: str | None, length: int) -> None:
    from tpm_tui.services.events import parse_line

    got = parse_line(line, date(2026, 11, 30), BERLIN)
    assert (got.repeat.text if got.repeat else None, got.length.total_seconds() / 60) == (repeat, length)


def test_a_repeating_appointment_takes_my_time_each_week_and_can_stop_repeating(demo_db: Path) -> None:
    from tpm_tui.services.events import line_of, parse_line

    db = str(demo_db)
    added = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "weekly", "--db", db)
    assert added.exit_code == 0 and "Gym: Tue 01 Dec 07:00–08:00, weekly" in added.stderr
    uid = added.stdout.strip()
    (m,) = [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    assert m.rrule == "FREQ=WEEKLY"
    line = line_of(m, BERLIN)
    assert line == "Gym @ 2026-12-01 07:00 1h weekly" and parse_line(line, date(2026, 11, 30), BERLIN).repeat.text == "weekly"
    agenda = cli("agenda", "--days", "21", "--format", "json", "--db", db).stdout
    gym_days = [d["date"] for d in json.loads(agenda)["days"] for x in d["meetings"] if x["summary"] == "Gym"]
    assert gym_days == ["2026-12-01", "2026-12-08", "2026-12-15"]
    assert cli("event", "edit", uid, "--repeat", "every 2 weeks", "--db", db).stdout.startswith(
        "Gym: Tue 01 Dec 07:00–08:00, every 2 weeks")
    agenda = cli("agenda", "--days", "21", "--format", "json", "--db", db).stdout
    assert [d["date"] for d in json.loads(agenda)["days"] for x in d["meetings"] if x["summary"] == "Gym"] == [
        "2026-12-01", "2026-12-15"]
    assert cli("event", "edit", uid, "--repeat", "none", "--db", db).exit_code == 0
    (m,) = [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    assert m.rrule is None
    refused = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "sometimes", "--db", db)
    assert refused.exit_code != 0 and "--repeat: 'sometimes' is not a repeat" in one_error_line(refused)


def test_rm_on_a_day_removes_that_occurrence_of_a_repeating_appointment_alone(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "weekly", "--db", db).stdout.strip()

    def gym_days() -> list[str]:
        agenda = json.loads(cli("agenda", "--days", "21", "--format", "json", "--db", db).stdout)
        return [d["date"] for d in agenda["days"] for x in d["meetings"] if x["summary"] == "Gym"]

    removed = cli("event", "rm", uid, "--on", "2026-12-08", "--db", db)
    assert removed.stdout.startswith("Gym on Tue 08 Dec removed (the other days stay)")
    assert gym_days() == ["2026-12-01", "2026-12-15"]
    one = cli("event", "add", "Dentist", "--at", "thu 14:00", "--db", db).stdout.strip()
    state = disk_state(demo_db)
    for args, needle in (([uid, "--on", "2026-12-09"], "'Gym' has no occurrence on Wed 09 Dec 2026"),
                         ([one, "--on", "thu"], "'Dentist' does not repeat: leave --on out")):
        refused = cli("event", "rm", *args, "--db", db)
        assert refused.exit_code != 0 and needle in one_error_line(refused)
    assert disk_state(demo_db) == state
    assert cli("undo", "--db", db).exit_code == 0 and cli("undo", "--db", db).exit_code == 0  # Dentist, then Tuesday
    assert gym_days() == ["2026-12-01", "2026-12-08", "2026-12-15"]


def test_my_appointments_never_reach_the_status_update(demo_db: Path) -> None:
    db = str(demo_db)
    assert cli("event", "add", "Gym", "--at", "18:00", "--db", db).exit_code == 0  # outside my hours: odd for me
    update = cli("brief", "--format", "markdown", "--db", db).stdout
    cross = update.split("## Cross-zone meetings today")[1].split("##")[0]
    assert "Gym" not in update and "Daily stand-up" in cross  # the team's meetings stay
    text = cli("brief", "--db", db).stdout
    assert "Gym" in text  # my own brief shows it: it takes my time


def test_my_appointment_after_hours_is_not_odd_hours_for_me_but_is_for_whom_it_takes_along(demo_db: Path) -> None:
    db = str(demo_db)
    assert cli("event", "add", "Gym", "--at", "18:00", "--db", db).exit_code == 0
    assert cli("event", "add", "Late review", "--at", "19:00", "--with", "lena", "--db", db).exit_code == 0
    (day,) = json.loads(cli("agenda", "--days", "1", "--format", "json", "--db", db).stdout)["days"]
    odd = {m["summary"]: m["odd_hours_for"] for m in day["meetings"]}
    assert odd["Gym"] == [] and odd["Late review"] == ["lena"]  # Lena works 08:30-17:00
    assert "odd hours: Lena 19:00–20:00 Mon" in cli("agenda", "--days", "1", "--db", db).stdout
    # the Detail's local times say so, rather than "working hours" at 18:00
    from tpm_tui.services.brief import agenda
    from tpm_tui.ui.text import meeting_detail

    ((_day, views),) = agenda(Store.open(demo_db), TODAY, 1, TZ)
    by = {v.summary: v for v in views}
    (me,) = by["Gym"].local_times
    assert (me.handle, me.odd, me.by_choice) == ("sam", False, True)
    lines = meeting_detail(by["Gym"], tz=TZ, names={"sam": "Sam Okafor"}, summaries={}).plain.splitlines()
    assert any("Sam Okafor" in x and x.endswith("outside your hours, your choice") for x in lines)
    lena, sam = sorted(by["Late review"].local_times)  # by handle
    assert (lena.handle, lena.odd, lena.by_choice, sam.by_choice) == ("lena", True, False, True)


def gym_week(db: str, days: int = 21) -> list[tuple[str, str, str]]:
    """(date, start–end, title) of every Gym-like appointment in the agenda ahead."""
    agenda = json.loads(cli("agenda", "--days", str(days), "--format", "json", "--db", db).stdout)
    return [(d["date"], x["start"][11:16] + "–" + x["end"][11:16], x["summary"])
            for d in agenda["days"] for x in d["meetings"] if x["summary"].startswith("Gym")]


def test_edit_on_a_day_changes_that_occurrence_alone_and_undo_takes_it_back(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "weekly", "--db", db).stdout.strip()
    moved = cli("event", "edit", uid, "--on", "2026-12-08", "--at", "19:00", "--db", db)  # a time alone: that day's
    assert moved.stdout.startswith("Gym on Tue 08 Dec only: Tue 08 Dec 19:00–20:00 (the other days stay)")
    longer = cli("event", "edit", uid, "--on", "2026-12-15", "--title", "Gym (long)", "--duration", "2h", "--db", db)
    assert longer.exit_code == 0, longer.stderr
    assert gym_week(db) == [("2026-12-01", "07:00–08:00", "Gym"), ("2026-12-08", "19:00–20:00", "Gym"),
                            ("2026-12-15", "07:00–09:00", "Gym (long)")]
    stored = sorted((m for m in Store.open(demo_db).meetings() if m.uid == uid), key=lambda m: m.recurrence_id or "")
    assert [m.recurrence_id for m in stored] == [None, "20261208T060000Z", "20261215T060000Z"]  # overrides, by RFC 5545
    # a weekday is the one in the week of the day changed (Tue 15 Dec), not after today (Mon 30 Nov)
    weekday = cli("event", "edit", uid, "--on", "2026-12-15", "--at", "thu 18:00", "--db", db)
    assert weekday.stdout.startswith("Gym on Tue 15 Dec only: Thu 17 Dec 18:00–20:00"), weekday.stdout
    assert cli("event", "edit", uid, "--on", "2026-12-17", "--at", "tue 07:00", "--db", db).exit_code == 0
    assert gym_week(db)[2] == ("2026-12-15", "07:00–09:00", "Gym (long)")  # back on its own day
    # the day moved again finds its override by the day it is on now
    assert cli("event", "edit", uid, "--on", "2026-12-08", "--at", "20:00", "--db", db).exit_code == 0
    assert gym_week(db)[1] == ("2026-12-08", "20:00–21:00", "Gym")
    # back to the rule's time: the override goes, nothing is left over
    back = cli("event", "edit", uid, "--on", "2026-12-08", "--at", "07:00", "--db", db)
    assert back.stdout.startswith("Gym on Tue 08 Dec as the other days again: Tue 08 Dec 07:00–08:00")
    assert len([m for m in Store.open(demo_db).meetings() if m.uid == uid]) == 2
    for _ in range(6):
        assert cli("undo", "--db", db).exit_code == 0
    assert gym_week(db) == [("2026-12-01", "07:00–08:00", "Gym"), ("2026-12-08", "07:00–08:00", "Gym"),
                            ("2026-12-15", "07:00–08:00", "Gym")]
    assert [m.recurrence_id for m in Store.open(demo_db).meetings() if m.uid == uid] == [None]


def test_a_change_to_every_day_keeps_the_days_changed_on_their_own_and_the_days_removed(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "weekly", "--db", db).stdout.strip()
    assert cli("event", "edit", uid, "--on", "2026-12-08", "--at", "19:00", "--db", db).exit_code == 0
    assert cli("event", "edit", uid, "--on", "2026-12-15", "--title", "Gym (long)", "--db", db).exit_code == 0
    assert cli("event", "rm", uid, "--on", "2026-12-22", "--db", db).exit_code == 0
    # every day half an hour earlier (a time alone keeps the series' day: Tuesday, not today's Monday)
    earlier = cli("event", "edit", uid, "--at", "06:30", "--db", db)
    assert earlier.stdout.startswith("Gym: Tue 01 Dec 06:30–07:30, weekly")
    assert gym_week(db, 28) == [
        ("2026-12-01", "06:30–07:30", "Gym"),
        ("2026-12-08", "19:00–20:00", "Gym"),  # moved on its own: stays where it was put
        ("2026-12-15", "06:30–07:30", "Gym (long)"),  # its own title, the series' new time
    ]  # and the 22nd stays removed
    renamed = cli("event", "edit", uid, "--title", "Gym & swim", "--db", db)
    assert renamed.exit_code == 0
    assert [t for _d, _t, t in gym_week(db, 28)] == ["Gym & swim", "Gym & swim", "Gym (long)"]
    # a new repeat: the days changed on their own go back to the series, said so
    fortnight = cli("event", "edit", uid, "--repeat", "every 2 weeks", "--db", db)
    assert "Tue 08 Dec, Tue 15 Dec: their own changes dropped (the repeat changed)" in fortnight.stdout
    assert gym_week(db, 28) == [("2026-12-01", "06:30–07:30", "Gym & swim"), ("2026-12-15", "06:30–07:30", "Gym & swim")]
    assert cli("undo", "--db", db).exit_code == 0
    assert [t for _d, _t, t in gym_week(db, 28)] == ["Gym & swim", "Gym & swim", "Gym (long)"]


def test_edit_on_a_day_refuses_a_repeat_and_a_single_appointment(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "weekly", "--db", db).stdout.strip()
    one = cli("event", "add", "Dentist", "--at", "thu 14:00", "--db", db).stdout.strip()
    state = disk_state(demo_db)
    for args, needle in (
        ([uid, "--on", "2026-12-08", "--repeat", "daily"], "one day cannot repeat"),
        ([one, "--on", "thu", "--at", "15:00"], "'Dentist' does not repeat: leave --on out"),
        ([uid, "--on", "2026-12-09", "--at", "08:00"], "'Gym' has no occurrence on Wed 09 Dec 2026"),
    ):
        refused = cli("event", "edit", *args, "--db", db)
        assert refused.exit_code != 0 and needle in one_error_line(refused)
    assert disk_state(demo_db) == state
    # a time alone moves a single appointment within its own day
    assert cli("event", "edit", one, "--at", "15:00", "--db", db).stdout.startswith("Dentist: Thu 03 Dec 15:00–16:00")


def test_removing_a_series_takes_its_changed_days_with_it(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "weekly", "--db", db).stdout.strip()
    assert cli("event", "edit", uid, "--on", "2026-12-08", "--at", "19:00", "--db", db).exit_code == 0
    # the moved day removed alone: its change goes and the rule skips the day it was made on
    removed = cli("event", "rm", uid, "--on", "2026-12-08", "--db", db)
    assert removed.stdout.startswith("Gym on Tue 08 Dec removed (the other days stay)")
    assert [d for d, _t, _s in gym_week(db)] == ["2026-12-01", "2026-12-15"]
    assert cli("undo", "--db", db).exit_code == 0 and gym_week(db)[1] == ("2026-12-08", "19:00–20:00", "Gym")
    assert cli("event", "rm", uid, "--db", db).exit_code == 0
    assert gym_week(db) == [] and not [m for m in Store.open(demo_db).meetings() if m.uid == uid]
    assert cli("undo", "--db", db).exit_code == 0 and gym_week(db)[1] == ("2026-12-08", "19:00–20:00", "Gym")


def test_list_says_my_appointments_ahead_with_the_uid_edit_and_rm_take(demo_db: Path) -> None:
    db = str(demo_db)
    assert cli("event", "list", "--db", db).stdout.startswith("No appointments of yours ahead")
    gym = cli("event", "add", "Gym", "--at", "tue 07:00", "--repeat", "weekly", "--db", db).stdout.strip()
    dentist = cli("event", "add", "Dentist", "--at", "thu 14:00", "--duration", "45m", "--db", db).stdout.strip()
    old = cli("event", "add", "Old [b]thing[/b]", "--at", "2026-11-20 10:00", "--db", db).stdout.strip()
    assert cli("event", "edit", gym, "--on", "2026-12-08", "--at", "19:00", "--db", db).exit_code == 0
    assert cli("event", "rm", gym, "--on", "2026-12-15", "--db", db).exit_code == 0
    lines = cli("event", "list", "--db", db).stdout.splitlines()
    assert [line.split()[0] for line in lines] == [gym, dentist]  # the next first; the past one left out
    assert lines[0].endswith("Gym  (weekly on Tue; changed alone: Tue 08 Dec; 1 day removed)")
    assert "Tue 01 Dec 07:00–08:00 (next)" in lines[0] and "Thu 03 Dec 14:00–14:45" in lines[1]
    every = cli("event", "list", "--all", "--db", db).stdout.splitlines()
    assert every[-1].split()[0] == old and every[-1].endswith("Fri 20 Nov 2026 10:00 (over)   Old [b]thing[/b]")
    docs = json.loads(cli("event", "list", "--format", "json", "--db", db).stdout)
    assert [(d["uid"], d["repeat"], d["next_start"]) for d in docs] == [
        (gym, "weekly on Tue", "2026-12-01T07:00:00+01:00"), (dentist, None, "2026-12-03T14:00:00+01:00")]
    assert docs[0]["changed_days"] == ["2026-12-08T07:00:00+01:00"] and len(docs[0]["skipped_days"]) == 1


def test_my_notes_on_a_day_stay_with_it_when_the_series_moves_and_undo_moves_them_back(demo_db: Path) -> None:
    db = str(demo_db)
    uid = cli("event", "add", "1:1 Priya", "--at", "tue 10:00", "--duration", "30m", "--repeat", "weekly",
              "--db", db).stdout.strip()
    assert cli("meeting", "note", uid, "ask about the PCI freeze", "--on", "2026-12-08", "--db", db).exit_code == 0

    assert cli("event", "edit", uid, "--at", "11:30", "--db", db).exit_code == 0  # every Tuesday 90 minutes later
    (kept,) = [n for n in Store.open(demo_db).meeting_notes() if n.uid == uid]
    assert kept.occurrence == "20261208T103000Z"  # Tue 08 Dec 11:30 Berlin: the day's new key
    (day,) = [d for d in json.loads(cli("agenda", "--from", "2026-12-08", "--days", "1", "--format", "json",
                                        "--db", db).stdout)["days"]]
    assert [m["notes"] for m in day["meetings"] if m["summary"] == "1:1 Priya"] == [1]  # still on that day
    undone = cli("undo", "--db", db).stdout
    assert undone.startswith("Undone: appointment 1:1 Priya changed")
    (back,) = [n for n in Store.open(demo_db).meeting_notes() if n.uid == uid]
    assert back.occurrence == "20261208T090000Z" and [m.start.hour for m in Store.open(demo_db).meetings()
                                                      if m.uid == uid] == [10]
    assert cli("redo", "--db", db).exit_code == 0
    assert [n.occurrence for n in Store.open(demo_db).meeting_notes() if n.uid == uid] == ["20261208T103000Z"]
