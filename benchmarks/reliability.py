"""Try to lose data: SIGKILL a writer at random moments; run concurrent writers.

Long runs (the figures in RELIABILITY section of the README)::

    python -m benchmarks.reliability crash --kills 200
    python -m benchmarks.reliability concurrent --procs 4 --updates 500

The test suite runs the same functions with small numbers (tests/unit/test_reliability.py).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

WRITER = r"""
import sys
from datetime import datetime, UTC
from tpm_tui.domain import InputError, Task
from tpm_tui.services import triage
from tpm_tui.storage import Store

path, start = sys.argv[1], int(sys.argv[2])
store = Store.open(path)
now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
i = start
while True:
    try:
        if i % 2 == 0:
            triage.create_task(store, Task(id=f"K-{i}", project="K", title=f"acknowledged {i}"), now)
        else:
            triage.add_note(store, "K-0", f"ack {i}", now)
    except InputError:   # written by the killed writer just before it died, never acknowledged
        i += 1
        continue
    print(i, flush=True)   # acknowledged only after the action returned
    i += 1
"""


@dataclass
class CrashReport:
    kills: int
    acknowledged: int
    lost: int
    load_failures: int

    def line(self) -> str:
        return (f"crash: {self.kills} SIGKILLs, {self.acknowledged} acknowledged actions, "
                f"{self.lost} lost, {self.load_failures} unreadable files")


def _check(path: Path, acked: list[int]) -> tuple[int, bool]:
    from tpm_tui.domain import TpmError
    from tpm_tui.storage import Store

    try:
        store = Store.open(path)
    except TpmError:
        return len(acked), False
    tasks = {t.id for t in store.tasks()}
    notes = {n.text for n in store.task("K-0").notes} if store.task("K-0") else set()
    lost = 0
    for i in acked:
        if i % 2 == 0 and f"K-{i}" not in tasks:
            lost += 1
        if i % 2 == 1 and f"ack {i}" not in notes:
            lost += 1
    return lost, True


def crash_run(kills: int, folder: Path | None = None, seed: int = 1, max_delay: float = 0.25) -> CrashReport:
    """Start a writer, SIGKILL it after a random delay, check, restart; ``kills`` times."""
    rng = random.Random(seed)
    folder = folder or Path(tempfile.mkdtemp(prefix="tpm-crash-"))
    path = folder / "db.json"
    acked: list[int] = []
    next_i = 0
    lost_total = 0
    unreadable = 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for _ in range(kills):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(next_i)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        assert proc.stdout is not None
        # Let it get going (imports), then kill at a random moment while it writes.
        first = proc.stdout.readline()
        if first.strip():
            acked.append(int(first))
        time.sleep(rng.uniform(0, max_delay))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acked.extend(int(x) for x in out.split())
        lost, ok = _check(path, acked)
        lost_total = max(lost_total, lost)
        unreadable += 0 if ok else 1
        next_i = (max(acked) + 1) if acked else 0
    return CrashReport(kills, len(acked), lost_total, unreadable)


CONCURRENT = r"""
import sys
from datetime import datetime, UTC
from tpm_tui.domain import Task
from tpm_tui.services import triage
from tpm_tui.storage import Store

path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store.open(path)
now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
INVITE = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//r//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n"
          "DTSTAMP:20261101T090000Z\r\nDTSTART:20261130T100000Z\r\nDTEND:20261130T110000Z\r\n"
          "SUMMARY:imported\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
for i in range(n):
    if i % 5 == 4:
        from tpm_tui.services.imports import import_bytes
        report = import_bytes(store, INVITE.format(uid=f"{who}-{i}@x").encode(), source="r.ics")
        assert report.added == 1, report.summary_line()
    elif i % 3 == 0:
        triage.create_task(store, Task(id=f"{who}-{i}", project=who, title="own"), now)
    else:
        triage.add_note(store, "SHARED-1", f"{who} {i}", now)   # everyone updates the same task
"""


@dataclass
class ConcurrentReport:
    procs: int
    updates: int
    lost: int
    seconds: float

    def line(self) -> str:
        return (f"concurrent: {self.procs} processes x {self.updates} updates, {self.lost} lost, "
                f"{self.seconds:.1f} s")


def concurrent_run(procs: int, updates: int, folder: Path | None = None) -> ConcurrentReport:
    from datetime import UTC, datetime

    from tpm_tui.domain import Task
    from tpm_tui.storage import Store

    folder = folder or Path(tempfile.mkdtemp(prefix="tpm-conc-"))
    path = folder / "db.json"
    Store.open(path).put_task(
        Task(id="SHARED-1", project="SHARED", title="everyone writes here",
             created_at=datetime(2026, 11, 30, tzinfo=UTC))
    )
    who = [f"P{k}" for k in range(procs)]
    t0 = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(path), w, str(updates)]) for w in who]
    for p in running:
        if p.wait(timeout=600) != 0:
            raise RuntimeError("a writer failed")
    seconds = time.perf_counter() - t0
    store = Store.open(path)
    notes = {n.text for n in store.task("SHARED-1").notes}  # type: ignore[union-attr]
    tasks = {t.id for t in store.tasks()}
    meetings = {m.uid for m in store.meetings()}
    lost = 0
    for w in who:
        for i in range(updates):
            if i % 5 == 4:
                lost += f"{w}-{i}@x" not in meetings
            elif i % 3 == 0:
                lost += f"{w}-{i}" not in tasks
            else:
                lost += f"{w} {i}" not in notes
    return ConcurrentReport(procs, updates, lost, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability")
    sub = parser.add_subparsers(dest="what", required=True)
    c = sub.add_parser("crash")
    c.add_argument("--kills", type=int, default=200)
    k = sub.add_parser("concurrent")
    k.add_argument("--procs", type=int, default=4)
    k.add_argument("--updates", type=int, default=500)
    args = parser.parse_args(argv)
    if args.what == "crash":
        report = crash_run(args.kills)
        print(report.line())
        return 1 if report.lost or report.load_failures else 0
    report2 = concurrent_run(args.procs, args.updates)
    print(report2.line())
    return 1 if report2.lost else 0


if __name__ == "__main__":
    sys.exit(main())
