"""`tpm brief`: the JSON contract of the spec, formats, and one-line errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import orjson
import pytest

from tests.unit.test_cli import one_error_line, run

MEETING_KEYS = {"uid", "recurrence_id", "summary", "start", "end", "all_day", "location", "organizer",
                "attendees", "odd_hours", "odd_hours_for", "conflicts_with"}
RISK_KEYS = {"id", "title", "project", "assignee", "due", "score", "level", "reasons"}
LOAD_KEYS = {"person", "capacity_hours", "task_hours", "meeting_hours", "load_pct", "overloaded"}
PLAN_KEYS = {"task_id", "start", "end", "odd_hours"}


def _brief(db: Path, *args: str) -> dict:
    result = run("brief", "--format", "json", "--db", str(db), *args)
    assert result.exit_code == 0, result.stderr
    return orjson.loads(result.stdout)


def test_brief_json_has_exactly_the_spec_keys_and_types(demo_db: Path) -> None:
    data = _brief(demo_db, "--date", "2026-11-30", "--tz", "Europe/Berlin")
    assert list(data) == ["date", "tz", "meetings", "at_risk", "workload", "plan"]
    assert (data["date"], data["tz"]) == ("2026-11-30", "Europe/Berlin")
    assert data["meetings"], "a working day of the demo has meetings"
    for m in data["meetings"]:
        assert set(m) == MEETING_KEYS
        assert isinstance(m["odd_hours"], bool) and isinstance(m["odd_hours_for"], list)
        assert isinstance(m["attendees"], list) and isinstance(m["conflicts_with"], list)
        if not m["all_day"]:
            assert datetime.fromisoformat(m["start"]).utcoffset().total_seconds() == 3600  # Berlin in winter
    starts = [datetime.fromisoformat(m["start"]) for m in data["meetings"] if not m["all_day"]]
    assert starts == sorted(starts)
    assert data["at_risk"]
    for r in data["at_risk"]:
        assert set(r) == RISK_KEYS
        assert r["level"] in {"late", "at_risk", "watch"}
        assert r["reasons"] and all(isinstance(x, str) and x for x in r["reasons"])
        assert isinstance(r["score"], (int, float))
    scores = [r["score"] for r in data["at_risk"]]
    assert scores == sorted(scores, reverse=True)
    assert {w["person"] for w in data["workload"]} == {"sam", "lena", "tom", "priya", "yuki", "ava", "marcus", "diego"}
    for w in data["workload"]:
        assert set(w) == LOAD_KEYS
        assert isinstance(w["overloaded"], bool)
        assert w["overloaded"] == (w["load_pct"] > 100)
    for p in data["plan"]:
        assert set(p) == PLAN_KEYS


def test_brief_json_overdue_task_has_a_reason_in_words(demo_db: Path) -> None:
    data = _brief(demo_db, "--date", "2026-11-30", "--tz", "Europe/Berlin")
    late = {r["id"]: r for r in data["at_risk"] if r["level"] == "late"}
    # API-3 was due three working days... its due date is Thu 26 Nov: 4 calendar days before Mon 30.
    assert "API-3" in late
    assert any(reason.startswith("overdue by") for reason in late["API-3"]["reasons"])


def test_brief_in_another_zone_uses_that_offset(demo_db: Path) -> None:
    data = _brief(demo_db, "--date", "2026-11-30", "--tz", "Asia/Kolkata")
    assert data["tz"] == "Asia/Kolkata"
    for m in data["meetings"]:
        if not m["all_day"]:
            assert m["start"].endswith("+05:30") and m["end"].endswith("+05:30")


def test_brief_defaults_to_the_configured_zone(demo_db: Path) -> None:
    data = _brief(demo_db)
    assert data["tz"] == "Europe/Berlin"  # the demo user's setting, not the machine's TZ=UTC
    assert data["date"] == "2026-11-30"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_brief_text_formats_mention_the_day_and_risks(demo_db: Path, fmt: str) -> None:
    result = run("--db", str(demo_db), "brief", "--format", fmt, "--date", "2026-11-30")
    assert result.exit_code == 0, result.stderr
    assert "30 Nov 2026" in result.stdout
    assert "API-3" in result.stdout and "overdue by" in result.stdout
    assert result.stdout.endswith("\n") and not result.stdout.endswith("\n\n")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--date", "2026-02-30"], "--date"),
        (["--date", "next blursday"], "--date"),
        (["--tz", "Moon/Crater"], "unknown time zone 'Moon/Crater'"),
        (["--format", "yaml"], "yaml"),
    ],
)
def test_brief_bad_options_are_one_line(demo_db: Path, args: list[str], needle: str) -> None:
    result = run("--db", str(demo_db), "brief", *args)
    assert result.exit_code == 2
    assert needle in one_error_line(result)


def test_brief_on_a_missing_db_folder(tmp_path: Path) -> None:
    result = run("brief", "--db", str(tmp_path / "missing" / "db.json"))
    assert result.exit_code == 1
    assert "does not exist" in one_error_line(result)
