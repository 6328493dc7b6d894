"""Tasks from Taskwarrior: ``task export > tasks.json``, then ``tpm task import tasks.json``.

A Taskwarrior user's years of work should not have to be typed again. The export is a JSON
array of objects (https://taskwarrior.org/docs/design/task/): ``uuid``, ``description``,
``status`` (pending, waiting, completed, deleted, recurring), ``project`` (``Work.Reports``),
``due`` / ``entry`` / ``modified`` / ``end`` / ``wait`` as ``20261204T170000Z``, ``priority``
(H, M, L), ``tags``, ``depends`` (a list of uuids, or one comma-separated text before 2.6),
``annotations`` (``entry`` + ``description``), ``recur`` and ``parent`` for repeating tasks.

How it maps: a project becomes a project key (``Work.Reports`` → ``WORKREPORTS``, named as
in Taskwarrior), and each task takes the next id there; priority H/M/L → high/normal/low;
annotations → notes; ``wait`` → snoozed until that day; a due time at local midnight or
23:59 (Taskwarrior's ``due:fri``, ``due:eod``) → that date, other times kept; dependencies
follow the uuids; deleted tasks and recurrence templates are left out, and of the pending
instances of one recurrence only the latest carries its rule (done, it makes the next as
any repeating task). Each task keeps ``taskwarrior:<uuid>`` as its source, so importing the
same export again adds only what is new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from collections.abc import Collection, Mapping
from typing import Any

from tpm_tui.domain import PRIORITIES, InputError, Note, Project, Task, TaskStatus

SOURCE = "taskwarrior:"
PRIORITY = {"H": "high", "M": "normal", "L": "low"}
_RECUR = {
    "daily": "daily", "day": "daily", "1d": "daily", "weekdays": "weekdays", "weekly": "weekly", "week": "weekly",
    "1w": "weekly", "1wk": "weekly", "biweekly": "every 2 weeks", "fortnight": "every 2 weeks", "2w": "every 2 weeks",
    "monthly": "monthly", "month": "monthly", "1m": "monthly", "1mo": "monthly", "quarterly": "every 3 months",
    "3m": "every 3 months", "yearly": "yearly", "annual": "yearly", "1y": "yearly", "p1d": "daily", "p1w": "weekly",
    "p2w": "every 2 weeks", "p1m": "monthly", "p3m": "every 3 months", "p1y": "yearly",
}
MAX_TASKS = 100_000


@dataclass
class Plan:
    """What an import would do: the tasks to add (ids given), the projects to create, and
    what was left out or not understood (said, not fatal)."""

    tasks: list[Task] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    updated: list[tuple[Task, Task]] = field(default_factory=list)  # (as stored, as the newer export has it)
    already: int = 0  # imported before (same uuid) and not changed there since: left as they are
    gone: int = 0  # imported before and deleted here since: not brought back
    skipped: int = 0  # deleted, or recurrence templates
    warnings: list[str] = field(default_factory=list)


def _when(value: Any, what: str, where: str) -> datetime | None:
    """A Taskwarrior date (``20261204T170000Z``; also ISO 8601 with an offset) as aware UTC."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: {what} {value!r} is not a date")
    text = value.strip()
    try:
        if re.fullmatch(r"\d{8}T\d{6}Z", text):
            return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"{where}: {what} {value!r} is not a date") from None
    if parsed.tzinfo is None:
        raise InputError(f"{where}: {what} {value!r} has no time zone")
    return parsed.astimezone(UTC)


def _due(value: datetime | None, tz: tzinfo) -> date | datetime | None:
    """Midnight or the last minute of a local day (``due:fri``, ``due:eod``) is that day."""
    if value is None:
        return None
    try:
        local = value.astimezone(tz)
    except OverflowError:  # 9999-12-31 23:00 UTC is in year 10000 east of it
        return value
    if local.time() == time(0, 0) or (local.hour, local.minute) == (23, 59):
        return local.date()
    return value


_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+)S)?)?$")


