"""Converters between domain objects (named tuples) and the JSON documents stored in TinyDB.

Datetimes are ISO 8601 text: with an offset when aware, without one when floating,
``YYYY-MM-DD`` for dates. A meeting also stores its ``tzid`` so that an aware time
comes back in the zone it was written in (the offset alone cannot say which zone).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tpm_tui.domain import (
    PRIORITIES,
    Attendee,
    InputError,
    JournalEntry,
    Meeting,
    MeetingNotes,
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


class RecordError(ValueError):
    """One field of a stored document cannot be read: ``field`` and what is wrong with it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def _kind(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def _want(field: str, value: Any, what: str) -> RecordError:
    return RecordError(field, f"expected {what}, found {_kind(value)} {value!r}"[:200])


def _text(field: str, value: Any, *, optional: bool = False, required: bool = False) -> None:
    if type(value) is str:
        if required and not value:
            raise RecordError(field, "is empty")
        return
    if value is None and optional:
        return
    raise _want(field, value, "text" + (" or null" if optional else ""))


def _texts(field: str, values: Any) -> None:
    if type(values) not in (tuple, list) or any(type(v) is not str for v in values):
        raise _want(field, values, "a list of text")


def _hours(field: str, value: Any) -> None:
    if value is None or (type(value) in (int, float) and value >= 0):
        return
    raise _want(field, value, "a number of hours (0 or more) or null")


def _require(d: Doc, field: str) -> Any:
    if field not in d:
        raise RecordError(field, "is missing")
    return d[field]


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
    p = _person(d)
    _text("handle", p.handle, required=True)
    for field in ("name", "email", "role", "timezone", "work_start", "work_end"):
        _text(field, getattr(p, field))
    _texts("work_days", p.work_days)
    _hours("weekly_capacity_hours", p.weekly_capacity_hours)
    return p


def _person(d: Doc) -> Person:
    days_off = d.get("days_off", ())
    if type(days_off) not in (list, tuple):
        raise _want("days_off", days_off, "a list of dates")
    work_days = d.get("work_days", ("mon", "tue", "wed", "thu", "fri"))
    if type(work_days) not in (list, tuple):
        raise _want("work_days", work_days, "a list of text")
    try:
        off = tuple(date.fromisoformat(x) for x in days_off)
    except (TypeError, ValueError):
        raise _want("days_off", days_off, "a list of dates (YYYY-MM-DD)") from None
    return Person(
        handle=_require(d, "handle"),
        name=d.get("name", ""),
        email=d.get("email", ""),
        role=d.get("role", ""),
        timezone=d.get("timezone", "UTC"),
        work_start=d.get("work_start", "09:00"),
        work_end=d.get("work_end", "17:30"),
        work_days=tuple(work_days),
        weekly_capacity_hours=d.get("weekly_capacity_hours"),
        days_off=off,
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
    key = _require(d, "key")
    _text("key", key, required=True)
    target = d.get("target_date")
    try:
        target_date = date_from_str(target)
    except (TypeError, ValueError):
        raise _want("target_date", target, "a date (YYYY-MM-DD) or null") from None
    stakeholders = d.get("stakeholders", ())
    if type(stakeholders) not in (list, tuple):  # tuple("ann") would be three stakeholders
        raise _want("stakeholders", stakeholders, "a list of text")
    p = Project(
        key=key,
        name=d.get("name", key),
        owner=d.get("owner", ""),
        target_date=target_date,
        stakeholders=tuple(stakeholders),
    )
    _text("name", p.name)
    _text("owner", p.owner, optional=True)
    _texts("stakeholders", p.stakeholders)
    return p


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
        **({"repeat": t.repeat} if t.repeat else {}),  # written only when set: older files stay byte-equal
        **({"source": t.source} if t.source else {}),
    }


_STATUS = {s.value: s for s in TaskStatus}
_PRIORITIES = frozenset(PRIORITIES)
_NUMBERS = (int, float)  # not bool: type() is exact
_FIRST_YEAR, _LAST_YEAR = 1970, 2199  # of a due date (as services.entry accepts them)


def _empty(items: Any) -> bool:
    """An empty list or tuple (anything else goes through the full conversion, errors included)."""
    return (type(items) is list or type(items) is tuple) and not items


def _status(value: Any) -> TaskStatus:
    try:
        return _STATUS[value]
    except (KeyError, TypeError):
        return TaskStatus(value)


def task_from_doc(d: Doc) -> Task:
    """The task a document holds; :class:`RecordError` names the field that cannot be read.

    One pass reads every field once; a single combined test of their types follows (it
    costs ~0.3 µs a task: start-up decodes every open task), and only when it fails are
    the fields looked at one by one to say which and why."""
    get = d.get
    try:
        ident, project, title, assignee = d["id"], get("project", ""), get("title", ""), get("assignee")
        priority, estimate, remaining = get("priority", "normal"), get("estimate_hours"), get("remaining_hours")
        due = _when(get("due"))
        depends, tags, notes, blocked = get("depends_on", ()), get("tags", ()), get("notes", ()), get("blocked_by")
        t = Task(
            id=ident,
            project=project,
            title=title,
            assignee=assignee,
            status=_status(get("status", "todo")),
            priority=priority,
            due=due,
            estimate_hours=estimate,
            remaining_hours=remaining,
            depends_on=tuple(depends) if depends else (),
            time_sensitive=bool(get("time_sensitive", False)),
            tags=tuple(tags) if tags else (),
            notes=tuple(
                Note(at=datetime_from_str(n["at"]) or datetime.now(UTC), text=n.get("text", ""))
                for n in notes
            ) if not _empty(notes) else (),
            snoozed_until=_date(get("snoozed_until")),
            blocked_by=blocked,
            created_at=_datetime(get("created_at")),
            updated_at=_datetime(get("updated_at")),
            repeat=get("repeat"),
            source=get("source"),
        )
        if (type(ident) is str and ident and type(title) is str and type(project) is str
                and (assignee is None or type(assignee) is str) and priority in _PRIORITIES
                and (estimate is None or (type(estimate) in _NUMBERS and estimate >= 0))
                and (remaining is None or (type(remaining) in _NUMBERS and remaining >= 0))
                and (blocked is None or type(blocked) is str)
                and (t.repeat is None or _repeat_ok(t.repeat))
                and (t.source is None or type(t.source) is str)
                and (due is None or _FIRST_YEAR <= due.year <= _LAST_YEAR)
                # join refuses anything but text (TypeError: said as the field below)
                and (not depends or (type(depends) is list and "".join(depends) is not None))
                and (not tags or (type(tags) is list and "".join(tags) is not None))):
            return t
    except Exception as exc:  # noqa: BLE001 - said as the field that caused it
        raise _refused(d, _TASK_FIELDS, exc) from None
    raise _refused(d, _TASK_FIELDS)


# ---------------------------------------------------------------- meetings


def attendee_to_doc(a: Attendee) -> Doc:
    return {"email": a.email, "name": a.name, "partstat": a.partstat, "role": a.role}


_ATTENDEES: dict[tuple[Any, ...], Attendee] = {}


def _attendee(d: Doc) -> Attendee:
    """The attendee a document holds, one instance per distinct attendee (they repeat across
    meetings); its four fields must be text."""
    get = d.get
    key = (get("email", ""), get("name", ""), get("partstat", "NEEDS-ACTION"), get("role", ""))
    try:
        return _ATTENDEES[key]
    except KeyError:
        if type(key[0]) is not str or type(key[1]) is not str or type(key[2]) is not str or type(key[3]) is not str:
            raise TypeError("an attendee's email, name, partstat and role are text") from None
        if len(_ATTENDEES) >= _WHENS_MAX:
            _ATTENDEES.clear()
        got = _ATTENDEES[key] = Attendee(email=key[0], name=key[1], partstat=key[2], role=key[3])
        return got
    except TypeError:  # an unhashable value: not text either
        raise TypeError("an attendee's email, name, partstat and role are text") from None


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
        **({"transparent": True} if m.transparent else {}),  # written only when set: older files stay byte-equal
    }


