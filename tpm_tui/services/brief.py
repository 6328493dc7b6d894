"""The daily brief: one local day's meetings, risk, workload and plan, from a store.

The CLI (``tpm brief``) and the TUI call :func:`daily_brief`. Expanding recurring
meetings is the expensive part; it is cached per store, keyed on ``store.version``
(which changes on every write and reload), the window and the zone. Risk and the
plan are pure functions of the data and ``now``; they are kept per minute of
``now`` (computed with the first ``now`` seen in that minute), so paging through
days in the TUI recomputes only that day's meetings (and the workload when the
week changes).

Meetings are looked at from the day before the shown week (or before ``now``) up to
``MEETING_HORIZON_DAYS`` after ``now``; beyond that, free time for the capacity rule
is working time only.
"""

from __future__ import annotations

import weakref
from datetime import date, datetime, time, timedelta
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from tpm_tui.domain import Occurrence
from tpm_tui.logic.agenda import by_local_day, day_views, known_attendees
from tpm_tui.logic.freetime import OccurrenceIndex
from tpm_tui.logic.plan import plan as make_focus_plan
from tpm_tui.logic.results import Brief, Plan
from tpm_tui.logic.risk import CAPACITY_EXACT_DAYS, Assessment, Fit, assess, fits_for, reassess
from tpm_tui.logic.timeutil import day_bounds, zone
from tpm_tui.logic.workload import week_load

if TYPE_CHECKING:
    from tpm_tui.storage import Store

MEETING_HORIZON_DAYS = CAPACITY_EXACT_DAYS  # 28: what the capacity rule subtracts meetings for
BRIEF_PLAN_DAYS = 5
_ONE_DAY = timedelta(days=1)
_MAX_ENTRIES = 48

_caches: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()


_meeting_caches: weakref.WeakKeyDictionary[Any, dict[Any, Any]] = weakref.WeakKeyDictionary()


_assessments: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], Assessment]] = weakref.WeakKeyDictionary()
"""Per store: the last risk assessment and what it was computed for (minute, people, settings, meetings)."""
_loads: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], Assessment | None, list[Any]]] = weakref.WeakKeyDictionary()
"""Per store: the last week's loads, what they were computed for, and the risk
assessment computed from the same tasks (None when unknown)."""


def _cache(store: Store) -> dict[Any, Any]:
    """Per-store cache, emptied whenever ``store.version`` moves."""
    entry = _caches.get(store)
    if entry is None or entry.get("version") != store.version or len(entry) > _MAX_ENTRIES:
        entry = {"version": store.version}
        _caches[store] = entry
    return entry


def _meeting_cache(store: Store) -> dict[Any, Any]:
    """Per-store cache of expanded meetings, emptied only when the meetings table changes:
    a triage action on a task does not pay for expanding the calendar again."""
    version = store.table_versions["meetings"]
    entry = _meeting_caches.get(store)
    if entry is None or entry.get("version") != version or len(entry) > _MAX_ENTRIES:
        entry = {"version": version}
        _meeting_caches[store] = entry
    return entry


COVER_BEFORE = timedelta(days=62)
COVER_AFTER = timedelta(days=124)
"""A meeting index holds the meetings around the first window asked for, from two months
before to four after (paging days, the week, the planning horizon): a database with years
of history decodes and indexes only those (see :meth:`Store.meetings_within`)."""


def _covering_index(store: Store, cache: dict[Any, Any], start: datetime, end: datetime) -> Any:
    """A :class:`MeetingIndex` whose meetings cover ``[start, end)`` (cached per meetings version)."""
    from tpm_tui.logic.recurrence import MeetingIndex

    first, last = start.date() - _ONE_DAY, end.date() + _ONE_DAY  # in any zone the window is within these dates
    indexes: dict[tuple[date, date], Any] = cache.setdefault("indexes", {})
    for (lo, hi), index in indexes.items():
        if lo <= first and last <= hi:
            return index
    lo, hi = first - COVER_BEFORE, last + COVER_AFTER
    index = indexes[lo, hi] = MeetingIndex(store.meetings_within(lo, hi))
    return index


def occurrences_between(store: Store, start: datetime, end: datetime, tz: ZoneInfo) -> list[Occurrence]:
    """Expanded occurrences overlapping ``[start, end)`` (floating read in ``tz``), cached."""
    cache = _meeting_cache(store)
    key = ("between", start, end, str(tz))
    hit = cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    result = list(_covering_index(store, cache, start, end).between(start, end, tz))
    cache[key] = result
    return result


