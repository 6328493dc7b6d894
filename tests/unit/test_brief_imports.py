"""`tpm brief` stays light: it never imports Textual, icalendar, dateutil (plain weekly
rules need no rrule) or filelock (a read takes no lock)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.generate import generate_db

ROOT = Path(__file__).resolve().parents[2]


def test_brief_imports_nothing_heavy(tmp_path: Path) -> None:
    db = generate_db(tmp_path / "small.json", tasks=200, people=20, meetings=100)
    code = (
        "import sys\nfrom tpm_tui.cli import main\n"
        f"try:\n    main(['--db', {str(db)!r}, 'brief', '--format', 'json', '--date', '2026-11-30', '--tz', 'Europe/Berlin'])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT), "TPM_NOW": "2026-11-30T08:30:00+01:00", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"at_risk"' in result.stdout
    loaded = {m.split(".")[0] for m in result.stderr.split()}
    assert not loaded & {"textual", "icalendar", "dateutil", "filelock", "asyncio"}, sorted(loaded & {"textual", "icalendar", "dateutil", "filelock", "asyncio"})
