"""My notes on meetings: talking points before one, decisions and follow-ups after it.

What Outlook's meeting notes (OneNote) and a paper notebook do for a manager running a dozen
meetings a day. A note belongs to one occurrence — Tuesday's stand-up, not every stand-up — and
the next occurrence of the series shows the last one's notes ("Last time, Tue 24 Nov: …"), which
is what a weekly 1:1 or steering meeting needs. Notes live in their own table, keyed by the
meeting's UID and the occurrence: no organizer's update, re-export (``--replace``) or
cancellation touches them, and they keep the meeting's title and time as it was, so they still
read well after the meeting is gone. Each note is journaled (``u`` / ``tpm undo``).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from tpm_tui.domain import InputError, MeetingNotes, Note, Occurrence, When
from tpm_tui.domain import notes_key as key_of

if TYPE_CHECKING:
    from tpm_tui.services.triage import Outcome
    from tpm_tui.storage import Store

MAX_NOTE = 2000
"""Characters in one note (a note is a few lines, not a document)."""


def occurrence_key(occ: Occurrence) -> str:
    """Which occurrence: its RECURRENCE-ID key; "" for a single event."""
    return occ.recurrence_id or ""


def notes_key(occ: Occurrence) -> str:
    return key_of(occ.uid, occ.recurrence_id)


def day_text(start: When, tz: tzinfo | None = None) -> str:
    """``Mon 30 Nov``: the day of ``start`` (a time: in ``tz`` when given)."""
    if tz is not None and isinstance(start, datetime) and start.tzinfo is not None:
        start = start.astimezone(tz)
    return f"{start:%a %d %b}"


def add_note(store: Store, occ: Occurrence, text: str, now: datetime, tz: tzinfo | None = None) -> Outcome:
    """Add a note to the occurrence (journaled: undo takes it back); ``tz``: the zone its day is said in."""
    from tpm_tui.services.triage import record_change

    text = text.strip()
    if not text:
        raise InputError("NOTE: write something")
    if len(text) > MAX_NOTE:
        raise InputError(f"NOTE: {len(text):,} characters; at most {MAX_NOTE:,} in one note")
    meeting = occ.meeting
    title = meeting.summary or "(no title)"
    with store.transaction():
        old = store.meeting_notes_of(notes_key(occ))
        base = old or MeetingNotes(uid=occ.uid, occurrence=occurrence_key(occ), start=occ.start, summary=title)
        new = base._replace(notes=(*base.notes, Note(at=now, text=text)))
        store.put_meeting_notes(new)
        return record_change(store, "meeting_notes", "meeting note", f"note on {title} ({day_text(occ.start, tz)})",
                              old, new, ["notes"], now)


def fix_note(store: Store, occ: Occurrence, which: int, text: str | None, now: datetime,
             tz: tzinfo | None = None, at: datetime | None = None) -> Outcome:
    """Give note ``which`` (0-based, oldest first) of the occurrence a new ``text``, or remove
    it (``text`` None); journaled (undo puts it back). ``at``: see
    :func:`tpm_tui.services.triage.edited_notes`."""
    from tpm_tui.services.triage import edited_notes, record_change

    if text is not None and len(text.strip()) > MAX_NOTE:
        raise InputError(f"NOTE: {len(text.strip()):,} characters; at most {MAX_NOTE:,} in one note")
    with store.transaction():
        old = store.meeting_notes_of(notes_key(occ))
        none = (f"no notes on {occ.meeting.summary or occ.uid} ({day_text(occ.start, tz)}) to change: "
                f"n in Today adds one (tpm meeting note UID TEXT --on DATE)")
        new_notes = edited_notes(old.notes if old is not None else (), which, text, at, none=none)
        assert old is not None  # edited_notes refuses an empty list
        new = old._replace(notes=new_notes)
        store.put_meeting_notes(new)
        said = "removed" if text is None else "fixed"
        return record_change(store, "meeting_notes", "meeting note",
                             f"note {which + 1} on {old.summary} ({day_text(old.start, tz)}) {said}",
                             old, new, ["notes"], now)


def notes_of(store: Store, occ: Occurrence) -> MeetingNotes | None:
    """My notes on that occurrence."""
    return store.meeting_notes_of(notes_key(occ))


def last_time(store: Store, occ: Occurrence) -> MeetingNotes | None:
    """The notes of the latest earlier occurrence of the same series that has notes."""
    from tpm_tui.storage.store import _start_key

    mine = _start_key(occ.start)
    earlier = [n for n in store.meeting_notes() if n.uid == occ.uid and n.notes and _start_key(n.start) < mine]
    return earlier[-1] if earlier else None


def notes_of_meeting(store: Store, uid: str) -> list[MeetingNotes]:
    """Every occurrence's notes of meeting ``uid``, earliest first."""
    return [n for n in store.meeting_notes() if n.uid == uid and n.notes]


def search_notes(found: list[MeetingNotes], words: str) -> list[MeetingNotes]:
    """Of ``found``, the notes whose text has every one of ``words`` (any case), each under
    its meeting; meetings left with none are left out."""
    wanted = [w.casefold() for w in words.split()]
    out = []
    for n in found:
        kept = tuple(x for x in n.notes if all(w in x.text.casefold() for w in wanted))
        if kept:
            out.append(n._replace(notes=kept))
    return out


__all__ = ["MAX_NOTE", "add_note", "day_text", "fix_note", "last_time", "notes_key", "notes_of", "notes_of_meeting",
           "occurrence_key", "search_notes"]
