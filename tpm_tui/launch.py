"""The ``tpm`` entry point: ``tpm brief`` and the dashboard run without importing click.

``tpm brief`` is what a script or a status bar calls every few minutes, and click's import
alone (~50 ms on a 2-core machine, with ``inspect``, ``uuid`` and ``gettext`` behind it) was
a sixth of the whole command. This module reads a ``brief`` command line itself when it is
one of the plain shapes below and hands everything else — help, version, other commands,
anything unusual or wrong — to the click application in :mod:`tpm_tui.cli`, so errors and
help texts stay click's. ``tests/unit/test_launch.py`` checks that both read the same
command lines the same way and print the same bytes.

The dashboard's plain lines too: ``tpm [--db P] [--tz Z] [--demo] [--debug]``, where click's
import would be ~5 % of the first paint.

Accepted (anything else goes to click): ``[--db P] [--debug] [--tz Z] brief`` followed by
any of ``--date D``, ``--tz Z``, ``--format text|markdown|json``, ``--project KEY``, ``--db P``,
``--debug``,
each also as ``--opt=value``; the last of a repeated option wins, as in click.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")

FORMATS = ("text", "markdown", "json")
COMPLETE_VAR = "_TPM_COMPLETE"
"""Set by the shell's completion script (``eval "$(_TPM_COMPLETE=bash_source tpm)"``)."""

_TOP_VALUED = {"--db": "db", "--tz": "tz"}
_BRIEF_VALUED = {"--db": "db", "--tz": "tz", "--date": "day_text", "--format": "fmt", "--project": "project"}
_FLAGS = {"--debug": "debug"}


def _read_options(argv: list[str], found: dict[str, Any], *, flags: dict[str, str], valued: dict[str, str],
                  command: str | None = None, command_valued: dict[str, str] | None = None) -> bool:
    """Fill ``found`` from a plain command line as click reads it: ``--opt value`` or
    ``--opt=value``, the last one wins; after ``command`` the options ``command_valued``.
    False when the line has anything else (a positional, ``-h``, another command, an unknown
    option, a missing value): click's business."""
    in_command = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if command is not None and arg == command and not in_command:
            in_command, valued = True, command_valued or {}
            continue
        name, eq, value = arg.partition("=")
        if name in flags and not eq:
            found[flags[name]] = True
            continue
        if name not in valued:
            return False
        if not eq:
            if i >= len(argv):
                return False  # a missing value: click words the error
            value = argv[i]
            i += 1
        found[valued[name]] = value  # a top-level --tz comes first: the command's own wins
    return command is None or in_command


def read_brief_args(argv: list[str]) -> dict[str, Any] | None:
    """The options of a plain ``brief`` command line, or ``None`` to let click read it."""
    found: dict[str, Any] = {"db": None, "debug": False, "tz": None, "day_text": None, "fmt": "text", "project": None}
    if not _read_options(argv, found, flags=_FLAGS, valued=_TOP_VALUED, command="brief",
                         command_valued=_BRIEF_VALUED) or found["fmt"] not in FORMATS:
        return None
    return found


def brief_output(store: Any, *, day_text: str | None, tz: str | None, fmt: str, project: str | None = None) -> str:
    """The text ``tpm brief`` prints (without the final newline); ``project``: for that
    project's stakeholders only (:func:`tpm_tui.logic.render.for_project`)."""
    from tpm_tui.logic import render
    from tpm_tui.logic.timeutil import zone
    from tpm_tui.services.brief import daily_brief
    from tpm_tui.services.entry import now_in, parse_date, resolve_tz

    zone_name = resolve_tz(store, tz)
    only = None
    if project is not None:
        only = store.project(project.strip().upper())
        if only is None:
            from tpm_tui.domain import InputError

            known = ", ".join(p.key for p in store.projects()) or "none yet"
            raise InputError(f"--project: no project {project!r} (projects: {known})")
    now = now_in(zone_name)
    day = now.date() if day_text is None else parse_date(day_text, now.date(), field="--date")
    brief = daily_brief(store, day, zone_name, now)
    people = store.people()
    if only is not None:
        brief = render.for_project(brief, only, store.open_tasks(), me=store.settings().me)
    if fmt == "json":
        import orjson

        return orjson.dumps(render.brief_to_json(brief, people), option=orjson.OPT_INDENT_2).decode()
    if fmt == "markdown":
        done = store.done_between(*render.done_window(day, zone(zone_name)))
        if only is not None:
            done = [t for t in done if t.project == only.key]
        from tpm_tui.services.brief import forecasts

        return render.render_markdown(brief, people, store.projects(), store.open_tasks(), only=only,
                                      done=done, forecasts=forecasts(store, [only] if only else None)).rstrip("\n")
    return render.render_text(brief, people).rstrip("\n")