def planning_occurrences(store: Store, now: datetime, tz: ZoneInfo, *, since: date | None = None, until: date | None = None) -> OccurrenceIndex:
    """The occurrences risk, workload and plan look at, indexed by attendee (cached)."""
    start_day = min(since or now.astimezone(tz).date(), now.astimezone(tz).date()) - _ONE_DAY
    end_day = max(until or now.astimezone(tz).date(), now.astimezone(tz).date() + timedelta(days=MEETING_HORIZON_DAYS)) + _ONE_DAY
    start = datetime.combine(start_day, time(0), tzinfo=tz)
    end = datetime.combine(end_day, time(0), tzinfo=tz)
    cache = _meeting_cache(store)
    key = ("index", start, end, str(tz))
    index = cache.get(key)
    if index is None:
        index = cache[key] = OccurrenceIndex(occurrences_between(store, start, end, tz))
    return index  # type: ignore[no-any-return]


def _assess(store: Store, tasks: list[Any], people: list[Any], index: OccurrenceIndex, now: datetime,
            minute: datetime, settings: Any) -> tuple[Assessment, Assessment | None]:
    """Risk for ``tasks`` and the assessment it was derived from (None: a full pass).

    After a few task changes within the same minute (a triage action), only what they
    can move is recomputed (:func:`reassess`); else a full pass.
    """
    signature = (minute, store.table_versions["people"], settings, index)
    previous = _assessments.get(store)
    if previous is not None and previous[0] == signature:
        base: Assessment | None = previous[1]
        result = reassess(previous[1], tasks)
    else:
        base = None
        result = assess(tasks, people, index, now, settings)
    _assessments[store] = (signature, result)
    return result, base


def _lagged_now(store: Store, now: datetime, lag: timedelta, tzinfo: ZoneInfo) -> datetime:
    """The moment of the store's last risk pass if it may stand in for ``now`` (see ``lag``)."""
    previous = _assessments.get(store)
    if previous is None:
        return now
    as_of: datetime = previous[1].ctx.now
    if timedelta(0) <= now - as_of <= lag and as_of.astimezone(tzinfo).date() == now.astimezone(tzinfo).date():
        return as_of
    return now


def _day_meetings(store: Store, day: date, tzinfo: ZoneInfo, people: list[Any], me: str | None,
                  occurrences: list[Occurrence] | None = None) -> list[Any]:
    """The day's meeting views (odd hours, local times, conflicts), cached per meetings
    version: they depend on meetings, people and "me" only, so task changes keep them.
    ``occurrences``: a span's expansion covering the day, if at hand."""
    key = ("views", day, str(tzinfo), store.table_versions["people"], me)
    cache = _meeting_cache(store)
    views = cache.get(key)
    if views is None:
        if occurrences is None:
            occurrences = occurrences_between(store, *day_bounds(day, tzinfo), tzinfo)
        views = cache[key] = day_views(occurrences, day, tzinfo, people, me)
    return views  # type: ignore[no-any-return]


