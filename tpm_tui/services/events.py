"""Your own appointments: what khal's ``new`` and calcurse's appointments do, in tpm.

A dentist's visit, a school run, an offsite not in the company calendar: ``tpm event add
"Dentist" --at "thu 14:00" --duration 1h`` stores it as a meeting of calendar ``tpm``
organised by you, so it takes your time everywhere the imported meetings do — free time
for risk, the plan, ``tpm meet``, the workload, clashes — and shows in Today and the
agenda. ``--with priya,tom`` makes them attendees (their time too; ``tpm meet --invite``
is the way to send an invitation). Journaled like every change (``tpm undo``); ``tpm event
rm UID`` removes one (an imported meeting is answered or declined instead, ``tpm answer``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from tpm_tui.domain import (APPOINTMENTS, Attendee, InputError, Meeting, NotFoundError, Occurrence, is_appointment,
                            no_person)
from tpm_tui.logic.repeat import Rule, from_rrule, parse_rule, to_rrule

if TYPE_CHECKING:
    from tpm_tui.services.triage import Outcome
    from tpm_tui.storage import Store

CALENDAR = APPOINTMENTS
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


def parse_at(text: str, today: date, tz: ZoneInfo) -> datetime:
    """``14:00`` (today), ``thu 14:00``, ``tomorrow 9:30``, ``2026-12-03 14:00``,
    ``2026-12-03T14:00`` — read in ``tz``."""
    from tpm_tui.services.entry import parse_date

    t = " ".join(re.sub(r"^(\d{4}-\d{2}-\d{2})T", r"\1 ", text.strip()).split())
    day_text, _, clock = t.rpartition(" ")
    m = _TIME.match(clock)
    if m is None or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise InputError(f"--at: {text!r} is not a day and a time (14:00, thu 14:00, 2026-12-03 14:00)")
    day = parse_date(day_text, today, field="--at") if day_text else today
    return datetime(day.year, day.month, day.day, int(m.group(1)), int(m.group(2) or 0), tzinfo=tz)


class Line(NamedTuple):
    """What the dashboard's one line for an appointment says."""

    title: str
    start: datetime
    length: timedelta
    repeat: Rule | None = None


def parse_line(text: str, today: date, tz: ZoneInfo) -> Line:
    """The dashboard's one line for an appointment: ``TITLE @ WHEN [LENGTH] [REPEAT]`` —
    ``Dentist @ thu 14:00 45m``, ``Offsite prep @ 2026-12-03 09:00 3h`` (an hour when no
    length), ``Gym @ mon 07:00 1h weekly``, ``1:1 Priya @ fri 10:00 30m every 2 weeks`` (the
    repeat in words, as a task's: daily, weekdays, weekly, monthly…)."""
    from tpm_tui.services.entry import parse_duration

    title, at, rest = text.rpartition("@")
    if not at or not title.strip():
        raise InputError("write it as TITLE @ WHEN [LENGTH] [REPEAT], e.g. Dentist @ thu 14:00 45m")
    words = rest.split()
    repeat = None
    for k in range(1, len(words)):  # the longest tail in words that is a repeat (2w: a length's look-alike, no)
        if words[k][:1].isalpha():
            try:
                repeat = parse_rule(" ".join(words[k:]), field="repeat")
            except InputError:
                continue
            words = words[:k]
            break
    length = timedelta(hours=1)
    if len(words) > 1 and re.fullmatch(r"\d+(?:\.\d+)?h(?:\d+m?)?|\d+m(?:in)?", words[-1].lower()):
        length = parse_duration(words[-1], field="length")
        words = words[:-1]
    return Line(" ".join(title.split()), parse_at(" ".join(words), today, tz), length, repeat)


def add_event(store: Store, title: str, start: datetime, length: timedelta, now: datetime, *,
              with_handles: tuple[str, ...] = (), repeat: Rule | None = None) -> tuple[Meeting, Outcome, list[str]]:
    """Store the appointment (journaled), repeating by ``repeat`` when given; with the titles
    of my meetings it overlaps (on its first day)."""
    from tpm_tui.services.triage import Outcome, record_meetings

    title = " ".join(title.split())
    if not title:
        raise InputError("TITLE: give the appointment a title")
    settings = store.settings()
    me = store.person(settings.me) if settings.me else None
    if me is None or not me.email:
        raise InputError("who are you? tpm set me HANDLE (a person with your e-mail): the appointment is yours")
    others = []
    for handle in with_handles:
        person = store.person(handle)
        if person is None:
            raise InputError("--with: " + no_person(handle, store.people()))
        if person.handle != me.handle and person.email:
            others.append(Attendee(person.email.lower(), person.name, "ACCEPTED"))
    key = f"{start.isoformat()}|{title}|{now.isoformat()}"
    uid = f"tpm-event-{hashlib.sha1(key.encode()).hexdigest()[:12]}@tpm"
    tzid = getattr(start.tzinfo, "key", None)
    meeting = Meeting(uid=uid, start=start, end=start + length, calendar=CALENDAR, summary=title,
                      organizer=me.email.lower(), attendees=(Attendee(me.email.lower(), me.name, "ACCEPTED"), *others),
                      tzid=tzid, dtstamp=now, sequence=0, rrule=to_rrule(repeat) if repeat else None)
    with store.transaction():
        store.put_meetings([meeting])
        entry = record_meetings(store, "event", f"appointment {title} added", [], [meeting], [], now)
    clashes = _clashes(store, meeting, start.tzinfo)  # type: ignore[arg-type]
    return meeting, Outcome(_said(meeting), None, entry.id), clashes


