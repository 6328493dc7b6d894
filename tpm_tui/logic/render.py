"""The brief as JSON (the SPEC contract), plain text for a terminal, and markdown.

Outside text (meeting summaries, task titles, names from invites) is printed
literally, but never able to style or break a terminal: :func:`safe_text` turns C0
controls (except tab) into their visible Unicode "control pictures" (ESC → ␛,
newline → ␊), DEL into ␡, and C1 controls and bidi embedding/override/isolate
characters (U+202A–U+202E, U+2066–U+2069) into U+FFFD. Markdown output also
escapes the markdown punctuation that styles text mid-line (``\\ ` * _ [ ] < > | ~``) in outside text (:func:`md_text`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from tpm_tui.domain import MeetingNotes, Person, Project, RiskLevel, Task, is_appointment, notes_key, short_names
from tpm_tui.logic.forecast import Forecast, forecast_text
from tpm_tui.logic.freetime import off_between, person_zone
from tpm_tui.logic.results import Brief, Plan, MeetingView, PersonLoad, RiskItem
from tpm_tui.logic.risk import Fit, fmt_hours
from tpm_tui.logic.slots import Slot
from tpm_tui.logic.timeutil import zone

# --------------------------------------------------------------------------- safety

_SAFE_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c != 0x09}
_SAFE_TABLE[0x7F] = "\u2421"
_SAFE_TABLE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
_SAFE_TABLE.update({c: "\ufffd" for c in range(0x202A, 0x202F)})
_SAFE_TABLE.update({c: "\ufffd" for c in range(0x2066, 0x206A)})
_SAFE_TABLE.update({0x2028: " ", 0x2029: " "})


def safe_text(s: object) -> str:
    """``s`` as text that cannot inject escape sequences, control characters or bidi overrides."""
    text = s if isinstance(s, str) else ("" if s is None else str(s))
    if text.isprintable():  # every character the table replaces is unprintable (tested): most text
        return text
    return text.translate(_SAFE_TABLE)


_MD_SPECIAL = set("\\`*_[]<>|~")


def md_text(s: object) -> str:
    """Outside text for markdown: :func:`safe_text`, newlines/tabs as spaces, punctuation escaped."""
    text = safe_text(s).replace("\t", " ")
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


# --------------------------------------------------------------------------- helpers


def _iso(value: datetime | date, tz: tzinfo | None = None) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None and tz is not None:
            value = value.astimezone(tz)
        return value.isoformat()
    return value.isoformat()


def _names(people: Sequence[Person] | None) -> dict[str, str]:
    """Each person's short name: the first name, told apart from a namesake's."""
    return short_names(people or ())


def _round(x: float) -> float:
    return round(x, 1)


def _tz_of(brief: Brief) -> tzinfo:
    try:
        return zone(brief.tz)
    except Exception:
        return brief.now.tzinfo or zone("UTC")


# --------------------------------------------------------------------------- JSON


def week_off_text(person: Person, week_start: date) -> str:
    """``off Wed–Fri`` / ``off Mon, Thu`` for the person's days off in the week from
    ``week_start`` (empty when none)."""
    off = off_between(person, week_start, week_start + timedelta(days=6))
    return f"off {off}" if off else ""


def hours_text(remaining: float | None, estimate: float | None) -> str:
    """``6h left of 20h``, ``6h left (no estimate)``, ``20h estimated``, ``no estimate``."""
    if remaining is None and estimate is None:
        return "no estimate"
    if remaining is None:
        return f"{estimate:g}h estimated"
    if estimate is None:
        return f"{remaining:g}h left (no estimate)"
    return f"{remaining:g}h left of {estimate:g}h"


def meeting_to_json(v: MeetingView, tz: tzinfo) -> dict[str, Any]:
    m = v.occurrence.meeting
    return {
        "uid": m.uid,
        "recurrence_id": v.occurrence.recurrence_id or m.recurrence_id,
        "summary": m.summary,
        "start": _iso(v.start, tz),
        "end": _iso(v.end, tz),
        "all_day": not isinstance(v.start, datetime),
        "location": m.location,
        "organizer": m.organizer,
        "attendees": [{"email": a.email, "name": a.name, "partstat": a.partstat} for a in m.attendees],
        "odd_hours": v.odd_hours,
        "odd_hours_for": list(v.odd_hours_for),
        "conflicts_with": list(v.conflicts_with),
    }


def risk_to_json(item: RiskItem) -> dict[str, Any]:
    t = item.task
    return {
        "id": t.id,
        "title": t.title,
        "project": t.project,
        "assignee": t.assignee,
        "due": None if t.due is None else t.due.isoformat(),
        "score": item.score,
        "level": item.level.value,
        "reasons": list(item.reasons),
    }


def load_to_json(load: PersonLoad) -> dict[str, Any]:
    return {
        "person": load.person.handle,
        "capacity_hours": _round(load.capacity_hours),
        "task_hours": _round(load.task_hours),
        "meeting_hours": _round(load.meeting_hours),
        "load_pct": load.load_pct,
        "overloaded": load.overloaded,
    }


def brief_to_json(brief: Brief, people: Sequence[Person] | None = None) -> dict[str, Any]:
    """The SPEC's ``brief --format json`` document (exactly its keys)."""
    tz = _tz_of(brief)
    return {
        "date": brief.day.isoformat(),
        "tz": brief.tz,
        "meetings": [meeting_to_json(v, tz) for v in brief.meetings],
        "at_risk": [risk_to_json(i) for i in brief.at_risk],
        "workload": [load_to_json(w) for w in brief.workload],
        "plan": [
            {"task_id": b.task_id, "start": _iso(b.start, tz), "end": _iso(b.end, tz), "odd_hours": b.odd_hours}
            for b in brief.plan.blocks
        ],
    }