def daily_brief(store: Store, day: date, tz: str, now: datetime, *, lag: timedelta | None = None) -> Brief:
    """Everything for local ``day`` in zone ``tz`` as seen at ``now``.

    ``lag``: risk, workload and plan may be computed as of the moment of this store's last
    risk pass instead, when that is at most ``lag`` before ``now`` and on the same local
    date. After a triage action in a new minute, that re-scores only what the action can
    move (~30 ms at 10k tasks) instead of a full pass for the new minute (~0.45 s); the
    brief's ``now`` says which moment it is as of, and the caller asks for a brief without
    lag once the user pauses (the TUI does).
    """
    tzinfo = zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tzinfo)
    if lag:
        now = _lagged_now(store, now, lag, tzinfo)
    # The cache entry is taken before the data is read: if another thread writes while
    # this runs, what is computed here lands in the entry of the older version (which
    # the next call drops), never under the newer version with the older tasks.
    cache = _cache(store)
    settings = store.settings()
    people = store.people()
    tasks = store.open_tasks()  # risk, workload and plan look at open tasks only
    week_start = day - timedelta(days=day.weekday())

    day_start, day_end = day_bounds(day, tzinfo)
    # the day's meeting views depend on meetings, people and "me" only: kept across task changes
    meetings = _day_meetings(store, day, tzinfo, people, settings.me)

    index, week_index = _planning_indexes(store, now, tzinfo, week_start)
    # risk and plan are kept for the minute: moving between days in the TUI reuses them
    minute = now.replace(second=0, microsecond=0)
    risk_key = ("risk", minute, str(tzinfo))
    at_risk = cache.get(risk_key)
    assessment = base = None
    if at_risk is None:
        assessment, base = _assess(store, tasks, people, index, now, minute, settings)
        at_risk = cache[risk_key] = assessment.items
    load_key = ("workload", week_start, minute, str(tzinfo))
    workload = cache.get(load_key)
    if workload is None:
        # After a triage action only the loads of the changed tasks' assignees move. The
        # previous loads are reused only when they were computed with the very tasks
        # the risk pass was derived from (``base``), so ``moved`` describes their difference.
        load_signature = (week_start, minute, store.table_versions["people"], settings.me, week_index)
        previous = _loads.get(store)
        reuse = (
            base is not None and assessment is not None and assessment.moved is not None
            and previous is not None and previous[0] == load_signature and previous[1] is base
        )
        workload = week_load(people, tasks, week_index, week_start, now, me=settings.me,
                             previous=previous[2] if reuse else None,  # type: ignore[index]
                             only=assessment.moved if reuse else None)  # type: ignore[union-attr]
        cache[load_key] = workload
        _loads[store] = (load_signature, assessment, workload)

    me = store.person(settings.me) if settings.me else None
    plan_key = ("plan", minute, str(tzinfo))
    focus = cache.get(plan_key)
    if focus is None:
        focus = Plan(person=None) if me is None else make_focus_plan(me, tasks, at_risk, index, now, BRIEF_PLAN_DAYS, settings, people=people)
        cache[plan_key] = focus
    return Brief(
        day=day,
        tz=tz,
        now=now,
        meetings=tuple(meetings),
        at_risk=tuple(at_risk),
        workload=tuple(workload),
        plan=focus,
    )


def room_finder(store: Store) -> Callable[[Any], dict[str, Fit]]:
    """Who has room for a task (:func:`tpm_tui.logic.risk.fits_for`), bound to the store's
    risk pass of now (its ``now``, meetings, free-time lines, people): what a dashboard
    computed from that pass asks, whatever passes come later. Memoised per task; empty
    before the first pass."""
    previous = _assessments.get(store)
    if previous is None:
        return lambda task: {}
    assessment, people = previous[1], store.people()
    memo: dict[int, tuple[Any, dict[str, Fit]]] = {}

    def room(task: Any) -> dict[str, Fit]:
        hit = memo.get(id(task))
        if hit is None or hit[0] is not task:
            hit = memo[id(task)] = (task, fits_for(assessment, task, people))
        return hit[1]

    return room


def forecast_finder(store: Store) -> Callable[[str], Any]:
    """A project's :class:`~tpm_tui.logic.forecast.Forecast` by key (None: no target date ahead,
    no open work, no such project), bound to the store's risk pass of now as
    :func:`room_finder` is; memoised per key; always None before the first pass."""
    from tpm_tui.logic.forecast import forecast
    from tpm_tui.logic.risk import free_hours_before

    previous = _assessments.get(store)
    if previous is None:
        return lambda key: None
    assessment = previous[1]
    people, tasks = store.people(), store.open_tasks()
    memo: dict[str, Any] = {}

    def free(person: Any, when: datetime) -> float:
        return free_hours_before(assessment, person, when)

    def find(key: str) -> Any:
        if key not in memo:
            project = store.project(key)
            memo[key] = None if project is None else forecast(project, tasks, people, assessment.ctx.now, free)
        return memo[key]

    return find


def room_elsewhere_finder(store: Store) -> Callable[[Any], list[tuple[str, float]]]:
    """For a project's forecast: who outside its people has spare hours before its target
    (:func:`tpm_tui.logic.forecast.room_before`), bound to the store's risk pass of now;
    memoised per project; always empty before the first pass."""
    from tpm_tui.logic.forecast import room_before
    from tpm_tui.logic.risk import free_hours_before

    previous = _assessments.get(store)
    if previous is None:
        return lambda fc: []
    assessment = previous[1]
    people, tasks = store.people(), store.open_tasks()
    memo: dict[str, list[tuple[str, float]]] = {}

    def find(fc: Any) -> list[tuple[str, float]]:
        got = memo.get(fc.project)
        if got is None:
            project = store.project(fc.project)
            team = {r.handle for r in fc.people} | ({project.owner} if project is not None and project.owner else set())
            got = memo[fc.project] = room_before(fc.target, tasks, people, assessment.ctx.now,
                                                 lambda p, when: free_hours_before(assessment, p, when), besides=team)
        return got

    return find


