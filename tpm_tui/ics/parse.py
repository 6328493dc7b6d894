"""Parse iCalendar bytes into normalised :class:`~tpm_tui.domain.Meeting` values.

Pure: bytes in, values out; no store, no clock, no machine time zone.

``icalendar`` parses; ``x_wr_timezone`` repairs Google/Apple files that rely on
``X-WR-TIMEZONE``; :mod:`tpm_tui.ics.timezones` maps TZIDs (IANA, Windows, Outlook
2003, custom VTIMEZONE) to IANA zones. What comes out follows the storage rules of
``Meeting``:

* timed events with a zone: aware datetimes in that IANA zone, ``tzid`` its name;
  UTC (``...Z``) events: aware in UTC, ``tzid`` None; a VTIMEZONE that matches no IANA
  zone: converted to UTC instants (with a warning);
* floating times: naive datetimes, never converted through any zone;
* all-day: ``date`` values, ``all_day=True``;
* EXDATE / RDATE / RECURRENCE-ID / RRULE UNTIL brought to the same kind as DTSTART
  so that expansion compares like with like; RECURRENCE-ID is stored as
  :func:`~tpm_tui.domain.recurrence_key` (UTC for aware values) so an override in UTC
  matches a series written with a TZID.

A component that cannot be used is skipped with a one-line warning; input that is
not iCalendar at all raises :class:`~tpm_tui.domain.ImportFailed` with one line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from tpm_tui.domain import Attendee, ImportFailed, Meeting, When, recurrence_key
from tpm_tui.ics.timezones import ZoneResolver, clean_tzid

MAX_DESCRIPTION = 64 * 1024
"""Longer descriptions are cut (with a warning): the database keeps one line per meeting small."""

MAX_PROPERTY = 256 * 1024
"""Longer properties are cut before parsing (see :func:`_cap_long_properties`)."""

BIG_COUNT = 10_000
"""RRULE COUNT above this gets a warning: expansion shows only the first occurrences."""

TIMELESS = date(1970, 1, 1)
"""Start given to a cancellation that carries no DTSTART (it only needs its key)."""

_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Zulu", "Etc/Zulu", "UCT", "Etc/UCT", "Universal"})
_VOLATILE = ("DTSTAMP", "LAST-MODIFIED", "CREATED", "SEQUENCE")
_MAIL_HEADER = re.compile(
    r"^(mime-version|from|to|subject|received|return-path|content-type|date|message-id|delivered-to|"
    r"x-[a-z0-9-]+|reply-to|cc|thread-topic|content-transfer-encoding):",
    re.IGNORECASE,
)
_FREQS = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_UNTIL = re.compile(r"UNTIL=([0-9]{8})(?:T([0-9]{6})(Z?))?", re.IGNORECASE)

Key = tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class Reply:
    """An attendee's answer (METHOD:REPLY) to a meeting we may have stored."""

    uid: str
    recurrence_id: str | None
    attendees: tuple[Attendee, ...]
    sequence: int = 0
    dtstamp: datetime | None = None


class Todo(NamedTuple):
    """One VTODO (a to-do, as Apple Reminders, Thunderbird, Outlook and Evolution export them),
    its times normalised as a meeting's are: ``tpm task import`` makes it a task."""

    uid: str
    summary: str
    status: str  # NEEDS-ACTION, IN-PROCESS, COMPLETED, CANCELLED ("" when not said)
    priority: int  # 1 highest … 9 lowest, 0 undefined (RFC 5545)
    due: When | None
    start: When | None
    created: When | None
    modified: When | None
    completed: When | None
    categories: tuple[str, ...]
    description: str
    related: tuple[tuple[str, str], ...]  # (RELTYPE, UID): PARENT (the default), CHILD, SIBLING, DEPENDS-ON
    rrule: str | None
    line: int | None  # where it begins in the file


@dataclass
class ParseResult:
    method: str | None
    meetings: list[Meeting] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    skipped: int = 0  # VEVENTs that could not be used (each has a warning)
    timeless: set[Key] = field(default_factory=set)  # cancellations without DTSTART
    todos: list[Todo] = field(default_factory=list)  # VTODOs: tasks, not meetings (tpm task import)
    names: list[str] = field(default_factory=list)  # X-WR-CALNAME of each calendar that has one


