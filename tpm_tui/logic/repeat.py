"""Repeating tasks: the rule a task repeats by, and the due date of its next one.

A repeating task is one task at a time (as in Taskwarrior): marking it done creates the
next, due one step later — the weekly status report, the monthly cost review. The rule
is kept as words (``weekly``, ``every 2 weeks``, ``monthly``, ``weekdays``,
``monthly on the 31st``), which is also how it is stored and shown.

A series keeps its beat: a monthly task keeps its day of the month (the 31st is the last
day of a shorter month, and the 31st again after it), and a weekly, monthly or yearly one
that would fall on a day its assignee does not work (a weekend, a day off) is due the
working day before. Either needs the series' own day beside the date the task carries,
so the next task's rule says it (``monthly`` due the 31st becomes ``monthly on the
31st``).

Pure: no Textual, no storage; dates and an explicit ``today``.
"""

from __future__ import annotations

import calendar
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
_ON_DAY = re.compile(r"^(.*?)\s+on\s+(?:the\s+)?(?:day\s+)?(\d{1,2})(?:st|nd|rd|th)?$")
MAX_COUNT = 366
NONE_WORDS = frozenset({"", "none", "never", "no", "off", "-"})
HELP = "daily, weekdays, weekly, every 2 weeks, monthly, monthly on the 15th, quarterly, yearly, 3d / 2w / 1m, or none"


class Rule(NamedTuple):
    """Every ``count`` ``unit`` (day, weekday, week, month, year); months and years may
    keep a ``day`` of the month (the last day of a month that has fewer)."""

    count: int
    unit: str
    day: int | None = None

    @property
    def text(self) -> str:
        """The words it is stored and shown as: ``weekly``, ``every 2 weeks``,
        ``monthly on the 31st``."""
        words = _ONE[self.unit] if self.count == 1 else f"every {self.count} {self.unit}s"
        return f"{words} on the {ordinal(self.day)}" if self.day else words


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``, ``31st``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def parse_rule(text: str | None, field: str = "--repeat") -> Rule | None:
    """The rule ``text`` names (None for ``none``/empty: not repeating); :class:`InputError`
    with one line when it names none."""
    words = " ".join((text or "").lower().split())
    if words in NONE_WORDS:
        return None
    on_day = _ON_DAY.match(words)
    if on_day is not None:
        rule = parse_rule(on_day.group(1), field)
        day = int(on_day.group(2))
        if rule is None or rule.unit not in ("month", "year"):
            raise InputError(f"{field}: {text!r}: a day of the month goes with monthly, quarterly or yearly")
        if not 1 <= day <= 31:
            raise InputError(f"{field}: {text!r}: a day of the month is 1 to 31")
        return rule._replace(day=day)
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


_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_WEEKDAY_RULE = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def to_rrule(rule: Rule) -> str:
    """The RRULE of an appointment that repeats by ``rule`` (``weekly`` → ``FREQ=WEEKLY``;
    ``weekdays`` → Monday to Friday; a day of the month → ``BYMONTHDAY``)."""
    if rule.unit == "weekday":
        return _WEEKDAY_RULE
    text = f"FREQ={_FREQ[rule.unit]}" + (f";INTERVAL={rule.count}" if rule.count != 1 else "")
    return text + (f";BYMONTHDAY={rule.day}" if rule.day else "")


def from_rrule(rrule: str | None) -> Rule | None:
    """The rule :func:`to_rrule` made ``rrule`` from (None for any other RRULE)."""
    if not rrule:
        return None
    if rrule == _WEEKDAY_RULE:
        return Rule(1, "weekday")
    parts = dict(p.split("=", 1) for p in rrule.split(";") if "=" in p)
    freq = parts.pop("FREQ", "")
    unit = next((u for u, f in _FREQ.items() if f == freq), None)
    try:
        count = int(parts.pop("INTERVAL", "1"))
        day = int(parts.pop("BYMONTHDAY")) if "BYMONTHDAY" in parts else None
    except ValueError:
        return None
    if unit is None or parts or count < 1 or (day is not None and unit not in ("month", "year")):
        return None
    return Rule(count, unit, day)


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
             work_days: tuple[str, ...] = WEEKDAYS[:5], days_off: tuple[date, ...] = ()) -> When:
    """The due date of the task after one due ``due``, done ``today`` (see :func:`next_in_series`)."""
    return next_in_series(due, rule, today, tz, work_days=work_days, days_off=days_off)[0]