# --------------------------------------------------------------------------- text


def _hm(value: datetime | date, tz: tzinfo) -> str:
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%H:%M")
    return ""


def meeting_time_label(v: MeetingView, tz: tzinfo, day: date | None = None) -> str:
    """``09:00–09:30``; ``all day``; a day tag when it starts or ends on another day."""
    if not isinstance(v.start, datetime) or not isinstance(v.end, datetime):
        return "all day"
    s, e = v.start.astimezone(tz), v.end.astimezone(tz)
    label = f"{s:%H:%M}–{e:%H:%M}"
    if day is not None and e.date() != s.date():
        label += f" (ends {e:%a})" if s.date() == day else f" (from {s:%a})"
    return label


def local_times_label(v: MeetingView, names: dict[str, str], *, only_odd: bool = True) -> str:
    parts = [lt.label(names.get(lt.handle)) for lt in v.local_times if lt.odd or not only_odd]
    return ", ".join(safe_text(p) for p in parts)


def _bar(load: PersonLoad, width: int = 20) -> str:
    cap = load.capacity_hours
    if cap <= 0:
        return "[" + ("!" * width if load.task_hours + load.meeting_hours > 0 else "." * width) + "]"
    meet = min(width, round(width * load.meeting_hours / cap))
    task = min(width - meet, round(width * load.task_hours / cap))
    return "[" + "=" * meet + "#" * task + "." * (width - meet - task) + "]"


ANSWERS = {"NEEDS-ACTION": "not answered", "DECLINED": "you declined", "TENTATIVE": "you: maybe",
           "DELEGATED": "you delegated"}
"""The text brief's words for "me"'s answer to an invitation (accepted: none)."""
SHOWN_FREE = "shown as free"
"""What a meeting that takes nobody's time (``TRANSP:TRANSPARENT``) is marked with."""


def meeting_lines(views: Sequence[MeetingView], tz: tzinfo, day: date, names: dict[str, str],
                  notes: Mapping[str, int] | None = None) -> list[str]:
    """A day's meetings as the text brief lists them: ``!`` marks odd hours (whose, in their
    local time, below), then the meetings of "me" it overlaps. ``notes``: how many notes of
    mine each occurrence has (by :func:`notes_key`), said as ``✎ 2 notes``."""
    lines = []
    summaries = {v.occurrence.uid: v.summary for v in views}
    for v in views:
        flag = "!" if v.odd_hours else " "
        answer = ANSWERS.get(v.my_answer, "")
        noted = (notes or {}).get(notes_key(v.occurrence.uid, v.occurrence.recurrence_id), 0)
        lines.append(f" {flag}{meeting_time_label(v, tz, day):<14} {safe_text(v.summary) or '(no title)'}"
                     + (f"  ({SHOWN_FREE})" if v.occurrence.meeting.transparent else "")
                     + (f"  ({answer})" if answer else "")
                     + (f"  ✎ {noted} note{'s' if noted != 1 else ''}" if noted else ""))
        if v.odd_hours:
            lines.append(f"    odd hours: {local_times_label(v, names)}")
        if v.conflicts_with:
            others = ", ".join(safe_text(summaries.get(u) or u) for u in v.conflicts_with)
            lines.append(f"    conflicts with: {others}")
    return lines


def render_agenda(days: Sequence[tuple[date, Sequence[MeetingView]]], tz_name: str,
                  people: Sequence[Person] | None = None, notes: Mapping[str, int] | None = None) -> str:
    """``tpm agenda``: day by day, each day's meetings as the text brief shows them (with how
    many notes of mine each has, ``notes``)."""
    tz = zone(tz_name)
    names = _names(people)
    count = sum(len(views) for _, views in days)
    first, last = days[0][0], days[-1][0]
    span = f"{first:%a %d %b %Y}" if first == last else f"{first:%a %d %b}–{last:%a %d %b %Y}"
    lines = [f"Agenda {span} ({safe_text(tz_name)}): "
             f"{count} meeting{'' if count == 1 else 's'}, {sum(1 for _, vs in days for v in vs if v.odd_hours)} at odd hours"]
    for day, views in days:
        lines.append("")
        lines.append(f"{day:%a %d %b}")
        lines.extend(meeting_lines(views, tz, day, names, notes) or ["  no meetings"])
    return "\n".join(lines)


