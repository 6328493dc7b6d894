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