def open_store(db: str | None) -> Any:
    """The store at ``--db``, ``$TPM_DB`` or the default path (whose folder is made)."""
    from tpm_tui.paths import resolve_db_path
    from tpm_tui.storage import Store

    path, source = resolve_db_path(db)
    if source == "default":
        path.parent.mkdir(parents=True, exist_ok=True)
    return Store.open(path)


def pause_gc() -> None:
    """Pause CPython's cyclic GC. Start-up and one-shot commands build long-lived objects
    (the database, its decoded caches) and little cyclic garbage; the collector would walk
    the new objects over and over (measured at 10k tasks: ~0.45 s of the TUI's first
    paint, ~0.25 s of ``tpm brief``)."""
    import gc

    gc.disable()


def fail(message: str, code: int) -> NoReturn:
    """One line on stderr, ``tpm: …``, and a non-zero exit. Messages quote outside text (a
    file name, a value typed): escape sequences in it are shown inert, never run."""
    from tpm_tui.logic.render import safe_text

    line = " ".join(safe_text(message).split())
    sys.stderr.write(f"tpm: {line}\n")
    sys.stderr.flush()
    sys.exit(code or 1)


def run_guarded(body: Callable[[], T], *, debug: bool) -> T:
    """``body()``, with every failure turned into one line ``tpm: …`` and a non-zero exit
    (the traceback instead with ``--debug``); the click application runs through it too."""
    from tpm_tui.domain import TpmError

    try:
        return body()
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(1)
    except TpmError as exc:
        if debug:
            raise
        fail(str(exc), exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", 1)


def read_tui_args(argv: list[str]) -> dict[str, Any] | None:
    """The options of a plain ``tpm [--db P] [--tz Z] [--demo] [--debug]`` (the dashboard), or
    ``None`` to let click read it. An empty value counts as not given, as in click's ``if db``."""
    found: dict[str, Any] = {"db": None, "tz": None, "demo": False, "debug": False}
    if not _read_options(argv, found, flags={**_FLAGS, "--demo": "demo"}, valued=_TOP_VALUED):
        return None
    return {key: value or (False if key in ("demo", "debug") else None) for key, value in found.items()}


def need_terminal() -> None:
    """Refuse the dashboard without a terminal to read keys from and draw on (Textual reads
    stdin and draws on stderr): in a pipe, a cron job or ``tpm 2>log`` it would write escape
    codes into a file and wait for keys forever. ``TPM_HEADLESS=1`` runs it without one."""
    import os

    from tpm_tui.domain import InputError

    if os.environ.get("TPM_HEADLESS") == "1":
        return
    missing = [name for name, stream in (("stdin", sys.stdin), ("stderr", sys.__stderr__))
               if stream is None or not stream.isatty()]
    if missing:
        raise InputError(f"the dashboard needs a terminal, and {' and '.join(missing)} "
                         f"{'is' if len(missing) == 1 else 'are'} not one; for text, use tpm brief "
                         "(or tpm agenda, tpm task list)")


def run_tui(store: Any, tz: str | None) -> None:
    """The dashboard on ``store`` until the user quits (``tz``: ``--tz``, else the configured zone)."""
    import os

    from tpm_tui.services.entry import now_in, resolve_tz

    zone_name = resolve_tz(store, tz)
    now_in(zone_name)  # validates $TPM_NOW before the screen takes over
    need_terminal()  # after what is wrong with the command itself
    from tpm_tui.ui.app import run_app

    clock = (lambda: now_in(zone_name)) if os.environ.get("TPM_NOW") else None
    run_app(store, tz=zone_name, now=clock)


def run_demo(tz: str | None) -> None:
    """The dashboard on a fresh demo database in a new temporary folder, kept afterwards."""
    import tempfile
    from pathlib import Path

    from tpm_tui import demo as demo_data
    from tpm_tui.services.entry import now_in
    from tpm_tui.storage import Store

    now = now_in(tz or demo_data.MY_ZONE)  # validates --tz and $TPM_NOW first
    need_terminal()  # before a demo folder is made for nothing
    folder = Path(tempfile.mkdtemp(prefix="tpm-demo-"))
    path = folder / "tpm.json"
    store = Store.open(path)
    demo_data.seed(store, now.date(), now)
    run_tui(store, tz)
    sys.stdout.write(f"The demo database is kept at {path} (open it again with: tpm --db {path})\n")
    sys.stdout.flush()


def finish(code: int = 0) -> NoReturn:
    """End the process now that its work is done and on disk, skipping the interpreter's
    teardown: freeing every object of the database one by one, module by module, which the
    operating system does at once (measured: 30–60 ms of a ``tpm brief`` at 1k tasks, a
    sixth of it; ~0.25 s after a dashboard session at 10k).

    What a normal exit does that matters is done first: the output is flushed and every
    non-daemon thread (a write, an import) is waited for. Every write of this app is synced
    to disk before it returns (``storage.atomic``, the write-ahead log), and its file locks
    are ``flock`` locks that go with the process; the one exit handler a library registers
    (filelock's) releases *soft* locks, which this app does not use. Only for the real
    command (:func:`main` without ``argv``): tests call it in-process."""
    import os
    import threading

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader went away / the stream is closed
        code = code or 1
    main_thread = threading.main_thread()
    for thread in threading.enumerate():
        if thread is not main_thread and not thread.daemon:
            thread.join()
    os._exit(code)


def _done(quick: bool) -> NoReturn:
    if quick:
        finish(0)
    sys.exit(0)


def _run_dashboard(options: dict[str, Any], quick: bool) -> NoReturn:
    def body() -> None:
        if options["demo"]:
            run_demo(options["tz"])
        else:
            pause_gc()  # until the dashboard's first frame: run_app resumes it
            run_tui(open_store(options["db"]), options["tz"])

    run_guarded(body, debug=options["debug"])
    _done(quick)


def _run_brief(options: dict[str, Any], quick: bool) -> NoReturn:
    def body() -> None:
        pause_gc()  # a one-shot read: the process ends right after
        text = brief_output(open_store(options["db"]), day_text=options["day_text"], tz=options["tz"],
                            fmt=options["fmt"], project=options["project"])
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    run_guarded(body, debug=options["debug"])
    _done(quick)


def main(argv: list[str] | None = None) -> Any:
    """``tpm``: a plain ``brief`` or dashboard line here, everything else through click.

    ``argv`` given (tests): exits with ``SystemExit`` as usual; without it (the command
    itself), a successful brief or dashboard ends with :func:`finish`."""
    quick = argv is None
    args = list(sys.argv[1:] if argv is None else argv)
    if COMPLETE_VAR in os.environ:  # the shell asks for completions: click's business alone
        from tpm_tui.cli import main as click_main

        return click_main(args, prog_name="tpm", complete_var=COMPLETE_VAR)
    options = read_brief_args(args)
    if options is not None:
        _run_brief(options, quick)
    options = read_tui_args(args)
    if options is not None:
        _run_dashboard(options, quick)  # click's import is ~5 % of the dashboard's first paint
    from tpm_tui.cli import main as click_main

    return click_main(args)
