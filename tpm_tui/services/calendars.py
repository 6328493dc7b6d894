"""Calendars: the names meetings were imported under (``tpm import --calendar NAME``).

A calendar is not a record of its own: it is the ``calendar`` field its meetings share
("" for an import without ``--calendar``). Removing one deletes its meetings in one
journaled transaction, so ``u`` / ``tpm undo`` puts every one of them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from tpm_tui.domain import NotFoundError, When
from tpm_tui.services.triage import Outcome, record_meetings

if TYPE_CHECKING:
    from tpm_tui.storage import Store


@dataclass(frozen=True, slots=True)
class CalendarSummary:
    name: str
    meetings: int  # stored records: single meetings, recurring series and changed occurrences
    series: int  # of which recurring series
    cancelled: int  # of which cancelled (kept so that a late copy cannot bring them back)
    first: date | None  # the earliest start among them
    last: date | None  # the latest start (a series counts by its first occurrence)

    @property
    def label(self) -> str:
        return self.name or "(no name)"


def _day(value: When) -> date:
    return value.date() if isinstance(value, datetime) else value


def calendars(store: Store) -> list[CalendarSummary]:
    """Every calendar name in use, with what it holds, by name ("" first)."""
    groups: dict[str, list[object]] = {}
    for m in store.meetings():
        groups.setdefault(m.calendar, []).append(m)
    out = []
    for name in sorted(groups):
        ms = groups[name]
        days = [_day(m.start) for m in ms]  # type: ignore[attr-defined]
        out.append(CalendarSummary(
            name=name,
            meetings=len(ms),
            series=sum(1 for m in ms if m.rrule or m.rdate),  # type: ignore[attr-defined]
            cancelled=sum(1 for m in ms if m.cancelled),  # type: ignore[attr-defined]
            first=min(days),
            last=max(days),
        ))
    return out


def remove_calendar(store: Store, name: str, now: datetime) -> Outcome:
    """Delete every meeting filed under calendar ``name``, journaled (undo puts them back)."""
    with store.transaction():
        gone = [m for m in store.meetings() if m.calendar == name]
        if not gone:
            known = ", ".join(repr(c.name) for c in calendars(store)) or "none yet"
            raise NotFoundError(f"no calendar {name!r} (calendars: {known})")
        keys = [m.key for m in gone]
        store.delete_meetings(keys)
        label = name or "(no name)"
        summary = f"calendar {label} removed ({len(gone)} meeting{'' if len(gone) == 1 else 's'})"
        entry = record_meetings(store, "calendar-remove", summary, gone, [], keys, now, extra={"calendar": name})
    return Outcome(summary, None, entry.id)


__all__ = ["CalendarSummary", "calendars", "remove_calendar"]


@dataclass(frozen=True, slots=True)
class Stranger:
    """An attendee (or organiser) of imported meetings who is not a person here: odd hours,
    free time and conflicts are judged only for people, so they are left out of all three."""

    email: str
    name: str  # as the invites name them (CN); "" when none does
    meetings: int  # stored meetings naming them (a recurring series counts once)
    zone: str | None  # the zone of the meetings they organised, most used first: likely theirs
    handle: str  # a free handle to add them under

    def add_command(self) -> str:
        """The ``tpm person add`` line that makes them a person (``--tz ZONE`` when unknown)."""
        import re
        import shlex

        name = self.name or " ".join(w.capitalize() for w in re.split(r"[._+-]+", self.email.split("@")[0]) if w)
        zone = self.zone or "ZONE"
        return (f"tpm person add {shlex.quote(self.handle)} --name {shlex.quote(name)} "
                f"--email {shlex.quote(self.email)} --tz {shlex.quote(zone) if self.zone else zone}")


def strangers(store: Store) -> list[Stranger]:
    """Everyone the imported meetings name (attendees and organisers, by e-mail) who is not a
    person here, most meetings first. Cancelled meetings do not count."""
    import re
    from collections import Counter

    from tpm_tui.services.entry import EMAIL_RE, HANDLE_RE

    known = {p.email.lower() for p in store.people()}
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = {}
    zones: dict[str, Counter[str]] = {}
    for m in store.meetings():
        if m.cancelled:
            continue
        seen: set[str] = set()
        organiser = m.organizer.strip().lower().removeprefix("mailto:")
        if organiser:
            seen.add(organiser)
            if m.tzid:
                zones.setdefault(organiser, Counter())[m.tzid] += 1
        for a in m.attendees:
            if a.role == "NON-PARTICIPANT":  # a room, or copied for information: no working hours
                continue
            email = a.email.strip().lower()
            seen.add(email)
            if a.name.strip() and "@" not in a.name:  # a CN that is an address names nobody
                names.setdefault(email, Counter())[a.name.strip()] += 1
        for email in seen:
            if email not in known and EMAIL_RE.match(email):
                counts[email] += 1
    taken = {p.handle for p in store.people()}
    out = []
    for email, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        local = email.split("@")[0]
        handle = ""
        for candidate in (re.split(r"[._+-]", local)[0], re.sub(r"[^a-z0-9_.-]", "", local)[:32]):
            if candidate and HANDLE_RE.match(candidate) and candidate not in taken:
                handle = candidate
                break
        if not handle:  # both taken: the local part with a number
            base = re.sub(r"[^a-z0-9_.-]", "", local)[:28] or "person"
            handle = next(f"{base}{i}" for i in range(2, 10_000) if f"{base}{i}" not in taken)
        taken.add(handle)
        name = names[email].most_common(1)[0][0] if email in names else ""
        zone = zones[email].most_common(1)[0][0] if email in zones else None
        out.append(Stranger(email, name, n, zone, handle))
    return out
