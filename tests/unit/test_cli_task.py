"""``tpm task show|done|edit|note|snooze|undo``: triage from a shell, journaled like the
dashboard's keys (so ``u`` there and ``tpm task undo`` here revert either), one-line errors
and nothing changed on bad input."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import TaskStatus
from tpm_tui.storage import Store
from tests.conftest import NOW, cli as run, disk_state, one_error_line, refused

BERLIN = ZoneInfo("Europe/Berlin")


def task(db: Path, task_id: str):  # type: ignore[no-untyped-def]
    return Store.open(db).require_task(task_id)


def test_show_gives_the_dashboards_reasons_and_the_fields(demo_db: Path) -> None:
    from tpm_tui.services.brief import daily_brief

    store = Store.open(demo_db)
    brief = daily_brief(store, NOW.date(), "Europe/Berlin", NOW)
    item = next(i for i in brief.at_risk if len(i.reasons) > 1)
    result = run("task", "show", item.task.id.lower(), "--db", str(demo_db))  # ids are found whatever the case
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"{item.task.id}  {item.task.title}\n")
    assert f"  risk        {item.level.value.replace('_', ' ')} (score {item.score:g})\n" in out
    for reason in item.reasons:
        assert f"    - {reason}\n" in out
    assert f"  assignee    {item.task.assignee}\n" in out
    assert f"  status      {item.task.status.value}" in out


def test_show_names_who_has_room_for_an_at_risk_task(demo_db: Path) -> None:
    from tpm_tui.logic.risk import fits_for, fmt_hours
    from tpm_tui.services.brief import _assessments, daily_brief

    store = Store.open(demo_db)
    daily_brief(store, NOW.date(), "Europe/Berlin", NOW)
    fits = fits_for(_assessments[store][1], store.require_task("API-1"), store.people())
    out = run("task", "show", "API-1", "--db", str(demo_db)).stdout
    room = out[out.index("  room "):].splitlines()
    assert room[0] == "  room        needs 20h; free before it is due (their time, after their more urgent work)"
    priya = fits["priya"]
    assert not priya.fits  # why it is at risk
    assert room[1] == (f"    ✗ {'priya (assignee)':<20} {fmt_hours(priya.free)} by {priya.before}, "
                       f"{fmt_hours(priya.short)} short")
    roomy = sorted((f for f in fits.values() if f.fits), key=lambda f: -f.free)
    assert [line.split()[1] for line in room[2:]] == [f.handle for f in roomy][:5]
    assert all(line.split()[0] == "✓" for line in room[2:])
    # a task no rule judges (overdue): no room section
    assert "  room " not in run("task", "show", "MOB-5", "--db", str(demo_db)).stdout


def test_show_of_a_calm_task_says_no_rule_fires(demo_db: Path) -> None:
    store = Store.open(demo_db)
    from tpm_tui.services.brief import daily_brief

    risky = {i.task.id for i in daily_brief(store, NOW.date(), "Europe/Berlin", NOW).at_risk}
    calm = next(t for t in store.tasks() if t.is_open and t.snoozed_until is None and t.id not in risky)
    out = run("task", "show", calm.id, "--db", str(demo_db)).stdout
    assert "  risk        none: no rule fires\n" in out


def test_done_edit_note_snooze_then_undo_walks_back(demo_db: Path) -> None:
    db = str(demo_db)
    original = task(demo_db, "API-1")
    assert original.status is TaskStatus.DOING

    r = run("task", "edit", "API-1", "--due", "2026-12-04", "--priority", "high", "--not-time-sensitive", "--db", db)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "API-1 edited (due, priority, time_sensitive)  (tpm undo reverts it)"
    t = task(demo_db, "API-1")
    assert (t.due, t.priority, t.time_sensitive) == (date(2026, 12, 4), "high", False)

    r = run("task", "note", "API-1", "asked legal [bold]now[/]", "--db", db)
    assert r.exit_code == 0 and [n.text for n in task(demo_db, "API-1").notes][-1] == "asked legal [bold]now[/]"
    r = run("task", "snooze", "API-1", "+3d", "--db", db)
    assert r.exit_code == 0 and task(demo_db, "API-1").snoozed_until == date(2026, 12, 3)
    r = run("task", "done", "API-1", "API-2", "--db", db)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["API-1 marked done  (tpm undo reverts it)",
                                     "API-2 marked done  (tpm undo reverts it)"]
    assert task(demo_db, "API-1").status is TaskStatus.DONE and task(demo_db, "API-1").remaining_hours == 0.0

    # the dashboard's journal: every step above is one entry, undone newest first
    for expected in ("API-2 marked done", "API-1 marked done", "API-1 snoozed", "API-1 note added", "API-1 edited"):
        r = run("task", "undo", "--db", db)
        assert r.exit_code == 0 and r.stdout.startswith(f"Undone: {expected}"), r.stdout
    assert task(demo_db, "API-1") == original
    assert Store.open(demo_db).journal()[0].undone  # the demo starts with an empty journal
    assert run("task", "undo", "--db", db).stdout.strip() == "Nothing to undo"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["done", "API-1", "NOPE-9"], "no task 'NOPE-9'"),  # one unknown id: not even API-1 is done
        (["edit", "API-1", "--assignee", "zed"], "no person 'zed'"),
        (["edit", "API-1", "--due", "someday"], "--due"),
        (["edit", "API-1", "--priority", "urgent"], "priority"),
        (["edit", "API-1", "--depends", "API-1"], "cannot depend on itself"),
        (["edit", "API-1", "--estimate", "-3"], "--estimate"),
        (["edit", "API-1", "--estimate", "nan"], "--estimate: 'nan' is not a number of hours"),
        (["edit", "API-1", "--remaining", "inf"], "--remaining: 'inf' is not a number of hours"),
        (["add", "T", "--project", "API", "--remaining", "nan"], "--remaining: 'nan' is not a number of hours"),
        # "some day" as 9999-12-31 overflowed every conversion around it (end of day, week, plan)
        (["add", "T", "--project", "API", "--due", "9999-12-31"], "--due: '9999-12-31' is outside the years tpm plans in (1970–2199)"),
        (["edit", "API-1", "--due", "0001-01-01T10:00"], "--due: '0001-01-01T10:00' is outside the years"),
        (["snooze", "API-1", "2200-01-01"], "'2200-01-01' is outside the years tpm plans in (1970–2199)"),
        (["edit", "API-1", "--status", "doing"], "nothing to change"),
        (["edit", "API-1", "--status", "finished"], "--status"),
        (["note", "API-1", "   "], "the note is empty"),
        (["snooze", "API-1", "yesterday"], "not in the future"),
        (["snooze", "API-1", "never"], "DATE"),
        (["show", "API-404"], "no task 'API-404'"),
        (["rm", "API-1", "NOPE-9"], "no task 'NOPE-9'"),  # all ids first: API-1 stays
        (["delete", "NOPE-9"], "no task 'NOPE-9'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(demo_db: Path, args: list[str], needle: str) -> None:
    assert needle in refused(demo_db, "task", *args)


def test_show_prints_outside_text_literally_without_terminal_escapes(demo_db: Path) -> None:
    store = Store.open(demo_db)
    store.put_task(store.require_task("API-1")._replace(title="Pay \x1b[2J\x1b]0;pwned\x07 [bold]now[/]"))
    run("task", "note", "API-1", "line one\nline two \x1b[31mred", "--db", str(demo_db))
    result = run("task", "show", "API-1", "--db", str(demo_db), color=True)
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "API-1  Pay ␛[2J␛]0;pwned␇ [bold]now[/]\n" in result.stdout
    assert "CET  line one\n      line two ␛[31mred\n" in result.stdout  # a note's lines stay lines


def test_list_filters_by_project_person_status_and_open(demo_db: Path) -> None:
    store = Store.open(demo_db)
    tasks = store.tasks()

    def listed(*args: str) -> list[str]:
        result = run("task", "list", *args, "--db", str(demo_db))
        assert result.exit_code == 0, result.stderr
        return [line.split()[0] for line in result.stdout.splitlines()]

    def ids(keep) -> list[str]:  # type: ignore[no-untyped-def]
        return sorted((t.id for t in tasks if keep(t)), key=lambda i: (i.split("-")[0], int(i.split("-")[1])))

    assert listed("--project", "api", "--assignee", "priya", "--open") == ids(
        lambda t: t.project == "API" and t.assignee == "priya" and t.is_open)
    assert listed("--assignee", "") == ids(lambda t: t.assignee is None)
    assert listed("--status", "blocked", "--status", "doing") == ids(lambda t: t.status.value in {"blocked", "doing"})
    assert listed("--project", "API", "--project", "MOB", "--status", "done") == ids(
        lambda t: t.project in {"API", "MOB"} and t.status is TaskStatus.DONE)
    assert len(listed()) == len(tasks)
    assert listed("--assignee", "priya")  # the filters select something, not nothing
    for bad, needle in ((["--project", "NOPE"], "--project: no project NOPE"),
                        (["--assignee", "zed"], "--assignee: no person 'zed'")):
        assert needle in refused(demo_db, "task", "list", *bad)


def test_list_finds_words_in_titles_notes_and_tags_and_what_is_due_by_a_date(demo_db: Path) -> None:
    db = str(demo_db)
    store = Store.open(demo_db)

    def listed(*args: str) -> list[str]:
        result = run("task", "list", *args, "--db", db)
        assert result.exit_code == 0, result.stderr
        return [line.split()[0] for line in result.stdout.splitlines()]

    assert run("task", "note", "API-4", "ask the Finance team about quotas", "--db", db).exit_code == 0
    assert listed("FINANCE") == ["API-4", "DATA-5"]  # a note, a title; any case
    assert listed("finance", "quotas") == ["API-4"]  # every word
    assert listed("priya", "--open") == sorted(  # the assignee's handle (and name) count
        (t.id for t in store.tasks() if t.assignee == "priya" and t.is_open),
        key=lambda i: (i.split("-")[0], int(i.split("-")[1])))
    assert run("task", "edit", "MOB-2", "--tags", "q1,mobile", "--db", db).exit_code == 0
    assert listed("+q1") == listed("+mobile") == ["MOB-2"]
    assert listed("crash") == ["MOB-5"] and listed("+crash") == []  # +word: among tags only
    assert listed("nothing-like-this") == []
    # due by Wed 02 Dec (NOW is Mon 30 Nov): that day, what is late, and a due time on that day
    by_wed = listed("--due-by", "wed", "--open")
    assert by_wed == listed("--due-by", "2026-12-02", "--open")
    expected = sorted((t.id for t in store.tasks() if t.is_open and t.due is not None
                       and (t.due.astimezone(BERLIN).date() if isinstance(t.due, datetime) else t.due) <= date(2026, 12, 2)),
                      key=lambda i: (i.split("-")[0], int(i.split("-")[1])))
    assert by_wed == expected and "DATA-6" in by_wed  # due Wed 10:00
    assert "tpm: --due-by: 'someday' is not a date" in refused(demo_db, "task", "list", "--due-by", "someday")


def test_list_sorts_by_due_or_priority(demo_db: Path) -> None:
    import json

    def listed(*args: str) -> list[dict]:  # type: ignore[type-arg]
        return json.loads(run("task", "list", "--open", "--format", "json", *args, "--db", str(demo_db)).stdout)

    def end_of(t: dict) -> datetime:  # type: ignore[type-arg]  # a date: the end of that day in Berlin
        due = t["due"]
        if due is None:
            return datetime.max.replace(tzinfo=BERLIN)
        if "T" in due:
            return datetime.fromisoformat(due)
        return datetime.combine(date.fromisoformat(due), datetime.max.time(), tzinfo=BERLIN)

    by_due = listed("--sort", "due")
    assert len(by_due) == len(listed()) and {t["id"] for t in by_due} == {t["id"] for t in listed()}
    ends = [end_of(t) for t in by_due]
    assert ends == sorted(ends)  # soonest first, those without a due date last
    ranks = {"critical": 0, "high": 1, "normal": 2, "low": 3}
    by_priority = listed("--sort", "priority")
    keys = [(ranks[t["priority"]], end_of(t)) for t in by_priority]
    assert keys == sorted(keys) and by_priority[0]["priority"] == "critical"
    assert [t["id"] for t in listed()] != [t["id"] for t in by_due]  # the demo's ids are not in due order


def test_list_shows_a_due_time_in_your_zone(demo_db: Path) -> None:
    line = next(line for line in run("task", "list", "--db", str(demo_db)).stdout.splitlines()
                if line.startswith("DATA-6 "))
    assert " 2026-12-01 10:00 sam " in line  # not 2026-12-01T09:00:00+00:00
    with_tz = run("--tz", "Asia/Kolkata", "task", "list", "--db", str(demo_db)).stdout
    assert " 2026-12-01 14:30 sam " in with_tz


def test_list_shows_and_filters_snoozed_tasks(demo_db: Path) -> None:
    db = str(demo_db)
    assert run("task", "list", "--snoozed", "--db", db).output == ""
    assert run("task", "snooze", "API-2", "+3d", "--db", db).exit_code == 0
    store = Store.open(demo_db)  # a snooze that ends today hides nothing any more
    store.put_task(store.require_task("MOB-4")._replace(snoozed_until=NOW.date()))
    lines = run("task", "list", "--snoozed", "--db", db).output.splitlines()
    assert [line.split()[0] for line in lines] == ["API-2"]
    assert lines[0].endswith("Idempotency keys for refunds  (snoozed to Thu 03 Dec)")
    everything = run("task", "list", "--open", "--db", db).output
    assert "(snoozed to Thu 03 Dec)" in everything and everything.count("(snoozed to") == 1


@pytest.mark.parametrize("due", ["2199-12-31", "2199-12-31T23:30", "1970-01-01T00:30"])
def test_the_first_and_last_years_tpm_plans_in_work_everywhere(demo_db: Path, due: str) -> None:
    db = str(demo_db)
    added = run("task", "add", "Edge", "--project", "API", "--assignee", "priya", "--due", due, "--estimate", "4",
                "--db", db)
    assert added.exit_code == 0, added.stderr
    for args in (["brief", "--format", "json"], ["plan", "--for", "priya"], ["task", "show", added.stdout.strip()],
                 ["agenda", "--from", "2199-12-25", "--days", "14"], ["brief", "--date", "1970-01-01"]):
        result = run(*args, "--db", db)
        assert result.exit_code == 0, (args, result.stderr)


def test_rm_deletes_and_one_undo_brings_back_the_task_and_the_dependency_on_it(demo_db: Path) -> None:
    """A duplicate or a mistake is deleted (``rm``, or ``delete`` as Taskwarrior users type);
    a task depending on it loses that dependency in the same step, and one undo puts both back
    byte for byte in the tasks table."""
    import orjson

    before = orjson.loads(demo_db.read_bytes())["tasks"]
    dependent = next(t for t in Store.open(demo_db).tasks() if t.depends_on)
    dep = dependent.depends_on[0]
    result = run("task", "rm", dep.lower(), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{dep} deleted ({dependent.id} no longer depends on it)  (tpm undo reverts it)\n"
    store = Store.open(demo_db)
    assert store.task(dep) is None
    assert dep not in store.require_task(dependent.id).depends_on
    history = run("history", "--db", str(demo_db)).stdout
    assert f"{dep} deleted" in history and f"{dependent.id} no longer depends on {dep} (deleted)" in history

    undone = run("undo", "--db", str(demo_db))
    assert undone.stdout.startswith(f"Undone: {dep} deleted ({dependent.id} no longer depends on it)")
    assert orjson.loads(demo_db.read_bytes())["tasks"] == before

    assert run("delete", "--help", "--db", str(demo_db)).exit_code != 0  # only under task
    alias = run("task", "delete", "API-2", "--db", str(demo_db))
    assert alias.exit_code == 0 and alias.stdout.startswith("API-2 deleted")
    assert "delete" not in run("task", "--help").stdout.split("Commands:")[1]  # listed once, as rm


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("frontend,q1", ("frontend", "q1")),
        ("+frontend +q1", ("frontend", "q1")),  # as Taskwarrior writes them
        (" q1, Q1 ,q1 ", ("q1",)),  # once each, whatever the case
        ("", ()),
        ("++ ,", ()),
    ],
)
def test_tags_are_read_as_words(text: str, tags: tuple[str, ...]) -> None:
    from tpm_tui.services.entry import parse_tags

    assert parse_tags(text) == tags


def test_tags_from_add_to_edit_to_list(demo_db: Path) -> None:
    db = str(demo_db)
    added = run("task", "add", "Fix login", "--project", "API", "--tags", "+frontend q1", "--db", db)
    new_id = added.stdout.strip()
    assert task(demo_db, new_id).tags == ("frontend", "q1")
    assert run("task", "edit", "API-1", "--tags", "pci,Q1", "--db", db).exit_code == 0
    listed = run("task", "list", "--tag", "q1", "--db", db).stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["API-1", new_id]
    assert listed[0].endswith("Tokenise stored card numbers +pci +Q1")
    both = run("task", "list", "--tag", "Q1", "--tag", "+pci", "--db", db).stdout.splitlines()
    assert [line.split()[0] for line in both] == ["API-1"]  # every tag given
    assert run("task", "edit", "API-1", "--tags", "", "--db", db).exit_code == 0
    assert task(demo_db, "API-1").tags == ()
    shown = run("task", "list", "--format", "json", "--tag", "frontend", "--db", db).stdout
    assert '"tags": [\n      "frontend",\n      "q1"\n    ]' in shown
    line = refused(demo_db, "task", "edit", "API-1", "--tags", "x" * 41)
    assert "--tags: " in line and "is not a tag (a word of at most 40 printable characters)" in line


def test_a_task_note_is_fixed_or_removed_by_its_number(demo_db: Path) -> None:
    db = str(demo_db)
    assert run("task", "note", "API-1", "asked legal", "--db", db).exit_code == 0
    assert run("task", "note", "API-1", "legal said no", "--db", db).exit_code == 0
    shown = run("task", "show", "API-1", "--db", db).stdout
    assert "notes (tpm task note ID --fix N / --rm N)" in shown and "    2. Mon 30 Nov 2026 08:30 CET  legal said no" in shown
    assert run("task", "note", "API-1", "--fix", "last", "legal said yes", "--db", db).stdout.startswith(
        "API-1 note 2 fixed")
    assert run("task", "note", "API-1", "--rm", "1", "--db", db).stdout.startswith("API-1 note 1 removed")
    assert [n.text for n in task(demo_db, "API-1").notes] == ["legal said yes"]
    assert run("undo", "--db", db).exit_code == 0
    assert [n.text for n in task(demo_db, "API-1").notes] == ["asked legal", "legal said yes"]
    state = disk_state(demo_db)
    refused = run("task", "note", "API-1", "--rm", "3", "--db", db)
    assert refused.exit_code != 0 and one_error_line(refused) == "tpm: note 3: there are 2 notes (1 is the oldest)"
    bare = next(t.id for t in Store.open(demo_db).tasks() if not t.notes)
    refused = run("task", "note", bare, "--fix", "1", "text", "--db", db)
    assert refused.exit_code != 0 and one_error_line(refused) == "tpm: no notes to change: n adds one (tpm task note ID TEXT)"
    assert disk_state(demo_db) == state
