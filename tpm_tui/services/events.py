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
import os
import re
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from tpm_tui.domain import (APPOINTMENTS, Attendee, InputError, Meeting, MeetingNotes, NotFoundError, Occurrence,
                            When, is_appointment, no_person, recurrence_key, recurrence_value)
from tpm_tui.logic.repeat import Rule, from_rrule, parse_rule, to_rrule

if TYPE_CHECKING:
    from tpm_tui.services.triage import Outcome
    from tpm_tui.storage import Store

CALENDAR = APPOINTMENTS
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


def parse_at(text: str, today: date, tz: ZoneInfo, *, same_day: date | None = None,
             weekday_from: date | None = None) -> datetime:
    """``14:00`` (today, or ``same_day`` when given: a change of time alone keeps the day of
    what it changes), ``thu 14:00``, ``tomorrow 9:30``, ``2026-12-03 14:00``,
    ``2026-12-03T14:00`` — read in ``tz``. A weekday is the next one after today, or with
    ``weekday_from`` (one day of a series changed alone) the one in that day's week (Monday
    to Sunday): Thursday's meeting moved to ``fri 19:00`` lands on the day after it, to
    ``tue 19:00`` two days before."""
    from tpm_tui.services.entry import _WEEKDAY_WORDS, parse_date

    t = " ".join(re.sub(r"^(\d{4}-\d{2}-\d{2})T", r"\1 ", text.strip()).split())
    day_text, _, clock = t.rpartition(" ")
    m = _TIME.match(clock)
    if m is None or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise InputError(f"--at: {text!r} is not a day and a time (14:00, thu 14:00, 2026-12-03 14:00)")
    word = day_text.lower()
    if weekday_from is not None and word.isalpha() and word[:3] in _WEEKDAY_WORDS:
        day = weekday_from + timedelta(days=_WEEKDAY_WORDS[word[:3]] - weekday_from.weekday())
    else:
        day = parse_date(day_text, today, field="--at") if day_text else same_day or today
    return datetime(day.year, day.month, day.day, int(m.group(1)), int(m.group(2) or 0), tzinfo=tz)


class Line(NamedTuple):
    """What the dashboard's one line for an appointment says."""

    title: str
    start: datetime
    length: timedelta
    repeat: Rule | None = None


def parse_line(text: str, today: date, tz: ZoneInfo, *, weekday_from: date | None = None) -> Line:
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
    return Line(" ".join(title.split()), parse_at(" ".join(words), today, tz, weekday_from=weekday_from), length, repeat)


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


def _said(m: Meeting, *, repeat: bool = True) -> str:
    """``Dentist: Thu 03 Dec 14:00–14:45`` (``, weekly`` when it repeats; ``repeat=False``:
    one day of it, without the title)."""
    if not repeat:
        return f"{m.start:%a %d %b %H:%M}–{m.end:%H:%M}"
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
        raise NotFoundError(f"no appointment {uid!r} (tpm event list gives the UIDs)")
    exact = [m for m in matches if m.uid == uid] or matches
    meeting = next((m for m in exact if m.recurrence_id is None), exact[0])  # the series, not a changed day
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


def _own_days(store: Store, uid: str) -> list[Meeting]:
    """The days of series ``uid`` changed on their own (its overrides)."""
    return [m for m in store.meetings() if m.uid == uid and m.recurrence_id is not None]


def _original(rid: str, series: Meeting) -> datetime | None:
    """The start the occurrence ``rid`` of ``series`` has as the rule makes it, in the series' zone."""
    value = recurrence_value(rid)
    if not isinstance(value, datetime) or not isinstance(series.start, datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=series.start.tzinfo)
    return value.astimezone(series.start.tzinfo) if series.start.tzinfo else value


def _wall_shift(value: When, delta: timedelta, zone: tzinfo | None) -> When:
    """``value`` moved by ``delta`` on the wall clock of ``zone``: where a series' occurrence
    goes when its start moves by ``delta`` (07:00 → 06:30 on every day, across a DST change too)."""
    if isinstance(value, datetime) and value.tzinfo is not None and zone is not None:
        return (value.astimezone(zone).replace(tzinfo=None) + delta).replace(tzinfo=zone)
    return value + delta


def _days_text(days: list[Meeting], series: Meeting, tz: tzinfo | None) -> str:
    """``Thu 10 Dec`` / ``Thu 10 Dec, Tue 15 Dec`` / ``4 days``: the days of ``days`` as the rule makes them."""
    starts = [x for x in (_original(d.recurrence_id or "", series) for d in days) if x is not None]
    if len(starts) != len(days) or len(days) > 3:
        return _plural_days(len(days))
    return ", ".join(f"{(x.astimezone(tz) if tz else x):%a %d %b}" for x in sorted(starts))


