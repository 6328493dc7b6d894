"""``tpm meet HANDLE...``: when can we meet — on the demo team, from the shell."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import cli as run, refused
from tpm_tui.domain import Attendee, InputError, Meeting
from tpm_tui.services.entry import parse_duration
from tpm_tui.storage import Store


def test_berlin_colleagues_get_times_inside_their_day_never_on_a_day_off(demo_db: Path) -> None:
    out = run("meet", "tom", "lena", "--duration", "1h", "--days", "3", "--db", str(demo_db)).output
    lines = out.splitlines()
    assert lines[0] == "1h with Sam Okafor (you), Tom Becker, Lena Vogel, Mon 30 Nov–Wed 02 Dec (Europe/Berlin)"
    slots = lines[1::2]
    assert len(slots) == 5 and all(s.endswith("inside everyone's working hours") for s in slots)
    assert not any("Tue 01" in s for s in slots)  # Lena is off on Tuesday (not even as "also Tue 01")
    assert [s[:5] for s in slots] == ["  1. ", "  2. ", "  3. ", "  4. ", "  5. "]  # what --pick counts
    assert lines[2].startswith("        Sam ") and "Tom " in lines[2] and "Lena " in lines[2]


def test_json_slots_are_free_for_everyone_asked(demo_db: Path) -> None:
    got = json.loads(run("meet", "priya", "marcus", "--without-me", "--duration", "45m", "--days", "5",
                         "--format", "json", "--db", str(demo_db)).output)
    assert got["people"] == ["priya", "marcus"] and got["duration_minutes"] == 45
    agenda = json.loads(run("agenda", "--days", "6", "--format", "json", "--db", str(demo_db)).output)
    emails = {"priya@example.com", "marcus@example.com"}
    theirs = [(datetime.fromisoformat(m["start"]), datetime.fromisoformat(m["end"]))
              for d in agenda["days"] for m in d["meetings"] if not m["all_day"]
              and (emails & {a["email"].lower() for a in m["attendees"]} or m["organizer"].lower() in emails)]
    assert theirs  # the demo gives them meetings to avoid
    assert got["slots"]
    for s in got["slots"]:
        a, b = datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])
        assert s["start"].endswith("+01:00") and (b - a).total_seconds() == 45 * 60
        assert all(b <= ms or me <= a for ms, me in theirs)
        local = {lt["person"]: lt for lt in s["local_times"]}
        assert local["priya"]["start"].endswith("+05:30") and local["marcus"]["start"].endswith("-08:00")
        assert s["odd_hours"] == bool(s["odd_hours_for"])
        assert set(s["night_or_weekend_for"]) <= set(s["odd_hours_for"])
        assert (s["night_depth_minutes"] > 0) == bool(s["night_or_weekend_for"])


def test_the_text_says_whose_odd_hours_and_marks_their_local_times(demo_db: Path) -> None:
    out = run("meet", "priya", "marcus", "--duration", "45m", "--days", "2", "--db", str(demo_db)).output
    first, local = out.splitlines()[1:3]
    assert "☾ " in first and ("odd hours for" in first or "night or weekend for" in first)
    for name in ("Priya", "Marcus"):
        if name in first:
            assert f"{name} " in local and local.split(f"{name} ", 1)[1].split(",")[0].endswith("☾")


@pytest.mark.parametrize(("text", "minutes"), [("45", 45), ("45m", 45), ("1h", 60), ("1h30", 90), ("1h30m", 90),
                                               ("1.5h", 90), ("90min", 90)])
def test_durations_read_as_people_write_them(text: str, minutes: int) -> None:
    assert parse_duration(text).total_seconds() == minutes * 60


@pytest.mark.parametrize(("args", "needle"), [
    (["meet", "zed"], "tpm: no person 'zed' (people: ava, "),
    (["meet", "priya", "--duration", "soon"], "tpm: --duration: 'soon' is not a length (45m, 1h, 1h30m, 1.5h)"),
    (["meet", "priya", "--duration", "13h"], "tpm: --duration: '13h' is not between 5 minutes and 12 hours"),
    (["meet", "priya", "--from", "someday"], "tpm: --from: 'someday' is not a date"),
])
def test_bad_input_is_one_line(demo_db: Path, args: list[str], needle: str) -> None:
    assert refused(demo_db, *args).startswith(needle)


def test_a_past_window_is_refused_and_a_busy_one_says_so(demo_db: Path) -> None:
    assert refused(demo_db, "meet", "tom", "--from", "2026-11-20", "--days", "2") == \
        "tpm: --from: Fri 20 Nov–Sat 21 Nov is over (now Mon 30 Nov 08:30)"
    # Lena is off on Tuesday: a day of hers holds no time at all, and the answer says whose
    out = run("meet", "lena", "tom", "--from", "2026-12-01", "--days", "1", "--db", str(demo_db)).output
    assert out.splitlines()[1] == "  no free time: Lena Vogel has no free 30m in these days (meetings or days off)"
    # everyone free alone, never together: said as such (without me: I attend every meeting here)
    store = Store.open(demo_db)
    tom, lena = store.person("tom"), store.person("lena")
    day = datetime(2026, 12, 2, tzinfo=UTC)
    hour = timedelta(hours=1)
    # Wednesday in UTC, hour by hour: Tom busy on the even hours (and the next midnight), Lena on the odd
    store.put_meetings([
        Meeting(uid=f"slot-{h}", start=day + h * hour, end=day + (h + 1) * hour, summary="alone",
                attendees=(Attendee(p.email, p.name, "ACCEPTED"),))
        for h, p in [(h, tom if h % 2 == 0 else lena) for h in range(0, 25)]])
    args = ["meet", "tom", "lena", "--without-me", "--from", "2026-12-02", "--days", "1", "--tz", "UTC"]
    out = run(*args, "--duration", "1h", "--db", str(demo_db)).output
    assert out.splitlines()[1].startswith("  no free time: no quarter hour is free for all of them at once")
    out = run(*args, "--duration", "2h", "--db", str(demo_db)).output
    assert out.splitlines()[1] == "  no free time: Tom Becker, Lena Vogel have no free 2h in these days (meetings or days off)"
    out = run("meet", "tom", "--from", "2026-12-02", "--days", "1", "--tz", "UTC", "--db", str(demo_db)).output
    assert out.splitlines()[1].endswith("— tpm meet --without-me leaves you out")  # I sit in all of them



def test_an_invitation_books_the_picked_time_imports_cleanly_and_takes_the_time(demo_db: Path, tmp_path: Path) -> None:
    import icalendar

    args = ["meet", "priya", "marcus", "--duration", "45m", "--days", "2", "--db", str(demo_db)]
    slots = json.loads(run(*args, "--format", "json").output)["slots"]
    invite = tmp_path / "review.ics"
    out = run(*args, "--invite", str(invite), "--pick", "2", "--title", "API review; [b]x[/b]").output
    assert out.splitlines()[-1].startswith(f"{invite}: 'API review; [b]x[/b]' ")
    cal = icalendar.Calendar.from_ical(invite.read_bytes())
    assert str(cal["method"]) == "REQUEST"
    [ev] = cal.walk("VEVENT")
    assert ev.decoded("dtstart") == datetime.fromisoformat(slots[1]["start"])
    assert ev.decoded("dtend") == datetime.fromisoformat(slots[1]["end"])
    assert str(ev["summary"]) == "API review; [b]x[/b]"
    assert str(ev["organizer"]) == "mailto:sam@example.com"
    answers = {str(a).removeprefix("mailto:"): a.params["PARTSTAT"] for a in ev["attendee"]}
    assert answers == {"sam@example.com": "ACCEPTED", "priya@example.com": "NEEDS-ACTION",
                       "marcus@example.com": "NEEDS-ACTION"}
    uid = str(ev["uid"])
    # the same command writes the same event (a client updates it instead of adding a copy)
    run(*args, "--invite", str(invite), "--pick", "2", "--title", "API review; [b]x[/b]")
    assert str(icalendar.Calendar.from_ical(invite.read_bytes()).walk("VEVENT")[0]["uid"]) == uid
    # tpm import takes it like any invitation, once; then that time is no longer free
    assert run("import", str(invite), "--db", str(demo_db)).output.startswith(f"{invite}: 1 added, 0 updated")
    assert ": 0 added, 0 updated, 0 cancelled, 1 unchanged" in run("import", str(invite), "--db", str(demo_db)).output
    again = json.loads(run(*args, "--format", "json").output)["slots"]
    assert slots[1]["start"] not in [s["start"] for s in again]
    assert all(datetime.fromisoformat(s["end"]) <= datetime.fromisoformat(slots[1]["start"])
               or datetime.fromisoformat(slots[1]["end"]) <= datetime.fromisoformat(s["start"]) for s in again)


def test_invitation_errors_are_one_line_and_write_nothing(demo_db: Path, tmp_path: Path) -> None:
    invite = tmp_path / "x.ics"
    assert refused(demo_db, "meet", "priya", "--invite", str(invite), "--pick", "6") == \
        "tpm: --pick: 6, but --limit proposes 5 times"
    assert refused(demo_db, "meet", "priya", "--invite", str(tmp_path)).startswith(
        f"tpm: --invite: {tmp_path} is a folder; give a file name")
    assert refused(demo_db, "meet", "lena", "--from", "2026-12-01", "--days", "1", "--invite", str(invite)) == \
        "tpm: --invite: no time was found to book"
    assert refused(demo_db, "meet", "priya", "--invite", str(invite), "--title", "  ") == \
        "tpm: --title: give the meeting a title"
    assert not invite.exists()


def test_the_file_offered_for_an_invitation_is_in_downloads_else_home(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import platformdirs

    from tpm_tui.services.invite import default_invite_path, file_target

    start = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("UTC"))
    downloads, home = tmp_path / "Downloads", tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(platformdirs, "user_downloads_path", lambda: downloads)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    # named by its local start, in the zone the dashboard shows
    assert default_invite_path(start, ZoneInfo("Europe/Berlin")) == home / "meeting-2026-12-01-0900.ics"
    downloads.mkdir()
    assert default_invite_path(start, ZoneInfo("Asia/Kolkata")) == downloads / "meeting-2026-12-01-1330.ics"
    for text, said in (("", "file: give a file name, e.g. meeting.ics"),
                       (str(home), f"file: {home} is a folder; give a file name, e.g. {home / 'meeting.ics'}"),
                       (str(tmp_path / "nope" / "x.ics"), f"file: {tmp_path / 'nope' / 'x.ics'}: folder "
                                                         f"{tmp_path / 'nope'} does not exist")):
        with pytest.raises(InputError) as got:
            file_target(text, "file", "meeting.ics")
        assert str(got.value) == said
    assert file_target(f" {home}/a.ics ", "file") == home / "a.ics"


def test_the_same_time_on_later_days_is_one_answer_with_those_days(demo_db: Path) -> None:
    """Priya (Kolkata), Marcus (Los Angeles) and Sam (Berlin): 16:15 Berlin is the least odd time
    every weekday. It used to be five answers (the same time on five days); now it is one answer
    naming the other days, and the four others are other times."""
    out = run("meet", "priya", "marcus", "--days", "5", "--db", str(demo_db)).output.splitlines()
    answers = out[1::2]
    assert answers[0] == ("  1. Mon 30 Nov 16:15–16:45 (also Tue 01–Fri 04)  ☾ odd hours for Marcus; night or "
                          "weekend for Priya")
    times = [a.split()[4] for a in answers]
    assert len(answers) == 5 and len(set(times)) == 5, answers
    got = json.loads(run("meet", "priya", "marcus", "--days", "5", "--format", "json", "--db",
                         str(demo_db)).output)
    first = got["slots"][0]
    assert [datetime.fromisoformat(a) - datetime.fromisoformat(first["start"]) for a in first["also_starts"]] == [
        timedelta(days=d) for d in (1, 2, 3, 4)]
    invite = demo_db.with_name("r.ics")
    picked = run("meet", "priya", "marcus", "--days", "5", "--pick", "2", "--invite", str(invite), "--title", "Review",
                 "--db", str(demo_db))
    assert picked.exit_code == 0, picked.output  # --pick counts answers, not days
    second = datetime.fromisoformat(got["slots"][1]["start"]).astimezone(UTC)
    assert f"DTSTART:{second:%Y%m%dT%H%M%SZ}" in invite.read_text()


def test_handles_may_be_given_as_one_comma_list_as_completion_writes_them(demo_db: Path) -> None:
    apart = run("meet", "tom", "lena", "--days", "3", "--format", "json", "--db", str(demo_db)).output
    listed = run("meet", "tom,lena", "--days", "3", "--format", "json", "--db", str(demo_db)).output
    mixed = run("meet", "tom,", " lena", "--days", "3", "--format", "json", "--db", str(demo_db)).output
    assert json.loads(listed)["people"] == ["sam", "tom", "lena"]  # sam: "me"
    assert listed == apart == mixed
    assert refused(demo_db, "meet", ",") == "tpm: HANDLE: name at least one person"