def meeting_from_doc(d: Doc) -> Meeting:
    """The meeting a document holds; :class:`RecordError` names the field that cannot be read
    (one combined type test on the fast path, as :func:`task_from_doc`)."""
    get = d.get
    try:
        tzid = get("tzid")
        rdate = get("rdate", ())
        exdate = get("exdate", ())
        uid, calendar, summary = d["uid"], get("calendar", ""), get("summary", "")
        description, location, organizer = get("description", ""), get("location", ""), get("organizer", "")
        attendees, rrule, categories = get("attendees", ()), get("rrule"), get("categories", ())
        m = Meeting(
            uid=uid,
            recurrence_id=get("recurrence_id"),
            calendar=calendar,
            summary=summary,
            description=description,
            location=location,
            organizer=organizer,
            attendees=tuple([_attendee(a) for a in attendees]),
            start=_when(d["start"], tzid),  # type: ignore[arg-type]
            end=_when(d["end"], tzid),  # type: ignore[arg-type]
            all_day=bool(get("all_day", False)),
            tzid=tzid,
            rrule=rrule,
            rdate=tuple([_when(x, tzid) for x in rdate]) if not _empty(rdate) else (),  # type: ignore[misc]
            exdate=tuple([_when(x, tzid) for x in exdate]) if not _empty(exdate) else (),  # type: ignore[misc]
            sequence=int(get("sequence", 0)),
            dtstamp=_datetime(get("dtstamp")),
            status=get("status", "CONFIRMED"),
            categories=tuple(categories) if categories else (),
            range_future=bool(get("range_future", False)),
            transparent=get("transparent") is True,
        )
        if (type(uid) is str and uid and type(summary) is str and type(location) is str
                and type(description) is str and type(organizer) is str and type(calendar) is str
                and (rrule is None or type(rrule) is str) and m.start is not None and m.end is not None
                and (not attendees or type(attendees) is list)
                and (not categories or (type(categories) is list and "".join(categories) is not None))):
            return m
    except Exception as exc:  # noqa: BLE001 - said as the field that caused it
        raise _refused(d, _MEETING_FIELDS, exc) from None
    raise _refused(d, _MEETING_FIELDS)


