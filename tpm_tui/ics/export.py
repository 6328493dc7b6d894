"""Focus blocks, and invitations booked from ``tpm meet``, as ``.ics`` files a calendar
client (or ``tpm import``) can read.

* One VEVENT per block; times in UTC (no VTIMEZONE needed, every client reads ``Z``).
* Stable UIDs: ``tpm-focus-<task id>-<n>@tpm``, ``n`` counting that task's blocks in
  time order from 1, so re-exporting a plan updates the same events in a client
  instead of adding copies. A later DTSTAMP (``now``) marks the newer version;
  SEQUENCE is 0 throughout so a client or ``tpm import`` decides by DTSTAMP.
* SUMMARY ``Focus: <task title>``; text is escaped per RFC 5545 by ``icalendar``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from tpm_tui.domain import Person
from tpm_tui.logic.results import PlanBlock

PRODID = "-//tpm//focus plan//EN"
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def focus_uid(task_id: str, n: int) -> str:
    """The stable UID of the ``n``-th (1-based) focus block of a task."""
    return f"tpm-focus-{_UID_UNSAFE.sub('_', task_id)}-{n}@tpm"


def plan_to_ics(
    blocks: Sequence[PlanBlock],
    titles: Mapping[str, str],
    now: datetime,
    *,
    person: str | None = None,
) -> bytes:
    """An iCalendar document (bytes, CRLF lines) with one event per block."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"tpm focus plan{f' ({person})' if person else ''}")
    stamp = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)
    counts: dict[str, int] = {}
    for block in sorted(blocks, key=lambda b: (b.start.astimezone(UTC), b.task_id)):
        counts[block.task_id] = counts.get(block.task_id, 0) + 1
        title = titles.get(block.task_id, "")
        ev = Event()
        ev.add("uid", focus_uid(block.task_id, counts[block.task_id]))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", block.start.astimezone(UTC).replace(microsecond=0))
        ev.add("dtend", block.end.astimezone(UTC).replace(microsecond=0))
        ev.add("summary", f"Focus: {title}" if title else f"Focus: {block.task_id}")
        note = f"Focus block for {block.task_id}" + (" (outside working hours)" if block.odd_hours else "")
        ev.add("description", note)
        ev.add("categories", ["FOCUS"])
        ev.add("transp", "OPAQUE")
        ev.add("sequence", 0)
        ev.add("x-tpm-task", block.task_id)
        cal.add_component(ev)
    return cal.to_ical()


INVITE_PRODID = "-//tpm//meeting invite//EN"


def meeting_uid(start: datetime, emails: Sequence[str], title: str) -> str:
    """A UID for a meeting booked from ``tpm meet``: the same time, people and title give the
    same UID, so writing the invitation again updates the event in a client, never doubles it."""
    key = f"{start.astimezone(UTC):%Y%m%dT%H%M%SZ}|{','.join(sorted(e.lower() for e in emails))}|{title}"
    return f"tpm-meet-{hashlib.sha1(key.encode()).hexdigest()[:16]}@tpm"


def invite_to_ics(start: datetime, end: datetime, title: str, attendees: Sequence[Person], now: datetime, *,
                  organizer: Person | None = None, description: str = "") -> bytes:
    """An invitation (iTIP ``METHOD:REQUEST``) for one meeting a calendar client opens and
    sends: ``organizer`` (listed as an attendee who accepted, when among ``attendees``) and
    every other attendee asked to answer. Times in UTC. Without an organizer it is a plain
    ``PUBLISH`` of the event (a request must name who organises it)."""
    cal = Calendar()
    cal.add("prodid", INVITE_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST" if organizer is not None else "PUBLISH")
    stamp = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)
    ev = Event()
    ev.add("uid", meeting_uid(start, [p.email for p in attendees], title))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", start.astimezone(UTC).replace(microsecond=0))
    ev.add("dtend", end.astimezone(UTC).replace(microsecond=0))
    ev.add("summary", title)
    if description:
        ev.add("description", description)
    ev.add("sequence", 0)
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    if organizer is not None:
        org = vCalAddress(f"mailto:{organizer.email}")
        org.params["cn"] = vText(organizer.name or organizer.handle)
        ev.add("organizer", org)
    for p in attendees:
        who = vCalAddress(f"mailto:{p.email}")
        who.params["cn"] = vText(p.name or p.handle)
        if organizer is not None and p.handle == organizer.handle:
            who.params["role"] = vText("CHAIR")
            who.params["partstat"] = vText("ACCEPTED")
        else:
            who.params["role"] = vText("REQ-PARTICIPANT")
            who.params["partstat"] = vText("NEEDS-ACTION")
            who.params["rsvp"] = vText("TRUE")
        ev.add("attendee", who, encode=0)
    cal.add_component(ev)
    return cal.to_ical()


REPLY_PRODID = "-//tpm//answer//EN"


def reply_to_ics(meeting: Any, email: str, name: str, partstat: str, now: datetime) -> bytes:
    """My answer to an invitation (iTIP ``METHOD:REPLY``, RFC 5546 3.2.3): the meeting's UID,
    SEQUENCE and times, its organizer, and me as the one attendee with ``partstat``. Sent to
    the organizer (a mail client opens it), it records the answer in their calendar; ``tpm
    import`` of it does the same here. No RECURRENCE-ID: the answer is for the whole series."""
    cal = Calendar()
    cal.add("prodid", REPLY_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REPLY")
    ev = Event()
    ev.add("uid", meeting.uid)
    ev.add("dtstamp", (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0))
    for prop, value in (("dtstart", meeting.start), ("dtend", meeting.end)):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC)
        ev.add(prop, value)  # a date stays a date, a floating time floating
    ev.add("sequence", meeting.sequence)
    if meeting.recurrence_id:  # one occurrence answered: which one
        ev.add("recurrence-id", _recurrence_value(meeting.recurrence_id))
    if meeting.summary:
        ev.add("summary", meeting.summary)
    if meeting.organizer:
        ev.add("organizer", vCalAddress(f"mailto:{meeting.organizer.lower().removeprefix('mailto:')}"))
    who = vCalAddress(f"mailto:{email}")
    if name:
        who.params["cn"] = vText(name)
    who.params["partstat"] = vText(partstat)
    ev.add("attendee", who, encode=0)
    cal.add_component(ev)
    return cal.to_ical()


def _recurrence_value(key: str) -> Any:
    """A stored recurrence key (``20261203T083000Z``, ``20261203T083000``, ``20261203``) as the
    value icalendar writes back: UTC, floating, or a date."""
    from datetime import date as _date

    if "T" not in key:
        return _date(int(key[:4]), int(key[4:6]), int(key[6:8]))
    stamp = datetime.strptime(key[:15], "%Y%m%dT%H%M%S")
    return stamp.replace(tzinfo=UTC) if key.endswith("Z") else stamp
