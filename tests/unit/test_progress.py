"""Hours left (``h`` in the dashboard, ``services.entry.parse_progress`` / ``triage.set_progress``):
the figure the slip and capacity rules read, logged in the words a manager says it in."""

from __future__ import annotations

import pytest

from tpm_tui.domain import InputError
from tpm_tui.services import triage
from tpm_tui.services.entry import parse_effort, parse_progress
from tpm_tui.storage import Store
from tests.conftest import NOW


@pytest.mark.parametrize(
    ("text", "remaining", "estimate", "expected"),
    [
        ("6", 10.0, 20.0, (6.0, 20.0)),
        (" 6 h ", 10.0, 20.0, (6.0, 20.0)),
        ("6/30", 10.0, 20.0, (6.0, 30.0)),  # a new estimate with it
        ("6h/30h", 10.0, None, (6.0, 30.0)),
        ("-2", 10.0, 20.0, (8.0, 20.0)),  # worked two hours
        ("-2.5h", 10.0, 20.0, (7.5, 20.0)),
        ("-30", 10.0, 20.0, (0.0, 20.0)),  # never below nothing
        ("-2", None, 20.0, (18.0, 20.0)),  # no figure yet: counts from the estimate
        ("+3", 19.0, 20.0, (22.0, 22.0)),  # more than the estimate: the estimate follows
        ("40%", 10.0, 20.0, (12.0, 20.0)),  # 40% done of 20h: 12h left
        ("100%", 10.0, 20.0, (0.0, 20.0)),
        ("7", None, None, (7.0, None)),
        ("25", 10.0, 20.0, (25.0, 25.0)),
    ],
)
def test_amounts_in_a_managers_words(text: str, remaining: float | None, estimate: float | None,
                                     expected: tuple[float, float | None]) -> None:
    assert parse_progress(text, remaining, estimate) == expected


@pytest.mark.parametrize(
    ("text", "estimate", "said"),
    [
        ("soon", 20.0, "hours: 'soon' is not an amount (6 (hours left), 6/20"),
        ("40%", None, "hours: '40%': a share needs an estimate (say 6/20: 6h left of 20h)"),
        ("140%", 20.0, "hours: '140%': a share done is 0% to 100%"),
        ("+2/5", 20.0, "hours: '+2/5': say the hours left of an estimate without + or -"),
        ("25/20", 20.0, "hours: '25/20': more hours left than the estimate"),
        ("20000", 20.0, "hours: '20000': more than 10000 hours"),
    ],
)
def test_what_is_not_an_amount_is_one_line(text: str, estimate: float | None, said: str) -> None:
    with pytest.raises(InputError) as err:
        parse_progress(text, 10.0, estimate)
    assert str(err.value).startswith(said)


def test_set_progress_says_what_changed_and_undo_puts_it_back(demo_store: Store) -> None:
    task = demo_store.require_task("API-1")
    assert (task.remaining_hours, task.estimate_hours) == (20.0, 24.0)
    out = triage.set_progress(demo_store, "API-1", "-4.5", NOW)
    assert out.message == "API-1: 15.5h left of 24h (was 20h)"
    assert demo_store.require_task("API-1").remaining_hours == 15.5
    out = triage.set_progress(demo_store, "API-1", "+10", NOW)
    assert out.message == "API-1: 25.5h left of 25.5h (was 15.5h; estimate was 24h)"
    assert triage.set_progress(demo_store, "API-1", "0", NOW).message.endswith("; d marks it done")
    with pytest.raises(InputError, match="^API-1: already 0h left of 25.5h$"):
        triage.set_progress(demo_store, "API-1", "0", NOW)
    for _ in range(3):
        triage.undo(demo_store, NOW)
    assert demo_store.require_task("API-1") == task  # every field as it was, its time of change too


def test_cli_task_hours_takes_negative_amounts_as_words(demo_db) -> None:  # noqa: ANN001
    from tests.conftest import cli, refused

    for amount, left in (("-2h", 18.0), ("-1.5", 16.5), ("+1", 17.5), ("50%", 12.0)):
        result = cli("task", "hours", "api-1", amount, "--db", str(demo_db))
        assert result.exit_code == 0, result.output
        assert Store.open(demo_db).require_task("API-1").remaining_hours == left
    assert result.stdout == "API-1: 12h left of 24h (was 17.5h)  (tpm undo reverts it)\n"
    assert refused(demo_db, "task", "hours", "API-1", "soon").startswith("tpm: hours: 'soon' is not an amount")


@pytest.mark.parametrize(
    ("text", "hours"),
    [("6", 6.0), ("6.5h", 6.5), (" 6 h ", 6.0), ("1h30m", 1.5), ("1h30", 1.5), ("90m", 1.5), ("45 min", 0.75),
     ("2d", 16.0), ("1d 4h", 12.0), ("2 days", 16.0), ("1w", 40.0), ("1h20m", 1.33), ("0", 0.0), ("10000h", 10000.0)],
)
def test_work_is_read_in_hours_minutes_days_and_weeks(text: str, hours: float) -> None:
    assert parse_effort(text, "--estimate") == hours


@pytest.mark.parametrize(
    ("text", "said"),
    [("lots", "--estimate: 'lots' is not a number of hours (6, 6.5h, 1h30m, 90m, 2d (a working day: 8h)"),
     ("-3", "--estimate: '-3' is not a number of hours"), ("3x", "is not a number of hours"),
     ("nan", "is not a number of hours"), ("2d3", "is not a number of hours"),  # a bare number only after hours
     ("10001h", "--estimate: '10001h' is more than 10000 hours"), ("", "is not a number of hours")],
)
def test_what_is_not_work_is_one_line(text: str, said: str) -> None:
    with pytest.raises(InputError) as err:
        parse_effort(text, "--estimate")
    assert said in str(err.value) and "\n" not in str(err.value)


def test_hours_left_take_the_same_words(demo_db) -> None:  # noqa: ANN001
    from tests.conftest import cli as run

    assert parse_progress("-90m", 10.0, 20.0) == (8.5, 20.0)
    assert parse_progress("1d/2d", None, None) == (8.0, 16.0)
    added = run("task", "add", "Spec", "--project", "API", "--estimate", "2d", "--remaining", "1d4h", "--db", str(demo_db))
    assert added.exit_code == 0, added.stderr
    task = Store.open(demo_db).require_task(added.stdout.strip())
    assert (task.estimate_hours, task.remaining_hours) == (16.0, 12.0)
    assert run("task", "edit", task.id, "--estimate", "1w", "--db", str(demo_db)).exit_code == 0
    assert Store.open(demo_db).require_task(task.id).estimate_hours == 40.0
