"""Repeating tasks: the rule (``logic.repeat``), the next one made by done (``triage``),
and the command line (``tpm task add/edit --repeat``)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings, strategies as st

from tpm_tui.domain import InputError, Task, TaskStatus
from tpm_tui.logic.repeat import Rule, next_due, next_in_series, ordinal, parse_rule, rule_text
from tpm_tui.services import triage
from tpm_tui.storage import Store, codec
from tests.conftest import NOW, cli as run, refused

BERLIN = ZoneInfo("Europe/Berlin")


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        ("weekly", Rule(1, "week"), "weekly"),
        ("Every Week", Rule(1, "week"), "weekly"),
        ("2w", Rule(2, "week"), "every 2 weeks"),
        ("every other week", Rule(2, "week"), "every 2 weeks"),
        ("biweekly", Rule(2, "week"), "every 2 weeks"),
        ("every 3 days", Rule(3, "day"), "every 3 days"),
        ("daily", Rule(1, "day"), "daily"),
        ("weekdays", Rule(1, "weekday"), "weekdays"),
        ("monthly", Rule(1, "month"), "monthly"),
        ("quarterly", Rule(3, "month"), "every 3 months"),
        ("1y", Rule(1, "year"), "yearly"),
        ("every 2 years", Rule(2, "year"), "every 2 years"),
        ("monthly on the 31st", Rule(1, "month", 31), "monthly on the 31st"),
        ("monthly on 1", Rule(1, "month", 1), "monthly on the 1st"),
        ("every 3 months on day 2", Rule(3, "month", 2), "every 3 months on the 2nd"),
        ("quarterly on the 23rd", Rule(3, "month", 23), "every 3 months on the 23rd"),
        ("1m on the 11th", Rule(1, "month", 11), "monthly on the 11th"),
        ("yearly on the 29th", Rule(1, "year", 29), "yearly on the 29th"),
    ],
)
def test_rules_are_read_in_many_words_and_kept_in_one(text: str, rule: Rule, words: str) -> None:
    assert parse_rule(text) == rule
    assert rule.text == words
    assert rule_text(text) == words
    assert rule_text(words) == words  # the stored words read back as themselves


@pytest.mark.parametrize("text", ["", "none", "never", "  NONE ", "-"])
def test_none_means_not_repeating(text: str) -> None:
    assert parse_rule(text) is None


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("sometimes", "--repeat: 'sometimes' is not a repeat (daily, weekdays, weekly"),
        ("week", "--repeat: 'week' is not a repeat"),
        ("3", "--repeat: '3' is not a repeat"),
        ("every 0 days", "--repeat: 'every 0 days': the count must be 1 to 366"),
        ("every 400 weeks", "--repeat: 'every 400 weeks': the count must be 1 to 366"),
        ("every 2 weekdays", "working days repeat one at a time (weekdays)"),
        ("weekly on the 3rd", "'weekly on the 3rd': a day of the month goes with monthly, quarterly or yearly"),
        ("monthly on the 32nd", "'monthly on the 32nd': a day of the month is 1 to 31"),
        ("monthly on the 0th", "a day of the month is 1 to 31"),
        ("sometimes on the 3rd", "'sometimes' is not a repeat"),
    ],
)
def test_a_rule_that_names_nothing_is_one_line(text: str, said: str) -> None:
    with pytest.raises(InputError) as err:
        parse_rule(text)
    assert said in str(err.value) and "\n" not in str(err.value)


WEEKLY, MONTHLY = Rule(1, "week"), Rule(1, "month")


@pytest.mark.parametrize(
    ("due", "rule", "today", "expected"),
    [
        (date(2026, 12, 4), WEEKLY, date(2026, 12, 3), date(2026, 12, 11)),  # done early: one step on
        (date(2026, 12, 4), WEEKLY, date(2026, 12, 4), date(2026, 12, 11)),  # done on the day
        (date(2026, 11, 27), WEEKLY, date(2026, 12, 1), date(2026, 12, 4)),  # done late: this week's
        (date(2026, 10, 2), WEEKLY, date(2026, 12, 1), date(2026, 12, 4)),  # weeks late: missed ones skipped
        (date(2026, 11, 30), Rule(1, "day"), date(2026, 12, 1), date(2026, 12, 1)),  # a daily one late: today's
        (date(2026, 1, 31), MONTHLY, date(2026, 1, 30), date(2026, 2, 27)),  # the 31st: the last day, Sat → Fri
        (date(2026, 2, 27), MONTHLY._replace(day=31), date(2026, 3, 1), date(2026, 3, 31)),  # the 31st again
        (date(2026, 7, 31), MONTHLY._replace(day=1), date(2026, 7, 31), date(2026, 9, 1)),  # Sat 1 Aug was moved back
        (date(2026, 12, 5), WEEKLY, date(2026, 12, 5), date(2026, 12, 11)),  # Sat 12 → Fri 11
        (date(2026, 12, 4), Rule(1, "day"), date(2026, 12, 4), date(2026, 12, 5)),  # daily counts calendar days
        (date(2026, 12, 3), Rule(2, "day"), date(2026, 12, 3), date(2026, 12, 5)),
        (date(2026, 1, 31), MONTHLY, date(2026, 3, 2), date(2026, 3, 31)),  # … and back to the 31st after
        (date(2028, 2, 29), Rule(1, "year"), date(2028, 2, 1), date(2029, 2, 28)),
        (date(2026, 12, 4), Rule(3, "month"), date(2026, 12, 4), date(2027, 3, 4)),
        (date(2026, 12, 4), Rule(1, "weekday"), date(2026, 12, 4), date(2026, 12, 7)),  # Fri → Mon
        (None, WEEKLY, date(2026, 12, 1), date(2026, 12, 8)),  # no due date: a step after today
    ],
)
def test_next_due_dates(due: date | None, rule: Rule, today: date, expected: date) -> None:
    assert next_due(due, rule, today, BERLIN) == expected


def test_weekdays_follow_the_assignees_working_days() -> None:
    sun_to_thu = ("sun", "mon", "tue", "wed", "thu")
    # Thursday → Sunday for someone who works Sunday to Thursday
    assert next_due(date(2026, 12, 3), Rule(1, "weekday"), date(2026, 12, 3), BERLIN, work_days=sun_to_thu) == \
        date(2026, 12, 6)


def test_a_due_time_keeps_its_wall_clock_across_summer_time() -> None:
    # 17:00 Berlin summer time (15:00 UTC) on Tue 20 Oct; Berlin leaves summer time on 25 Oct
    due = datetime(2026, 10, 20, 15, 0, tzinfo=ZoneInfo("UTC"))
    after = next_due(due, WEEKLY, date(2026, 10, 20), BERLIN)
    assert isinstance(after, datetime)
    assert after.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 10, 27, 17, 0)
    assert after.utcoffset() == timedelta(hours=1)


@settings(max_examples=300, deadline=None)
@given(
    due=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    count=st.integers(min_value=1, max_value=30),
    unit=st.sampled_from(["day", "week", "month", "year", "weekday"]),
)
def test_the_next_one_is_never_in_the_past_nor_before_its_predecessor(due: date, today: date, count: int,
                                                                        unit: str) -> None:
    rule = Rule(1 if unit == "weekday" else count, unit)
    every_day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    beat = next_due(due, rule, today, BERLIN, work_days=every_day)  # someone who works every day: no moving back
    assert isinstance(beat, date)
    assert beat > due and beat >= today
    if unit in ("day", "week"):
        step = count * (7 if unit == "week" else 1)
        assert (beat - due).days % step == 0  # on the series' own beat
        assert (beat - timedelta(days=step) < today) or beat - timedelta(days=step) == due  # the first such
    if unit in ("month", "year"):
        assert beat.day == min(due.day, calendar.monthrange(beat.year, beat.month)[1])  # the day of the month kept
    nxt = next_due(due, rule, today, BERLIN)  # Monday to Friday
    assert isinstance(nxt, date)
    assert nxt > due and nxt >= today
    if unit in ("week", "month", "year"):  # the working day before the beat, or the beat itself
        assert nxt <= beat and (beat - nxt).days < 3
        assert nxt == beat or (nxt.weekday() < 5 and all((nxt + timedelta(days=k)).weekday() >= 5
                                                         for k in range(1, (beat - nxt).days + 1)))
    elif unit == "weekday":
        assert nxt.weekday() < 5
    else:
        assert nxt == beat  # every N days counts calendar days


@pytest.mark.parametrize("first", [date(2026, 1, 31), date(2026, 8, 1), date(2027, 5, 15), date(2026, 1, 30)])
def test_a_monthly_series_keeps_its_day_and_falls_on_working_days_for_two_years(first: date) -> None:
    due, rule = first, MONTHLY
    for month in range(1, 25):
        due, rule = next_in_series(due, rule, due, BERLIN)  # done on the day it is due
        assert isinstance(due, date)
        nominal = (first.replace(day=1) + relativedelta(months=month))
        nominal = nominal.replace(day=min(first.day, calendar.monthrange(nominal.year, nominal.month)[1]))
        assert due.weekday() < 5 and 0 <= (nominal - due).days < 3, (month, due, nominal)
        assert rule.text in ("monthly", f"monthly on the {ordinal(first.day)}")
        assert parse_rule(rule.text) == rule  # what is stored reads back


def test_a_weekly_step_onto_a_day_off_is_due_the_working_day_before() -> None:
    christmas_eve = date(2026, 12, 24)  # a Thursday
    assert next_due(date(2026, 12, 17), WEEKLY, date(2026, 12, 17), BERLIN, days_off=(christmas_eve,)) == date(2026, 12, 23)
    # a four-day week: Friday is not worked, so a Friday report is due on Thursdays
    four_days = ("mon", "tue", "wed", "thu")
    assert next_due(date(2026, 12, 4), WEEKLY, date(2026, 12, 4), BERLIN, work_days=four_days) == date(2026, 12, 10)
    # never onto or before the task it follows: a series on Saturdays done on Friday is due next Friday
    assert next_due(date(2026, 12, 11), WEEKLY, date(2026, 12, 11), BERLIN) == date(2026, 12, 18)


# ---------------------------------------------------------------- stored


def test_the_rule_round_trips_and_a_task_without_one_writes_no_key() -> None:
    t = Task("API-1", "API", "Status report", repeat="every 2 weeks")
    assert codec.task_from_doc(codec.task_to_doc(t)).repeat == "every 2 weeks"
    assert "repeat" not in codec.task_to_doc(t._replace(repeat=None))  # files of tasks without stay as they were


@pytest.mark.parametrize("bad", ["2w", "sometimes", 7, ["weekly"]])
def test_a_hand_edited_rule_that_tpm_did_not_write_is_named(bad: object) -> None:
    doc = {**codec.task_to_doc(Task("API-1", "API", "x")), "repeat": bad}
    with pytest.raises(codec.RecordError) as err:
        codec.task_from_doc(doc)
    assert err.value.field == "repeat"


# ---------------------------------------------------------------- done makes the next


def _weekly(store: Store, **fields: object) -> Task:
    base = Task(id="API-20", project="API", title="Weekly status report", assignee="marcus", priority="high",
                due=date(2026, 12, 4), estimate_hours=2.0, remaining_hours=0.5, tags=("report",),
                time_sensitive=True, depends_on=("API-1",), repeat="weekly", created_at=NOW, updated_at=NOW)
    task = base._replace(**fields)
    store.put_task(task)
    return task


def test_done_makes_the_next_one_and_one_undo_takes_both_back(demo_store: Store) -> None:
    _weekly(demo_store)
    before = {t.id: t for t in demo_store.tasks()}
    out = triage.mark_done(demo_store, "API-20", NOW)
    nxt_id = f"API-{demo_store.next_task_number('API') - 1}"
    assert out.message == f"API-20 marked done; next (weekly): {nxt_id} due Fri 11 Dec"
    done, nxt = demo_store.require_task("API-20"), demo_store.require_task(nxt_id)
    assert done.status is TaskStatus.DONE and done.repeat is None  # the rule moved on: reopening cannot fork it
    assert (nxt.title, nxt.assignee, nxt.priority, nxt.tags, nxt.time_sensitive) == \
        ("Weekly status report", "marcus", "high", ("report",), True)
    assert (nxt.due, nxt.estimate_hours, nxt.remaining_hours, nxt.repeat) == (date(2026, 12, 11), 2.0, 2.0, "weekly")
    assert nxt.status is TaskStatus.TODO and nxt.depends_on == () and nxt.notes == ()
    undone = triage.undo(demo_store, NOW)
    assert undone.message == f"Undone: API-20 marked done and {nxt_id} (the next, weekly) created"
    assert {t.id: t for t in demo_store.tasks()} == before
    assert triage.redo(demo_store, NOW).message.startswith("Redone: API-20 marked done and ")
    assert demo_store.require_task(nxt_id).repeat == "weekly"


def test_done_through_an_edit_makes_the_next_one_too_unless_the_rule_goes_with_it(demo_store: Store) -> None:
    _weekly(demo_store)
    n = demo_store.next_task_number("API")
    triage.edit(demo_store, "API-20", {"status": TaskStatus.DONE}, NOW)
    assert demo_store.require_task(f"API-{n}").repeat == "weekly"
    # finished and moved in one edit: the next one follows the task as the edit leaves it
    _weekly(demo_store, id="API-40")
    n = demo_store.next_task_number("DATA")
    triage.edit(demo_store, "API-40", {"status": TaskStatus.DONE, "project": "DATA", "title": "Data report",
                                       "due": date(2026, 12, 7)}, NOW)
    moved = demo_store.require_task(f"DATA-{n}")
    assert (moved.title, moved.due, moved.repeat) == ("Data report", date(2026, 12, 14), "weekly")
    _weekly(demo_store, id="API-30")
    n = demo_store.next_task_number("API")
    triage.edit(demo_store, "API-30", {"status": TaskStatus.DONE, "repeat": None}, NOW)
    assert demo_store.task(f"API-{n}") is None


def test_a_month_end_report_lands_on_fridays_and_keeps_the_31st(demo_store: Store) -> None:
    """Marcus (Mon–Fri) has a report due on the 31st: February ends on a Saturday, so it is
    due Friday 26 Feb; the rule now says the day, so March's is on the 31st again."""
    _weekly(demo_store, due=date(2027, 1, 29), repeat="monthly")  # Fri 29 Jan: a series on the 29th
    n = demo_store.next_task_number("API")
    triage.mark_done(demo_store, "API-20", NOW)
    feb = demo_store.require_task(f"API-{n}")
    assert (feb.due, feb.repeat) == (date(2027, 2, 26), "monthly on the 29th")  # Sun 28 Feb → Fri 26
    _weekly(demo_store, id="API-30", due=date(2027, 1, 31), repeat="monthly")  # a Sunday, as entered
    n = demo_store.next_task_number("API")
    triage.mark_done(demo_store, "API-30", NOW)
    feb = demo_store.require_task(f"API-{n}")
    assert (feb.due, feb.repeat) == (date(2027, 2, 26), "monthly on the 31st")  # Sun 28 Feb → Fri 26
    triage.mark_done(demo_store, feb.id, NOW)
    mar = demo_store.require_task(f"API-{n + 1}")
    assert (mar.due, mar.repeat) == (date(2027, 3, 31), "monthly on the 31st")  # a Wednesday


