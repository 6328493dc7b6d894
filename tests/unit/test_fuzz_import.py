"""Hostile invites (fast version of benchmarks/fuzz_import.py): import or one line, never a
traceback, database unchanged on failure, no hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import fuzz_import
from benchmarks.fuzz_import import FuzzReport, check, hostile_inputs, run

# Generous: proves "no hang" on a loaded CI machine; the long run reports the real figures.
HANG_LIMIT_S = 15.0


@pytest.mark.parametrize(("name", "data"), list(hostile_inputs()), ids=[n for n, _ in hostile_inputs()])
def test_each_hostile_shape_imports_or_fails_with_one_line(tmp_path: Path, name: str, data: bytes,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz_import, "TIME_LIMIT_S", HANG_LIMIT_S)
    report = FuzzReport()
    check(name, data, tmp_path, report)
    assert report.inputs == 1
    assert report.tracebacks == []
    assert report.multi_line_errors == []
    assert report.changed_on_failure == []
    assert report.too_slow == []
    assert report.imported + report.refused == 1


def test_rrule_bombs_are_kept_but_warned_about(tmp_path: Path) -> None:
    from tpm_tui.services.imports import import_bytes
    from tpm_tui.storage import Store

    store = Store.open(tmp_path / "db.json")
    shapes = dict(hostile_inputs())
    result = import_bytes(store, shapes["rrule-secondly-forever"], source="bomb.ics")
    assert result.ok
    assert any("SECONDLY" in w or "bounded" in w or "expansion" in w for w in result.warnings), result.warnings


def test_two_hundred_corpus_mutations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuzz_import, "TIME_LIMIT_S", HANG_LIMIT_S)
    report = run(inputs=200, folder=tmp_path, seed=11)
    assert report.inputs == 200
    assert report.tracebacks == [], report.tracebacks[:3]
    assert report.multi_line_errors == [], report.multi_line_errors[:3]
    assert report.changed_on_failure == []
    assert report.too_slow == []
    assert report.imported > 0 and report.refused > 0  # both outcomes were exercised


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    report = FuzzReport()
    check("random.ics", b"BEGIN:VCALENDAR\r\n" + data if data[:1] == b"\x00" else data, tmp_path, report)
    assert report.tracebacks == [] and report.multi_line_errors == [] and report.changed_on_failure == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([
    "BEGIN:VEVENT", "END:VEVENT", "UID:x", "DTSTART:20261130T100000Z", "DTSTART;VALUE=DATE:20261130",
    "DTEND:20261130T090000Z", "RRULE:FREQ=DAILY;COUNT=3", "RRULE:FREQ=SECONDLY", "EXDATE:20261201T100000Z",
    "RECURRENCE-ID:20261201T100000Z", "SEQUENCE:1", "STATUS:CANCELLED", "METHOD:CANCEL", "SUMMARY:[b]x[/b]",
    "DURATION:PT1H", "BEGIN:VALARM", "END:VALARM", "TZID:Nowhere", "DTSTART;TZID=Nowhere:20261130T100000",
]), max_size=25))
def test_random_line_soups_never_raise(tmp_path: Path, lines: list[str]) -> None:
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "\r\n".join(lines) + "\r\nEND:VCALENDAR\r\n").encode()
    report = FuzzReport()
    check("soup.ics", data, tmp_path, report)
    assert report.tracebacks == [] and report.multi_line_errors == [] and report.changed_on_failure == []


def test_vtimezone_with_a_secondly_rule_falls_back_to_the_zone_name(tmp_path: Path) -> None:
    """Found by the long fuzz run: icalendar walked every second since 1990 and never returned."""
    from tpm_tui.services.imports import import_bytes
    from tpm_tui.storage import Store

    store = Store.open(tmp_path / "db.json")
    result = import_bytes(store, dict(hostile_inputs())["vtimezone-rrule-secondly"], source="tz.ics")
    assert result.ok and result.added == 1
    [meeting] = store.meetings()
    assert meeting.tzid == "Europe/Berlin" and meeting.start.hour == 10  # type: ignore[union-attr]


def test_an_absurd_sequence_is_clamped_not_fatal(tmp_path: Path) -> None:
    from benchmarks.fuzz_import import _event
    from tpm_tui.services.imports import import_bytes
    from tpm_tui.storage import Store

    store = Store.open(tmp_path / "db.json")
    store.put_meetings([])
    result = import_bytes(store, _event("SEQUENCE:99999999999999999999\r\n"), source="seq.ics")
    assert result.ok and result.added == 1, result.summary_line()
    assert store.meetings()[0].sequence == 2**31 - 1


def test_an_event_in_year_9999_is_skipped_and_later_views_still_work(tmp_path: Path) -> None:
    """Found by the long fuzz run: once stored, it made every later expansion overflow."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from benchmarks.fuzz_import import _event
    from tpm_tui.logic.recurrence import MeetingIndex
    from tpm_tui.services.imports import import_bytes
    from tpm_tui.storage import Store

    store = Store.open(tmp_path / "db.json")
    far = _event(uid="far@x").replace(b"DTSTART;TZID=Europe/Berlin:20261130T100000", b"DTSTART:99991231T235959Z")
    far = far.replace(b"DTEND;TZID=Europe/Berlin:20261130T110000\r\n", b"")
    result = import_bytes(store, far, source="far.ics")
    assert result.ok and result.added == 0 and result.skipped == 1
    assert any("outside 1900-2200" in w for w in result.warnings)
    assert import_bytes(store, _event(uid="near@x"), source="near.ics").added == 1
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 11, 30, tzinfo=berlin)
    assert [o.uid for o in MeetingIndex(store.meetings()).between(start, start + timedelta(days=7), berlin)] == ["near@x"]
