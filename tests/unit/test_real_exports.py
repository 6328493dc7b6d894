"""Realistic Outlook (Teams, Windows zone name) and Google (X-WR-TIMEZONE, weekly) exports
imported into the demo database land at the right local times, with odd hours per person."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.conftest import disk_state
from tests.unit.test_cli import run

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def _meetings(db: Path, day: str, tz: str = "Europe/Berlin") -> dict[str, dict]:
    data = orjson.loads(run("--db", str(db), "brief", "--format", "json", "--date", day, "--tz", tz).stdout)
    return {m["summary"]: m for m in data["meetings"]}


def test_outlook_and_google_exports_show_at_the_right_local_times(demo_db: Path) -> None:
    result = run("--db", str(demo_db), "import", str(EXPORTS))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{EXPORTS / 'google_weekly_x_wr_tokyo.ics'}: 1 added, 0 updated, 0 cancelled, 0 unchanged, 0 skipped",
        f"{EXPORTS / 'outlook_teams_invite_pacific.ics'}: 1 added, 0 updated, 0 cancelled, 0 unchanged, 0 skipped",
        "2 files: 2 added",
    ]
    monday = _meetings(demo_db, "2026-11-30")
    # Outlook: 09:00 "Pacific Standard Time" (UTC-8 in November) = 18:00 in Berlin (UTC+1).
    review = monday["Incident review: payout outage"]
    assert (review["start"], review["end"]) == ("2026-11-30T18:00:00+01:00", "2026-11-30T19:00:00+01:00")
    assert review["organizer"] == "marcus@example.com"
    assert "marcus@example.com" in [a["email"] for a in review["attendees"]]  # MARCUS@ matched, lower-cased
    # 18:00 is after Sam's 17:30 and 22:30 in Kolkata for Priya; 09:00 is inside Marcus's 08:00-16:30.
    assert sorted(review["odd_hours_for"]) == ["priya", "sam"]
    tuesday = _meetings(demo_db, "2026-12-01")
    # Google: 00:00Z on Tuesdays = 01:00 in Berlin, 09:00 in Tokyo (before Yuki's 10:00 start).
    sync = tuesday["Data platform sync (Tokyo ↔ Berlin)"]
    assert (sync["start"], sync["end"]) == ("2026-12-01T01:00:00+01:00", "2026-12-01T02:00:00+01:00")
    assert sorted(sync["odd_hours_for"]) == ["sam", "yuki"]
    in_tokyo = _meetings(demo_db, "2026-12-08", tz="Asia/Tokyo")["Data platform sync (Tokyo ↔ Berlin)"]
    assert in_tokyo["start"] == "2026-12-08T09:00:00+09:00"  # weekly, next Tuesday, same wall time in Tokyo


def test_reimporting_the_exports_changes_nothing(demo_db: Path) -> None:
    run("--db", str(demo_db), "import", str(EXPORTS))
    before = disk_state(demo_db)
    again = run("--db", str(demo_db), "import", str(EXPORTS))
    *files, sums = again.stdout.splitlines()
    assert len(files) == 2 and sums == "2 files: 2 unchanged"
    assert all(line.endswith("0 added, 0 updated, 0 cancelled, 1 unchanged, 0 skipped") for line in files)
    assert disk_state(demo_db) == before