def forecasts(store: Store, projects: Any = None) -> dict[str, Any]:
    """Per project (``projects``, default: all) with a target date ahead and open work, its
    forecast (:func:`forecast_finder`; run :func:`daily_brief` first, else empty)."""
    find = forecast_finder(store)
    found = {p.key: find(p.key) for p in (store.projects() if projects is None else projects)}
    return {k: fc for k, fc in found.items() if fc is not None}


AGENDA_MAX_DAYS = 62


def agenda(store: Store, first: date, days: int, tz: str) -> list[tuple[date, tuple[Any, ...]]]:
    """The meetings of ``days`` local days from ``first`` in zone ``tz`` (odd hours, local
    times, conflicts: as the brief shows a day), one entry a day, empty days included.
    One expansion of the whole span, then the views of each day (cached like the brief's)."""
    tzinfo = zone(tz)
    settings, people = store.settings(), store.people()
    start, _ = day_bounds(first, tzinfo)
    _, end = day_bounds(first + timedelta(days=days - 1), tzinfo)
    by_day = by_local_day(occurrences_between(store, start, end, tzinfo), first, days, tzinfo)
    return [(day, tuple(_day_meetings(store, day, tzinfo, people, settings.me, occurrences)))
            for day, occurrences in by_day.items()]


def person_week(store: Store, handle: str, day: date, tz: str, now: datetime) -> tuple[Any, list[Any], list[tuple[Any, Any]]]:
    """What ``tpm person show`` prints, computed for that person alone: their load for the
    week of ``day`` (local ``tz``), their tasks at risk (highest score first) and the week's
    meetings at their odd hours (see :func:`odd_hours_week`).

    Equal to what :func:`daily_brief` gives for them: risk looks at their open tasks and
    everything those depend on, directly or not (the only other tasks a rule reads: the
    capacity rule reads the assignee's own queue, a cycle through a task lies within what
    it depends on), and the load at their tasks and meetings.
    """
    tzinfo = zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tzinfo)
    settings, people = store.settings(), store.people()
    person = next(p for p in people if p.handle == handle)
    tasks = store.open_tasks()
    by_id = {t.id: t for t in tasks}
    mine = [t for t in tasks if t.assignee == handle]
    needed: dict[str, Any] = {t.id: t for t in mine}
    stack = [d for t in mine for d in t.depends_on]
    while stack:
        i = stack.pop()
        if i not in needed and i in by_id:
            needed[i] = by_id[i]
            stack.extend(by_id[i].depends_on)
    week = day - timedelta(days=day.weekday())
    index, week_index = _planning_indexes(store, now, tzinfo, week)
    risks = [r for r in assess(list(needed.values()), people, index, now, settings).items if r.task.assignee == handle]
    [load] = week_load([person], mine, week_index, week, now, me=settings.me)
    return load, risks, odd_hours_week(store, handle, week, tz, only_theirs=True)


def _planning_indexes(store: Store, now: datetime, tzinfo: ZoneInfo, week_start: date) -> tuple[OccurrenceIndex, OccurrenceIndex]:
    """The occurrences risk and plan look at, and those the workload of ``week_start`` does
    (the same index when the planning window covers that week)."""
    today = now.astimezone(tzinfo).date()
    this_week = today - timedelta(days=today.weekday())
    index = planning_occurrences(store, now, tzinfo, since=this_week)
    if this_week <= week_start and week_start + timedelta(days=7) <= today + timedelta(days=MEETING_HORIZON_DAYS):
        return index, index
    return index, planning_occurrences(store, now, tzinfo, since=week_start, until=week_start + timedelta(days=7))


