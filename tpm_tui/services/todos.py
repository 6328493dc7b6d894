"""To-dos from a calendar (VTODO): Apple Reminders, Thunderbird, Outlook, Evolution.

``tpm task import reminders.ics`` makes each to-do a task, as a Taskwarrior export does
(``services.taskwarrior``, whose planner does the rest: Taskwarrior's task format was
modelled on the VTODO, so a to-do is read into that shape). How it maps:

* SUMMARY → title, DESCRIPTION → a note, CATEGORIES → tags;
* DUE (a date, or a time in its zone; floating times in yours) → due; DTSTART + DURATION
  when there is no DUE; a DTSTART ahead → snoozed until then (not to start before);
* STATUS: NEEDS-ACTION → todo, IN-PROCESS → doing, COMPLETED → done (with its COMPLETED
  time), CANCELLED → left out;
* PRIORITY 1–4 → high, 5 or none → normal, 6–9 → low (RFC 5545; Outlook, Reminders and
  Thunderbird write 1, 5 and 9);
* RELATED-TO: a sub-task (RELTYPE=PARENT, the default) must be done before its parent,
  so the parent depends on it; DEPENDS-ON (RFC 9253) and CHILD as they say;
* RRULE FREQ=DAILY/WEEKLY/MONTHLY/YEARLY with INTERVAL (BYDAY=MO..FR: weekdays) → repeat;
* the calendar's name (X-WR-CALNAME, the Reminders list) → project, else ``--project``;
* UID → ``ics:<uid>`` as the task's source: importing the same file again adds only what
  is new.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from tpm_tui.domain import InputError

PREFIX = "ics:"
_STATUS = {"COMPLETED": "completed", "CANCELLED": "deleted"}
_FREQ = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_WEEKDAYS = {"MO", "TU", "WE", "TH", "FR"}


def looks_like_icalendar(data: bytes) -> bool:
    """Does the file start as iCalendar does (after a byte-order mark and blank lines)?"""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].upper() == b"BEGIN:VCALENDAR"


def _stamp(value: Any, tz: tzinfo) -> str | None:
    """A parsed time as Taskwarrior writes one (UTC); a date is its local midnight (read
    back as that date), a floating time is in ``tz``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
    elif isinstance(value, date):
        aware = datetime.combine(value, time(0), tzinfo=tz)
    else:
        return None
    try:
        return aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    except (OverflowError, ValueError):  # year 1 or 9999 at the edge of a zone
        return None


def _priority(p: int) -> str:
    if 1 <= p <= 4:
        return "H"
    if 6 <= p <= 9:
        return "L"
    return "M"


def _repeat(rrule: str | None) -> str | None:
    """tpm's words for a to-do's RRULE (``every 2 weeks``), None when it has none; a rule tpm
    cannot say (BYSETPOS, hourly…) comes back as itself, which the planner names in a warning."""
    if not rrule:
        return None
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    unit = _FREQ.get(parts.get("FREQ", ""))
    try:
        count = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return rrule
    days = {d.strip()[-2:] for d in parts.get("BYDAY", "").split(",") if d.strip()}
    if unit in ("day", "week") and days == _WEEKDAYS and count == 1:
        return "weekdays"
    if unit is None or count < 1 or set(parts) - {"FREQ", "INTERVAL", "WKST", "BYDAY", "BYMONTHDAY", "BYMONTH"}:
        return rrule
    return f"every {count} {unit}s" if count > 1 else {"day": "daily", "week": "weekly", "month": "monthly",
                                                        "year": "yearly"}[unit]


def records(todos: list[Any], tz: tzinfo, *, list_name: str = "") -> list[dict[str, Any]]:
    """The to-dos as records of a Taskwarrior export (``plan_import``'s input)."""
    by_uid = {t.uid: t for t in todos if t.uid}
    depends: dict[str, list[str]] = {}
    for t in todos:
        for kind, other in t.related:
            if other not in by_uid or other == t.uid:
                continue
            if kind == "PARENT":  # t is a step of ``other``: the parent waits for it
                depends.setdefault(other, []).append(t.uid)
            elif kind in ("CHILD", "DEPENDS-ON"):
                depends.setdefault(t.uid, []).append(other)
    out: list[dict[str, Any]] = []
    for n, t in enumerate(todos, start=1):
        uid = t.uid or f"line-{t.line or n}"
        status = _STATUS.get(t.status, "pending")
        record: dict[str, Any] = {
            "uuid": uid,
            "description": t.summary or "(no title)",
            "status": status,
            "priority": _priority(t.priority),
            "due": _stamp(t.due, tz),
            "scheduled": _stamp(t.start, tz),
            "entry": _stamp(t.created, tz),
            "modified": _stamp(t.modified, tz),
            "end": _stamp(t.completed, tz) if status == "completed" else None,
            "tags": [c for c in t.categories if c.strip()],
            "depends": list(dict.fromkeys(depends.get(t.uid, ()))) if t.uid else [],
        }
        if list_name:
            record["project"] = list_name
        if t.status == "IN-PROCESS":
            record["start"] = record["entry"] or record["modified"] or "started"
        if t.description:
            record["annotations"] = [{"entry": record["entry"] or record["modified"], "description": t.description}]
        repeat = _repeat(t.rrule) if status == "pending" else None
        if repeat:
            record["recur"] = repeat
        out.append({k: v for k, v in record.items() if v not in (None, [], "")})
    return out


def read(data: bytes, *, source: str, tz: tzinfo) -> tuple[list[dict[str, Any]], list[str]]:
    """The to-dos of calendar bytes as export records, and the warnings of reading them;
    :class:`InputError` (one line) when the file is no calendar or holds no to-do."""
    from tpm_tui.domain import ImportFailed
    from tpm_tui.ics.parse import parse_calendar

    try:
        parsed = parse_calendar(data, source=source)
    except ImportFailed as exc:
        raise InputError(str(exc)) from None
    if not parsed.todos:
        n = len(parsed.meetings)
        events = f" ({n} meeting{'s' if n != 1 else ''}: tpm import takes {'them' if n != 1 else 'it'})" if n else ""
        raise InputError(f"{source}: no to-dos (VTODO) in this calendar{events}")
    warnings = list(parsed.warnings)
    if parsed.meetings:
        n = len(parsed.meetings)
        warnings.append(f"{source}: {n} meeting{'s' if n != 1 else ''} left out: tpm import {source} takes "
                        f"{'them' if n != 1 else 'it'}")
    name = parsed.names[0] if len(set(parsed.names)) == 1 else ""
    return records(parsed.todos, tz, list_name=name), warnings


__all__ = ["PREFIX", "looks_like_icalendar", "read", "records"]
