"""The ``tpm`` command line.

A bare ``tpm`` opens the TUI (Textual is imported only then); every sub-command is
Textual-free. Errors are one line on stderr and a non-zero exit; ``--debug`` shows
the traceback instead.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, time, timedelta
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from tpm_tui import __version__
from tpm_tui.launch import FORMATS, brief_output, fail, open_store, pause_gc, run_demo, run_guarded, run_tui


class Context:
    """What the sub-commands share: the database path and the opened store."""

    def __init__(self) -> None:
        self.db: str | None = None
        self.debug = False
        self.tz: str | None = None  # ``tpm --tz ZONE <command>``: the default of a command's --tz
        self._store: Any = None

    def db_path(self) -> tuple[Path, str]:
        from tpm_tui.paths import resolve_db_path

        return resolve_db_path(self.db)

    def store(self) -> Any:
        if self._store is None:
            self._store = open_store(self.db)
        return self._store


pass_ctx = click.make_pass_decorator(Context, ensure=True)


def _remember(attr: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """An option callback storing a given value on the shared :class:`Context`."""

    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value:
            setattr(ctx.ensure_object(Context), attr, value)
        return value

    return callback


def _common(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--db`` and ``--debug`` accepted after the sub-command too (``tpm brief --db x.json``)."""
    f = click.option("--db", "db_after", metavar="PATH", expose_value=False, callback=_remember("db"),
                     help="Database file (overrides $TPM_DB and the default).")(f)
    return click.option("--debug", "debug_after", is_flag=True, expose_value=False, callback=_remember("debug"),
                        help="Show tracebacks.")(f)


class TpmGroup(click.Group):
    """Turns every failure into one line on stderr (a traceback only with ``--debug``)."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in argv
        def invoke() -> Any:
            try:
                return super(TpmGroup, self).main(argv, prog_name or "tpm", complete_var, standalone_mode=False,
                                                  **extra)
            except click.exceptions.Exit as exc:  # --help, --version
                sys.exit(exc.exit_code)
            except click.exceptions.Abort:
                raise KeyboardInterrupt from None
            except click.exceptions.NoArgsIsHelpError as exc:  # ``tpm task``: what it can do, as --help says it
                click.echo(exc.ctx.get_help())
                sys.exit(0)
            except click.ClickException as exc:  # a usage error, worded by click
                if debug:
                    raise
                fail(exc.format_message(), exc.exit_code)

        rv = run_guarded(invoke, debug=debug)  # the rest as for a plain brief (tpm_tui.launch)
        sys.exit(rv if isinstance(rv, int) else 0)


# ------------------------------------------------------------------ shell completion
# (eval "$(_TPM_COMPLETE=bash_source tpm)": task ids, handles, project keys and zones from the
# database the command line names; nothing is created or written, and a database that cannot
# be read completes nothing rather than printing an error into the prompt)


def _completion_store(ctx: click.Context) -> Any:
    from tpm_tui.paths import resolve_db_path
    from tpm_tui.storage import Store

    try:
        obj = ctx.find_object(Context)  # a --db after the sub-command (its option callback)
        db = (obj.db if obj is not None else None) or ctx.find_root().params.get("db")  # tpm --db P …
        path, _source = resolve_db_path(db)
        return Store.open(path, lock_timeout=0.5) if path.is_file() else None
    except Exception:  # noqa: BLE001 - a prompt is no place for an error
        return None


def _items(pairs: Iterable[tuple[str, str]], incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    low = incomplete.lower()
    return [CompletionItem(value, help=help_text) for value, help_text in pairs if value.lower().startswith(low)]


def _completer(pairs_of: Callable[[Any, str], Iterable[tuple[str, str]]]) -> Callable[..., list[Any]]:
    """A ``shell_complete`` callback offering ``pairs_of(store, incomplete)`` (value, help) that
    start with what was typed; nothing when the database cannot be read."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
        store = _completion_store(ctx)
        if store is None:
            return []
        try:
            return _items(pairs_of(store, incomplete), incomplete)
        except Exception:  # noqa: BLE001 - a prompt is no place for an error
            return []

    return complete


def _by_id(task: Any) -> Any:
    from tpm_tui.services.triage import task_order

    return task_order(task)


_complete_open_tasks = _completer(lambda store, _typed: ((t.id, t.title) for t in sorted(store.open_tasks(), key=_by_id)))
# open tasks first, then the done ones (task show / rm of finished work)
_complete_tasks = _completer(lambda store, _typed: (
    (t.id, t.title) for t in sorted(store.tasks(), key=lambda t: (not t.is_open, _by_id(t)))))
# after a comma, the handles go on the list typed so far: person off lena,t<TAB>, meet
_complete_people = _completer(lambda store, typed: (
    (typed[:typed.rfind(",") + 1] + p.handle, p.name) for p in store.people()))
_complete_projects = _completer(lambda store, _typed: ((p.key, p.name) for p in store.projects()))


