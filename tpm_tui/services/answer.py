"""Answering an invitation: accept, maybe, decline — stored, and as a reply to send.

What Outlook's Accept / Tentative / Decline buttons do. The answer is "me"'s PARTSTAT on
the meeting (the series and its exceptions alike; or one occurrence alone, on its
exception), so a declined meeting stops taking my time (free time, plan, conflicts,
reminders) at once;
journaled, so ``u`` / ``tpm undo`` takes it back. tpm sends no mail: the reply
(``METHOD:REPLY``, :func:`tpm_tui.ics.export.reply_to_ics`) is written to a file that the
mail client or calendar sends to the organizer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoneinfo import ZoneInfo

from tpm_tui.domain import Attendee, InputError, Meeting, NotFoundError, Occurrence, When, recurrence_value
from tpm_tui.logic.timeutil import zone as zone_of

if TYPE_CHECKING:
    from tpm_tui.services.triage import Outcome
    from tpm_tui.storage import Store

ANSWERS = {"accept": "ACCEPTED", "accepted": "ACCEPTED", "yes": "ACCEPTED",
           "tentative": "TENTATIVE", "maybe": "TENTATIVE",
           "decline": "DECLINED", "declined": "DECLINED", "no": "DECLINED"}
SAID = {"ACCEPTED": "Accepted", "TENTATIVE": "Tentatively accepted", "DECLINED": "Declined"}
MIN_PREFIX = 4
UTC_ZONE = ZoneInfo("UTC")


def parse_answer(text: str) -> str:
    """``accept`` / ``tentative`` / ``decline`` (or yes / maybe / no) → the PARTSTAT."""
    got = ANSWERS.get(text.strip().lower())
    if got is None:
        raise InputError(f"ANSWER: {text!r} is not an answer (accept, tentative or decline)")
    return got


def find_meeting(store: Store, text: str) -> Meeting:
    """The meeting (its series master, or the single event) whose UID is ``text``, or starts
    with it (at least 4 characters, one meeting)."""
    uid = text.strip()
    found = {m.uid: m for m in store.meetings() if m.uid == uid or (len(uid) >= MIN_PREFIX and m.uid.startswith(uid))}
    if uid in found:
        found = {uid: found[uid]}
    if not found:
        raise NotFoundError(f"no meeting with UID {uid!r} (tpm agenda --format json lists them)")
    if len(found) > 1:
        shown = ", ".join(sorted(found)[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
        raise InputError(f"UID {uid!r} names {len(found)} meetings ({shown}): give more of it")
    only = next(iter(found))
    return store.meeting(only, None) or next(m for m in store.meetings() if m.uid == only)


def _with_answer(m: Meeting, email: str, name: str, partstat: str) -> Meeting | None:
    """``m`` with my answer (None when it is my answer already); an invitation that does not
    name me (forwarded) gets me added."""
    attendees = list(m.attendees)
    at = next((i for i, a in enumerate(attendees) if a.email.lower() == email), None)
    if at is None:
        attendees.append(Attendee(email, name, partstat, "REQ-PARTICIPANT"))
    elif attendees[at].partstat.upper() != partstat:
        attendees[at] = attendees[at]._replace(partstat=partstat)
    else:
        return None
    return m._replace(attendees=tuple(attendees))


def as_exception(master: Meeting, rid: str, start: When, end: When) -> Meeting:
    """One occurrence of series ``master`` as an exception of its own (to hold my answer to it)."""
    return master._replace(recurrence_id=rid, start=start, end=end, rrule=None, rdate=(), exdate=(),
                           range_future=False)


def my_partstat(m: Meeting, email: str) -> str | None:
    """My answer on ``m`` (``email`` in lower case); None when it does not name me."""
    return next((a.partstat.upper() for a in m.attendees if a.email.lower() == email), None)


def _answered(partstat: str | None) -> bool:
    return partstat is not None and partstat != "NEEDS-ACTION"


def rescheduled(new: Meeting, old: Meeting) -> bool:
    """The organizer moved it: a new SEQUENCE with other times or another rule. RFC 5546
    (2.1.4) asks attendees to answer such a version again."""
    return new.sequence > old.sequence and (new.start, new.end, new.rrule, new.rdate) != (
        old.start, old.end, old.rrule, old.rdate)


def carry_answer(new: Meeting, old: Meeting, email: str) -> Meeting:
    """``new``, a version of ``old`` read from a file, with the answer I gave ``old`` — when
    the file has none of mine (an organizer's update or re-send, a calendar exported again:
    they say NEEDS-ACTION until my reply reaches the organizer) and the organizer did not
    move it. An answer of mine in the file (my own calendar's export) wins."""
    mine = my_partstat(old, email)
    if not _answered(mine) or new.cancelled or rescheduled(new, old) or _answered(my_partstat(new, email)):
        return new
    return _mine_set(new, old, email)


def _mine_set(new: Meeting, old: Meeting, email: str) -> Meeting:
    """``new`` with my answer as ``old`` has it (me added, as on ``old``, when ``new`` does not name me)."""
    me = next(a for a in old.attendees if a.email.lower() == email)
    attendees = list(new.attendees)
    at = next((i for i, a in enumerate(attendees) if a.email.lower() == email), None)
    if at is None:
        attendees.append(me)
    else:
        attendees[at] = attendees[at]._replace(partstat=me.partstat)
    return new._replace(attendees=tuple(attendees))


def occurrence_at(master: Meeting, rid: str) -> Occurrence | None:
    """The occurrence of series ``master`` whose RECURRENCE-ID is ``rid`` (None: none)."""
    from tpm_tui.logic.recurrence import MeetingIndex

    when = recurrence_value(rid)
    if when is None:
        return None
    at = when if isinstance(when, datetime) else datetime.combine(when, time(0))
    at = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    near = MeetingIndex([master]).between(at - timedelta(days=2), at + timedelta(days=2), UTC_ZONE)
    return next((o for o in near if o.recurrence_id == rid), None)


def carried_exception(override: Meeting, old_master: Meeting, new_master: Meeting, email: str) -> Meeting | None:
    """An exception that holds only my answer to one occurrence (``A`` … that day only), made
    again from ``new_master`` — the series as the organizer sends it now — when that
    occurrence is still there at the same time; None for any other exception (the
    organizer's own, which they resend while it holds) or when the occurrence moved or went."""
    mine = my_partstat(override, email)
    rid = override.recurrence_id
    if rid is None or not _answered(mine) or mine == my_partstat(old_master, email):
        return None
    made = as_exception(old_master, rid, override.start, override.end)
    others = lambda m: tuple(a for a in m.attendees if a.email.lower() != email)  # noqa: E731
    if (override._replace(attendees=(), dtstamp=None) != made._replace(attendees=(), dtstamp=None)
            or others(override) != others(old_master)):
        return None
    occ = occurrence_at(new_master, rid)
    if occ is None or (occ.start, occ.end) != (override.start, override.end):
        return None
    again = as_exception(new_master, rid, occ.start, occ.end)
    if my_partstat(again, email) == mine:
        return None  # the series now says that answer itself
    return _mine_set(again, override, email)


def occurrence_on(store: Store, uid: str, day: date, tz: tzinfo) -> Occurrence:
    """The occurrence of series ``uid`` on local ``day`` (``tpm answer --on``)."""
    from tpm_tui.logic.recurrence import MeetingIndex

    parts = [m for m in store.meetings() if m.uid == uid]
    start = datetime.combine(day, time(0), tzinfo=tz)
    found = [o for o in MeetingIndex(parts).between(start, start + timedelta(days=1), tz)  # type: ignore[arg-type]
             if (o.start.date() if isinstance(o.start, datetime) else o.start) == day]
    if not found:
        title = parts[0].summary if parts else uid
        raise InputError(f"--on: {title!r} has no occurrence on {day:%a %d %b %Y}")
    return found[0]


def to_answer(store: Store, now: datetime, days: int, tz: str) -> list[Any]:
    """The invitations waiting for my answer (NEEDS-ACTION) in ``days`` local days from
    ``now``'s: the next occurrence of each that has not ended (a series once), earliest
    first, as day views."""
    from tpm_tui.services.brief import agenda

    seen: set[str] = set()
    out = []
    for _day, views in agenda(store, now.astimezone(zone_of(tz)).date(), days, tz):
        for v in views:
            over = isinstance(v.end, datetime) and v.end <= now
            if (v.my_answer == "NEEDS-ACTION" and not over and v.occurrence.uid not in seen
                    and not v.occurrence.meeting.cancelled):
                seen.add(v.occurrence.uid)
                out.append(v)
    return out


def answer_meeting(store: Store, uid: str, partstat: str, now: datetime, *,
                   reply_to: Path | None = None, occurrence: Occurrence | None = None) -> Outcome:
    """Store my ``partstat`` on every stored part of meeting ``uid`` (journaled) and, with
    ``reply_to``, write the reply there (atomically, after the database).

    ``occurrence``: answer that one occurrence of a series only ("I can't make Thursday's"):
    its exception gets the answer, made from the series when there is none (it goes, with the
    answer, when the organizer sends a new version of the series)."""
    from tpm_tui.ics.export import reply_to_ics
    from tpm_tui.services.triage import Outcome, record_meetings
    from tpm_tui.storage.atomic import write_bytes_atomic

    settings = store.settings()
    me = store.person(settings.me) if settings.me else None
    if me is None or not me.email:
        raise InputError("who are you? tpm set me HANDLE (a person with your e-mail) answers as you")
    email = me.email.lower()
    with store.transaction():
        parts = [m for m in store.meetings() if m.uid == uid]
        if not parts:
            raise NotFoundError(f"no meeting with UID {uid!r}")
        main = next((m for m in parts if m.recurrence_id is None), parts[0])
        if main.organizer.lower().removeprefix("mailto:") == email:
            raise InputError(f"you organise {main.summary or uid!r}: there is nothing to answer")
        before, after = [], []
        title = main.summary or "(no title)"
        if occurrence is not None and occurrence.recurrence_id is not None:
            rid = occurrence.recurrence_id
            old = next((m for m in parts if m.recurrence_id == rid), None)
            base = old if old is not None else as_exception(main, rid, occurrence.start, occurrence.end)
            new = _with_answer(base, email, me.name, partstat)
            if new is not None:
                before.extend([old] if old is not None else [])
                after.append(new)
            main = new or base
            title += f" ({occurrence.start:%a %d %b} only)"
        else:
            for m in parts:
                new = _with_answer(m, email, me.name, partstat)
                if new is not None:
                    before.append(m)
                    after.append(new)
        summary = f"{SAID[partstat]}: {title}"
        entry_id = None
        if after:
            store.put_meetings(after)
            entry_id = record_meetings(store, "answer", summary, before, after, [], now).id
    if reply_to is not None:
        write_bytes_atomic(reply_to, reply_to_ics(main, me.email, me.name, partstat, now))
    message = summary if after else f"{summary} (already your answer)"
    return Outcome(message, None, entry_id)


__all__ = ["ANSWERS", "answer_meeting", "as_exception", "carried_exception", "carry_answer", "find_meeting",
           "my_partstat", "occurrence_at", "occurrence_on", "parse_answer", "rescheduled", "to_answer"]