def agenda_to_json(days: Sequence[tuple[date, Sequence[MeetingView]]], tz_name: str,
                   notes: Mapping[str, int] | None = None) -> dict[str, Any]:
    """``tpm agenda --format json``: the brief's meeting objects, day by day, each with the
    address that joins its call (``join_link``, null when none), whether it is shown as
    free (``transparent``: it takes nobody's time) and how many notes of mine it has
    (``notes``; ``tpm meeting notes UID`` gives them); the brief's contract is kept."""
    from tpm_tui.logic.agenda import join_link

    tz = zone(tz_name)
    counts = notes or {}
    return {"tz": tz_name,
            "days": [{"date": day.isoformat(),
                      "meetings": [{**meeting_to_json(v, tz), "join_link": join_link(v.occurrence.meeting),
                                    "transparent": v.occurrence.meeting.transparent,
                                    "notes": counts.get(notes_key(v.occurrence.uid, v.occurrence.recurrence_id), 0)}
                                   for v in views]}
                     for day, views in days]}


def render_text(brief: Brief, people: Sequence[Person] | None = None) -> str:
    """The brief for a terminal: plain text, no colour codes, outside text made safe."""
    tz = _tz_of(brief)
    names = _names(people)
    lines: list[str] = [f"Brief for {brief.day:%a %d %b %Y} ({safe_text(brief.tz)})", ""]

    lines.append(f"Meetings ({len(brief.meetings)})")
    lines.extend(meeting_lines(brief.meetings, tz, brief.day, names) or ["  no meetings"])
    lines.append("")

    lines.append(f"At risk ({len(brief.at_risk)})")
    if not brief.at_risk:
        lines.append("  nothing at risk")
    for item in brief.at_risk:
        t = item.task
        who = f" @{safe_text(t.assignee)}" if t.assignee else ""
        lines.append(f"  {safe_text(t.id):<8} {item.level.value:<8} {safe_text(t.title)}{who}")
        for r in item.reasons:
            lines.append(f"           - {safe_text(r)}")
    lines.append("")

    week = brief.day.toordinal() - brief.day.weekday()
    lines.append(f"Workload (week of {date.fromordinal(week):%a %d %b}; = meetings, # tasks, . free)")
    if not brief.workload:
        lines.append("  no people")
    width = max((len(w.person.handle) for w in brief.workload), default=0)
    week = brief.day - timedelta(days=brief.day.weekday())
    for w in brief.workload:
        over = "  OVERLOADED" if w.overloaded else ""
        off = week_off_text(w.person, week) if w.person.days_off else ""
        lines.append(
            f"  {safe_text(w.person.handle):<{width}} {_bar(w)} {w.load_pct:>5.0f}%  "
            f"{w.task_hours:.1f}h tasks + {w.meeting_hours:.1f}h meetings / {w.capacity_hours:.1f}h{over}"
            + (f"  ({off})" if off else "")
        )
    lines.append("")

    plan = brief.plan
    who = f" for {safe_text(plan.person)}" if plan.person else ""
    lines.append(f"Plan{who}")
    if plan.person is None:
        lines.append("  no plan (set yourself with `tpm set me HANDLE`)")
    elif not plan.blocks and not plan.shortfalls:
        lines.append("  no focus blocks needed")
    lines.extend(plan_lines(plan, tz))
    return "\n".join(lines) + "\n"


def plan_lines(plan: Plan, tz: tzinfo, titles: dict[str, str] | None = None) -> list[str]:
    """One line per focus block (odd-hours ones marked), then the shortfalls."""
    lines = []
    for b in plan.blocks:
        s, e = b.start.astimezone(tz), b.end.astimezone(tz)
        odd = "  ☾ odd hours" if b.odd_hours else ""
        title = f" {safe_text(titles.get(b.task_id, ''))}" if titles else ""
        lines.append(f"  {s:%a %d %b} {s:%H:%M}–{e:%H:%M}  {safe_text(b.task_id):<8}{title}{odd}".rstrip())
    for sf in plan.shortfalls:
        lines.append(f"  short: {safe_text(sf.label(tz))}")
    return lines


