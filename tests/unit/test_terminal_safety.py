"""Text from outside never styles or breaks a terminal: brief text/markdown, task list, import
warnings, and the plan's .ics export (escaped per RFC 5545)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from icalendar import Calendar

from tpm_tui.logic.render import safe_text
from tpm_tui.storage import Store
from tests.unit.test_cli import run

HOSTILE = "[bold red]boom[/] \x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07 \u202eevil\u202c [@click=app.quit]x[/] \x00\x7f\x9b"
# A NUL byte makes a file binary (refused as a whole); everything else must import.
HOSTILE_INVITE = HOSTILE.replace("\x00", "")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

INVITE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:hostile@x\r\n"
    "DTSTAMP:20261101T090000Z\r\nDTSTART;TZID=Europe/Berlin:20261130T120000\r\n"
    "DTEND;TZID=Europe/Berlin:20261130T123000\r\n"
    "SUMMARY:{s}\r\nLOCATION:{s}\r\nDESCRIPTION:{s}\r\n"
    "ORGANIZER;CN=\"{s}\":mailto:evil@x.io\r\nATTENDEE;CN=Sam:mailto:sam@example.com\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _ics_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


@pytest.fixture
def hostile_db(demo_db: Path, tmp_path: Path) -> Path:
    invite = tmp_path / "hostile.ics"
    invite.write_bytes(INVITE.replace("{s}", _ics_text(HOSTILE_INVITE)).encode("utf-8"))
    result = run("--db", str(demo_db), "import", str(invite))
    assert result.exit_code == 0, result.stderr
    added = run("--db", str(demo_db), "task", "add", HOSTILE, "--project", "API", "--assignee", "sam",
                "--due", "2026-11-27", "--time-sensitive", "--estimate", "40")
    assert added.exit_code == 0, added.stderr
    return demo_db


def test_safe_text_neutralises_every_control_and_keeps_markup_literal() -> None:
    out = safe_text(HOSTILE)
    assert not CONTROL.search(out)
    assert "[bold red]boom[/]" in out and "[@click=app.quit]" in out
    assert "␛[31mred" in out  # visible, inert


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_brief_output_has_no_control_characters(hostile_db: Path, fmt: str) -> None:
    result = run("--db", str(hostile_db), "brief", "--date", "2026-11-30", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert not CONTROL.search(result.stdout.replace("\n", ""))
    assert "boom" in result.stdout  # the text itself is still there to read
    if fmt == "text":
        assert "[bold red]boom[/]" in result.stdout


def test_brief_json_keeps_the_exact_text(hostile_db: Path) -> None:
    import orjson

    data = orjson.loads(run("--db", str(hostile_db), "brief", "--date", "2026-11-30", "--format", "json").stdout)
    [meeting] = [m for m in data["meetings"] if m["uid"] == "hostile@x"]
    assert meeting["summary"] == HOSTILE_INVITE  # JSON escapes it; consumers get the real data


def test_task_list_text_has_no_control_characters(hostile_db: Path) -> None:
    result = run("--db", str(hostile_db), "task", "list")
    assert result.exit_code == 0
    assert not CONTROL.search(result.stdout.replace("\n", ""))
    assert "[bold red]boom[/]" in result.stdout


def test_plan_export_escapes_outside_text(hostile_db: Path, tmp_path: Path) -> None:
    Store.open(hostile_db)
    out = tmp_path / "plan.ics"
    result = run("--db", str(hostile_db), "plan", "--export", str(out), "--days", "5")
    assert result.exit_code == 0, result.stderr
    raw = out.read_bytes()
    cal = Calendar.from_ical(raw)
    summaries = [str(ev.get("summary")) for ev in cal.walk("VEVENT")]
    assert any("boom" in s for s in summaries)
    # No injected property lines: every unfolded line is NAME[;params]:value
    unfolded = raw.decode().replace("\r\n ", "")
    for line in unfolded.split("\r\n"):
        if line:
            assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line


def test_answering_a_hostile_invite_and_listing_a_hostile_project_print_no_control_characters(
        hostile_db: Path, tmp_path: Path) -> None:
    reply = tmp_path / "reply.ics"
    answered = run("--db", str(hostile_db), "answer", "hostile@x", "decline", "--reply", str(reply))
    assert answered.exit_code == 0, answered.stderr
    assert not CONTROL.search(answered.stdout.replace("\n", "")) and "[bold red]boom[/]" in answered.stdout
    (event,) = Calendar.from_ical(reply.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == HOSTILE_INVITE  # the reply carries the title as it was, escaped per RFC 5545
    assert run("--db", str(hostile_db), "project", "edit", "API", "--name", HOSTILE.replace("\x00", "")).exit_code == 0
    listed = run("--db", str(hostile_db), "project", "list")
    assert listed.exit_code == 0 and not CONTROL.search(listed.stdout.replace("\n", ""))
    assert "[bold red]boom[/]" in listed.stdout and listed.stdout.splitlines()[0].rstrip().endswith(("fits", "short"))
