"""People change: ``tpm person edit`` and ``tpm person off`` (holidays, leave). Days off
feed capacity, risk, workload and plan; bad input is one line and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest

from tpm_tui.domain import InputError, NotFoundError
from tpm_tui.services.entry import edit_person, parse_day_span, set_days_off
from tpm_tui.storage import Store
from tests.conftest import NOW, TODAY, cli as run, refused

PEOPLE = "(people: ava, diego, lena, marcus, priya, sam, tom, yuki)"
"""What an unknown-person line lists for the demo team."""


def test_days_off_count_only_working_days_and_toggle(demo_store: Store) -> None:
    monday = TODAY + timedelta(days=7 - TODAY.weekday())  # next Monday
    person, changed = set_days_off(demo_store, "priya", monday, monday + timedelta(days=13))
    assert changed == [monday + timedelta(days=i) for i in range(14) if i % 7 < 5]  # two weeks, weekends left out
    assert person.days_off[-10:] == tuple(changed)
    _, again = set_days_off(demo_store, "priya", monday, monday + timedelta(days=13))
    assert again == []  # already off: nothing changes
    _, back = set_days_off(demo_store, "priya", monday + timedelta(days=7), monday + timedelta(days=7), off=False)
    assert back == [monday + timedelta(days=7)]
    assert monday + timedelta(days=7) not in demo_store.person("priya").days_off  # type: ignore[union-attr]
    with pytest.raises(NotFoundError, match="no person 'zed'"):
        set_days_off(demo_store, "zed", monday, monday)


def test_a_span_reads_dates_and_relative_days() -> None:
    today = date(2026, 11, 30)  # a Monday
    assert parse_day_span("2026-12-21..2027-01-01", today) == (date(2026, 12, 21), date(2027, 1, 1))
    assert parse_day_span("fri", today) == (date(2026, 12, 4), date(2026, 12, 4))
    assert parse_day_span("+1w..+2w", today) == (date(2026, 12, 7), date(2026, 12, 14))
    for bad, needle in (("2026-12-21..2026-12-01", "ends before it starts"), ("2026-01-01..2027-06-01", "366"),
                        ("someday", "DATE")):
        with pytest.raises(InputError, match=needle):
            parse_day_span(bad, today)


def test_edit_person_changes_only_what_is_given(demo_store: Store) -> None:
    before = demo_store.person("lena")
    person, changed = edit_person(demo_store, "lena", tz="America/New_York", hours="08:00-16:00", capacity=30)
    assert changed == ["timezone", "work_start", "work_end", "weekly_capacity_hours"]
    assert (person.timezone, person.work_start, person.work_end, person.weekly_capacity_hours) == (
        "America/New_York", "08:00", "16:00", 30.0)
    assert (person.name, person.email, person.days_off) == (before.name, before.email, before.days_off)  # type: ignore[union-attr]
    with pytest.raises(InputError, match="nothing to change"):
        edit_person(demo_store, "lena", tz="America/New_York")


def test_person_off_lowers_capacity_in_the_brief(demo_db: Path) -> None:
    db = str(demo_db)

    def capacity() -> float:
        brief = orjson.loads(run("brief", "--format", "json", "--db", db).stdout)
        return next(w["capacity_hours"] for w in brief["workload"] if w["person"] == "yuki")

    full = capacity()
    week_end = TODAY + timedelta(days=4 - TODAY.weekday())  # this Friday
    r = run("person", "off", "yuki", f"{TODAY.isoformat()}..{week_end.isoformat()}", "--db", db)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "Yuki Tanaka off on 5 working days (Mon 30 Nov–Fri 04 Dec)  (tpm undo reverts it)\n"
    assert capacity() == 0.0 < full
    listed = run("person", "list", "--db", db).stdout.splitlines()
    assert next(line for line in listed if line.startswith("yuki ")).endswith("  off Mon 30 Nov–Fri 04 Dec")
    r = run("person", "off", "yuki", "fri", "--remove", "--db", db)
    assert r.stdout.startswith("Yuki Tanaka working again on 1 working day (Fri 04 Dec)")
    assert 0.0 < capacity() < full
    # both are journaled: undo walks them back, as for a task action
    assert run("task", "undo", "--db", db).stdout.startswith("Undone: Yuki Tanaka working again on 1 working day")
    assert capacity() == 0.0
    assert run("task", "undo", "--db", db).stdout.startswith("Undone: Yuki Tanaka off on 5 working days")
    assert capacity() == full
    r = run("person", "off", "yuki", "sat", "--db", db)  # not a working day: nothing to record
    assert r.exit_code == 0 and r.stdout.strip() == "Yuki Tanaka: no change (already off or not working on those days)"
    before = Store.open(demo_db).person("yuki")
    r = run("person", "edit", "yuki", "--hours", "09:00-13:00", "--role", "Data (part-time)", "--db", db)
    assert r.exit_code == 0
    assert r.stdout.strip() == "yuki edited (work_start, work_end, role)  (tpm undo reverts it)"
    after = Store.open(demo_db).person("yuki")
    assert (after.work_start, after.work_end, after.role) == ("09:00", "13:00", "Data (part-time)")  # type: ignore[union-attr]
    assert run("task", "undo", "--db", db).stdout.startswith("Undone: yuki edited (work_start, work_end, role)")
    assert Store.open(demo_db).person("yuki") == before


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["off", "zed", "fri"], "no person 'zed'"),
        (["off", "priya", "2026-12-10..2026-12-01"], "ends before it starts"),
        (["off", "priya", "whenever"], "DATE"),
        (["edit", "priya", "--hours", "25:00-18:00"], "--hours: bad time '25:00'"),
        (["edit", "priya", "--tz", "Mars/Base"], "Mars/Base"),
        (["edit", "priya", "--email", "sam@example.com"], "already belongs to 'sam'"),
        (["edit", "priya", "--email", "not-an-address"], "--email"),
        (["edit", "priya", "--name", "  "], "--name: must not be empty"),
        (["edit", "priya", "--days", "someday"], "--days"),
        (["edit", "zed", "--role", "x"], "no person 'zed'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(demo_db: Path, args: list[str], needle: str) -> None:
    assert needle in refused(demo_db, "person", *args)


def test_days_off_are_journaled_with_task_actions_in_one_undo_history(demo_store: Store) -> None:
    from tpm_tui.services import triage

    monday = TODAY + timedelta(days=7 - TODAY.weekday())
    before = demo_store.person("priya")
    off = triage.days_off(demo_store, "priya", monday, monday + timedelta(days=1), NOW)
    assert (off.task_id, off.message) == (None, "Priya Raman off on 2 working days (Mon 07 Dec–Tue 08 Dec)")
    assert off.entry_id is not None
    triage.mark_done(demo_store, "API-1", NOW)
    assert triage.undo(demo_store, NOW).message == "Undone: API-1 marked done"
    undone = triage.undo(demo_store, NOW)
    assert undone.message.startswith("Undone: Priya Raman off on 2") and undone.task_id is None
    assert demo_store.person("priya") == before
    assert triage.redo(demo_store, NOW).message.startswith("Redone: Priya Raman off on 2")
    assert demo_store.person("priya").days_off[-2:] == (monday, monday + timedelta(days=1))  # type: ignore[union-attr]
    nothing = triage.days_off(demo_store, "priya", monday, monday, NOW)  # already off
    assert nothing.entry_id is None and "no change" in nothing.message


def test_adding_a_person_or_a_project_is_undoable(tmp_path: Path) -> None:
    db = str(tmp_path / "db.json")
    assert run("person", "add", "kim", "--name", "Kim Ito", "--email", "kim@x.org", "--tz", "Asia/Tokyo",
               "--db", db).output == "kim\n"
    assert run("project", "add", "web", "--name", "Website", "--owner", "kim", "--db", db).output == "WEB\n"
    store = Store.open(Path(db))
    kim, web = store.person("kim"), store.project("WEB")
    assert kim is not None and web is not None
    assert run("undo", "--db", db).output.startswith("Undone: project WEB added")
    assert run("undo", "--db", db).output.startswith("Undone: person kim added")
    store = Store.open(Path(db))
    assert store.people() == [] and store.projects() == []
    assert run("redo", "--db", db).output.startswith("Redone: person kim added")
    assert run("redo", "--db", db).output.startswith("Redone: project WEB added")
    store = Store.open(Path(db))
    assert (store.person("kim"), store.project("WEB")) == (kim, web)  # whole, as they were


def test_person_show_gives_their_week_odd_hours_and_tasks_at_risk(demo_db: Path) -> None:
    import json

    from tpm_tui.logic.timeutil import zone

    out = run("person", "show", "priya", "--db", str(demo_db)).output
    lines = out.splitlines()
    assert lines[0] == "Priya Raman (priya), Backend"
    assert "their time now Mon 13:00" in lines[1]  # 08:30 in Berlin is 13:00 in Kolkata
    brief = json.loads(run("brief", "--format", "json", "--db", str(demo_db)).output)
    load = next(w for w in brief["workload"] if w["person"] == "priya")
    assert lines[lines.index("Week of Mon 30 Nov") + 1].startswith(f"  load        {load['load_pct']:.0f}% OVERLOADED")
    # the odd-hours list is the week's agenda, read in Priya's own time
    agenda = json.loads(run("agenda", "--from", "mon", "--format", "json", "--db", str(demo_db)).output)
    kolkata = zone("Asia/Kolkata")
    expected = []
    for day in agenda["days"]:
        for m in day["meetings"]:
            if "priya" in m["odd_hours_for"]:
                from datetime import datetime

                s, e = (datetime.fromisoformat(m[k]).astimezone(kolkata) for k in ("start", "end"))
                expected.append(f"    {s:%a %H:%M}–{e:%H:%M}  {m['summary']}")
    assert expected and [line for line in lines if line.startswith("    ") and "–" in line[:20]] == expected
    assert f"  odd hours   {len(expected)} meetings, " in out
    at_risk = [r["id"] for r in brief["at_risk"] if r["assignee"] == "priya"]
    assert lines[lines.index(f"Tasks at risk ({len(at_risk)})") + 1].split()[0] == at_risk[0]
    assert refused(demo_db, "person", "show", "zed").startswith("tpm: no person 'zed' (people: ava, ")


def test_days_off_reaching_into_next_year_say_the_years(demo_db: Path) -> None:
    r = run("person", "off", "yuki", "2026-12-31..2027-01-04", "--db", str(demo_db))
    assert r.stdout == "Yuki Tanaka off on 3 working days (Thu 31 Dec 2026–Mon 04 Jan 2027)  (tpm undo reverts it)\n"


def test_person_rm_needs_their_open_tasks_placed_and_one_undo_brings_all_back(demo_db: Path) -> None:
    """Someone left the team: out of Workload and the pickers. Their open tasks go to someone
    or to nobody first; done tasks keep the name; tpm undo restores person and assignees."""
    import orjson

    from tpm_tui.storage import Store
    from tests.conftest import cli, refused

    before = orjson.loads(demo_db.read_bytes())
    lena = sorted((t.id for t in Store.open(demo_db).open_tasks() if t.assignee == "lena"),
                  key=lambda i: (i.split("-")[0], int(i.split("-")[1])))
    assert len(lena) >= 2
    said = refused(demo_db, "person", "rm", "lena")
    assert said == (f"tpm: lena has {len(lena)} open tasks ({', '.join(lena)}): give them to someone (--reassign "
                    "HANDLE) or to nobody (--unassign); nothing was changed")
    me = Store.open(demo_db).settings().me
    assert refused(demo_db, "person", "rm", str(me)).startswith(f"tpm: {me} is you (tpm set me)")
    assert refused(demo_db, "person", "rm", "lena", "--reassign", "ghost") == f"tpm: --reassign: no person 'ghost' {PEOPLE}"
    assert "give one of them" in refused(demo_db, "person", "rm", "lena", "--reassign", "ava", "--unassign")
    assert refused(demo_db, "person", "rm", "nobody") == f"tpm: no person 'nobody' {PEOPLE}"

    result = cli("person", "rm", "lena", "--reassign", "ava", "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"lena removed ({', '.join(lena)} given to ava)  (tpm undo reverts it)\n"
    store = Store.open(demo_db)
    assert store.person("lena") is None
    assert all(store.require_task(i).assignee == "ava" for i in lena)
    assert any(t.assignee == "lena" for t in store.tasks() if not t.is_open)  # history keeps the name
    brief = orjson.loads(cli("brief", "--format", "json", "--db", str(demo_db)).stdout)
    assert "lena" not in {w["person"] for w in brief["workload"]}

    assert cli("undo", "--db", str(demo_db)).stdout.startswith(f"Undone: lena removed ({', '.join(lena)} given")
    after = orjson.loads(demo_db.read_bytes())
    assert after["people"] == before["people"] and after["tasks"] == before["tasks"]

    unassigned = cli("person", "rm", "lena", "--unassign", "--db", str(demo_db))
    assert unassigned.stdout.startswith(f"lena removed ({', '.join(lena)} now unassigned)")
    assert all(Store.open(demo_db).require_task(i).assignee is None for i in lena)


def test_person_rm_of_someone_with_no_open_work_needs_nothing_else(demo_db: Path) -> None:
    from tpm_tui.storage import Store
    from tests.conftest import cli

    assert cli("person", "add", "kim", "--name", "Kim Lee", "--email", "kim@example.com", "--tz", "Asia/Seoul",
               "--db", str(demo_db)).exit_code == 0
    assert cli("project", "add", "OPS", "--name", "Ops", "--owner", "kim", "--db", str(demo_db)).exit_code == 0
    result = cli("person", "rm", "kim", "--db", str(demo_db))
    assert result.stdout == ("kim removed; still the owner of OPS (tpm project edit OPS --owner HANDLE)  "
                             "(tpm undo reverts it)\n")
    assert Store.open(demo_db).person("kim") is None
    cli("undo", "--db", str(demo_db))
    assert Store.open(demo_db).person("kim") is not None


def test_days_off_for_several_people_or_all_is_one_undo(demo_db: Path) -> None:
    """A public holiday for the whole team in one command; one undo takes every day back."""
    from datetime import date

    import orjson

    from tpm_tui.storage import Store
    from tests.conftest import cli, refused

    before = orjson.loads(demo_db.read_bytes())["people"]
    handles = [p.handle for p in Store.open(demo_db).people()]
    assert refused(demo_db, "person", "off", "lena,ghost", "2026-12-24") == f"tpm: no person 'ghost' {PEOPLE}"
    said = cli("person", "off", "all", "2026-12-24..2026-12-27", "--db", str(demo_db)).stdout.splitlines()
    assert said[-1] == "(tpm undo reverts all of it)" and len(said) == len(handles) + 1
    store = Store.open(demo_db)
    for h in handles:
        person = store.person(h)
        assert person is not None and date(2026, 12, 24) in person.days_off
        assert date(2026, 12, 26) not in person.days_off  # a Saturday: not a working day of anyone here
    undone = cli("undo", "--db", str(demo_db)).stdout
    assert undone.startswith(f"Undone: {len(handles)} people off (Thu 24 Dec–Sun 27 Dec)")
    assert orjson.loads(demo_db.read_bytes())["people"] == before
    two = cli("person", "off", "lena, tom", "2026-12-24", "--db", str(demo_db)).stdout.splitlines()
    assert [line.split(" off on ")[0] for line in two[:2]] == ["Lena Vogel", "Tom Becker"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        # a close handle, and a first name typed for a handle, are offered with the name
        (["person", "show", "pria"], f"tpm: no person 'pria' — did you mean 'priya' (Priya Raman)? {PEOPLE}"),
        (["task", "add", "X", "--project", "API", "--assignee", "Marcus"],
         f"tpm: --assignee: no person 'Marcus' — did you mean 'marcus' (Marcus Chen)? {PEOPLE}"),
        (["person", "off", "tom,yuk", "2026-12-24"], f"tpm: no person 'yuk' — did you mean 'yuki' (Yuki Tanaka)? {PEOPLE}"),
        (["plan", "--for", "lina"], f"tpm: no person 'lina' — did you mean 'lena' (Lena Vogel)? {PEOPLE}"),
    ],
)
def test_an_unknown_person_is_answered_with_the_nearest_handles(demo_db: Path, args: list[str], said: str) -> None:
    before = demo_db.read_bytes()
    assert refused(demo_db, *args) == said
    assert demo_db.read_bytes() == before


def test_a_large_team_is_counted_not_listed_and_the_nearest_handle_comes_first(tmp_path: Path) -> None:
    from tpm_tui.domain import Person, no_person

    people = [Person(f"p{i:04d}", f"Person {i}", f"p{i}@x.org", "UTC") for i in range(200)]
    line = no_person("p001", people)
    assert line.startswith("no person 'p001' — did you mean 'p0001' (Person 1) or ")
    assert line.endswith("(200 people: p0000, p0001, p0002, p0003, p0004, p0005, p0006, p0007, …; tpm person list shows all)")
    assert no_person("zz", []) == "no person 'zz' (no people yet: tpm person add)"
    assert no_person(["a", "b"], people[:2]) == "no person 'a', 'b' (people: p0000, p0001)"


HOLIDAYS = Path(__file__).resolve().parents[1] / "fixtures" / "holidays_google_india.ics"


def test_public_holidays_from_a_calendar_are_days_off_for_the_people_named(demo_db: Path) -> None:
    """Google's "Holidays in India" (all-day events; an observance; a yearly US rule; a timed
    event): in the coming year, each holiday on a working day is a day off; one undo."""
    before = orjson.loads(demo_db.read_bytes())["people"]
    result = run("person", "off", "priya,tom", "--holidays", str(HOLIDAYS), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{HOLIDAYS}: 6 holidays from Mon 30 Nov 2026 to Tue 30 Nov 2027 "
                        "(1 observance, 1 timed event left out)")
    assert lines[1:7] == ["  Thu 24 Dec 2026  Christmas break", "  Fri 25 Dec 2026  Christmas break",
                          "  Sat 26 Dec 2026  Christmas break", "  Sun 27 Dec 2026  Christmas break",
                          "  Tue 26 Jan 2027  Republic Day", "  Thu 25 Nov 2027  Thanksgiving (US office)"]
    assert lines[7] == ("Priya Raman off on 4 working days (Thu 24 Dec 2026, Fri 25 Dec 2026, Tue 26 Jan 2027, "
                        "Thu 25 Nov 2027)")
    assert lines[-1] == "(tpm undo reverts all of it)"
    store = Store.open(demo_db)
    wanted = {date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 26), date(2027, 11, 25)}
    for handle in ("priya", "tom"):
        person = store.person(handle)
        assert person is not None and wanted <= set(person.days_off)
        assert date(2027, 2, 14) not in person.days_off  # Valentine's Day: an observance
        assert date(2026, 12, 26) not in person.days_off  # a Saturday
    assert not set(store.person("lena").days_off) & wanted  # type: ignore[union-attr]  # not named
    assert run("undo", "--db", str(demo_db)).stdout.startswith("Undone: 2 people off on 6 holidays")
    assert orjson.loads(demo_db.read_bytes())["people"] == before


def test_a_span_narrows_the_holidays_and_bad_input_is_one_line(demo_db: Path, tmp_path: Path) -> None:
    out = run("person", "off", "priya", "2027-01-01..2027-06-30", "--holidays", str(HOLIDAYS), "--db", str(demo_db))
    assert out.stdout.splitlines()[1:] == ["  Tue 26 Jan 2027  Republic Day",
                                           "Priya Raman off on 1 working day (Tue 26 Jan 2027)  (tpm undo reverts it)"]
    assert refused(demo_db, "person", "off", "priya") == \
        "tpm: DATE: give the days off (DATE or FIRST..LAST), or --holidays FILE.ics"
    assert refused(demo_db, "person", "off", "zed", "--holidays", str(tmp_path / "none.ics")) == \
        f"tpm: no person 'zed' {PEOPLE}"  # the person first: no file read for nobody
    assert refused(demo_db, "person", "off", "priya", "--holidays", str(tmp_path / "none.ics")).startswith(
        f"tpm: {tmp_path / 'none.ics'}: cannot be read")
    meetings = Path(__file__).resolve().parents[1] / "fixtures" / "ics" / "google_weekly_berlin_eu_dst.ics"
    assert refused(demo_db, "person", "off", "priya", "--holidays", str(meetings)) == \
        f"tpm: {meetings}: no all-day events, so no holidays (1 timed event: tpm import takes meetings)"
    junk = tmp_path / "junk.ics"
    junk.write_bytes(b"hello")
    assert refused(demo_db, "person", "off", "priya", "--holidays", str(junk)).startswith(f"tpm: {junk}: ")