# ------------------------------------------------------------------ sniffing


def _one_line(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _decode(data: bytes, source: str, warnings: list[str]) -> str:
    if not data or not data.strip():
        raise ImportFailed(f"{source}: empty file, not an iCalendar file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 with its byte-order mark, as Windows tools save "Unicode" text
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ImportFailed(f"{source}: marked as UTF-16 but not valid UTF-16 text") from None
    head = data[:4096]
    if b"\x00" in head:
        raise ImportFailed(f"{source}: binary data, not an iCalendar file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append(f"{source}: not UTF-8; read as Windows-1252")
    first = ""
    for line in text.splitlines():
        if line.strip():
            first = line.strip()
            break
    if first.upper() != "BEGIN:VCALENDAR":
        upper = first.upper()
        if upper.startswith("BEGIN:VCARD"):
            raise ImportFailed(f"{source}: a vCard (contact), not an iCalendar file")
        if _MAIL_HEADER.match(first):
            return _decode(_invitation_in_mail(data, source, warnings), source, warnings)
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:2048])
        if printable < 0.9 * min(len(text), 2048):
            raise ImportFailed(f"{source}: binary data, not an iCalendar file")
        raise ImportFailed(f"{source}: not an iCalendar file (starts with {_one_line(first, 40)!r}, not BEGIN:VCALENDAR)")
    if not re.search(r"^END:VCALENDAR[ \t]*\r?$", text, re.IGNORECASE | re.MULTILINE):
        raise ImportFailed(f"{source}: truncated iCalendar file (no END:VCALENDAR)")
    if len(text) > MAX_PROPERTY:
        text = _cap_long_properties(text, source, warnings)
    return text


def _invitation_in_mail(data: bytes, source: str, warnings: list[str]) -> bytes:
    """The invitation inside a whole e-mail saved as a file (``.eml``, or an invite mail
    saved with ``.ics``): its ``text/calendar`` part, else an attached ``.ics`` file.

    Mail clients send an invite as both (an inline ``text/calendar`` part and the same
    calendar attached): the inline part comes first and is the one read. A message inside
    a message is not opened (what is returned must itself start ``BEGIN:VCALENDAR``).
    """
    import email
    import email.policy

    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception:  # the stdlib parser is lenient; anything it still refuses is not mail
        message = None
    found = None
    if message is not None:
        attached = None
        for part in message.walk():
            if part.is_multipart():
                continue
            kind = part.get_content_type()
            name = (part.get_filename() or "").lower()
            if kind == "text/calendar":
                found = part
                break
            if attached is None and (kind in ("application/ics", "application/x-ics") or name.endswith(".ics")):
                attached = part
        found = found or attached
    payload = found.get_payload(decode=True) if found is not None else None
    if not isinstance(payload, bytes) or not payload.strip():
        raise ImportFailed(f"{source}: an e-mail message without an invitation in it (no text/calendar part)")
    if _MAIL_HEADER.match(payload.lstrip()[:200].decode("ascii", "replace")):
        raise ImportFailed(f"{source}: an e-mail inside an e-mail; save the invitation's .ics attachment instead")
    warnings.append(f"{source}: an e-mail message; its invitation (the {found.get_content_type()} part) was read")
    return payload


def _cap_long_properties(text: str, source: str, warnings: list[str]) -> str:
    """Cut any property longer than :data:`MAX_PROPERTY` characters (folded or not).

    ``icalendar`` needs many seconds for one 20 MB property (an inline attachment, a
    pasted log); nothing we keep needs more than :data:`MAX_DESCRIPTION`.
    """
    out: list[str] = []
    length = 0
    dropping = False
    cut = 0
    for line in text.split("\n"):
        if line[:1] in (" ", "\t"):
            if dropping:
                continue
            length += len(line)
            if length > MAX_PROPERTY:
                dropping = True
                cut += 1
                continue
        else:
            length = len(line)
            dropping = False
            if length > MAX_PROPERTY:
                line = line[:MAX_PROPERTY] + ("\r" if line.endswith("\r") else "")
                cut += 1
        out.append(line)
    if not cut:
        return text
    warnings.append(f"{source}: {cut} propert{'y' if cut == 1 else 'ies'} longer than {MAX_PROPERTY:,} characters cut")
    return "\n".join(out)


_BEGIN_END = re.compile(r"^(BEGIN|END):([A-Za-z0-9-]+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def _nesting_problem(text: str) -> str | None:
    """Where the BEGIN:/END: lines of ``text`` do not pair up, in words with line numbers
    (``line 3: BEGIN:VEVENT has no END:VEVENT``); None when they do. Only asked once a
    file has failed to parse, to say why: a good file never pays for it."""
    open_: list[tuple[str, int]] = []  # (component, offset of its BEGIN line)

    def line(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    for m in _BEGIN_END.finditer(text):
        word, name = m.group(1).upper(), m.group(2).upper()
        if word == "BEGIN":
            open_.append((name, m.start()))
            continue
        if not open_:
            return f"line {line(m.start())}: END:{name} without a BEGIN:{name}"
        top, at = open_[-1]
        if top != name:
            if any(n == name for n, _ in open_):
                return f"line {line(at)}: BEGIN:{top} has no END:{top} (END:{name} comes first, line {line(m.start())})"
            return f"line {line(m.start())}: END:{name} without a BEGIN:{name}"
        open_.pop()
    if open_:
        name, at = open_[-1]  # the innermost: the one cut short
        return f"line {line(at)}: BEGIN:{name} has no END:{name} (the file ends first)"
    return None


# ------------------------------------------------------------------ the parser


def parse_calendar(data: bytes, *, source: str, calendar: str = "") -> ParseResult:
    """Parse one file's bytes. Raises :class:`ImportFailed` (one line) if it is not iCalendar."""
    warnings: list[str] = []
    text = _decode(data, source, warnings)
    import icalendar

    try:
        cals = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, sometimes others
        problem = _nesting_problem(text)
        if problem:
            raise ImportFailed(f"{source}: {problem}") from None
        raise ImportFailed(f"{source}: not valid iCalendar ({_one_line(exc, 100)})") from None
    cals = [c for c in cals if getattr(c, "name", "") == "VCALENDAR"]
    if not cals:
        raise ImportFailed(f"{source}: {_nesting_problem(text) or 'no VCALENDAR in the file'}")
    method = None
    result = ParseResult(method=None, warnings=warnings)
    ctx = _Context(source, calendar, text, result)
    for cal in cals:
        m = cal.get("METHOD")
        if m is not None and method is None:
            method = str(m).strip().upper() or None
        if cal.get("X-WR-TIMEZONE"):
            try:
                import x_wr_timezone

                cal = x_wr_timezone.to_standard(cal)
            except Exception as exc:
                ctx.warn(f"X-WR-TIMEZONE {_one_line(cal.get('X-WR-TIMEZONE'), 40)!r} ignored ({_one_line(exc, 60)})")
        ctx.read_calendar(cal, method)
    result.method = method
    result.meetings = _dedupe(ctx.meetings)
    return result


def _rank(m: Meeting) -> tuple[int, datetime]:
    return (m.sequence, m.dtstamp or datetime.min.replace(tzinfo=UTC))


def _dedupe(meetings: list[Meeting]) -> list[Meeting]:
    """Same key twice in one file: the highest SEQUENCE (then DTSTAMP, then the later one) wins."""
    best: dict[Key, Meeting] = {}
    for m in meetings:
        old = best.get(m.key)
        if old is None or _rank(m) >= _rank(old):
            best[m.key] = m
    return list(best.values())


MIN_YEAR, MAX_YEAR = 1900, 2200


class _Skip(Exception):
    """A component that cannot be used; the message is the reason."""


class _Context:
    def __init__(self, source: str, calendar: str, text: str, result: ParseResult) -> None:
        self.source = source
        self.calendar = calendar
        self.text = text
        self.result = result
        self.meetings: list[Meeting] = []
        self.zones: ZoneResolver = ZoneResolver({})
        self._event_no = 0
        self._todo_no = 0
        self._todo_lines: list[int] | None = None
        self._lines: list[int] | None = None
        self._noted: set[str] = set()

    # -------------------------------------------------------------- reporting

    def warn(self, message: str) -> None:
        self.result.warnings.append(f"{self.source}: {message}")

    def note_once(self, message: str) -> None:
        if message not in self._noted:
            self._noted.add(message)
            self.warn(message)

    def line_of_event(self, n: int) -> int | None:
        if self._lines is None:
            self._lines = [
                self.text.count("\n", 0, m.start()) + 1
                for m in re.finditer(r"^BEGIN:VEVENT\b", self.text, re.IGNORECASE | re.MULTILINE)
            ]
        return self._lines[n] if n < len(self._lines) else None

    def where(self, uid: str, n: int) -> str:
        if uid:
            return f"UID {_one_line(uid, 60)}"
        line = self.line_of_event(n)
        return f"VEVENT at line {line}" if line else f"VEVENT #{n + 1}"

    # -------------------------------------------------------------- calendar

    def read_calendar(self, cal: Any, method: str | None) -> None:
        vtz = {}
        for comp in cal.walk("VTIMEZONE"):
            tzid = comp.get("TZID")
            if tzid is not None:
                vtz[clean_tzid(str(tzid))] = comp
        self.zones = ZoneResolver(vtz)
        name = " ".join(_text(cal.get("X-WR-CALNAME")).split())
        if name:
            self.result.names.append(name)
        for td in cal.subcomponents:
            if td.name == "VTODO":
                self.read_todo(td)
        for ev in cal.walk("VEVENT"):
            n = self._event_no
            self._event_no += 1
            uid = _text(ev.get("UID")).strip()
            try:
                if method in ("COUNTER", "DECLINECOUNTER", "REFRESH"):
                    raise _Skip(f"METHOD:{method} is not applied (only the organizer's updates are)")
                if method == "REPLY":
                    self.result.replies.append(self.reply(ev, uid))
                else:
                    self.meetings.append(self.meeting(ev, uid, method))
            except _Skip as why:
                self.result.skipped += 1
                self.warn(f"{self.where(uid, n)}: skipped, {why}")
            except Exception as exc:  # a value icalendar could not make sense of
                self.result.skipped += 1
                self.warn(f"{self.where(uid, n)}: skipped, unreadable ({_one_line(exc, 80)})")

    def read_todo(self, td: Any) -> None:
        """A VTODO as a :class:`Todo` (a warning and nothing when it cannot be read)."""
        n = self._todo_no
        self._todo_no += 1
        if self._todo_lines is None:
            self._todo_lines = [self.text.count("\n", 0, m.start()) + 1
                                for m in re.finditer(r"^BEGIN:VTODO\b", self.text, re.IGNORECASE | re.MULTILINE)]
        line = self._todo_lines[n] if n < len(self._todo_lines) else None
        uid = _text(td.get("UID")).strip()
        try:
            due = self.value(td.get("DUE"), "DUE")
            start = self.value(td.get("DTSTART"), "DTSTART")
            due, start = (due[0] if isinstance(due, tuple) else due), (start[0] if isinstance(start, tuple) else start)
            duration = _dt(td.get("DURATION")) if td.get("DURATION") is not None else None
            if due is None and start is not None and isinstance(duration, timedelta):
                due = start + duration
            related = []
            props = td.get("RELATED-TO")
            for prop in props if isinstance(props, list) else [props] if props is not None else []:
                other = _text(prop).strip()
                if other:
                    kind = str((getattr(prop, "params", {}) or {}).get("RELTYPE", "PARENT")).strip().upper()
                    related.append((kind, other))
            rrule = td.get("RRULE")
            todo = Todo(
                uid=uid, summary=" ".join(_text(td.get("SUMMARY")).split()),
                status=_text(td.get("STATUS")).strip().upper(), priority=_int(td.get("PRIORITY")),
                due=due, start=start,
                created=self.stamp(td.get("CREATED")), modified=self.stamp(td.get("LAST-MODIFIED")),
                completed=self.stamp(td.get("COMPLETED")),
                categories=_categories(td.get("CATEGORIES")), description=_text(td.get("DESCRIPTION")).strip(),
                related=tuple(related),
                rrule=(rrule[0] if isinstance(rrule, list) else rrule).to_ical().decode() if rrule is not None else None,
                line=line,
            )
        except Exception as exc:  # noqa: BLE001 - one to-do that cannot be read is said and left out
            where = f"UID {_one_line(uid, 60)}" if uid else f"VTODO at line {line}" if line else f"VTODO #{n + 1}"
            self.warn(f"{where}: to-do skipped, unreadable ({_one_line(exc, 80)})")
            return
        self.result.todos.append(todo)

    # -------------------------------------------------------------- values

    def value(self, prop: Any, what: str) -> When | tuple[When, When | timedelta] | None:
        """A DTSTART-like property as a normalised value (aware in an IANA zone or UTC, naive, date)."""
        if prop is None:
            return None
        if isinstance(prop, list):
            prop = prop[0]
        dt = _dt(prop)
        if dt is None:
            raise _Skip(f"unreadable {what}")
        params = getattr(prop, "params", {}) or {}
        tzid = params.get("TZID")
        if isinstance(dt, tuple):  # PERIOD
            return (self._norm(dt[0], tzid), dt[1])
        return self._norm(dt, tzid)

    def _norm(self, dt: Any, tzid: str | None) -> When:
        if isinstance(dt, datetime):
            if tzid:
                resolved = self.zones.resolve(str(tzid), dt)
                if resolved.note:
                    self.note_once(resolved.note)
                if resolved.zone is None:
                    return dt.replace(tzinfo=None)
                value = dt.replace(tzinfo=resolved.zone)
                return value if resolved.iana else value.astimezone(UTC)
            if dt.tzinfo is None:
                return dt
            return _aware(dt)
        if isinstance(dt, date):
            return dt
        raise _Skip(f"unexpected value {type(dt).__name__}")

    def values(self, props: Any, what: str) -> list[When]:
        """All values of a multi-valued property (EXDATE, RDATE), PERIOD starts included."""
        if props is None:
            return []
        if not isinstance(props, list):
            props = [props]
        out: list[When] = []
        for prop in props:
            tzid = (getattr(prop, "params", {}) or {}).get("TZID")
            try:
                items = list(getattr(prop, "dts", ()))
            except Exception:
                items = []
            for item in items:
                dt = _dt(item)
                if dt is None:
                    continue
                if isinstance(dt, tuple):
                    dt = dt[0]
                if isinstance(dt, (datetime, date)):
                    out.append(self._norm(dt, tzid))
        return out

    # -------------------------------------------------------------- components

    def meeting(self, ev: Any, uid: str, method: str | None) -> Meeting:
        status = _text(ev.get("STATUS")).strip().upper()
        cancelled = method == "CANCEL" or status == "CANCELLED"
        if status not in ("CONFIRMED", "TENTATIVE", "CANCELLED"):
            status = "CONFIRMED"
        if cancelled:
            status = "CANCELLED"
        if not uid:
            uid = _content_uid(ev)

        start = self.value(ev.get("DTSTART"), "DTSTART")
        rid_raw = self.value(ev.get("RECURRENCE-ID"), "RECURRENCE-ID")
        if isinstance(rid_raw, tuple):
            rid_raw = rid_raw[0]
        timeless = False
        if start is None:
            if not cancelled:
                raise _Skip("no DTSTART")
            start = rid_raw if rid_raw is not None else TIMELESS
            timeless = True
        if isinstance(start, tuple):
            start = start[0]
        kind = _kind(start)
        if kind == "aware" and isinstance(start, datetime):
            key = getattr(start.tzinfo, "key", None)
            if key is None or key in _UTC_NAMES:
                start = start.astimezone(UTC)
                tzid: str | None = None
            else:
                tzid = key
        else:
            tzid = None
        zone = start.tzinfo if isinstance(start, datetime) else None

        end = self.end(ev, start, kind, zone)
        for value in (start, end):
            if not MIN_YEAR <= value.year <= MAX_YEAR:
                # Year 9999 (or 0001) cannot be shown, expanded or moved a day without
                # overflowing; found by fuzzing, where one such event broke every later view.
                raise _Skip(f"date {value.isoformat()} outside {MIN_YEAR}-{MAX_YEAR}")

        rid: str | None = None
        range_future = False
        if rid_raw is not None:
            rid = recurrence_key(_coerce_rid(rid_raw, start, kind, zone))
            prop = ev.get("RECURRENCE-ID")
            rng = str((getattr(prop, "params", {}) or {}).get("RANGE", "")).upper()
            range_future = rng == "THISANDFUTURE"

        rrule = self.rrule(ev, start, kind, zone, uid)
        exdate = _sorted_unique(_coerce(v, start, kind, zone) for v in self.values(ev.get("EXDATE"), "EXDATE"))
        rdate = _sorted_unique(_coerce(v, start, kind, zone) for v in self.values(ev.get("RDATE"), "RDATE"))
        if rid is not None and (rrule or rdate):
            rrule, rdate = None, ()  # an override is one occurrence; a rule on it is meaningless

        description = _text(ev.get("DESCRIPTION"))
        if len(description) > MAX_DESCRIPTION:
            self.warn(f"{self.where(uid, 0)}: description of {len(description):,} characters cut to {MAX_DESCRIPTION:,}")
            description = description[:MAX_DESCRIPTION]

        sequence = _int(ev.get("SEQUENCE"))
        dtstamp = self.stamp(ev.get("DTSTAMP")) or self.stamp(ev.get("LAST-MODIFIED"))
        m = Meeting(
            uid=uid,
            start=start,
            end=end,
            recurrence_id=rid,
            calendar=self.calendar,
            summary=_text(ev.get("SUMMARY")),
            description=description,
            location=_text(ev.get("LOCATION")),
            organizer=_email(ev.get("ORGANIZER")),
            attendees=_attendees(ev.get("ATTENDEE")),
            all_day=kind == "date",
            tzid=tzid,
            rrule=rrule,
            rdate=rdate,
            exdate=exdate,
            sequence=sequence,
            dtstamp=dtstamp,
            status=status,
            categories=_categories(ev.get("CATEGORIES")),
            range_future=range_future,
            transparent=_transparent(ev),
        )
        if timeless:
            self.result.timeless.add(m.key)
        return m

    def end(self, ev: Any, start: When, kind: str, zone: tzinfo | None) -> When:
        raw_end = self.value(ev.get("DTEND"), "DTEND")
        if isinstance(raw_end, tuple):
            raw_end = raw_end[0]
        if raw_end is not None:
            end = _coerce(raw_end, start, kind, zone)
        else:
            dur = ev.get("DURATION")
            delta = _dt(dur) if dur is not None else None
            if isinstance(delta, timedelta):
                end = _add(start, delta, kind)
            elif kind == "date":
                end = start + timedelta(days=1)  # RFC 5545: a date DTSTART alone lasts one day
            else:
                end = start  # RFC 5545: a date-time DTSTART alone has no duration
        if _before(end, start):
            end = start + timedelta(days=1) if kind == "date" else start
        return end

    def rrule(self, ev: Any, start: When, kind: str, zone: tzinfo | None, uid: str) -> str | None:
        prop = ev.get("RRULE")
        if prop is None:
            return None
        if isinstance(prop, list):
            if len(prop) > 1:
                self.warn(f"{self.where(uid, 0)}: {len(prop)} RRULEs, only the first is used")
            prop = prop[0]
        text = prop.to_ical().decode() if hasattr(prop, "to_ical") else str(prop)
        text = text.strip()
        if text.upper().startswith("RRULE:"):
            text = text[6:]
        parts = {p.split("=", 1)[0].upper(): p.split("=", 1)[1] for p in text.split(";") if "=" in p}
        freq = parts.get("FREQ", "").upper()
        if freq not in _FREQS:
            self.warn(f"{self.where(uid, 0)}: RRULE without a valid FREQ ignored ({_one_line(text, 60)})")
            return None
        text = _UNTIL.sub(lambda mt: "UNTIL=" + _norm_until(mt, start, kind, zone), text)
        if freq in ("SECONDLY", "MINUTELY"):
            self.warn(
                f"{self.where(uid, 0)}: FREQ={freq} repeats every {freq[:-2].lower()}; "
                "only a bounded number of occurrences is shown per day"
            )
        count = parts.get("COUNT", "")
        if count.isdigit() and int(count) > BIG_COUNT:
            self.warn(
                f"{self.where(uid, 0)}: COUNT={int(count):,} is huge; only the first occurrences are shown"
            )
        return text

    def stamp(self, prop: Any) -> datetime | None:
        if isinstance(prop, list):
            prop = prop[0] if prop else None
        dt = _dt(prop) if prop is not None else None
        if isinstance(dt, datetime):
            if dt.tzinfo is None:
                return dt.replace(tzinfo=UTC)
            return dt.astimezone(UTC)
        if isinstance(dt, date):
            return datetime(dt.year, dt.month, dt.day, tzinfo=UTC)
        return None

    def reply(self, ev: Any, uid: str) -> Reply:
        if not uid:
            raise _Skip("a REPLY without UID cannot be matched to a meeting")
        rid = None
        rid_raw = self.value(ev.get("RECURRENCE-ID"), "RECURRENCE-ID")
        if isinstance(rid_raw, tuple):
            rid_raw = rid_raw[0]
        if rid_raw is not None:
            start = self.value(ev.get("DTSTART"), "DTSTART")
            if isinstance(start, tuple):
                start = start[0]
            ref = start if start is not None else rid_raw
            kind = _kind(ref)
            zone = ref.tzinfo if isinstance(ref, datetime) else None
            rid = recurrence_key(_coerce_rid(rid_raw, ref, kind, zone))
        attendees = _attendees(ev.get("ATTENDEE"))
        if not attendees:
            raise _Skip("a REPLY without ATTENDEE")
        return Reply(
            uid=uid,
            recurrence_id=rid,
            attendees=attendees,
            sequence=_int(ev.get("SEQUENCE")),
            dtstamp=self.stamp(ev.get("DTSTAMP")),
        )


# ------------------------------------------------------------------ helpers


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _dt(prop: Any) -> Any:
    """The ``.dt`` of an icalendar value, or None when the property could not be parsed."""
    try:
        return getattr(prop, "dt", None)
    except Exception:
        return None


def _int(value: Any) -> int:
    """A SEQUENCE-like integer, clamped to 0..2**31-1 (RFC 5545 integers are 32-bit; a
    20-digit SEQUENCE otherwise made the whole file unsavable)."""
    try:
        number = int(str(value).strip()) if value is not None else 0
    except ValueError:
        return 0
    return min(max(number, 0), 2**31 - 1)


def _aware(dt: datetime) -> datetime:
    tz = dt.tzinfo
    key = getattr(tz, "key", None)
    if isinstance(tz, ZoneInfo) and key and key not in _UTC_NAMES:
        return dt
    if dt.utcoffset() == timedelta(0) and (key in _UTC_NAMES or (dt.tzname() or "").upper() in ("UTC", "Z", "GMT")):
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _kind(value: When) -> str:
    if isinstance(value, datetime):
        return "floating" if value.tzinfo is None else "aware"
    return "date"


def _coerce(value: When, start: When, kind: str, zone: tzinfo | None) -> When:
    """``value`` brought to the kind of ``start`` (same zone, floating, or date)."""
    if kind == "date":
        return value.date() if isinstance(value, datetime) else value
    if not isinstance(value, datetime):  # a date for a timed series: that day at the start's time
        assert isinstance(start, datetime)
        value = datetime.combine(value, start.time())
        return value if kind == "floating" else value.replace(tzinfo=zone)
    if kind == "floating":
        return value.replace(tzinfo=None)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def _coerce_rid(rid: When, start: When, kind: str, zone: tzinfo | None) -> When:
    """A RECURRENCE-ID in the kind the master most likely has.

    Exchange writes the RECURRENCE-ID of an all-day series as local midnight with a
    TZID: an all-day override then keys by that date. A date RECURRENCE-ID stays a date.
    """
    if not isinstance(rid, datetime):
        return rid
    if kind == "date":
        return rid.date()
    return _coerce(rid, start, kind, zone)


def _add(start: When, delta: timedelta, kind: str) -> When:
    """DURATION per RFC 5545: days and weeks are nominal (wall clock), the rest exact."""
    if kind == "date":
        return start + timedelta(days=delta.days if delta.days > 0 or delta.seconds == 0 else delta.days + 1)
    assert isinstance(start, datetime)
    days = timedelta(days=delta.days)
    rest = delta - days
    wall = start + days
    if kind == "aware" and rest:
        return (wall.astimezone(UTC) + rest).astimezone(start.tzinfo)
    return wall + rest


def _before(end: When, start: When) -> bool:
    try:
        return end < start  # type: ignore[operator]
    except TypeError:
        return True


def _sorted_unique(values: Any) -> tuple[When, ...]:
    seen: dict[str, When] = {}
    for v in values:
        seen.setdefault(recurrence_key(v), v)
    return tuple(seen[k] for k in sorted(seen))


def _norm_until(mt: re.Match[str], start: When, kind: str, zone: tzinfo | None) -> str:
    day, hms, z = mt.group(1), mt.group(2), mt.group(3)
    try:
        d = datetime.strptime(day, "%Y%m%d")
        if hms:
            d = d.replace(hour=int(hms[:2]), minute=int(hms[2:4]), second=int(hms[4:6]))
    except ValueError:
        return mt.group(0)[6:]
    if kind == "date":
        if hms and z:
            # Exchange writes the last day's local midnight in UTC: round to the nearest day.
            return (d + timedelta(hours=12)).strftime("%Y%m%d")
        return d.strftime("%Y%m%d")
    if kind == "floating":
        if not hms:
            return d.strftime("%Y%m%dT235959")
        return d.strftime("%Y%m%dT%H%M%S")
    # aware: UNTIL must be UTC
    if hms and z:
        return d.strftime("%Y%m%dT%H%M%SZ")
    if not hms:
        d = d.replace(hour=23, minute=59, second=59)
    return d.replace(tzinfo=zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _email(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _attendees(value: Any) -> tuple[Attendee, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    out: list[Attendee] = []
    seen: set[str] = set()
    for v in value:
        email = _email(v)
        params = getattr(v, "params", {}) or {}
        name = str(params.get("CN", "") or "").strip().strip('"')
        if not email and not name:
            continue
        if email and email in seen:
            continue
        seen.add(email)
        out.append(
            Attendee(
                email=email,
                name=name,
                partstat=str(params.get("PARTSTAT", "NEEDS-ACTION") or "NEEDS-ACTION").upper(),
                role=str(params.get("ROLE", "") or "").upper(),
            )
        )
    return tuple(out)


def _transparent(ev: Any) -> bool:
    """Does the event leave its time free? Outlook's ``X-MICROSOFT-CDO-BUSYSTATUS`` (Show as:
    Free, Tentative, Busy, Out of office) says so when present; else RFC 5545's ``TRANSP``."""
    shown_as = _text(ev.get("X-MICROSOFT-CDO-BUSYSTATUS")).strip().upper()
    if shown_as:
        return shown_as == "FREE"
    return _text(ev.get("TRANSP")).strip().upper() == "TRANSPARENT"


def _categories(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    out: list[str] = []
    for v in value:
        cats = getattr(v, "cats", None)
        items = cats if cats is not None else str(v).split(",")
        for c in items:
            c = str(c).strip()
            if c and c not in out:
                out.append(c)
    return tuple(out)


def _content_uid(ev: Any) -> str:
    """A stable UID for a component that has none: a hash of its lasting content."""
    lines = []
    for line in ev.to_ical().decode("utf-8", "replace").replace("\r\n ", "").replace("\r\n\t", "").splitlines():
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if name not in _VOLATILE:
            lines.append(line)
    digest = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:32]
    return f"tpm-nouid-{digest}"


__all__ = ["BIG_COUNT", "MAX_DESCRIPTION", "TIMELESS", "ParseResult", "Reply", "parse_calendar"]

