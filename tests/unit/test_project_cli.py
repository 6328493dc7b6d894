"""``tpm project add|edit|list``: projects get names, owners, target dates and stakeholders,
which the markdown update uses; bad input is one line and changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from tests.conftest import cli as run, refused
from tpm_tui.storage import Store


def test_add_edit_list_and_the_update_uses_the_target(demo_db: Path) -> None:
    db = str(demo_db)
    r = run("project", "add", "web", "--name", "Website relaunch", "--owner", "lena", "--target", "2026-12-18",
            "--stakeholders", "CMO@example.com, pr@example.com", "--db", db)
    assert r.exit_code == 0 and r.stdout.strip() == "WEB", r.stderr
    web = Store.open(demo_db).project("WEB")
    assert web is not None
    assert (web.name, web.owner, web.target_date, web.stakeholders) == (
        "Website relaunch", "lena", date(2026, 12, 18), ("cmo@example.com", "pr@example.com"))
    assert run("task", "add", "New landing page", "--project", "WEB", "--due", "2027-01-08", "--db", db).exit_code == 0

    md = run("brief", "--format", "markdown", "--db", db).stdout
    assert "### WEB — Website relaunch: **at risk** (target Fri 18 Dec)\n" in md
    assert "- 1 open task due after the target: WEB-1 (Fri 08 Jan)\n" in md

    r = run("project", "edit", "WEB", "--target", "2027-01-15", "--owner", "", "--db", db)
    assert r.exit_code == 0 and r.stdout.strip() == "WEB edited (owner, target_date)  (tpm undo reverts it)"
    md = run("brief", "--format", "markdown", "--db", db).stdout
    assert "### WEB — Website relaunch: **on track** (target Fri 15 Jan)\n" in md
    # journaled: undo puts the old owner and target back, redo the new ones
    assert run("task", "undo", "--db", db).stdout.startswith("Undone: WEB edited (owner, target_date)")
    assert Store.open(demo_db).project("WEB") == web
    # the task added from the command line is journaled as well: undo removes it
    assert run("task", "undo", "--db", db).stdout.startswith("Undone: WEB-1 created")
    assert Store.open(demo_db).task("WEB-1") is None
    assert run("task", "add", "New landing page", "--project", "WEB", "--due", "2027-01-08", "--db", db).exit_code == 0
    r = run("project", "edit", "WEB", "--target", "2027-01-15", "--owner", "", "--db", db)

    listed = run("project", "list", "--db", db).stdout.splitlines()
    # its one task has no estimate: nothing to count, so its work fits
    assert any(line.split()[:1] == ["WEB"] and "2027-01-15" in line and line.rstrip().endswith("1 open    0 done  fits")
               for line in listed), listed
    docs = {d["key"]: d for d in orjson.loads(run("project", "list", "--format", "json", "--db", db).stdout)}
    assert docs["WEB"]["owner"] == "" and docs["WEB"]["target_date"] == "2027-01-15"
    assert docs["WEB"]["forecast"] == {"fits": True, "need_hours": 0.0, "short_hours": 0.0, "unassigned_hours": 0.0,
                                       "unestimated_tasks": 1, "late_in_order": []}
    # more work than Tom's 4h days hold before a target this Friday: short, by how much
    assert run("project", "edit", "WEB", "--target", "2026-12-04", "--db", db).exit_code == 0
    assert run("task", "add", "Hero video", "--project", "WEB", "--assignee", "tom", "--estimate", "40h",
               "--db", db).exit_code == 0
    docs = {d["key"]: d for d in orjson.loads(run("project", "list", "--format", "json", "--db", db).stdout)}
    short = docs["WEB"]["forecast"]["short_hours"]
    assert 20 < short < 40 and docs["WEB"]["forecast"]["need_hours"] == 40.0
    web = next(line for line in run("project", "list", "--db", db).stdout.splitlines() if line.startswith("WEB"))
    assert web.endswith(f"  {short:g}h short") or web.endswith(f"  {round(short, 1):g}h short"), web
    assert set(docs) == {p.key for p in Store.open(demo_db).projects()}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["add", "not a key", "--name", "x"], "KEY: 'not a key' is not a project key"),
        (["add", "API", "--name", "again"], "project API already exists"),
        (["add", "WEB", "--name", "  "], "--name: must not be empty"),
        (["add", "WEB", "--name", "Web", "--owner", "zed"], "--owner: no person 'zed'"),
        (["add", "WEB", "--name", "Web", "--target", "someday"], "--target"),
        (["add", "WEB", "--name", "Web", "--stakeholders", "cmo"], "--stakeholders: 'cmo'"),
        (["edit", "NOPE", "--name", "x"], "no project 'NOPE'"),
        (["edit", "API", "--name", "Payments API v2"], "nothing to change"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(demo_db: Path, args: list[str], needle: str) -> None:
    assert needle in refused(demo_db, "project", *args)


def test_project_rm_takes_a_project_without_tasks_and_undo_brings_it_back(demo_db: Path) -> None:
    """A typo in --project makes a project (said, not asked); once its task is deleted the
    project can go too. A project with tasks stays: its done tasks are its history."""
    made = run("task", "add", "Fix", "--project", "APII", "--db", str(demo_db))
    assert made.stdout == "APII-1\n"
    assert refused(demo_db, "project", "rm", "apii") == (
        "tpm: APII has 1 task (APII-1): a project with tasks stays (done ones are its history; tpm task rm "
        "deletes mistakes)")
    api = len(Store.open(demo_db).task_ids_in("API"))
    assert refused(demo_db, "project", "rm", "API").startswith(f"tpm: API has {api} tasks (API-")
    assert refused(demo_db, "project", "rm", "nope") == "tpm: no project 'nope'"
    assert run("task", "rm", "APII-1", "--db", str(demo_db)).exit_code == 0
    result = run("project", "rm", "apii", "--db", str(demo_db))
    assert result.stdout == "project APII removed  (tpm undo reverts it)\n"
    assert Store.open(demo_db).project("APII") is None
    assert run("undo", "--db", str(demo_db)).stdout.startswith("Undone: project APII removed")
    assert Store.open(demo_db).project("APII") is not None


def test_project_show_gives_everyone_s_hours_who_else_has_room_and_the_tasks_at_risk(demo_db: Path) -> None:
    db = str(demo_db)
    assert run("project", "add", "OPS", "--name", "Ops hardening", "--target", "2026-12-04", "--owner", "tom",
               "--db", db).exit_code == 0
    for title, hours in (("Patch the fleet", "2d"), ("Rotate secrets", "12h")):
        assert run("task", "add", title, "--project", "OPS", "--assignee", "tom", "--estimate", hours,
                   "--db", db).exit_code == 0
    doc = orjson.loads(run("project", "show", "ops", "--format", "json", "--db", db).stdout)
    fc = doc["forecast"]
    (tom,) = fc["people"]
    assert (doc["status"], doc["open"], doc["done"]) == ("at risk", 2, 0)
    assert tom["person"] == "tom" and tom["need_hours"] == 28.0 and tom["free_hours"] - tom["other_hours"] < 28
    assert tom["short_hours"] == fc["short_hours"] == round(28 - (tom["free_hours"] - tom["other_hours"]), 2)
    room = fc["room_elsewhere"]
    assert room and "tom" not in {r["person"] for r in room}  # the team is not "elsewhere"
    assert [r["spare_hours"] for r in room] == sorted((r["spare_hours"] for r in room), reverse=True)
    text = run("project", "show", "OPS", "--db", db).stdout.splitlines()
    assert text[0] == "OPS — Ops hardening: at risk (target Fri 04 Dec 2026, owner Tom Becker)"
    assert text[1] == "  2 open, 0 done"
    assert text[2].startswith("  forecast    ") and " short before Fri 04 Dec: Tom needs 28h, has " in text[2]
    assert text[4].split()[:4] == ["Tom", "Becker", "28h", "of"] and text[4].endswith("short")
    assert text[5].startswith("  room elsewhere before Fri 04 Dec: ")
    # a project with tasks at risk lists them with every reason
    api = run("project", "show", "API", "--db", db).stdout
    assert "  at risk\n    API-3     late     Webhook retry with backoff @marcus\n              - overdue by" in api
    unknown = run("project", "show", "XYZ", "--db", db)
    assert unknown.exit_code != 0 and "no project 'XYZ' (projects: API, DATA, MOB, OPS)" in unknown.stderr


def test_project_list_keeps_its_columns_with_a_long_key(demo_db: Path) -> None:
    assert run("project", "add", "PAYMENTSAPI", "--name", "acme/payments-api", "--db", str(demo_db)).exit_code == 0
    lines = run("project", "list", "--db", str(demo_db)).stdout.splitlines()
    # every name starts in the same column
    assert len({line.index(name) for line, name in zip(lines, ("Payments API v2", "Data platform", "Mobile app",
                                                              "acme/payments-api"), strict=False)}) == 1


def test_a_project_whose_hours_fit_but_not_in_work_order_is_at_risk_and_says_why(demo_db: Path) -> None:
    db = str(demo_db)
    assert run("project", "add", "WEB", "--name", "Website", "--target", "2026-12-04", "--db", db).exit_code == 0
    assert run("task", "add", "Copy", "--project", "WEB", "--assignee", "tom", "--estimate", "10h",
               "--due", "2026-12-03", "--db", db).stdout.strip() == "WEB-1"
    assert run("task", "add", "Build page", "--project", "WEB", "--assignee", "lena", "--estimate", "12h",
               "--due", "2026-12-04", "--depends", "WEB-1", "--db", db).exit_code == 0
    web = next(line for line in run("project", "list", "--db", db).stdout.splitlines() if line.startswith("WEB"))
    assert web.endswith("2 open    0 done  late in work order"), web
    shown = run("project", "show", "WEB", "--db", db).stdout
    assert shown.startswith("WEB — Website: at risk (target Fri 04 Dec 2026)")
    assert ("22h of open work fit before Fri 04 Dec, but not in work order: WEB-2 (Lena) can end Mon 07 Dec at the "
            "earliest: it waits for WEB-1 (Tom)") in " ".join(shown.split())
    fc = orjson.loads(run("project", "show", "WEB", "--format", "json", "--db", db).stdout)["forecast"]
    assert (fc["fits"], fc["short_hours"]) == (False, 0.0)
    (late,) = fc["late_in_order"]
    assert (late["id"], late["person"], late["ends"][:10], late["waits_for"]) == ("WEB-2", "lena", "2026-12-07", ["WEB-1"])
    # the copy done sooner (fewer hours left): the page fits again
    assert run("task", "hours", "WEB-1", "2", "--db", db).exit_code == 0
    web = next(line for line in run("project", "list", "--db", db).stdout.splitlines() if line.startswith("WEB"))
    assert web.endswith("  fits"), web
