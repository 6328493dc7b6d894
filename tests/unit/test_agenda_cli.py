"""``tpm agenda``: the brief's meetings, day by day."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from tests.conftest import cli, refused


def test_each_day_of_the_agenda_is_the_briefs_meetings_of_that_day(demo_db: Path) -> None:
    db = str(demo_db)
    got = json.loads(cli("agenda", "--days", "9", "--format", "json", "--db", db).output)
    assert got["tz"] == "Europe/Berlin"
    assert [d["date"] for d in got["days"]] == [(date(2026, 11, 30) + timedelta(days=i)).isoformat() for i in range(9)]
    links = set()
    for day in got["days"]:
        brief = json.loads(cli("brief", "--date", day["date"], "--format", "json", "--db", db).output)
        # the brief's meetings (its contract unchanged), each with the address that joins its call
        assert [{k: v for k, v in m.items() if k not in ("join_link", "transparent", "notes")}
                for m in day["meetings"]] == brief["meetings"]
        assert all(m["join_link"] is None or m["join_link"] == m["location"] for m in day["meetings"])
        assert all(m["transparent"] is False for m in day["meetings"])  # the demo's meetings all take time
        links |= {m["join_link"] for m in day["meetings"]}
    assert {"https://meet.example.com/qa", "https://meet.example.com/standup", None} <= links
    assert sum(len(d["meetings"]) for d in got["days"]) > 10
    assert any(not d["meetings"] for d in got["days"])  # the weekend: days without meetings are listed too


def test_text_lists_every_day_with_odd_hours_and_conflicts(demo_db: Path) -> None:
    out = cli("agenda", "--days", "7", "--db", str(demo_db)).output
    lines = out.splitlines()
    assert lines[0].startswith("Agenda Mon 30 Nov–Sun 06 Dec 2026 (Europe/Berlin): ")
    days = [line for line in lines if line[:3] in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
    assert days == ["Mon 30 Nov", "Tue 01 Dec", "Wed 02 Dec", "Thu 03 Dec", "Fri 04 Dec", "Sat 05 Dec", "Sun 06 Dec"]
    saturday = lines[lines.index("Sat 05 Dec") + 1]
    assert saturday == "  no meetings"
    monday = out[out.index("Mon 30 Nov\n"):out.index("Tue 01 Dec\n")]
    brief = cli("brief", "--db", str(demo_db)).output
    meetings = brief[brief.index("Meetings (") :].split("\n", 1)[1].split("\n\n", 1)[0]
    assert monday.split("\n", 1)[1].rstrip("\n") == meetings  # the same lines as the brief's
    count = sum(1 for line in lines if line[:2] in (" !", "  ") and line[2:3].isdigit())
    assert f": {count} meetings, " in lines[0]


def test_from_a_weekday_and_bad_input(demo_db: Path) -> None:
    wednesday = {"TPM_NOW": "2026-12-02T08:30"}
    out = cli("agenda", "--from", "mon", "--days", "1", "--db", str(demo_db), env=wednesday).output
    assert out.startswith("Agenda Mon 30 Nov 2026 (Europe/Berlin): ")  # this week's Monday, not next week's
    out = cli("agenda", "--from", "fri", "--days", "1", "--db", str(demo_db), env=wednesday).output
    assert out.startswith("Agenda Fri 04 Dec 2026 ")
    assert refused(demo_db, "agenda", "--from", "31-31-2026").startswith("tpm: --from: ")
    assert refused(demo_db, "agenda", "--days", "0").startswith("tpm: Invalid value for '--days'")
