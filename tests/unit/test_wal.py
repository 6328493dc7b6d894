"""The write-ahead log: small durable appends, replay, torn tails, failures, checkpoints."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from tpm_tui.domain import StoreError, Task
from tpm_tui.storage import Store
from tpm_tui.storage import store as store_module


def _task(n: int, title: str = "t") -> Task:
    return Task(id=f"W-{n}", project="W", title=title)


def _wal(db: Path) -> Path:
    return Path(str(db) + ".wal")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.json"
    Store.open(path).put_task(_task(0))  # creates the main file (a full write)
    return path


def test_a_small_change_is_appended_not_rewritten(db: Path) -> None:
    main = db.read_bytes()
    Store.open(db).put_task(_task(1, "appended"))
    assert db.read_bytes() == main  # the main file was not rewritten
    [line] = _wal(db).read_bytes().splitlines()
    entry = orjson.loads(line)
    assert entry["base"] == orjson.loads(main)["meta"]["1"]["generation"]
    assert [op[2]["title"] for op in entry["ops"]] == ["appended"]
    assert Store.open(db).task("W-1").title == "appended"  # type: ignore[union-attr]


def test_deletes_are_logged_too(db: Path) -> None:
    Store.open(db).delete_task("W-0")
    assert Store.open(db).task("W-0") is None


def test_a_torn_tail_is_ignored_and_cut_by_the_next_writer(db: Path) -> None:
    Store.open(db).put_task(_task(1, "kept"))
    with _wal(db).open("ab") as fh:
        fh.write(b'{"base": "x", "ops": [["tasks", "9", {"id": "W-9"')  # a crash mid-append
    store = Store.open(db)
    assert store.task("W-1").title == "kept" and store.task("W-9") is None  # type: ignore[union-attr]
    store.put_task(_task(2, "after the crash"))
    again = Store.open(db)
    assert again.task("W-2").title == "after the crash"  # type: ignore[union-attr]
    assert all(line.startswith(b'{"base"') for line in _wal(db).read_bytes().splitlines())
    assert _wal(db).read_bytes().endswith(b"\n")


def test_a_failed_append_is_cut_back_and_rolled_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(db)
    store.put_task(_task(1, "durable"))
    before = _wal(db).read_bytes()

    def no_space(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StoreError, match="No space left on device"):
        store.put_task(_task(2, "lost"))
    monkeypatch.undo()
    assert _wal(db).read_bytes() == before  # the written-but-not-synced line is gone
    assert store.task("W-2") is None  # memory follows the disk
    assert Store.open(db).task("W-2") is None


def test_another_process_append_is_seen_and_not_lost(db: Path) -> None:
    a = Store.open(db)
    b = Store.open(db)
    b.put_task(_task(1, "from b"))
    assert a.has_changed_on_disk()
    a.put_task(_task(2, "from a"))  # re-reads b's append under the lock first
    fresh = Store.open(db)
    assert {t.id for t in fresh.tasks()} == {"W-0", "W-1", "W-2"}
    assert a.reload() is False


def test_checkpoint_folds_the_log_into_the_main_file(db: Path) -> None:
    store = Store.open(db)
    for n in range(1, 4):
        store.put_task(_task(n))
    assert _wal(db).exists()
    assert store.checkpoint() is True
    assert not _wal(db).exists()
    assert {t["id"] for t in orjson.loads(db.read_bytes())["tasks"].values()} == {"W-0", "W-1", "W-2", "W-3"}
    assert store.checkpoint() is False  # nothing left to fold


def test_a_long_log_is_folded_automatically(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "WAL_MAX_ENTRIES", 3)
    store = Store.open(db)
    for n in range(1, 5):
        store.put_task(_task(n))
    # entries 1-3 were logged; the 4th write found the log full and rewrote the main file
    assert not _wal(db).exists()
    assert len(orjson.loads(db.read_bytes())["tasks"]) == 5


def test_a_log_left_behind_by_a_crashed_checkpoint_is_not_replayed(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(db)
    store.put_task(_task(1, "A"))
    real_unlink = Path.unlink

    def crash_before_unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name.endswith(".wal"):
            raise OSError(5, "crash")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", crash_before_unlink)
    store.checkpoint()
    monkeypatch.undo()
    assert _wal(db).exists()  # the old log is still there...
    data = orjson.loads(db.read_bytes())
    [doc_id] = [k for k, t in data["tasks"].items() if t["id"] == "W-1"]
    data["tasks"][doc_id]["title"] = "B"  # ...and the main file has moved on since
    db.write_bytes(orjson.dumps(data))
    assert Store.open(db).task("W-1").title == "B"  # type: ignore[union-attr]  # old entries name the old generation