def project_lines(project: Project, status: str, items: Sequence[RiskItem], open_count: int, done_count: int,
                  after: Sequence[Task], fc: Forecast | None, room: Sequence[tuple[str, float]],
                  people: Sequence[Person] | None, tz: tzinfo) -> list[str]:
    """``tpm project show``: how the project stands and why, every person's hours against their
    free time before the target (not only who is short), who else has room, its tasks at risk."""
    names = _names(people)
    full = {p.handle: p.name or p.handle for p in people or ()}
    title = safe_text(project.key) + (f" — {safe_text(project.name)}" if project.name and project.name != project.key else "")
    facts = [f"target {project.target_date:%a %d %b %Y}" if project.target_date else "no target date"]
    if project.owner:
        facts.append(f"owner {safe_text(full.get(project.owner, project.owner))}")
    lines = [f"{title}: {status} ({', '.join(facts)})"]
    levels = [f"{sum(1 for i in items if i.level is lv)} {lv.value.replace('_', ' ')}"
              for lv in (RiskLevel.LATE, RiskLevel.AT_RISK, RiskLevel.WATCH) if any(i.level is lv for i in items)]
    lines.append(f"  {open_count} open, {done_count} done" + (f" · {', '.join(levels)}" if levels else ""))
    if fc is not None:
        lines.append(f"  forecast    {safe_text(forecast_text(fc, names))}")
        lines.append(f"  before {fc.target:%a %d %b} (hours of this project / free after their other work due by then):")
        width = max((len(full.get(r.handle, r.handle)) for r in fc.people), default=0)
        for r in fc.people:
            short = f"   {fmt_hours(r.short)} short" if r.short >= 0.05 else ""
            lines.append(f"    {safe_text(full.get(r.handle, r.handle)):<{width}}  {fmt_hours(r.need):>7} of "
                         f"{fmt_hours(r.available):<7}{short}".rstrip())
        if fc.unassigned:
            lines.append(f"    {fmt_hours(fc.unassigned)} unassigned")
        if fc.unestimated:
            lines.append(f"    {fc.unestimated} open task{'s' if fc.unestimated != 1 else ''} without an estimate")
        if room:
            shown = ", ".join(f"{safe_text(names.get(h, h))} {fmt_hours(spare)}" for h, spare in room[:6])
            more = f" and {len(room) - 6} more" if len(room) > 6 else ""
            lines.append(f"  room elsewhere before {fc.target:%a %d %b}: {shown}{more}")
    if after:
        listed = ", ".join(f"{safe_text(t.id)} ({due_day(t.due):%a %d %b})" for t in after[:8])  # type: ignore[arg-type]
        lines.append(f"  due after the target: {listed}" + (f" and {len(after) - 8} more" if len(after) > 8 else ""))
    if items:
        lines.append("  at risk")
        for i in items:
            who = f" @{safe_text(i.task.assignee)}" if i.task.assignee else ""
            lines.append(f"    {safe_text(i.task.id):<9} {i.level.value.replace('_', ' '):<8} {safe_text(i.task.title)}{who}")
            lines.extend(f"              - {safe_text(r)}" for r in i.reasons)
    return lines


# --------------------------------------------------------------------------- markdown

_STATUS_ORDER = {"off track": 0, "at risk": 1, "on track": 2, "finished": 3}
DONE_DAYS = 7
"""A status update lists per project what was finished in this many days up to its day."""
DONE_SHOWN = 8
"""… up to this many tasks, then how many more."""


def _when(value: datetime | date, tz: tzinfo) -> str:
    if isinstance(value, datetime):
        local = value.astimezone(tz) if value.tzinfo else value
        return local.strftime("%a %d %b %Y %H:%M %Z").rstrip()
    return value.strftime("%a %d %b %Y")


def task_lines(task: Task, item: RiskItem | None, tz: tzinfo) -> list[str]:
    """``tpm task show``: the fields a manager reads, the risk with every reason, the notes."""
    lines = [f"{safe_text(task.id)}  {safe_text(task.title)}"]
    if item is not None:
        lines.append(f"  risk        {item.level.value.replace('_', ' ')} (score {item.score:g})")
        lines.extend(f"    - {safe_text(r)}" for r in item.reasons)
    elif task.is_open:
        snoozed = task.snoozed_until is not None
        lines.append("  risk        none (snoozed)" if snoozed else "  risk        none: no rule fires")
    rows = [
        ("project", task.project),
        ("status", task.status.value + (f" by {task.blocked_by}" if task.blocked_by else "")),
        ("priority", task.priority),
        ("assignee", task.assignee or "nobody"),
        ("due", _when(task.due, tz) if task.due is not None else "-"),
        ("hours", hours_text(task.remaining_hours, task.estimate_hours)),
    ]
    if task.depends_on:
        rows.append(("depends on", ", ".join(task.depends_on)))
    if task.time_sensitive:
        rows.append(("time-sens.", "yes"))
    if task.tags:
        rows.append(("tags", ", ".join(task.tags)))
    if task.source:
        rows.append(("imported", task.source.replace(":", " ", 1)))
    if task.repeat:
        rows.append(("repeats", f"{task.repeat} (done makes the next one)" if task.is_open else task.repeat))
    if task.snoozed_until is not None:
        rows.append(("snoozed to", _when(task.snoozed_until, tz)))
    if task.updated_at is not None:
        rows.append(("updated", _when(task.updated_at, tz)))
    lines.extend(f"  {label:<11} {safe_text(value)}" for label, value in rows)
    if task.notes:
        lines.append("  notes (tpm task note ID --fix N / --rm N)")
        for k, n in enumerate(task.notes, 1):
            first, *rest = n.text.splitlines() or [""]
            lines.append(f"    {k}. {_when(n.at, tz)}  {safe_text(first)}")
            lines.extend(f"      {safe_text(more)}" for more in rest)
    return lines


