"""What changed in the risk list since the user last looked (pure: no files, no clock).

The dashboard keeps, per database, the level of every task it showed at risk and when
(:mod:`tpm_tui.services.seen`); at the next start it compares with the new list:

* **turned late**: late now, not late then;
* **newly at risk**: at risk now, neither late nor at risk then;
* **off the list**: late or at risk then, and now neither (done, snoozed, solved, or only
  watched) — what went well is news too.

Watch-level moves are left out: they are many and rarely a morning's business.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import NamedTuple

from tpm_tui.domain import RiskLevel
from tpm_tui.logic.results import RiskItem

SERIOUS = frozenset({RiskLevel.LATE.value, RiskLevel.AT_RISK.value})
SHOWN_IDS = 4
"""Ids named per kind of change; the rest are counted."""


class Changes(NamedTuple):
    since: datetime
    turned_late: tuple[str, ...] = ()
    newly_at_risk: tuple[str, ...] = ()
    off_the_list: tuple[str, ...] = ()
    imports: int = 0  # calendar files imported since (from the journal)
    meetings: tuple[tuple[str, int], ...] = ()  # what those imports did: ("added", 3), ("cancelled", 1)…

    def __bool__(self) -> bool:
        return bool(self.turned_late or self.newly_at_risk or self.off_the_list or self.imports)

    def text(self, tz: tzinfo) -> str:
        """``Since Sun 29 Nov 18:02: ✖ 2 turned late: API-3, DATA-7 · ▲ 1 newly at risk: API-5 · …``"""
        parts = []
        for mark, words, ids in (("✖", "turned late", self.turned_late), ("▲", "newly at risk", self.newly_at_risk),
                                 ("✓", "off the list", self.off_the_list)):
            if ids:
                named = ", ".join(ids[:SHOWN_IDS]) + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")
                parts.append(f"{mark} {len(ids)} {words}: {named}")
        if self.imports:
            did = ", ".join(f"{n} {word}" for word, n in self.meetings if n)
            parts.append(f"{self.imports} calendar file{'' if self.imports == 1 else 's'} imported"
                         + (f" ({did})" if did else ""))
        return f"Since {self.since.astimezone(tz):%a %d %b %H:%M}: " + " · ".join(parts)


def levels_of(items: Sequence[RiskItem]) -> dict[str, str]:
    """Task id -> level, as kept between two looks."""
    return {i.task.id: i.level.value for i in items}


def changes_since(before: Mapping[str, str], since: datetime, items: Sequence[RiskItem], *,
                  imports: int = 0, meetings: Mapping[str, int] | None = None) -> Changes:
    """The changes from the levels seen at ``since`` to ``items`` (ids in the list's order:
    most urgent first; those off the list by id)."""
    now = levels_of(items)
    late = tuple(i.task.id for i in items if i.level is RiskLevel.LATE and before.get(i.task.id) != "late")
    at_risk = tuple(i.task.id for i in items if i.level is RiskLevel.AT_RISK and before.get(i.task.id) not in SERIOUS)
    gone = tuple(sorted(k for k, v in before.items() if v in SERIOUS and now.get(k) not in SERIOUS))
    did = tuple((word, (meetings or {}).get(word, 0)) for word in ("added", "updated", "cancelled"))
    return Changes(since, late, at_risk, gone, imports, did if any(n for _, n in did) else ())


__all__ = ["Changes", "changes_since", "levels_of"]
