"""User-facing errors: each carries one line that says what is wrong and where."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class TpmError(Exception):
    """An error the user can act on. ``str(err)`` is the one line shown to them."""

    exit_code = 1


class StoreError(TpmError):
    """The database file cannot be used (corrupt, not ours, unwritable, locked)."""


class SchemaTooNewError(StoreError):
    """The file was written by a newer tpm."""


class InputError(TpmError):
    """A value given on the command line or in a form is invalid."""

    exit_code = 2


class NotFoundError(TpmError):
    """A task, person or project that was named does not exist."""


class ImportFailed(TpmError):
    """A calendar file could not be imported at all."""


SHOWN_NAMES = 8
"""How many known handles an unknown-person line lists before it says how many more."""


def no_person(asked: str | list[str], people: Iterable[Any]) -> str:
    """The one line for handles that name nobody: ``no person 'pria' — did you mean
    'priya' (Priya Raman)? (people: ...)``. ``people`` is everyone known (each with ``handle`` and ``name``). A close
    handle, or a person whose name or first name is the word given, is offered; the
    people are listed up to :data:`SHOWN_NAMES` (a team of 200 would make one line a
    screen long), then counted with where to see them all."""
    import difflib

    words = [asked] if isinstance(asked, str) else list(asked)
    names = {p.handle: p.name for p in people}
    offers: list[str] = []
    for word in words:
        low = word.strip().lower()
        by_name = [h for h, n in names.items() if n and (n.lower() == low or n.split()[0].lower() == low)]
        scored = []
        for h in names:
            ratio = difflib.SequenceMatcher(None, low, h.lower()).ratio()
            if ratio >= 0.6:  # difflib's own cut-off for a close match
                scored.append((-round(ratio, 3), abs(len(h) - len(low)), h))  # ties: the nearest length, A–Z
        close = [h for *_, h in sorted(scored)[:3]]
        for h in dict.fromkeys(by_name + close):
            if h not in offers and h not in words:
                offers.append(h)
    head = f"no person {', '.join(map(repr, words))}"
    if offers:
        shown = [f"{h!r} ({names[h]})" if names.get(h) else repr(h) for h in offers[:3]]
        head += f" — did you mean {' or '.join(shown)}?"
    handles = sorted(names)
    if not handles:
        return f"{head} (no people yet: tpm person add)"
    if len(handles) <= SHOWN_NAMES:
        return f"{head} (people: {', '.join(handles)})"
    return f"{head} ({len(handles)} people: {', '.join(handles[:SHOWN_NAMES])}, …; tpm person list shows all)"