def test_reopening_and_finishing_again_does_not_make_a_second_next(demo_store: Store) -> None:
    _weekly(demo_store)
    triage.mark_done(demo_store, "API-20", NOW)
    count = len(demo_store.tasks())
    triage.reopen(demo_store, "API-20", NOW)
    triage.mark_done(demo_store, "API-20", NOW)
    assert len(demo_store.tasks()) == count


def test_an_edit_reads_the_rule_in_its_own_words(demo_store: Store) -> None:
    triage.edit(demo_store, "API-2", {"repeat": "2w"}, NOW)
    assert demo_store.require_task("API-2").repeat == "every 2 weeks"
    with pytest.raises(InputError, match="^repeat: 'often' is not a repeat"):
        triage.edit(demo_store, "API-2", {"repeat": "often"}, NOW)


# ---------------------------------------------------------------- the command line


def test_cli_add_list_show_done_and_edit(demo_db: Path) -> None:
    added = run("task", "add", "Status mail", "--project", "API", "--assignee", "marcus", "--due", "2026-12-04",
                "--repeat", "every other week", "--db", str(demo_db))
    assert added.exit_code == 0, added.stderr
    tid = added.stdout.strip()
    assert Store.open(demo_db).require_task(tid).repeat == "every 2 weeks"
    listed = run("task", "list", "--project", "API", "--db", str(demo_db)).stdout
    assert [line for line in listed.splitlines() if line.startswith(tid)][0].endswith("Status mail ↻ every 2 weeks")
    shown = run("task", "show", tid, "--db", str(demo_db)).stdout
    assert "  repeats     every 2 weeks (done makes the next one)\n" in shown
    done = run("task", "done", tid, "--db", str(demo_db))
    assert done.exit_code == 0, done.stderr
    store = Store.open(demo_db)
    nxt = next(t for t in store.tasks() if t.title == "Status mail" and t.is_open)
    assert done.stdout == f"{tid} marked done; next (every 2 weeks): {nxt.id} due Fri 18 Dec  (tpm undo reverts it)\n"
    assert run("task", "edit", nxt.id, "--repeat", "none", "--db", str(demo_db)).exit_code == 0
    assert Store.open(demo_db).require_task(nxt.id).repeat is None


def test_cli_refuses_a_rule_it_cannot_read_and_changes_nothing(demo_db: Path) -> None:
    said = refused(demo_db, "task", "add", "X", "--project", "API", "--repeat", "sometimes")
    assert said.startswith("tpm: --repeat: 'sometimes' is not a repeat (daily, weekdays, weekly, every 2 weeks")
    assert refused(demo_db, "task", "edit", "API-1", "--repeat", "every 0 weeks") == \
        "tpm: --repeat: 'every 0 weeks': the count must be 1 to 366"


def test_the_demos_monthly_report_done_is_due_again_a_month_later_at_the_same_hour(demo_store: Store) -> None:
    report = next(t for t in demo_store.tasks() if t.repeat == "monthly")
    assert isinstance(report.due, datetime)
    n = demo_store.next_task_number(report.project)
    triage.mark_done(demo_store, report.id, NOW)
    nxt = demo_store.require_task(f"{report.project}-{n}")
    local, then = report.due.astimezone(BERLIN), nxt.due.astimezone(BERLIN)  # type: ignore[union-attr]
    assert (then.month - local.month) % 12 == 1 and then.day == local.day
    assert then.time() == local.time() == datetime(2026, 1, 1, 10, 0).time()
