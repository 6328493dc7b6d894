"""The product's nouns as immutable named tuples (the journal entry: a frozen dataclass).

Pure standard library: no Textual, no TinyDB, no icalendar. Everything that is a
point in time is either

* an aware ``datetime`` (a fixed instant; ``tzid`` says which zone it was written in),
* a naive ``datetime`` (a *floating* time, RFC 5545: the same wall clock in any zone), or
* a ``date`` (all-day; covers the whole local day wherever it is viewed).

Named tuples rather than frozen dataclasses: as immutable, compared and hashed by value,
changed with ``._replace``; but every command imports these, and a frozen dataclass is
generated at import with half a dozen ``exec`` calls (~1.5 ms a class here, ~12 ms for
these eight), and builds its instances through ``object.__setattr__`` field by field
(a ``Meeting`` of 20 fields: ~4 µs, against ~1 µs for a named tuple: a 10k-task database
decodes 15k of these at start-up). ``JournalEntry`` stays a dataclass: its ``extra`` is a
fresh dict per entry.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

When = datetime | date


class TaskStatus(str, enum.Enum):
    TODO = "todo"
    DOING = "doing"
    BLOCKED = "blocked"
    DONE = "done"


class RiskLevel(str, enum.Enum):
    LATE = "late"
    AT_RISK = "at_risk"
    WATCH = "watch"


PRIORITIES = ("low", "normal", "high", "critical")
"""Task priorities, lowest first. ``PRIORITY_RANK[p]`` orders them (higher = more urgent)."""
PRIORITY_RANK = {p: i for i, p in enumerate(PRIORITIES)}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Note(NamedTuple):
    at: datetime
    text: str


class Person(NamedTuple):
    handle: str
    name: str
    email: str
    timezone: str  # IANA name, e.g. "Europe/Berlin"
    work_start: str = "09:00"  # local HH:MM
    work_end: str = "17:30"  # local HH:MM
    work_days: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    weekly_capacity_hours: float | None = None  # None = derived from working hours
    days_off: tuple[date, ...] = ()
    role: str = ""


class Project(NamedTuple):
    key: str
    name: str
    owner: str = ""  # person handle
    target_date: date | None = None
    stakeholders: tuple[str, ...] = ()


class Task(NamedTuple):
    id: str  # e.g. "API-7": project key + number, stable and human
    project: str
    title: str
    assignee: str | None = None
    status: TaskStatus = TaskStatus.TODO
    priority: str = "normal"
    due: When | None = None
    estimate_hours: float | None = None
    remaining_hours: float | None = None
    depends_on: tuple[str, ...] = ()
    time_sensitive: bool = False
    tags: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    snoozed_until: date | None = None
    blocked_by: str | None = None  # free text or a task id, when status is blocked
    created_at: datetime | None = None
    updated_at: datetime | None = None
    repeat: str | None = None  # "weekly", "every 2 weeks" (logic.repeat): done creates the next one
    source: str | None = None  # where it was imported from ("taskwarrior:<uuid>"): a re-import skips it

    @property
    def is_open(self) -> bool:
        return self.status is not TaskStatus.DONE


class Attendee(NamedTuple):
    email: str  # lower-case, without "mailto:"
    name: str = ""
    partstat: str = "NEEDS-ACTION"
    role: str = ""


class Meeting(NamedTuple):
    """One VEVENT as stored: a single event, a recurring master, or one override.

    Recurring masters keep their rule (``rrule`` is the RRULE value text, e.g.
    ``FREQ=WEEKLY;BYDAY=MO,WE``) and are expanded on demand for the window shown.
    ``recurrence_id`` is ``None`` for singles and masters; for an override it is the
    canonical key of the occurrence it replaces (see :func:`recurrence_key`).
    """

    uid: str
    start: When
    end: When
    recurrence_id: str | None = None
    calendar: str = ""
    summary: str = ""
    description: str = ""
    location: str = ""
    organizer: str = ""
    attendees: tuple[Attendee, ...] = ()
    all_day: bool = False
    tzid: str | None = None  # IANA zone of start/end; None for floating, date or UTC
    rrule: str | None = None
    rdate: tuple[When, ...] = ()
    exdate: tuple[When, ...] = ()
    sequence: int = 0
    dtstamp: datetime | None = None
    status: str = "CONFIRMED"  # CONFIRMED | TENTATIVE | CANCELLED
    categories: tuple[str, ...] = ()
    range_future: bool = False  # RECURRENCE-ID;RANGE=THISANDFUTURE
    transparent: bool = False  # TRANSP:TRANSPARENT, Outlook's "Show as: Free": shown, but takes nobody's time

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.uid, self.recurrence_id)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule or self.rdate)

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"


class MeetingNotes(NamedTuple):
    """My notes on one meeting — one occurrence of a series, or a single event: talking points
    before it, decisions after. Kept apart from the meeting, so that no update, re-export or
    cancellation from the calendar can take them; ``start`` and ``summary`` are as the
    meeting was when the first note was made, so the notes still read well after it is gone."""

    uid: str
    occurrence: str  # the occurrence's RECURRENCE-ID key (see recurrence_key); "" for a single event
    start: When
    summary: str
    notes: tuple[Note, ...] = ()

    @property
    def key(self) -> str:
        return notes_key(self.uid, self.occurrence)


APPOINTMENTS = "tpm"
"""The calendar of the appointments made in tpm (``tpm event add``, ``E``)."""


def is_appointment(m: Meeting) -> bool:
    """An appointment of mine made in tpm, not a meeting from an invitation: it takes my time,
    but is nobody else's business (never in the status update)."""
    return m.calendar == APPOINTMENTS and m.uid.startswith("tpm-event-")


