"""Triage keys at scale: keypress → durable on disk → panes repainted, in the real app.

    python -m benchmarks.bench_triage [--tasks 10000] [--presses 50]

Generates a database (``benchmarks.generate``), opens the TUI headless with Pilot on
that file, focuses the At risk pane and presses a mix of ``d``, ``s`` + a choice
(``enter`` = tomorrow) and ``>`` — 50 presses by default. For each action it times,
from the key that commits it (``d``, ``>``, or the ``enter`` in the snooze dialog):

* **durable**: the service call returned on the writer thread and the UI was told
  (the database file or its write-ahead log changed; checked on every press);
* **repainted**: the panes show the changed task (the next screen refresh after the
  acknowledgement);

and, separately, how long the recompute (risk scores, workload, plan) takes to reach the
screen after one action on an idle app — on the frozen clock, and with the clock moved a
minute on before the key (what a real clock does). The floor beside it: an atomic
orjson write (temp file + fsync + rename) of the same data.

Targets: median <= 50 ms and p95 <= 100 ms for keypress → durable and → repainted.
``table(sizes, repeat)`` gives the rows for ``python -m benchmarks``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.generate import NOW, generate_db

TZ = "Europe/Berlin"
Row = tuple[str, str, str, str]



def _disk_stamp(path: Path) -> tuple[object, object]:
    """What changes when a write is durable: the main file or its write-ahead log."""

    def one(p: str) -> object:
        try:
            st = os.stat(p)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    return one(str(path)), one(str(path) + ".wal")

def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def write_floor(path: Path, repeat: int = 7) -> float:
    """Median seconds of ``write_json_atomic`` of the database's data (to a sibling file)."""
    from tpm_tui.storage.atomic import read_json_file, write_json_atomic

    data = read_json_file(path)
    target = path.with_name(path.name + ".floor.json")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        write_json_atomic(target, data)
        times.append(time.perf_counter() - t0)
    target.unlink(missing_ok=True)
    return statistics.median(times)


async def _settle(pilot, app) -> None:  # noqa: ANN001
    for _ in range(4000):
        busy = [w for w in app.workers if w.group in ("load", "write") and not w.is_finished]
        if app.dashboard is not None and app.dashboard.recompute_pending:
            await asyncio.sleep(0.01)
        elif not busy:
            await pilot.pause()
            if not [w for w in app.workers if w.group in ("load", "write") and not w.is_finished]:
                return
        else:
            await app.workers.wait_for_complete(busy)


async def measure(path: Path, presses: int = 50, recomputes: int = 3) -> dict[str, list[float]]:
    """Seconds per press: ``durable``, ``repainted``; and ``recompute`` samples."""
    from tpm_tui.storage import Store
    from tpm_tui.ui.app import TpmApp

    # As the real app starts (cli.main + run_app): the cyclic GC paused from opening the
    # store to the first frame, then what start-up made frozen. Without that, a full
    # collection walks the whole 10k-task heap now and then (150-250 ms frames): the
    # benchmark would time a configuration the app never runs in.
    sys.setswitchinterval(0.001)
    gc.disable()
    clock = [NOW]
    app = TpmApp(Store.open(path), TZ, lambda: clock[0])
    app.resume_gc_after_first_frame = True
    out: dict[str, list[float]] = {"durable": [], "repainted": [], "recompute": [], "recompute_next_minute": []}
    async with app.run_test(size=(160, 48)) as pilot:
        await _settle(pilot, app)
        dash = app.dashboard
        assert dash is not None
        await pilot.press("2")
        await pilot.pause()

        state: dict[str, float] = {}
        real_after_write = dash.after_write

        def after_write(kind, outcome, task) -> None:  # noqa: ANN001
            state["durable"] = time.perf_counter()
            real_after_write(kind, outcome, task)
            app.call_after_refresh(lambda: state.__setitem__("painted", time.perf_counter()))

        dash.after_write = after_write  # type: ignore[method-assign]

        plan = ["d", "s", "greater_than_sign"]
        for i in range(presses):
            if dash.selected_task is None:
                await pilot.press("2")
                await pilot.pause()
            key = plan[i % len(plan)]
            stamp = _disk_stamp(path)
            state.clear()
            if key == "s":
                await pilot.press("s")
                await pilot.pause()
                key = "enter"  # the choice commits: tomorrow
            t0 = time.perf_counter()
            await pilot.press(key)
            for _ in range(2000):
                if "painted" in state:
                    break
                await asyncio.sleep(0.0005)
            else:
                raise RuntimeError(f"press {i} ({key}) was never acknowledged")
            assert _disk_stamp(path) != stamp, "acknowledged before the file changed"
            out["durable"].append(state["durable"] - t0)
            out["repainted"].append(state["painted"] - t0)

        # the recompute (scores, workload, plan) after one action on an idle app; then the
        # same with the clock a minute on (a real clock): re-scored as of the last full pass,
        # not a full pass for the new minute (that follows once the user pauses)
        for figure, step in (("recompute", timedelta(0)), ("recompute_next_minute", timedelta(minutes=1))):
            for _ in range(recomputes):
                await _settle(pilot, app)
                clock[0] = clock[0] + step
                shown = dash.loads_shown
                t0 = time.perf_counter()
                await pilot.press("p")
                while dash.loads_shown == shown:
                    await asyncio.sleep(0.002)
                out[figure].append(time.perf_counter() - t0)
        await _settle(pilot, app)
    return out


