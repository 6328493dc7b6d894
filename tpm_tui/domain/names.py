"""What to call each person in a short line: the first name, unless two people share it.

Reasons (``needs 9h, Sam has 5.5h free``), odd-hours lines (``Priya 22:30–23:00 Thu``),
the At risk rows and the plan name people by their first name. In a team with two
Alexes that would say ``odd hours for Alex, Alex``; so a first name shared by several
people becomes ``Alex K.`` (the initial of the last name), and where that is still
shared (or the last word is no name, as in ``Person 12``) the full name, and where even
that is shared the handle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from tpm_tui.domain.models import Person


def short_names(names: Mapping[str, str] | Iterable[Person]) -> dict[str, str]:
    """``{handle: short name}`` for ``{handle: full name}`` (or people), each unambiguous
    among them (compared without case)."""
    full = dict(names) if isinstance(names, Mapping) else {p.handle: p.name for p in names}
    words = {h: (n or "").split() for h, n in full.items()}
    by_first: defaultdict[str, list[str]] = defaultdict(list)
    for handle, w in words.items():
        by_first[w[0].casefold() if w else handle.casefold()].append(handle)
    out: dict[str, str] = {}
    for group in by_first.values():
        if len(group) == 1:
            w = words[group[0]]
            out[group[0]] = w[0] if w else group[0]
            continue
        out.update(_tell_apart(group, words))
    return out


def _tell_apart(group: list[str], words: Mapping[str, list[str]]) -> dict[str, str]:
    """Short names for people whose first names are the same."""

    def initial(handle: str) -> str | None:
        w = words[handle]
        last = w[-1] if len(w) > 1 else ""
        return f"{w[0]} {last[0]}." if len(last) > 1 and last[0].isalpha() else None

    def unique(label: dict[str, str | None]) -> set[str]:
        seen: defaultdict[str, int] = defaultdict(int)
        for value in label.values():
            if value:
                seen[value.casefold()] += 1
        return {h for h, value in label.items() if value and seen[value.casefold()] == 1}

    out: dict[str, str] = {}
    first_try = {h: initial(h) for h in group}
    fine = unique(first_try)
    full = {h: " ".join(words[h]) or None for h in group}
    fine_full = unique(full)
    for handle in group:
        if handle in fine:
            out[handle] = first_try[handle]  # type: ignore[assignment]
        elif handle in fine_full:
            out[handle] = full[handle]  # type: ignore[assignment]
        else:
            out[handle] = handle
    return out


class Names(dict[str, str]):
    """``{handle: full name}`` that also knows each person's short name (``.short``),
    worked out once: what a screen hands to everything that names people."""

    def __init__(self, names: Mapping[str, str] | Iterable[Person] = ()) -> None:
        super().__init__(names if isinstance(names, Mapping) else {p.handle: p.name for p in names})
        self.short = short_names(self)
