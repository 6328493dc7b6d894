"""The typed store: the only code that talks to TinyDB.

Guarantees, each tested in ``tests/unit/test_store.py``:

* **Atomic**: every commit is one temp-file + fsync + rename (``atomic.py``).
* **No lost updates between processes**: a write transaction holds an exclusive
  ``filelock`` on ``<db>.lock``, re-reads the file if another process changed it
  since we last saw it, applies the change, writes, and only then releases.
  ``flock`` locks die with their process, so a crashed writer leaves no stale lock.
* **A corrupt or foreign file is refused** with one line and never overwritten.
* **Schema**: ``meta.schema_version``; an older file is copied to a backup and then
  migrated; a newer one is refused.
* **Rollback**: if anything fails inside a transaction, memory is restored to what
  is on disk, which was not touched.

Reads are served from memory, with typed caches rebuilt only when the data changes
(``version`` counts changes; the UI and services key their own caches on it).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.table import Document, Table

from tpm_tui.domain import (
    JournalEntry,
    Meeting,
    MeetingNotes,
    NotFoundError,
    Person,
    Project,
    SchemaTooNewError,
    Settings,
    StoreError,
    Task,
)
from tpm_tui.storage import codec
from tpm_tui.logic.gcpause import paused_gc
from tpm_tui.storage.atomic import MemoryFirstStorage, append_durably, read_json_file, write_json_atomic
from tpm_tui.storage import migrations

TABLES = ("meta", "people", "projects", "tasks", "meetings", "settings", "journal", "notes")
LOCK_TIMEOUT_S = 10.0
WAL_MAX_BYTES = 4 * 1024 * 1024
WAL_MAX_ENTRIES = 2000

Stamp = tuple[int, int, int] | None  # (inode, size, mtime_ns) of the file we last saw


def _empty_data() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
    data["meta"] = {"1": {"schema_version": migrations.SCHEMA_VERSION}}
    return data


class Store:
    """Typed access to one tpm database (a TinyDB JSON file, or memory only)."""

    def __init__(self, path: Path | None, *, lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        self.path = path
        self._mutex = threading.RLock()
        self._depth = 0
        self._dirty = False
        self._stamp: Stamp = None
        self._snapshot: bytes | None = None
        self._backed_up = False
        # Write-ahead log (see the module docstring): what this process has read of it.
        self._wal_path = Path(str(path) + ".wal") if path else None
        self._wal_stamp: Stamp = None
        self._wal_size = 0
        self._wal_entries = 0
        self._touched: set[tuple[str, str]] = set()
        self._tracking = 0
        self._untracked = False
        self.table_versions: dict[str, int] = {name: 0 for name in TABLES}
        self._data: dict[str, dict[str, Any]] = _empty_data()
        self.version = 0
        self._cache: dict[str, Any] = {}
        # The file locks are made on the first write: importing filelock costs a read-only
        # command (``tpm brief``) tens of milliseconds for nothing.
        self._lock_timeout = lock_timeout
        self._lock: Any = None
        # A turnstile in front of the lock: a writer that just released the lock must queue
        # behind the writers already waiting, so a busy process cannot starve the others.
        self._turnstile: Any = None
        self._db = self._new_db()
        if path is not None:
            self._load_initial()

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, lock_timeout: float | None = None) -> Store:
        """Open (or prepare to create) the database at ``path``.

        ``lock_timeout`` defaults to ``$TPM_LOCK_TIMEOUT`` seconds, else 10.
        """
        if lock_timeout is None:
            try:
                lock_timeout = float(os.environ.get("TPM_LOCK_TIMEOUT", LOCK_TIMEOUT_S))
            except ValueError:
                lock_timeout = LOCK_TIMEOUT_S
        p = Path(path).expanduser()
        folder = p.parent
        if not folder.exists():
            raise StoreError(f"{p}: folder {folder} does not exist (create it, or choose another --db)")
        if not folder.is_dir():
            raise StoreError(f"{p}: {folder} is not a folder")
        if p.exists() and p.is_dir():
            raise StoreError(f"{p}: is a folder, not a database file")
        return cls(p, lock_timeout=lock_timeout)

    @classmethod
    def in_memory(cls) -> Store:
        return cls(None)

    def _new_db(self) -> TinyDB:
        return TinyDB(storage=MemoryFirstStorage, owner=self)  # type: ignore[arg-type]

    def _load_initial(self) -> None:
        assert self.path is not None
        data = read_json_file(self.path)
        if data is None:
            self._data = _empty_data()
            self._stamp = None
            self._forget_wal()
            return
        self._adopt(data, migrate_file=True)

    def _adopt(self, data: dict[str, Any], *, migrate_file: bool) -> None:
        """Validate a freshly read file and make it the in-memory state."""
        assert self.path is not None
        meta = data.get("meta")
        version = None
        if isinstance(meta, dict):
            for doc in meta.values():
                if isinstance(doc, dict) and "schema_version" in doc:
                    version = doc["schema_version"]
        if not isinstance(version, int):
            raise StoreError(f"{self.path}: not a tpm database (no meta.schema_version); the file was left untouched")
        if version > migrations.SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"{self.path}: written by a newer tpm (schema {version}, this one reads up to {migrations.SCHEMA_VERSION}); "
                "upgrade tpm — the file was left untouched"
            )
        for name in TABLES:
            table = data.setdefault(name, {})
            if not isinstance(table, dict):
                raise StoreError(f"{self.path}: not a tpm database (table {name!r} is not an object)")
            for key, doc in table.items():
                if type(doc) is not dict:
                    raise StoreError(f"{self.path}: {name} record {key}: expected an object, found "
                                     f"{type(doc).__name__} — fix or remove it in the file (it was left untouched)")
        stamp = self._stat()
        if version < migrations.SCHEMA_VERSION:
            if not migrate_file:
                raise StoreError(f"{self.path}: changed to an older schema by another program")
            backup = self.path.with_name(f"{self.path.name}.v{version}.bak")
            shutil.copy2(self.path, backup)
            if self._wal_path is not None and self._wal_path.exists():
                shutil.copy2(self._wal_path, Path(str(backup) + ".wal"))
            self._data = data
            self._stamp = stamp
            self._replay_wal()
            self._data = migrations.migrate(self._data, version)
            self._db = self._new_db()
            self._invalidate()
            with self.transaction():
                self._untracked = True
                self._dirty = True
            return
        self._data = data
        self._stamp = stamp
        self._replay_wal()
        self._db = self._new_db()
        self._invalidate()

    def snapshot(self) -> bytes:
        """The whole database as one standalone file, its log folded in (as another process
        may have just written it: read under the lock), under a generation of its own, so that
        a log left beside a file this copy is put over is ignored, not replayed onto it."""
        with self.transaction():
            meta = {k: dict(v) if isinstance(v, dict) else v for k, v in self._data["meta"].items()}
            for doc in meta.values():
                if isinstance(doc, dict) and "schema_version" in doc:
                    doc["generation"] = os.urandom(8).hex()
            return orjson.dumps({**self._data, "meta": meta}, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)

    # ------------------------------------------------------------ write-ahead log

    def _generation(self) -> str:
        for doc in self._data["meta"].values():
            if isinstance(doc, dict) and "schema_version" in doc:
                return str(doc.get("generation", ""))
        return ""

    def _set_generation(self, token: str) -> None:
        for doc in self._data["meta"].values():
            if isinstance(doc, dict) and "schema_version" in doc:
                doc["generation"] = token

    def _wal_stat(self) -> Stamp:
        assert self._wal_path is not None
        try:
            st = os.stat(self._wal_path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _forget_wal(self) -> None:
        self._wal_stamp = self._wal_stat() if self._wal_path else None
        self._wal_size = 0
        self._wal_entries = 0

    def _replay_wal(self) -> None:
        """Apply the log entries written on top of this generation of the main file.

        A line that does not parse ends the replay: it can only be the torn tail of an
        append that never returned (so was never acknowledged); the next writer cuts it off.
        """
        assert self._wal_path is not None
        self._wal_stamp = self._wal_stat()
        self._wal_size = 0
        self._wal_entries = 0
        try:
            raw = self._wal_path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StoreError(f"{self._wal_path}: cannot read the write-ahead log ({exc.strerror or exc})") from None
        generation = self._generation()
        pos = 0
        while True:
            end = raw.find(b"\n", pos)
            if end < 0:
                break
            try:
                entry = orjson.loads(raw[pos:end])
                ops = entry["ops"] if entry.get("base") == generation else ()
                for table, doc_id, doc in ops:
                    if doc is None:
                        self._data[table].pop(doc_id, None)
                    else:
                        self._data[table][doc_id] = doc
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
                break
            pos = end + 1
            self._wal_entries += 1
        self._wal_size = pos

    def _append_wal(self) -> None:
        """One line with the documents this transaction touched; fsync before returning."""
        assert self._wal_path is not None
        generation = self._generation()
        ops = [[table, doc_id, self._data[table].get(doc_id)] for table, doc_id in sorted(self._touched)]
        try:
            line = orjson.dumps({"base": generation, "ops": ops}) + b"\n"
        except TypeError as exc:
            raise StoreError(f"{self.path}: cannot save, a value is not serialisable ({exc})") from None
        append_durably(self._wal_path, line, keep=self._wal_size)
        self._wal_size += len(line)
        self._wal_entries += 1
        self._wal_stamp = self._wal_stat()

    def _wal_is_large(self) -> bool:
        return self._wal_size > WAL_MAX_BYTES or self._wal_entries >= WAL_MAX_ENTRIES

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the main file (one atomic rewrite); True when it did."""
        if self.path is None:
            return False
        with self.transaction():
            if self._wal_size == 0 and (self._wal_path is None or not self._wal_path.exists()):
                return False
            self._untracked = True
            self._dirty = True
        return True

    def _stat(self) -> Stamp:
        assert self.path is not None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    # ------------------------------------------------------------ change detection

    def has_changed_on_disk(self) -> bool:
        """True when another process replaced the file since we last read or wrote it."""
        if self.path is None:
            return False
        return self._stat() != self._stamp or self._wal_stat() != self._wal_stamp

    def reload(self) -> bool:
        """Re-read the file if it changed on disk; True when something was reloaded."""
        if self.path is None:
            return False
        with self._mutex:
            if not self.has_changed_on_disk():
                return False
            data = read_json_file(self.path)
            if data is None:
                self._data = _empty_data()
                self._stamp = None
                self._forget_wal()
                self._db = self._new_db()
                self._invalidate()
            else:
                self._adopt(data, migrate_file=False)
            return True

    # ------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group writes: one lock, one re-read if needed, one atomic write.

        Re-entrant. Everything inside sees the latest committed data (another
        process's writes included). If the block raises, memory goes back to what
        is on disk and the file is untouched.
        """
        with self._mutex:
            outer = self._depth == 0
            if outer:
                self._acquire_file_lock()
                try:
                    self.reload()
                except BaseException:
                    self._release_file_lock()
                    raise
                if self.path is None:
                    self._snapshot = orjson.dumps(self._data)
                self._touched = set()
                self._untracked = False
            self._depth += 1
            try:
                yield self
                if outer and self._dirty:
                    self._flush()
            except BaseException:
                if outer:
                    self._rollback()
                raise
            finally:
                self._depth -= 1
                if outer:
                    self._snapshot = None
                    self._release_file_lock()

    def _acquire_file_lock(self) -> None:
        if self.path is None:
            return
        from filelock import FileLock, Timeout

        if self._lock is None or self._turnstile is None:
            self._lock = FileLock(str(self.path) + ".lock", timeout=self._lock_timeout)
            self._turnstile = FileLock(str(self.path) + ".queue.lock", timeout=self._lock_timeout)
        try:
            # Poll often: filelock polls a non-blocking flock, and a long interval lets a
            # busy writer in another process win every time (seen as lock starvation).
            with self._turnstile.acquire(poll_interval=0.001):
                self._lock.acquire(poll_interval=0.001)
        except Timeout:
            raise StoreError(
                f"{self.path}: locked by another tpm process for over {self._lock.timeout:.0f}s; try again"
            ) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot lock the database ({exc.strerror or exc})") from None

    def _release_file_lock(self) -> None:
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()

    def _mark_dirty(self) -> None:
        if self._depth == 0:
            raise RuntimeError("tpm store: a write outside Store.transaction()")
        self._dirty = True
        self.version += 1
        if not self._tracking:
            # A TinyDB write that no Store method accounted for: commit by a full rewrite.
            self._untracked = True

    @contextmanager
    def _writing(self, table: str) -> Iterator[set[int]]:
        """Around a TinyDB call: the caller adds the doc ids it changed to the yielded set."""
        ids: set[int] = set()
        self._tracking += 1
        try:
            yield ids
        finally:
            self._tracking -= 1
            self._touched.update((table, str(i)) for i in ids)
            self.table_versions[table] += 1

    def _flush(self) -> None:
        if self.path is not None:
            if not self._backed_up and self._stamp is not None:
                # The files as this session found them (already validated): the last good backup.
                from tpm_tui.storage.maintenance import make_session_backup

                make_session_backup(self.path)
                self._backed_up = True
            if self._untracked or self._stamp is None or self._wal_is_large():
                self._write_main()
            elif self._touched:
                self._append_wal()
        self._dirty = False
        self._touched = set()
        self._untracked = False

    def _write_main(self) -> None:
        """The whole database, atomically, under a new generation; then the log is dropped."""
        assert self.path is not None and self._wal_path is not None
        previous = self._generation()
        self._set_generation(os.urandom(8).hex())  # what secrets.token_hex does, without importing hashlib
        try:
            write_json_atomic(self.path, self._data)
        except BaseException:
            self._set_generation(previous)
            raise
        self._stamp = self._stat()
        # Entries in the old log name the old generation: from here on they are ignored,
        # so a crash before this unlink loses nothing and replays nothing twice.
        try:
            self._wal_path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass
        self._forget_wal()

    def _rollback(self) -> None:
        self._dirty = False
        if self.path is None:
            if self._snapshot is not None:
                self._data = orjson.loads(self._snapshot)
        else:
            data = read_json_file(self.path)
            self._data = _empty_data() if data is None else data
            self._stamp = self._stat()
            if data is None:
                self._forget_wal()
            else:
                self._replay_wal()
        self._db = self._new_db()
        self._invalidate()

    def _drop_cache(self, table: str) -> None:
        for k in [k for k in self._cache if k.split(":")[1] == table]:
            del self._cache[k]

    def _invalidate(self) -> None:
        self.version += 1
        self._cache.clear()
        for name in self.table_versions:
            self.table_versions[name] += 1

    # ------------------------------------------------------------ generic helpers

    def _table(self, name: str) -> Table:
        return self._db.table(name)

    def _index(self, table: str, key: str) -> dict[Any, int]:
        """Map of key value -> TinyDB doc_id for a table, cached until the next change."""
        cache_key = f"index:{table}:{key}"
        index = self._cache.get(cache_key)
        if index is None:
            index = {doc.get(key): int(doc_id) for doc_id, doc in self._data[table].items()}
            self._cache[cache_key] = index
        return index

    def _typed(self, table: str, conv: Any) -> dict[Any, Any]:
        """Every document of ``table`` decoded, by doc id, in file order (cached).

        The cache may hold only some documents (decoded one by one: :meth:`_typed_one`,
        :meth:`open_tasks`, :meth:`meetings_within`); completing it keeps those objects,
        so a task or meeting is the same object whichever way it was asked for.
        """
        cache_key = f"typed:{table}"
        typed = self._cache.get(cache_key)
        if typed is None or not self._cache.get(f"typed-all:{table}"):
            some = typed or {}
            with paused_gc():
                typed = {}
                for key, doc in self._data[table].items():
                    doc_id = int(key)
                    try:
                        typed[doc_id] = some.get(doc_id) or conv(doc)
                    except Exception as exc:  # noqa: BLE001 - named with its record below
                        raise self._unreadable(table, key, doc, exc) from None
            self._cache[cache_key] = typed
            self._cache[f"typed-all:{table}"] = True
        return typed

    def _typed_one(self, table: str, conv: Any, doc_id: int) -> Any:
        """One document decoded (cached with the others; the rest stay undecoded)."""
        typed = self._cache.get(f"typed:{table}")
        if typed is None:
            typed = self._cache[f"typed:{table}"] = {}
        got = typed.get(doc_id)
        if got is None:
            doc = self._data[table][str(doc_id)]
            try:
                got = typed[doc_id] = conv(doc)
            except Exception as exc:  # noqa: BLE001 - named with its record below
                raise self._unreadable(table, str(doc_id), doc, exc) from None
        return got

    def _unreadable(self, table: str, key: str, doc: Any, exc: Exception) -> StoreError:
        """One line naming the file, the record and its field that cannot be read (a
        document edited by hand or by another program); nothing is written over it."""
        ident = doc.get(_KEYS.get(table, "id")) if isinstance(doc, dict) else None
        name = f" ({ident})" if type(ident) is str and ident else ""
        return StoreError(f"{self.path}: {table} record {key}{name}: {_why(doc, exc)} — fix or remove it in the "
                          "file (it was left untouched)")

    def _put(self, table: str, key: str, doc: dict[str, Any]) -> bool:
        """Insert or replace the document whose ``key`` field equals ``doc[key]``.

        Returns True when it was inserted. The typed cache and the key index are
        updated in place, so one change costs O(1) conversions, not a rebuild.
        """
        try:  # decoded before it is written: a record this store could not read back is never saved
            fresh = _CONVERTERS[table](doc)
        except Exception as exc:  # noqa: BLE001 - one line naming the field
            raise StoreError(f"{self.path}: cannot save {table} record {doc.get(key)!r}: {_why(doc, exc)}") from None
        with self.transaction():
            index = self._index(table, key)
            doc_id = index.get(doc[key])
            t = self._table(table)
            inserted = doc_id is None
            with self._writing(table) as ids:
                if doc_id is None:
                    doc_id = t.insert(doc)
                    index[doc[key]] = doc_id
                else:
                    # Replace in place: TinyDB's update() copies the whole table twice per
                    # call (13 ms at 10k tasks), which is most of a triage key's write.
                    self._data[table][str(doc_id)] = doc
                    t.clear_cache()
                    self._mark_dirty()
                ids.add(doc_id)
            self._refresh_typed(table, doc_id, fresh)
            return inserted

    def _refresh_typed(self, table: str, doc_id: int, fresh: Any = None) -> None:
        """The typed cache after a write of that document (``fresh``: it decoded, if at hand)."""
        typed = self._cache.get(f"typed:{table}")
        if typed is None:
            return
        if fresh is None:
            fresh = _CONVERTERS[table](self._data[table][str(doc_id)])
        typed[doc_id] = fresh
        if table == "tasks":
            self._refresh_open(doc_id, fresh)

    def _refresh_open(self, doc_id: int, task: Task | None) -> None:
        """Keep :meth:`open_tasks`'s list in file order as one task changes (None: deleted)."""
        open_ = self._cache.get("open:tasks")
        if open_ is None:
            return
        if task is None or not task.is_open:
            open_.pop(doc_id, None)  # done (or gone): out
        elif doc_id in open_:
            open_[doc_id] = task  # changed in place
        else:  # new, or open again (an undone "done"): in its place in the file's order
            open_[doc_id] = task
            if next(reversed(self._data["tasks"])) != str(doc_id):
                self._cache["open:tasks"] = {
                    int(k): open_[int(k)] for k in self._data["tasks"] if int(k) in open_
                }

    def _delete(self, table: str, key: str, value: Any) -> bool:
        with self.transaction():
            index = self._index(table, key)
            doc_id = index.get(value)
            if doc_id is None:
                return False
            with self._writing(table) as ids:
                self._table(table).remove(doc_ids=[doc_id])
                ids.add(doc_id)
            del index[value]
            typed = self._cache.get(f"typed:{table}")
            if typed is not None:
                typed.pop(doc_id, None)
            if table == "tasks":
                self._refresh_open(doc_id, None)
            return True

    # ------------------------------------------------------------ people

    def people(self) -> list[Person]:
        with self._mutex:
            return sorted(self._typed("people", codec.person_from_doc).values(), key=lambda p: p.handle)

    def person(self, handle: str) -> Person | None:
        with self._mutex:
            doc_id = self._index("people", "handle").get(handle)
            return None if doc_id is None else self._typed("people", codec.person_from_doc)[doc_id]

    def put_person(self, person: Person) -> bool:
        return self._put("people", "handle", codec.person_to_doc(person))

    def delete_person(self, handle: str) -> bool:
        return self._delete("people", "handle", handle)

    # ------------------------------------------------------------ projects

    def projects(self) -> list[Project]:
        with self._mutex:
            return sorted(self._typed("projects", codec.project_from_doc).values(), key=lambda p: p.key)

    def project(self, key: str) -> Project | None:
        with self._mutex:
            doc_id = self._index("projects", "key").get(key)
            return None if doc_id is None else self._typed("projects", codec.project_from_doc)[doc_id]

    def put_project(self, project: Project) -> bool:
        return self._put("projects", "key", codec.project_to_doc(project))

    def delete_project(self, key: str) -> bool:
        return self._delete("projects", "key", key)

    # ------------------------------------------------------------ tasks

    def tasks(self) -> list[Task]:
        with self._mutex:
            return list(self._typed("tasks", codec.task_from_doc).values())

    def open_tasks(self) -> list[Task]:
        """The tasks not done, in file order — decoded without the done ones.

        Risk, workload and plan look at open tasks only; a database with years of done
        tasks decodes them only when something asks for every task (40k done beside 10k
        open: ~1.2 s more at start-up otherwise). The list is kept as tasks change.
        """
        with self._mutex:
            open_ = self._cache.get("open:tasks")
            if open_ is None:
                open_ = {}
                with paused_gc():
                    for key, doc in self._data["tasks"].items():
                        if doc.get("status", "todo") != "done":
                            task = self._typed_one("tasks", codec.task_from_doc, int(key))
                            if task.is_open:
                                open_[int(key)] = task
                self._cache["open:tasks"] = open_
            return list(open_.values())

    def done_between(self, start: datetime, end: datetime) -> list[Task]:
        """Tasks done whose last change (being marked done, as a rule) is in ``[start, end)``,
        in file order: what a status update reports as finished. Only done records with a
        time in the window are decoded (years of done tasks are skipped as text)."""
        out = []
        with self._mutex:
            for key, doc in self._data["tasks"].items():
                if doc.get("status") != "done":
                    continue
                try:
                    at = codec.datetime_from_str(doc.get("updated_at"))
                except (TypeError, ValueError):
                    at = None  # unreadable: said by whatever decodes it in full, not here
                if at is None or at.tzinfo is None or not start <= at < end:
                    continue
                out.append(self._typed_one("tasks", codec.task_from_doc, int(key)))
        return out

    def task(self, task_id: str) -> Task | None:
        with self._mutex:
            doc_id = self._index("tasks", "id").get(task_id)
            return None if doc_id is None else self._typed_one("tasks", codec.task_from_doc, doc_id)

    def require_task(self, task_id: str) -> Task:
        task = self.task(task_id)
        if task is None:
            raise NotFoundError(f"no task {task_id!r}")
        return task

    def put_task(self, task: Task) -> bool:
        return self._put("tasks", "id", codec.task_to_doc(task))

    def put_tasks(self, tasks: Iterable[Task]) -> None:
        """Insert many new tasks with one write (used by demo data and benchmarks)."""
        with self.transaction():
            existing = self._index("tasks", "id")
            docs = [codec.task_to_doc(t) for t in tasks]
            new = [d for d in docs if d["id"] not in existing]
            for d in docs:
                if d["id"] in existing:
                    self._put("tasks", "id", d)
            if new:
                with self._writing("tasks") as ids:
                    ids.update(self._table("tasks").insert_multiple(new))
                self._drop_cache("tasks")

    def delete_task(self, task_id: str) -> bool:
        return self._delete("tasks", "id", task_id)

    def dependents_of(self, task_ids: Iterable[str]) -> list[Task]:
        """The tasks (done ones too) whose ``depends_on`` names one of ``task_ids``, in file
        order; only those are decoded."""
        wanted = set(task_ids)
        with self._mutex:
            return [self._typed_one("tasks", codec.task_from_doc, int(key))
                    for key, doc in self._data["tasks"].items()
                    if isinstance(deps := doc.get("depends_on"), list)
                    and any(isinstance(d, str) and d in wanted for d in deps)]

    def delete_tasks(self, task_ids: Iterable[str]) -> int:
        """Delete many tasks with one pass over the table (an import undone): deleting them one
        by one costs a pass each (TinyDB's remove reads the whole table), 26 s for 9,000."""
        with self.transaction():
            index = self._index("tasks", "id")
            return self._remove_many("tasks", [index[i] for i in dict.fromkeys(task_ids) if i in index])

    def _remove_many(self, table: str, doc_ids: list[int]) -> int:
        """Remove documents by id with one pass over ``table`` (inside a transaction)."""
        if doc_ids:
            with self._writing(table) as ids:
                self._table(table).remove(doc_ids=doc_ids)
                ids.update(doc_ids)
            self._drop_cache(table)
        return len(doc_ids)

    def tasks_from(self, prefix: str) -> dict[str, Task]:
        """The tasks imported from sources starting with ``prefix`` (``jira:``), by source; only
        those are decoded."""
        with self._mutex:
            wanted = [doc_id for doc_id, d in self._data["tasks"].items()
                      if isinstance(d.get("source"), str) and d["source"].startswith(prefix)]
            tasks = [self._typed_one("tasks", codec.task_from_doc, int(doc_id)) for doc_id in wanted]
        return {t.source: t for t in tasks if t.source}

    def task_ids_in(self, project: str) -> list[str]:
        """The ids of the tasks (done ones too) of ``project``, in file order, none decoded."""
        with self._mutex:
            return [str(doc.get("id")) for doc in self._data["tasks"].values() if doc.get("project") == project]

    def next_task_number(self, project: str, taken: Iterable[str] = ()) -> int:
        """The next free number for ids of the form ``PROJECT-N``, above every task's and
        every id in ``taken`` (ids of deleted tasks, not to be given again)."""
        prefix = f"{project}-"
        highest = 0
        for task_id in (*self._index("tasks", "id"), *taken):
            if isinstance(task_id, str) and task_id.startswith(prefix) and task_id[len(prefix) :].isdigit():
                highest = max(highest, int(task_id[len(prefix) :]))
        return highest + 1

    # ------------------------------------------------------------ meetings

    def meetings(self) -> list[Meeting]:
        with self._mutex:
            return list(self._typed("meetings", codec.meeting_from_doc).values())

    def meetings_within(self, first: date, last: date) -> list[Meeting]:
        """The meetings that can have an occurrence between local dates ``first`` and ``last``
        (inclusive), read in any zone: every single meeting whose dates, widened by two
        days for zone offsets, touch that range, and every recurring master and override
        (and the singles sharing a UID with an override) whatever their dates.

        Only those are decoded: a database with years of past meetings pays for the weeks
        shown, not for its history (30k meetings, 25k of them past: ~0.8 s of decoding
        at start-up otherwise). A :class:`~tpm_tui.logic.recurrence.MeetingIndex` of this
        list answers every window inside ``first``..``last`` as one of all meetings would.
        """
        lo = (first - _TWO_DAYS).isoformat()
        # ISO text compares as the instant it names: "end < lo" is "end's date < lo", and
        # "start > hi~" is "start's date > hi" ("T" and the end of a date sort before "~")
        hi = (last + _TWO_DAYS).isoformat() + "~"
        with self._mutex:
            docs = self._data["meetings"]
            overridden = {doc.get("uid") for doc in docs.values() if doc.get("recurrence_id") is not None}
            kept: list[int] = []
            for doc_id, doc in docs.items():
                get = doc.get
                start, end = get("start"), get("end")
                try:  # the dates first: most meetings of a long history are away from the range
                    away = end < lo or start > hi
                except TypeError:  # not text: decoded, and the decoder says what is wrong
                    away = False
                if (away and len(start) >= 10 and len(end) >= 10 and get("recurrence_id") is None
                        and not get("rrule") and not get("rdate") and get("uid") not in overridden):
                    continue  # a single meeting away from the range
                kept.append(int(doc_id))
            with paused_gc():
                return [self._typed_one("meetings", codec.meeting_from_doc, i) for i in kept]

    def _meeting_index(self) -> dict[tuple[str, str | None], int]:
        index = self._cache.get("index:meetings:key")
        if index is None:
            index = {(d["uid"], d.get("recurrence_id")): int(i) for i, d in self._data["meetings"].items()}
            self._cache["index:meetings:key"] = index
        return index

    def meeting(self, uid: str, recurrence_id: str | None = None) -> Meeting | None:
        with self._mutex:
            doc_id = self._meeting_index().get((uid, recurrence_id))
            return None if doc_id is None else self._typed_one("meetings", codec.meeting_from_doc, doc_id)

    def put_meetings(self, meetings: Iterable[Meeting]) -> None:
        """Insert or replace meetings by (uid, recurrence_id), with one write."""
        with self.transaction():
            index = self._meeting_index()
            table = self._table("meetings")
            new: list[dict[str, Any]] = []
            replace: dict[int, dict[str, Any]] = {}
            for m in meetings:
                doc = codec.meeting_to_doc(m)
                doc_id = index.get(m.key)
                if doc_id is None:
                    new.append(doc)
                else:
                    replace[doc_id] = doc
            if replace:
                by_key = {(d["uid"], d["recurrence_id"]): d for d in replace.values()}

                def swap(doc: dict[str, Any]) -> None:
                    fresh = by_key[(doc["uid"], doc.get("recurrence_id"))]
                    doc.clear()
                    doc.update(fresh)

                with self._writing("meetings") as ids:
                    table.update(swap, doc_ids=list(replace))
                    ids.update(replace)
            if new:
                with self._writing("meetings") as ids:
                    ids.update(table.insert_multiple(new))
            self._drop_cache("meetings")

    def delete_meetings(self, keys: Iterable[tuple[str, str | None]]) -> int:
        with self.transaction():
            index = self._meeting_index()
            return self._remove_many("meetings", [index[k] for k in keys if k in index])

    # ------------------------------------------------------------ settings

    # ------------------------------------------------------------ my notes on meetings

    def meeting_notes(self) -> list[MeetingNotes]:
        """Every meeting's notes, in the order the meetings were (their start as noted)."""
        with self._mutex:
            found = self._typed("notes", codec.meeting_notes_from_doc).values()
        return sorted(found, key=lambda n: (_start_key(n.start), n.key))

    def meeting_notes_of(self, key: str) -> MeetingNotes | None:
        """The notes whose key is ``uid|occurrence`` (:attr:`MeetingNotes.key`)."""
        with self._mutex:
            doc_id = self._index("notes", "key").get(key)
            return None if doc_id is None else self._typed("notes", codec.meeting_notes_from_doc)[doc_id]

    def put_meeting_notes(self, notes: MeetingNotes) -> bool:
        return self._put("notes", "key", codec.meeting_notes_to_doc(notes))

    def delete_meeting_notes(self, key: str) -> bool:
        return self._delete("notes", "key", key)

    def settings(self) -> Settings:
        with self._mutex:
            docs = self._data["settings"]
            key, doc = next(iter(docs.items()), ("1", None))
            try:
                return codec.settings_from_doc(doc)
            except Exception as exc:  # noqa: BLE001 - named with its record
                raise self._unreadable("settings", key, doc, exc) from None

    def put_settings(self, settings: Settings) -> None:
        with self.transaction():
            doc = codec.settings_to_doc(settings)
            table = self._table("settings")
            with self._writing("settings") as ids:
                if self._data["settings"]:
                    doc_id = int(next(iter(self._data["settings"])))
                    table.upsert(Document(doc, doc_id=doc_id))
                else:
                    doc_id = table.insert(doc)
                ids.add(doc_id)
            self._drop_cache("settings")

    # ------------------------------------------------------------ journal

    def journal(self) -> list[JournalEntry]:
        with self._mutex:
            return sorted(self._typed("journal", codec.journal_from_doc).values(), key=lambda j: j.id)

    def add_journal(self, entry: JournalEntry) -> JournalEntry:
        """Append an entry; its id is assigned here (one more than the highest)."""
        with self.transaction():
            next_id = 1 + max((int(d["id"]) for d in self._data["journal"].values()), default=0)
            entry = JournalEntry(
                id=next_id,
                at=entry.at,
                action=entry.action,
                summary=entry.summary,
                before=entry.before,
                after=entry.after,
                undone=entry.undone,
                extra=entry.extra,
            )
            with self._writing("journal") as ids:
                doc_id = self._table("journal").insert(codec.journal_to_doc(entry))
                ids.add(doc_id)
            self._refresh_typed("journal", doc_id)
            index = self._cache.get("index:journal:id")
            if index is not None:
                index[next_id] = doc_id
            return entry

    def prune_journal(self, keep: int) -> int:
        """Drop the oldest entries so that at most ``keep`` remain; returns how many went."""
        with self.transaction():
            docs = sorted(self._data["journal"].items(), key=lambda kv: int(kv[1]["id"]))
            extra = docs[: max(0, len(docs) - keep)]
            if extra:
                with self._writing("journal") as ids:
                    self._table("journal").remove(doc_ids=[int(k) for k, _ in extra])
                    ids.update(int(k) for k, _ in extra)
                self._drop_cache("journal")
            return len(extra)

    def put_journal(self, entry: JournalEntry) -> None:
        self._put("journal", "id", codec.journal_to_doc(entry))

    # ------------------------------------------------------------ meta

    def schema_version(self) -> int:
        with self._mutex:
            for doc in self._data["meta"].values():
                if "schema_version" in doc:
                    return int(doc["schema_version"])
            return migrations.SCHEMA_VERSION

    def counts(self) -> dict[str, int]:
        with self._mutex:
            return {name: len(self._data[name]) for name in TABLES if name != "meta"}


_TWO_DAYS = timedelta(days=2)

def _start_key(value: Any) -> str:
    """Orders dates and times together: by the UTC instant's text (a date: its midnight)."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo is not None else value).strftime("%Y-%m-%dT%H:%M")
    return f"{value.isoformat()}T00:00"


def _why(doc: Any, exc: Exception) -> str:
    """What is wrong with a document that does not decode: ``field 'due': expected …``."""
    if isinstance(exc, codec.RecordError):
        return f"field {exc.field!r}" + (f" {exc.problem}" if exc.problem.startswith("is ") else f": {exc.problem}")
    if not isinstance(doc, dict):
        return f"expected an object, found {type(doc).__name__}"
    return f"{type(exc).__name__}: {exc}"


_KEYS = {"people": "handle", "projects": "key", "tasks": "id", "meetings": "uid", "journal": "id", "notes": "key"}
"""The field that names a record of each table (said with a record that cannot be read)."""

_CONVERTERS = {
    "people": codec.person_from_doc,
    "projects": codec.project_from_doc,
    "tasks": codec.task_from_doc,
    "meetings": codec.meeting_from_doc,
    "journal": codec.journal_from_doc,
    "notes": codec.meeting_notes_from_doc,
}