def person_lines(load: PersonLoad, risks: Sequence[RiskItem], odd: Sequence[tuple[MeetingView, Any]],
                 now: datetime, week: date) -> list[str]:
    """``tpm person show``: who they are, their week (load, days off, meetings at their odd
    hours in their local time), their tasks at risk with the first reason — a 1:1's notes."""
    p = load.person
    tz = person_zone(p)  # UTC for a name this machine does not know, as every rule reads it
    unknown = "" if tz.key == p.timezone else " (unknown here: read as UTC)"
    lines = [f"{safe_text(p.name or p.handle)} ({safe_text(p.handle)})" + (f", {safe_text(p.role)}" if p.role else ""),
             f"  zone        {safe_text(p.timezone)}{unknown}, {p.work_start}–{p.work_end} {','.join(p.work_days)}; "
             f"their time now {now.astimezone(tz):%a %H:%M}",
             f"  e-mail      {safe_text(p.email)}"]
    off = week_off_text(p, week) if p.days_off else ""
    over = " OVERLOADED" if load.overloaded else ""
    lines += ["", f"Week of {week:%a %d %b}",
              f"  load        {load.load_pct:.0f}%{over}: {load.task_hours:.1f}h tasks + {load.meeting_hours:.1f}h "
              f"meetings of {load.capacity_hours:.1f}h" + (f" ({off})" if off else "")]
    if odd:
        hours = sum((lt.end - lt.start).total_seconds() for _v, lt in odd) / 3600
        lines.append(f"  odd hours   {len(odd)} meeting{'' if len(odd) == 1 else 's'}, {fmt_hours(hours)} outside their "
                     "working time (their time):")
        lines.extend(f"    {lt.start:%a %H:%M}–{lt.end:%H:%M}  {safe_text(v.summary) or '(no title)'}" for v, lt in odd)
    else:
        lines.append("  odd hours   none: every meeting is inside their working time")
    mine = [r for r in risks if r.task.assignee == p.handle]
    lines += ["", f"Tasks at risk ({len(mine)})"]
    if not mine:
        lines.append("  none")
    for r in mine:
        lines.append(f"  {safe_text(r.task.id):<8} {r.level.value:<8} {safe_text(r.task.title)}")
        lines.append(f"           - {safe_text(r.reasons[0])}" + (f" (+{len(r.reasons) - 1} more)" if len(r.reasons) > 1 else ""))
    return lines


ROOM_SHOWN = 5
"""``tpm task show`` names at most this many people the task would fit (besides the assignee)."""


def room_lines(task: Task, fits: Mapping[str, Fit]) -> list[str]:
    """``tpm task show``: who has the task's hours free before it is due (their time, after
    their more urgent work) — the assignee, then the people with the most room it fits."""
    if not fits:
        return []
    need = next(iter(fits.values())).need
    lines = [f"  room        needs {fmt_hours(need)}; free before it is due (their time, after their more urgent work)"]
    mine = fits.get(task.assignee or "")
    others = sorted((f for f in fits.values() if f.fits and f is not mine), key=lambda f: (-f.free, f.handle))
    shown = ([mine] if mine is not None else []) + others[:ROOM_SHOWN]
    for f in shown:
        mark = "✓" if f.fits else "✗"
        tail = "" if f.fits else f", {fmt_hours(f.short)} short"
        who = safe_text(f.handle) + (" (assignee)" if f is mine else "")
        lines.append(f"    {mark} {who:<20} {fmt_hours(f.free)} by {f.before}{tail}")
    if not others:
        lines.append("    nobody else has that much free before it is due")
    elif len(others) > ROOM_SHOWN:
        lines.append(f"    … and {len(others) - ROOM_SHOWN} more")
    return lines


def project_status(items: Sequence[RiskItem], *, after_target: int = 0, target_passed: bool = False,
                   short: bool = False) -> str:
    """``off track`` with a late task or a target date passed with work open, ``at risk`` with
    an at-risk task, open tasks due after the target date, or open work its people have no
    time for before it (``short``: :mod:`tpm_tui.logic.forecast`), else ``on track``."""
    levels = {i.level for i in items}
    if RiskLevel.LATE in levels or target_passed:
        return "off track"
    if RiskLevel.AT_RISK in levels or after_target or short:
        return "at risk"
    return "on track"


def due_day(due: date) -> date:
    return due.date() if isinstance(due, datetime) else due


def target_facts(project: Project | None, tasks: Sequence[Task], day: date) -> tuple[list[Task], bool]:
    """(open tasks of the project due after its target date, latest first; whether the target
    date is before ``day`` with tasks still open). Nothing without a target date."""
    if project is None or project.target_date is None:
        return [], False
    mine = [t for t in tasks if t.project == project.key and t.is_open]
    after = sorted((t for t in mine if t.due is not None and due_day(t.due) > project.target_date),
                   key=lambda t: (due_day(t.due), t.id), reverse=True)  # type: ignore[arg-type]
    return after, bool(mine) and project.target_date < day