def meeting_notes_to_doc(n: MeetingNotes) -> Doc:
    return {
        "key": n.key,
        "uid": n.uid,
        "occurrence": n.occurrence,
        "start": when_to_str(n.start),
        "summary": n.summary,
        "notes": [{"at": x.at.isoformat(), "text": x.text} for x in n.notes],
    }


def meeting_notes_from_doc(d: Doc) -> MeetingNotes:
    """My notes on a meeting; :class:`RecordError` names the field that cannot be read."""
    uid, occurrence = _require(d, "uid"), d.get("occurrence", "")
    _text("uid", uid, required=True)
    _text("occurrence", occurrence)
    summary = d.get("summary", "")
    _text("summary", summary)
    try:
        start = when_from_str(_require(d, "start"))
    except (TypeError, ValueError):
        raise _want("start", d.get("start"), "a date or a time (ISO 8601)") from None
    if start is None:
        raise RecordError("start", "is empty")
    raw = d.get("notes", ())
    if type(raw) not in (list, tuple):
        raise _want("notes", raw, "a list of notes")
    notes = []
    for n in raw:
        if type(n) is not dict:
            raise _want("notes", n, "a note (its time, at, and text)")
        at = _when(n.get("at"))
        if not isinstance(at, datetime) or at.tzinfo is None:
            raise _want("notes at", n.get("at"), "a time with its zone (ISO 8601)")
        _text("notes text", n.get("text", ""))
        notes.append(Note(at=at, text=n.get("text", "")))
    made = MeetingNotes(uid=uid, occurrence=occurrence, start=start, summary=summary, notes=tuple(notes))
    if d.get("key", made.key) != made.key:
        raise RecordError("key", f"{d.get('key')!r} is not uid|occurrence ({made.key!r})")
    return made


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
        "remind_minutes": s.remind_minutes,
    }