def next_in_series(due: When | None, rule: Rule, today: date, tz: tzinfo, *,
                   work_days: tuple[str, ...] = WEEKDAYS[:5], days_off: tuple[date, ...] = ()) -> tuple[When, Rule]:
    """The due date of the task after one due ``due``, done ``today``, and the rule it
    repeats by (the series' day of the month added when the date alone no longer says it).

    One step after ``due``; when that is still before ``today`` (done late), the first step
    on or after today: a weekly report done three weeks late is due this week, not three
    times in the past. No due date: one step after today. A due time keeps its wall-clock
    time in ``tz`` (the user's zone) across a change of summer time. Months keep the day
    of the month (the 31st is a shorter month's last day, then the 31st again). A weekly,
    monthly or yearly step that lands on a day the assignee does not work (``work_days``,
    Mon–Fri when empty; ``days_off``) is due the working day before, unless that is not
    after ``due`` or is past. ``weekdays`` steps over the days they do not work; ``daily``
    and every N days count calendar days.
    """
    days = frozenset(WEEKDAYS.index(d) for d in work_days if d in WEEKDAYS) or frozenset(range(5))
    local: datetime | None = None
    if due is None:
        day = today
    elif isinstance(due, datetime):
        local = due.astimezone(tz) if due.tzinfo is not None else due
        day = local.date()
    else:
        day = due
    monthly = rule.unit in ("month", "year")
    anchor = (rule.day or day.day) if monthly else 0
    if due is None:
        nxt = _with_day(_months(day, rule, 1), anchor) if monthly else _step(day, rule, days)
    elif monthly:
        base = _nearest_with_day(day, anchor)  # the series' date of this task (it may have been moved back)
        for n in range(1, 100_000):
            nxt = _with_day(_months(base, rule, n), anchor)
            if nxt >= today and nxt > day:
                break
    else:
        nxt = day
        for _ in range(100_000):
            nxt = _step(nxt, rule, days)
            if nxt >= today:
                break
    shown = nxt
    if rule.unit in ("week", "month", "year"):
        before = _working_day_before(nxt, days, frozenset(days_off))
        if before is not None and before > day and before >= today:
            shown = before
    kept = rule._replace(day=anchor) if monthly and not rule.day and (anchor > 28 or shown != nxt) else rule
    if local is None:
        return shown, kept
    return local.replace(year=shown.year, month=shown.month, day=shown.day, fold=0), kept


def _working_day_before(day: date, work_days: frozenset[int], days_off: frozenset[date]) -> date | None:
    """``day`` itself when the assignee works it, else the closest working day before it
    (None when there is none within a fortnight)."""
    for back in range(15):
        d = day - timedelta(days=back)
        if d.weekday() in work_days and d not in days_off:
            return d
    return None


def _months(first: date, rule: Rule, n: int) -> date:
    from dateutil.relativedelta import relativedelta

    months = rule.count * n * (12 if rule.unit == "year" else 1)
    return first + relativedelta(months=months)  # type: ignore[no-any-return]


def _with_day(d: date, day: int) -> date:
    """``d``'s month on ``day`` (its last day when it has fewer)."""
    return d.replace(day=min(day, calendar.monthrange(d.year, d.month)[1]))


def _nearest_with_day(d: date, day: int) -> date:
    """The date on ``day`` of the month (or the month's last) closest to ``d``: the series'
    date of a task whose due date was moved a few days off it."""
    first = d.replace(day=1)
    candidates = [_with_day(first - timedelta(days=1), day), _with_day(d, day),
                  _with_day(first + timedelta(days=32), day)]
    return min(candidates, key=lambda c: (abs((c - d).days), c))


__all__ = ["HELP", "Rule", "next_due", "next_in_series", "ordinal", "parse_rule", "rule_text"]