def project_team(project: Project | str, tasks: Sequence[Task]) -> frozenset[str]:
    """Who works on a project: the assignees of its open tasks, and its owner."""
    key = project if isinstance(project, str) else project.key
    team = {t.assignee for t in tasks if t.project == key and t.is_open and t.assignee}
    if not isinstance(project, str) and project.owner:
        team.add(project.owner)
    return frozenset(team)


def for_project(brief: Brief, project: Project | str, tasks: Sequence[Task], me: str | None = None) -> Brief:
    """The brief as one project's stakeholders need it: its tasks at risk, the workload of
    its team (:func:`project_team`), the day's meetings one of them attends (``me``, the
    manager, attends most meetings of every project: their presence alone does not count),
    and the focus blocks for its tasks. ``tasks``: the open tasks (to know the team)."""
    key = project if isinstance(project, str) else project.key
    team = project_team(project, tasks)
    others = team - {me} if me else team
    ours = {t.id for t in tasks if t.project == key}
    plan = brief.plan._replace(
        blocks=tuple(b for b in brief.plan.blocks if b.task_id in ours),
        shortfalls=tuple(s for s in brief.plan.shortfalls if s.task_id in ours),
    )
    return brief._replace(
        at_risk=tuple(i for i in brief.at_risk if i.task.project == key),
        workload=tuple(w for w in brief.workload if w.person.handle in team),
        meetings=tuple(m for m in brief.meetings if any(lt.handle in others for lt in m.local_times)),
        plan=plan,
    )


