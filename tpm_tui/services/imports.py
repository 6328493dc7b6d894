"""Import calendar files into the store, with iTIP semantics (RFC 5545/5546).

One file = one ``store.transaction()`` and at most one ``put_meetings`` call: a
file that fails leaves the database exactly as it was, and a file that changes
nothing does not write at all (the database file stays byte-identical).

Rules for a component against what is stored under its key (UID, RECURRENCE-ID):

* nothing stored: added (or, if it is a cancellation, stored as cancelled so that a
  late copy of the old invite cannot bring it back; counted as ``cancelled``);
* higher SEQUENCE, or equal SEQUENCE and later DTSTAMP/LAST-MODIFIED, or equal
  both: it replaces the stored one (``updated``; ``cancelled`` when it cancels),
  unless it is identical apart from DTSTAMP (``unchanged``, nothing written);
* lower SEQUENCE, or equal SEQUENCE and earlier DTSTAMP: **stale** — ignored, counted
  as ``unchanged`` (the stored meeting did not change) with a warning line;
* a cancellation keeps the stored details and only marks them cancelled;
* a new version of a series (higher SEQUENCE on the master) drops the stored
  overrides older than it that the file does not resend (RFC 5546: the organizer
  resends the exceptions that still hold);
* METHOD:REPLY sets the replying attendee's PARTSTAT on the stored meeting;
* **my answer stays**: a new version (an update, the same invite again, a calendar exported
  again) that has no answer of mine keeps the one I gave (``tpm answer``, ``A``) — unless the
  organizer moved the meeting (a new SEQUENCE with other times: they ask again). An
  exception that holds only my answer to one occurrence is made again from a new series
  while that occurrence is still there at the same time, and is not "absent" for ``replace``;
* ``skipped`` counts components that could not be used (each has a warning), and
  replies to meetings we do not have.

``replace`` (``tpm import FILE --calendar NAME --replace``): the file is the whole of
calendar NAME as its source has it now — a calendar exported again each morning (Outlook's
Save Calendar, Google's export, a published ``.ics`` fetched by a script). An event deleted
at the source is simply not in the next export (no CANCEL is sent), so a meeting of that
calendar the file no longer has is **removed** (journaled: undo brings it back), within the
span the file covers: from the first start in it to the last start of a single event or an
exception in it (a series counts by its start), so history older than an export, and what
lies beyond a ranged export's end, stay; an exception of a series the file has goes whenever
it falls (the organizer's exceptions that still hold are in the file), unless it holds only
my answer to that occurrence (see "my answer stays"). A file with no meetings removes nothing (an empty
export is more likely a failed one); tombstones of cancellations stay. Several files (a
folder: a vdir that vdirsyncer keeps, one event a file) are the calendar together: each
imports as its own transaction, then what none of them has is removed in one more (the same
undo batch) — unless a file was refused, since what it holds is not known.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tpm_tui.domain import Attendee, ImportFailed, InputError, Meeting, TpmError, When
from tpm_tui.ics.parse import ParseResult, Reply, parse_calendar
from tpm_tui.logic.gcpause import paused_gc
from tpm_tui.services.answer import carried_exception, carry_answer, my_partstat

if TYPE_CHECKING:
    from tpm_tui.storage import Store

STDIN = "<stdin>"

Key = tuple[str, str | None]


@dataclass
class FileReport:
    source: str
    added: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    skipped: int = 0
    removed: int | None = None  # with ``replace``: meetings of the calendar the file no longer has
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    changes: list[str] = field(default_factory=list)
    line: str | None = None  # its own summary line (the removal step of a folder --replace)
    seen: set[Key] = field(default_factory=set, repr=False)  # with ``replace``: the keys in the file
    starts: list[datetime] = field(default_factory=list, repr=False)  # … and their starts (UTC)

    def summary_line(self) -> str:
        if self.error is not None:
            return f"{self.source}: error: {self.error}"
        if self.line is not None:
            return self.line
        removed = f", {self.removed} removed" if self.removed is not None else ""
        return (
            f"{self.source}: {self.added} added, {self.updated} updated, {self.cancelled} cancelled, "
            f"{self.unchanged} unchanged, {self.skipped} skipped{removed}"
        )

    @property
    def ok(self) -> bool:
        return self.error is None


COUNTS = ("added", "updated", "cancelled", "unchanged", "skipped")


def counts_text(report: FileReport) -> str:
    """``3 added, 1 updated`` (only what is not zero; ``nothing in it`` when all are)."""
    parts = [f"{getattr(report, name)} {name}" for name in (*COUNTS, "removed") if getattr(report, name)]
    return ", ".join(parts) or "nothing in it"


def totals(reports: Sequence[FileReport]) -> str:
    """The sums over every file, e.g. ``48 files: 135 added, 2 cancelled · 6 refused, 9 warnings``."""
    files = [r for r in reports if r.line is None]  # not the removal step of a folder --replace
    fine = [r for r in reports if r.error is None]
    sums = {name: sum(getattr(r, name) or 0 for r in fine) for name in (*COUNTS, "removed")}
    parts = [f"{n} {name}" for name, n in sums.items() if n]
    text = f"{len(files)} files: " + (", ".join(parts) or "nothing imported")
    refused = sum(1 for r in files if r.error is not None)
    warnings = sum(len(r.warnings) for r in fine)
    problems = [f"{refused} refused"] if refused else []
    if warnings:
        problems.append(f"{warnings} warning" + ("s" if warnings != 1 else ""))
    return text + (" · " + ", ".join(problems) if problems else "")


# ------------------------------------------------------------------ sources


FOLDER_SUFFIXES = (".ics", ".eml")
"""What a folder import reads: calendars, and invitations saved from a mail client as whole
e-mails (Apple Mail, Thunderbird); an e-mail without an invitation is refused in one line."""


def _expand_sources(sources: Sequence[str], stdin: bytes | None) -> list[tuple[str, bytes | None, str | None]]:
    """(name, bytes or None, error or None) for every file named by ``sources``."""
    out: list[tuple[str, bytes | None, str | None]] = []
    for src in sources:
        if src == "-":
            if stdin is None:
                out.append((STDIN, None, "nothing to read on standard input"))
            else:
                out.append((STDIN, stdin, None))
            continue
        path = Path(src).expanduser()
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES)
            if not files:
                out.append((src, None, "folder has no .ics or .eml files"))
            for p in files:
                out.append(_read(str(p), p))
            continue
        out.append(_read(src, path))
    return out


def _read(name: str, path: Path) -> tuple[str, bytes | None, str | None]:
    try:
        return (name, path.read_bytes(), None)
    except FileNotFoundError:
        return (name, None, "no such file")
    except PermissionError:
        return (name, None, "permission denied")
    except OSError as exc:
        return (name, None, f"cannot read ({exc.strerror or exc})")


def import_sources(
    store: Store,
    sources: Sequence[str],
    *,
    calendar: str = "",
    dry_run: bool = False,
    stdin: bytes | None = None,
    on_start: Callable[[str, int], object] | None = None,
    on_done: Callable[[FileReport], object] | None = None,
    now: datetime | None = None,
    replace: bool = False,
) -> list[FileReport]:
    """Import every file named by ``sources`` (paths, folders of ``*.ics`` and ``*.eml``, ``-`` for stdin).

    Each file is its own transaction; a failing file gets ``error`` set and leaves the
    store as it was, and the others still import. ``dry_run`` writes nothing and
    lists the changes it would make in ``changes``. ``on_start(name, size in bytes)``
    is called before a file is parsed, ``on_done(report)`` as soon as it is finished (a
    folder's results need not wait for its last file). ``now``: when the journal says each
    file was imported (default: the clock, or ``$TPM_NOW``).
    """
    reports: list[FileReport] = []
    files = _expand_sources(sources, stdin)
    if replace and not calendar.strip():  # checked before any file is read into the store
        raise InputError("--replace needs --calendar NAME: the calendar the file is the whole of")
    together = replace and len(files) > 1  # a folder (a vdir: one event a file) is the calendar
    # the files of one command are undone (and redone) together: one batch in the journal
    batch = f"{now_or_clock(now).isoformat()}#{os.getpid()}#{id(files)}" if len(files) > 1 else None
    for name, data, error in files:
        if error is not None or data is None:
            report = FileReport(source=name, error=error or "cannot read")
        else:
            if on_start is not None:
                on_start(name, len(data))
            report = import_bytes(store, data, source=name, calendar=calendar, dry_run=dry_run, now=now,
                                  batch=batch, replace=replace and not together, collect=together)
        reports.append(report)
        if on_done is not None:
            on_done(report)
    if together:
        report = _remove_absent_of_all(store, reports, calendar, dry_run=dry_run, now=now, batch=batch)
        reports.append(report)
        if on_done is not None:
            on_done(report)
    return reports


def _remove_absent_of_all(store: Store, reports: list[FileReport], calendar: str, *, dry_run: bool,
                          now: datetime | None, batch: str | None) -> FileReport:
    """``--replace`` of several files (a folder): once every file is in, remove the meetings of
    ``calendar`` none of them has, within their span; nothing when a file was refused (what it
    holds is not known) or none has a meeting. One more journal entry of the same batch: one
    undo takes the whole command back."""
    report = FileReport(source=f"calendar {calendar}", removed=0)
    refused = sum(1 for r in reports if r.error is not None)
    starts = [t for r in reports for t in r.starts]
    if refused or not starts:
        why = (f"{refused} file{'s' if refused != 1 else ''} refused: what {'they hold' if refused != 1 else 'it holds'} "
               "is not known" if refused else "no meetings in the files")
        report.line = f"calendar {calendar}: nothing removed ({why})"
        return report
    seen = set().union(*(r.seen for r in reports))
    gone = absent_meetings(store, calendar, seen, min(starts), max(starts) + _ONE_DAY)
    report.removed = len(gone)
    report.line = f"calendar {calendar}: {len(gone)} removed (in none of the {len(reports)} files any more)"
    if dry_run:
        report.changes.extend(f"removed: {_label(m)} {_when(m.start)} (not in the files any more)" for m in gone)
        return report
    if gone:
        from tpm_tui.services.triage import record_meetings

        try:
            with store.transaction():
                keys = [m.key for m in gone]
                store.delete_meetings(keys)
                extra: dict[str, object] = {"source": f"calendar {calendar}", "counts": {"removed": len(gone)}}
                if batch:
                    extra["batch"] = batch
                record_meetings(store, "import", f"calendar {calendar}: {len(gone)} removed (not in the files any more)",
                                gone, [], keys, now_or_clock(now), extra=extra)
        except TpmError as exc:
            _fail(report, str(exc))
    return report


def absent_meetings(store: Store, calendar: str, present: set[Key], first: datetime, last: datetime,
                    *, besides: Collection[Key] = ()) -> list[Meeting]:
    """The live meetings of ``calendar`` not in ``present`` (nor ``besides``) that start in
    ``[first, last)`` — a series: that has an occurrence there —, and the exceptions of a
    series ``present`` has, whenever they fall: the file has all of that series that holds
    (see the module rules)."""
    from tpm_tui.logic.recurrence import MeetingIndex

    out = []
    for m in store.meetings():
        if m.calendar != calendar or m.key in present or m.key in besides or m.cancelled:
            continue
        if m.recurrence_id is not None and (m.uid, None) in present:
            inside = True
        elif m.is_recurring and m.recurrence_id is None:
            inside = bool(MeetingIndex([m]).between(first, last, ZoneInfo("UTC")))
        else:
            inside = first <= _utc(m.start) < last
        if inside:
            out.append(m)
    return out


def now_or_clock(now: datetime | None) -> datetime:
    if now is not None:
        return now
    from tpm_tui.services.entry import now_in

    return now_in("UTC")


def import_bytes(store: Store, data: bytes, *, source: str, calendar: str = "", dry_run: bool = False,
                 now: datetime | None = None, batch: str | None = None, replace: bool = False,
                 collect: bool = False) -> FileReport:
    """Import one file's bytes (see :func:`import_sources`).

    The cyclic GC is paused meanwhile: icalendar's parse makes millions of small objects
    and no cyclic garbage (measured: nothing to collect after parsing 3,000 events), and
    the collector's passes over them were 5-10 % of the parse."""
    with paused_gc():
        return _import_bytes(store, data, source=source, calendar=calendar, dry_run=dry_run, now=now, batch=batch,
                             replace=replace, collect=collect)


def _import_bytes(store: Store, data: bytes, *, source: str, calendar: str, dry_run: bool,
                  now: datetime | None, batch: str | None, replace: bool = False, collect: bool = False) -> FileReport:
    report = FileReport(source=source, removed=0 if replace and calendar else None)
    try:
        parsed = parse_calendar(data, source=source, calendar=calendar)
    except ImportFailed as exc:
        report.error = _reason(str(exc), source)
        return report
    except Exception as exc:  # never a traceback for a bad file
        report.error = f"cannot be read ({type(exc).__name__}: {_line(exc)})"
        return report
    report.warnings.extend(parsed.warnings)
    if collect:  # a folder --replace: what this file has, for the removal after the last file
        report.seen = {m.key for m in parsed.meetings}
        report.starts = [_utc(m.start) for m in parsed.meetings]
    if parsed.todos:  # said, never silently dropped: they are tasks, not meetings
        n = len(parsed.todos)
        report.warnings.append(f"{source}: {n} to-do{'s' if n != 1 else ''} (VTODO) left out: "
                               f"tpm task import {source} makes {'them tasks' if n != 1 else 'it a task'}")
    report.skipped += parsed.skipped
    try:
        if dry_run:
            _Plan(store, parsed, report, describe=True, replace=calendar if replace else None).run()
        else:
            with store.transaction():
                plan = _Plan(store, parsed, report, describe=False, replace=calendar if replace else None)
                plan.run()
                if plan.puts or plan.deletes:
                    _write(store, plan, report, now, batch)
    except TpmError as exc:
        _fail(report, str(exc))
    except Exception as exc:
        _fail(report, f"import failed ({type(exc).__name__}: {_line(exc)}); nothing was changed")
    return report


def _write(store: Store, plan: _Plan, report: FileReport, now: datetime | None, batch: str | None) -> None:
    """Store what the plan changed, and journal it (in the same transaction) so that ``u`` /
    ``tpm undo`` takes the whole file back: the new meetings go, the old versions return."""
    from tpm_tui.services.events import move_notes, notes_following
    from tpm_tui.services.triage import record_meetings

    keys = dict.fromkeys([*plan.puts, *plan.deletes])
    before = [m for key in keys if (m := store.meeting(*key)) is not None]
    if plan.puts:
        store.put_meetings(plan.puts.values())
    if plan.deletes:
        store.delete_meetings(plan.deletes)
    counts = {name: n for name in ("added", "updated", "cancelled") if (n := getattr(report, name))}
    parts = [f"{n} {name}" for name, n in counts.items()]
    if report.removed:
        counts["removed"] = report.removed
        parts.append(f"{report.removed} removed")
    if len(plan.deletes) > (report.removed or 0):
        parts.append(f"{len(plan.deletes) - (report.removed or 0)} old exceptions dropped")
    done = ", ".join(parts)
    said = f"import of {report.source} ({done})"
    # an organizer moved a series: my notes on its days move with them (as its days are keyed anew)
    was = {m.key: m for m in before}
    notes = [pair for m in plan.puts.values() if m.rrule and m.key in was for pair in notes_following(store, was[m.key], m)]
    extra: dict[str, object] = {"source": report.source, "counts": counts}
    if notes and not batch:
        batch = f"import-{os.urandom(6).hex()}"
        extra["batch_summary"] = said
    if batch:
        extra["batch"] = batch
    record_meetings(store, "import", said, before, list(plan.puts.values()), plan.deletes, now_or_clock(now),
                    extra=extra)
    move_notes(store, notes, said, now_or_clock(now), {"batch": batch} if notes else None)


def _fail(report: FileReport, message: str) -> None:
    report.error = _reason(message, report.source)
    report.added = report.updated = report.cancelled = report.unchanged = 0
    if report.removed is not None:
        report.removed = 0
    report.changes.clear()


def _reason(message: str, source: str) -> str:
    message = _line(message)
    prefix = f"{source}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def _line(value: object) -> str:
    return " ".join(str(value).split())[:200]


# ------------------------------------------------------------------ the plan


def _older(new: Meeting, old: Meeting) -> bool:
    """True when ``new`` is a stale version of ``old`` (lower SEQUENCE, or same and earlier DTSTAMP)."""
    if new.sequence != old.sequence:
        return new.sequence < old.sequence
    if new.dtstamp is not None and old.dtstamp is not None:
        return new.dtstamp < old.dtstamp
    return False


def _same(a: Meeting, b: Meeting) -> bool:
    """Equal apart from DTSTAMP (a re-export stamps every event with the export time)."""
    return a._replace(dtstamp=b.dtstamp) == b


def _when(value: When) -> str:
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
        if value.tzinfo is not None:
            text += f" {getattr(value.tzinfo, 'key', None) or value.strftime('%z') or 'UTC'}"
        return text
    return value.isoformat()


def _label(m: Meeting) -> str:
    return m.summary.strip() or "(no title)"


_ONE_DAY = timedelta(days=1)


def _utc(value: When) -> datetime:
    """An instant to compare starts by (a date at its midnight, a floating time as if in UTC)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0), tzinfo=UTC)
    return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)


class _Plan:
    def __init__(self, store: Store, parsed: ParseResult, report: FileReport, *, describe: bool,
                 replace: str | None = None) -> None:
        self.replace = replace  # the calendar the file is the whole of (``--replace``)
        self.store = store
        self.parsed = parsed
        self.report = report
        self.describe = describe
        self.puts: dict[Key, Meeting] = {}
        self.deletes: list[Key] = []
        self.source = report.source
        self._overrides: dict[str, list[Meeting]] | None = None
        self._me: str | None | bool = False  # "me"'s e-mail, looked up once (False: not yet)

    @property
    def me(self) -> str | None:
        """"me"'s e-mail in lower case (None: nobody is "me", or without an e-mail)."""
        if self._me is False:
            handle = self.store.settings().me
            person = self.store.person(handle) if handle else None
            self._me = person.email.lower() if person is not None and person.email else None
        return self._me  # type: ignore[return-value]

    def current(self, key: Key) -> Meeting | None:
        hit = self.puts.get(key)
        return hit if hit is not None else self.store.meeting(key[0], key[1])

    def change(self, text: str) -> None:
        if self.describe:
            self.report.changes.append(text)

    def warn(self, text: str) -> None:
        self.report.warnings.append(f"{self.source}: {text}")

    def run(self) -> None:
        incoming = {m.key for m in self.parsed.meetings}
        for m in self.parsed.meetings:
            self.apply(m, incoming)
        for reply in self.parsed.replies:
            self.reply(reply)
        if self.replace is not None:
            self.remove_absent(self.replace, incoming)

    def remove_absent(self, calendar: str, incoming: set[Key]) -> None:
        """Remove the meetings of ``calendar`` the file no longer has, within its span (module docs)."""
        if not self.parsed.meetings:
            self.warn(f"no meetings in it: nothing of calendar {calendar!r} removed "
                      "(an empty export is more likely a failed one; tpm calendar remove empties a calendar)")
            return
        first = min(_utc(m.start) for m in self.parsed.meetings)
        last = max(_utc(m.start) for m in self.parsed.meetings) + _ONE_DAY  # a day: a date's events too
        for m in absent_meetings(self.store, calendar, incoming, first, last, besides={*self.deletes, *self.puts}):
            if self.keeps_answer(m, incoming):
                continue
            self.deletes.append(m.key)
            self.report.removed = (self.report.removed or 0) + 1
            self.change(f"removed: {_label(m)} {_when(m.start)} (not in the file any more)")

    def keeps_answer(self, m: Meeting, incoming: set[Key]) -> bool:
        """``m`` is my answer to one occurrence of a series the file has (at that time still):
        kept, made again from the series as the file has it when that changed."""
        master = self.store.meeting(m.uid, None)
        if self.me is None or m.recurrence_id is None or (m.uid, None) not in incoming or master is None:
            return False
        again = carried_exception(m, master, self.current((m.uid, None)) or master, self.me)
        if again is None:
            return False
        if not _same(again, m):
            self.puts[again.key] = again
        return True

    def apply(self, m: Meeting, incoming: set[Key]) -> None:
        r = self.report
        cur = self.current(m.key)
        if cur is None:
            # a cancellation of something we never had is kept too (as a tombstone), so
            # that a late copy of the original invite cannot bring the meeting back
            self.puts[m.key] = m
            if m.cancelled:
                r.cancelled += 1
                self.change(f"cancelled: {_label(m)} {_when(m.start)}")
            else:
                r.added += 1
                self.change(f"new: {_label(m)} {_when(m.start)}")
            return
        if _older(m, cur):
            r.unchanged += 1
            rid = f" (occurrence {m.recurrence_id})" if m.recurrence_id else ""
            self.warn(
                f"UID {m.uid}{rid}: older than the stored version "
                f"(SEQUENCE {m.sequence} vs {cur.sequence}); ignored"
            )
            return
        new = m
        if m.cancelled:
            new = cur._replace(status="CANCELLED", sequence=m.sequence, dtstamp=m.dtstamp or cur.dtstamp)
        if not new.calendar and cur.calendar:
            new = new._replace(calendar=cur.calendar)
        if self.me is not None:
            new = carry_answer(new, cur, self.me)
        if _same(new, cur):
            r.unchanged += 1
            return
        self.puts[m.key] = new
        if new.cancelled and not cur.cancelled:
            r.cancelled += 1
            self.change(f"cancelled: {_label(cur)} {_when(cur.start)}")
        else:
            r.updated += 1
            if (new.start, new.end, new.rrule) != (cur.start, cur.end, cur.rrule):
                again = ""
                if self.me is not None and my_partstat(new, self.me) != my_partstat(cur, self.me):
                    again = f" (you had {(my_partstat(cur, self.me) or '').lower()}: answer again)"
                self.change(f"moved: {_label(new)} {_when(cur.start)} -> {_when(new.start)}{again}")
            else:
                self.change(f"updated: {_label(new)} {_when(new.start)}")
        if m.recurrence_id is None and m.sequence > cur.sequence and not m.cancelled:
            self.drop_old_overrides(new, cur, incoming)

    def drop_old_overrides(self, master: Meeting, old_master: Meeting, incoming: set[Key]) -> None:
        if self._overrides is None:
            self._overrides = {}
            for old in self.store.meetings():
                if old.recurrence_id is not None:
                    self._overrides.setdefault(old.uid, []).append(old)
        for old in self._overrides.get(master.uid, ()):
            if old.key not in incoming and old.sequence < master.sequence:
                again = carried_exception(old, old_master, master, self.me) if self.me is not None else None
                if again is not None:
                    self.puts[again.key] = again
                    said = (my_partstat(again, self.me) or "").lower()
                    self.change(f"kept: your answer ({said}) to {_label(old)} {_when(old.start)} "
                                "(the new series has it at the same time)")
                    continue
                self.deletes.append(old.key)
                self.change(f"dropped: {_label(old)} {_when(old.start)} (replaced by the new series)")

    def reply(self, reply: Reply) -> None:
        r = self.report
        target = self.current((reply.uid, reply.recurrence_id))
        if target is None and reply.recurrence_id is not None:
            target = self.current((reply.uid, None))
        if target is None:
            r.skipped += 1
            self.warn(f"UID {reply.uid}: reply to a meeting that is not in the database; skipped")
            return
        attendees = list(target.attendees)
        changed = False
        for a in reply.attendees:
            for i, old in enumerate(attendees):
                if old.email and old.email == a.email:
                    if old.partstat != a.partstat:
                        attendees[i] = Attendee(old.email, old.name or a.name, a.partstat, old.role)
                        changed = True
                    break
            else:
                attendees.append(a)
                changed = True
        if not changed:
            r.unchanged += 1
            return
        self.puts[target.key] = target._replace(attendees=tuple(attendees))
        r.updated += 1
        who = ", ".join(f"{a.email} {a.partstat}" for a in reply.attendees)
        self.change(f"reply: {_label(target)}: {who}")


__all__ = ["STDIN", "FileReport", "import_bytes", "import_sources"]
