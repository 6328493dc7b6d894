"""What the dashboard last showed, per database: the levels of its tasks at risk, and when.

Kept beside the user's state (``platformdirs`` state folder, ``tpm-tui/seen-<hash>.json``,
one file per database path), not in the database: it is the screen's memory, not data —
writing it must not touch the database file (another open dashboard would reload), and
losing it loses nothing but one "since you last looked" note.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from tpm_tui.logic.changes import Changes, changes_since, levels_of
from tpm_tui.logic.results import RiskItem
from tpm_tui.paths import APP_NAME

if TYPE_CHECKING:
    from tpm_tui.storage import Store


def seen_path(db: Path) -> Path:
    from platformdirs import user_state_path

    key = hashlib.sha1(str(db.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return user_state_path(APP_NAME, appauthor=False) / f"seen-{key}.json"


def _read(path: Path, db: Path) -> tuple[datetime, dict[str, str]] | None:
    """The last look, or None (never, unreadable, or another database's file)."""
    try:
        doc = orjson.loads(path.read_bytes())
        if doc.get("db") != str(db.resolve()):
            return None
        levels = doc["levels"]
        if not isinstance(levels, dict):
            return None
        return datetime.fromisoformat(doc["at"]), {str(k): str(v) for k, v in levels.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def look(store: Store, items: Sequence[RiskItem], now: datetime) -> Changes | None:
    """Compare ``items`` (the risk list now on screen) with the last look at this database,
    then remember them as the new last look. None when there is nothing to compare with
    (the first look, an in-memory store) — or nothing changed."""
    db = store.path
    if db is None:
        return None
    last = _read(seen_path(db), db)
    changes = None
    if last is not None:
        since, before = last
        imported = [e for e in store.journal() if e.action == "import" and e.at > since and not e.undone]
        meetings: dict[str, int] = {}
        for e in imported:
            counts = e.extra.get("counts")
            for word, n in (counts.items() if isinstance(counts, dict) else ()):
                meetings[str(word)] = meetings.get(str(word), 0) + int(n)
        changes = changes_since(before, since, items, imports=len(imported), meetings=meetings) or None
    remember(store, items, now)
    return changes


def remember(store: Store, items: Sequence[RiskItem], now: datetime) -> None:
    """Keep ``items`` as the last look at this database (the dashboard does at exit too, so
    that what the user solved during the session is not news the next morning).

    Written to a temporary file and renamed over the old one, without ``fsync``: a crash
    may lose this note, never leave half of it (and never costs an exit 10-20 ms)."""
    db = store.path
    if db is None:
        return
    path = seen_path(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(orjson.dumps({"db": str(db.resolve()), "at": now.isoformat(), "levels": levels_of(items)}))
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: the note is lost, nothing else


__all__ = ["look", "remember", "seen_path"]
