"""The command line: exit codes, one-line errors, data entry, nothing changed on bad input."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tpm_tui.domain import StoreError
from tpm_tui.storage import Store
from tests.conftest import cli as run, disk_state, one_error_line, refused

def test_demo_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    first = run("demo", "--db", str(db))
    assert first.exit_code == 0, first.stderr
    assert "8 people" in first.stdout and "40 tasks" in first.stdout
    content = disk_state(db)
    again = run("demo", "--db", str(db))
    assert again.exit_code != 0
    assert "--force" in one_error_line(again)
    assert disk_state(db) == content
    forced = run("--db", str(db), "demo", "--force")
    assert forced.exit_code == 0
    assert len(Store.open(db).tasks()) == 40


def test_demo_needs_db(tmp_path: Path) -> None:
    result = run("demo")
    assert result.exit_code != 0
    assert "--db" in one_error_line(result)


def test_demo_force_refuses_to_replace_a_corrupt_file(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    db.write_bytes(b"{broken")
    result = run("demo", "--db", str(db), "--force")
    assert result.exit_code != 0
    assert "not valid JSON" in one_error_line(result)
    assert disk_state(db) == b"{broken"


def test_person_add_and_list(tmp_path: Path) -> None:
    db = str(tmp_path / "d.json")
    result = run("person", "add", "priya", "--name", "Priya Raman", "--email", "Priya@Example.com",
                 "--tz", "Asia/Kolkata", "--hours", "10:00-18:30", "--days", "sun-thu", "--capacity", "30", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "priya"
    listed = orjson.loads(run("person", "list", "--format", "json", "--db", db).stdout)
    assert listed == [
        {
            "handle": "priya",
            "name": "Priya Raman",
            "email": "priya@example.com",
            "role": "",
            "timezone": "Asia/Kolkata",
            "work_start": "10:00",
            "work_end": "18:30",
            "work_days": ["mon", "tue", "wed", "thu", "sun"],
            "weekly_capacity_hours": 30.0,
            "days_off": [],
        }
    ]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--tz", "Europe/Berlin", "--hours", "18:00-09:00"], "--hours"),
        (["--tz", "Europe/Berlin", "--hours", "9-5"], "bad time"),
        (["--tz", "Europe/Berlin", "--days", "mon-funday"], "--days"),
        (["--tz", "Europe/Berlin", "--capacity", "-3"], "--capacity"),
        (["--tz", "Europe/Berlin", "--capacity", "nan"], "--capacity: nan is not a number of hours"),
    ],
)
def test_person_add_bad_values_change_nothing(demo_db: Path, args: list[str], needle: str) -> None:
    assert needle in refused(demo_db, "person", "add", "zoe", "--name", "Zoe", "--email", "zoe@x.io", *args)


def test_person_add_duplicate_handle_and_bad_email(demo_db: Path) -> None:
    before = disk_state(demo_db)
    dup = run("--db", str(demo_db), "person", "add", "priya", "--name", "P", "--email", "p2@x.io", "--tz", "UTC")
    assert "already exists" in one_error_line(dup)
    bad = run("--db", str(demo_db), "person", "add", "zed", "--name", "Z", "--email", "not-an-email", "--tz", "UTC")
    assert "--email" in one_error_line(bad)
    assert disk_state(demo_db) == before


def test_task_add_prints_the_new_id_and_stores_fields(demo_db: Path) -> None:
    result = run("task", "add", "Rotate API keys", "--project", "API", "--assignee", "priya", "--due",
                 "2026-12-04T15:00", "--estimate", "6", "--remaining", "4", "--priority", "high",
                 "--depends", "API-1,API-2", "--time-sensitive", "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "API-15"
    tasks = {t["id"]: t for t in orjson.loads(run("--db", str(demo_db), "task", "list", "--format", "json").stdout)}
    t = tasks["API-15"]
    assert t["title"] == "Rotate API keys"
    assert t["due"] == "2026-12-04T15:00:00+01:00"  # read in the configured zone, Europe/Berlin
    assert (t["estimate_hours"], t["remaining_hours"], t["priority"]) == (6.0, 4.0, "high")
    assert t["depends_on"] == ["API-1", "API-2"] and t["time_sensitive"] is True
    assert t["status"] == "todo"


def test_task_add_in_a_new_project_numbers_from_one(tmp_path: Path) -> None:
    db = str(tmp_path / "d.json")
    first = run("task", "add", "First", "--project", "ops", "--db", db)
    assert first.stdout.strip() == "OPS-1"
    assert first.stderr.strip() == "tpm: note: new project OPS (the first one)"
    second = run("task", "add", "Second", "--project", "OPS", "--due", "tomorrow", "--db", db)
    assert second.stdout.strip() == "OPS-2" and second.stderr == ""  # no note for a known project
    [_, second] = orjson.loads(run("task", "list", "--format", "json", "--db", db).stdout)
    assert second["due"] == "2026-12-01"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--assignee", "nobody"], "no person 'nobody'"),
        (["--due", "2026-13-01"], "--due"),
        (["--due", "someday"], "--due"),
        (["--priority", "urgent"], "--priority"),
        (["--depends", "API-999"], "no task 'API-999'"),
        (["--estimate", "-1"], "--estimate"),
        (["--project", "not a key"], "--project"),
    ],
)
def test_task_add_bad_values_change_nothing(demo_db: Path, args: list[str], needle: str) -> None:
    base = ["--project", "API"] if "--project" not in args else []
    assert needle in refused(demo_db, "task", "add", "Something", *base, *args)


def test_set_me_and_timezone(demo_db: Path) -> None:
    assert run("--db", str(demo_db), "set", "me", "priya").exit_code == 0
    assert run("--db", str(demo_db), "set", "timezone", "Asia/Kolkata").exit_code == 0
    settings = Store.open(demo_db).settings()
    assert (settings.me, settings.timezone) == ("priya", "Asia/Kolkata")
    before = disk_state(demo_db)
    assert "no person 'ghost'" in one_error_line(run("--db", str(demo_db), "set", "me", "ghost"))
    assert "unknown time zone" in one_error_line(run("--db", str(demo_db), "set", "timezone", "Nowhere/City"))
    assert disk_state(demo_db) == before


def test_where_reports_the_source_of_the_path(tmp_path: Path) -> None:
    by_flag = run("where", "--db", str(tmp_path / "a.json"))
    assert f"database: {tmp_path / 'a.json'}  (from --db)" in by_flag.stdout
    by_env = run("where", env={"TPM_DB": str(tmp_path / "b.json")})
    assert f"database: {tmp_path / 'b.json'}  (from $TPM_DB)" in by_env.stdout
    default = run("where")
    assert "tpm-tui/tpm.json  (from default)" in default.stdout
    assert str(tmp_path / "xdg-data") in default.stdout  # platformdirs honours XDG_DATA_HOME
    assert not (tmp_path / "xdg-data").exists()  # nothing created by just asking
    seen = next(line for line in by_flag.stdout.splitlines() if line.startswith("seen:"))
    assert str(tmp_path / "xdg-state" / "tpm-tui" / "seen-") in seen  # the user's state folder, not the data's
    assert not (tmp_path / "xdg-state").exists()


def test_missing_db_folder_is_one_line(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "no" / "such" / "d.json"), "task", "list")
    assert result.exit_code != 0
    assert "does not exist" in one_error_line(result)


def test_corrupt_db_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    db.write_bytes(b'{"tasks": ')
    result = run("--db", str(db), "task", "add", "x", "--project", "API")
    assert result.exit_code != 0
    assert "not valid JSON" in one_error_line(result)
    assert disk_state(db) == b'{"tasks": '


def test_unknown_command_is_one_line() -> None:
    result = run("frobnicate")
    assert result.exit_code == 2
    assert "No such command" in one_error_line(result)


@pytest.mark.parametrize("group", ["task", "person", "project", "calendar"])
def test_a_command_group_alone_shows_its_help_as_help_does(group: str) -> None:
    """``tpm task`` is asking what it can do: the help, line by line, as ``--help`` gives it
    (it came out as one error line with the line breaks drawn as ␊)."""
    alone, asked = run(group), run(group, "--help")
    assert alone.exit_code == 0 and alone.stderr == ""
    assert alone.stdout == asked.stdout
    assert f" {group} [OPTIONS] COMMAND" in alone.stdout.splitlines()[0] and "␊" not in alone.stdout
    assert "\nCommands:\n" in alone.stdout


def test_default_db_goes_to_the_platform_data_dir(tmp_path: Path) -> None:
    assert run("task", "add", "x", "--project", "API").exit_code == 0
    assert (tmp_path / "xdg-data" / "tpm-tui" / "tpm.json").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    db.write_bytes(b"nope")
    result = run("--debug", "--db", str(db), "task", "list")
    assert result.exit_code != 0
    assert isinstance(result.exception, StoreError)  # re-raised for the traceback
    plain = run("--db", str(db), "task", "list")
    assert isinstance(plain.exception, SystemExit)


def test_task_add_says_when_it_starts_a_project(demo_db: Path) -> None:
    result = run("--db", str(demo_db), "task", "add", "Typo", "--project", "APU")
    assert result.exit_code == 0 and result.stdout.strip() == "APU-1"  # the id stays alone on stdout
    assert result.stderr.strip() == "tpm: note: new project APU (existing: API, DATA, MOB)"


@pytest.mark.parametrize("where", ["missing/plan.ics", "."])
def test_plan_export_to_a_bad_place_is_refused_before_any_output(demo_db: Path, tmp_path: Path, where: str) -> None:
    target = tmp_path / where
    before = disk_state(demo_db)
    result = run("--db", str(demo_db), "plan", "--export", str(target))
    assert result.exit_code != 0
    line = one_error_line(result)
    assert line.startswith("tpm: --export: ")
    assert ("does not exist" in line) if where != "." else ("is a folder" in line and "plan.ics" in line)
    assert result.stdout == ""  # no plan printed above the error
    assert disk_state(demo_db) == before


def test_someone_else_s_plan_is_in_their_zone_unless_a_zone_is_asked(demo_db: Path) -> None:
    """``plan --for priya``: her blocks in her hours (Kolkata), not the manager's (Berlin)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    theirs = run("--db", str(demo_db), "plan", "--for", "priya", "--days", "2").stdout.splitlines()
    mine = run("--db", str(demo_db), "plan", "--for", "priya", "--days", "2", "--tz", "Europe/Berlin").stdout.splitlines()
    assert theirs[0] == "Focus plan for priya (times in Asia/Kolkata, theirs; --tz for yours)"
    assert mine[0] == "Focus plan for priya (times in Europe/Berlin)"
    assert len(theirs) == len(mine) > 1

    def starts(lines: list[str], tz: str) -> list[datetime]:
        out = []
        for line in lines[1:]:
            day, hours = " ".join(line.split()[:4]), line.split()[3]
            out.append(datetime.strptime(f"{day[:10]} 2026 {hours[:5]}", "%a %d %b %Y %H:%M").replace(tzinfo=ZoneInfo(tz)))
        return out

    # the same blocks, told in the two zones
    assert starts(theirs, "Asia/Kolkata") == starts(mine, "Europe/Berlin")
    # my own plan stays in my zone
    assert run("--db", str(demo_db), "plan", "--days", "1").stdout.splitlines()[0] == "Focus plan for sam (times in Europe/Berlin)"
