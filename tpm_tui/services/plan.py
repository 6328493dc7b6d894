"""``tpm plan``: focus blocks for a person, and their ``.ics`` export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tpm_tui.domain import InputError, NotFoundError, no_person
from tpm_tui.logic.plan import plan as make_focus_plan
from tpm_tui.logic.results import Plan
from tpm_tui.logic.risk import assess_all
from tpm_tui.logic.timeutil import zone
from tpm_tui.services.brief import planning_occurrences

if TYPE_CHECKING:
    from tpm_tui.storage import Store


def make_plan(store: Store, *, days: int, handle: str | None, now: datetime, tz: str) -> Plan:
    """Focus blocks over ``days`` days for ``handle`` (default: the configured "me")."""
    tzinfo = zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tzinfo)
    settings = store.settings()
    who = handle or settings.me
    if not who:
        raise InputError("no person to plan for: pass --for HANDLE, or set yourself with `tpm set me HANDLE`")
    person = store.person(who)
    if person is None:
        raise NotFoundError(no_person(who, store.people()))
    tasks = store.open_tasks()  # what risk and the plan look at
    people = store.people()
    today = now.astimezone(tzinfo).date()
    this_week = today - timedelta(days=today.weekday())  # the same window as the brief: one cached expansion
    index = planning_occurrences(store, now, tzinfo, since=this_week, until=today + timedelta(days=days + 1))
    risk = assess_all(tasks, people, index, now, settings)
    return make_focus_plan(person, tasks, risk, index, now, days, settings, people=people)


def export_plan_ics(plan: Plan, store: Store, *, now: datetime | None = None) -> bytes:
    """The plan's blocks as ``.ics`` bytes (stable UIDs; DTSTAMP = ``now``)."""
    from tpm_tui.ics.export import plan_to_ics

    titles = {b.task_id: task.title for b in plan.blocks if (task := store.task(b.task_id)) is not None}
    return plan_to_ics(plan.blocks, titles, now or datetime.now(UTC), person=plan.person)
