"""TpmCommands: the dashboard's commands in the palette (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class TpmCommands(Provider):
    """Import, focus a pane, move the day, toggle the plan — discoverable and fuzzy-searchable."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not hasattr(screen, "action_focus_pane"):
            return []
        s = screen
        return [
            ("Import .ics…", s.action_import_ics, "Import calendar invites from a file or folder"),  # type: ignore[attr-defined]
            ("Focus: Today", partial(s.action_focus_pane, "today"), "The day's meetings"),  # type: ignore[attr-defined]
            ("Focus: At risk", partial(s.action_focus_pane, "at-risk"), "Tasks by risk score"),  # type: ignore[attr-defined]
            ("Focus: Workload", partial(s.action_focus_pane, "workload"), "Load per person"),  # type: ignore[attr-defined]
            ("Focus: Detail", partial(s.action_focus_pane, "detail"), "The selected item, or the plan"),  # type: ignore[attr-defined]
            ("Next day", partial(s.action_shift_day, 1), "Show the next day"),  # type: ignore[attr-defined]
            ("Previous day", partial(s.action_shift_day, -1), "Show the previous day"),  # type: ignore[attr-defined]
            ("Back to today", s.action_go_today, "Show today"),  # type: ignore[attr-defined]
            ("Toggle plan view", s.action_toggle_plan, "Focus blocks in the fourth pane"),  # type: ignore[attr-defined]
            ("Reload data", s.action_reload, "Re-read the database now"),  # type: ignore[attr-defined]
        ]

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
