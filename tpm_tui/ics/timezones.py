"""Time zone resolution for calendar files: TZID text -> an IANA ``ZoneInfo``.

Calendar files name their zones in many ways. In order of trust:

1. an IANA name (``Europe/Berlin``), possibly with a vendor prefix
   (``/mozilla.org/20050126_1/Europe/Berlin``);
2. a Windows zone name (``W. Europe Standard Time``), mapped with the CLDR table that
   ``icalendar`` ships;
3. an Outlook 2003 display name (``Canberra, Melbourne, Sydney``, sometimes with a
   ``(GMT+10.00)`` prefix), mapped with the small table below;
4. anything else (``Customized Time Zone``, ``Europe_Berlin``): the file's own
   VTIMEZONE block, turned into a ``tzinfo`` by ``icalendar``, then matched against
   the IANA zones by its UTC offsets over the years around the event, so a weekly
   series keeps its local wall time across DST. When no IANA zone matches, the
   VTIMEZONE's own ``tzinfo`` is returned and the caller stores the instants in UTC.

A name that resolved by 1-3 is still checked against the file's VTIMEZONE when the
file has one: the VTIMEZONE block says what the sender's clock did, so if they
disagree (an old Windows definition), the VTIMEZONE wins.

Nothing here depends on the machine's own zone.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

# Outlook 2003 / Exchange 2003 wrote the display name of the zone as TZID. The
# CLDR table only knows the registry key names, so the common display names are here.
OUTLOOK_DISPLAY_NAMES: dict[str, str] = {
    "canberra, melbourne, sydney": "Australia/Sydney",
    "brisbane": "Australia/Brisbane",
    "adelaide": "Australia/Adelaide",
    "darwin": "Australia/Darwin",
    "hobart": "Australia/Hobart",
    "perth": "Australia/Perth",
    "auckland, wellington": "Pacific/Auckland",
    "osaka, sapporo, tokyo": "Asia/Tokyo",
    "seoul": "Asia/Seoul",
    "beijing, chongqing, hong kong, urumqi": "Asia/Shanghai",
    "beijing, chongqing, hong kong sar, urumqi": "Asia/Shanghai",
    "kuala lumpur, singapore": "Asia/Singapore",
    "taipei": "Asia/Taipei",
    "bangkok, hanoi, jakarta": "Asia/Bangkok",
    "chennai, kolkata, mumbai, new delhi": "Asia/Kolkata",
    "kolkata, chennai, mumbai, new delhi": "Asia/Kolkata",
    "islamabad, karachi, tashkent": "Asia/Karachi",
    "abu dhabi, muscat": "Asia/Dubai",
    "moscow, st. petersburg, volgograd": "Europe/Moscow",
    "jerusalem": "Asia/Jerusalem",
    "athens, beirut, istanbul, minsk": "Europe/Athens",
    "athens, bucharest, istanbul": "Europe/Athens",
    "cairo": "Africa/Cairo",
    "harare, pretoria": "Africa/Johannesburg",
    "helsinki, kyiv, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "helsinki, kiev, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "brussels, copenhagen, madrid, paris": "Europe/Paris",
    "sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
    "west central africa": "Africa/Lagos",
    "greenwich mean time : dublin, edinburgh, lisbon, london": "Europe/London",
    "dublin, edinburgh, lisbon, london": "Europe/London",
    "casablanca, monrovia": "Africa/Casablanca",
    "azores": "Atlantic/Azores",
    "brasilia": "America/Sao_Paulo",
    "buenos aires, georgetown": "America/Argentina/Buenos_Aires",
    "atlantic time (canada)": "America/Halifax",
    "newfoundland": "America/St_Johns",
    "eastern time (us & canada)": "America/New_York",
    "indiana (east)": "America/Indiana/Indianapolis",
    "bogota, lima, quito": "America/Bogota",
    "central time (us & canada)": "America/Chicago",
    "mexico city": "America/Mexico_City",
    "guadalajara, mexico city, monterrey": "America/Mexico_City",
    "saskatchewan": "America/Regina",
    "mountain time (us & canada)": "America/Denver",
    "arizona": "America/Phoenix",
    "pacific time (us & canada)": "America/Los_Angeles",
    "pacific time (us & canada); tijuana": "America/Los_Angeles",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "utc": "UTC",
    "coordinated universal time": "UTC",
    "gmt": "UTC",
}

_PREFIX = re.compile(r"^\(\s*(?:gmt|utc)\s*(?:[+-]\s*\d{1,2}(?:[.:]\d{2})?)?\s*\)\s*", re.IGNORECASE)


@lru_cache(maxsize=1024)
def iana_zone(name: str) -> ZoneInfo | None:
    """The ZoneInfo for an exact IANA name, or None."""
    if not name or name.startswith("/") or ".." in name or "\\" in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def clean_tzid(tzid: str) -> str:
    """TZID text without quotes, TEXT escapes or surrounding blanks."""
    text = str(tzid).strip().strip('"').strip()
    return text.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def zone_by_name(tzid: str) -> ZoneInfo | None:
    """Resolve a TZID by its name only (IANA, vendor prefix, Windows, Outlook 2003)."""
    name = clean_tzid(tzid)
    if not name:
        return None
    zone = iana_zone(name)
    if zone is not None:
        return zone
    if name.startswith("/"):
        parts = name.strip("/").split("/")
        for start in range(len(parts)):
            zone = iana_zone("/".join(parts[start:]))
            if zone is not None:
                return zone
    olson = WINDOWS_TO_OLSON.get(name)
    if olson:
        return iana_zone(olson)
    key = _PREFIX.sub("", name).strip().lower()
    olson = OUTLOOK_DISPLAY_NAMES.get(key)
    if olson:
        return iana_zone(olson)
    for win, olson in WINDOWS_TO_OLSON.items():
        if win.lower() == key:
            return iana_zone(olson)
    return None


# ------------------------------------------------------------------ matching by offsets

PREFERRED = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu", "America/Toronto", "America/Vancouver", "America/Halifax",
    "America/St_Johns", "America/Mexico_City", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
    "America/Bogota", "America/Santiago", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Berlin",
    "Europe/Paris", "Europe/Amsterdam", "Europe/Madrid", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw",
    "Europe/Helsinki", "Europe/Kyiv", "Europe/Athens", "Europe/Istanbul", "Europe/Moscow", "Africa/Cairo",
    "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi", "Asia/Jerusalem", "Asia/Dubai", "Asia/Karachi",
    "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok", "Asia/Singapore", "Asia/Shanghai",
    "Asia/Hong_Kong", "Asia/Tokyo", "Asia/Seoul", "Australia/Perth", "Australia/Adelaide", "Australia/Darwin",
    "Australia/Brisbane", "Australia/Sydney", "Australia/Hobart", "Pacific/Auckland", "UTC",
)


def _samples(when: datetime, lo: datetime | None = None, hi: datetime | None = None) -> tuple[list[datetime], int]:
    """Local wall times to compare zones at, and the index of ``when`` among them.

    Weekly from a year before ``when`` to two years after, kept within ``[lo, hi]``,
    the span that the VTIMEZONE actually defines.
    """
    when = when.replace(tzinfo=None)
    base = when.replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=364)
    out = [base + timedelta(days=7 * i) for i in range(157)]
    out = [s for s in out if (lo is None or s >= lo) and (hi is None or s <= hi)]
    out.append(when)
    return out, len(out) - 1


def _offset(tz: tzinfo, s: datetime) -> timedelta | None:
    try:
        return s.replace(tzinfo=tz).utcoffset()
    except Exception:  # a broken VTIMEZONE: no offset
        return None


CUSTOM_ZONE_BUDGET_S = 0.5


def _targets(custom: tzinfo, samples: list[datetime]) -> list[timedelta | None] | None:
    """``custom``'s offsets at the samples, or None when it is too slow to be usable
    (a malformed VTIMEZONE can make each lookup walk its rules for seconds)."""
    deadline = time.monotonic() + CUSTOM_ZONE_BUDGET_S
    out = []
    for s in samples:
        out.append(_offset(custom, s))
        if time.monotonic() > deadline:
            return None
    return out


@lru_cache(maxsize=1)
def _candidate_names() -> tuple[str, ...]:
    """IANA zones to match against: well-known zones, CLDR primary zones, then all others."""
    seen: dict[str, None] = dict.fromkeys(n for n in PREFERRED if iana_zone(n) is not None)
    for n in sorted(set(WINDOWS_TO_OLSON.values())):
        seen.setdefault(n, None)
    for n in sorted(available_timezones()):
        if "/" in n and not n.startswith(("posix/", "right/", "Etc/")):
            seen.setdefault(n, None)
    for n in sorted(available_timezones()):
        if n.startswith("Etc/GMT"):
            seen.setdefault(n, None)
    return tuple(seen)


def _score(zone: tzinfo, samples: list[datetime], target: list[timedelta | None], at: int) -> int:
    """Samples where ``zone`` has the target offset; -1 when it differs at the event itself."""
    if _offset(zone, samples[at]) != target[at]:
        return -1
    return sum(1 for s, t in zip(samples, target, strict=True) if t is not None and _offset(zone, s) == t)


def agrees(
    zone: tzinfo, custom: tzinfo, when: datetime, lo: datetime | None = None, hi: datetime | None = None
) -> bool:
    """True when ``zone`` keeps ``custom``'s UTC offsets at ``when`` and (nearly) always around it.

    A VTIMEZONE often defines only a few years (or starts at the event's year), so
    9 in 10 weekly samples over three years must agree, and the event's own date must.
    """
    samples, at = _samples(when, lo, hi)
    target = _targets(custom, samples)
    if target is None:
        return False
    known = sum(1 for t in target if t is not None)
    return known > 0 and _score(zone, samples, target, at) >= 0.9 * known


def match_zone(
    custom: tzinfo, when: datetime, hint: str = "", lo: datetime | None = None, hi: datetime | None = None
) -> ZoneInfo | None:
    """The IANA zone whose offsets best equal ``custom``'s around ``when`` (see :func:`agrees`).

    Ties go to a zone whose city appears in ``hint`` (the TZID), then to well-known zones.
    """
    samples, at = _samples(when, lo, hi)
    target = _targets(custom, samples)
    if target is None or target[at] is None:
        return None
    known = sum(1 for t in target if t is not None)
    step = max(1, len(samples) // 6)
    probes = [i for i in range(0, len(samples), step) if target[i] is not None]
    hint_l = hint.lower().replace("_", " ").replace("/", " ")
    best: tuple[int, int, int] | None = None
    chosen = ""
    for order, name in enumerate(_candidate_names()):
        zone = iana_zone(name)
        if zone is None or _offset(zone, samples[at]) != target[at]:
            continue
        misses = sum(1 for i in probes if _offset(zone, samples[i]) != target[i])
        if misses > 1:
            continue
        score = _score(zone, samples, target, at)
        if score < 0.9 * known:
            continue
        city = name.rsplit("/", 1)[-1].lower().replace("_", " ")
        bonus = 1 if city and city in hint_l else 0
        rank = (score, bonus, -order)
        if best is None or rank > best:
            best, chosen = rank, name
    return iana_zone(chosen) if chosen else None


_SUB = re.compile(r"BEGIN:(STANDARD|DAYLIGHT)\r?\n(.*?)END:\1", re.DOTALL | re.IGNORECASE)
_DTSTART = re.compile(r"^DTSTART(;[^:]*)?:(\d{4})(\d{4})(T\d{6})?", re.MULTILINE | re.IGNORECASE)


_TZ_PROPS = {"DTSTART", "TZOFFSETTO", "TZOFFSETFROM", "RRULE", "RDATE", "TZNAME", "COMMENT"}


@lru_cache(maxsize=256)
def _vtimezone_tz(text: str, year: int) -> tuple[tzinfo | None, datetime | None, datetime | None]:
    """``icalendar``'s tzinfo for a VTIMEZONE block, and the span of wall times it defines.

    Exchange starts its rules in 1601; the tzinfo then walks 400 years of rule for
    every lookup. A sub-block with an endless RRULE and no RDATE describes the same
    transitions from any later start, so its DTSTART year is moved to two years
    before ``year`` (the text only; icalendar still does all the work).
    """
    first: datetime | None = None
    last: datetime | None = None
    endless = False

    def fix(block: re.Match[str]) -> str:
        nonlocal first, last, endless
        body = block.group(2)
        upper = body.upper()
        has_rule = "\nRRULE:" in "\n" + upper
        bounded_rule = has_rule and ("COUNT=" in upper or "UNTIL=" in upper)
        m = _DTSTART.search(body)
        if m:
            try:
                start = datetime.strptime(m.group(2) + m.group(3), "%Y%m%d")
            except ValueError:
                start = None
            if start is not None:
                first = start if first is None or start < first else first
                if not has_rule:
                    last = start if last is None or start > last else last
        for rd in re.findall(r"^RDATE[^:]*:(.*)$", body, re.MULTILINE | re.IGNORECASE):
            for item in rd.split(","):
                try:
                    when = datetime.strptime(item.strip()[:8], "%Y%m%d")
                except ValueError:
                    continue
                last = when if last is None or when > last else last
        if has_rule and not bounded_rule:
            endless = True
        elif bounded_rule:
            u = re.search(r"UNTIL=(\d{8})", upper)
            if u:
                try:
                    when = datetime.strptime(u.group(1), "%Y%m%d")
                    last = when if last is None or when > last else last
                except ValueError:
                    pass
            else:
                endless = True  # COUNT: assume it reaches the event (rare)
        if (
            m
            and has_rule
            and not bounded_rule
            and "\nRDATE" not in "\n" + upper
            and int(m.group(2)) < year - 2
            and m.group(3) != "0229"
        ):
            body = body[: m.start(2)] + f"{year - 2:04d}" + body[m.end(2) :]
        return f"BEGIN:{block.group(1)}\r\n{body}END:{block.group(1)}"

    fixed = _SUB.sub(fix, text)
    # Zone rules repeat yearly. Any other frequency (a FREQ=SECONDLY smuggled into a
    # DAYLIGHT block made icalendar walk every second since 1990) makes the block unusable:
    # the TZID is then resolved by its name, or the times are kept as the file wrote them.
    for freq in re.findall(r"^RRULE:.*?FREQ=([A-Z]+)", fixed, re.MULTILINE | re.IGNORECASE):
        if freq.upper() != "YEARLY":
            return None, None, None
    # Only the properties RFC 5545 allows in STANDARD/DAYLIGHT: an EXDATE there (also found
    # by fuzzing) sends dateutil's rule search into a loop that never ends.
    for block in _SUB.finditer(fixed):
        for line in block.group(2).splitlines():
            name = re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()
            if name and not line[:1].isspace() and name not in _TZ_PROPS and not name.startswith("X-"):
                return None, None, None
    try:
        from icalendar import Timezone
        from icalendar.timezone import tzp

        comp = Timezone.from_ical(fixed)
        tz = comp.to_tz(tzp, lookup_tzid=False)
    except Exception:
        return None, None, None
    hi = None if endless else last
    return tz, first, hi


@dataclass(frozen=True)
class Resolved:
    """What a TZID turned into: an IANA zone, or only a tzinfo with no IANA name."""

    zone: tzinfo | None  # ZoneInfo when IANA, else the VTIMEZONE's own tzinfo, None if unknown
    iana: bool
    note: str = ""  # a warning to report, "" when all is well


class ZoneResolver:
    """Resolves the TZIDs of one file, with that file's VTIMEZONE blocks; caches per TZID."""

    def __init__(self, vtimezones: dict[str, Any]) -> None:
        self._vtz = vtimezones  # clean TZID -> icalendar Timezone component
        self._cache: dict[str, Resolved] = {}

    def resolve(self, tzid: str, when: datetime) -> Resolved:
        """Resolve ``tzid`` for a value at (naive wall time) ``when``; cached per TZID for this file."""
        key = clean_tzid(tzid)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve(key, when.replace(tzinfo=None))
        return hit

    def _custom(self, key: str, when: datetime) -> tuple[tzinfo | None, datetime | None, datetime | None]:
        comp = self._vtz.get(key)
        if comp is None:
            return None, None, None
        try:
            text = comp.to_ical().decode("utf-8", "replace")
        except Exception:
            return None, None, None
        return _vtimezone_tz(text, when.year)

    def _resolve(self, key: str, when: datetime) -> Resolved:
        by_name = zone_by_name(key)
        custom, lo, hi = self._custom(key, when)
        if by_name is not None:
            if custom is None or agrees(by_name, custom, when, lo, hi):
                return Resolved(by_name, True)
        if custom is not None:
            matched = match_zone(custom, when, key, lo, hi)
            if matched is not None:
                return Resolved(matched, True)
            return Resolved(
                custom,
                False,
                f"time zone {key!r} matches no IANA zone; its times are kept as fixed UTC instants",
            )
        if by_name is not None:  # pragma: no cover - handled above
            return Resolved(by_name, True)
        return Resolved(None, False, f"unknown time zone {key!r} without VTIMEZONE; times read as floating")
