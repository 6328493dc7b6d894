"""Shared fixtures: an isolated environment, a frozen clock, stores with demo data."""

from __future__ import annotations

import gc
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest


from tpm_tui import demo
from tpm_tui.storage import Store

# A Monday: the demo's working week starts here. 08:30 in the demo user's zone.
TODAY = date(2026, 11, 30)
TZ = "Europe/Berlin"
NOW = datetime.combine(TODAY, time(8, 30), tzinfo=ZoneInfo(TZ))

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "ics-corpus"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's data or config: XDG dirs in tmp, TPM_* cleared."""
    for var in ("TPM_DB", "TPM_CONFIG", "TPM_EXIT_AFTER_FIRST_PAINT", "TPM_HEADLESS", "TPM_NOW"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(autouse=True)
def gc_back_on() -> Iterator[None]:
    """One-shot commands pause the cyclic GC for the rest of their process; a test that runs
    one in-process must not leave the rest of the suite without a collector."""
    yield
    gc.enable()


@pytest.fixture
def store() -> Store:
    return Store.in_memory()


@pytest.fixture
def demo_store() -> Store:
    s = Store.in_memory()
    demo.seed(s, TODAY, NOW)
    return s


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A demo database written to a real file."""
    path = tmp_path / "demo.json"
    demo.seed(Store.open(path), TODAY, NOW)
    return path


def disk_state(path: Path) -> bytes:
    """Everything of a database on disk: the main file and its write-ahead log, if any."""
    wal = Path(str(path) + ".wal")
    main = path.read_bytes() if path.exists() else b""
    return main + (b"\n--wal--\n" + wal.read_bytes() if wal.exists() else b"")


# ---------------------------------------------------------------- the command line, in-process


def cli(*args: str, env: dict[str, str] | None = None, input: bytes | None = None, color: bool = False):  # type: ignore[no-untyped-def]  # noqa: E501
    """``tpm ARGS`` through click's runner, the clock pinned to :data:`NOW` (a click ``Result``;
    ``color=True``: as on a terminal, where click keeps escape sequences)."""
    from click.testing import CliRunner

    from tpm_tui.cli import main

    return CliRunner().invoke(main, list(args), env={"TPM_NOW": NOW.isoformat(), **(env or {})}, input=input,
                              color=color)


def one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    """The one ``tpm: …`` line a failed command prints (no traceback, nothing else)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tpm: ")
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


@contextmanager
def imported_copy(db: Path, data: bytes) -> Iterator[tuple[Any, Path | None]]:
    """``tpm task import -`` of ``data`` into a fresh copy of ``db`` (a property test's example
    each its own): the result and the copy, or None for the copy when the import was refused —
    checked here to have said one line, no traceback, and left the copy as it was."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "db.json"
        shutil.copyfile(db, copy)
        before = disk_state(copy)
        result = cli("task", "import", "-", "--db", str(copy), input=data)
        assert "Traceback" not in result.output + result.stderr
        if result.exit_code != 0:
            assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1
            assert disk_state(copy) == before
            yield result, None
        else:
            yield result, copy


def imported_from(db: Path, prefix: str) -> dict[str, Any]:
    """The tasks a source imported (``jira:``, ``gh:``, ``ics:``…), by their key there."""
    return {t.source.removeprefix(prefix): t for t in Store.open(db).tasks() if (t.source or "").startswith(prefix)}


def refused(db: Path, *args: str) -> str:
    """Run ``tpm ARGS --db DB``, which must fail with one line and leave the file as it was;
    returns that line."""
    before = disk_state(db)
    result = cli(*args, "--db", str(db))
    assert result.exit_code != 0, result.output
    line = one_error_line(result)
    assert disk_state(db) == before
    return line
