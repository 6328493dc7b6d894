"""Issues from Jira: the issue navigator's CSV export (Export → CSV, all or current fields).

A technology project manager's work often lives in Jira; ``tpm task import issues.csv`` brings
it over as tasks, read into the record shape of a Taskwarrior export so that one planner
(``services.taskwarrior.plan_import``) does the rest. How it maps:

* ``Issue key`` → the task's source (``jira:API-123``: the same file again adds only what is
  new; ``/API-123`` and ``tpm task list API-123`` find it), ``Summary`` → title,
  ``Description`` → a note;
* ``Project key`` / ``Project name`` → the project, else ``--project``;
* ``Status Category`` (To Do, In Progress, Done), else the status or resolution in words →
  todo, doing, done;
* ``Priority``: Highest/Blocker/Critical → critical, High/Major → high, Medium → normal,
  Low/Lowest/Minor/Trivial → low;
* ``Assignee`` → the person of that name (or e-mail, or handle); someone tpm does not know →
  unassigned, named in one warning (``--assignee`` sets one person for all);
* ``Due date``, ``Created``, ``Updated``, ``Resolved`` in Jira's formats (``30/Nov/26 9:30 AM``,
  ``2026-11-30``, ISO 8601); a time without a zone is in yours;
* ``Original Estimate`` / ``Remaining Estimate`` (seconds, as Jira exports them; or its own
  ``1w 2d 4h``) → estimate and hours left;
* ``Labels`` (one column per label) → tags; ``Inward issue link (Blocks)`` (this one is
  blocked by that) and ``Outward issue link (Blocks)`` → dependencies between the issues of
  the file.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from tpm_tui.domain import InputError, Person

PREFIX = "jira:"
_PRIORITY = {
    "highest": "critical", "blocker": "critical", "critical": "critical", "urgent": "critical",
    "high": "high", "major": "high", "medium": "normal", "normal": "normal",
    "low": "low", "lowest": "low", "minor": "low", "trivial": "low",
}
_DONE = ("done", "closed", "resolved", "complete", "completed", "released", "shipped", "fixed")
_DOING = ("in progress", "in review", "review", "in development", "in test", "testing", "doing", "in qa")
_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%y", "%d/%b/%Y",
            "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y")
MAX_ROWS = 100_000


def looks_like_jira(data: bytes) -> bool:
    """Is this a CSV whose header names Jira's ``Issue key`` and ``Summary`` (any separator)?"""
    head = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    return b"issue key" in head and b"summary" in head


