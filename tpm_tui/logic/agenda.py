"""A local day's meetings: odd hours per person, local times, conflicts.

Rules:

* ``day_views`` lists the occurrences overlapping the local day ``[00:00, 24:00)``
  in the view zone ``tz`` (a meeting that ends exactly at 00:00 does not spill into
  the next day; a zero-length one counts on the day it starts). Cancelled
  occurrences are dropped. All-day events cover their dates in any zone and come
  first on the day; timed ones are sorted by start, then end, then summary.
* Known attendees are people matched by e-mail (case-insensitive), plus the
  user ("me") on every meeting, since the store is their calendar; anyone whose
  PARTSTAT is ``DECLINED`` is left out. ``local_times`` has one entry per known
  attendee, "me" first.
* **Odd hours**: a timed meeting is at odd hours for a person when any part of it
  falls outside their working intervals in their own zone (a non-working day or a
  day off is entirely outside). All-day events have no odd hours and no local times.
* **Conflicts**: overlaps (``a.start < b.end and b.start < a.end``) between the
  timed, not cancelled meetings of the day that "me" has not declined and that are not
  shown as free (``TRANSP:TRANSPARENT``: a "lunch" or "FYI" entry is no clash).
  ``conflicts_with`` holds the other meetings' UIDs, de-duplicated, in day order.
* **Join link** (:func:`join_link`): the address of the call, from the location or
  the description.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.domain import Occurrence, Person, is_appointment
from tpm_tui.logic.freetime import calendar_key, covers, person_zone, working_intervals
from tpm_tui.logic.results import LocalTime, MeetingView
from tpm_tui.logic.timeutil import day_bounds, zone

_ONE_DAY = timedelta(days=1)


def _tz(tz: ZoneInfo | str) -> ZoneInfo:
    return zone(tz) if isinstance(tz, str) else tz


def _declined(occ: Occurrence, email: str) -> bool:
    return answer_of(occ, email) == "DECLINED"


def answer_of(occ: Occurrence, email: str) -> str:
    """The PARTSTAT of the attendee with ``email`` (upper case), "" when not invited as one."""
    email = email.lower()
    for a in occ.meeting.attendees:
        if a.email.lower() == email:
            return a.partstat.upper()
    return ""


def _all_day_dates(occ: Occurrence) -> tuple[date, date]:
    s, e = occ.start, occ.end
    s_d = s.date() if isinstance(s, datetime) else s
    e_d = e.date() if isinstance(e, datetime) else e
    if e_d <= s_d:
        e_d = s_d + _ONE_DAY
    return s_d, e_d


def _instant(value: datetime | date, tz: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time(), tzinfo=tz)
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value


def is_odd_for(person: Person, start: datetime, end: datetime) -> bool:
    """True when any part of ``[start, end)`` lies outside the person's working time."""
    work = working_intervals(person, start - _ONE_DAY, end + _ONE_DAY)
    return not covers(work, start.astimezone(UTC), end.astimezone(UTC))


