"""A TinyDB ``Storage`` that keeps the data in memory and replaces the file atomically.

TinyDB's own ``JSONStorage`` re-reads and re-parses the whole file for every
operation and rewrites it in place (seek, write, truncate): a crash in the middle
leaves a truncated file. This storage instead

* reads the file once (orjson) and serves TinyDB from memory,
* writes with temp file in the same folder + ``fsync`` + ``os.replace`` + directory
  ``fsync``, so the file on disk is always either the old or the new version,
* can *defer* writes inside a transaction so that many TinyDB operations cost one
  write (see :class:`tpm_tui.storage.store.Store`).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from tpm_tui.domain import StoreError
from tpm_tui.logic.gcpause import paused_gc


def read_json_file(path: Path) -> dict[str, Any] | None:
    """Parse the database file; ``None`` when it does not exist.

    Raises :class:`StoreError` (one line naming the file) when it cannot be read or
    is not a JSON object. Cyclic GC is paused during the parse: it otherwise spends
    about half the load time scanning the freshly built containers.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a database file") from None
    except PermissionError:
        raise StoreError(f"{path}: permission denied (cannot read the database)") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database ({exc.strerror or exc})") from None
    if not raw.strip():
        raise StoreError(f"{path}: the file is empty, not a tpm database (left untouched)")
    try:
        with paused_gc():
            data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"{path}: not valid JSON ({exc}); the file was left untouched") from None
    if not isinstance(data, dict):
        raise StoreError(f"{path}: not a tpm database (top level is not a JSON object)")
    return data


def write_json_atomic(path: Path, data: Any) -> None:
    """Serialise ``data`` and atomically replace ``path`` with it.

    Serialisation happens before any file is touched, so a value JSON cannot encode
    leaves the old file exactly as it was.
    """
    try:
        payload = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    except TypeError as exc:
        raise StoreError(f"{path}: cannot save, a value is not serialisable ({exc})") from None
    write_bytes_atomic(path, payload)


def write_bytes_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload``: temp file in the same folder, fsync, rename, fsync the folder."""
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(f"{path}: folder {folder} does not exist")
    fd = -1
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            # Keep the user's permission bits on the new file.
            os.chmod(tmp_name, path.stat().st_mode & 0o7777)
        # Stamp the nanosecond clock on the file: the kernel's own mtime is only as fine
        # as its timer tick, and two writes within one tick onto a reused inode with the
        # same size would look unchanged to another process (a lost update, seen in tests).
        stamp = time.time_ns()
        os.utime(tmp_name, ns=(stamp, stamp))
        os.replace(tmp_name, path)
        tmp_name = ""
        _fsync_dir(folder)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StoreError(f"{path}: cannot save ({reason}); the previous version is intact") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if tmp_name:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def append_durably(path: Path, payload: bytes, *, keep: int) -> None:
    """Append ``payload`` to ``path`` and fsync it, after cutting the file back to ``keep``
    bytes (anything past that is the torn tail of an append that never returned).

    On failure the file is cut back to ``keep`` again, so a half-written line can never be
    read as data, and :class:`StoreError` says what went wrong.
    """
    created = not path.exists()
    fd = -1
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        size = os.fstat(fd).st_size
        if size != keep:
            os.ftruncate(fd, keep)
        os.lseek(fd, keep, os.SEEK_SET)
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError as exc:
        if fd >= 0:
            try:
                os.ftruncate(fd, keep)
            except OSError:
                pass
        reason = exc.strerror or str(exc)
        raise StoreError(f"{path}: cannot save ({reason}); the previous version is intact") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if created:
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


class MemoryFirstStorage(Storage):
    """TinyDB storage over an in-memory dict owned by the :class:`Store`.

    ``read`` hands TinyDB the live dict; ``write`` asks the owner to persist it
    (immediately, or at the end of the current transaction).
    """

    def __init__(self, owner: Any) -> None:  # owner: Store (no import cycle)
        self._owner = owner

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._owner._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._owner._data = data
        self._owner._mark_dirty()

    def close(self) -> None:  # nothing held open
        pass