def _said(m: Meeting) -> str:
    """``Dentist: Thu 03 Dec 14:00–14:45`` (``, weekly`` when it repeats)."""
    rule = from_rrule(m.rrule)
    return f"{m.summary}: {m.start:%a %d %b %H:%M}–{m.end:%H:%M}" + (f", {rule.text}" if rule else "")


def _clashes(store: Store, meeting: Meeting, tz: ZoneInfo) -> list[str]:
    """The titles of my other meetings that overlap it (as Today marks them)."""
    from tpm_tui.services.brief import agenda

    day = meeting.start.date()  # type: ignore[union-attr]
    for _day, views in agenda(store, day, 1, str(tz)):
        for v in views:
            if v.occurrence.uid == meeting.uid:
                summaries = {w.occurrence.uid: w.summary for w in views}
                return [summaries.get(u, u) for u in v.conflicts_with]
    return []


def is_mine(meeting: Meeting) -> bool:
    """An appointment made in tpm (``tpm event add``, ``E``), not an imported meeting."""
    return is_appointment(meeting)


def find_appointment(store: Store, uid: str) -> Meeting:
    """The appointment whose UID is ``uid`` (or starts with it, 8 characters at least)."""
    matches = [m for m in store.meetings() if m.uid == uid or (len(uid) >= 8 and m.uid.startswith(uid))]
    if not matches:
        raise NotFoundError(f"no appointment {uid!r} (tpm agenda --format json lists the UIDs)")
    meeting = next((m for m in matches if m.uid == uid), matches[0])
    if not is_mine(meeting):
        raise InputError(f"{meeting.summary or meeting.uid!r} came from an invitation: tpm answer "
                         f"{meeting.uid} decline frees its time")
    return meeting


def line_of(meeting: Meeting, tz: ZoneInfo) -> str:
    """The one line ``E`` reads, for an appointment: ``Dentist @ 2026-12-03 14:00 45m``."""
    from tpm_tui.logic.render import minutes_text

    start = meeting.start.astimezone(tz)  # type: ignore[union-attr]
    minutes = round((meeting.end - meeting.start).total_seconds() / 60)  # type: ignore[operator]
    rule = from_rrule(meeting.rrule)
    return f"{meeting.summary} @ {start:%Y-%m-%d %H:%M} {minutes_text(minutes)}" + (f" {rule.text}" if rule else "")


KEEP = "keep"
"""``change_event(repeat=KEEP)``: the repeat stays as it is."""


def change_event(store: Store, uid: str, now: datetime, *, title: str | None = None,
                 start: datetime | None = None, length: timedelta | None = None,
                 repeat: Rule | None | str = KEEP) -> tuple[Meeting, Outcome, list[str]]:
    """Rename, move, resize or (un)repeat an appointment (journaled: undo puts it back); with
    the titles of my meetings it overlaps at its new time. What is not given stays
    (``repeat=None``: it stops repeating)."""
    from tpm_tui.services.triage import Outcome, record_meetings

    if title is not None and not " ".join(title.split()):
        raise InputError("TITLE: give the appointment a title")
    with store.transaction():
        old = find_appointment(store, uid)
        begin = start if start is not None else old.start
        span = length if length is not None else old.end - old.start  # type: ignore[operator]
        if span <= timedelta(0):
            raise InputError("--duration: an appointment lasts a minute at least")
        new = old._replace(summary=" ".join(title.split()) if title is not None else old.summary, start=begin,
                           end=begin + span, tzid=getattr(begin.tzinfo, "key", None) or old.tzid,  # type: ignore[operator]
                           sequence=old.sequence + 1, dtstamp=now,
                           rrule=old.rrule if repeat == KEEP else to_rrule(repeat) if repeat else None)  # type: ignore[arg-type]
        if new._replace(sequence=old.sequence, dtstamp=old.dtstamp) == old:
            return old, Outcome(f"{old.summary}: nothing to change", None, None), []
        store.put_meetings([new])
        entry = record_meetings(store, "event", f"appointment {new.summary} changed", [old], [new], [], now)
    clashes = _clashes(store, new, begin.tzinfo)  # type: ignore[arg-type]
    return new, Outcome(_said(new), None, entry.id), clashes


def remove_event(store: Store, uid: str, now: datetime, *, only: Occurrence | None = None,
                 tz: ZoneInfo | None = None) -> Outcome:
    """Remove an appointment made in tpm (journaled); an imported meeting is refused.
    ``only``: of a repeating one, that occurrence alone (an EXDATE; the others stay);
    ``tz``: the zone its day is said in."""
    from tpm_tui.services.triage import Outcome, record_meetings

    with store.transaction():
        meeting = find_appointment(store, uid)
        if only is not None:
            if not meeting.rrule:
                raise InputError(f"{meeting.summary!r} does not repeat: remove it whole")
            start = only.start.astimezone(tz) if tz is not None and isinstance(only.start, datetime) else only.start
            new = meeting._replace(exdate=(*meeting.exdate, only.start), sequence=meeting.sequence + 1, dtstamp=now)
            store.put_meetings([new])
            said = f"{meeting.summary} on {start:%a %d %b} removed (the other days stay)"
            entry = record_meetings(store, "event", f"appointment {said}", [meeting], [new], [], now)
            return Outcome(said, None, entry.id)
        store.delete_meetings([meeting.key])
        entry = record_meetings(store, "event", f"appointment {meeting.summary} removed", [meeting], [],
                                [meeting.key], now)
    return Outcome(f"{meeting.summary} removed", None, entry.id)


__all__ = ["CALENDAR", "KEEP", "Line", "add_event", "change_event", "find_appointment", "is_mine", "line_of",
           "parse_at", "parse_line", "remove_event"]
