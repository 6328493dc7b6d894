"""Scriptable data entry (``tpm person add``, ``tpm task add``, ``tpm set``).

Every function validates all of its input before it writes anything, and raises
:class:`InputError` / :class:`NotFoundError` with one line that names the field.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.domain import (
    PRIORITIES,
    WEEKDAYS,
    InputError,
    NotFoundError,
    Person,
    Project,
    Task,
    TaskStatus,
    no_person,
    When,
)
from tpm_tui.logic.timeutil import parse_hhmm, zone
from tpm_tui.storage import Store

HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
PROJECT_RE = re.compile(r"^[A-Z][A-Z0-9]{0,11}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---------------------------------------------------------------- parsing


def parse_hours(text: str) -> tuple[str, str]:
    """``09:00-17:30`` -> ("09:00", "17:30")."""
    parts = text.replace("–", "-").split("-")
    if len(parts) != 2:
        raise InputError(f"--hours: {text!r} is not a range like 09:00-17:30")
    try:
        start, end = (parse_hhmm(p.strip()) for p in parts)
    except InputError as exc:
        raise InputError(f"--hours: {exc}") from None
    if not start < end:
        raise InputError(f"--hours: {text!r} ends before it starts (overnight shifts are not supported)")
    return start.strftime("%H:%M"), end.strftime("%H:%M")


def parse_days(text: str) -> tuple[str, ...]:
    """``mon-fri``, ``sun-thu``, ``mon,wed,fri`` or ``mon-wed,fri`` -> weekday names in week order."""
    chosen: set[str] = set()
    for chunk in text.lower().replace(" ", "").split(","):
        if not chunk:
            continue
        if "-" in chunk:
            a, b = chunk.split("-", 1)
            for name in (a, b):
                if name[:3] not in WEEKDAYS:
                    raise InputError(f"--days: unknown weekday {name!r} (use mon, tue, … sun)")
            i, j = WEEKDAYS.index(a[:3]), WEEKDAYS.index(b[:3])
            k = i
            while True:
                chosen.add(WEEKDAYS[k])
                if k == j:
                    break
                k = (k + 1) % 7
        else:
            if chunk[:3] not in WEEKDAYS:
                raise InputError(f"--days: unknown weekday {chunk!r} (use mon, tue, … sun)")
            chosen.add(chunk[:3])
    if not chosen:
        raise InputError("--days: no working day given")
    return tuple(d for d in WEEKDAYS if d in chosen)


_WEEKDAY_WORDS = {name: i for i, name in enumerate(WEEKDAYS)}


FIRST_YEAR, LAST_YEAR = 1970, 2199
"""The years a date typed to tpm may fall in (a due date of 9999-12-31 for "some day" would
overflow every conversion around it: the zone's end of day, the week, the plan)."""


def _in_years(day: date, text: str, field: str) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(f"{field}: {text.strip()!r} is outside the years tpm plans in ({FIRST_YEAR}–{LAST_YEAR})")
    return day


def parse_date(text: str, today: date, *, field: str = "--date") -> date:
    """ISO ``YYYY-MM-DD``, or ``today``, ``tomorrow``, ``yesterday``, ``+3d``, ``-2d``, ``+1w``, ``fri``;
    from :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""
    return _in_years(_parse_date(text, today, field=field), text, field)


def _parse_date(text: str, today: date, *, field: str) -> date:
    t = text.strip().lower()
    if t == "today":
        return today
    if t == "tomorrow":
        return today + timedelta(days=1)
    if t == "yesterday":
        return today - timedelta(days=1)
    m = re.fullmatch(r"([+-]\d{1,4})([dw])", t)
    if m:
        n = int(m.group(1))
        return today + timedelta(days=n * (7 if m.group(2) == "w" else 1))
    if t[:3] in _WEEKDAY_WORDS and t.isalpha():
        ahead = (_WEEKDAY_WORDS[t[:3]] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{field}: {text!r} is not a date (YYYY-MM-DD, today, tomorrow, +3d, fri)") from None


def parse_duration(text: str, *, field: str = "--duration") -> timedelta:
    """A meeting length: ``45`` or ``45m`` (minutes), ``1h``, ``1h30``, ``1h30m``, ``1.5h``;
    from 5 minutes to 12 hours."""
    t = text.strip().lower().replace(" ", "")
    m = re.fullmatch(r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+)(?:m|min)?)?", t)
    if not t or m is None or not (m.group(1) or m.group(2)):
        raise InputError(f"{field}: {text!r} is not a length (45m, 1h, 1h30m, 1.5h)")
    minutes = float(m.group(1) or 0) * 60 + int(m.group(2) or 0)
    if not 5 <= minutes <= 12 * 60:
        raise InputError(f"{field}: {text!r} is not between 5 minutes and 12 hours")
    return timedelta(minutes=round(minutes))


def parse_due(text: str, today: date, tz: ZoneInfo) -> When:
    """A date (see :func:`parse_date`) or a datetime ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]``.

    A datetime without an offset is read in ``tz`` (the user's zone) and stored aware.
    """
    t = text.strip()
    if "T" in t or " " in t:
        try:
            value = datetime.fromisoformat(t)
        except ValueError:
            raise InputError(f"--due: {text!r} is not a date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        _in_years(value.date(), text, "--due")
        return value
    return parse_date(t, today, field="--due")


def parse_hours_amount(value: float | str | None, field: str) -> float | None:
    """Hours as a number, or as words of work (:func:`parse_effort`); 0 to 10000."""
    if value is None:
        return None
    if isinstance(value, str):
        return parse_effort(value, field)
    if not 0 <= value <= 10_000:  # also refuses nan, which compares false with everything
        raise InputError(f"{field}: {value:g} is not a number of hours between 0 and 10000")
    return float(value)


EFFORT_HELP = "6, 6.5h, 1h30m, 90m, 2d (a working day: 8h), 1w (5 days)"
EFFORT_UNITS = {
    "": 1.0, "h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0,
    "m": 1 / 60, "min": 1 / 60, "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60,
    "d": 8.0, "day": 8.0, "days": 8.0, "w": 40.0, "wk": 40.0, "week": 40.0, "weeks": 40.0,
}
"""Work is counted as people plan it (as Jira does): a day of work is 8 hours, a week 5 days."""
_EFFORT_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)\s*")


def parse_effort(text: str, field: str = "hours") -> float:
    """Hours of work from ``6``, ``6.5h``, ``1h30m``, ``1h30`` (minutes after hours), ``90m``,
    ``2d`` (8 hours a day), ``1w`` (5 days), ``1d 4h``; 0 to 10000 hours, to two decimals.
    :class:`InputError` with one line otherwise."""
    hours = effort_hours(text)
    if hours is None:
        raise InputError(f"{field}: {text.strip()!r} is not a number of hours ({EFFORT_HELP})")
    if hours > 10_000:
        raise InputError(f"{field}: {text.strip()!r} is more than 10000 hours")
    return hours


def effort_hours(text: str) -> float | None:
    """:func:`parse_effort` without the range: None when the words are no amount of work
    (Jira's estimates are these words too: ``1w 2d 4h 30m``)."""
    t = text.strip().lower()
    parts = list(_EFFORT_PART.finditer(t)) if t else []
    if not parts or parts[0].start() != 0 or "".join(p.group(0) for p in parts) != t:
        return None
    hours = 0.0
    for i, p in enumerate(parts):
        unit = p.group(2)
        if unit == "" and i > 0:  # 1h30: the minutes after the hours
            unit = "m" if parts[i - 1].group(2) in ("h", "hr", "hrs", "hour", "hours") else "?"
        if unit not in EFFORT_UNITS:
            return None
        hours += float(p.group(1)) * EFFORT_UNITS[unit]
    return round(hours, 2)


PROGRESS_HELP = "6 (hours left), 6/20 (left of an estimate), -2 (2h worked), +3 (3h more), 40% (done); also 90m, 2d"


def parse_progress(text: str, remaining: float | None, estimate: float | None,
                   field: str = "hours") -> tuple[float, float | None]:
    """The hours left (and the estimate) after ``text``: ``6`` or ``6h`` left, ``6/20`` left of a
    new estimate, ``-2`` worked two hours (never below 0), ``+3`` three more needed, ``40%``
    done (of the estimate). An estimate below the hours left is raised to them (as ``task
    add`` does); :class:`InputError` with one line when the words say none of these."""
    words = " ".join(text.lower().split())
    sign = words[:1] if words[:1] in ("+", "-") else None
    body = words[1:].strip() if sign else words
    left_text, slash, of_text = body.partition("/")
    share = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", left_text.strip())
    unit = "%" if share else None
    amount = float(share.group(1)) if share else effort_hours(left_text)
    of = effort_hours(of_text) if slash else None
    if amount is None or (slash and of is None):
        raise InputError(f"{field}: {text.strip()!r} is not an amount ({PROGRESS_HELP})")
    if (amount > 10_000 and unit != "%") or (of is not None and of > 10_000):
        raise InputError(f"{field}: {text.strip()!r}: more than 10000 hours")
    if unit == "%":
        if sign or of is not None or amount > 100:
            raise InputError(f"{field}: {text.strip()!r}: a share done is 0% to 100%")
        if not estimate:
            raise InputError(f"{field}: {text.strip()!r}: a share needs an estimate (say 6/20: 6h left of 20h)")
        return round(estimate * (1 - amount / 100), 2), estimate
    if sign and of is not None:
        raise InputError(f"{field}: {text.strip()!r}: say the hours left of an estimate without + or -")
    left = remaining if remaining is not None else (estimate or 0.0)
    if sign == "-":
        value = max(0.0, left - amount)
    elif sign == "+":
        value = left + amount
    else:
        value = amount
    new_estimate = of if of is not None else estimate
    if value > 10_000 or (new_estimate is not None and new_estimate > 10_000):
        raise InputError(f"{field}: {text.strip()!r}: more than 10000 hours")
    if new_estimate is not None and value > new_estimate:
        if of is not None:
            raise InputError(f"{field}: {text.strip()!r}: more hours left than the estimate")
        new_estimate = value
    return value, new_estimate


def parse_tags(text: str | None, field: str = "--tags") -> tuple[str, ...]:
    """Tags from ``frontend, q1`` or ``+frontend +q1`` (a leading ``+`` as Taskwarrior writes
    them is dropped): in the order given, each once whatever its case, at most 40 characters."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in re.split(r"[,\s]+", text or ""):
        tag = raw.lstrip("+")
        if not tag:
            continue
        if len(tag) > 40 or not tag.isprintable():
            raise InputError(f"{field}: {tag[:40]!r} is not a tag (a word of at most 40 printable characters)")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


# ---------------------------------------------------------------- people


def add_person(
    store: Store,
    *,
    handle: str,
    name: str,
    email: str,
    tz: str,
    hours: str = "09:00-17:30",
    days: str = "mon-fri",
    capacity: float | None = None,
    role: str = "",
) -> Person:
    if not HANDLE_RE.match(handle):
        raise InputError(f"handle {handle!r}: use 1-32 lower-case letters, digits, '.', '_' or '-'")
    if not name.strip():
        raise InputError("--name: must not be empty")
    if not EMAIL_RE.match(email):
        raise InputError(f"--email: {email!r} is not an e-mail address")
    zone(tz)
    start, end = parse_hours(hours)
    work_days = parse_days(days)
    cap = parse_hours_amount(capacity, "--capacity")
    person = Person(
        handle=handle,
        name=name.strip(),
        email=email.strip().lower(),
        timezone=tz,
        work_start=start,
        work_end=end,
        work_days=work_days,
        weekly_capacity_hours=cap,
        role=role,
    )
    with store.transaction():
        if store.person(handle) is not None:
            raise InputError(f"person {handle!r} already exists")
        clash = next((p for p in store.people() if p.email == person.email), None)
        if clash is not None:
            raise InputError(f"--email: {person.email} already belongs to {clash.handle!r}")
        store.put_person(person)
    return person


def edit_person(
    store: Store,
    handle: str,
    *,
    name: str | None = None,
    email: str | None = None,
    tz: str | None = None,
    hours: str | None = None,
    days: str | None = None,
    capacity: float | None = None,
    role: str | None = None,
) -> tuple[Person, list[str]]:
    """Change what is given of a person (validated as by :func:`add_person`); returns the
    person and the names of the fields that changed."""
    changes: dict[str, object] = {}
    if name is not None:
        if not name.strip():
            raise InputError("--name: must not be empty")
        changes["name"] = name.strip()
    if email is not None:
        if not EMAIL_RE.match(email):
            raise InputError(f"--email: {email!r} is not an e-mail address")
        changes["email"] = email.strip().lower()
    if tz is not None:
        zone(tz)
        changes["timezone"] = tz
    if hours is not None:
        changes["work_start"], changes["work_end"] = parse_hours(hours)
    if days is not None:
        changes["work_days"] = parse_days(days)
    if capacity is not None:
        changes["weekly_capacity_hours"] = parse_hours_amount(capacity, "--capacity")
    if role is not None:
        changes["role"] = role.strip()
    with store.transaction():
        person = store.person(handle)
        if person is None:
            raise NotFoundError(no_person(handle, store.people()))
        if "email" in changes:
            clash = next((p for p in store.people() if p.email == changes["email"] and p.handle != handle), None)
            if clash is not None:
                raise InputError(f"--email: {changes['email']} already belongs to {clash.handle!r}")
        changed = [k for k, v in changes.items() if getattr(person, k) != v]
        if not changed:
            raise InputError(f"{handle}: nothing to change (every value given is already so)")
        person = person._replace(**{k: changes[k] for k in changed})
        store.put_person(person)
    return person, changed


MAX_DAYS_OFF_SPAN = 366


def parse_day_span(text: str, today: date) -> tuple[date, date]:
    """``2026-12-21``, ``fri``, ``2026-12-21..2027-01-01`` or ``+1w..+2w`` -> (first, last), inclusive."""
    first_text, sep, last_text = text.partition("..")
    first = parse_date(first_text, today, field="DATE")
    last = parse_date(last_text, today, field="DATE") if sep else first
    if last < first:
        raise InputError(f"DATE: {text!r} ends before it starts")
    if (last - first).days >= MAX_DAYS_OFF_SPAN:
        raise InputError(f"DATE: {text!r} spans more than {MAX_DAYS_OFF_SPAN} days")
    return first, last


def set_days_off(store: Store, handle: str, first: date, last: date, *, off: bool = True,
                 only: Collection[date] | None = None) -> tuple[Person, list[date]]:
    """Mark the person's working days from ``first`` to ``last`` as days off (``off=False``:
    working again); ``only``: just these of those days (the holidays of a calendar). Days
    they do not work anyway are left out. Returns the days that changed."""
    with store.transaction():
        person = store.person(handle)
        if person is None:
            raise NotFoundError(no_person(handle, store.people()))
        span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        working = [d for d in span if WEEKDAYS[d.weekday()] in person.work_days and (only is None or d in only)]
        current = set(person.days_off)
        changed = [d for d in working if (d not in current) == off]
        if changed:
            current = current | set(changed) if off else current - set(changed)
            store.put_person(person._replace(days_off=tuple(sorted(current))))
            person = store.person(handle)  # type: ignore[assignment]
    return person, changed  # type: ignore[return-value]


def _project_fields(store: Store, today: date, *, name: str | None, owner: str | None, target: str | None,
                    stakeholders: str | None) -> dict[str, object]:
    """The given project fields, parsed and checked ('' clears owner, target, stakeholders)."""
    out: dict[str, object] = {}
    if name is not None:
        if not name.strip():
            raise InputError("--name: must not be empty")
        out["name"] = name.strip()
    if owner is not None:
        handle = owner.strip()
        if handle and store.person(handle) is None:
            raise NotFoundError("--owner: " + no_person(handle, store.people()))
        out["owner"] = handle
    if target is not None:
        out["target_date"] = parse_date(target, today, field="--target") if target.strip() else None
    if stakeholders is not None:
        emails = tuple(e.strip().lower() for e in stakeholders.split(",") if e.strip())
        bad = next((e for e in emails if not EMAIL_RE.match(e)), None)
        if bad is not None:
            raise InputError(f"--stakeholders: {bad!r} is not an e-mail address")
        out["stakeholders"] = emails
    return out


def add_project(store: Store, key: str, *, name: str, today: date, owner: str | None = None,
                target: str | None = None, stakeholders: str | None = None) -> Project:
    """A new project (its tasks are added with ``--project KEY``)."""
    code = key.strip().upper()
    if not PROJECT_RE.match(code):
        raise InputError(f"KEY: {key!r} is not a project key (a letter, then up to 11 letters or digits)")
    with store.transaction():
        if store.project(code) is not None:
            raise InputError(f"project {code} already exists (tpm project edit changes it)")
        fields = _project_fields(store, today, name=name, owner=owner, target=target, stakeholders=stakeholders)
        project = Project(key=code, **fields)  # type: ignore[arg-type]
        store.put_project(project)
    return project


def edit_project(store: Store, key: str, *, today: date, name: str | None = None, owner: str | None = None,
                 target: str | None = None, stakeholders: str | None = None) -> tuple[Project, list[str]]:
    """Change what is given of a project; returns it and the names of the fields that changed."""
    code = key.strip().upper()
    with store.transaction():
        project = store.project(code)
        if project is None:
            known = ", ".join(p.key for p in store.projects()) or "none yet"
            raise NotFoundError(f"no project {code!r} (known: {known})")
        fields = _project_fields(store, today, name=name, owner=owner, target=target, stakeholders=stakeholders)
        changed = [k for k, v in fields.items() if getattr(project, k) != v]
        if not changed:
            raise InputError(f"{code}: nothing to change (every value given is already so)")
        project = project._replace(**{k: fields[k] for k in changed})
        store.put_project(project)
    return project, changed


# ---------------------------------------------------------------- tasks


def add_task(
    store: Store,
    *,
    title: str,
    project: str,
    now: datetime,
    tz: ZoneInfo,
    assignee: str | None = None,
    due: str | None = None,
    estimate: float | str | None = None,
    remaining: float | str | None = None,
    priority: str = "normal",
    depends: str | None = None,
    time_sensitive: bool = False,
    journal: bool = False,
    tags: str | None = None,
    repeat: str | None = None,
) -> Task:
    """Validate everything, then add the task with the next free id of its project.

    ``journal=True`` records the creation in the undo journal (the TUI's ``N``), in the
    same atomic write as the task.
    """
    title = title.strip()
    if not title:
        raise InputError("TITLE: must not be empty")
    key = project.strip().upper()
    if not PROJECT_RE.match(key):
        raise InputError(f"--project: {project!r} is not a project key (a letter, then up to 11 letters or digits)")
    if priority not in PRIORITIES:
        raise InputError(f"--priority: {priority!r} is not one of {', '.join(PRIORITIES)}")
    today = now.astimezone(tz).date()
    due_value = parse_due(due, today, tz) if due else None
    est = parse_hours_amount(estimate, "--estimate")
    rem = parse_hours_amount(remaining, "--remaining")
    if rem is None:
        rem = est
    if est is not None and rem is not None and rem > est:
        est = rem
    dep_ids = tuple(d.strip() for d in (depends or "").split(",") if d.strip())
    tag_list = parse_tags(tags)
    from tpm_tui.logic.repeat import rule_text

    rule = rule_text(repeat)
    with store.transaction():
        if assignee is not None and store.person(assignee) is None:
            raise NotFoundError("--assignee: " + no_person(assignee, store.people()))
        for dep in dep_ids:
            if store.task(dep) is None:
                raise NotFoundError(f"--depends: no task {dep!r}")
        if store.project(key) is None:
            store.put_project(Project(key=key, name=key))
        from tpm_tui.services.triage import deleted_task_ids

        task = Task(
            id=f"{key}-{store.next_task_number(key, deleted_task_ids(store))}",
            project=key,
            title=title,
            assignee=assignee,
            status=TaskStatus.TODO,
            priority=priority,
            due=due_value,
            estimate_hours=est,
            remaining_hours=rem,
            depends_on=dep_ids,
            time_sensitive=time_sensitive,
            tags=tag_list,
            created_at=now,
            updated_at=now,
            repeat=rule,
        )
        if journal:
            from tpm_tui.services.triage import create_task

            create_task(store, task, now)
        else:
            store.put_task(task)
    return task


# ---------------------------------------------------------------- settings


def set_me(store: Store, handle: str) -> None:
    with store.transaction():
        if store.person(handle) is None:
            raise NotFoundError(no_person(handle, store.people()))
        store.put_settings(store.settings()._replace(me=handle))


def set_theme(store: Store, name: str | None) -> None:
    """Remember the dashboard's colour theme (the UI checks the name against its themes)."""
    with store.transaction():
        settings = store.settings()
        if settings.theme != name:
            store.put_settings(settings._replace(theme=name))


def set_timezone(store: Store, tz: str) -> None:
    zone(tz)
    with store.transaction():
        store.put_settings(store.settings()._replace(timezone=tz))


def local_zone_name() -> str:
    """The machine's IANA zone name (only ever the *default* for ``--tz``)."""
    import os

    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        try:
            ZoneInfo(env)
            return env
        except Exception:  # noqa: BLE001 - a POSIX TZ string or junk: fall through
            pass
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            name = target.split(marker, 1)[1]
            ZoneInfo(name)
            return name
    except Exception:  # noqa: BLE001
        pass
    return "UTC"


def resolve_tz(store: Store, given: str | None) -> str:
    """``--tz`` if given, else the configured zone, else the machine's zone. Validated."""
    name = given or store.settings().timezone or local_zone_name()
    zone(name)
    return name


def now_in(tz: str) -> datetime:
    """The current time, or ``$TPM_NOW`` (ISO 8601) when set: pins the clock for demos and tests."""
    import os

    pinned = os.environ.get("TPM_NOW")
    if pinned:
        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            raise InputError(f"$TPM_NOW: {pinned!r} is not an ISO 8601 date-time") from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone(tz))
        return value.astimezone(zone(tz))
    return datetime.now(zone(tz))


__all__ = [
    "add_person",
    "add_task",
    "local_zone_name",
    "now_in",
    "parse_date",
    "parse_days",
    "parse_due",
    "parse_hours",
    "resolve_tz",
    "set_me",
    "set_timezone",
]
