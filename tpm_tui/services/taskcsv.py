"""Tasks from a CSV file: Jira's issue export, Linear's, Asana's, or a spreadsheet of tasks.

A technology project manager's work often lives in Jira (or Linear, Asana, a sheet);
``tpm task import issues.csv`` brings it over as tasks, read into the record shape of a
Taskwarrior export so that one planner (``services.taskwarrior.plan_import``) does the rest.
Columns are found by their header, whatever the case and order:

* the id — ``Issue key`` (Jira), ``ID``, ``Key``, ``Task ID`` — is kept as the task's source
  (``jira:PAY-101``, else ``csv:ENG-7``): importing a newer export adds what is new and updates
  what changed there since (``Updated``); ``/PAY-101`` finds the task. A file without an id
  column matches its rows by title;
* ``Summary`` / ``Title`` / ``Name`` / ``Task`` → title; ``Description`` / ``Notes`` → a note;
* ``Project key`` / ``Project`` / ``Team`` and ``Project name`` → the project, else ``--project``;
* ``Status Category`` (Jira's To Do, In Progress, Done), else ``Status`` in words, else a
  ``Completed``/``Resolved`` date → todo, doing, done; canceled / won't do → left out;
* ``Priority``: Highest/Blocker/Urgent/P0 → critical, High/Major/P1 → high, Medium/P2/none →
  normal, Low/Lowest/Minor/Trivial/P3 → low;
* ``Assignee`` (or ``Assignee Email``, ``Owner``, ``Assigned to``) → the person of that name,
  e-mail or handle; someone tpm does not know → unassigned, named in one warning;
* ``Due date``, ``Start date`` (ahead: snoozed until then), ``Created``, ``Updated``,
  ``Resolved``/``Completed`` in Jira's formats (``30/Nov/26 9:30 AM``), ISO 8601 or
  ``2026-11-30``; a time without a zone is in yours;
* estimates: Jira's ``Original``/``Remaining Estimate`` in seconds; a column named in hours
  (``Estimate (h)``, ``Hours``) as hours; words (``1w 2d 4h``) anywhere; plain numbers under a
  bare ``Estimate`` (Linear's story points) are left out, said once;
* ``Labels`` / ``Tags`` (one column each, or a list in one cell) → tags; ``Blocks`` links
  (Jira's inward/outward, or ``Blocked by``) → dependencies between the file's tasks;
* a sub-task's ``Parent`` (Jira's parent key, or its ``Parent id`` — the parent's ``Issue id``
  — or ``Parent summary``; Linear's ``Parent issue``, Asana's ``Parent task`` by name): the
  parent waits for it (depends on it), as for a to-do's sub-tasks — a story is not done before
  its sub-tasks, an epic before its stories. A parent not in the file is left alone.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from tpm_tui.domain import InputError, Person

JIRA_PREFIX, CSV_PREFIX = "jira:", "csv:"
_PRIORITY = {
    "highest": "critical", "blocker": "critical", "critical": "critical", "urgent": "critical", "p0": "critical",
    "high": "high", "major": "high", "p1": "high", "medium": "normal", "normal": "normal", "p2": "normal",
    "no priority": "normal", "none": "normal", "low": "low", "lowest": "low", "minor": "low", "trivial": "low",
    "p3": "low", "p4": "low",
}
_DONE = ("done", "closed", "resolved", "complete", "completed", "released", "shipped", "fixed")
_DOING = ("in progress", "in review", "review", "in development", "in test", "testing", "doing", "in qa", "started")
_DROPPED = ("canceled", "cancelled", "won't do", "wont do", "duplicate", "declined")
_FORMATS = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%y", "%d/%b/%Y",
            "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y", "%b %d, %Y")
_TITLES = ("summary", "title", "name", "task", "task name")
_KEYS = ("issue key", "key", "id", "task id", "issue id", "issue")
MAX_ROWS = 100_000


def _split_header(first_line: str) -> tuple[str, list[str]]:
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # a European Excel's re-save
    return delimiter, [h.strip().strip('"').strip().casefold() for h in next(csv.reader([first_line], delimiter=delimiter), [])]


def looks_like_task_csv(data: bytes) -> bool:
    """Is this a CSV whose header names a title column (``Summary``, ``Title``, ``Name``…)?"""
    first = data.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", errors="replace").strip()
    if not first or first[:1] in "[{":
        return False
    _delimiter, header = _split_header(first)
    return len(header) >= 2 and any(h in _TITLES for h in header)


def _when(text: str, tz: tzinfo, today: date | None = None) -> datetime | date | None:
    """A date or date-time (one with no zone is in ``tz``); with ``today``, also the words tpm
    takes for a date (``fri``, ``tomorrow``, ``+3d``: a spreadsheet's); None when it is none."""
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
        if today is None:
            return None
        from tpm_tui.services.entry import parse_date

        try:
            return parse_date(t, today)
        except InputError:
            return None
    if value.tzinfo is None:
        if not re.search(r"\d:\d", t):
            return value.date()  # a date alone: a due date
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


def _hours(text: str, *, seconds: bool) -> float | None:
    """An estimate: a number (seconds in Jira's export, else hours), or words (``1w 2d 4h 30m``)."""
    from tpm_tui.services.entry import effort_hours

    t = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        hours = round(float(t) / 3600, 2) if seconds else float(t)
    else:
        hours = effort_hours(t)
    return hours if hours is not None and hours <= 10_000 else None


def _people_index(people: list[Person]) -> dict[str, str]:
    """Whom an assignee cell names: full name, e-mail or handle (any case) → handle."""
    out: dict[str, str] = {}
    for p in people:
        for name in (p.name, p.email, p.handle):
            if name:
                out.setdefault(" ".join(name.split()).casefold(), p.handle)
    return out


def records(data: bytes, *, source: str, tz: tzinfo, people: list[Person],
            today: date | None = None) -> tuple[list[dict[str, Any]], list[str], str]:
    """The tasks of a CSV file as Taskwarrior-export records, what was said about them, and the
    source prefix (``jira:`` for Jira's export, else ``csv:``); :class:`InputError` (one line)
    when the file names no title column. ``today``: a sheet's ``fri`` or ``+3d`` is read from it
    (not in a Jira export, whose dates are dates)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's re-save of an export
    delimiter, header = _split_header(text.split("\n", 1)[0].strip())
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise InputError(f"{source}: empty, no tasks")

    def column(*names: str) -> int | None:
        for name in names:  # in the order asked: the first name found wins
            if name in header:
                return header.index(name)
        return None

    title_at = column(*_TITLES)
    if title_at is None:
        raise InputError(f"{source}: no title column (Summary, Title, Name or Task) in its first line")
    if len(rows) - 1 > MAX_ROWS:
        raise InputError(f"{source}: {len(rows) - 1:,} rows; at most {MAX_ROWS:,} in one import")
    jira = "issue key" in header
    prefix = JIRA_PREFIX if jira else CSV_PREFIX
    key_at = column(*_KEYS)
    warnings: list[str] = []
    if key_at is None:
        warnings.append(f"{source}: no id column (ID, Key, Issue key): a later import matches its rows by title")
    estimate_at = column("original estimate", "σ original estimate", "estimate (h)", "estimate (hours)",
                         "estimated hours", "estimate hours", "hours", "estimate")
    remaining_at = column("remaining estimate", "σ remaining estimate", "remaining (h)", "remaining hours",
                          "remaining")
    estimate_header = header[estimate_at] if estimate_at is not None else ""
    plain_are_hours = "hour" in estimate_header or estimate_header.endswith("(h)") or estimate_header == "hours"
    at = {
        "project": column("project key", "project", "projects", "team"), "project_name": column("project name"),
        "status": column("status"), "category": column("status category"), "resolution": column("resolution"),
        "priority": column("priority"),
        "assignee": column("assignee", "assignee email", "assigned to", "owner"),
        "due": column("due date", "due", "due on", "deadline"), "start": column("start date", "start on"),
        "created": column("created", "created at", "created on"),
        "updated": column("updated", "updated at", "last modified", "modified"),
        "resolved": column("resolved", "completed at", "completed", "done at", "closed at"),
        "started": column("started", "started at"),
        "description": column("description", "notes"),
    }
    labels = [i for i, h in enumerate(header) if h in ("labels", "tags", "label", "tag")]
    blocked_by = [i for i, h in enumerate(header) if h in ("inward issue link (blocks)", "blocked by")]
    blocks = [i for i, h in enumerate(header) if h in ("outward issue link (blocks)", "blocks", "blocking")]
    parents = [i for i, h in enumerate(header)
               if h in ("parent", "parent key", "parent id", "parent issue", "parent task", "parent summary")]
    who = _people_index(people)
    strangers: dict[str, int] = {}
    points = 0
    out: list[dict[str, Any]] = []

    def key_of(row: list[str]) -> str:
        if key_at is not None:
            return row[key_at].strip() if key_at < len(row) else ""
        return " ".join(row[title_at].split()).casefold() if title_at < len(row) else ""

    keys = {key_of(r) for r in rows[1:]}
    # what a parent cell may name besides a key: Jira's numeric issue id, or a title
    also: dict[str, set[str]] = {}
    id_at = column("issue id") if parents and key_at is not None and header[key_at] != "issue id" else None
    for r in rows[1:]:
        k = key_of(r)
        for i in (id_at, title_at):
            if i is not None and i < len(r) and r[i].strip():
                also.setdefault(" ".join(r[i].split()).casefold(), set()).add(k)

    def parent_of(row: list[str], key: str) -> str | None:
        for i in parents:
            named = " ".join((row[i] if i < len(row) else "").split())
            if not named:
                continue
            if named in keys:
                return named if named != key else None
            got = also.get(named.casefold(), set())
            if len(got) == 1 and key not in got:  # a title two rows share names neither
                return next(iter(got))
        return None

    waits: dict[str, list[str]] = {}  # key -> the keys it waits for
    seen: dict[str, int] = {}  # key -> the line it was read from
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = at.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        key = key_of(row)
        title = " ".join(row[title_at].split()) if title_at < len(row) else ""
        where = f"{source}: line {n}" + (f" ({key})" if key_at is not None and key else "")
        if not key:
            raise InputError(f"{where}: no {'id' if key_at is not None else 'title'}")
        if key in seen:  # two exports pasted together: the first row of a key counts
            warnings.append(f"{where}: {key} again: left out (line {seen[key]} has it)")
            continue
        seen[key] = n
        for cells, waiting in ((blocked_by, True), (blocks, False)):
            for i in cells:
                for other in (o.strip() for o in (row[i] if i < len(row) else "").split(",")):
                    if other in keys and other != key:
                        waits.setdefault(key if waiting else other, []).append(other if waiting else key)
        parent = parent_of(row, key)
        if parent is not None:
            waits.setdefault(parent, []).append(key)
        category, status, resolution = cell("category").casefold(), cell("status").casefold(), cell("resolution")
        dropped = status in _DROPPED or resolution.casefold() in _DROPPED
        done = category == "done" or (not category and (status in _DONE or bool(cell("resolved"))
                                                          or bool(resolution) and resolution.casefold()
                                                          not in ("unresolved", "none")))
        doing = not done and (category == "in progress"
                              or (not category and (status in _DOING or bool(cell("started")))))
        record: dict[str, Any] = {
            "uuid": key,
            "description": title or f"(no title: {key})",
            "status": "deleted" if dropped else "completed" if done else "pending",
        }
        if doing:
            record["start"] = "in progress"
        project = cell("project") or (key.rsplit("-", 1)[0] if jira else "")
        if project:
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
        if at["assignee"] is not None:  # a task the file leaves unassigned stays so
            record["assignee"] = handle or ""
        for name, field in (("due", "due"), ("start", "scheduled"), ("created", "entry"), ("updated", "modified"),
                            ("resolved", "end")):
            raw = cell(name)
            if not raw:
                continue
            value = _when(raw, tz, None if jira else today)
            if value is None:
                warnings.append(f"{where}: {name} {raw!r} is not a date tpm reads (30/Nov/26 9:30 AM, "
                                "2026-11-30): left out")
                continue
            record[field] = _stamp(value, tz)
        for name, i in (("estimate", estimate_at), ("remaining", remaining_at)):
            raw = row[i].strip() if i is not None and i < len(row) else ""
            if not raw:
                continue
            if not jira and not plain_are_hours and re.fullmatch(r"\d+(?:\.\d+)?", raw):
                points += 1  # Linear's story points, not hours
                continue
            hours = _hours(raw, seconds=jira)
            if hours is None:
                warnings.append(f"{where}: {name} {raw!r} is not {'seconds' if jira else 'hours'} or 1w 2d 4h: "
                                "left out")
            else:
                record[name] = hours
        tags = [t.strip() for i in labels if i < len(row) for t in row[i].split(",") if t.strip()]
        if tags:
            record["tags"] = list(dict.fromkeys(tags))
        if cell("description"):
            record["annotations"] = [{"entry": record.get("entry"), "description": cell("description")}]
        out.append(record)
    for r in out:
        if r["uuid"] in waits:
            r["depends"] = list(dict.fromkeys(waits[r["uuid"]]))
    if points:
        warnings.append(f"{source}: {points} plain-number estimates left out (story points? a column named "
                        "'Estimate (hours)' or values like 4h are read as hours)")
    if strangers:
        named = ", ".join(f"{name} ({count})" for name, count in sorted(strangers.items(), key=lambda x: -x[1])[:6])
        more = f" and {len(strangers) - 6} more" if len(strangers) > 6 else ""
        warnings.append(f"{source}: assignees tpm does not know, left unassigned: {named}{more} "
                        "(tpm person add them, or --assignee)")
    return out, warnings, prefix


__all__ = ["CSV_PREFIX", "JIRA_PREFIX", "looks_like_task_csv", "records"]