class WorkCache:
    """Working intervals per person over one window, to answer :func:`is_odd_for` for many
    meetings of a day without rebuilding them per meeting (same answers: see ``odd``)."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start, self.end = start.astimezone(UTC), end.astimezone(UTC)
        self._work: dict[tuple[object, ...], list[tuple[datetime, datetime]]] = {}

    def odd(self, person: Person, start: datetime, end: datetime) -> bool:
        try:
            s, e = start.astimezone(UTC), end.astimezone(UTC)
            outside = s - _ONE_DAY < self.start or e + _ONE_DAY > self.end
        except OverflowError:
            outside = True
        if outside:
            return is_odd_for(person, start, end)
        # intervals over a wider window than [s - 1 day, e + 1 day]: covers() answers the same
        key = calendar_key(person)
        work = self._work.get(key)
        if work is None:
            work = self._work[key] = working_intervals(person, self.start, self.end)
        return not covers(work, s, e)


def known_attendees(occ: Occurrence, by_email: dict[str, Person], me: Person | None) -> list[Person]:
    """People attending (not declined), "me" first, each once."""
    out: list[Person] = []
    seen: set[str] = set()
    if me is not None and not _declined(occ, me.email):
        out.append(me)
        seen.add(me.handle)
    for a in occ.meeting.attendees:
        p = by_email.get(a.email.lower())
        if p is not None and p.handle not in seen and a.partstat.upper() != "DECLINED":
            out.append(p)
            seen.add(p.handle)
    return out


def meeting_view(
    occ: Occurrence,
    tz: ZoneInfo,
    by_email: dict[str, Person],
    me: Person | None,
    work: WorkCache | None = None,
) -> MeetingView:
    """One occurrence with local times and odd hours (conflicts are added by :func:`day_views`)."""
    answer = answer_of(occ, me.email) if me is not None and me.email else ""
    if occ.all_day:
        s_d, e_d = _all_day_dates(occ)
        return MeetingView(occurrence=occ, start=s_d, end=e_d, my_answer=answer)
    start = _instant(occ.start, tz).astimezone(tz)
    end = _instant(occ.end, tz).astimezone(tz)
    if end < start:
        end = start
    locals_: list[LocalTime] = []
    odd: list[str] = []
    mine = is_appointment(occ.meeting)  # my own appointment: my choice of hour, not odd hours for me
    for p in known_attendees(occ, by_email, me):
        pz = person_zone(p)
        is_odd = work.odd(p, start, end) if work is not None else is_odd_for(p, start, end)
        by_choice = is_odd and mine and me is not None and p.handle == me.handle
        if by_choice:
            is_odd = False
        locals_.append(LocalTime(handle=p.handle, start=start.astimezone(pz), end=end.astimezone(pz), odd=is_odd,
                                 by_choice=by_choice))
        if is_odd:
            odd.append(p.handle)
    return MeetingView(occurrence=occ, start=start, end=end, odd_hours_for=tuple(odd), local_times=tuple(locals_),
                       my_answer=answer)


def _sort_key(v: MeetingView) -> tuple[int, datetime, datetime, str, str]:
    if isinstance(v.start, datetime):
        return (1, v.start.astimezone(UTC), v.end.astimezone(UTC), v.summary, v.occurrence.uid)  # type: ignore[union-attr]
    return (0, datetime.combine(v.start, datetime.min.time(), tzinfo=UTC), datetime.min.replace(tzinfo=UTC), v.summary, v.occurrence.uid)


def day_views(
    occurrences: Sequence[Occurrence],
    day: date,
    tz: ZoneInfo | str,
    people: Sequence[Person],
    me: str | None,
) -> list[MeetingView]:
    """The meetings of local ``day`` in ``tz``, with odd hours, local times and conflicts."""
    tz = _tz(tz)
    day_start, day_end = day_bounds(day, tz)
    by_email = {p.email.lower(): p for p in people if p.email}
    me_person = next((p for p in people if p.handle == me), None) if me else None

    views: list[MeetingView] = []
    work = WorkCache(day_start - 2 * _ONE_DAY, day_end + 2 * _ONE_DAY)
    for occ in occurrences:
        if occ.meeting.cancelled:
            continue
        if occ.all_day:
            s_d, e_d = _all_day_dates(occ)
            if s_d <= day < e_d:
                views.append(meeting_view(occ, tz, by_email, me_person, work))
            continue
        s = _instant(occ.start, tz)
        e = max(_instant(occ.end, tz), s)
        overlaps = (s < day_end and e > day_start) if e > s else (day_start <= s < day_end)
        if overlaps:
            views.append(meeting_view(occ, tz, by_email, me_person, work))
    views.sort(key=_sort_key)
    return add_conflicts(views, me_person)


def by_local_day(occurrences: Sequence[Occurrence], first: date, days: int, tz: ZoneInfo | str) -> dict[date, list[Occurrence]]:
    """The occurrences of a span grouped by the local days of ``tz`` they may touch, for
    ``days`` days from ``first`` (each list a superset of what :func:`day_views` keeps for
    that day, in the span's order). One pass over the span instead of one per day: an agenda
    of two months no longer filters every occurrence of the two months 62 times."""
    tz = _tz(tz)
    last = first + timedelta(days=days - 1)
    out: dict[date, list[Occurrence]] = {first + timedelta(days=i): [] for i in range(days)}
    for occ in occurrences:
        if occ.all_day:
            lo, hi = _all_day_dates(occ)
            hi -= _ONE_DAY
        else:
            s = _instant(occ.start, tz).astimezone(tz)
            e = max(_instant(occ.end, tz).astimezone(tz), s)
            lo, hi = s.date(), e.date()  # an end at midnight adds the next day: day_views drops it there
        lo, hi = max(lo, first), min(hi, last)
        while lo <= hi:
            out[lo].append(occ)
            lo += _ONE_DAY
    return out


def add_conflicts(views: list[MeetingView], me: Person | None) -> list[MeetingView]:
    """Fill ``conflicts_with`` for overlapping timed meetings that "me" has not declined."""
    live = [
        i
        for i, v in enumerate(views)
        if isinstance(v.start, datetime) and not v.occurrence.meeting.cancelled
        and not v.occurrence.meeting.transparent  # shown as free: overlapping it is no clash
        and not (me and _declined(v.occurrence, me.email))
    ]
    # compare in UTC: two datetimes sharing one tzinfo compare by wall clock (DST trap)
    spans = {i: (views[i].start.astimezone(UTC), views[i].end.astimezone(UTC)) for i in live}  # type: ignore[union-attr]
    found: dict[int, list[str]] = {}
    for a_pos, i in enumerate(live):
        a = views[i]
        a_s, a_e = spans[i]
        for j in live[a_pos + 1 :]:
            b = views[j]
            b_s, b_e = spans[j]
            if b_s >= a_e:
                break  # sorted by start: nothing later can overlap a
            if a_s < b_e:
                found.setdefault(i, []).append(b.occurrence.uid)
                found.setdefault(j, []).append(a.occurrence.uid)
    if not found:
        return views
    out = []
    for i, v in enumerate(views):
        uids = found.get(i)
        if uids:
            dedup = tuple(dict.fromkeys(uids))
            v = v._replace(conflicts_with=dedup)  # "me"'s answer kept: a clash is when it matters most
        out.append(v)
    return out


_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
CALL_ADDRESSES = (
    "teams.microsoft.com/l/meetup-join/", "teams.live.com/meet/", "meet.google.com/", "zoom.us/j/",
    "zoom.us/my/", "zoom.us/w/", "zoomgov.com/j/", "webex.com/", "whereby.com/", "meet.goto.com/",
    "gotomeeting.com/join/", "chime.aws/", "bluejeans.com/", "meet.jit.si/", "8x8.vc/",
)
"""Addresses that join a call (Teams, Meet, Zoom, Webex, …), as invites carry them."""


_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trimmed(url: str) -> str:
    """An address found in prose, without the punctuation around it (``(…)``, ``….``); a
    closing bracket stays when the address opened it (``…/Foo_(bar)``)."""
    while url:
        last = url[-1]
        if last in ".,;:!?>'":
            url = url[:-1]
        elif last in _PAIRS and url.count(_PAIRS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def _links(text: str) -> list[str]:
    return [_trimmed(u) for u in _URL.findall(text or "")]


def join_link(meeting: object) -> str | None:
    """The address that joins the meeting's call: a call address in the location, else in
    the description (Outlook and Google put Teams and Meet links there, beside links to
    meeting options, help and dial-in that are not the call), else a link given as the
    location itself (``https://meet.example.com/qa``). None for a room or nothing."""
    location = _links(getattr(meeting, "location", ""))
    for url in location + _links(getattr(meeting, "description", "")):
        low = url.lower()
        if any(address in low for address in CALL_ADDRESSES):
            return url
    return location[0] if location else None


REMIND_AFTER_START = timedelta(minutes=5)
"""A meeting is still reminded of this long after it started (the dashboard opened late)."""

REMIND_SERIES_GAP = timedelta(hours=1)
"""Occurrences of one series closer than this are reminded of once: a rule that repeats every
minute (seen in real calendars) rings once an hour, not every minute."""


def reminders_due(views: Sequence[MeetingView], now: datetime, lead: timedelta,
                  told: Mapping[str, datetime] | None = None) -> list[MeetingView]:
    """The meetings to remind of at ``now``, earliest first: timed (not all-day), not declined
    by me, starting within ``lead`` or started less than :data:`REMIND_AFTER_START` ago —
    of each series (UID) one occurrence, none within :data:`REMIND_SERIES_GAP` of one already
    reminded of (``told``: UID → that occurrence's start). ``lead`` of zero: none."""
    if lead <= timedelta(0):
        return []
    last = dict(told or {})
    near = [v for v in views if isinstance(v.start, datetime) and v.my_answer != "DECLINED"
            and v.start - lead <= now < v.start + REMIND_AFTER_START]
    out = []
    # of a series, the occurrence about to start (else the one begun last) is the one said
    for v in sorted(near, key=lambda v: (v.start < now, abs(v.start - now))):  # type: ignore[operator]
        before = last.get(v.occurrence.uid)
        if before is not None and abs(v.start - before) < REMIND_SERIES_GAP:  # type: ignore[operator]
            continue
        last[v.occurrence.uid] = v.start  # type: ignore[assignment]
        out.append(v)
    return sorted(out, key=lambda v: v.start)  # type: ignore[arg-type,return-value]


def reminder_text(view: MeetingView, now: datetime) -> str:
    """``Sprint planning at 10:00 (in 4 min)`` / ``… (started 2 min ago)`` / ``… (now)``."""
    start = view.start
    assert isinstance(start, datetime)
    # minutes as the clock on screen counts them (it shows whole minutes): at 10:25:40 a
    # meeting at 10:30 is "in 5 min", what 10:30 - 10:25 gives, not the 4 that rounding gave
    minutes = (int(start.timestamp()) // 60) - (int(now.timestamp()) // 60)
    when = f"in {minutes} min" if minutes > 0 else "now" if minutes == 0 else f"started {-minutes} min ago"
    local = start.astimezone(now.tzinfo) if now.tzinfo else start
    return f"{view.summary or '(no title)'} at {local:%H:%M} ({when})"


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_VERSION = re.compile(r"^v?\d[\d.]*$")
_SMALL = frozenset({"a", "an", "and", "the", "of", "for", "to", "in", "on", "with", "&"})


def related_projects(summary: str, categories: Sequence[str], projects: Mapping[str, str]) -> list[str]:
    """The projects a meeting is about, as keys in the order given: the key is a word of its
    summary or one of its categories (``API sync``, ``DATA``), or every word of the project's
    name is (``Payments API v2`` for "Sprint planning — Payments API": a version and small
    words are left out of the name). Case is ignored. A hint for preparing the meeting."""
    words = {w.casefold() for w in _WORD.findall(summary)}
    tags = {c.strip().casefold() for c in categories}
    out = []
    for key, name in projects.items():
        k = key.casefold()
        if len(k) >= 2 and (k in words or k in tags):
            out.append(key)
            continue
        needed = {w.casefold() for w in _WORD.findall(name) if not _VERSION.match(w) and w.casefold() not in _SMALL}
        if needed and any(len(w) >= 3 for w in needed) and needed <= words:
            out.append(key)
    return out
