"""One command for every figure, each beside its floor measured in the same run.

    python -m benchmarks                 # full run: 1k / 10k / 100k tasks, medians of several runs
                                         # (first paint headless and in a pseudo-terminal)
    python -m benchmarks --quick         # 1k only, one run (the test suite runs this)
    python -m benchmarks generate --tasks 10000 --people 200 --meetings 5000 --db big.json
    python -m benchmarks generate --events 10000 --ics big.ics

Ratios are what count: the machine is noisy, floors are measured side by side.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
PINNED_NOW = "2026-11-30T08:30:00+01:00"

Row = tuple[str, str, str, str]  # figure, value, floor/ratio, target


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Whole-process wall time (s) and peak RSS (MiB) of one run."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {err.strip()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024.0


def median_run(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    runs = [run_process(cmd, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def interleaved(runners: dict[str, Callable[[], tuple[float, float]]], repeat: int) -> dict[str, list[tuple[float, float]]]:
    """Each runner ``repeat`` times, in turns (a, b, c, a, b, c, …), so that a floor and the
    figures beside it see the same moments of a machine whose speed drifts by the minute
    (measured one after the other, today's ratios moved by up to a quarter). Every run's
    (seconds, peak RSS MiB), by name."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in runners}
    for _ in range(repeat):
        for name, run in runners.items():
            runs[name].append(run())
    return runs


def _median_s(runs: list[tuple[float, float]]) -> float:
    return statistics.median(r[0] for r in runs)


PTY_SIZE = (160, 48)


def run_in_pty(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Whole-process wall time (s) and peak RSS (MiB) of one run on a pseudo-terminal of
    ``PTY_SIZE`` (what a user's terminal gives the app: a real driver, escape sequences
    written and drained), not headless."""
    import fcntl
    import select
    import struct
    import termios

    cols, rows = PTY_SIZE
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", **(env or {})}
    full_env.pop("TPM_HEADLESS", None)
    t0 = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, env=full_env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    finally:
        os.close(slave)
    tail = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                proc.kill()
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            tail = (tail + chunk)[-2000:]
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        os.close(master)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed in a pty: {tail.decode(errors='replace')[-500:]}")
    return elapsed, usage.ru_maxrss / 1024.0


def median_pty_run(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> float | None:
    """Median wall time in a pseudo-terminal; None where the system has none."""
    try:
        return statistics.median(run_in_pty(cmd, env)[0] for _ in range(repeat))
    except OSError:
        return None


def db_for(size: int, folder: Path) -> Path:
    from benchmarks.generate import generate_db

    path = folder / f"tasks-{size}.json"
    if not path.exists():
        generate_db(path, tasks=size, people=max(20, size // 50), meetings=max(200, size // 2))
    return path


CONSOLE_SCRIPT = "import sys; from tpm_tui.launch import main; sys.exit(main())"
"""What the ``tpm`` command runs: pip's console script for ``tpm = "tpm_tui.launch:main"`` is
these two lines. ``python -m tpm_tui`` would add ``runpy`` and its imports (~6 ms), which no
user pays."""


def _tpm(*args: str) -> list[str]:
    return [PY, "-c", CONSOLE_SCRIPT, *args]


def compile_sources() -> None:
    """Byte-compile tpm_tui once, as ``pip install`` does for an installed copy.

    This environment sets ``PYTHONDONTWRITEBYTECODE=1``, so without it every ``tpm``
    process below would recompile its own ~40 modules (~0.1 s of each figure) while
    Textual, click and the rest of site-packages load the ``.pyc`` files pip wrote: the
    figures would measure the checkout, not the app a user runs.
    """
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "tpm_tui")], check=True, stdout=subprocess.DEVNULL)


def figures(sizes: list[int], repeat: int, folder: Path, say: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    compile_sources()
    env = {"TPM_NOW": PINNED_NOW, "TPM_HEADLESS": "1", "TPM_EXIT_AFTER_FIRST_PAINT": "1"}

    small = db_for(sizes[0], folder)
    cli = interleaved({
        "textual": lambda: run_process([PY, "-c", "from textual.app import App"]),
        "help": lambda: run_process(_tpm("--help")),
        "brief": lambda: run_process(_tpm("--db", str(small), "brief", "--format", "json"), env),
    }, repeat)
    textual_import, helped, brief = (_median_s(cli[k]) for k in ("textual", "help", "brief"))
    rows.append(("import textual (floor)", f"{textual_import * 1000:.0f} ms", "", ""))
    rows.append(("tpm --help", f"{helped * 1000:.0f} ms", f"{helped / textual_import:.2f}x textual import", "<= 0.5x"))
    rows.append((f"tpm brief @{sizes[0]:,}", f"{brief * 1000:.0f} ms",
                 f"{brief / textual_import:.2f}x textual import", "<= 0.5x"))
    say(f"cli done ({len(rows)} rows)")

    # First paint: each size's runs in turns with the bare app's, headless and in a pty; the
    # floor rows show every bare run of the whole table, each ratio the bare runs beside it.
    pty_env = {k: v for k, v in env.items() if k != "TPM_HEADLESS"}
    have_pty = median_pty_run([PY, str(HERE / "bare_app.py"), "--pty"], 1) is not None
    bare_cmd = [PY, str(HERE / "bare_app.py")]
    painted: dict[int, dict[str, list[tuple[float, float]]]] = {}
    for size in sizes:
        db = db_for(size, folder)
        runners: dict[str, Callable[[], tuple[float, float]]] = {
            "bare": lambda: run_process(bare_cmd),
            "tpm": lambda db=db: run_process(_tpm("--db", str(db)), env),
        }
        if have_pty:
            runners["bare_pty"] = lambda: run_in_pty(bare_cmd + ["--pty"])
            runners["tpm_pty"] = lambda db=db: run_in_pty(_tpm("--db", str(db)), pty_env)
        painted[size] = interleaved(runners, repeat if size < 100_000 else max(1, repeat // 2))
    all_bare = [r for runs in painted.values() for r in runs["bare"]]
    bare, bare_rss = _median_s(all_bare), max(r[1] for r in all_bare)
    rows.append(("bare Textual app first paint (floor)", f"{bare * 1000:.0f} ms", f"peak RSS {bare_rss:.0f} MiB", ""))
    pty_note = f"a {PTY_SIZE[0]}x{PTY_SIZE[1]} pseudo-terminal"
    bare_pty = _median_s([r for runs in painted.values() for r in runs["bare_pty"]]) if have_pty else None
    rows.append(("bare Textual app first paint in a pty (floor)",
                 "-" if bare_pty is None else f"{bare_pty * 1000:.0f} ms",
                 "no pseudo-terminal here" if bare_pty is None else pty_note, ""))
    targets = {1_000: "<= 1.3x", 10_000: "<= 1.5x"}
    for size in sizes:
        runs = painted[size]
        paint, rss = _median_s(runs["tpm"]), max(r[1] for r in runs["tpm"])
        beside = _median_s(runs["bare"])
        rows.append((f"tpm first paint @{size:,}", f"{paint * 1000:.0f} ms",
                     f"{paint / beside:.2f}x bare app (its runs beside: {beside * 1000:.0f} ms)", targets.get(size, "")))
        if have_pty:
            paint_pty, beside_pty = _median_s(runs["tpm_pty"]), _median_s(runs["bare_pty"])
            rows.append((f"tpm first paint in a pty @{size:,}", f"{paint_pty * 1000:.0f} ms",
                         f"{paint_pty / beside_pty:.2f}x bare app in a pty ({beside_pty * 1000:.0f} ms)",
                         targets.get(size, "")))
        else:
            rows.append((f"tpm first paint in a pty @{size:,}", "-", "no pseudo-terminal here", targets.get(size, "")))
        rows.append((f"peak RSS @{size:,}", f"{rss:.0f} MiB", f"{rss / bare_rss:.2f}x bare app", ""))
        if size >= 100_000:
            read_all = [PY, "-c", "import sys; from tinydb import TinyDB; db = TinyDB(sys.argv[1]); "
                        "[db.table(t).all() for t in db.tables()]", str(db_for(size, folder))]
            floor, _ = median_run(read_all, max(1, repeat // 2))
            rows.append((f"TinyDB read-all @{size:,} (floor)", f"{floor * 1000:.0f} ms", "", ""))
            rows.append((f"tpm first paint @{size:,} vs read-all", f"{paint * 1000:.0f} ms",
                         f"{paint / floor:.2f}x TinyDB read-all", "<= 1.5x"))
        say(f"first paint @{size} done")

    rows.extend(import_rows([1_000] if sizes == [1_000] else [10_000, 50_000], max(1, min(repeat, 3)), say))
    rows.extend(_optional("benchmarks.bench_dashboard", sizes, repeat, say))
    rows.extend(_optional("benchmarks.bench_triage", sizes, repeat, say)) if (HERE / "bench_triage.py").exists() else None
    return rows


def import_rows(event_counts: list[int], repeat: int, say: Callable[[str], None]) -> list[Row]:
    """Import beside icalendar's own parse of the same bytes (benchmarks/bench_import.py)."""
    from benchmarks.bench_import import run as run_import

    rows: list[Row] = []
    for n in event_counts:
        got = {name: (value, note) for name, value, note in run_import(events=n, repeat=repeat)}
        parse = got["icalendar parse (s)"][0]
        rows.append((f"icalendar parse {n:,} events (floor)", f"{parse * 1000:.0f} ms", "", ""))
        rows.append((f"import {n:,} events, first", f"{got['import first (s)'][0] * 1000:.0f} ms",
                     f"{got['import first / parse'][0]:.2f}x parse", "<= 1.2x"))
        rows.append((f"import {n:,} events, unchanged", f"{got['import again (s)'][0] * 1000:.0f} ms",
                     f"{got['import again / parse'][0]:.2f}x parse", "<= 1.2x"))
        day = got["one day from MeetingIndex (s)"]
        rows.append((f"one day among {n:,} events", f"{day[0] * 1000:.0f} ms", day[1].split(";")[-1].strip(),
                     "<= 120 ms"))
        opened, note = got["one day from the opened file (s)"]
        rows.append((f"... from the file just opened @{n:,}", f"{opened * 1000:.0f} ms",
                     f"meetings near the day decoded; {note}", ""))
        khal, note = got["khal import (s)"]
        rows.append((f"khal import --batch {n:,} events (peer)", "-" if khal != khal else f"{khal * 1000:.0f} ms",
                     note, ""))
        say(f"import {n} done")
    return rows


def _optional(module: str, sizes: list[int], repeat: int, say: Callable[[str], None]) -> list[Row]:
    """Figures of a sub-benchmark that exposes ``table(sizes, repeat) -> list[Row]``."""
    import importlib

    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return [(module, "missing", "", "")]
    rows = list(mod.table(sizes=sizes, repeat=repeat))
    say(f"{module} done")
    return rows


def print_table(rows: list[Row]) -> None:
    widths = [max(len(r[i]) for r in rows + [("figure", "value", "ratio", "target")]) for i in range(4)]
    header = ("figure", "value", "ratio", "target")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "generate":
        return generate_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Every figure beside its floor, measured in the same run (medians).",
        epilog="Data for other uses: python -m benchmarks generate --tasks N --people M --meetings K --db PATH, "
               "python -m benchmarks generate --events N --ics PATH. Sub-benchmarks: python -m benchmarks."
               "bench_import | bench_dashboard | bench_triage | reliability | fuzz_import (each has --help).")
    parser.add_argument("--quick", action="store_true", help="1k tasks only, one run")
    parser.add_argument("--sizes", default="1000,10000,100000", help="task counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (the median is shown)")
    parser.add_argument("--dir", help="where to keep generated databases (default: a temp folder)")
    args = parser.parse_args(argv)
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat = 1 if args.quick else args.repeat
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="tpm-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = figures(sizes, repeat, folder, lambda m: print(f"# {m}", file=sys.stderr, flush=True))
    print_table(rows)
    return 0


def generate_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks generate")
    parser.add_argument("--tasks", type=int)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--db")
    parser.add_argument("--events", type=int)
    parser.add_argument("--ics")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    if args.db:
        from benchmarks.generate import generate_db

        generate_db(Path(args.db), tasks=args.tasks or 10_000, people=args.people, meetings=args.meetings,
                    seed=args.seed)
        print(f"{args.db}: {args.tasks or 10_000} tasks, {args.people} people, {args.meetings} meetings")
    if args.ics:
        from benchmarks.gen_ics import generate as generate_ics

        Path(args.ics).write_bytes(generate_ics(args.events or 10_000, seed=args.seed))
        print(f"{args.ics}: {args.events or 10_000} events")
    if not args.db and not args.ics:
        parser.error("give --db PATH and/or --ics PATH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
