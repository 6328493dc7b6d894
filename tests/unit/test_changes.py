"""Since you last looked: what turned late, became at risk or left the list."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from tests.conftest import NOW, TODAY, TZ
from tpm_tui.domain import RiskLevel, Task
from tpm_tui.logic.changes import changes_since, levels_of
from tpm_tui.logic.results import RiskItem
from tpm_tui.services import seen
from tpm_tui.services.brief import daily_brief
from tpm_tui.storage import Store

BERLIN = ZoneInfo(TZ)
LATE, AT_RISK, WATCH = RiskLevel.LATE, RiskLevel.AT_RISK, RiskLevel.WATCH


def item(task_id: str, level: RiskLevel) -> RiskItem:
    return RiskItem(Task(id=task_id, project="T", title=task_id), 1.0, level, ("why",))


def test_each_kind_of_change_and_what_is_not_news() -> None:
    before = {"T-1": "at_risk", "T-2": "watch", "T-3": "late", "T-4": "at_risk", "T-5": "late", "T-6": "watch"}
    now = [item("T-1", LATE), item("T-2", AT_RISK), item("T-3", LATE), item("T-7", LATE), item("T-4", WATCH),
           item("T-8", AT_RISK), item("T-9", WATCH)]
    since = datetime(2026, 11, 29, 18, 2, tzinfo=BERLIN)
    c = changes_since(before, since, now, imports=2, meetings={"added": 3, "cancelled": 1})
    assert c.turned_late == ("T-1", "T-7")  # T-3 was late already
    assert c.newly_at_risk == ("T-2", "T-8")
    assert c.off_the_list == ("T-4", "T-5")  # only watched now / gone; T-6 was only watched
    assert c.text(BERLIN) == ("Since Sun 29 Nov 18:02: ✖ 2 turned late: T-1, T-7 · ▲ 2 newly at risk: T-2, T-8 · "
                              "✓ 2 off the list: T-4, T-5 · 2 calendar files imported (3 added, 1 cancelled)")
    quiet = changes_since(levels_of(now), since, now)
    assert not quiet and quiet.text(BERLIN) == "Since Sun 29 Nov 18:02: "


def test_long_lists_are_counted_past_four_ids() -> None:
    now = [item(f"T-{i}", LATE) for i in range(1, 8)]
    text = changes_since({}, datetime(2026, 11, 29, 9, 0, tzinfo=BERLIN), now).text(BERLIN)
    assert text == "Since Sun 29 Nov 09:00: ✖ 7 turned late: T-1, T-2, T-3, T-4 and 3 more"


def test_the_service_compares_with_the_last_look_of_this_database_and_remembers(demo_db: Path, tmp_path: Path) -> None:
    from tpm_tui.services import triage
    from tpm_tui.services.imports import import_sources

    store = Store.open(demo_db)
    first = daily_brief(store, TODAY, TZ, NOW).at_risk
    assert seen.look(store, first, NOW) is None  # nothing to compare with yet
    state = seen.seen_path(demo_db)
    assert state.is_relative_to(tmp_path / "xdg-state")  # the user's state folder, never the database
    assert orjson.loads(state.read_bytes())["levels"] == levels_of(first)
    later = NOW + timedelta(hours=20)
    triage.mark_done(store, "MOB-5", later)
    triage.edit(store, "API-4", {"due": date(2026, 11, 29)}, later)
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
    import_sources(store, [str(fixtures / "kolkata_organiser.ics")], now=later - timedelta(hours=1))
    now = daily_brief(store, TODAY + timedelta(days=1), TZ, later).at_risk
    c = seen.look(store, now, later)
    assert c is not None and c.since == NOW
    assert "API-4" in c.turned_late and "MOB-5" in c.off_the_list and c.imports == 1
    assert c.text(BERLIN).endswith("· 1 calendar file imported (1 added)")
    assert seen.look(store, now, later) is None  # the same list again: nothing new


def test_a_damaged_or_foreign_state_file_is_a_first_look(demo_db: Path, tmp_path: Path) -> None:
    store = Store.open(demo_db)
    items = daily_brief(store, TODAY, TZ, NOW).at_risk
    state = seen.seen_path(demo_db)
    state.parent.mkdir(parents=True)
    state.write_bytes(b"{not json")
    assert seen.look(store, items, NOW) is None
    assert orjson.loads(state.read_bytes())["db"] == str(demo_db.resolve())  # replaced with a good one
    other = tmp_path / "other.json"
    state.write_bytes(orjson.dumps({"db": str(other), "at": NOW.isoformat(), "levels": {}}))
    assert seen.look(store, items, NOW) is None  # another database's look (a hash collision) is not ours
    assert seen.look(Store.in_memory(), items, NOW) is None