def _when(text: str, tz: tzinfo) -> datetime | date | None:
    """A Jira date or date-time (a date-time with no zone is in ``tz``); None when it is none
    of Jira's formats."""
    t = text.strip()
    value: datetime | None = None
    try:
        value = datetime.fromisoformat(t.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _FORMATS:
            try:
                value = datetime.strptime(t, fmt)
                break
            except ValueError:
                continue
    if value is None:
        return None
    if value.tzinfo is None:
        if not re.search(r"\d:\d", t):
            return value.date()  # a date alone: Jira's due date
        value = value.replace(tzinfo=tz)
    return value


def _stamp(value: datetime | date | None, tz: tzinfo) -> str | None:
    """As a Taskwarrior export writes a time (UTC); a date is its local midnight."""
    if value is None:
        return None
    aware = value if isinstance(value, datetime) else datetime.combine(value, time(0), tzinfo=tz)
    try:
        return aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    except (OverflowError, ValueError):
        return None


def _hours(text: str) -> float | None:
    """An estimate: seconds (Jira's export), or Jira's own words (``1w 2d 4h 30m``)."""
    from tpm_tui.services.entry import effort_hours

    t = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return round(float(t) / 3600, 2)
    hours = effort_hours(t)
    return hours if hours is not None and hours <= 10_000 else None


def _people_index(people: list[Person]) -> dict[str, str]:
    """Whom a Jira assignee names: full name, e-mail or handle (any case) → handle."""
    out: dict[str, str] = {}
    for p in people:
        for name in (p.name, p.email, p.handle):
            if name:
                out.setdefault(" ".join(name.split()).casefold(), p.handle)
    return out


def records(data: bytes, *, source: str, tz: tzinfo, people: list[Person]) -> tuple[list[dict[str, Any]], list[str]]:
    """The issues of a Jira CSV export as Taskwarrior-export records, and what was said about
    them; :class:`InputError` (one line) when the file is not such an export."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's re-save of an export
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # re-saved by a European Excel
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise InputError(f"{source}: empty, not a Jira export")
    header = [h.strip().casefold() for h in rows[0]]

    def column(*names: str) -> int | None:
        return next((i for i, h in enumerate(header) if h in names), None)

    key_at, summary_at = column("issue key", "key"), column("summary")
    if key_at is None or summary_at is None:
        raise InputError(f"{source}: not a Jira export (its first line names no 'Issue key' and 'Summary')")
    if len(rows) - 1 > MAX_ROWS:
        raise InputError(f"{source}: {len(rows) - 1:,} issues; at most {MAX_ROWS:,} in one import")
    at = {
        "project": column("project key"), "project_name": column("project name"),
        "status": column("status"), "category": column("status category"), "resolution": column("resolution"),
        "priority": column("priority"), "assignee": column("assignee"), "due": column("due date", "due"),
        "created": column("created"), "updated": column("updated"), "resolved": column("resolved"),
        "estimate": column("original estimate", "σ original estimate"),
        "remaining": column("remaining estimate", "σ remaining estimate"),
        "description": column("description"),
    }
    labels = [i for i, h in enumerate(header) if h == "labels"]
    blocked_by = [i for i, h in enumerate(header) if h == "inward issue link (blocks)"]
    blocks = [i for i, h in enumerate(header) if h == "outward issue link (blocks)"]
    who = _people_index(people)
    warnings: list[str] = []
    strangers: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    keys = {r[key_at].strip() for r in rows[1:] if len(r) > key_at}
    waits: dict[str, list[str]] = {}  # issue key -> the keys it waits for
    seen: dict[str, int] = {}  # issue key -> the line it was read from
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = at.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        key = row[key_at].strip() if key_at < len(row) else ""
        where = f"{source}: line {n}" + (f" ({key})" if key else "")
        if not key:
            raise InputError(f"{where}: no issue key")
        if key in seen:  # two exports pasted together: the first row of a key counts
            warnings.append(f"{where}: {key} again: left out (line {seen[key]} has it)")
            continue
        seen[key] = n
        for i in blocked_by:
            if i < len(row) and row[i].strip() in keys and row[i].strip() != key:
                waits.setdefault(key, []).append(row[i].strip())
        for i in blocks:
            if i < len(row) and row[i].strip() in keys and row[i].strip() != key:
                waits.setdefault(row[i].strip(), []).append(key)
        category, status, resolution = cell("category").casefold(), cell("status").casefold(), cell("resolution")
        done = category == "done" or (not category and (status in _DONE or bool(resolution)
                                                          and resolution.casefold() not in ("unresolved", "none")))
        doing = not done and (category == "in progress" or (not category and status in _DOING))
        record: dict[str, Any] = {
            "uuid": key,
            "description": " ".join(row[summary_at].split()) if summary_at < len(row) else "",
            "status": "completed" if done else "pending",
        }
        if not record["description"]:
            record["description"] = f"(no summary: {key})"
        if doing:
            record["start"] = "in progress"
        project = cell("project") or key.rsplit("-", 1)[0]
        record["project"] = project
        if cell("project_name"):
            record["project_name"] = cell("project_name")
        priority = cell("priority").casefold()
        if priority:
            got = _PRIORITY.get(priority)
            if got is None:
                warnings.append(f"{where}: priority {cell('priority')!r} read as normal")
            record["priority"] = got or "normal"
        assignee = " ".join(cell("assignee").split())
        handle = who.get(assignee.casefold()) if assignee else None
        if assignee and handle is None:
            strangers[assignee] = strangers.get(assignee, 0) + 1
        if assignee or at["assignee"] is not None:  # an issue Jira has unassigned stays so
            record["assignee"] = handle or ""
        for name, field in (("due", "due"), ("created", "entry"), ("updated", "modified"), ("resolved", "end")):
            raw = cell(name)
            if not raw:
                continue
            value = _when(raw, tz)
            if value is None:
                warnings.append(f"{where}: {name} {raw!r} is not a date tpm reads (30/Nov/26 9:30 AM, "
                                "2026-11-30): left out")
                continue
            if name == "due" and isinstance(value, date) and not isinstance(value, datetime):
                record[field] = _stamp(value, tz)  # local midnight: read back as that date
            else:
                record[field] = _stamp(value, tz)
        for name in ("estimate", "remaining"):
            raw = cell(name)
            if raw:
                hours = _hours(raw)
                if hours is None:
                    warnings.append(f"{where}: {name} {raw!r} is not seconds or 1w 2d 4h: left out")
                else:
                    record[name] = hours
        tags = [row[i].strip() for i in labels if i < len(row) and row[i].strip()]
        if tags:
            record["tags"] = tags
        if cell("description"):
            record["annotations"] = [{"entry": record.get("entry"), "description": cell("description")}]
        out.append(record)
    for r in out:
        if r["uuid"] in waits:
            r["depends"] = list(dict.fromkeys(waits[r["uuid"]]))
    if strangers:
        named = ", ".join(f"{name} ({count})" for name, count in sorted(strangers.items(), key=lambda x: -x[1])[:6])
        more = f" and {len(strangers) - 6} more" if len(strangers) > 6 else ""
        warnings.append(f"{source}: assignees tpm does not know, left unassigned: {named}{more} "
                        "(tpm person add them, or --assignee)")
    return out, warnings


__all__ = ["PREFIX", "looks_like_jira", "records"]