def _plural_days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


class Mine(NamedTuple):
    """One appointment of mine, as ``tpm event list`` says it."""

    meeting: Meeting  # the series (or the single one)
    next_start: datetime | None  # its next occurrence from now (None: none left)
    next_end: datetime | None
    changed: tuple[When, ...]  # of a series: the days changed alone (as the rule makes them)
    repeat: str  # the repeat in words ("" for a single one)


def my_appointments(store: Store, now: datetime, *, everything: bool = False) -> list[Mine]:
    """My appointments (``tpm event add``, ``E``): those still ahead (one going on counts), the
    next first; ``everything``: past ones too, after them."""
    from tpm_tui.logic.recurrence import MeetingIndex
    from tpm_tui.logic.rrule_text import describe

    parts: dict[str, list[Meeting]] = {}
    for m in store.meetings():
        if is_mine(m):
            parts.setdefault(m.uid, []).append(m)
    out: list[Mine] = []
    horizon = now + timedelta(days=400)
    for uid, found in parts.items():
        series = next((m for m in found if m.recurrence_id is None), None)
        if series is None:
            continue
        changed = tuple(sorted(x for x in (_original(m.recurrence_id or "", series) for m in found
                                           if m.recurrence_id is not None) if x is not None))
        ahead = [o for o in MeetingIndex(found).between(now, horizon, ZoneInfo("UTC"))
                 if isinstance(o.end, datetime) and o.end > now]
        nxt = ahead[0] if ahead else None
        if nxt is None and not everything:
            continue
        words = (describe(series.rrule, series.start) or from_rrule(series.rrule).text  # type: ignore[union-attr]
                 if series.rrule else "")
        out.append(Mine(series, nxt.start if nxt else None, nxt.end if nxt else None,  # type: ignore[arg-type]
                        changed, words))
    far = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    out.sort(key=lambda r: (r.next_start is None, r.next_start or far, r.meeting.summary, r.meeting.uid))
    return out


def change_event(store: Store, uid: str, now: datetime, *, title: str | None = None,
                 start: datetime | None = None, length: timedelta | None = None,
                 repeat: Rule | None | str = KEEP, only: Occurrence | None = None,
                 tz: tzinfo | None = None) -> tuple[Meeting, Outcome, list[str]]:
    """Rename, move, resize or (un)repeat an appointment (journaled: undo puts it back); with
    the titles of my meetings it overlaps at its new time. What is not given stays
    (``repeat=None``: it stops repeating). ``only``: of a repeating one, that occurrence alone
    (an override, as a calendar stores "this event only"; ``tz``: the zone its day is said in).

    A change to every day keeps the days changed on their own: each follows the series in
    what it did not change itself (its time, length or title). When the repeat itself changes
    or stops, those days go back to the series (said in the outcome; undo brings them back)."""
    from tpm_tui.services.triage import Outcome, record_meetings

    if title is not None and not " ".join(title.split()):
        raise InputError("TITLE: give the appointment a title")
    with store.transaction():
        old = find_appointment(store, uid)
        if only is not None:
            return _change_one_day(store, old, only, now, title, start, length, repeat, tz)
        begin = start if start is not None else old.start
        span = length if length is not None else old.end - old.start  # type: ignore[operator]
        if span <= timedelta(0):
            raise InputError("--duration: an appointment lasts a minute at least")
        rrule = old.rrule if repeat == KEEP else to_rrule(repeat) if repeat else None  # type: ignore[arg-type]
        summary = " ".join(title.split()) if title is not None else old.summary
        new = old._replace(summary=summary, start=begin, end=begin + span,  # type: ignore[operator]
                           tzid=getattr(begin.tzinfo, "key", None) or old.tzid,  # type: ignore[union-attr]
                           sequence=old.sequence + 1, dtstamp=now, rrule=rrule)
        if new._replace(sequence=old.sequence, dtstamp=old.dtstamp) == old:
            return old, Outcome(f"{old.summary}: nothing to change", None, None), []
        days = _own_days(store, old.uid) if old.rrule else []
        zone = old.start.tzinfo if isinstance(old.start, datetime) else None
        delta = timedelta(0)
        if isinstance(old.start, datetime) and isinstance(begin, datetime):
            delta = begin.astimezone(zone).replace(tzinfo=None) - old.start.astimezone(zone).replace(tzinfo=None)
        followed: list[Meeting] = []
        dropped: list[Meeting] = []
        if rrule and rrule == old.rrule:
            if delta:
                new = new._replace(exdate=tuple(_wall_shift(x, delta, zone) for x in old.exdate))
            old_span = old.end - old.start  # type: ignore[operator]
            for day in days:
                was = _original(day.recurrence_id or "", old)
                if was is None:
                    continue  # not a key of ours: left as it is
                moved_alone = day.start != was
                at = day.start if moved_alone else _wall_shift(was, delta, zone)
                own_span = day.end - day.start  # type: ignore[operator]
                followed.append(day._replace(
                    recurrence_id=recurrence_key(_wall_shift(was, delta, zone)),
                    start=at, end=at + (own_span if own_span != old_span else span),  # type: ignore[operator]
                    summary=day.summary if day.summary != old.summary else summary,
                    sequence=new.sequence, dtstamp=now))
        else:
            dropped = days
            if not rrule:
                new = new._replace(exdate=(), rdate=())
        store.put_meetings([new, *followed])
        gone = [d.key for d in days if d.key not in {f.key for f in followed}]
        store.delete_meetings(gone)
        summary_said = f"appointment {new.summary} changed"
        notes = notes_following(store, old, new)
        batch = {"batch": f"event-{os.urandom(6).hex()}", "batch_summary": summary_said} if notes else None
        entry = record_meetings(store, "event", summary_said, [old, *days], [new, *followed], gone, now, extra=batch)
        move_notes(store, notes, summary_said, now, batch)
    said = _said(new)
    if dropped:
        which = _days_text(dropped, old, tz or zone)
        said += f"; {which}: {'its own change' if len(dropped) == 1 else 'their own changes'} dropped (the repeat changed)"
    clashes = _clashes(store, new, begin.tzinfo)  # type: ignore[arg-type]
    return new, Outcome(said, None, entry.id), clashes


