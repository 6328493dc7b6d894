"""The benchmark command in quick mode, so it cannot rot. Asserts figures are printed, never timings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIGURES = [
    "import textual (floor)",
    "tpm --help",
    "tpm brief @1,000",
    "bare Textual app first paint (floor)",
    "tpm first paint @1,000",
    "bare Textual app first paint in a pty (floor)",
    "tpm first paint in a pty @1,000",
    "peak RSS @1,000",
    "import 1,000 events, first",
    "one day among 1,000 events",
    "... from the file just opened @1,000",
    "dashboard compute, cold @1,000",
    "the same with the automatic collector on @1,000",
    "triage key -> panes repainted @1,000",
]


def test_quick_benchmark_prints_every_figure_with_a_ratio(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].split(" | ")[0].strip() == "figure"
    table = {line.split(" | ")[0].strip(): line for line in lines[2:]}
    for figure in FIGURES:
        assert figure in table, f"{figure!r} missing from:\n{result.stdout}"
    assert "x bare app" in table["tpm first paint @1,000"]
    pty_row = table["tpm first paint in a pty @1,000"]
    assert "x bare app in a pty" in pty_row or "no pseudo-terminal here" in pty_row
    assert "x textual import" in table["tpm brief @1,000"]
    assert not any(" missing " in line for line in lines), result.stdout


def test_generate_writes_a_database_and_a_calendar_that_tpm_reads(tmp_path: Path) -> None:
    """``python -m benchmarks generate`` (both forms of the issue): the files are the
    project's own schema and an .ics that ``tpm import`` takes without a refusal."""
    db, ics = tmp_path / "gen.json", tmp_path / "gen.ics"
    made = subprocess.run(
        [sys.executable, "-m", "benchmarks", "generate", "--tasks", "300", "--people", "12", "--meetings", "40",
         "--db", str(db), "--events", "60", "--ics", str(ics)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    from tpm_tui.storage import Store

    store = Store.open(db)
    assert (len(store.tasks()), len(store.people()), len(store.meetings())) == (300, 12, 40)
    imported = subprocess.run([sys.executable, "-m", "tpm_tui", "--db", str(tmp_path / "into.json"), "import", str(ics)],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stderr[-2000:]
    assert imported.stdout.startswith(f"{ics}: 60 added"), imported.stdout