def _hours(value: Any) -> float | None:
    """An ``estimate`` UDA as hours: a number (hours), or a duration as Taskwarrior writes one
    (``PT2H30M``, ``P1D`` = 24h: a UDA of type duration); None when it is neither."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        hours = float(value)
    elif isinstance(value, str):
        text = value.strip().upper()
        m = _DURATION.match(text)
        if m and text not in ("P", "PT"):
            d, h, mi, se = (float(x) if x else 0.0 for x in m.groups())
            hours = d * 24 + h + mi / 60 + se / 3600
        else:
            try:
                hours = float(text.removesuffix("H"))
            except ValueError:
                return None
    else:
        return None
    return round(hours, 2) if 0 <= hours <= 10_000 else None


_FOLLOWED = ("title", "status", "priority", "due", "depends_on", "tags", "estimate_hours", "remaining_hours",
             "snoozed_until", "updated_at")
"""The fields of a task imported before that follow a newer copy of its source (see :func:`plan_import`)."""


def _repeat_words(recur: Any) -> str | None:
    """tpm's words for a Taskwarrior ``recur`` (``weekly``, ``2w``, ``P1M``; also tpm's own
    ``every 3 weeks``); None when it names no rule tpm has."""
    from tpm_tui.logic.repeat import rule_text

    text = str(recur).strip().lower()
    got = _RECUR.get(text)
    if got is not None:
        return got
    try:
        return rule_text(text)
    except InputError:
        return None


def project_key(name: str) -> str:
    """A tpm project key for a Taskwarrior project name: its letters and digits, upper case, at
    most 12, starting with a letter (``Work.Reports`` → ``WORKREPORTS``, ``2027 plan`` → ``P2027PLAN``)."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()  # Ärger → Arger
    key = re.sub(r"[^A-Z0-9]", "", plain.upper())
    if not key:
        return ""
    if not key[0].isalpha():
        key = "P" + key
    return key[:12]