def notes_following(store: Store, old: Meeting, new: Meeting) -> list[tuple[MeetingNotes, MeetingNotes]]:
    """My notes on days of series ``old``, keyed anew for ``new``: the same series (an
    organizer's update, or my own change) whose start moved, with the same repeat — every
    day moves as its start does, so a note stays with its day. Another repeat: none (which
    day becomes which is not known)."""
    if not old.rrule or old.rrule != new.rrule or old.recurrence_id or new.recurrence_id:
        return []
    a, b = old.start, new.start
    if not isinstance(a, datetime) or not isinstance(b, datetime) or (a.tzinfo is None) != (b.tzinfo is None):
        return []
    zone = a.tzinfo
    delta = b - a if zone is None else b.astimezone(zone).replace(tzinfo=None) - a.replace(tzinfo=None)
    return _notes_moved(store, old, delta, zone) if delta else []


def move_notes(store: Store, moved: list[tuple[MeetingNotes, MeetingNotes]], said: str, now: datetime,
               extra: dict[str, object] | None) -> None:
    """Store my notes keyed anew (:func:`notes_following`), journaled with ``extra`` (the batch
    of the change that moved their days: one undo takes both back)."""
    from tpm_tui.services.triage import record_change

    for before, after in moved:
        store.delete_meeting_notes(before.key)
        store.put_meeting_notes(after)
        record_change(store, "meeting_notes", "meeting note", said, before, None, [], now, extra=extra)
        record_change(store, "meeting_notes", "meeting note", said, None, after, [], now, extra=extra)


def _notes_moved(store: Store, series: Meeting, delta: timedelta, zone: tzinfo | None
                 ) -> list[tuple[MeetingNotes, MeetingNotes]]:
    """My notes on days of ``series``, keyed anew for its start moved by ``delta`` (wall time
    in ``zone``): (as they are, as they become)."""
    out = []
    for n in store.meeting_notes():
        if n.uid != series.uid or not n.occurrence:
            continue
        was = _original(n.occurrence, series)
        if was is None:
            continue
        moved = _wall_shift(was, delta, zone)
        key = recurrence_key(moved)
        if key != n.occurrence:  # its start moves too, unless that day had a time of its own
            start = moved if n.start == was else n.start
            out.append((n, n._replace(occurrence=key, start=start)))
    return out


