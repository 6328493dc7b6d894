"""A recurrence rule in plain words: ``every weekday``, ``every 2 weeks on Mon, Thu``.

The Detail pane showed an invite's ``RRULE`` as it came (``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR``);
a manager reads ``every weekday`` instead, as Outlook and Google word it. :func:`describe`
covers what calendar clients write for meetings: daily, weekly (with days and an interval),
monthly by day of month or by ``2nd Tue`` / ``last Fri`` (``BYDAY=2TU`` or ``BYDAY=TU;BYSETPOS=2``),
yearly by date or by ``4th Thu of Nov``, each with ``COUNT`` (``10 times``) or ``UNTIL`` (``until Thu 31 Dec 2026``).
Anything else (hourly rules, ``BYWEEKNO``, ``BYYEARDAY``, several set positions, a part it
does not know) gives ``None``, and the caller shows the rule as written: a wrong sentence
would be worse than a raw one.

Pure: standard library only, no Textual.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_EVERY_ONE = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}
_KNOWN = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST"}
_WEEKDAYS = frozenset(range(5))


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``; ``last`` for -1, ``2nd last`` for -2."""
    if n < 0:
        return "last" if n == -1 else f"{ordinal(-n)} last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _parts(rule: str) -> dict[str, str] | None:
    parts: dict[str, str] = {}
    for item in rule.strip().removeprefix("RRULE:").split(";"):
        if not item:
            continue
        key, eq, value = item.partition("=")
        key = key.strip().upper()
        if not eq or key not in _KNOWN or key in parts:
            return None
        parts[key] = value.strip().upper()
    return parts if "FREQ" in parts else None


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _byday(text: str) -> list[tuple[int, int]] | None:
    """``2TU,-1FR`` -> ``[(2, 1), (-1, 4)]`` (position 0 = every such day)."""
    out = []
    for item in text.split(","):
        code, num = item[-2:], item[:-2]
        if code not in DAY_CODES:
            return None
        pos = _int(num) if num else 0
        if pos is None or not -5 <= pos <= 5:
            return None
        out.append((pos, DAY_CODES.index(code)))
    return out


def _day_list(days: list[int]) -> str:
    ordered = sorted(set(days))
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]}–{DAY_NAMES[ordered[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in ordered)


def _until(text: str, start: datetime | date) -> str | None:
    """``UNTIL`` as a date in the series' own zone (a UTC ``…Z`` value read there)."""
    try:
        if "T" in text:
            value = datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S")
            if text.endswith("Z"):
                value = value.replace(tzinfo=UTC)
                zone: tzinfo | None = start.tzinfo if isinstance(start, datetime) else None
                if zone is not None:
                    value = value.astimezone(zone)
            day = value.date()
        else:
            day = datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None
    return day.strftime("%a %d %b %Y")


def describe(rule: str, start: datetime | date) -> str | None:
    """The rule in plain words for a series starting at ``start``, or ``None`` (see the module)."""
    parts = _parts(rule)
    if parts is None:
        return None
    freq = parts["FREQ"]
    if freq not in _UNITS:
        return None
    interval = _int(parts.get("INTERVAL", "1"))
    if interval is None or interval < 1:
        return None
    byday = _byday(parts["BYDAY"]) if "BYDAY" in parts else []
    if byday is None:
        return None
    monthdays = [_int(x) for x in parts["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in parts else []
    months = [_int(x) for x in parts["BYMONTH"].split(",")] if "BYMONTH" in parts else []
    setpos = [_int(x) for x in parts["BYSETPOS"].split(",")] if "BYSETPOS" in parts else []
    if any(x is None or x == 0 or not -31 <= x <= 31 for x in monthdays) or any(
        x is None or not 1 <= x <= 12 for x in months
    ) or any(x is None or x == 0 or not -5 <= x <= 5 for x in setpos) or len(setpos) > 1:
        return None
    every = _EVERY_ONE[freq] if interval == 1 else f"every {interval} {_UNITS[freq]}s"
    plain_days = [d for pos, d in byday if pos == 0]
    numbered = [(pos, d) for pos, d in byday if pos != 0]

    text: str | None
    if freq in ("DAILY", "WEEKLY"):
        if numbered or monthdays or setpos or (months and freq == "WEEKLY"):
            return None
        days = plain_days or ([start.weekday()] if freq == "WEEKLY" else [])
        if interval == 1 and set(days) == _WEEKDAYS:
            text = "every weekday"
        elif freq == "DAILY" and days:
            text = f"{every} on {_day_list(days)}" if interval > 1 else f"every {_day_list(days)}"
        elif freq == "DAILY":
            text = every
        else:
            text = f"{every} on {_day_list(days)}"
        if months:
            text += " in " + ", ".join(MONTHS[m - 1] for m in sorted(set(months)))  # type: ignore[index]
    elif freq == "MONTHLY":
        if months:
            return None
        if monthdays and not byday and not setpos:
            text = f"{every} on the " + ", ".join(
                ordinal(d) if d > 0 else f"{ordinal(d)} day" for d in monthdays  # type: ignore[operator,arg-type]
            )
        elif len(numbered) == 1 and not plain_days and not monthdays and not setpos:
            pos, d = numbered[0]
            text = f"{every} on the {ordinal(pos)} {DAY_NAMES[d]}"
        elif plain_days and not numbered and not monthdays and len(setpos) == 1:
            pos = setpos[0]
            assert pos is not None
            names = "weekday" if set(plain_days) == _WEEKDAYS else " or ".join(DAY_NAMES[d] for d in sorted(set(plain_days)))
            text = f"{every} on the {ordinal(pos)} {names}"
        elif not byday and not monthdays and not setpos:
            text = f"{every} on the {ordinal(start.day)}"
        else:
            return None
    else:  # YEARLY
        if len(numbered) == 1 and not plain_days and len(months) == 1 and not monthdays and not setpos:
            pos, d = numbered[0]  # a holiday's shape: the 4th Thu of Nov
            text = f"{every} on the {ordinal(pos)} {DAY_NAMES[d]} of {MONTHS[months[0] - 1]}"  # type: ignore[operator]
            return _bounded(text, parts, start)
        if byday or setpos or len(months) > 1 or len(monthdays) > 1:
            return None
        month = months[0] if months else start.month
        day = monthdays[0] if monthdays else start.day
        if day is None or day < 1:
            return None
        text = f"{every} on {day} {MONTHS[month - 1]}"  # type: ignore[index]

    return _bounded(text, parts, start)


def _bounded(text: str, parts: dict[str, str], start: datetime | date) -> str | None:
    """``text`` with the rule's end: ``, 10 times`` / ``, until Thu 31 Dec 2026``."""
    if "COUNT" in parts:
        count = _int(parts["COUNT"])
        if count is None or count < 1 or "UNTIL" in parts:
            return None
        return text + (", once" if count == 1 else f", {count} times")
    if "UNTIL" in parts:
        until = _until(parts["UNTIL"], start)
        return None if until is None else f"{text}, until {until}"
    return text


__all__ = ["describe", "ordinal"]
