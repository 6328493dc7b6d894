"""A dashboard pane holding one ``OptionList`` of bounded rows, with an empty-state hint."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.visual import RichVisual, Visual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tpm_tui.ui.messages import DashboardData
from tpm_tui.ui.text import Hanging


@dataclass(frozen=True)
class Row:
    """One option: ``item`` is what the Detail pane shows; ``key`` survives reloads."""

    prompt: RenderableType
    item: Any = None
    key: Hashable | None = None


class _HangingVisual(RichVisual):
    """A :class:`Hanging` row, drawn as Rich draws it, measured without drawing it."""

    def get_height(self, rules: Any, width: int) -> int:
        return self._renderable.height(self._widget.app.console, width)  # type: ignore[attr-defined]


class PaneList(OptionList):
    """The ``OptionList`` of a pane.

    A row is measured by counting the lines its words wrap to, and drawn only once it
    is scrolled into view. A pane's first rows go in with just a screenful: the rest
    (its :attr:`tail`) follow a moment after the first frame, or at once when a key or
    :meth:`ListPane.select_key` needs them.
    """

    TAIL_DELAY = 0.1
    """Seconds from the frame showing the first rows to adding the tail."""

    BINDINGS = [
        # as in vi, less, taskwarrior-tui and khal: the hand stays on the letters
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id)
        self.tail: list[Option] = []
        self._tail_timer: Timer | None = None
        self._size_seen: tuple[object, ...] | None = None
        self._size_result = False

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """Textual's, skipped when nothing it looks at changed since the last call.

        Textual calls this for every widget on every layout refresh of the screen, and a
        ``ScrollView`` compares the virtual size it is given (its region, for a widget that
        is not a container) with its own (the rows'): never equal for a list longer than
        the pane, so each refresh re-synced and redrew the scrollbar of every pane, a few
        ms each (measured at 10k tasks: 1-3 ms per pane, on every frame after a key).
        """
        seen = (size, virtual_size, container_size, self.virtual_size, self.scroll_offset)
        if seen == self._size_seen:
            return self._size_result
        result = super()._size_updated(size, virtual_size, container_size, layout)
        self._size_seen = (size, virtual_size, container_size, self.virtual_size, self.scroll_offset)
        self._size_result = result
        return result

    def _get_visual(self, option: Option) -> Visual:
        if option._visual is None and isinstance(option.prompt, Hanging):  # noqa: SLF001
            option._visual = _HangingVisual(self, option.prompt)  # noqa: SLF001
        return super()._get_visual(option)

    def set_rows(self, options: list[Option], first: int | None = None) -> None:
        """Show ``options``: all of them, or the ``first`` few now and the rest just after."""
        self.tail = []
        if self._tail_timer is not None:
            self._tail_timer.stop()
            self._tail_timer = None
        if first is None or first >= len(options):
            self.set_options(options)
            return
        self.set_options(options[:first])
        self.tail = options[first:]
        self.call_after_refresh(self._fill_later, self.tail)

    def _fill_later(self, tail: list[Option]) -> None:
        """The frame with the first rows is painted: the tail follows once the screen is quiet."""
        if tail is self.tail:
            self._tail_timer = self.set_timer(self.TAIL_DELAY, self.fill, name="pane tail")

    def fill(self) -> None:
        """Add the tail now."""
        if self._tail_timer is not None:
            self._tail_timer.stop()
            self._tail_timer = None
        if self.tail:
            tail, self.tail = self.tail, []
            self.add_options(tail)

    # Keys that may move past the rows added so far (wrap-around included) add the tail first.

    def action_cursor_down(self) -> None:
        self.fill()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self.fill()
        super().action_cursor_up()

    def action_last(self) -> None:
        self.fill()
        super().action_last()

    def action_page_down(self) -> None:
        self.fill()
        super().action_page_down()


class ListPane(Vertical):
    """Base of the Today, At risk and Workload panes."""

    # Neither repaints the pane itself: a rebuild changes the list (which refreshes just
    # its own lines), and a title or class that changes refreshes what it needs. A
    # repaint of the bordered pane redrew every line under it on each new dashboard (all
    # four panes after every recompute, the At risk pane twice per triage key).
    data: reactive[DashboardData | None] = reactive(None, repaint=False)
    """The dashboard shown (bound from the screen)."""
    filter_text: reactive[str] = reactive("", repaint=False)
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
        self._prompts: dict[Hashable, tuple[object, RenderableType]] = {}
        self._shown: tuple[list[Hashable | None], list[object]] = ([], [])

    LIST: type[PaneList] = PaneList
    """The list widget of the pane (a pane with keys of its own gives a subclass)."""

    def compose(self) -> ComposeResult:
        yield self.LIST(id=f"{self.id}-list")
        yield Static(Text(self.EMPTY_HINT), classes="empty-hint")

    @property
    def option_list(self) -> PaneList:
        return self.query_one(PaneList)

    def build(self, data: DashboardData) -> Sequence[Row | Text]:
        """Rows to show; a bare ``Text`` is a disabled separator (e.g. the now-line)."""
        raise NotImplementedError

    def empty_hint(self, data: DashboardData) -> str:
        """What an empty pane says (unfiltered)."""
        return self.EMPTY_HINT

    def prompt(self, key: Hashable, signature: object, make: Callable[[], Hanging]) -> RenderableType:
        """The row drawn for ``key`` last time if ``signature`` (what it shows) is unchanged.

        A recompute after one action changes a row or two: the others keep their drawn
        (and measured) lines instead of being wrapped and rendered again. A new row is
        built by ``make`` only once it is measured (rows past the first screenful are
        added after the first frame).
        """
        hit = self._prompts.get(key)
        if hit is not None and hit[0] == signature:
            return hit[1]
        made = Hanging.later(make)
        self._prompts[key] = (signature, made)
        return made

    def default_index(self, rows: Sequence[Row | None]) -> int | None:
        return next((i for i, r in enumerate(rows) if r is not None), None)

    def content_signature(self, data: DashboardData) -> object:
        """Everything :meth:`build` reads besides the filter, or None (always rebuild).

        A recompute after a triage key hands every pane new data; a pane whose rows cannot
        have changed (Today, after a task action) skips the rebuild and its redraw."""
        return None

    def watch_data(self, data: DashboardData | None) -> None:
        if data is not None:
            signature = self.content_signature(data)
            if signature is not None and signature == self._built_signature:
                return
        self.rebuild()

    def watch_filter_text(self, old: str, new: str) -> None:
        if self.FILTERS and old != new:
            self._index = None  # a new filter starts at the top (or on the same row if still shown)
            self.rebuild()

    FILTERS = False
    """True for the panes the ``/`` filter narrows."""

    _built_signature: object = None

    def rebuild(self) -> None:
        data = self.data
        if data is None:
            return
        self._built_signature = self.content_signature(data)
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
            hint = "Nothing matches the filter — esc clears it." if filtered else self.empty_hint(data)
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
            first = None
            if not self._shown[0]:
                # The pane's first rows: a screenful (every row is at least a line) now, so
                # the first frame measures and builds only what it shows; the rest follow.
                first = (index or 0) + max(1, ol.scrollable_content_region.height or self.app.size.height)
            ol.set_rows(options, first)
        self._shown = (keys, prompts)
        ol.highlighted = index
        if index is not None:
            # Remember the row now shown selected: setting the same index again (the
            # selected row left and the next one moved up into its place) posts no
            # highlight event, and a stale key would make the next rebuild fall back to
            # the place instead of following this task when it moves.
            row = self._rows[index] if index < len(self._rows) else None
            if row is not None:
                self._key, self._index = row.key, index
            ol.scroll_to_highlight()
        self.post_message(self.ItemHighlighted(self, self.current_item()))

    def _edit_in_place(self, ol: PaneList, keys: list[Hashable | None], prompts: list[object]) -> bool:
        """After one triage action most rows are unchanged: replace the changed prompts (and
        drop a row that left) instead of setting every option again, which re-measures all
        of them. False when the change is bigger than that (then the caller rebuilds)."""
        old_keys, old_prompts = self._shown
        if not old_keys or ol.tail or ol.option_count != len(old_keys) or None in keys:
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

    def select_key(self, key: Hashable) -> bool:
        """Highlight the row with ``key`` (True when it is shown)."""
        index = next((i for i, r in enumerate(self._rows) if r is not None and r.key == key), None)
        if index is None:
            return False
        ol = self.option_list
        if index >= ol.option_count:
            ol.fill()
        ol.highlighted = index
        self._key, self._index = key, index
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