def _change_one_day(store: Store, series: Meeting, only: Occurrence, now: datetime, title: str | None,
                    start: datetime | None, length: timedelta | None, repeat: Rule | None | str,
                    tz: tzinfo | None) -> tuple[Meeting, Outcome, list[str]]:
    """``change_event(only=...)``: store that occurrence as an override of ``series`` (inside
    the caller's transaction); one changed back to what the rule makes drops its override."""
    from tpm_tui.services.triage import Outcome, record_meetings

    if not series.rrule:
        raise InputError(f"{series.summary!r} does not repeat: change it without --on")
    if repeat != KEEP:
        raise InputError("the repeat is the series': change it for every day (without --on); one day cannot repeat")
    rid = only.recurrence_id or recurrence_key(only.start)
    existing = store.meeting(series.uid, rid)
    base = existing or series._replace(recurrence_id=rid, start=only.start, end=only.end, rrule=None, rdate=(),
                                       exdate=(), range_future=False)
    begin = start if start is not None else base.start
    span = length if length is not None else base.end - base.start  # type: ignore[operator]
    if span <= timedelta(0):
        raise InputError("--duration: an appointment lasts a minute at least")
    summary = " ".join(title.split()) if title is not None else base.summary
    new = base._replace(summary=summary, start=begin, end=begin + span,  # type: ignore[operator]
                        tzid=getattr(begin.tzinfo, "key", None) or base.tzid,  # type: ignore[union-attr]
                        sequence=series.sequence, dtstamp=now)
    was = _original(rid, series)
    day = was if was is not None else only.start
    day_text = f"{(day.astimezone(tz) if tz is not None and isinstance(day, datetime) else day):%a %d %b}"
    if new._replace(sequence=base.sequence, dtstamp=base.dtstamp) == base:
        return base, Outcome(f"{series.summary} on {day_text}: nothing to change", None, None), []
    as_the_rule = (summary == series.summary and begin == was
                   and span == series.end - series.start)  # type: ignore[operator]
    if as_the_rule:
        assert existing is not None  # else nothing changed, above
        store.delete_meetings([existing.key])
        said = f"{series.summary} on {day_text} as the other days again: {_said(new, repeat=False)}"
        entry = record_meetings(store, "event", f"appointment {said}", [existing], [], [existing.key], now)
        return new, Outcome(said, None, entry.id), _clashes(store, new, begin.tzinfo)  # type: ignore[arg-type]
    store.put_meetings([new])
    said = f"{series.summary} on {day_text} only: {_said(new, repeat=False)} (the other days stay)"
    entry = record_meetings(store, "event", f"appointment {said}", [existing] if existing else [], [new], [], now)
    return new, Outcome(said, None, entry.id), _clashes(store, new, begin.tzinfo)  # type: ignore[arg-type]


def remove_event(store: Store, uid: str, now: datetime, *, only: Occurrence | None = None,
                 tz: tzinfo | None = None) -> Outcome:
    """Remove an appointment made in tpm (journaled), with the days of it changed on their
    own; an imported meeting is refused. ``only``: of a repeating one, that occurrence alone
    (an EXDATE of the day the rule makes, and its own change if it had one; the others stay);
    ``tz``: the zone its day is said in."""
    from tpm_tui.services.triage import Outcome, record_meetings

    with store.transaction():
        meeting = find_appointment(store, uid)
        if only is not None:
            if not meeting.rrule:
                raise InputError(f"{meeting.summary!r} does not repeat: remove it whole")
            rid = only.recurrence_id or recurrence_key(only.start)
            was = _original(rid, meeting) or only.start
            start = was.astimezone(tz) if tz is not None and isinstance(was, datetime) else was
            existing = store.meeting(meeting.uid, rid)
            new = meeting._replace(exdate=(*meeting.exdate, was), sequence=meeting.sequence + 1, dtstamp=now)
            store.put_meetings([new])
            gone = [existing.key] if existing is not None else []
            store.delete_meetings(gone)
            said = f"{meeting.summary} on {start:%a %d %b} removed (the other days stay)"
            entry = record_meetings(store, "event", f"appointment {said}", [meeting, *([existing] if existing else [])],
                                    [new], gone, now)
            return Outcome(said, None, entry.id)
        parts = [meeting, *_own_days(store, meeting.uid)] if meeting.rrule else [meeting]
        keys = [m.key for m in parts]
        store.delete_meetings(keys)
        entry = record_meetings(store, "event", f"appointment {meeting.summary} removed", parts, [], keys, now)
    return Outcome(f"{meeting.summary} removed", None, entry.id)


__all__ = ["CALENDAR", "KEEP", "Line", "Mine", "add_event", "change_event", "find_appointment", "is_mine", "line_of", "my_appointments",
           "parse_at", "parse_line", "remove_event"]