def run(tasks: int, presses: int = 50, recomputes: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="tpm-triage-") as tmp:
        path = generate_db(Path(tmp) / "triage.json", tasks=tasks, people=max(20, tasks // 50),
                           meetings=max(200, tasks // 2))
        floor = write_floor(path)
        got = asyncio.run(measure(path, presses, recomputes))
    return {
        "floor": floor,
        "durable_median": statistics.median(got["durable"]),
        "durable_p95": _pct(got["durable"], 0.95),
        "repainted_median": statistics.median(got["repainted"]),
        "repainted_p95": _pct(got["repainted"], 0.95),
        "recompute_median": statistics.median(got["recompute"]),
        "recompute_next_minute_median": statistics.median(got["recompute_next_minute"]),
        "presses": float(len(got["durable"])),
    }


def rows_for(n: int, r: dict[str, float]) -> list[Row]:
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    floor = r["floor"]
    target = "median <= 50 ms, p95 <= 100 ms" if n >= 10_000 else ""
    return [
        (f"atomic orjson write @{n:,} (floor)", ms(floor), "", ""),
        (f"triage key -> durable @{n:,} ({r['presses']:.0f} presses)",
         f"median {ms(r['durable_median'])}, p95 {ms(r['durable_p95'])}",
         f"{r['durable_median'] / floor:.2f}x write", target),
        (f"triage key -> panes repainted @{n:,}",
         f"median {ms(r['repainted_median'])}, p95 {ms(r['repainted_p95'])}",
         f"{r['repainted_median'] / floor:.2f}x write", target),
        (f"triage key -> risk recomputed on screen @{n:,}", ms(r["recompute_median"]),
         f"{r['recompute_median'] / floor:.2f}x write", ""),
        (f"  ... a minute after the last full pass @{n:,}", ms(r["recompute_next_minute_median"]),
         f"{r['recompute_next_minute_median'] / floor:.2f}x write", ""),
    ]


def table(sizes: list[int], repeat: int) -> list[Row]:
    """Rows for ``python -m benchmarks``: 1k in quick mode, else 10k (and 100k when asked for)."""
    del repeat  # 50 presses are the repeats
    if sizes == [1000]:  # quick mode: well under 20 s
        rows_for_1k = run(1000, presses=9, recomputes=1)
        return rows_for(1000, rows_for_1k)
    counts = [10_000] + ([100_000] if any(s > 10_000 for s in sizes) else [])
    rows: list[Row] = []
    for n in counts:
        rows.extend(rows_for(n, run(n, 50 if n <= 10_000 else 20)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_triage")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=50)
    args = parser.parse_args(argv)
    for row in rows_for(args.tasks, run(args.tasks, args.presses)):
        print(" | ".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
