"""Tasks from GitHub issues: what ``gh issue list --json …`` (or ``gh issue view --json``) prints.

Engineering teams track their work in GitHub issues; a project manager gets them with the
GitHub CLI, e.g. ``gh issue list --state all --limit 500 --json
number,title,url,state,stateReason,assignees,labels,milestone,body,createdAt,updatedAt,closedAt
> issues.json`` (``blockedBy``, ``parent`` and ``projectItems`` are read too when asked for),
and ``tpm task import issues.json`` reads each issue into the record shape of a Taskwarrior
export, so that one planner (``services.taskwarrior.plan_import``) does the rest:

* the key ``owner/repo#123`` (from ``url``; ``#123`` without one) is kept as the task's source
  (``gh:owner/repo#123``): importing a newer list adds what is new and updates what changed on
  GitHub since (``updatedAt``); ``/repo#123`` finds the task;
* ``title`` → title, ``body`` → a note, the repository → the project (``payments-api`` →
  ``PAYMENTSAPI``, named ``owner/payments-api``), else ``--project``;
* ``state`` OPEN → todo (doing when a label or the project board's status says in progress),
  CLOSED → done, closed as not planned → left out (counted);
* ``assignees``: the first one tpm knows (by handle = login, name or e-mail); someone it does
  not know → unassigned, named in one warning;
* the due date: the ``milestone``'s ``dueOn`` (GitHub issues have no due date of their own);
* labels → tags; a priority label (``P0``–``P3``, ``priority: high``, ``priority/critical``) →
  the priority; an estimate label (``estimate: 4h``, ``size: 2d``) → the estimate;
* ``blockedBy`` → dependencies, a sub-issue's ``parent`` → the parent depends on it (by
  repository and number: an issue of another repository is named by its URL; within
  the file).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from tpm_tui.domain import InputError, Person

PREFIX = "gh:"
_ISSUE_URL = re.compile(r"^https?://[^/]+/([^/]+)/([^/]+)/(?:issues|pull)/(\d+)")
_PRIORITY_LABEL = re.compile(r"^(?:priority|prio|pri)\s*[:/ _-]\s*(.+)$", re.I)
_ESTIMATE_LABEL = re.compile(r"^(?:estimate|est|size|effort)\s*[:/ _-]\s*(.+)$", re.I)
_DOING = ("in progress", "doing", "in review", "review", "started", "status: in progress", "wip")


def looks_like_github_issues(value: Any) -> bool:
    """Is this (parsed JSON) what ``gh issue list/view --json`` prints: issues with a number and a title?"""
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(i, dict) and isinstance(i.get("number"), int) and "title" in i
                               and "uuid" not in i for i in items)


def _key(issue: dict[str, Any]) -> tuple[str, str]:
    """(``owner/repo#123``, ``owner/repo``), or (``#123``, "") without a URL."""
    m = _ISSUE_URL.match(str(issue.get("url") or ""))
    if m:
        repo = f"{m.group(1)}/{m.group(2)}"
        return f"{repo}#{issue['number']}", repo
    return f"#{issue['number']}", ""


def _names(value: Any, field: str = "name") -> list[str]:
    """The names in a list of GitHub objects (labels, assignees): ``[{"name": …}]`` or plain strings."""
    out = []
    for v in value if isinstance(value, list) else []:
        got = v.get(field) if isinstance(v, dict) else v
        if isinstance(got, str) and got.strip():
            out.append(" ".join(got.split()))
    return out


def _stamp(text: Any) -> str | None:
    """GitHub's ``2026-11-30T09:15:00Z`` as a Taskwarrior export writes a time; None when none."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _numbers(value: Any, repo: str) -> list[tuple[str, int]]:
    """The issues ``blockedBy`` / ``parent`` name, as (repository, number): objects with a
    ``number`` (and a ``url`` or ``repository.nameWithOwner`` saying whose), or bare numbers —
    those, and objects that do not say, are of ``repo`` (the naming issue's own)."""
    items = value if isinstance(value, list) else [value] if value else []
    if isinstance(value, dict) and isinstance(value.get("nodes"), list):
        items = value["nodes"]
    out = []
    for v in items:
        n = v.get("number") if isinstance(v, dict) else v
        if not isinstance(n, int):
            continue
        whose = repo
        if isinstance(v, dict):
            m = _ISSUE_URL.match(str(v.get("url") or ""))
            named = v.get("repository", {}).get("nameWithOwner") if isinstance(v.get("repository"), dict) else None
            whose = f"{m.group(1)}/{m.group(2)}" if m else named if isinstance(named, str) and named else repo
        out.append((whose, n))
    return out


def records(value: Any, *, source: str, tz: tzinfo, people: list[Person]) -> tuple[list[dict[str, Any]], list[str]]:
    """The issues as Taskwarrior-export records, and what was said about them."""
    from tpm_tui.services.entry import effort_hours
    from tpm_tui.services.taskcsv import _PRIORITY, _people_index

    issues = value if isinstance(value, list) else [value]
    who = _people_index(people)  # a login is matched as a handle, else the name
    warnings: list[str] = []
    strangers: dict[str, int] = {}
    by_number: dict[tuple[str, int], str] = {}  # (repository, number) -> key
    keyed = []
    for issue in issues:
        key, repo = _key(issue)
        keyed.append((issue, key, repo))
        by_number.setdefault((repo, issue["number"]), key)
    waits: dict[str, list[str]] = {}
    out: list[dict[str, Any]] = []
    for n, (issue, key, repo) in enumerate(keyed, start=1):
        where = f"{source}: issue {n} ({key})"
        title = " ".join(str(issue.get("title") or "").split())
        labels = _names(issue.get("labels"))
        state = str(issue.get("state") or "OPEN").upper()
        reason = str(issue.get("stateReason") or "").upper()
        board = [str(i.get("status", {}).get("name", "")).casefold() for i in issue.get("projectItems") or []
                 if isinstance(i, dict) and isinstance(i.get("status"), dict)]
        record: dict[str, Any] = {
            "uuid": key,
            "description": title or f"(no title: {key})",
            "status": ("deleted" if reason == "NOT_PLANNED" else "completed") if state == "CLOSED" else "pending",
        }
        if state != "CLOSED" and any(s in _DOING for s in [*(lb.casefold() for lb in labels), *board]):
            record["start"] = "in progress"
        if repo:
            record["project"] = repo.split("/", 1)[1]
            record["project_name"] = repo
        tags, priority = [], None
        for label in labels:
            pm, em = _PRIORITY_LABEL.match(label), _ESTIMATE_LABEL.match(label)
            if pm and _PRIORITY.get(pm.group(1).strip().casefold()):
                priority = _PRIORITY[pm.group(1).strip().casefold()]
            elif re.fullmatch(r"p[0-4]", label, re.I):
                priority = _PRIORITY[label.casefold()]
            elif em and effort_hours(em.group(1)) is not None:
                record["estimate"] = effort_hours(em.group(1))
            elif label.casefold() not in _DOING:  # a status label says doing; it is no topic
                tags.append(label)
        if priority:
            record["priority"] = priority
        if tags:
            record["tags"] = list(dict.fromkeys(tags))
        if "assignees" in issue:  # each one's login, then name: the first tpm knows
            named = [n for a in issue.get("assignees") or [] for n in _names([a], "login") + _names([a])]
            handle = next((who[n.casefold()] for n in named if n.casefold() in who), None)
            if named and handle is None:
                strangers[named[0]] = strangers.get(named[0], 0) + 1
            record["assignee"] = handle or ""
        milestone = issue.get("milestone")
        due_on = milestone.get("dueOn") if isinstance(milestone, dict) else None
        if isinstance(due_on, str) and due_on.strip():
            try:
                day = date.fromisoformat(due_on.strip()[:10])  # a milestone is due on a day
            except ValueError:
                warnings.append(f"{where}: milestone due {due_on!r} is not a date: left out")
            else:
                record["due"] = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        for field, name in (("entry", "createdAt"), ("modified", "updatedAt"), ("end", "closedAt")):
            stamp = _stamp(issue.get(name))
            if stamp:
                record[field] = stamp
        body = str(issue.get("body") or "").strip()
        if body:
            record["annotations"] = [{"entry": record.get("entry"), "description": body}]
        for number in _numbers(issue.get("blockedBy"), repo):
            other = by_number.get(number)
            if other and other != key:
                waits.setdefault(key, []).append(other)
        for number in _numbers(issue.get("parent"), repo):
            parent = by_number.get(number)
            if parent and parent != key:
                waits.setdefault(parent, []).append(key)
        out.append(record)
    for r in out:
        if r["uuid"] in waits:
            r["depends"] = list(dict.fromkeys(waits[r["uuid"]]))
    if strangers:
        named = ", ".join(f"{name} ({count})" for name, count in sorted(strangers.items(), key=lambda x: -x[1])[:6])
        more = f" and {len(strangers) - 6} more" if len(strangers) > 6 else ""
        warnings.append(f"{source}: assignees tpm does not know, left unassigned: {named}{more} "
                        "(tpm person add them with their GitHub login as the handle, or --assignee)")
    if not out:
        raise InputError(f"{source}: no issues in it")
    return out, warnings


__all__ = ["PREFIX", "looks_like_github_issues", "records"]
