"""`tpm doctor`: say what is wrong with a database file and restore the last good backup.

Backups: the store copies the file to ``<db>.bak`` before its first write in each
process (so the backup is the state at the start of the last session that wrote), and
to ``<db>.v<N>.bak`` before a schema migration.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tpm_tui.domain import StoreError, TpmError
from tpm_tui.storage.atomic import write_bytes_atomic


@dataclass(frozen=True)
class FileState:
    path: Path
    ok: bool
    problem: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    schema_version: int | None = None
    saved_at: datetime | None = None

    def describe(self) -> str:
        when = f"saved {self.saved_at:%Y-%m-%d %H:%M} UTC" if self.saved_at else "not saved yet"
        if not self.ok:
            return f"{self.path.name}: {self.problem} ({when})"
        c = self.counts
        return (f"{self.path.name}: OK, schema {self.schema_version}, {c.get('people', 0)} people, "
                f"{c.get('projects', 0)} projects, {c.get('tasks', 0)} tasks, {c.get('meetings', 0)} meetings, "
                + (f"{c['notes']} with notes, " if c.get("notes") else "")
                + f"{c.get('journal', 0)} journal entries ({when})")


def inspect(path: Path) -> FileState:
    from tpm_tui.storage.store import Store

    saved = None
    try:
        saved = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError:
        pass
    if not path.exists():
        return FileState(path, False, "does not exist", saved_at=saved)
    try:
        store = Store.open(path)
        # every record decoded (start-up decodes only what it shows): one that cannot be
        # read is named here, as the command that meets it would
        store.settings(), store.people(), store.projects(), store.tasks(), store.meetings(), store.journal()
    except TpmError as exc:
        problem = str(exc)
        prefix = f"{path}: "
        if problem.startswith(prefix):
            problem = problem[len(prefix):]
        return FileState(path, False, problem, saved_at=saved)
    return FileState(path, True, None, store.counts(), store.schema_version(), saved)


def backups_of(path: Path) -> list[Path]:
    """Backup files of ``path``, newest first."""
    found = [p for p in path.parent.glob(f"{path.name}*.bak") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def diagnose(path: Path) -> tuple[FileState, list[FileState]]:
    return inspect(path), [inspect(b) for b in backups_of(path)]


def restore_last_good(path: Path) -> tuple[Path, Path | None]:
    """Replace ``path`` (and its write-ahead log) with the newest readable backup; the
    damaged files are kept aside.

    Returns (backup used, where the damaged file was kept).
    """
    good = next((b for b in backups_of(path) if inspect(b).ok), None)
    if good is None:
        raise StoreError(f"{path}: no readable backup to restore")
    kept = None
    wal = _wal_of(path)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S")
    if path.exists():
        kept = path.with_name(f"{path.name}.damaged-{stamp}")
        shutil.copy2(path, kept)
    if wal.exists():
        shutil.copy2(wal, path.with_name(f"{path.name}.wal.damaged-{stamp}"))
    good_wal = _wal_of(good)
    # The log first: until the main file is replaced, a log of another generation is ignored.
    if good_wal.exists():
        write_bytes_atomic(wal, good_wal.read_bytes())
    elif wal.exists():
        wal.unlink()
    write_bytes_atomic(path, good.read_bytes())
    return good, kept


def _wal_of(path: Path) -> Path:
    return Path(str(path) + ".wal")


def make_session_backup(path: Path) -> None:
    """Copy the current file (and its write-ahead log) to ``<db>.bak`` (``<db>.bak.wal``)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    target = path.with_name(f"{path.name}.bak")
    wal, target_wal = _wal_of(path), _wal_of(target)
    try:
        log = wal.read_bytes()
    except FileNotFoundError:
        log = None
    if log:
        write_bytes_atomic(target_wal, log)
    elif target_wal.exists():
        target_wal.unlink()
    write_bytes_atomic(target, data)
