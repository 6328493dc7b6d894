"""Converters between domain dataclasses and the JSON documents stored in TinyDB.

Datetimes are ISO 8601 text: with an offset when aware, without one when floating,
``YYYY-MM-DD`` for dates. A meeting also stores its ``tzid`` so that an aware time
comes back in the zone it was written in (the offset alone cannot say which zone).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tpm_tui.domain import (
    Attendee,
    JournalEntry,
    Meeting,
    Note,
    Person,
    Project,
    Settings,
    Task,
    TaskStatus,
    When,
)

Doc = dict[str, Any]


def when_to_str(value: When | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return value.isoformat()


def when_from_str(text: str | None, tzid: str | None = None) -> When | None:
    if text is None or text == "":
        return None
    if len(text) == 10:
        return date.fromisoformat(text)
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None and tzid:
        value = value.astimezone(_zone(tzid))
    elif value.tzinfo is not None and value.utcoffset() == UTC.utcoffset(None):
        value = value.astimezone(UTC)
    return value


_ZONES: dict[str, ZoneInfo] = {}


def _zone(name: str) -> ZoneInfo:
    zone = _ZONES.get(name)
    if zone is None:
        zone = _ZONES[name] = ZoneInfo(name)
    return zone


def datetime_from_str(text: str | None) -> datetime | None:
    value = when_from_str(text)
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def date_from_str(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# ---------------------------------------------------------------- people


def person_to_doc(p: Person) -> Doc:
    return {
        "handle": p.handle,
        "name": p.name,
        "email": p.email,
        "role": p.role,
        "timezone": p.timezone,
        "work_start": p.work_start,
        "work_end": p.work_end,
        "work_days": list(p.work_days),
        "weekly_capacity_hours": p.weekly_capacity_hours,
        "days_off": [d.isoformat() for d in p.days_off],
    }


def person_from_doc(d: Doc) -> Person:
    return Person(
        handle=d["handle"],
        name=d.get("name", ""),
        email=d.get("email", ""),
        role=d.get("role", ""),
        timezone=d.get("timezone", "UTC"),
        work_start=d.get("work_start", "09:00"),
        work_end=d.get("work_end", "17:30"),
        work_days=tuple(d.get("work_days", ("mon", "tue", "wed", "thu", "fri"))),
        weekly_capacity_hours=d.get("weekly_capacity_hours"),
        days_off=tuple(date.fromisoformat(x) for x in d.get("days_off", ())),
    )


# ---------------------------------------------------------------- projects


def project_to_doc(p: Project) -> Doc:
    return {
        "key": p.key,
        "name": p.name,
        "owner": p.owner,
        "target_date": when_to_str(p.target_date),
        "stakeholders": list(p.stakeholders),
    }


def project_from_doc(d: Doc) -> Project:
    return Project(
        key=d["key"],
        name=d.get("name", d["key"]),
        owner=d.get("owner", ""),
        target_date=date_from_str(d.get("target_date")),
        stakeholders=tuple(d.get("stakeholders", ())),
    )


# ---------------------------------------------------------------- tasks


def task_to_doc(t: Task) -> Doc:
    return {
        "id": t.id,
        "project": t.project,
        "title": t.title,
        "assignee": t.assignee,
        "status": t.status.value,
        "priority": t.priority,
        "due": when_to_str(t.due),
        "estimate_hours": t.estimate_hours,
        "remaining_hours": t.remaining_hours,
        "depends_on": list(t.depends_on),
        "time_sensitive": t.time_sensitive,
        "tags": list(t.tags),
        "notes": [{"at": n.at.isoformat(), "text": n.text} for n in t.notes],
        "snoozed_until": when_to_str(t.snoozed_until),
        "blocked_by": t.blocked_by,
        "created_at": when_to_str(t.created_at),
        "updated_at": when_to_str(t.updated_at),
    }


def task_from_doc(d: Doc) -> Task:
    return Task(
        id=d["id"],
        project=d.get("project", ""),
        title=d.get("title", ""),
        assignee=d.get("assignee"),
        status=TaskStatus(d.get("status", "todo")),
        priority=d.get("priority", "normal"),
        due=when_from_str(d.get("due")),
        estimate_hours=d.get("estimate_hours"),
        remaining_hours=d.get("remaining_hours"),
        depends_on=tuple(d.get("depends_on", ())),
        time_sensitive=bool(d.get("time_sensitive", False)),
        tags=tuple(d.get("tags", ())),
        notes=tuple(
            Note(at=datetime_from_str(n["at"]) or datetime.now(UTC), text=n.get("text", ""))
            for n in d.get("notes", ())
        ),
        snoozed_until=date_from_str(d.get("snoozed_until")),
        blocked_by=d.get("blocked_by"),
        created_at=datetime_from_str(d.get("created_at")),
        updated_at=datetime_from_str(d.get("updated_at")),
    )


# ---------------------------------------------------------------- meetings


def attendee_to_doc(a: Attendee) -> Doc:
    return {"email": a.email, "name": a.name, "partstat": a.partstat, "role": a.role}


def attendee_from_doc(d: Doc) -> Attendee:
    return Attendee(
        email=d.get("email", ""),
        name=d.get("name", ""),
        partstat=d.get("partstat", "NEEDS-ACTION"),
        role=d.get("role", ""),
    )


def meeting_to_doc(m: Meeting) -> Doc:
    return {
        "uid": m.uid,
        "recurrence_id": m.recurrence_id,
        "calendar": m.calendar,
        "summary": m.summary,
        "description": m.description,
        "location": m.location,
        "organizer": m.organizer,
        "attendees": [attendee_to_doc(a) for a in m.attendees],
        "start": when_to_str(m.start),
        "end": when_to_str(m.end),
        "all_day": m.all_day,
        "tzid": m.tzid,
        "rrule": m.rrule,
        "rdate": [when_to_str(x) for x in m.rdate],
        "exdate": [when_to_str(x) for x in m.exdate],
        "sequence": m.sequence,
        "dtstamp": when_to_str(m.dtstamp),
        "status": m.status,
        "categories": list(m.categories),
        "range_future": m.range_future,
    }


def meeting_from_doc(d: Doc) -> Meeting:
    tzid = d.get("tzid")
    return Meeting(
        uid=d["uid"],
        recurrence_id=d.get("recurrence_id"),
        calendar=d.get("calendar", ""),
        summary=d.get("summary", ""),
        description=d.get("description", ""),
        location=d.get("location", ""),
        organizer=d.get("organizer", ""),
        attendees=tuple(attendee_from_doc(a) for a in d.get("attendees", ())),
        start=when_from_str(d["start"], tzid),  # type: ignore[arg-type]
        end=when_from_str(d["end"], tzid),  # type: ignore[arg-type]
        all_day=bool(d.get("all_day", False)),
        tzid=tzid,
        rrule=d.get("rrule"),
        rdate=tuple(when_from_str(x, tzid) for x in d.get("rdate", ())),  # type: ignore[misc]
        exdate=tuple(when_from_str(x, tzid) for x in d.get("exdate", ())),  # type: ignore[misc]
        sequence=int(d.get("sequence", 0)),
        dtstamp=datetime_from_str(d.get("dtstamp")),
        status=d.get("status", "CONFIRMED"),
        categories=tuple(d.get("categories", ())),
        range_future=bool(d.get("range_future", False)),
    )


# ---------------------------------------------------------------- settings, journal


def settings_to_doc(s: Settings) -> Doc:
    return {
        "me": s.me,
        "timezone": s.timezone,
        "due_soon_days": s.due_soon_days,
        "stale_after_days": s.stale_after_days,
        "plan_window_start": s.plan_window_start,
        "plan_window_end": s.plan_window_end,
    }


def settings_from_doc(d: Doc | None) -> Settings:
    d = d or {}
    defaults = Settings()
    return Settings(
        me=d.get("me"),
        timezone=d.get("timezone"),
        due_soon_days=int(d.get("due_soon_days", defaults.due_soon_days)),
        stale_after_days=int(d.get("stale_after_days", defaults.stale_after_days)),
        plan_window_start=d.get("plan_window_start", defaults.plan_window_start),
        plan_window_end=d.get("plan_window_end", defaults.plan_window_end),
    )


def journal_to_doc(j: JournalEntry) -> Doc:
    return {
        "id": j.id,
        "at": j.at.isoformat(),
        "action": j.action,
        "summary": j.summary,
        "before": j.before,
        "after": j.after,
        "undone": j.undone,
        "extra": dict(j.extra),
    }


def journal_from_doc(d: Doc) -> JournalEntry:
    return JournalEntry(
        id=int(d["id"]),
        at=datetime_from_str(d["at"]) or datetime.now(UTC),
        action=d.get("action", ""),
        summary=d.get("summary", ""),
        before=d.get("before"),
        after=d.get("after"),
        undone=bool(d.get("undone", False)),
        extra=dict(d.get("extra", {})),
    )
