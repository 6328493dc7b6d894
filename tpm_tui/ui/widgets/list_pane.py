"""A dashboard pane holding one ``OptionList`` of bounded rows, with an empty-state hint."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tpm_tui.ui.messages import DashboardData


@dataclass(frozen=True)
class Row:
    """One option: ``item`` is what the Detail pane shows; ``key`` survives reloads."""

    prompt: RenderableType
    item: Any = None
    key: Hashable | None = None


FIRST_CHUNK = 60
"""Rows given to the first paint; enough for any screen, the rest follow a frame later."""


class ListPane(Vertical):
    """Base of the Today, At risk and Workload panes."""

    data: reactive[DashboardData | None] = reactive(None, layout=True)
    """The dashboard shown (bound from the screen)."""
    filter_text: reactive[str] = reactive("")
    """The ``/`` filter (bound from the screen; panes that do not filter ignore it)."""

    EMPTY_HINT = ""
    TITLE = ""

    @dataclass
    class ItemHighlighted(Message):
        pane: ListPane
        item: Any

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id, classes="pane")
        self.border_title = self.TITLE
        self._rows: list[Row | None] = []
        self._key: Hashable | None = None
        self._index: int | None = None
        self._pending: list[Option] = []
        self._generation = 0
        self._prompts: dict[Hashable, tuple[object, RenderableType]] = {}
        self._shown: tuple[list[Hashable | None], list[object]] = ([], [])

    def compose(self) -> ComposeResult:
        yield OptionList(id=f"{self.id}-list")
        yield Static(Text(self.EMPTY_HINT), classes="empty-hint")

    @property
    def option_list(self) -> OptionList:
        return self.query_one(OptionList)

    def build(self, data: DashboardData) -> Sequence[Row | Text]:
        """Rows to show; a bare ``Text`` is a disabled separator (e.g. the now-line)."""
        raise NotImplementedError

    def prompt(self, key: Hashable, signature: object, make: Callable[[], RenderableType]) -> RenderableType:
        """The row drawn for ``key`` last time if ``signature`` (what it shows) is unchanged.

        A recompute after one action changes a row or two: the others keep their drawn
        (and measured) lines instead of being wrapped and rendered again.
        """
        hit = self._prompts.get(key)
        if hit is not None and hit[0] == signature:
            return hit[1]
        made = make()
        self._prompts[key] = (signature, made)
        return made

    def default_index(self, rows: Sequence[Row | None]) -> int | None:
        return next((i for i, r in enumerate(rows) if r is not None), None)

    def watch_data(self, data: DashboardData | None) -> None:
        self.rebuild()

    def watch_filter_text(self, old: str, new: str) -> None:
        if self.FILTERS and old != new:
            self._index = None  # a new filter starts at the top (or on the same row if still shown)
            self.rebuild()

    FILTERS = False
    """True for the panes the ``/`` filter narrows."""

    def rebuild(self) -> None:
        data = self.data
        if data is None:
            return
        self._generation += 1
        built = self.build(data)
        if len(self._prompts) > 4 * len(built) + 100:
            keep = {r.key for r in built if isinstance(r, Row)}
            self._prompts = {k: v for k, v in self._prompts.items() if k in keep}
        self._rows = [r if isinstance(r, Row) else None for r in built]
        options = [
            Option(r.prompt, id=f"o{i}") if isinstance(r, Row) else Option(r, id=f"o{i}", disabled=True)
            for i, r in enumerate(built)
        ]
        empty = not any(self._rows)
        self.set_class(empty, "-empty")
        if empty:
            filtered = self.FILTERS and self.filter_text.strip()
            hint = "Nothing matches the filter — esc clears it." if filtered else self.EMPTY_HINT
            self.query_one(".empty-hint", Static).update(Text(hint))
        index = None
        if self._key is not None:
            index = next((i for i, r in enumerate(self._rows) if r is not None and r.key == self._key), None)
        if index is None and self._key is not None and self._index is not None:
            # the selected row went away (done, snoozed, filtered out): stay at its place
            selectable = [i for i, r in enumerate(self._rows) if r is not None]
            after = [i for i in selectable if i >= self._index]
            index = after[0] if after else (selectable[-1] if selectable else None)
        if index is None:
            index = self.default_index(self._rows)
        ol = self.option_list
        prompts = [r.prompt if isinstance(r, Row) else r for r in built]
        keys = [r.key if isinstance(r, Row) else None for r in built]
        if not self._edit_in_place(ol, keys, prompts):
            # Paint a screenful first; the rest of the (bounded) rows follow right after.
            first = max(FIRST_CHUNK, (index or 0) + FIRST_CHUNK // 2)
            ol.set_options(options[:first])
            if len(options) > first:
                self._pending = options[first:]
                self.call_after_refresh(self._add_pending, self._generation)
            else:
                self._pending = []
        self._shown = (keys, prompts)
        ol.highlighted = index
        if index is not None:
            ol.scroll_to_highlight()
        self.post_message(self.ItemHighlighted(self, self.current_item()))

    def _edit_in_place(self, ol: OptionList, keys: list[Hashable | None], prompts: list[object]) -> bool:
        """After one triage action most rows are unchanged: replace the changed prompts (and
        drop a row that left) instead of setting every option again, which re-measures all
        of them. False when the change is bigger than that (then the caller rebuilds)."""
        old_keys, old_prompts = self._shown
        if self._pending or not old_keys or ol.option_count != len(old_keys) or None in keys:
            return False
        if len(keys) == len(old_keys) - 1:
            gone = next((i for i, (a, b) in enumerate(zip(old_keys, keys)) if a != b), len(keys))
            if old_keys[:gone] + old_keys[gone + 1:] != keys:
                return False
            ol.remove_option_at_index(gone)
            old_prompts = old_prompts[:gone] + old_prompts[gone + 1:]
        elif keys != old_keys:
            return False
        for i, (before, after) in enumerate(zip(old_prompts, prompts)):
            if before is not after:
                ol.replace_option_prompt_at_index(i, after)  # type: ignore[arg-type]
        return True

    def _add_pending(self, generation: int) -> None:
        if generation == self._generation and self._pending:
            self.option_list.add_options(self._pending)
            self._pending = []

    def select_key(self, key: Hashable) -> bool:
        """Highlight the row with ``key`` (True when it is shown)."""
        index = next((i for i, r in enumerate(self._rows) if r is not None and r.key == key), None)
        if index is None:
            return False
        ol = self.option_list
        if index >= ol.option_count and self._pending:
            self._add_pending(self._generation)
        ol.highlighted = index
        ol.scroll_to_highlight()
        return True

    def current_item(self) -> Any:
        index = self.option_list.highlighted
        if index is None or index >= len(self._rows):
            return None
        row = self._rows[index]
        return None if row is None else row.item

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        row = self._rows[event.option_index] if event.option_index < len(self._rows) else None
        if row is not None:
            self._key = row.key
            self._index = event.option_index
        self.post_message(self.ItemHighlighted(self, None if row is None else row.item))