def _complete_zones(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    import zoneinfo

    return _items(((z, "") for z in sorted(zoneinfo.available_timezones())), incomplete)


@click.group(cls=TpmGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", help="Database file (overrides $TPM_DB and the default).")
@click.option("--demo", is_flag=True, help="Open the TUI on a fresh demo database in a temporary folder.")
@click.option("--tz", metavar="ZONE", help="IANA time zone for the dashboard and every command (a command's own --tz wins).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="tpm")
@click.pass_context
def main(ctx: click.Context, db: str | None, demo: bool, tz: str | None, debug: bool) -> None:
    """tpm — the morning console of a technology project manager.

    Run without a command to open the dashboard.
    """
    obj = ctx.ensure_object(Context)
    if db:
        obj.db = db
    obj.tz = tz
    obj.debug = obj.debug or debug
    if ctx.invoked_subcommand is not None:
        return
    if demo:
        run_demo(tz)
    else:
        pause_gc()  # until the dashboard's first frame: run_app resumes it
        store = obj.store()
        run_tui(store, tz)




# ---------------------------------------------------------------- demo / where


@main.command("demo")
@_common
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@pass_ctx
def demo_cmd(obj: Context, force: bool) -> None:
    """Write the demo dataset to --db PATH (refuses to overwrite without --force)."""
    from tpm_tui import demo as demo_data
    from tpm_tui.domain import InputError
    from tpm_tui.services.entry import now_in
    from tpm_tui.storage import Store

    if not obj.db:
        raise InputError("tpm demo needs --db PATH (it never writes into your own database by default)")
    path = Path(obj.db).expanduser()
    if path.exists() and not force:
        raise InputError(f"{path}: exists; use --force to replace it with the demo data")
    if path.exists():
        Store.open(path)  # refuse to replace a corrupt or foreign file silently
        path.unlink()
    store = Store.open(path)
    now = now_in(demo_data.MY_ZONE)
    demo_data.seed(store, now.date(), now)
    counts = store.counts()
    click.echo(
        f"{path}: demo data written ({counts['people']} people, {counts['projects']} projects, "
        f"{counts['tasks']} tasks, {counts['meetings']} meetings)"
    )


@main.command("where")
@_common
@pass_ctx
def where_cmd(obj: Context) -> None:
    """Print the paths in use."""
    path, source = obj.db_path()
    click.echo(f"database: {path}  (from {source})")
    click.echo(f"log:      {path}.wal  (recent changes, folded into the database on exit or when large)")
    click.echo(f"lock:     {path}.lock")
    click.echo(f"backups:  {path}.bak  (as each session found it, before its first write; tpm doctor --restore)")
    click.echo(f"          {path.parent}/{path.name}.v<N>.bak  (made before a schema migration)")
    click.echo("          your own: tpm backup FILE  (a copy of the file alone misses what is still in the log)")
    from tpm_tui.services.seen import seen_path

    click.echo(f"seen:     {seen_path(path)}  (the dashboard's last look, for 'since you last looked')")
    click.echo(f"exists:   {'yes' if path.exists() else 'no (created on first write)'}")


@main.command("backup")
@_common
@click.argument("target", required=False, metavar="[FILE|-]")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@pass_ctx
def backup_cmd(obj: Context, target: str | None, force: bool) -> None:
    """A standalone copy of the database, its write-ahead log folded in (a copy of the file
    alone misses the changes still in the log): to FILE, '-' for standard output, by default
    beside the database and named by the time. Open it with tpm --db FILE; to restore, copy
    it over the database (a log left beside that is then ignored)."""
    from tpm_tui.domain import InputError
    from tpm_tui.storage.atomic import write_bytes_atomic

    path, _source = obj.db_path()
    if not path.exists():
        raise InputError(f"{path}: nothing to back up yet (the database is made by its first change)")
    store, zone, now = _zone_and_now(obj, None)
    if target == "-":
        sys.stdout.buffer.write(store.snapshot())
        sys.stdout.buffer.flush()
        return
    out = Path(target).expanduser() if target else path.with_name(
        f"{path.stem}-backup-{now.astimezone(zone):%Y-%m-%d-%H%M%S}.json")
    if out.is_dir():
        out = out / f"{path.stem}-backup-{now.astimezone(zone):%Y-%m-%d-%H%M%S}.json"
    own = {path.resolve(), *(Path(f"{path}{end}").resolve() for end in (".wal", ".bak", ".bak.wal", ".lock"))}
    if out.resolve() in own:
        raise InputError(f"{out}: that is the database or one of its own files; name another file")
    if out.exists() and not force:
        raise InputError(f"{out}: exists (--force replaces it)")
    payload = store.snapshot()
    write_bytes_atomic(out, payload)
    sizes = store.counts()
    counts = ", ".join(f"{sizes.get(t, 0)} {t}" for t in ("people", "projects", "tasks", "meetings"))
    size = f"{len(payload) / 1e6:.1f} MB" if len(payload) >= 1e6 else f"{max(1, round(len(payload) / 1e3))} KB"
    click.echo(f"{out}: backed up ({counts}; {size})")


@main.command("doctor")
@_common
@click.option("--restore", is_flag=True, help="Replace a damaged database with its last good backup.")
@pass_ctx
def doctor_cmd(obj: Context, restore: bool) -> None:
    """Check the database file; offer (and with --restore, do) a restore from backup."""
    from tpm_tui.storage.maintenance import diagnose, restore_last_good

    path, _source = obj.db_path()
    state, backups = diagnose(path)
    if restore:
        if state.ok:
            click.echo(f"{state.describe()}; nothing to restore")
            return
        used, kept = restore_last_good(path)
        aside = f"; the damaged file is kept as {kept.name}" if kept else ""
        click.echo(f"{path}: restored from {used.name}{aside}")
        return
    click.echo(state.describe() if state.ok else f"{path.name}: PROBLEM: {state.problem}")
    for b in backups:
        click.echo(f"  backup {b.describe()}")
    if not backups:
        click.echo("  no backups yet (one is made before the first write of each session)")
    if not state.ok and state.problem != "does not exist":
        good = next((b for b in backups if b.ok), None)
        if good is not None:
            click.echo(f"  restore the last good backup with: tpm doctor --restore --db {path}")
        sys.exit(1)


# ---------------------------------------------------------------- brief


@main.command("brief")
@_common
@click.option("--date", "day_text", metavar="YYYY-MM-DD", help="The day (default: today in --tz).")
@click.option("--tz", metavar="ZONE", help="IANA zone (default: configured zone, else the machine's).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--project", metavar="KEY", shell_complete=_complete_projects,
              help="For one project's stakeholders: its tasks, its team, their meetings.")
@pass_ctx
def brief_cmd(obj: Context, day_text: str | None, tz: str | None, fmt: str, project: str | None) -> None:
    """The day's meetings, tasks at risk, workload and plan."""
    # A plain ``tpm brief`` never gets here (tpm_tui.launch runs it without click); this
    # is the same command for the shapes that reach click (e.g. ``--format=JSON`` errors).
    pause_gc()  # a one-shot read: the process ends right after
    click.echo(brief_output(obj.store(), day_text=day_text, tz=tz or obj.tz, fmt=fmt, project=project))


@main.command("agenda")
@_common
@click.option("--from", "first_text", metavar="DATE", help="The first day (default: today; mon = this week's Monday).")
@click.option("--days", type=click.IntRange(1, 62), default=7, show_default=True, help="How many days.")
@click.option("--tz", metavar="ZONE", help="IANA zone (default: configured zone, else the machine's).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_ctx
def agenda_cmd(obj: Context, first_text: str | None, days: int, tz: str | None, fmt: str) -> None:
    """Meetings day by day (a week by default), with odd hours and conflicts as in the brief."""
    from tpm_tui.logic.render import agenda_to_json, render_agenda
    from tpm_tui.services.brief import agenda
    from tpm_tui.services.entry import now_in, parse_date, resolve_tz

    pause_gc()  # a one-shot read: the process ends right after
    store = obj.store()
    zone_name = resolve_tz(store, tz or obj.tz)
    today = now_in(zone_name).date()
    first = today if first_text is None else parse_date(first_text, today, field="--from")
    if first_text is not None and first_text.strip().lower() in ("mon", "monday") and first > today:
        first -= timedelta(days=7)  # "mon" is this week's Monday here, not next week's
    found = agenda(store, first, days, zone_name)
    notes = {n.key: len(n.notes) for n in store.meeting_notes() if n.notes}
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps(agenda_to_json(found, zone_name, notes), option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(render_agenda(found, zone_name, store.people(), notes))


@main.command("meet")
@_common
@click.argument("handles", nargs=-1, required=True, metavar="HANDLE...", shell_complete=_complete_people)
@click.option("--duration", default="30m", show_default=True, metavar="LENGTH", help="45m, 1h, 1h30m, 1.5h.")
@click.option("--from", "first_text", metavar="DATE", help="The first day (default: today).")
@click.option("--days", type=click.IntRange(1, 28), default=5, show_default=True, help="How many days to look in.")
@click.option("--tz", metavar="ZONE", help="IANA zone the times are shown in (default: configured zone, else the machine's).")
@click.option("--without-me", is_flag=True, help="Do not count your own meetings (you are not attending).")
@click.option("--limit", type=click.IntRange(1, 20), default=5, show_default=True, help="How many times to propose.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--invite", "invite_path", metavar="FILE.ics",
              help="Write an invitation for one of the times (--pick) that a calendar client opens and sends.")
@click.option("--pick", type=click.IntRange(1, 20), default=1, show_default=True, help="Which time --invite books.")
@click.option("--title", default="Meeting", show_default=True, help="The invitation's title.")
@pass_ctx
def meet_cmd(obj: Context, handles: tuple[str, ...], duration: str, first_text: str | None, days: int,
             tz: str | None, without_me: bool, limit: int, fmt: str, invite_path: str | None, pick: int,
             title: str) -> None:
    """When can we meet? Free times for everyone named (and you), fewest people at night or
    at odd hours first; --invite writes one of them as an invitation."""
    from tpm_tui.domain import InputError
    from tpm_tui.logic.render import slot_lines, slots_to_json
    from tpm_tui.services.brief import meeting_slots
    from tpm_tui.services.entry import parse_date, parse_duration
    from tpm_tui.services.invite import file_target

    pause_gc()  # a one-shot read: the process ends right after
    length = parse_duration(duration)
    target = file_target(invite_path, "--invite", "invite.ics") if invite_path else None
    if target is not None and pick > limit:
        raise InputError(f"--pick: {pick}, but --limit proposes {limit} times")
    if target is not None and not title.strip():
        raise InputError("--title: give the meeting a title")
    store, zone, now = _zone_and_now(obj, tz)
    today = now.astimezone(zone).date()
    first = today if first_text is None else parse_date(first_text, today, field="--from")
    wanted = [h.strip() for arg in handles for h in arg.split(",") if h.strip()]  # meet lena tom, or lena,tom
    if not wanted:
        raise InputError("HANDLE: name at least one person")
    asked, slots, never_free = meeting_slots(store, wanted, first, days, zone.key, now, length,
                                             with_me=not without_me, limit=limit)
    minutes = int(length.total_seconds() // 60)
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps(slots_to_json(asked, slots, zone.key, minutes), option=orjson.OPT_INDENT_2).decode())
        return
    last = first + timedelta(days=days - 1)
    me = store.settings().me
    click.echo("\n".join(slot_lines(asked, slots, zone.key, minutes, first, last, me=me, never_free=never_free)))
    if target is not None:
        _write_invite(store, target, asked, slots, pick, title, zone, now)


def _write_invite(store: Any, target: Path, asked: Any, slots: Any, pick: int, title: str, zone: Any, now: Any) -> None:
    """``tpm meet --invite``: the picked time as an iTIP request, organised by "me"."""
    from tpm_tui.domain import InputError
    from tpm_tui.services.invite import write_invite

    if not slots:
        raise InputError("--invite: no time was found to book")
    if pick > len(slots):
        raise InputError(f"--pick: {pick}, but {len(slots)} time{'' if len(slots) == 1 else 's'} were found")
    said = write_invite(store, target, asked, slots[pick - 1], title, zone, now)
    click.echo(f"{said}; tpm import {target} shows it here")


# ---------------------------------------------------------------- import


@main.command("import")
@_common
@click.argument("sources", nargs=-1, required=True, metavar="FILE|DIR|- ...")
@click.option("--calendar", metavar="NAME", default="", help="Calendar name to file the meetings under.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--replace", is_flag=True,
              help="The file is the whole of --calendar NAME (an export made again): its meetings the file no "
                   "longer has are removed, within the dates the file covers (undoable).")
@pass_ctx
def import_cmd(obj: Context, sources: tuple[str, ...], calendar: str, dry_run: bool, replace: bool) -> None:
    """Import .ics invites (iTIP updates and cancellations are applied)."""
    from tpm_tui.services.imports import import_sources, totals

    store = obj.store()
    if "-" in sources and _is_terminal(sys.stdin):
        # typed by hand, or a pipe forgotten: say what it waits for rather than look stuck
        click.echo("reading an .ics from standard input: paste it, then ctrl+d (ctrl+c cancels)", err=True)
    stdin = sys.stdin.buffer.read() if "-" in sources else None

    def started(name: str, size: int) -> None:
        # a big calendar takes seconds (icalendar's parse: ~1 s a thousand events): say so
        # on a terminal, never in a pipe or a log
        if size >= BIG_CALENDAR_BYTES and _is_terminal(sys.stderr):
            click.echo(f"importing {_one_line(name)} ({size / 1e6:.1f} MB)…", err=True)

    def finished(report: Any) -> None:  # printed as each file is done, not after the last
        for warning in report.warnings:
            click.echo(f"warning: {_one_line(warning)}", err=True)
        if report.error:
            click.echo(f"tpm: {_one_line(report.summary_line())}", err=True)
            return
        click.echo(_one_line(report.summary_line()) + (" (dry run: nothing written)" if dry_run else ""))
        for change in report.changes if dry_run else ():
            click.echo(f"  {_one_line(change)}")

    reports = import_sources(store, list(sources), calendar=calendar, dry_run=dry_run, stdin=stdin,
                             on_start=started, on_done=finished, replace=replace)
    if len(reports) > 1:  # a folder or several files: the sums last, where the eye lands
        click.echo(totals(reports) + (" (dry run: nothing written)" if dry_run else ""))
    if any(report.error for report in reports):
        sys.exit(1)


BIG_CALENDAR_BYTES = 1_000_000
"""From this size ``tpm import`` says on a terminal that it is reading a file (~1,000 events)."""


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _one_line(text: str) -> str:
    from tpm_tui.logic.render import safe_text

    return " ".join(safe_text(text).split())


# ---------------------------------------------------------------- plan


@main.command("answer")
@_common
@click.argument("uid", metavar="UID")
@click.argument("answer", metavar="accept|tentative|decline")
@click.option("--reply", "reply_path", metavar="FILE.ics",
              help="Also write the reply to send to the organizer (your mail client or calendar opens it).")
@click.option("--on", "on_day", metavar="DATE", help="Only the occurrence of a series on that day (thu, 2026-12-03).")
@pass_ctx
def answer_cmd(obj: Context, uid: str, answer: str, reply_path: str | None, on_day: str | None) -> None:
    """Answer an invitation as you (tpm set me): accept, tentative or decline. UID: the
    meeting's (tpm agenda --format json lists them), or its first characters. A declined
    meeting no longer takes your time; the whole series is answered, or with --on the one
    occurrence that day."""
    from tpm_tui.domain import InputError
    from tpm_tui.services.answer import answer_meeting, find_meeting, occurrence_on, parse_answer
    from tpm_tui.services.entry import parse_date
    from tpm_tui.services.invite import file_target

    partstat = parse_answer(answer)
    target = file_target(reply_path, "--reply", "reply.ics") if reply_path else None  # refused before any change
    store, zone, now = _zone_and_now(obj, None)
    meeting = find_meeting(store, uid)
    occurrence = None
    if on_day is not None:
        if not meeting.is_recurring:
            raise InputError(f"--on: {meeting.summary or meeting.uid!r} is not a series: answer it without --on")
        occurrence = occurrence_on(store, meeting.uid, parse_date(on_day, now.astimezone(zone).date(), field="--on"),
                                   zone)
    outcome = answer_meeting(store, meeting.uid, partstat, now, reply_to=target, occurrence=occurrence)
    click.echo(_one_line(outcome.message) + ("  (tpm undo reverts it)" if outcome.entry_id is not None else ""))
    if target is not None:
        to = meeting.organizer.lower().removeprefix("mailto:") or "the organizer"
        click.echo(f"{target}: reply to {_one_line(to)} written (send it from your mail, or open it in your calendar)")


@main.group("event")
def event_group() -> None:
    """Your own appointments (a dentist, an offsite): they take your time like meetings."""


@event_group.command("add")
@_common
@click.argument("title")
@click.option("--at", "at", required=True, metavar="WHEN", help="14:00 (today), thu 14:00, 2026-12-03 14:00.")
@click.option("--duration", default="1h", show_default=True, metavar="LENGTH", help="45m, 1h, 1h30m, 1.5h.")
@click.option("--with", "with_", metavar="HANDLE,...", help="People it takes the time of too.")
@click.option("--repeat", metavar="RULE", help="daily, weekdays, weekly, every 2 weeks, monthly, yearly…")
@click.option("--tz", metavar="ZONE", help="Zone --at is read in (default: yours).")
@pass_ctx
def event_add(obj: Context, title: str, at: str, duration: str, with_: str | None, repeat: str | None,
              tz: str | None) -> None:
    """Add an appointment of yours (calendar tpm); prints its UID. It takes your time in risk,
    the plan, tpm meet and the workload, and shows in Today; tpm undo removes it."""
    from tpm_tui.logic.repeat import parse_rule
    from tpm_tui.services.entry import parse_duration
    from tpm_tui.services.events import add_event, parse_at

    store, zone, now = _zone_and_now(obj, tz)
    start = parse_at(at, now.astimezone(zone).date(), zone)
    handles = tuple(h.strip() for h in (with_ or "").split(",") if h.strip())
    rule = parse_rule(repeat) if repeat is not None else None
    meeting, outcome, clashes = add_event(store, title, start, parse_duration(duration), now, with_handles=handles,
                                          repeat=rule)
    click.echo(meeting.uid)
    said = f"tpm: added {_one_line(outcome.message)}"
    if clashes:
        said += f"; overlaps {_one_line(', '.join(clashes))}"
    click.echo(said + "  (tpm undo removes it)", err=True)


@event_group.command("list")
@_common
@click.option("--all", "everything", is_flag=True, help="Past ones too (after those ahead).")
@click.option("--tz", metavar="ZONE", help="Zone for times (default: yours).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_ctx
def event_list(obj: Context, everything: bool, tz: str | None, fmt: str) -> None:
    """Your appointments still ahead, the next first: UID (what tpm event edit|rm take), when
    next, how it repeats, the days changed alone."""
    from tpm_tui.services.events import my_appointments

    store, zone, now = _zone_and_now(obj, tz)
    found = my_appointments(store, now, everything=everything)
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps([{
            "uid": r.meeting.uid, "summary": r.meeting.summary,
            "next_start": r.next_start.isoformat() if r.next_start else None,
            "next_end": r.next_end.isoformat() if r.next_end else None,
            "start": r.meeting.start.isoformat(), "end": r.meeting.end.isoformat(),
            "repeat": r.repeat or None, "rrule": r.meeting.rrule,
            "changed_days": [d.isoformat() for d in r.changed],
            "skipped_days": [d.isoformat() for d in r.meeting.exdate],
        } for r in found], option=orjson.OPT_INDENT_2).decode())
        return
    if not found:
        click.echo("No appointments of yours ahead: tpm event add TITLE --at WHEN (or E in the dashboard)"
                   if not everything else "No appointments of yours: tpm event add TITLE --at WHEN")
        return
    width = max(len(r.meeting.uid) for r in found)
    for r in found:
        if r.next_start is not None:
            s, e = r.next_start.astimezone(zone), r.next_end.astimezone(zone)  # type: ignore[union-attr]
            when = f"{s:%a %d %b %H:%M}–{e:%H:%M}" + (" (next)" if r.repeat else "")
        else:
            when = f"{r.meeting.start.astimezone(zone):%a %d %b %Y %H:%M} (over)"  # type: ignore[union-attr]
        extra = [r.repeat] if r.repeat else []
        if r.changed:
            extra.append("changed alone: " + ", ".join(f"{d.astimezone(zone):%a %d %b}" for d in r.changed))  # type: ignore[union-attr]
        if r.meeting.exdate:
            extra.append(f"{len(r.meeting.exdate)} day{'s' if len(r.meeting.exdate) > 1 else ''} removed")
        click.echo(f"{r.meeting.uid:<{width}}  {when:<30} {_one_line(r.meeting.summary)}"
                   + (f"  ({_one_line('; '.join(extra))})" if extra else ""))


@event_group.command("edit")
@_common
@click.argument("uid", metavar="UID")
@click.option("--title", metavar="TEXT", help="A new title.")
@click.option("--at", "at", metavar="WHEN",
              help="A new start: 14:00 (the same day), thu 14:00 (with --on: in that day's week), 2026-12-03 14:00.")
@click.option("--duration", metavar="LENGTH", help="A new length: 45m, 1h, 1h30m.")
@click.option("--repeat", metavar="RULE", help="A new repeat (weekly, weekdays, every 2 weeks…), or none.")
@click.option("--on", "on_day", metavar="DATE",
              help="Of a repeating one: change that day's alone (the others stay).")
@click.option("--tz", metavar="ZONE", help="Zone --at is read in (default: yours).")
@pass_ctx
def event_edit(obj: Context, uid: str, title: str | None, at: str | None, duration: str | None,
               repeat: str | None, on_day: str | None, tz: str | None) -> None:
    """Rename, move, resize or (un)repeat an appointment of yours (UID or its first 8
    characters); what you do not give stays. Of a repeating one, --on DATE changes that day
    alone; a change to every day keeps what days changed on their own changed. tpm undo puts
    it back."""
    from tpm_tui.domain import InputError
    from tpm_tui.logic.repeat import parse_rule
    from tpm_tui.services.answer import occurrence_on
    from tpm_tui.services.entry import parse_date, parse_duration
    from tpm_tui.services.events import KEEP, change_event, find_appointment, parse_at

    if title is None and at is None and duration is None and repeat is None:
        raise InputError("say what changes: --title, --at, --duration or --repeat")
    store, zone, now = _zone_and_now(obj, tz)
    today = now.astimezone(zone).date()
    meeting = find_appointment(store, uid.strip())
    only = None
    if on_day is not None:
        if not meeting.rrule:
            raise InputError(f"--on: {meeting.summary!r} does not repeat: leave --on out")
        only = occurrence_on(store, meeting.uid, parse_date(on_day, today, field="--on"), zone)
    was = only.start if only is not None else meeting.start
    same_day = was.astimezone(zone).date() if isinstance(was, datetime) else None
    start = (parse_at(at, today, zone, same_day=same_day, weekday_from=same_day if only is not None else None)
             if at is not None else None)
    length = parse_duration(duration) if duration is not None else None
    rule = KEEP if repeat is None else parse_rule(repeat)
    _meeting, outcome, clashes = change_event(store, meeting.uid, now, title=title, start=start, length=length,
                                              repeat=rule, only=only, tz=zone)
    said = _one_line(outcome.message)
    if clashes:
        said += f"; overlaps {_one_line(', '.join(clashes))}"
    click.echo(said + ("  (tpm undo reverts it)" if outcome.entry_id is not None else ""))


@event_group.command("rm")
@_common
@click.argument("uid", metavar="UID")
@click.option("--on", "on_day", metavar="DATE", help="Of a repeating one: that day's alone (the others stay).")
@pass_ctx
def event_rm(obj: Context, uid: str, on_day: str | None) -> None:
    """Remove an appointment added with tpm event add (an invitation is declined instead: tpm answer)."""
    from tpm_tui.domain import InputError
    from tpm_tui.services.answer import occurrence_on
    from tpm_tui.services.entry import parse_date
    from tpm_tui.services.events import find_appointment, remove_event

    store, zone, now = _zone_and_now(obj, None)
    only = None
    if on_day is not None:
        meeting = find_appointment(store, uid.strip())
        if not meeting.rrule:
            raise InputError(f"--on: {meeting.summary!r} does not repeat: leave --on out")
        only = occurrence_on(store, meeting.uid, parse_date(on_day, now.astimezone(zone).date(), field="--on"), zone)
    _said(remove_event(store, uid.strip(), now, only=only, tz=zone))


@main.group("meeting")
def meeting_group() -> None:
    """Your notes on meetings: talking points before, decisions after (one occurrence each)."""


def _occurrence(store: Any, zone: Any, now: Any, uid: str, on_day: str | None) -> Any:
    """The meeting ``uid`` names (a prefix will do), as the occurrence ``--on`` says (a series:
    that day's; without --on, today's)."""
    from tpm_tui.domain import InputError, Occurrence
    from tpm_tui.services.answer import find_meeting, occurrence_on
    from tpm_tui.services.entry import parse_date

    meeting = find_meeting(store, uid)
    today = now.astimezone(zone).date()
    if not meeting.is_recurring:
        if on_day is not None:
            raise InputError(f"--on: {meeting.summary or meeting.uid!r} is not a series: leave --on out")
        return Occurrence(meeting, meeting.start, meeting.end, None)
    day = parse_date(on_day, today, field="--on") if on_day is not None else today
    try:
        return occurrence_on(store, meeting.uid, day, zone)
    except InputError:
        if on_day is None:
            raise InputError(f"{meeting.summary or meeting.uid!r} is a series with no occurrence today: "
                             "--on DATE says which one") from None
        raise


@meeting_group.command("note")
@_common
@click.argument("uid", metavar="UID")
@click.argument("text", metavar="TEXT", required=False)
@click.option("--on", "on_day", metavar="DATE", help="Of a series: the occurrence that day (default: today's).")
@click.option("--fix", "fix", metavar="N", help="Give note N (1 the oldest, or last) this TEXT instead.")
@click.option("--rm", "rm", metavar="N", help="Remove note N (1 the oldest, or last).")
@pass_ctx
def meeting_note(obj: Context, uid: str, text: str | None, on_day: str | None, fix: str | None,
                 rm: str | None) -> None:
    """Add a note to a meeting (UID or its first characters; tpm agenda --format json lists
    them). The dashboard shows it in the meeting's Detail, and the series' next occurrence
    shows it as "Last time". --fix N TEXT corrects note N, --rm N removes it (tpm meeting
    notes numbers them; tpm undo puts it back)."""
    from tpm_tui.services.meeting_notes import add_note, fix_note, notes_of

    store, zone, now = _zone_and_now(obj, None)
    occurrence = _occurrence(store, zone, now, uid, on_day)
    had = notes_of(store, occurrence)
    which = _note_change(fix, rm, text, len(had.notes) if had is not None else 0)
    if which is None:
        _said(add_note(store, occurrence, text or "", now, zone))
    else:
        _said(fix_note(store, occurrence, which, None if rm is not None else text, now, zone))


@meeting_group.command("notes")
@_common
@click.argument("uid", metavar="[UID]", required=False)
@click.option("--on", "on_day", metavar="DATE", help="Only the occurrences on that day (in --tz).")
@click.option("--search", "words", metavar="WORDS", help="Only the notes with all these words (any case).")
@click.option("--tz", metavar="ZONE", help="Zone for times (default: configured, else the machine's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@pass_ctx
def meeting_notes_cmd(obj: Context, uid: str | None, on_day: str | None, words: str | None, tz: str | None,
                      fmt: str) -> None:
    """Every note on a meeting (UID; also of one since cancelled or removed: give its whole
    UID), or on every meeting without UID, occurrence by occurrence, earliest first;
    --search keeps the notes that have all its words ("what did we decide on the freeze?");
    --format markdown: as minutes to paste into an e-mail (who was invited, the notes)."""
    import orjson

    from tpm_tui.domain import NotFoundError
    from tpm_tui.services.answer import find_meeting
    from tpm_tui.services.meeting_notes import notes_of_meeting, search_notes
    from tpm_tui.storage.codec import meeting_notes_to_doc

    store, zone, _now = _zone_and_now(obj, tz)
    if uid is None:
        found = [n for n in store.meeting_notes() if n.notes]
    else:
        found = notes_of_meeting(store, uid.strip())
        if not found:
            try:
                found = notes_of_meeting(store, find_meeting(store, uid).uid)
            except NotFoundError:
                raise NotFoundError(f"no meeting with UID {uid.strip()!r} and no notes under it") from None
    if on_day is not None:
        from tpm_tui.services.entry import parse_date

        day = parse_date(on_day, _now.astimezone(zone).date(), field="--on")
        found = [n for n in found if (n.start.astimezone(zone).date() if isinstance(n.start, datetime)
                                      and n.start.tzinfo else n.start if not isinstance(n.start, datetime)
                                      else n.start.date()) == day]
    whole = {n.key: n.notes for n in found}  # the numbers --fix / --rm take: in the whole list, not the found part
    if words:
        found = search_notes(found, words)
    if fmt == "json":
        docs = [{k: v for k, v in meeting_notes_to_doc(n).items() if k != "key"} for n in found]
        click.echo(orjson.dumps(docs, option=orjson.OPT_INDENT_2).decode())
        return
    if fmt == "markdown" and found:
        from tpm_tui.logic.render import notes_markdown

        invited = {}
        for n in found:
            meeting = store.meeting(n.uid, n.occurrence or None) or store.meeting(n.uid)
            if meeting is not None:
                invited[n.key] = [a.name or a.email for a in meeting.attendees]
        click.echo(notes_markdown(found, invited, zone), nl=False)
        return
    if not found:
        click.echo(f"No note has {words!r}" if words else
                   f"No notes on {on_day!r}" if on_day is not None else
                   "No notes on it yet: tpm meeting note UID TEXT adds one" if uid else
                   "No meeting notes yet: n on a meeting in Today, or tpm meeting note UID TEXT")
        return
    for n in found:
        start = n.start.astimezone(zone) if isinstance(n.start, datetime) and n.start.tzinfo else n.start
        when = f"{start:%a %d %b %Y %H:%M}" if isinstance(start, datetime) else f"{start:%a %d %b %Y}"
        click.echo(f"{when}  {_one_line(n.summary)}" + ("" if uid else f"  ({_one_line(n.uid)})"))
        for note in n.notes:
            k = whole[n.key].index(note) + 1
            click.echo(f"  {k}. {note.at.astimezone(zone):%d %b %H:%M}  {_one_line(note.text)}")


@main.command("invites")
@_common
@click.option("--days", type=click.IntRange(1, 62), default=14, show_default=True, help="How many days ahead.")
@click.option("--tz", metavar="ZONE", help="IANA zone the times are shown in (default: yours).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_ctx
def invites_cmd(obj: Context, days: int, tz: str | None, fmt: str) -> None:
    """Invitations waiting for your answer in the days ahead (a series once), with the UID
    tpm answer takes."""
    from tpm_tui.logic.render import safe_text
    from tpm_tui.logic.rrule_text import describe
    from tpm_tui.services.answer import to_answer
    from tpm_tui.services.entry import now_in, resolve_tz

    store = obj.store()
    zone_name = resolve_tz(store, tz or obj.tz)
    waiting = to_answer(store, now_in(zone_name), days, zone_name)
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps([{
            "uid": v.occurrence.uid, "summary": v.summary, "start": v.start.isoformat(), "end": v.end.isoformat(),
            "organizer": v.occurrence.meeting.organizer, "recurring": v.occurrence.meeting.is_recurring,
        } for v in waiting], option=orjson.OPT_INDENT_2).decode())
        return
    if not waiting:
        click.echo(f"No invitation waits for your answer in the next {days} days.")
        return
    click.echo(f"Waiting for your answer (next {days} days, {zone_name}):")
    for v in waiting:
        m = v.occurrence.meeting
        when = f"{v.start:%a %d %b %H:%M}–{v.end:%H:%M}" if isinstance(v.start, datetime) else f"{v.start:%a %d %b} all day"
        repeats = f" ({describe(m.rrule, m.start) or 'repeats'})" if m.rrule else ""
        organizer = m.organizer.lower().removeprefix("mailto:")
        click.echo(f"  {when}  {safe_text(v.summary) or '(no title)'}{safe_text(repeats)}"
                   + (f"  from {safe_text(organizer)}" if organizer else "") + f"  {safe_text(m.uid)}")
    click.echo("tpm answer UID accept|tentative|decline [--on DATE] [--reply FILE.ics] answers one")


@main.command("plan")
@_common
@click.option("--days", type=click.IntRange(1, 60), default=5, show_default=True, help="How many days ahead.")
@click.option("--for", "handle", metavar="HANDLE", shell_complete=_complete_people, help="Whose plan (default: me).")
@click.option("--tz", metavar="ZONE", help="Show times in this zone (default: yours; with --for, theirs).")
@click.option("--export", "export_path", metavar="FILE.ics", help="Write the focus blocks as an .ics file.")
@pass_ctx
def plan_cmd(obj: Context, days: int, handle: str | None, tz: str | None, export_path: str | None) -> None:
    """Propose focus blocks for time-sensitive and at-risk work."""
    from tpm_tui.services.entry import now_in, resolve_tz
    from tpm_tui.services.invite import file_target
    from tpm_tui.services.plan import export_plan_ics, make_plan

    target = file_target(export_path) if export_path else None  # refused before any output
    store = obj.store()
    zone_name = resolve_tz(store, tz or obj.tz)
    now = now_in(zone_name)
    plan = make_plan(store, days=days, handle=handle, now=now, tz=zone_name)
    shown = zone_name
    if handle and not (tz or obj.tz) and (person := store.person(plan.person or "")) is not None:
        shown = person.timezone  # their plan, in their hours: 07:00 in Kolkata, not 02:30 in Berlin
    click.echo(_plan_text(plan, store, shown, theirs=shown != zone_name))
    if target is not None:
        from tpm_tui.storage.atomic import write_bytes_atomic

        write_bytes_atomic(target, export_plan_ics(plan, store, now=now))
        click.echo(f"{target}: {len(plan.blocks)} focus blocks written")


def _plan_text(plan: Any, store: Any, tz: str, *, theirs: bool = False) -> str:
    from tpm_tui.logic.render import plan_lines, safe_text
    from tpm_tui.logic.timeutil import zone

    titles = {b.task_id: " ".join(task.title.split())
              for b in plan.blocks if (task := store.task(b.task_id)) is not None}
    whose = ", theirs; --tz for yours" if theirs else ""
    lines = [f"Focus plan for {safe_text(plan.person or 'me')} (times in {safe_text(tz)}{whose})"]
    lines.extend(plan_lines(plan, zone(tz), titles) or ["  no focus blocks proposed"])
    return "\n".join(lines)


# ---------------------------------------------------------------- person / task / set


@main.group("person")
def person_group() -> None:
    """Add, list, show, edit and remove people; record their days off."""


@person_group.command("add")
@_common
@click.argument("handle")
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.option("--tz", "tz", required=True, metavar="ZONE", help="IANA zone, e.g. Asia/Kolkata.")
@click.option("--hours", default="09:00-17:30", show_default=True, help="Local working hours.")
@click.option("--days", default="mon-fri", show_default=True, help="Working days: mon-fri, sun-thu, mon,wed,fri.")
@click.option("--capacity", type=float, metavar="H", help="Weekly capacity in hours (default: from hours).")
@click.option("--role", default="")
@pass_ctx
def person_add(obj: Context, handle: str, name: str, email: str, tz: str, hours: str, days: str,
               capacity: float | None, role: str) -> None:
    """Add a person (undoable: tpm undo removes them again). Prints the handle."""
    from tpm_tui.services.triage import create_person

    store, _zone, now = _zone_and_now(obj, None)
    create_person(store, now, handle=handle, name=name, email=email, tz=tz, hours=hours, days=days,
                  capacity=capacity, role=role)
    click.echo(handle)


@person_group.command("edit")
@_common
@click.argument("handle", shell_complete=_complete_people)
@click.option("--name")
@click.option("--email")
@click.option("--tz", "tz", metavar="ZONE", help="IANA zone, e.g. Asia/Kolkata.")
@click.option("--hours", help="Local working hours, e.g. 09:30-18:00.")
@click.option("--days", help="Working days: mon-fri, sun-thu, mon,wed,fri.")
@click.option("--capacity", type=float, metavar="H", help="Weekly capacity in hours.")
@click.option("--role")
@pass_ctx
def person_edit(obj: Context, handle: str, name: str | None, email: str | None, tz: str | None, hours: str | None,
                days: str | None, capacity: float | None, role: str | None) -> None:
    """Change what is given of a person (zone, hours, days, capacity, name, e-mail, role)."""
    from tpm_tui.services.triage import edit_person

    store, _zone, now = _zone_and_now(obj, None)
    outcome = edit_person(store, handle, now, name=name, email=email, tz=tz, hours=hours, days=days,
                          capacity=capacity, role=role)
    click.echo(f"{_one_line(outcome.message)}  (tpm undo reverts it)")


@person_group.command("rm")
@_common
@click.argument("handle", shell_complete=_complete_people)
@click.option("--reassign", "give_to", metavar="HANDLE", shell_complete=_complete_people,
              help="Give their open tasks to this person.")
@click.option("--unassign", is_flag=True, help="Leave their open tasks to nobody.")
@pass_ctx
def person_rm(obj: Context, handle: str, give_to: str | None, unassign: bool) -> None:
    """Remove a person (someone who left): out of Workload, the pickers and every rule. Their
    open tasks go to --reassign HANDLE or, with --unassign, to nobody; done tasks keep the
    name. Undoable (tpm undo brings back the person and their tasks)."""
    from tpm_tui.domain import InputError
    from tpm_tui.services.triage import remove_person

    if give_to is not None and unassign:
        raise InputError("--reassign and --unassign: give one of them")
    store, _zone, now = _zone_and_now(obj, None)
    _said(remove_person(store, handle, now, give_to=give_to, unassign=unassign))


@person_group.command("off")
@_common
@click.argument("handle", metavar="HANDLE[,HANDLE...]|all", shell_complete=_complete_people)
@click.argument("when", metavar="[DATE|FIRST..LAST]", required=False)
@click.option("--holidays", "holidays_file", metavar="FILE.ics",
              help="Only the holidays of this calendar (all-day events; Google's observances left out) in "
                   "the span; the coming year when none is given.")
@click.option("--remove", is_flag=True, help="Working again on those days.")
@pass_ctx
def person_off(obj: Context, handle: str, when: str | None, holidays_file: str | None, remove: bool) -> None:
    """Record days off (holiday, leave): DATE or FIRST..LAST, e.g. 2026-12-21..2027-01-01 or
    +1w..+2w, or a country's public holidays from a calendar (--holidays india.ics); only
    each person's working days count. Capacity, risk, workload and plan use them. Several
    people (lena,tom) or 'all' at once: one undo takes all back."""
    from tpm_tui.domain import InputError
    from tpm_tui.services.entry import parse_day_span
    from tpm_tui.services.triage import days_off, team_days_off

    store, zone, now = _zone_and_now(obj, None)
    today = now.astimezone(zone).date()
    if when is None and holidays_file is None:
        raise InputError("DATE: give the days off (DATE or FIRST..LAST), or --holidays FILE.ics")
    first, last = parse_day_span(when, today) if when else (today, today + timedelta(days=365))
    handles = [p.handle for p in store.people()] if handle.strip() == "all" else \
        [h.strip() for h in handle.split(",") if h.strip()]
    if not handles:
        raise InputError("HANDLE: no person named (a handle, several as lena,tom, or all)")
    unknown = [h for h in handles if store.person(h) is None]
    if unknown:  # said before a calendar is read
        from tpm_tui.domain import no_person

        raise InputError(no_person(unknown, store.people()))
    only = None
    if holidays_file is not None:
        from tpm_tui.services.holidays import holidays_in

        path = Path(holidays_file).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{holidays_file}: cannot be read ({exc.strerror or exc})") from None
        found = holidays_in(data, source=holidays_file, first=first, last=last)
        only = found.days
        left = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in ((found.observances, "observance"),
                                                                    (found.timed, "timed event")) if n]
        click.echo(f"{holidays_file}: {len(only)} holiday{'s' if len(only) != 1 else ''} from {first:%a %d %b %Y} "
                   f"to {last:%a %d %b %Y}" + (f" ({', '.join(left)} left out)" if left else ""))
        for day, name in list(only.items())[:12]:
            click.echo(f"  {day:%a %d %b %Y}  {_one_line(name)}")
        if len(only) > 12:
            click.echo(f"  … and {len(only) - 12} more")
        if not only:
            return
    if len(handles) == 1:
        outcome = days_off(store, handles[0], first, last, now, off=not remove, only=only)
        click.echo(_one_line(outcome.message) + ("  (tpm undo reverts it)" if outcome.entry_id is not None else ""))
        return
    outcomes = team_days_off(store, handles, first, last, now, off=not remove, only=only)
    for outcome in outcomes:
        click.echo(_one_line(outcome.message))
    if any(o.entry_id is not None for o in outcomes):
        click.echo("(tpm undo reverts all of it)")


@person_group.command("list")
@_common
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_ctx
def person_list(obj: Context, fmt: str) -> None:
    """List people."""
    from tpm_tui.storage import codec

    people = obj.store().people()
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps([codec.person_to_doc(p) for p in people], option=orjson.OPT_INDENT_2).decode())
        return
    from tpm_tui.logic.freetime import off_runs

    _store, zone, now = _zone_and_now(obj, None)
    today = now.astimezone(zone).date()
    for p in people:
        runs = off_runs(p, today)[:3]
        off = ("  off " + ", ".join(f"{a:%a %d %b}" if a == b else f"{a:%a %d %b}–{b:%a %d %b}" for a, b in runs)
               + (" …" if len(off_runs(p, today)) > 3 else "")) if runs else ""
        click.echo(f"{p.handle:<12} {_one_line(p.name):<24} {p.timezone:<22} {p.work_start}-{p.work_end} "
                   f"{','.join(p.work_days)}{off}")


@person_group.command("unknown")
@_common
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_ctx
def person_unknown(obj: Context, fmt: str) -> None:
    """Who your imported invites name but tpm does not know (odd hours, free time and
    conflicts are judged only for people), with the tpm person add line for each."""
    from tpm_tui.services.calendars import strangers

    found = strangers(obj.store())
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps([{"email": s.email, "name": s.name, "meetings": s.meetings, "zone": s.zone,
                                  "handle": s.handle, "add": s.add_command()} for s in found],
                                option=orjson.OPT_INDENT_2).decode())
        return
    if not found:
        click.echo("Everyone your imported meetings name is a person here.")
        return
    n = len(found)
    click.echo(f"{n} {'person' if n == 1 else 'people'} in your imported meetings tpm does not know "
               "(their odd hours and free time are not judged until added):")
    for s in found:
        who = f"{_one_line(s.name)} <{s.email}>" if s.name else s.email
        where = f"; organises in {s.zone}" if s.zone else ""
        click.echo(f"  {who}: {s.meetings} meeting{'' if s.meetings == 1 else 's'}{where}")
        click.echo(f"    {_one_line(s.add_command())}")


@person_group.command("show")
@_common
@click.argument("handle", shell_complete=_complete_people)
@click.option("--week", "week_text", metavar="DATE", help="A day of the week to show (default: this week).")
@click.option("--tz", metavar="ZONE", help="Zone the week's days are read in (default: configured, else the machine's).")
@pass_ctx
def person_show(obj: Context, handle: str, week_text: str | None, tz: str | None) -> None:
    """One person's week: load, days off, meetings at their odd hours, tasks at risk."""
    from tpm_tui.domain import NotFoundError, no_person
    from tpm_tui.logic.render import person_lines
    from tpm_tui.services.brief import person_week
    from tpm_tui.services.entry import parse_date

    pause_gc()  # a one-shot read: the process ends right after
    store, zone, now = _zone_and_now(obj, tz)
    if store.person(handle) is None:
        raise NotFoundError(no_person(handle, store.people()))
    today = now.astimezone(zone).date()
    day = today if week_text is None else parse_date(week_text, today, field="--week")
    week = day - timedelta(days=day.weekday())
    load, risks, odd = person_week(store, handle, day, zone.key, now)
    click.echo("\n".join(person_lines(load, risks, odd, now, week)))


@main.group("task")
def task_group() -> None:
    """Add, list, show and change tasks (each change is undoable, here or in the dashboard)."""


REPEAT_HELP = ("Done makes the next one, a step later: daily, weekdays, weekly, every 2 weeks, monthly, "
               "'monthly on the 31st', quarterly, yearly (or 3d, 2w, 1m); a step onto a day the assignee does not "
               "work is due the working day before; none")


@task_group.command("add")
@_common
@click.argument("title")
@click.option("--project", required=True, metavar="KEY", shell_complete=_complete_projects)
@click.option("--assignee", metavar="HANDLE", shell_complete=_complete_people)
@click.option("--due", metavar="DATE|DATETIME")
@click.option("--estimate", metavar="HOURS", help="Work it takes: 6, 6.5h, 1h30m, 90m, 2d (8h a day), 1w.")
@click.option("--remaining", metavar="HOURS", help="Work left (default: the estimate); as --estimate.")
@click.option("--priority", default="normal", show_default=True, metavar="low|normal|high|critical")
@click.option("--depends", metavar="ID,...")
@click.option("--time-sensitive", is_flag=True)
@click.option("--tags", metavar="TAG,...", help="Words to find it by: frontend,q1 (or +frontend +q1).")
@click.option("--repeat", metavar="RULE", help=REPEAT_HELP)
@click.option("--tz", metavar="ZONE", help="Zone for a --due date-time without offset.")
@pass_ctx
def task_add(obj: Context, title: str, project: str, assignee: str | None, due: str | None,
             estimate: str | None, remaining: str | None, priority: str, depends: str | None,
             time_sensitive: bool, tags: str | None, repeat: str | None, tz: str | None) -> None:
    """Add a task; prints its id."""
    from tpm_tui.logic.timeutil import zone
    from tpm_tui.services.entry import add_task, now_in, resolve_tz

    store = obj.store()
    zone_name = resolve_tz(store, tz or obj.tz)
    known = {p.key for p in store.projects()}
    task = add_task(store, title=title, project=project, now=now_in(zone_name), tz=zone(zone_name),
                    assignee=assignee, due=due, estimate=estimate, remaining=remaining, priority=priority,
                    depends=depends, time_sensitive=time_sensitive, journal=True, tags=tags, repeat=repeat)
    click.echo(task.id)
    if task.project not in known:
        # said, not asked: a typo in --project would otherwise start a project silently
        others = f"existing: {', '.join(sorted(known))}" if known else "the first one"
        click.echo(f"tpm: note: new project {task.project} ({others})", err=True)


@task_group.command("list")
@_common
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.option("--project", "projects", metavar="KEY", multiple=True, shell_complete=_complete_projects,
              help="Only this project (repeatable).")
@click.option("--assignee", "assignees", metavar="HANDLE", multiple=True, shell_complete=_complete_people,
              help="Only this person's tasks (repeatable; '' for unassigned).")
@click.option("--status", "statuses", type=click.Choice(("todo", "doing", "blocked", "done")), multiple=True,
              help="Only this status (repeatable).")
@click.option("--open", "open_only", is_flag=True, help="Only tasks not done.")
@click.option("--snoozed", "snoozed_only", is_flag=True, help="Only tasks snoozed past today (hidden from the risk list).")
@click.option("--tag", "tags", metavar="TAG", multiple=True, help="Only tasks with this tag (repeatable: all of them).")
@click.option("--due-by", "due_by_text", metavar="DATE",
              help="Only tasks due on or before DATE (fri, +1w, 2026-12-31), in your zone; overdue ones too.")
@click.option("--sort", "sort_by", type=click.Choice(("id", "due", "priority")), default="id", show_default=True,
              help="due: soonest first (none last); priority: critical first, then by due.")
@click.argument("words", nargs=-1, metavar="[WORDS]...")
@pass_ctx
def task_list(obj: Context, fmt: str, projects: tuple[str, ...], assignees: tuple[str, ...],
              statuses: tuple[str, ...], open_only: bool, snoozed_only: bool, tags: tuple[str, ...],
              due_by_text: str | None, sort_by: str, words: tuple[str, ...]) -> None:
    """List tasks (every one, or those matching every filter given); a snoozed one says until
    when. WORDS: each must be found in the id, project, assignee, title, notes, tags (+tag:
    the tag only) or import key (PAY-101), as the dashboard's / filter finds them."""
    from tpm_tui.domain import PRIORITY_RANK, InputError
    from tpm_tui.logic.search import task_matches, words_of
    from tpm_tui.services.entry import parse_date, parse_tags
    from tpm_tui.services.triage import task_order
    from tpm_tui.storage import codec

    store = obj.store()
    keys = {p.strip().upper() for p in projects}
    unknown = sorted(keys - {p.key for p in store.projects()} - {t.project for t in store.tasks()})
    if unknown:
        raise InputError(f"--project: no project {', '.join(unknown)}")
    who = {a.strip() or None for a in assignees}
    strangers = sorted(h for h in who if h is not None and store.person(h) is None)
    if strangers:
        from tpm_tui.domain import no_person

        raise InputError(f"--assignee: {no_person(strangers, store.people())}")
    _store, zone, now = _zone_and_now(obj, None)
    today = now.astimezone(zone).date()

    def snoozed(t: Any) -> bool:
        return t.is_open and t.snoozed_until is not None and t.snoozed_until > today

    wanted = {tag.casefold() for tag in parse_tags(",".join(tags), "--tag")}
    due_by = parse_date(due_by_text, today, field="--due-by") if due_by_text else None

    def due_in_time(t: Any) -> bool:  # due on or before ``due_by`` (a due time: its day in your zone)
        due = t.due
        if due is None:
            return False
        day = (due.astimezone(zone) if due.tzinfo else due).date() if isinstance(due, datetime) else due
        return day <= due_by  # type: ignore[operator]

    def by_due(t: Any) -> tuple[Any, ...]:  # a date is due at the end of its day, in your zone
        due = t.due
        if due is None:
            return (1, datetime.max.replace(tzinfo=UTC), task_order(t))
        at = (due if due.tzinfo else due.replace(tzinfo=zone)) if isinstance(due, datetime) else \
            datetime.combine(due, time(23, 59), tzinfo=zone)
        return (0, at, task_order(t))

    order = {"id": task_order, "due": by_due,
             "priority": lambda t: (-PRIORITY_RANK.get(t.priority, 1), *by_due(t))}[sort_by]
    tokens = words_of(" ".join(words))
    names = {p.handle: p.name for p in store.people()} if tokens else {}
    tasks = sorted(
        (t for t in store.tasks()
         if (not keys or t.project in keys) and (not who or t.assignee in who)
         and (not statuses or t.status.value in statuses) and (not open_only or t.is_open)
         and (not snoozed_only or snoozed(t)) and wanted <= {tag.casefold() for tag in t.tags}
         and (due_by is None or due_in_time(t)) and task_matches(t, tokens, names)),
        key=order,
    )
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps([codec.task_to_doc(t) for t in tasks], option=orjson.OPT_INDENT_2).decode())
        return
    width = max((len(t.id) for t in tasks), default=0)
    for t in tasks:
        due = _due_cell(t.due, zone)
        until = f"  (snoozed to {t.snoozed_until:%a %d %b})" if snoozed(t) else ""
        marks = "".join(f" +{tag}" for tag in t.tags) + (f" ↻ {t.repeat}" if t.repeat else "")
        click.echo(f"{t.id:<{max(9, width)}} {t.status.value:<8} {t.priority:<9} {due:<16} {t.assignee or '-':<10} "
                   f"{_one_line(t.title + marks)}{until}")


def _due_cell(due: Any, zone: Any) -> str:
    """A due date as ``2026-12-04``, a due time as ``2026-12-04 17:00`` in your zone (``-``: none)."""
    if due is None:
        return "-"
    if isinstance(due, datetime):
        return (due.astimezone(zone) if due.tzinfo else due).strftime("%Y-%m-%d %H:%M")
    return due.isoformat()


def _zone_and_now(obj: Context, tz: str | None) -> tuple[Any, Any, Any]:
    """(store, zone, now) for a command that reads dates in the user's zone."""
    from tpm_tui.logic.timeutil import zone
    from tpm_tui.services.entry import now_in, resolve_tz

    store = obj.store()
    zone_name = resolve_tz(store, tz or obj.tz)
    return store, zone(zone_name), now_in(zone_name)


def _task_id(store: Any, text: str) -> str:
    """The id as typed if it exists, else upper-cased (ids are ``API-7``); unknown: one line."""
    if store.task(text) is not None:
        return text
    return str(store.require_task(text.strip().upper()).id)


def _said(outcome: Any) -> None:
    click.echo(f"{_one_line(outcome.message)}  (tpm undo reverts it)")


@task_group.command("show")
@_common
@click.argument("task_id", metavar="ID", shell_complete=_complete_tasks)
@click.option("--tz", metavar="ZONE", help="Zone for times (default: configured, else the machine's).")
@pass_ctx
def task_show(obj: Context, task_id: str, tz: str | None) -> None:
    """One task: its fields, notes, and why it is at risk (the dashboard's reasons)."""
    from tpm_tui.logic.render import room_lines, task_lines
    from tpm_tui.services.brief import daily_brief, room_finder

    store, zone, now = _zone_and_now(obj, tz)
    task = store.require_task(_task_id(store, task_id))
    brief = daily_brief(store, now.astimezone(zone).date(), zone.key, now)
    item = next((i for i in brief.at_risk if i.task.id == task.id), None)
    room = room_lines(task, room_finder(store)(task)) if item is not None else []
    click.echo("\n".join(task_lines(task, item, zone) + room))


@task_group.command("done")
@_common
@click.argument("task_ids", metavar="ID...", nargs=-1, required=True, shell_complete=_complete_open_tasks)
@pass_ctx
def task_done(obj: Context, task_ids: tuple[str, ...]) -> None:
    """Mark tasks done (all ids are checked first: one unknown id changes nothing)."""
    from tpm_tui.services import triage

    store, _zone, now = _zone_and_now(obj, None)
    ids = [_task_id(store, t) for t in task_ids]
    for i in ids:
        _said(triage.mark_done(store, i, now))


@task_group.command("rm")
@_common
@click.argument("task_ids", metavar="ID...", nargs=-1, required=True, shell_complete=_complete_tasks)
@pass_ctx
def task_rm(obj: Context, task_ids: tuple[str, ...]) -> None:
    """Delete tasks (a duplicate, a mistake): all ids are checked first; one tpm undo brings
    them back, notes and all. Work that is finished is marked done instead (tpm task done)."""
    from tpm_tui.services import triage

    store, _zone, now = _zone_and_now(obj, None)
    _said(triage.delete_tasks(store, [_task_id(store, t) for t in task_ids], now))


task_group.add_command(click.Command("delete", params=task_rm.params, callback=task_rm.callback, hidden=True,
                                     help=task_rm.help))  # the word Taskwarrior users type


@task_group.command("edit")
@_common
@click.argument("task_id", metavar="ID", shell_complete=_complete_open_tasks)
@click.option("--title")
@click.option("--assignee", metavar="HANDLE", shell_complete=_complete_people, help="A person's handle; '' for nobody.")
@click.option("--due", metavar="DATE|DATETIME", help="2026-12-04, fri, +3d, 2026-12-04T17:00; '' for none.")
@click.option("--estimate", metavar="HOURS", help="Work it takes: 6, 6.5h, 1h30m, 90m, 2d (8h a day), 1w.")
@click.option("--remaining", metavar="HOURS", help="Work left (default: the estimate); as --estimate.")
@click.option("--priority", metavar="low|normal|high|critical")
@click.option("--depends", metavar="ID,...", help="The whole list; '' for none.")
@click.option("--status", type=click.Choice(("todo", "doing", "blocked", "done")))
@click.option("--time-sensitive/--not-time-sensitive", "time_sensitive", default=None)
@click.option("--tags", metavar="TAG,...", help="The whole list; '' for none.")
@click.option("--repeat", metavar="RULE", help=REPEAT_HELP.replace("; none", "; none (or '') stops it"))
@click.option("--tz", metavar="ZONE", help="Zone for a --due date-time without offset.")
@pass_ctx
def task_edit(obj: Context, task_id: str, title: str | None, assignee: str | None, due: str | None,
              estimate: str | None, remaining: str | None, priority: str | None, depends: str | None,
              status: str | None, time_sensitive: bool | None, tags: str | None, repeat: str | None,
              tz: str | None) -> None:
    """Change fields of a task (only those given)."""
    from tpm_tui.domain import InputError, TaskStatus
    from tpm_tui.services import triage
    from tpm_tui.services.entry import parse_due, parse_hours_amount, parse_tags

    store, zone, now = _zone_and_now(obj, tz)
    task = store.require_task(_task_id(store, task_id))
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title.strip()
    if assignee is not None:
        changes["assignee"] = assignee.strip() or None
    if due is not None:
        changes["due"] = parse_due(due, now.astimezone(zone).date(), zone) if due.strip() else None
    if estimate is not None:
        changes["estimate_hours"] = parse_hours_amount(estimate, "--estimate")
    if remaining is not None:
        changes["remaining_hours"] = parse_hours_amount(remaining, "--remaining")
    if priority is not None:
        changes["priority"] = priority.strip().lower()
    if depends is not None:
        changes["depends_on"] = tuple(d.strip().upper() for d in depends.split(",") if d.strip())
    if status is not None:
        changes["status"] = TaskStatus(status)
    if time_sensitive is not None:
        changes["time_sensitive"] = time_sensitive
    if tags is not None:
        changes["tags"] = parse_tags(tags)
    if repeat is not None:
        from tpm_tui.logic.repeat import rule_text

        changes["repeat"] = rule_text(repeat)
    changes = {k: v for k, v in changes.items() if getattr(task, k) != v}
    if not changes:
        raise InputError(f"{task.id}: nothing to change (every value given is already so)")
    _said(triage.edit(store, task.id, changes, now))


@task_group.command("import")
@_common
@click.argument("file", metavar="FILE|-")
@click.option("--project", "default_project", default="INBOX", show_default=True, metavar="KEY",
              help="The project of tasks that have none.")
@click.option("--assignee", metavar="HANDLE", shell_complete=_complete_people,
              help="Whose tasks they are (default: you, as set with tpm set me; '' for nobody).")
@click.option("--tz", metavar="ZONE", help="Zone whose midnight marks a due date without a time (default: yours).")
@pass_ctx
def task_import(obj: Context, file: str, default_project: str, assignee: str | None, tz: str | None) -> None:
    """Tasks from Taskwarrior (`task export > tasks.json`), GitHub's issues (`gh issue list
    --json number,title,url,state,assignees,labels,milestone,... > issues.json`), the to-dos
    (VTODO) of an .ics from Reminders, Thunderbird or Outlook, or a CSV of tasks (Jira's,
    Linear's or Asana's export, a spreadsheet with a Summary, Title or Name column): projects,
    priorities, due dates, estimates, assignees (Jira), tags, dependencies, notes, waits or
    start dates as snoozes, recurrences as repeats. Done tasks come too; a task imported
    before (same uuid, UID or issue key) is updated when its source changed since, and one
    deleted here stays deleted. One tpm undo takes the whole import back."""
    from tpm_tui.domain import InputError
    from tpm_tui.services.entry import PROJECT_RE
    from tpm_tui.services.taskwarrior import import_export

    key = default_project.strip().upper()
    if not PROJECT_RE.match(key):
        raise InputError(f"--project: {default_project!r} is not a project key (a letter, then up to 11 letters "
                         "or digits)")
    if file == "-":
        data, source = sys.stdin.buffer.read(), "<stdin>"
    else:
        path = Path(file).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{file}: cannot be read ({exc.strerror or exc})") from None
        source = str(file)
    store, zone, now = _zone_and_now(obj, tz)
    # Taskwarrior's tasks are one person's (yours); Jira's say whose they are
    who = store.settings().me if assignee is None else (assignee.strip() or None)
    if who is not None and store.person(who) is None:
        from tpm_tui.domain import no_person

        raise InputError("--assignee: " + no_person(who, store.people()))
    report = import_export(store, data, source=source, now=now, tz=zone, default_project=key,
                           assignee=who, assignee_for_all=assignee is not None)
    for w in report.warnings:
        click.echo(f"warning: {_one_line(w)}", err=True)
    click.echo(_one_line(report.line) + ("  (tpm undo takes it back)" if report.added or report.updated else ""))


@task_group.command("hours", context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@_common
@click.argument("task_id", metavar="ID", shell_complete=_complete_open_tasks)
@click.argument("amount", metavar="AMOUNT")
@pass_ctx
def task_hours(obj: Context, task_id: str, amount: str) -> None:
    """Hours left on a task: 6 (left), 6/20 (left of a new estimate), -2 (worked 2h), +3 (3h
    more), 40% (done) — the dashboard's h."""
    from tpm_tui.services import triage

    store, _zone, now = _zone_and_now(obj, None)
    _said(triage.set_progress(store, _task_id(store, task_id), amount, now))


@task_group.command("note")
@_common
@click.argument("task_id", metavar="ID", shell_complete=_complete_open_tasks)
@click.argument("text", required=False)
@click.option("--fix", "fix", metavar="N", help="Give note N (1 the oldest, or last) this TEXT instead.")
@click.option("--rm", "rm", metavar="N", help="Remove note N (1 the oldest, or last).")
@pass_ctx
def task_note(obj: Context, task_id: str, text: str | None, fix: str | None, rm: str | None) -> None:
    """Add a note to a task; --fix N TEXT corrects note N, --rm N removes it (tpm task show
    numbers them; tpm undo puts it back)."""
    from tpm_tui.services import triage

    store, _zone, now = _zone_and_now(obj, None)
    tid = _task_id(store, task_id)
    which = _note_change(fix, rm, text, len(store.require_task(tid).notes))
    if which is None:
        _said(triage.add_note(store, tid, text or "", now))
    else:
        _said(triage.fix_note(store, tid, which, None if rm is not None else text, now))


def _note_change(fix: str | None, rm: str | None, text: str | None, count: int) -> int | None:
    """Which note ``--fix N`` / ``--rm N`` name (0-based), None to add one; refuses what does not fit."""
    from tpm_tui.domain import InputError

    if fix is not None and rm is not None:
        raise InputError("--fix and --rm: one at a time")
    if fix is None and rm is None:
        if not text or not text.strip():
            raise InputError("TEXT: the note is empty (or --fix N TEXT, --rm N)")
        return None
    if rm is not None and text:
        raise InputError("--rm N takes no TEXT (--fix N TEXT changes one)")
    if fix is not None and not (text and text.strip()):
        raise InputError("--fix N: give the note's new TEXT (--rm N removes it)")
    value = (fix if fix is not None else rm or "").strip().lower()
    option = "--fix" if fix is not None else "--rm"
    if value == "last":
        if not count:
            raise InputError(f"{option}: there are no notes yet")
        return count - 1
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"{option}: {value!r} is not a note's number (1 is the oldest; or last)")
    return int(value) - 1


@task_group.command("snooze")
@_common
@click.argument("task_id", metavar="ID", shell_complete=_complete_open_tasks)
@click.argument("until", metavar="DATE")
@pass_ctx
def task_snooze(obj: Context, task_id: str, until: str) -> None:
    """Hide a task from the at-risk list until DATE (2026-12-10, fri, +3d)."""
    from tpm_tui.services import triage
    from tpm_tui.services.entry import parse_date

    store, zone, now = _zone_and_now(obj, None)
    day = parse_date(until, now.astimezone(zone).date(), field="DATE")
    _said(triage.snooze(store, _task_id(store, task_id), day, now))


@main.command("undo")
@_common
@pass_ctx
def undo_cmd(obj: Context) -> None:
    """Undo the last change (here or in the dashboard): a task action, days off, an edit, an
    import, a calendar removed; again for the one before."""
    from tpm_tui.services import triage

    store, _zone, now = _zone_and_now(obj, None)
    outcome = triage.undo(store, now)
    click.echo(_one_line(outcome.message) + ("  (tpm redo re-applies it)" if outcome.entry_id is not None else ""))


task_group.add_command(undo_cmd, "undo")  # where it was first: tpm task undo is the same command


@main.command("redo")
@_common
@pass_ctx
def redo_cmd(obj: Context) -> None:
    """Re-apply the change undone last (until a new change is made)."""
    from tpm_tui.services import triage

    store, _zone, now = _zone_and_now(obj, None)
    click.echo(_one_line(triage.redo(store, now).message))


@main.command("history")
@_common
@click.option("--limit", type=click.IntRange(1, 2000), default=15, show_default=True, help="How many changes.")
@pass_ctx
def history_cmd(obj: Context, limit: int) -> None:
    """The latest changes, newest first: what tpm undo reverts next, and what was undone."""
    store, zone, _now = _zone_and_now(obj, None)
    entries = [e for e in store.journal() if not e.extra.get("dropped")][-limit:]
    if not entries:
        click.echo("no changes yet")
        return
    nxt = next((e.id for e in reversed(entries) if not e.undone), None)
    redo = None  # the oldest of the changes undone since the last new one: what tpm redo re-applies
    for e in reversed(entries):
        if not e.undone:
            break
        redo = e.id
    for e in reversed(entries):
        mark = "← redo " if e.id == redo else "undone " if e.undone else "← undo " if e.id == nxt else "       "
        click.echo(f"{e.id:>5}  {e.at.astimezone(zone):%a %d %b %H:%M}  {mark} {_one_line(e.summary)}")


@main.group("project")
def project_group() -> None:
    """Add, list, edit and remove projects (name, owner, target date, stakeholders)."""


def _project_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed((
        click.option("--owner", metavar="HANDLE", help="The person who owns it ('' for nobody)."),
        click.option("--target", metavar="DATE", help="Target date (2026-12-18, fri, +2w; '' for none)."),
        click.option("--stakeholders", metavar="E-MAIL,...", help="Who gets the update ('' for nobody)."),
    )):
        f = opt(f)
    return f


@project_group.command("add")
@_common
@click.argument("key")
@click.option("--name", required=True)
@_project_options
@pass_ctx
def project_add(obj: Context, key: str, name: str, owner: str | None, target: str | None,
                stakeholders: str | None) -> None:
    """Add a project; tasks join it with --project KEY (undoable). Prints the key."""
    from tpm_tui.services.triage import create_project

    store, zone, now = _zone_and_now(obj, None)
    create_project(store, key, now, name=name, today=now.astimezone(zone).date(), owner=owner, target=target,
                   stakeholders=stakeholders)
    click.echo(key.strip().upper())


@project_group.command("edit")
@_common
@click.argument("key", shell_complete=_complete_projects)
@click.option("--name")
@_project_options
@pass_ctx
def project_edit(obj: Context, key: str, name: str | None, owner: str | None, target: str | None,
                 stakeholders: str | None) -> None:
    """Change what is given of a project."""
    from tpm_tui.services.triage import edit_project

    store, zone, now = _zone_and_now(obj, None)
    outcome = edit_project(store, key, now, today=now.astimezone(zone).date(), name=name, owner=owner,
                           target=target, stakeholders=stakeholders)
    click.echo(f"{_one_line(outcome.message)}  (tpm undo reverts it)")


@project_group.command("show")
@_common
@click.argument("key", shell_complete=_complete_projects)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_ctx
def project_show(obj: Context, key: str, fmt: str) -> None:
    """One project: how it stands and why, whether its open work fits its people's free time
    before its target (everyone's hours, not only who is short), who else has room, its tasks at risk."""
    from tpm_tui.domain import NotFoundError
    from tpm_tui.logic.projects import overview
    from tpm_tui.logic.render import project_lines, project_status, target_facts
    from tpm_tui.services.brief import daily_brief, forecast_finder, room_elsewhere_finder
    from tpm_tui.services.entry import now_in, resolve_tz

    store = obj.store()
    project = store.project(key.strip().upper())
    if project is None:
        known = ", ".join(p.key for p in store.projects()) or "none yet"
        raise NotFoundError(f"no project {key!r} (projects: {known})")
    zone_name = resolve_tz(store, obj.tz)
    now = now_in(zone_name)
    brief = daily_brief(store, now.date(), zone_name, now)
    open_tasks = store.open_tasks()
    items = [i for i in brief.at_risk if i.task.project == project.key]
    fc = forecast_finder(store)(project.key)
    row = next(iter(overview([project], brief.at_risk, open_tasks, now.date(), lambda k: fc)), None)
    after, passed = target_facts(project, open_tasks, now.date())
    status = row.status if row is not None else project_status(items, after_target=len(after), target_passed=passed)
    room = room_elsewhere_finder(store)(fc) if fc is not None else []
    done = sum(1 for t in store.tasks() if t.project == project.key and not t.is_open)
    opened = sum(1 for t in open_tasks if t.project == project.key)
    if fmt == "json":
        import orjson

        from tpm_tui.storage import codec

        doc = {**codec.project_to_doc(project), "status": status, "open": opened, "done": done,
               "at_risk": [{"id": i.task.id, "level": i.level.value, "reasons": list(i.reasons)} for i in items],
               "due_after_target": [t.id for t in after],
               "forecast": None if fc is None else {
                   **_forecast_doc(fc),
                   "people": [{"person": r.handle, "need_hours": round(r.need, 2), "free_hours": round(r.free, 2),
                               "other_hours": round(r.other, 2), "short_hours": round(r.short, 2)} for r in fc.people],
                   "room_elsewhere": [{"person": h, "spare_hours": round(spare, 2)} for h, spare in room]}}
        click.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
        return
    from tpm_tui.logic.timeutil import zone

    click.echo("\n".join(project_lines(project, status, items, opened, done, after, fc, room, store.people(),
                                       zone(zone_name))))


def _forecast_doc(fc: Any) -> dict[str, Any]:
    """A forecast's figures in JSON (``tpm project show|list --format json``)."""
    return {"fits": fc.fits, "need_hours": round(fc.need, 2), "short_hours": round(fc.short, 2),
            "unassigned_hours": round(fc.unassigned, 2), "unestimated_tasks": fc.unestimated,
            "late_in_order": [{"id": w.task, "person": w.handle, "ends": w.ends.isoformat() if w.ends else None,
                               "waits_for": [task for task, _who, _dep in w.chain]} for w in fc.late]}


@project_group.command("rm")
@_common
@click.argument("key", shell_complete=_complete_projects)
@pass_ctx
def project_rm(obj: Context, key: str) -> None:
    """Remove a project with no task (a typo in --project, say); undoable."""
    from tpm_tui.services.triage import remove_project

    store, _zone, now = _zone_and_now(obj, None)
    _said(remove_project(store, key, now))


@project_group.command("list")
@_common
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_ctx
def project_list(obj: Context, fmt: str) -> None:
    """List projects with their open and done task counts and, for a target date ahead, whether
    their open work fits their people's free time before it (fits / 16h short)."""
    from tpm_tui.logic.risk import fmt_hours
    from tpm_tui.services.brief import daily_brief, forecasts
    from tpm_tui.services.entry import now_in, resolve_tz
    from tpm_tui.storage import codec

    store = obj.store()
    projects = store.projects()
    found: dict[str, Any] = {}
    if any(p.target_date is not None for p in projects):
        zone_name = resolve_tz(store, obj.tz)
        now = now_in(zone_name)
        daily_brief(store, now.date(), zone_name, now)  # the risk pass the forecasts read
        found = forecasts(store, projects)
    if fmt == "json":
        import orjson

        def doc(p: Any) -> dict[str, Any]:
            fc = found.get(p.key)
            return {**codec.project_to_doc(p), "forecast": None if fc is None else _forecast_doc(fc)}

        click.echo(orjson.dumps([doc(p) for p in projects], option=orjson.OPT_INDENT_2).decode())
        return
    open_count: dict[str, int] = {}
    done_count: dict[str, int] = {}
    for t in store.tasks():
        counts = open_count if t.is_open else done_count
        counts[t.project] = counts.get(t.project, 0) + 1
    key_width = max([8, *(len(p.key) for p in projects)])  # keys run to 12 characters (PAYMENTSAPI)
    for p in projects:
        target = p.target_date.isoformat() if p.target_date else "-"
        fc = found.get(p.key)
        verdict = ("" if fc is None else "  fits" if fc.fits else f"  {fmt_hours(fc.short)} short" if fc.short >= 0.05
                   else "  late in work order")
        click.echo(f"{p.key:<{key_width}} {_one_line(p.name):<32} {target:<11} {p.owner or '-':<10} "
                   f"{open_count.get(p.key, 0):>4} open {done_count.get(p.key, 0):>4} done{verdict}")


@main.group("calendar")
def calendar_group() -> None:
    """The calendars meetings were imported under (--calendar NAME); remove one."""


@calendar_group.command("list")
@_common
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_ctx
def calendar_list(obj: Context, fmt: str) -> None:
    """Each calendar with its meetings, series, cancellations and dates."""
    from tpm_tui.services.calendars import calendars

    found = calendars(obj.store())
    if fmt == "json":
        import orjson

        click.echo(orjson.dumps([
            {"name": c.name, "meetings": c.meetings, "series": c.series, "cancelled": c.cancelled,
             "first": c.first.isoformat() if c.first else None, "last": c.last.isoformat() if c.last else None}
            for c in found], option=orjson.OPT_INDENT_2).decode())
        return
    if not found:
        click.echo("no meetings yet: tpm import FILE.ics [--calendar NAME]")
        return
    for c in found:
        span = f"{c.first:%d %b %Y}–{c.last:%d %b %Y}" if c.first and c.last else ""
        click.echo(f"{_one_line(c.label):<24} {c.meetings:>6} meetings  {c.series:>4} series  "
                   f"{c.cancelled:>4} cancelled  {span}")


@calendar_group.command("remove")
@_common
@click.argument("name")
@pass_ctx
def calendar_remove(obj: Context, name: str) -> None:
    """Delete every meeting of calendar NAME ('' for those imported without --calendar); undoable."""
    from tpm_tui.services.calendars import remove_calendar

    store, _zone, now = _zone_and_now(obj, None)
    click.echo(f"{_one_line(remove_calendar(store, name, now).message)}  (tpm undo puts them back)")


@main.group("set", invoke_without_command=True)
@_common
@pass_ctx
@click.pass_context
def set_group(ctx: click.Context, obj: Context) -> None:
    """Settings: who you are, your time zone, when a task counts as due soon or stale, and the
    hours focus blocks may take outside working hours. Without a setting: every value.
    Each change is undoable (tpm undo)."""
    if ctx.invoked_subcommand is not None:
        return
    from tpm_tui.domain import Settings

    store = obj.store()
    s, default = store.settings(), Settings()
    me = store.person(s.me) if s.me else None
    rows = [
        ("me", f"{s.me} ({me.name})" if me is not None and me.name else s.me or "not set (tpm set me HANDLE)",
         "whose meetings, conflicts and focus blocks the dashboard shows"),
        ("timezone", s.timezone or "not set: the machine's", "the default for --tz and the dashboard"),
        ("due-soon", f"{s.due_soon_days} days", "a task due within this many days is flagged (watch)"),
        ("stale-after", f"{s.stale_after_days} days", "a task not updated for this many days is flagged (watch)"),
        ("plan-window", f"{s.plan_window_start}-{s.plan_window_end}",
         "your local hours focus blocks may take outside working hours (flagged)"),
        ("remind", f"{s.remind_minutes} min" if s.remind_minutes else "never",
         "the dashboard rings and says so this long before a meeting of yours"),
    ]
    defaults = {"due-soon": s.due_soon_days == default.due_soon_days,
                "stale-after": s.stale_after_days == default.stale_after_days,
                "plan-window": (s.plan_window_start, s.plan_window_end) == (default.plan_window_start,
                                                                            default.plan_window_end),
                "remind": s.remind_minutes == default.remind_minutes}
    for name, value, meaning in rows:
        mark = " (default)" if defaults.get(name) else ""
        click.echo(f"{name:<12} {_one_line(value + mark):<28} {meaning}")


def _set(obj: Context, **fields: Any) -> None:
    """Change settings through the journal and say what changed (or that nothing did)."""
    from tpm_tui.services import triage

    store, _zone, now = _zone_and_now(obj, None)
    outcome = triage.change_settings(store, now, **fields)
    click.echo(_one_line(outcome.message) + ("  (tpm undo reverts it)" if outcome.entry_id is not None else ""))


@set_group.command("me")
@_common
@click.argument("handle", shell_complete=_complete_people)
@pass_ctx
def set_me_cmd(obj: Context, handle: str) -> None:
    """Say which person you are."""
    from tpm_tui.domain import NotFoundError, no_person

    store = obj.store()
    if store.person(handle) is None:
        raise NotFoundError(no_person(handle, store.people()))
    _set(obj, me=handle)


@set_group.command("timezone")
@_common
@click.argument("zone_name", metavar="ZONE", shell_complete=_complete_zones)
@pass_ctx
def set_timezone_cmd(obj: Context, zone_name: str) -> None:
    """Set your time zone (the default for --tz)."""
    from tpm_tui.logic.timeutil import zone

    zone(zone_name)
    _set(obj, timezone=zone_name)


def _count_setting(name: str, field: str, unit: str, low: int, high: int, text: str) -> click.Command:
    """``tpm set NAME UNIT``: a whole number from ``low`` to ``high`` into ``field``."""

    @set_group.command(name, help=text)
    @_common
    @click.argument(unit, type=click.IntRange(low, high))
    @pass_ctx
    def command(obj: Context, **value: int) -> None:
        _set(obj, **{field: value[unit]})

    return command


_count_setting("due-soon", "due_soon_days", "days", 0, 60,
               "Flag a task due within DAYS days (0: only on its day; default 3).")
_count_setting("stale-after", "stale_after_days", "days", 1, 365, "Flag a task not updated for DAYS days (default 7).")
_count_setting("remind", "remind_minutes", "minutes", 0, 240,
               "The dashboard rings and says which meeting starts, MINUTES before (default 5; 0: never).")


@set_group.command("plan-window")
@_common
@click.argument("window", metavar="HH:MM-HH:MM")
@pass_ctx
def set_plan_window_cmd(obj: Context, window: str) -> None:
    """The local hours focus blocks may take outside working hours (default 07:00-21:00;
    never overnight). Also the hours tpm meet proposes."""
    from tpm_tui.domain import InputError

    from tpm_tui.logic.timeutil import parse_hhmm

    start, sep, end = window.replace("–", "-").partition("-")
    try:
        first, last = parse_hhmm(start.strip()), parse_hhmm(end.strip())
    except InputError:
        first = last = None
    if not sep or first is None or last is None:
        raise InputError(f"plan-window: {window!r} is not HH:MM-HH:MM (e.g. 06:30-22:00)")
    if first >= last:
        raise InputError(f"plan-window: {window!r} ends before it starts: the window never runs overnight "
                         "(e.g. 06:30-22:00)")
    _set(obj, plan_window_start=f"{first:%H:%M}", plan_window_end=f"{last:%H:%M}")