def plan_import(records: Any, *, tz: tzinfo, now: datetime, default_project: str, existing: Mapping[str, Task],
                known_projects: dict[str, Project], next_number: Any, source: str, prefix: str = SOURCE,
                default_assignee: str | None = None, deleted: Collection[str] = ()) -> Plan:
    """The tasks an export holds, as :class:`Plan` (nothing is written here).

    ``existing``: the tasks imported before, by source. One the file has again is left as it
    is unless the file's copy was modified after the task was last changed here (its
    ``updated_at``): then its title, status, priority, due date, hours, tags, dependencies,
    snooze (and assignee, when the file says whose) follow the file — a change made here
    later wins until the source changes again; its id, project, notes and repeat stay.

    ``deleted``: the sources of tasks deleted here: left out, not brought back.

    ``next_number(key)`` gives the next free number of a project (called once per project;
    numbers then count up); ``source`` names the file in messages; a wait or scheduled
    date before ``now`` hides nothing; ``prefix`` goes before each uuid in ``Task.source``
    (``ics:`` for the to-dos of a calendar, read into this shape by ``services.todos``;
    ``jira:`` / ``csv:`` for ``services.taskcsv``). Besides Taskwarrior's fields a record may carry
    ``assignee`` (a handle, ``""`` for nobody; else ``default_assignee``), ``remaining``
    (hours left), ``project_name`` and a priority in tpm's own words.
    :class:`InputError` with one line for what cannot be read at all (not a list of
    tasks, a date that is none)."""
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(f"{source}: not a Taskwarrior export (expected a JSON list of tasks, as `task export` "
                         "writes)")
    if len(records) > MAX_TASKS:
        raise InputError(f"{source}: {len(records):,} tasks; at most {MAX_TASKS:,} in one import")
    plan = Plan()
    kept: list[tuple[dict[str, Any], str]] = []  # (record, where)
    for n, r in enumerate(records, start=1):
        uuid = r.get("uuid")
        text = r.get("description")
        where = f"{source}: task {n}" + (f" ({text.strip()[:40]!r})" if isinstance(text, str) and text.strip() else "")
        if not isinstance(uuid, str) or not uuid.strip():
            raise InputError(f"{where}: no uuid (not a Taskwarrior export?)")
        if not isinstance(r.get("description"), str) or not r["description"].strip():
            raise InputError(f"{where}: no description")
        status = r.get("status", "pending")
        if status in ("deleted", "recurring"):
            plan.skipped += 1
            continue
        if status not in ("pending", "waiting", "completed"):
            raise InputError(f"{where}: status {status!r} is not one of pending, waiting, completed, deleted, "
                             "recurring")
        if prefix + uuid in deleted and prefix + uuid not in existing:
            plan.gone += 1  # deleted here: the user's word stands
            continue
        kept.append((r, where))
    # of the pending instances of one recurrence, the latest carries the rule
    latest: dict[str, tuple[datetime, str]] = {}
    for r, where in kept:
        parent = r.get("parent")
        if r.get("recur") and isinstance(parent, str) and r.get("status") != "completed":
            due = _when(r.get("due"), "due", where) or datetime.min.replace(tzinfo=UTC)
            if parent not in latest or due > latest[parent][0]:
                latest[parent] = (due, r["uuid"])
    numbers: dict[str, int] = {}
    ids: dict[str, str] = {}  # uuid -> tpm id
    keys: dict[str, str] = {}  # uuid -> project key
    new_projects: dict[str, Project] = {}
    before: dict[str, Task] = {}  # uuid -> the task imported from it before
    for r, _where in kept:
        old = existing.get(prefix + r["uuid"])
        if old is not None:
            before[r["uuid"]] = old
            ids[r["uuid"]], keys[r["uuid"]] = old.id, old.project
            continue
        name = r.get("project") if isinstance(r.get("project"), str) else ""
        key = keys[r["uuid"]] = project_key(name) or default_project
        if key not in known_projects and key not in new_projects:
            label = r.get("project_name") if isinstance(r.get("project_name"), str) else ""
            new_projects[key] = Project(key=key, name=label or name or key)
        if key not in numbers:
            numbers[key] = next_number(key)
        ids[r["uuid"]] = f"{key}-{numbers[key]}"
        numbers[key] += 1
    for r, where in kept:
        uuid = r["uuid"]
        key = keys[uuid]
        entry = _when(r.get("entry"), "entry", where)
        modified = _when(r.get("modified"), "modified", where)
        old = before.get(uuid)
        if old is not None and (modified is None or (old.updated_at is not None and modified <= old.updated_at)):
            plan.already += 1  # not changed at the source since it was imported (or changed here later)
            continue
        end = _when(r.get("end"), "end", where)
        wait = _when(r.get("wait"), "wait", where)
        scheduled = _when(r.get("scheduled"), "scheduled", where)
        if scheduled is not None and (wait is None or scheduled > wait):
            wait = scheduled  # not ready before it: hidden from the risk list until then, as a snooze
        estimate = _hours(r["estimate"]) if r.get("estimate") not in (None, "") else None
        if r.get("estimate") not in (None, "") and estimate is None:
            plan.warnings.append(f"{where}: estimate {r.get('estimate')!r} is not hours or a duration: left out")
        done = r.get("status") == "completed"
        priority = PRIORITY.get(str(r.get("priority") or "M").upper()) or (
            r["priority"] if r.get("priority") in PRIORITIES else None)
        if priority is None:
            plan.warnings.append(f"{where}: priority {r.get('priority')!r} read as normal")
            priority = "normal"
        tags_raw = r.get("tags") or []
        tags = tuple(dict.fromkeys(t for t in tags_raw if isinstance(t, str) and t.strip() and len(t) <= 40
                                   and t.isprintable())) if isinstance(tags_raw, list) else ()
        depends_raw = r.get("depends") or []
        if isinstance(depends_raw, str):
            depends_raw = [d.strip() for d in depends_raw.split(",") if d.strip()]
        depends = []
        for d in depends_raw if isinstance(depends_raw, list) else []:
            if d in ids:
                depends.append(ids[d])
            elif isinstance(d, str):
                plan.warnings.append(f"{where}: depends on {d[:8]}…, which is not in the export (deleted?): left out")
        notes = []
        for a in r.get("annotations") or []:
            if isinstance(a, dict) and isinstance(a.get("description"), str) and a["description"].strip():
                at = _when(a.get("entry"), "annotation entry", where) or entry or datetime.now(UTC)
                notes.append(Note(at=at, text=a["description"].strip()))
        repeat = None
        recur = r.get("recur")
        if recur and latest.get(str(r.get("parent")), (None, None))[1] == uuid:
            repeat = _repeat_words(recur)
            if repeat is None:
                plan.warnings.append(f"{where}: recur {recur!r} not understood: imported without repeating")
        elif recur and not r.get("parent") and not done:
            repeat = _repeat_words(recur)
            if repeat is None:
                plan.warnings.append(f"{where}: recur {recur!r} not understood: imported without repeating")
        due = _due(_when(r.get("due"), "due", where), tz)
        if due is not None and not 1970 <= due.year <= 2199:
            plan.warnings.append(f"{where}: due {due:%Y-%m-%d} (Taskwarrior's 'someday'?) read as no due date")
            due = None
        status = TaskStatus.DONE if done else TaskStatus.DOING if r.get("start") else TaskStatus.TODO
        remaining = estimate
        if r.get("remaining") not in (None, ""):
            remaining = _hours(r["remaining"])
            if remaining is None:
                plan.warnings.append(f"{where}: remaining {r.get('remaining')!r} is not hours: left out")
        if remaining is not None and estimate is not None and remaining > estimate:
            estimate = remaining  # the work grew past its estimate (Jira keeps both): as task add does
        if done:
            remaining = 0.0 if remaining is not None or estimate is not None else None
        who = r.get("assignee")
        assignee = (who or None) if isinstance(who, str) else default_assignee
        fresh = Task(
            id=ids[uuid], project=key, title=" ".join(r["description"].split()), status=status, priority=priority,
            due=due, depends_on=tuple(depends), tags=tags, estimate_hours=estimate, assignee=assignee,
            remaining_hours=remaining,
            notes=tuple(notes),
            snoozed_until=wait.astimezone(tz).date() if wait and not done and wait > now else None,
            created_at=entry, updated_at=(end if done and end else modified or entry), repeat=repeat,
            source=prefix + uuid,
        )
        if old is None:
            plan.tasks.append(fresh)
            continue
        # changed at the source since: what the file says now (a status there is never
        # "blocked": a block set here goes with its reason), the rest as it is here
        new = old._replace(**{f: getattr(fresh, f) for f in _FOLLOWED}, blocked_by=None,
                           assignee=fresh.assignee if isinstance(who, str) else old.assignee)
        if new._replace(updated_at=old.updated_at) == old:
            plan.already += 1  # a newer stamp, nothing tpm keeps changed
        else:
            plan.updated.append((old, new))
    plan.projects = list(new_projects.values())
    return plan


