"""Booking a time found by ``tpm meet`` (or ``m`` in the dashboard): an invitation file.

The file is an iTIP request (``METHOD:REQUEST``) organised by "me" that Outlook, Google
or Apple Calendar open and send (:func:`tpm_tui.ics.export.invite_to_ics`). Nothing is
written to the database: the invitation may never be sent; importing the file adds it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tpm_tui.domain import InputError, short_names

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tpm_tui.domain import Person
    from tpm_tui.logic.slots import Slot
    from tpm_tui.storage import Store


def file_target(text: str, field: str = "--export", example: str = "plan.ics") -> Path:
    """Where a file is to be written: a file name in a folder that exists (checked before
    anything is computed or written)."""
    target = Path(text.strip()).expanduser()
    if not text.strip():
        raise InputError(f"{field}: give a file name, e.g. {example}")
    if target.is_dir():
        raise InputError(f"{field}: {target} is a folder; give a file name, e.g. {target / example}")
    if not target.parent.is_dir():
        raise InputError(f"{field}: {target}: folder {target.parent} does not exist")
    return target


def default_invite_path(start: datetime, tz: tzinfo) -> Path:
    """``~/Downloads/meeting-2026-12-01-0900.ics`` (the home folder when there is no
    Downloads folder): where a calendar file is looked for, named by its local start."""
    import platformdirs

    folder = platformdirs.user_downloads_path()
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"meeting-{start.astimezone(tz):%Y-%m-%d-%H%M}.ics"


def default_reply_path(summary: str) -> Path:
    """``~/Downloads/reply-sprint-planning.ics`` (the home folder without a Downloads folder):
    where the reply to an invitation is offered, named by its title."""
    import re

    import platformdirs

    folder = platformdirs.user_downloads_path()
    if not folder.is_dir():
        folder = Path.home()
    slug = re.sub(r"[^a-z0-9]+", "-", summary.lower()).strip("-")[:40].strip("-") or "meeting"
    return folder / f"reply-{slug}.ics"


def write_invite(store: Store, target: Path, asked: Sequence[Person], slot: Slot, title: str, tz: Any,
                 now: datetime) -> str:
    """Write ``slot`` as an invitation to ``target`` (atomically); the sentence saying so."""
    from tpm_tui.ics.export import invite_to_ics
    from tpm_tui.logic.render import safe_text
    from tpm_tui.storage.atomic import write_bytes_atomic

    title = " ".join(title.split())
    if not title:
        raise InputError("title: give the meeting a title")
    settings = store.settings()
    me = store.person(settings.me) if settings.me else None
    names = short_names(asked)
    local = "\n".join(f"{names.get(lt.handle, lt.handle)}: {lt.start:%a %d %b %H:%M}–{lt.end:%H:%M} {lt.start:%Z}"
                      + (" (outside working hours)" if lt.odd else "") for lt in slot.local_times)
    write_bytes_atomic(target, invite_to_ics(slot.start, slot.end, title, asked, now, organizer=me,
                                             description=f"Local times:\n{local}\n\nFound by tpm meet."))
    a, b = slot.start.astimezone(tz), slot.end.astimezone(tz)
    return (f"{target}: {safe_text(title)!r} {a:%a %d %b %H:%M}–{b:%H:%M} ({tz.key}) for "
            f"{len(asked)} people — open it in your calendar to send it")


__all__ = ["default_invite_path", "file_target", "write_invite"]