def done_window(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The instants a status update for ``day`` reports finished work in: the
    :data:`DONE_DAYS` days up to the end of ``day`` (local)."""
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return datetime.combine(day - timedelta(days=DONE_DAYS - 1), datetime.min.time(), tzinfo=tz), end


def render_markdown(brief: Brief, people: Sequence[Person] | None, projects: Sequence[Project] | None,
                    tasks: Sequence[Task] = (), *, only: Project | None = None, done: Sequence[Task] = (),
                    forecasts: Mapping[str, Forecast] | None = None) -> str:
    """A stakeholder update to paste into an e-mail. ``tasks`` (the open ones) let a project
    with a target date say which tasks are due after it, or that it passed with work open.
    ``done``: the tasks finished in :func:`done_window` — each project says what it finished,
    and a project that finished its last task in that window is listed as ``finished``.
    ``forecasts`` (per project key, :func:`tpm_tui.services.brief.forecasts`): whether its open
    work fits its people's free time before the target, one line; short makes it ``at risk``.

    ``only``: the update for one project (``brief`` already narrowed by :func:`for_project`):
    its name in the title and its stakeholders on a ``To:`` line, its section alone."""
    tz = _tz_of(brief)
    names = _names(people)
    full_names = {p.handle: p.name or p.handle for p in people or ()}
    if only is not None:
        name = md_text(only.key) + (f" — {md_text(only.name)}" if only.name and only.name != only.key else "")
        out: list[str] = [f"# {name}: status update — {brief.day:%a %d %b %Y}", ""]
        if only.stakeholders:
            out.extend([f"To: {', '.join(md_text(e) for e in only.stakeholders)}", ""])
        projects = [only]
    else:
        out = [f"# Status update — {brief.day:%a %d %b %Y}", ""]

    by_project: dict[str, list[RiskItem]] = {}
    for item in brief.at_risk:
        by_project.setdefault(item.task.project, []).append(item)
    known = {p.key: p for p in projects or ()}
    busy = {t.project for t in tasks if t.is_open}
    if only is None and tasks:
        # a finished project (no open task, no target ahead) is not news: years of them would
        # bury the projects that are (with no tasks given, nothing is known: all are listed)
        recent = {t.project for t in done}
        known = {k: p for k, p in known.items()
                 if k in busy or k in by_project or k in recent
                 or (p.target_date is not None and p.target_date >= brief.day)}
    finished: dict[str, list[Task]] = {}
    for t in sorted(done, key=lambda t: (t.updated_at or datetime.min.replace(tzinfo=tz), t.id)):
        finished.setdefault(t.project, []).append(t)
    keys = list(known) + [k for k in by_project if k not in known and only is None]
    rows = []
    targets = {key: target_facts(known.get(key), tasks, brief.day) for key in keys}
    statuses = {}
    for key in keys:
        items = by_project.get(key, [])
        after, passed = targets[key]
        fc = (forecasts or {}).get(key)
        status = project_status(items, after_target=len(after), target_passed=passed,
                                short=fc is not None and not fc.fits)
        if tasks and not items and key in finished and key not in busy:
            status = "finished"  # its last open task was done in the window: news of its own
        statuses[key] = status
        rows.append((_STATUS_ORDER[status], key, items))
    rows.sort(key=lambda r: (r[0], r[1]))

    out.append("## Projects")
    out.append("")
    if not rows:
        out.append("No projects.")
        out.append("")
    for _, key, items in rows:
        p = known.get(key)
        after, passed = targets[key]
        status = statuses[key]
        title = md_text(key) + (f" — {md_text(p.name)}" if p and p.name and p.name != key else "")
        target = f" (target {p.target_date:%a %d %b})" if p and p.target_date else ""
        out.append(f"### {title}: **{status}**{target}")
        out.append("")
        shown = [i for i in items if i.level is not RiskLevel.WATCH]
        watch = [i for i in items if i.level is RiskLevel.WATCH]
        fc = (forecasts or {}).get(key)
        if fc is not None:
            out.append(f"- Forecast: {md_text(forecast_text(fc, names))}")
        if passed and p is not None and p.target_date is not None:
            left = sum(1 for t in tasks if t.project == key and t.is_open)
            out.append(f"- Target date {p.target_date:%a %d %b} passed with {left} open task{'s' if left != 1 else ''}")
        if after:
            listed = ", ".join(f"{md_text(t.id)} ({due_day(t.due):%a %d %b})" for t in after[:5])  # type: ignore[arg-type]
            more = f" and {len(after) - 5} more" if len(after) > 5 else ""
            n = len(after)
            out.append(f"- {n} open task{'s' if n != 1 else ''} due after the target: {listed}{more}")
        if not shown and not watch and not after and not passed and status != "finished" and (fc is None or fc.fits):
            out.append("Nothing at risk.")  # (a project short of time has said why above)
        for i in shown:
            owner = f" ({md_text(full_names.get(i.task.assignee or '', i.task.assignee))})" if i.task.assignee else " (unassigned)"
            level = "late" if i.level is RiskLevel.LATE else "at risk"
            out.append(f"- **{md_text(i.task.id)}** {md_text(i.task.title)}{owner} — {level}: {md_text('; '.join(i.reasons))}")
        if watch:
            ids = ", ".join(md_text(i.task.id) for i in watch)
            out.append(f"- Watching: {ids}")
        gone = finished.get(key, [])
        if gone:
            since = brief.day - timedelta(days=DONE_DAYS - 1)
            out.append(f"- Done since {since:%a %d %b}:")
            for t in gone[:DONE_SHOWN]:
                owner = f" ({md_text(full_names.get(t.assignee, t.assignee))})" if t.assignee else ""
                out.append(f"  - **{md_text(t.id)}** {md_text(t.title)}{owner}")
            if len(gone) > DONE_SHOWN:
                out.append(f"  - and {len(gone) - DONE_SHOWN} more")
        out.append("")

    cross = [v for v in brief.meetings if isinstance(v.start, datetime) and not is_appointment(v.occurrence.meeting)
             and (v.odd_hours or len({lt.start.utcoffset() for lt in v.local_times}) > 1)]  # my own: nobody's business
    out.append("## Cross-zone meetings today")
    out.append("")
    if not cross:
        out.append("None.")
    for v in cross:
        when = meeting_time_label(v, tz, brief.day)
        zones = ", ".join(
            md_text(lt.label(names.get(lt.handle))) + (" (odd hours)" if lt.odd else "") for lt in v.local_times
        )
        out.append(f"- {when} {md_text(brief.tz)}: **{md_text(v.summary) or '(no title)'}** — {zones}")
    out.append("")

    week = brief.day - timedelta(days=brief.day.weekday())
    away = [(w.person, week_off_text(w.person, week)) for w in brief.workload if w.person.days_off]
    away = [(p, off) for p, off in away if off]
    if away:
        out.append(f"## Out the week of {week:%a %d %b}")
        out.append("")
        out.extend(f"- {md_text(full_names.get(p.handle, p.handle))}: {off}" for p, off in away)
        out.append("")

    over = [w for w in brief.workload if w.overloaded]
    out.append("## Overloaded this week")
    out.append("")
    if not over:
        out.append("Nobody is over capacity.")
    for w in over:
        demand = w.task_hours + w.meeting_hours
        off = week_off_text(w.person, week) if w.person.days_off else ""
        out.append(
            f"- {md_text(full_names.get(w.person.handle, w.person.handle))}: {w.load_pct:.0f}% "
            f"({demand:.1f}h of {w.capacity_hours:.1f}h; {w.meeting_hours:.1f}h in meetings"
            + (f"; {off}" if off else "") + ")"
        )
    out.append("")
    return "\n".join(out)


def minutes_text(minutes: int) -> str:
    """``45m``, ``2h``, ``1h15``: a length read at a glance (``1.2h`` hid whether it was 1h12 or 1h15)."""
    h, m = divmod(minutes, 60)
    return f"{h}h{m:02d}" if h and m else (f"{h}h" if h else f"{m}m")


def slot_verdict(s: Slot, names: dict[str, str]) -> str:
    """``inside everyone's working hours`` / ``☾ odd hours for Marcus; night or weekend for Ava``."""
    if not s.odd_for:
        return "inside everyone's working hours"
    odd = [h for h in s.odd_for if h not in s.night_for]
    parts = []
    if odd:
        parts.append("odd hours for " + ", ".join(safe_text(names.get(h, h)) for h in odd))
    if s.night_for:
        parts.append("night or weekend for " + ", ".join(safe_text(names.get(h, h)) for h in s.night_for))
    return "☾ " + "; ".join(parts)


def slot_also(s: Slot, tz: tzinfo) -> str:
    """`` (also Tue 01–Fri 04)``, `` (also Wed 02, Fri 04)``: the later days the same time is
    free and as good; three days or more in a row as a span."""
    if not s.also:
        return ""
    days = [a.astimezone(tz).date() for a in s.also]
    runs: list[list[date]] = []
    for d in days:
        if runs and (d - runs[-1][-1]).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0]:%a %d}–{run[-1]:%a %d}")
        else:
            parts.extend(f"{d:%a %d}" for d in run)
    return " (also " + ", ".join(parts) + ")"


