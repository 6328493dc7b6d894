"""Resource faults: each gives one clear line and loses nothing."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tpm_tui.cli import main
from tpm_tui.domain import StoreError
from tpm_tui.storage import Store
from tests.conftest import NOW, disk_state


def _cli(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env={"TPM_NOW": NOW.isoformat(), **(env or {})})


@pytest.mark.parametrize(
    ("err", "words"),
    [
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
        (errno.ENOSPC, "No space left on device"),
    ],
)
def test_unwritable_folder_is_one_line_and_the_file_is_intact(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, err: int, words: str
) -> None:
    before = disk_state(demo_db)

    def refuse(*_a: object, **_k: object) -> None:
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = _cli("--db", str(demo_db), "task", "add", "x", "--project", "API")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and str(demo_db) in lines[0]
    assert "previous version is intact" in lines[0]
    assert disk_state(demo_db) == before


def test_unreadable_file_is_one_line(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == demo_db:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(StoreError, match="permission denied") as info:
        Store.open(demo_db)
    assert str(demo_db) in str(info.value)


HOLDER = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1] + ".lock")
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def _hold_lock(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_lock_of_a_killed_process_is_recovered(demo_db: Path) -> None:
    holder = _hold_lock(demo_db)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (demo_db.parent / (demo_db.name + ".lock")).exists()  # the file stays behind...
    t0 = time.monotonic()
    result = _cli("--db", str(demo_db), "task", "add", "after the crash", "--project", "API")
    assert result.exit_code == 0, result.stderr  # ...but the lock died with its process
    assert time.monotonic() - t0 < 5
    assert any(t.title == "after the crash" for t in Store.open(demo_db).tasks())


def test_lock_held_by_a_live_process_times_out_with_one_line(demo_db: Path) -> None:
    before = disk_state(demo_db)
    holder = _hold_lock(demo_db)
    try:
        result = _cli("--db", str(demo_db), "task", "add", "x", "--project", "API", env={"TPM_LOCK_TIMEOUT": "0.5"})
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert "locked by another tpm process" in line
    assert disk_state(demo_db) == before