def odd_hours_week(store: Store, handle: str, week_start: date, tz: str, *, only_theirs: bool = False) -> list[tuple[Any, Any]]:
    """The meetings of the week from ``week_start`` (local days in ``tz``) at odd hours for
    ``handle``: (meeting view, their local time), by start; a meeting spanning two days once.

    ``only_theirs``: look only at the meetings they attend instead of taking the week's
    views (cached, shared with the days the dashboard shows): what a one-shot command wants."""
    if only_theirs:
        week = _their_week(store, handle, week_start, tz)
    else:
        week = agenda(store, week_start, 7, tz)
    seen: set[tuple[str, object]] = set()
    out = []
    for _day, views in week:
        for v in views:
            key = (v.occurrence.uid, v.occurrence.start)
            if key in seen:
                continue
            mine = next((lt for lt in v.local_times if lt.handle == handle and lt.odd), None)
            if mine is not None:
                seen.add(key)
                out.append((v, mine))
    return out


def _their_week(store: Store, handle: str, week_start: date, tz: str) -> list[tuple[date, list[Any]]]:
    """The week's views of the meetings ``handle`` attends (as :func:`agenda` gives them,
    without the conflicts between meetings of "me")."""
    tzinfo = zone(tz)
    settings, people = store.settings(), store.people()
    by_email = {p.email.lower(): p for p in people if p.email}
    me = next((p for p in people if p.handle == settings.me), None) if settings.me else None
    start, _ = day_bounds(week_start, tzinfo)
    _, end = day_bounds(week_start + timedelta(days=6), tzinfo)
    theirs = [o for o in occurrences_between(store, start, end, tzinfo)
              if any(p.handle == handle for p in known_attendees(o, by_email, me))]
    return [(day, day_views(occs, day, tzinfo, people, settings.me))
            for day, occs in by_local_day(theirs, week_start, 7, tzinfo).items()]


class MeetingTimes(NamedTuple):
    """What :func:`meeting_slots` found."""

    asked: list[Any]  # the people, in order, "me" first
    slots: list[Any]  # best first (:func:`tpm_tui.logic.slots.find_slots`)
    never_free: tuple[str, ...] = ()  # with no slot: whoever has no free time that long alone


def meeting_slots(store: Store, handles: list[str], first: date, days: int, tz: str, now: datetime,
                  duration: timedelta, *, with_me: bool = True, limit: int = 5) -> MeetingTimes:
    """Times for a meeting of ``handles`` (and "me", unless ``with_me`` is false) of
    ``duration`` in the ``days`` local days from ``first`` (from ``now`` on), best first.
    When none is free for all of them, ``never_free`` names who has no such time alone."""
    from tpm_tui.domain import InputError, NotFoundError, no_person
    from tpm_tui.logic.slots import find_slots
    from tpm_tui.logic.timeutil import parse_hhmm

    tzinfo = zone(tz)
    if now.tzinfo is None:
        now = now.replace(tzinfo=tzinfo)
    settings, people = store.settings(), store.people()
    by_handle = {p.handle: p for p in people}
    asked: list[Any] = []
    if with_me and settings.me in by_handle and settings.me not in handles:
        asked.append(by_handle[settings.me])
    for h in handles:
        p = by_handle.get(h)
        if p is None:
            raise NotFoundError(no_person(h, people))
        if p not in asked:
            asked.append(p)
    if not asked:
        raise InputError("name at least one person to meet (tpm person list)")
    start = max(day_bounds(first, tzinfo)[0], now)
    end = day_bounds(first + timedelta(days=days - 1), tzinfo)[1]
    if end <= now:
        last = first + timedelta(days=days - 1)
        raise InputError(f"--from: {first:%a %d %b}–{last:%a %d %b} is over (now {now.astimezone(tzinfo):%a %d %b %H:%M})")
    today = now.astimezone(tzinfo).date()
    # from this week's Monday, as the brief asks: the dashboard's index is reused, not rebuilt
    since = min(first, today - timedelta(days=today.weekday()))
    index = planning_occurrences(store, now, tzinfo, since=since, until=first + timedelta(days=days))
    window = (parse_hhmm(settings.plan_window_start), parse_hhmm(settings.plan_window_end))
    slots = find_slots(asked, index, start, end, duration, me=settings.me, window=window, limit=limit)
    never: tuple[str, ...] = ()
    if not slots:
        never = tuple(p.handle for p in asked
                      if not find_slots([p], index, start, end, duration, me=settings.me, window=window, limit=1))
    return MeetingTimes(asked, slots, never)
