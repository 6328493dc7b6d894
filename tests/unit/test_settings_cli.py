"""``tpm set``: every setting shown, the thresholds and the plan window changed from the shell
(before, only by editing the file), each change journalled and undoable, bad values refused in
one line with the file untouched — and the rules follow the new values."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tpm_tui.storage import Store
from tests.conftest import NOW, cli, disk_state, refused


def run(db: Path, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args, "--db", str(db))
    assert result.exit_code == 0, result.output
    return result.stdout


def brief(db: Path) -> dict[str, list[str]]:
    """Each task at risk with its reasons, from the JSON brief."""
    data = orjson.loads(run(db, "brief", "--format", "json", "--date", NOW.date().isoformat()))
    return {item["id"]: item["reasons"] for item in data["at_risk"]}


def test_set_alone_shows_every_setting_and_which_are_defaults(demo_db: Path) -> None:
    lines = run(demo_db, "set").splitlines()
    assert [line.split()[0] for line in lines] == ["me", "timezone", "due-soon", "stale-after", "plan-window",
                                                   "remind"]
    me = Store.open(demo_db).settings().me
    assert lines[0].split()[1] == me
    assert "3 days (default)" in lines[2] and "7 days (default)" in lines[3]
    assert "07:00-21:00 (default)" in lines[4] and "5 min (default)" in lines[5]
    run(demo_db, "set", "stale-after", "10")
    assert "10 days " in run(demo_db, "set").splitlines()[3] and "(default)" not in run(demo_db, "set").splitlines()[3]


def test_stale_after_changes_the_reasons_and_undo_puts_it_back(demo_db: Path) -> None:
    stale = {tid: r for tid, r in brief(demo_db).items() if any(x.startswith("no update for") for x in r)}
    assert any("no update for 9 days" in r for r in stale.values())
    assert run(demo_db, "set", "stale-after", "10") == "stale-after 7 days → 10 days  (tpm undo reverts it)\n"
    after = brief(demo_db)
    assert not any("no update for 9 days" in r for r in after.values())
    assert any("no update for 12 days" in r for r in after.values())
    assert run(demo_db, "undo").startswith("Undone: stale-after 7 days → 10 days")
    assert Store.open(demo_db).settings().stale_after_days == 7
    assert run(demo_db, "redo").startswith("Redone: stale-after")
    assert Store.open(demo_db).settings().stale_after_days == 10


def test_due_soon_widens_the_flag(demo_db: Path) -> None:
    def soon(reasons: dict[str, list[str]]) -> set[str]:
        return {tid for tid, r in reasons.items() if any(x.startswith(("due in", "unassigned, due")) for x in r)}

    before = soon(brief(demo_db))
    run(demo_db, "set", "due-soon", "10")
    wider = soon(brief(demo_db))
    assert before < wider
    run(demo_db, "set", "due-soon", "0")
    assert not any(x.startswith("due in") for r in brief(demo_db).values() for x in r)


def test_plan_window_bounds_the_odd_hours_blocks(demo_db: Path) -> None:
    from datetime import datetime

    def odd_blocks(db: Path) -> list[tuple[datetime, datetime]]:
        data = orjson.loads(run(db, "brief", "--format", "json", "--date", NOW.date().isoformat()))
        return [(datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"])) for b in data["plan"]
                if b["odd_hours"]]

    def inside(start: datetime, end: datetime) -> bool:
        a, b = start.astimezone(tz), end.astimezone(tz)
        return a.date() == b.date() and (a.hour, a.minute) >= (8, 0) and (b.hour, b.minute) <= (18, 30)

    from zoneinfo import ZoneInfo

    tz = ZoneInfo(Store.open(demo_db).person(Store.open(demo_db).settings().me).timezone)  # type: ignore[arg-type,union-attr]
    assert not all(inside(a, b) for a, b in odd_blocks(demo_db)), "the default window reaches 07:00 and 21:00"
    assert run(demo_db, "set", "plan-window", "08:00–18:30") == \
        "plan-window 07:00–21:00 → 08:00–18:30  (tpm undo reverts it)\n"
    settings = Store.open(demo_db).settings()
    assert (settings.plan_window_start, settings.plan_window_end) == ("08:00", "18:30")
    narrowed = odd_blocks(demo_db)
    assert narrowed and all(inside(a, b) for a, b in narrowed)


def test_nothing_to_change_writes_nothing(demo_db: Path) -> None:
    before = disk_state(demo_db)
    assert run(demo_db, "set", "plan-window", "7:00-21:00") == "nothing to change: plan-window is already 07:00–21:00\n"
    assert run(demo_db, "set", "stale-after", "7") == "nothing to change: stale-after is already 7 days\n"
    assert disk_state(demo_db) == before


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["plan-window", "22:00-06:00"], "plan-window: '22:00-06:00' ends before it starts: the window never runs"),
        (["plan-window", "7am-9pm"], "plan-window: '7am-9pm' is not HH:MM-HH:MM"),
        (["plan-window", "09:00"], "plan-window: '09:00' is not HH:MM-HH:MM"),
        (["plan-window", "24:00-25:00"], "plan-window: '24:00-25:00' is not HH:MM-HH:MM"),
        (["stale-after", "0"], "0 is not in the range 1<=x<=365"),
        (["remind", "241"], "241 is not in the range 0<=x<=240"),
        (["due-soon", "61"], "61 is not in the range 0<=x<=60"),
        (["due-soon", "soon"], "'soon' is not a valid integer"),
        (["me", "ghost"], "no person 'ghost'"),
        (["timezone", "Nowhere/City"], "unknown time zone"),
    ],
)
def test_bad_values_are_one_line_and_change_nothing(demo_db: Path, args: list[str], needle: str) -> None:
    assert needle in refused(demo_db, "set", *args)


def test_me_and_timezone_are_undoable_too(demo_db: Path) -> None:
    was = Store.open(demo_db).settings()
    assert run(demo_db, "set", "me", "priya") == f"me {was.me} → priya  (tpm undo reverts it)\n"
    run(demo_db, "set", "timezone", "Asia/Kolkata")
    run(demo_db, "undo")
    run(demo_db, "undo")
    now = Store.open(demo_db).settings()
    assert (now.me, now.timezone) == (was.me, was.timezone)


def test_remind_is_set_and_said(demo_db: Path) -> None:
    assert run(demo_db, "set", "remind", "0") == "remind 5 min → never  (tpm undo reverts it)\n"
    assert Store.open(demo_db).settings().remind_minutes == 0
    assert "never" in run(demo_db, "set").splitlines()[5]
    assert run(demo_db, "set", "remind", "15") == "remind never → 15 min  (tpm undo reverts it)\n"
