"""Plan export: an .ics that icalendar reads back, with stable UIDs, and that tpm imports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import icalendar

from tpm_tui.domain import Person, Settings, Task
from tpm_tui.ics.export import focus_uid, plan_to_ics
from tpm_tui.logic.results import Plan, PlanBlock
from tpm_tui.services.plan import export_plan_ics, make_plan
from tpm_tui.storage import Store

BER = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 8, 30, tzinfo=BER)


def blocks() -> tuple[PlanBlock, ...]:
    return (
        PlanBlock("API-7", datetime(2026, 11, 30, 9, 0, tzinfo=BER), datetime(2026, 11, 30, 12, 0, tzinfo=BER), False),
        PlanBlock("API-7", datetime(2026, 11, 30, 19, 0, tzinfo=BER), datetime(2026, 11, 30, 20, 30, tzinfo=BER), True),
        PlanBlock("MOB-1", datetime(2026, 11, 30, 13, 0, tzinfo=BER), datetime(2026, 11, 30, 14, 0, tzinfo=BER), False),
    )


TITLES = {"API-7": "Migrate batch; job, with \\ and\nnewline", "MOB-1": "Offline mode"}


def events(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return list(cal.walk("VEVENT"))


def test_round_trip_through_icalendar():
    data = plan_to_ics(blocks(), TITLES, NOW, person="sam")
    assert b"\r\n" in data
    evs = events(data)
    got = [
        (str(e["UID"]), str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"), e.decoded("DTSTAMP"))
        for e in evs
    ]
    assert got == [
        ("tpm-focus-API-7-1@tpm", "Focus: Migrate batch; job, with \\ and\nnewline",
         datetime(2026, 11, 30, 8, 0, tzinfo=UTC), datetime(2026, 11, 30, 11, 0, tzinfo=UTC), datetime(2026, 11, 30, 7, 30, tzinfo=UTC)),
        ("tpm-focus-MOB-1-1@tpm", "Focus: Offline mode",
         datetime(2026, 11, 30, 12, 0, tzinfo=UTC), datetime(2026, 11, 30, 13, 0, tzinfo=UTC), datetime(2026, 11, 30, 7, 30, tzinfo=UTC)),
        ("tpm-focus-API-7-2@tpm", "Focus: Migrate batch; job, with \\ and\nnewline",
         datetime(2026, 11, 30, 18, 0, tzinfo=UTC), datetime(2026, 11, 30, 19, 30, tzinfo=UTC), datetime(2026, 11, 30, 7, 30, tzinfo=UTC)),
    ]  # fmt: skip
    # RFC 5545 escaping on the wire
    assert b"SUMMARY:Focus: Migrate batch\\; job\\, with \\\\ and\\nnewline" in data
    assert "outside working hours" in str(evs[2]["DESCRIPTION"])


def test_re_export_keeps_uids_and_moves_the_stamp():
    first = events(plan_to_ics(blocks(), TITLES, NOW))
    moved = tuple(
        PlanBlock(b.task_id, b.start.replace(hour=b.start.hour + 1), b.end.replace(hour=b.end.hour + 1), b.odd_hours) for b in blocks()
    )
    later = datetime(2026, 11, 30, 10, 0, tzinfo=BER)
    second = events(plan_to_ics(moved, TITLES, later))
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]
    assert second[0].decoded("DTSTAMP") > first[0].decoded("DTSTAMP")
    assert focus_uid("weird id/ü", 2) == "tpm-focus-weird_id__-2@tpm"


def test_empty_plan_is_a_valid_calendar():
    cal = icalendar.Calendar.from_ical(plan_to_ics((), {}, NOW))
    assert str(cal["PRODID"]) == "-//tpm//focus plan//EN" and list(cal.walk("VEVENT")) == []


def _store() -> Store:
    s = Store.in_memory()
    with s.transaction():
        s.put_person(Person("sam", "Sam Okafor", "sam@example.com", "Europe/Berlin", "09:00", "17:30"))
        s.put_settings(Settings(me="sam"))
        s.put_tasks([Task("API-7", "API", "Migrate batch job", assignee="sam", due=date(2026, 12, 1), remaining_hours=20, time_sensitive=True)])
    return s


def test_tpm_imports_its_own_export_without_duplicates():
    from tpm_tui.services.imports import import_bytes

    store = _store()
    plan = make_plan(store, days=3, handle=None, now=NOW, tz="Europe/Berlin")
    assert any(b.odd_hours for b in plan.blocks)  # 20h by Tuesday night: 17h of working time, then odd hours
    data = export_plan_ics(plan, store, now=NOW)
    first = import_bytes(store, data, source="p.ics")
    assert (first.error, first.added, first.updated) == (None, len(plan.blocks), 0)
    again = import_bytes(store, data, source="p.ics")
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(plan.blocks))
    # the imported focus blocks do not block the next plan: it comes out the same
    replanned = make_plan(store, days=3, handle=None, now=NOW, tz="Europe/Berlin")
    assert replanned == plan
    # later in the morning the plan moves: the same UIDs are updated, not duplicated
    later = datetime(2026, 11, 30, 11, 0, tzinfo=BER)
    moved = make_plan(store, days=3, handle=None, now=later, tz="Europe/Berlin")
    assert moved != plan
    newer = import_bytes(store, export_plan_ics(moved, store, now=later), source="p.ics")
    assert newer.updated >= 1
    assert newer.added + newer.updated + newer.unchanged == len(moved.blocks)
    assert len(store.meetings()) == max(len(plan.blocks), len(moved.blocks))


def test_export_plan_ics_uses_task_titles():
    store = _store()
    plan = Plan(person="sam", blocks=blocks()[:1])
    [ev] = events(export_plan_ics(plan, store, now=NOW))
    assert str(ev["SUMMARY"]) == "Focus: Migrate batch job"