def slot_lines(asked: Sequence[Person], slots: Sequence[Slot], tz_name: str, duration_minutes: int,
               first: date, last: date, *, me: str | None = None, never_free: Sequence[str] = ()) -> list[str]:
    """``tpm meet``: the times proposed for one meeting, best first, each with every
    attendee's local time (☾ where it is outside their working hours)."""
    tz = zone(tz_name)
    names = _names(asked)
    who = ", ".join(safe_text(p.name or p.handle) + (" (you)" if p.handle == me else "") for p in asked)
    span = f"{first:%a %d %b}" if first == last else f"{first:%a %d %b}–{last:%a %d %b}"
    lines = [f"{minutes_text(duration_minutes)} with {who}, {span} ({safe_text(tz_name)})"]
    if not slots:
        if never_free:
            named = {p.handle: safe_text(p.name or p.handle) + (" (you)" if p.handle == me else "") for p in asked}
            who = ", ".join(named.get(h, safe_text(h)) for h in never_free)
            lines.append(f"  no free time: {who} {'has' if len(never_free) == 1 else 'have'} no free "
                         f"{minutes_text(duration_minutes)} in these days (meetings or days off)"
                         + (" — tpm meet --without-me leaves you out" if me in never_free else ""))
        else:
            lines.append("  no free time: no quarter hour is free for all of them at once — try more --days "
                         "or a shorter meeting")
        return lines
    for n, s in enumerate(slots, 1):  # numbered: `--pick N` books the N-th
        a, b = s.start.astimezone(tz), s.end.astimezone(tz)
        when = f"{a:%a %d %b %H:%M}–{b:%H:%M}" + (f" (ends {b:%a})" if b.date() != a.date() else "")
        lines.append(f"{n:>3}. {when}{slot_also(s, tz)}  {slot_verdict(s, names)}")
        lines.append(SLOT_INDENT + ", ".join(safe_text(lt.label(names.get(lt.handle))) + (" ☾" if lt.odd else "")
                                             for lt in s.local_times))
    return lines


SLOT_INDENT = " " * 8
"""Where everyone's local times start under a proposed time (``  1. Mon 30 Nov …``)."""


def slots_to_json(asked: Sequence[Person], slots: Sequence[Slot], tz_name: str, duration_minutes: int) -> dict[str, Any]:
    """``tpm meet --format json``: start/end with the offset of the zone asked; each person's
    local times with their own offset."""
    tz = zone(tz_name)
    return {
        "tz": tz_name,
        "duration_minutes": duration_minutes,
        "people": [p.handle for p in asked],
        "slots": [
            {"start": _iso(s.start, tz), "end": _iso(s.end, tz), "odd_hours": bool(s.odd_for),
             "odd_hours_for": list(s.odd_for), "night_or_weekend_for": list(s.night_for),
             "odd_minutes": s.odd_minutes, "night_minutes": s.night_minutes, "night_depth_minutes": s.night_depth,
             "also_starts": [_iso(a, tz) for a in s.also],
             "local_times": [{"person": lt.handle, "start": lt.start.isoformat(), "end": lt.end.isoformat(),
                              "odd_hours": lt.odd} for lt in s.local_times]}
            for s in slots
        ],
    }


def notes_markdown(found: Sequence[MeetingNotes], attendees: Mapping[str, Sequence[str]], tz: tzinfo) -> str:
    """My notes as minutes to paste into an e-mail: per occurrence a heading (title, day and
    time in ``tz``), who was invited (``attendees`` by notes key, when the meeting is still
    known), then each note as a bullet (a note's own lines kept under it)."""
    out: list[str] = []
    for n in found:
        start = n.start.astimezone(tz) if isinstance(n.start, datetime) and n.start.tzinfo else n.start
        when = f"{start:%a %d %b %Y %H:%M}" if isinstance(start, datetime) else f"{start:%a %d %b %Y}"
        out.append(f"## {md_text(n.summary or '(no title)')} — {when}")
        who = attendees.get(n.key, ())
        if who:
            out.append("")
            out.append("Invited: " + ", ".join(md_text(w) for w in who))
        out.append("")
        for note in n.notes:
            first, *rest = note.text.splitlines() or [""]
            out.append(f"- {md_text(first)}")
            out.extend(f"  {md_text(line)}" for line in rest)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"