_HHMM = re.compile(r"(?:[01]?\d|2[0-3]):[0-5]\d")


def settings_from_doc(d: Doc | None) -> Settings:
    d = d or {}
    defaults = Settings()
    for field in ("due_soon_days", "stale_after_days"):
        value = d.get(field, 0)
        if type(value) is not int or value < 0:
            raise _want(field, value, "a whole number of days (0 or more)")
    remind = d.get("remind_minutes", defaults.remind_minutes)
    if type(remind) is not int or not 0 <= remind <= 240:
        raise _want("remind_minutes", remind, "a whole number of minutes from 0 to 240")
    for field in ("me", "timezone"):
        _text(field, d.get(field), optional=True)
    for field in ("plan_window_start", "plan_window_end"):
        value = d.get(field, "07:00")
        _text(field, value)
        if not _HHMM.fullmatch(value):
            raise _want(field, value, "a time of day HH:MM")
    start = d.get("plan_window_start", defaults.plan_window_start)
    end = d.get("plan_window_end", defaults.plan_window_end)
    if start.zfill(5) >= end.zfill(5):  # HH:MM texts order as the times do
        raise _want("plan_window_end", end, f"a time after plan_window_start ({start}): the window never runs overnight")
    return Settings(
        me=d.get("me"),
        timezone=d.get("timezone"),
        due_soon_days=d.get("due_soon_days", defaults.due_soon_days),
        stale_after_days=d.get("stale_after_days", defaults.stale_after_days),
        plan_window_start=d.get("plan_window_start", defaults.plan_window_start),
        plan_window_end=d.get("plan_window_end", defaults.plan_window_end),
        theme=d.get("theme") if isinstance(d.get("theme"), str) else None,
        remind_minutes=remind,
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
    ident, at = _require(d, "id"), _require(d, "at")
    if type(ident) is not int:
        raise _want("id", ident, "a whole number")
    try:
        when = datetime_from_str(at)
    except (TypeError, ValueError):
        raise _want("at", at, "a date-time") from None
    return JournalEntry(
        id=ident,
        at=when or datetime.now(UTC),
        action=d.get("action", ""),
        summary=d.get("summary", ""),
        before=d.get("before"),
        after=d.get("after"),
        undone=bool(d.get("undone", False)),
        extra=dict(d.get("extra", {})),
    )


# ---------------------------------------------------------------- saying what is wrong


def _status_field(value: Any) -> None:
    _status(value)


def _when_field(value: Any) -> None:
    when_from_str(value)


def _due_field(value: Any) -> None:
    due = when_from_str(value)
    if due is not None and not _FIRST_YEAR <= due.year <= _LAST_YEAR:
        raise ValueError


def _date_field(value: Any) -> None:
    date_from_str(value)


def _notes_field(value: Any) -> None:
    for n in value or ():
        datetime_from_str(n["at"])
        _text("notes text", n.get("text", ""))


def _whens_field(value: Any) -> None:
    for x in value or ():
        when_from_str(x)


def _int_field(value: Any) -> None:
    int(value)


_REQUIRED = frozenset({"start", "end"})  # of a meeting, beside the naming fields


def _required_text(value: Any) -> None:
    if type(value) is not str or not value:
        raise ValueError


def _text_field(value: Any) -> None:
    if type(value) is not str:
        raise TypeError


def _optional_text_field(value: Any) -> None:
    if value is not None and type(value) is not str:
        raise TypeError


def _priority_field(value: Any) -> None:
    if type(value) is not str or value not in _PRIORITIES:
        raise ValueError


def _hours_field(value: Any) -> None:
    if not (value is None or (type(value) in _NUMBERS and value >= 0)):
        raise ValueError


def _repeat_ok(value: Any) -> bool:
    """A stored repeat rule in the words tpm writes (``weekly``, ``every 2 weeks``)."""
    if type(value) is not str:
        return False
    from tpm_tui.logic.repeat import rule_text

    try:
        return rule_text(value) == value
    except InputError:
        return False


def _raise() -> None:
    raise ValueError


def _texts_field(value: Any) -> None:
    if type(value) is not list or any(type(x) is not str for x in value):
        raise TypeError


_TASK_FIELDS: dict[str, tuple[Any, str]] = {
    "id": (_required_text, "text"),
    **{name: (_text_field, "text") for name in ("project", "title")},
    "assignee": (_optional_text_field, "a handle (text) or null"),
    "priority": (_priority_field, "one of " + ", ".join(PRIORITIES)),
    "estimate_hours": (_hours_field, "a number of hours (0 or more) or null"),
    "remaining_hours": (_hours_field, "a number of hours (0 or more) or null"),
    "depends_on": (_texts_field, "a list of task ids (text)"),
    "tags": (_texts_field, "a list of text"),
    "blocked_by": (_optional_text_field, "text or null"),
    "source": (_optional_text_field, "text or null"),
    "repeat": (lambda v: None if v is None or _repeat_ok(v) else _raise(), "a repeat (weekly, every 2 weeks, monthly…) or null"),
    "status": (_status_field, "one of " + ", ".join(s.value for s in TaskStatus)),
    "due": (_due_field, f"a date or date-time (ISO 8601) from {_FIRST_YEAR} to {_LAST_YEAR}, or null"),
    "snoozed_until": (_date_field, "a date (YYYY-MM-DD) or null"),
    "created_at": (_when_field, "a date-time (ISO 8601) or null"),
    "updated_at": (_when_field, "a date-time (ISO 8601) or null"),
    "notes": (_notes_field, "a list of notes, each with its time (at) and text"),
}


def _attendees_field(value: Any) -> None:
    if type(value) is not list:
        raise TypeError
    for a in value:
        if type(a) is not dict or any(type(a.get(k, "")) is not str for k in ("email", "name", "partstat", "role")):
            raise TypeError


_MEETING_FIELDS: dict[str, tuple[Any, str]] = {
    "uid": (_required_text, "text"),
    **{name: (_text_field, "text") for name in ("summary", "location", "description", "organizer", "calendar")},
    "rrule": (_optional_text_field, "a recurrence rule (text) or null"),
    "attendees": (_attendees_field, "a list of objects with text email, name, partstat and role"),
    "categories": (_texts_field, "a list of text"),
    "start": (_when_field, "a date or date-time (ISO 8601)"),
    "end": (_when_field, "a date or date-time (ISO 8601)"),
    "tzid": (lambda v: v is None or _zone(v), "a time zone name or null"),
    "dtstamp": (_when_field, "a date-time (ISO 8601) or null"),
    "rdate": (_whens_field, "a list of dates or date-times"),
    "exdate": (_whens_field, "a list of dates or date-times"),
    "sequence": (_int_field, "a whole number"),
}


def _refused(d: Doc, fields: dict[str, tuple[Any, str]], exc: Exception | None = None) -> RecordError:
    """Why ``d`` cannot be read: the error itself when it names a field, else the field
    :func:`_diagnose` finds, else what the conversion said."""
    if isinstance(exc, RecordError):
        return exc
    return _diagnose(d, fields) or RecordError("?", f"{type(exc).__name__}: {exc}" if exc else "cannot be read")


def _diagnose(d: Doc, fields: dict[str, tuple[Any, str]]) -> RecordError | None:
    """The first field of ``d`` its checker refuses, as a :class:`RecordError` (slow: only
    run once a conversion has failed, to say which field and why)."""
    for field, (check, what) in fields.items():
        if field not in d:
            if check is _required_text or field in _REQUIRED:
                return RecordError(field, "is missing")
            continue
        try:
            check(d[field])
        except RecordError as exc:
            return exc
        except Exception:  # noqa: BLE001 - any failure of that field's conversion
            return _want(field, d[field], what)
    return None
