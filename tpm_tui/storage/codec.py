"""Converters between domain objects (named tuples) and the JSON documents stored in TinyDB.

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

# Parsed values by (text, tzid): a database repeats the same dates and times a lot
# (due dates, meeting starts of a series' overrides, dtstamps). Dates and datetimes
# are immutable, so sharing one object is safe. Bounded: emptied when it grows large.
_WHENS: dict[tuple[str, str | None], When | None] = {}
_WHENS_MAX = 200_000


def _when(text: Any, tzid: str | None = None) -> When | None:
    """:func:`when_from_str`, cached."""
    if text is None:
        return None
    try:
        return _WHENS[text, tzid]
    except KeyError:
        value = when_from_str(text, tzid)
        if len(_WHENS) >= _WHENS_MAX:
            _WHENS.clear()
        _WHENS[text, tzid] = value
        return value
    except TypeError:  # not text: let the plain parser say what is wrong
        return when_from_str(text, tzid)


def _datetime(text: Any) -> datetime | None:
    """:func:`datetime_from_str`, cached."""
    value = _when(text)
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _date(text: Any) -> date | None:
    """:func:`date_from_str`, cached."""
    if not text:
        return None
    value = _when(text) if isinstance(text, str) and len(text) == 10 else None
    return value if type(value) is date else date.fromisoformat(text)


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


_STATUS = {s.value: s for s in TaskStatus}


def _empty(items: Any) -> bool:
    """An empty list or tuple (anything else goes through the full conversion, errors included)."""
    return (type(items) is list or type(items) is tuple) and not items


def _status(value: Any) -> TaskStatus:
    try:
        return _STATUS[value]
    except (KeyError, TypeError):
        return TaskStatus(value)


def task_from_doc(d: Doc) -> Task:
    get = d.get
    notes = get("notes", ())
    return Task(
        id=d["id"],
        project=get("project", ""),
        title=get("title", ""),
        assignee=get("assignee"),
        status=_status(get("status", "todo")),
        priority=get("priority", "normal"),
        due=_when(get("due")),
        estimate_hours=get("estimate_hours"),
        remaining_hours=get("remaining_hours"),
        depends_on=tuple(get("depends_on", ())),
        time_sensitive=bool(get("time_sensitive", False)),
        tags=tuple(get("tags", ())),
        notes=tuple(
            Note(at=datetime_from_str(n["at"]) or datetime.now(UTC), text=n.get("text", ""))
            for n in notes
        ) if not _empty(notes) else (),
        snoozed_until=_date(get("snoozed_until")),
        blocked_by=get("blocked_by"),
        created_at=_datetime(get("created_at")),
        updated_at=_datetime(get("updated_at")),
    )


# ---------------------------------------------------------------- meetings


def attendee_to_doc(a: Attendee) -> Doc:
    return {"email": a.email, "name": a.name, "partstat": a.partstat, "role": a.role}


_ATTENDEES: dict[tuple[Any, ...], Attendee] = {}


def _attendee(d: Doc) -> Attendee:
    """:func:`attendee_from_doc`, one instance per distinct attendee (they repeat across meetings)."""
    get = d.get
    key = (get("email", ""), get("name", ""), get("partstat", "NEEDS-ACTION"), get("role", ""))
    try:
        return _ATTENDEES[key]
    except KeyError:
        if len(_ATTENDEES) >= _WHENS_MAX:
            _ATTENDEES.clear()
        got = _ATTENDEES[key] = Attendee(email=key[0], name=key[1], partstat=key[2], role=key[3])
        return got
    except TypeError:
        return attendee_from_doc(d)


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
    get = d.get
    tzid = get("tzid")
    rdate = get("rdate", ())
    exdate = get("exdate", ())
    return Meeting(
        uid=d["uid"],
        recurrence_id=get("recurrence_id"),
        calendar=get("calendar", ""),
        summary=get("summary", ""),
        description=get("description", ""),
        location=get("location", ""),
        organizer=get("organizer", ""),
        attendees=tuple([_attendee(a) for a in get("attendees", ())]),
        start=_when(d["start"], tzid),  # type: ignore[arg-type]
        end=_when(d["end"], tzid),  # type: ignore[arg-type]
        all_day=bool(get("all_day", False)),
        tzid=tzid,
        rrule=get("rrule"),
        rdate=tuple([_when(x, tzid) for x in rdate]) if not _empty(rdate) else (),  # type: ignore[misc]
        exdate=tuple([_when(x, tzid) for x in exdate]) if not _empty(exdate) else (),  # type: ignore[misc]
        sequence=int(get("sequence", 0)),
        dtstamp=_datetime(get("dtstamp")),
        status=get("status", "CONFIRMED"),
        categories=tuple(get("categories", ())),
        range_future=bool(get("range_future", False)),
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
        "theme": s.theme,
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
        theme=d.get("theme") if isinstance(d.get("theme"), str) else None,
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