def notes_key(uid: str, occurrence: str | None) -> str:
    """The key of my notes on an occurrence: ``UID|RECURRENCE-ID key`` (``UID|`` for a single event)."""
    return f"{uid}|{occurrence or ''}"


class Occurrence(NamedTuple):
    """One concrete occurrence of a meeting, ready to show on a day."""

    meeting: Meeting  # the master (or single / override) it comes from
    start: When
    end: When
    recurrence_id: str | None = None

    @property
    def uid(self) -> str:
        return self.meeting.uid

    @property
    def all_day(self) -> bool:
        return self.meeting.all_day


class Settings(NamedTuple):
    me: str | None = None
    timezone: str | None = None
    due_soon_days: int = 3
    stale_after_days: int = 7
    plan_window_start: str = "07:00"  # earliest odd-hours focus block, local
    plan_window_end: str = "21:00"  # latest odd-hours focus block, local
    theme: str | None = None  # the dashboard's colour theme (ctrl+p "Change theme"); None: Textual's default
    remind_minutes: int = 5  # the dashboard reminds of a meeting this long before it starts; 0: never


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One triage action with enough to undo it: the task before and after."""

    id: int
    at: datetime
    action: str  # e.g. "done", "snooze", "due+1"
    summary: str  # human words: "API-7 marked done"
    before: dict[str, object] | None = None  # codec documents, None when created
    after: dict[str, object] | None = None  # None when deleted
    undone: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def recurrence_key(value: When) -> str:
    """Canonical text of a RECURRENCE-ID (or of an occurrence's original start).

    Aware datetimes are keyed by their UTC instant so that an override written in
    UTC (``…Z``) matches an occurrence of a series written with a TZID; floating
    datetimes keep their wall clock; dates are ``YYYYMMDD``.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            from datetime import UTC

            return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d")


def recurrence_value(key: str) -> When | None:
    """The instant (UTC), wall time (floating) or date a :func:`recurrence_key` stands for;
    ``None`` for a key it did not write."""
    try:
        if len(key) == 8:
            return datetime.strptime(key, "%Y%m%d").date()
        if key.endswith("Z"):
            from datetime import UTC

            return datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        return datetime.strptime(key, "%Y%m%dT%H%M%S")
    except ValueError:
        return None