__all__ = ["Plan", "plan_import", "project_key"]


def _lines(data: bytes, source: str) -> list[Any]:
    """An export written one JSON object a line (``rc.json.array=off``)."""
    import orjson

    out = []
    for n, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(orjson.loads(line.strip().rstrip(b",")))
        except orjson.JSONDecodeError as exc:
            what = str(exc).splitlines()[0][:60]
            raise InputError(f"{source}: line {n}: not JSON ({what}); a Taskwarrior export is "
                             "`task export > tasks.json`") from None
    return out


def import_export(store: Any, data: bytes, *, source: str, now: datetime, tz: tzinfo,
                  default_project: str = "INBOX", assignee: str | None = None,
                  assignee_for_all: bool = False) -> ImportReport:
    """Add the tasks of a Taskwarrior export — or the to-dos of a calendar (``.ics``, see
    ``services.todos``), or the rows of a CSV of tasks — Jira's, Linear's, Asana's export,
    a spreadsheet (``services.taskcsv``) — or GitHub's issues (``services.github``) — to
    ``store`` in one transaction and one journal entry (``tpm undo`` takes the whole import
    back). ``assignee``: whose the tasks are when the file does not say (Jira's do), or
    everyone's with ``assignee_for_all``. Returns its :class:`ImportReport` (line, counts, warnings);
    :class:`InputError` (one line, nothing written) when the file cannot be read."""
    import orjson

    from tpm_tui.services import github, taskcsv, todos
    from tpm_tui.services.triage import deleted_task_ids, deleted_task_sources, record_tasks_added

    prefix, read_warnings = SOURCE, []
    if todos.looks_like_icalendar(data):  # to-dos of a calendar (Reminders, Thunderbird, Outlook)
        records, read_warnings = todos.read(data, source=source, tz=tz)
        prefix = todos.PREFIX
    elif taskcsv.looks_like_task_csv(data):  # Jira's Export → CSV, Linear's, Asana's, a spreadsheet
        records, read_warnings, prefix = taskcsv.records(data, source=source, tz=tz, people=store.people(),
                                                         today=now.astimezone(tz).date())
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"[", b"{"):
        raise InputError(f"{source}: not a file tasks are imported from (a Taskwarrior export or GitHub's issues, "
                         ".json; an .ics of to-dos; a CSV of tasks with a Summary, Title or Name column)")
    else:
        try:
            records = orjson.loads(data)
        except orjson.JSONDecodeError:
            records = _lines(data, source)  # rc.json.array=off: one task a line
        if github.looks_like_github_issues(records):  # gh issue list --json …
            records, read_warnings = github.records(records, source=source, tz=tz, people=store.people())
            prefix = github.PREFIX
    if isinstance(records, dict):
        records = [records]  # one task exported alone
    with store.transaction():
        taken = deleted_task_ids(store)
        plan = plan_import(records, tz=tz, now=now, default_project=default_project, existing=store.tasks_from(prefix),
                           known_projects={p.key: p for p in store.projects()},
                           next_number=lambda key: store.next_task_number(key, taken), source=source, prefix=prefix,
                           default_assignee=assignee, deleted=deleted_task_sources(store))
        plan.warnings[:0] = read_warnings
        if assignee_for_all:
            plan.tasks = [t._replace(assignee=assignee) for t in plan.tasks]
            plan.updated = [(old, new._replace(assignee=assignee)) for old, new in plan.updated]
        done = sum(1 for t in plan.tasks if t.status is TaskStatus.DONE)
        parts = [f"{len(plan.tasks)} added" + (f" ({done} done)" if done else "")]
        if plan.updated:
            parts.append(f"{len(plan.updated)} updated")
        if plan.projects:
            parts.append(f"{len(plan.projects)} new project{'s' if len(plan.projects) != 1 else ''} "
                         f"({', '.join(p.key for p in plan.projects[:6])}{', …' if len(plan.projects) > 6 else ''})")
        parts.append(f"{plan.already} already here")
        if plan.gone:
            parts.append(f"{plan.gone} deleted here left out")
        if plan.skipped:
            parts.append(f"{plan.skipped} cancelled left out" if prefix != SOURCE
                         else f"{plan.skipped} deleted or templates left out")
        summary = f"{source}: " + ", ".join(parts)
        if plan.tasks or plan.updated:
            for p in plan.projects:
                store.put_project(p)
            store.put_tasks([*plan.tasks, *(new for _old, new in plan.updated)])
            what = " and ".join(f"{n} {word}" for n, word in ((len(plan.tasks), "added"), (len(plan.updated), "updated"))
                                if n)
            summary_text = (f"import of {len(plan.tasks)} tasks from {source}" if not plan.updated
                            else f"import from {source}: {what}")
            record_tasks_added(store, "task-import", summary_text, plan.tasks, plan.projects, now,
                               extra={"source": source}, updated=plan.updated)
    return ImportReport(summary, added=len(plan.tasks), updated=len(plan.updated), warnings=plan.warnings)


@dataclass
class ImportReport:
    """One Taskwarrior import as the dashboard's ``i`` reports files (duck-typed as the
    calendar import's ``FileReport``): its line, the error that refused it, the warnings."""

    line: str
    error: str | None = None
    added: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        return self.line


def import_path(store: Any, path: str, *, now: datetime, tz: tzinfo, assignee: str | None) -> ImportReport:
    """:func:`import_export` of a file, as a report instead of an error (the dashboard's ``i``)."""
    from pathlib import Path

    from tpm_tui.domain import TpmError

    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        line = f"{path}: cannot be read ({exc.strerror or exc})"
        return ImportReport(line, error=line)
    try:
        return import_export(store, data, source=path, now=now, tz=tz, assignee=assignee)
    except TpmError as exc:
        return ImportReport(str(exc), error=str(exc))
