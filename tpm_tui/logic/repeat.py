"""Repeating tasks: the rule a task repeats by, and the due date of its next one.

A repeating task is one task at a time (as in Taskwarrior): marking it done creates the
next, due one step later — the weekly status report, the monthly cost review. The rule
is kept as words (``weekly``, ``every 2 weeks``, ``monthly``, ``weekdays``), which is also
how it is stored and shown.

Pure: no Textual, no storage; dates and an explicit ``today``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from tpm_tui.domain import WEEKDAYS, InputError, When

UNITS = ("day", "weekday", "week", "month", "year")
_ONE = {"day": "daily", "weekday": "weekdays", "week": "weekly", "month": "monthly", "year": "yearly"}
_WORDS = {
    "daily": (1, "day"), "weekdays": (1, "weekday"), "workdays": (1, "weekday"), "weekly": (1, "week"),
    "biweekly": (2, "week"), "fortnightly": (2, "week"), "monthly": (1, "month"), "quarterly": (3, "month"),
    "yearly": (1, "year"), "annually": (1, "year"),
}
_UNIT_WORDS = {
    "d": "day", "day": "day", "days": "day",
    "wd": "weekday", "weekday": "weekday", "weekdays": "weekday", "workday": "weekday", "workdays": "weekday",
    "w": "week", "wk": "week", "week": "week", "weeks": "week",
    "m": "month", "mo": "month", "month": "month", "months": "month",
    "y": "year", "yr": "year", "year": "year", "years": "year",
}
_EVERY = re.compile(r"^(?:every\s+)?(other\s+|\d+\s*)?([a-z]+)$")
MAX_COUNT = 366
NONE_WORDS = frozenset({"", "none", "never", "no", "off", "-"})
HELP = "daily, weekdays, weekly, every 2 weeks, monthly, quarterly, yearly, 3d / 2w / 1m, or none"


class Rule(NamedTuple):
    """Every ``count`` ``unit`` (day, weekday, week, month, year)."""

    count: int
    unit: str

    @property
    def text(self) -> str:
        """The words it is stored and shown as: ``weekly``, ``every 2 weeks``."""
        if self.count == 1:
            return _ONE[self.unit]
        return f"every {self.count} {self.unit}s"


def parse_rule(text: str | None, field: str = "--repeat") -> Rule | None:
    """The rule ``text`` names (None for ``none``/empty: not repeating); :class:`InputError`
    with one line when it names none."""
    words = " ".join((text or "").lower().split())
    if words in NONE_WORDS:
        return None
    if words in _WORDS:
        return Rule(*_WORDS[words])
    m = _EVERY.match(words)
    unit = _UNIT_WORDS.get(m.group(2)) if m else None
    if m is None or unit is None or (not m.group(1) and not words.startswith("every")):
        raise InputError(f"{field}: {text!r} is not a repeat ({HELP})")
    count_text = (m.group(1) or "").strip()
    count = 2 if count_text == "other" else int(count_text) if count_text else 1
    if not 1 <= count <= MAX_COUNT:
        raise InputError(f"{field}: {text!r}: the count must be 1 to {MAX_COUNT}")
    if unit == "weekday" and count != 1:
        raise InputError(f"{field}: {text!r}: working days repeat one at a time (weekdays)")
    return Rule(count, unit)


def rule_text(text: str | None, field: str = "--repeat") -> str | None:
    """A rule in its own words (``2w`` → ``every 2 weeks``): how it is stored; None when none."""
    rule = parse_rule(text, field)
    return rule.text if rule else None


def _step(day: date, rule: Rule, work_days: frozenset[int]) -> date:
    if rule.unit == "day":
        return day + timedelta(days=rule.count)
    if rule.unit == "week":
        return day + timedelta(weeks=rule.count)
    if rule.unit == "weekday":
        nxt = day + timedelta(days=1)
        while nxt.weekday() not in work_days:
            nxt += timedelta(days=1)
        return nxt
    return _months(day, rule, 1)


def next_due(due: When | None, rule: Rule, today: date, tz: tzinfo, *,
             work_days: tuple[str, ...] = WEEKDAYS[:5]) -> When:
    """The due date of the task after one due ``due``, done ``today``.

    One step after ``due``; when that is still before ``today`` (done late), the first step
    on or after today: a weekly report done three weeks late is due this week, not three
    times in the past. No due date: one step after today. A due time keeps its wall-clock
    time in ``tz`` (the user's zone) across a change of summer time. Months keep the day
    of the month (the 31st becomes the month's last day: dateutil's ``relativedelta``).
    ``work_days``: the assignee's, for ``weekdays`` (Mon–Fri when empty).
    """
    days = frozenset(WEEKDAYS.index(d) for d in work_days if d in WEEKDAYS) or frozenset(range(5))
    if due is None:
        return _step(today, rule, days)
    if isinstance(due, datetime):
        local = due.astimezone(tz) if due.tzinfo is not None else due
        day = local.date()
    else:
        local, day = None, due
    base = day
    for n in range(1, 100_000):
        if rule.unit in ("month", "year"):  # from the first due: the 31st stays the last day of each month
            nxt = _months(base, rule, n)
        else:
            nxt = _step(day, rule, days)
        day = nxt
        if day >= today:
            break
    if local is None:
        return day
    return local.replace(year=day.year, month=day.month, day=day.day, fold=0)


def _months(first: date, rule: Rule, n: int) -> date:
    from dateutil.relativedelta import relativedelta

    months = rule.count * n * (12 if rule.unit == "year" else 1)
    return first + relativedelta(months=months)  # type: ignore[no-any-return]


__all__ = ["HELP", "Rule", "next_due", "parse_rule", "rule_text"]
