"""The key footer: one widget drawing one line, instead of a widget per key.

Textual's ``Footer`` mounts a ``FooterKey`` widget per binding and styles each through
the CSS engine; it recomposes on every focus change, screen resume and ``bindings=True``
reactive. With the dashboard's dozen keys that cost about 0.1 s of CPU before the first
frame (measured: whole-process CPU time of ``TPM_EXIT_AFTER_FIRST_PAINT=1 tpm`` with
and without it), a seventh of the first paint. This footer reads the same
``screen.active_bindings``, draws the same line (key in the footer's key colours, then
its description; disabled keys dim; the palette key at the right edge behind a rule),
and redraws only when what it shows changed. A click on a key presses it, as
Textual's does.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class _Key(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen's active bindings (``show=True``), on one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-item-background;
        }
        & > .footer-key--hover {
            background: $block-hover-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._queued = False
        self._shown: Hashable = None
        self._keys: tuple[_Key, ...] = ()
        self._palette: _Key | None = None
        self._spans: list[tuple[int, int, _Key]] = []  # x range of each drawn key
        self._hover: str | None = None

    # ------------------------------------------------------------ what it shows

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._update()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and not self._queued:
            self._queued = True  # one update for any number of changes before the next frame
            self.call_after_refresh(self._update)

    def _update(self) -> None:
        self._queued = False
        if not self.is_attached:
            return  # its screen was closed (guided triage left) before this ran
        if self._in_inline_dialog():
            # Keys stop at a dialog drawn on the screen (the snooze picker) as at a modal
            # screen: the footer keeps the screen's keys, as under a modal screen, and has
            # nothing to redraw when the dialog closes.
            return
        app = self.app
        keys: list[_Key] = []
        palette: _Key | None = None
        seen_actions: set[str] = set()
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if app.ENABLE_COMMAND_PALETTE and key == app.COMMAND_PALETTE_BINDING:
                palette = _Key(binding.key, app.get_key_display(binding), binding.description, enabled)
                continue
            if not binding.show or binding.action in seen_actions:
                continue  # one key per action, as Textual's footer shows
            seen_actions.add(binding.action)
            keys.append(_Key(binding.key, app.get_key_display(binding), binding.description, enabled))
        shown = (tuple(keys), palette)
        if shown != self._shown:
            self._shown = shown
            self._keys, self._palette = shown
            self.refresh()

    def _in_inline_dialog(self) -> bool:
        """The focus is inside a modal widget (not a screen) on this footer's screen."""
        screen = self.screen
        node = screen.focused
        while node is not None and node is not screen:
            if node.is_modal:
                return True
            node = node.parent  # type: ignore[assignment]
        return False

    @property
    def keys_shown(self) -> tuple[str, ...]:
        """The keys drawn from the left, in order (for tests)."""
        return tuple(k.key for k in self._keys)

    @property
    def palette_key(self) -> str | None:
        """The command palette's key drawn at the right edge, if any."""
        return None if self._palette is None else self._palette.key

    # ------------------------------------------------------------ drawing

    def render(self) -> Text:
        width = self.size.width
        key_style = self.get_component_rich_style("footer-key--key", partial=True)
        desc_style = self.get_component_rich_style("footer-key--description", partial=True)
        hover_style = self.get_component_rich_style("footer-key--hover", partial=True)
        dim = Style(dim=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, _Key]] = []

        def draw(k: _Key, out: Text, into: list[tuple[int, int, _Key]]) -> None:
            start = len(out)
            extra = hover_style if k.key == self._hover else Style()
            out.append(f" {k.display} ", key_style + extra + (Style() if k.enabled else dim))
            if k.description:
                out.append(f"{k.description} ", desc_style + extra + (Style() if k.enabled else dim))
            into.append((start, len(out), k))

        for k in self._keys:
            draw(k, line, spans)
        if self._palette is not None:
            tail = Text(end="")
            tail.append("▏", dim)
            tail_spans: list[tuple[int, int, _Key]] = []
            draw(self._palette, tail, tail_spans)
            # the palette key sits at the right edge; the keys that do not fit whole before it
            # are left out (never half a key: a lone "[" reads as a key of its own)
            room = max(0, width - len(tail))
            if len(line) > room:
                spans = [s for s in spans if s[1] <= room]
                line.truncate(spans[-1][1] if spans else 0)
            line.append(" " * (room - len(line)))
            spans.extend((a + room, b + room, k) for a, b, k in tail_spans)
            line.append_text(tail)
        self._spans = spans
        return line

    # ------------------------------------------------------------ mouse

    def _key_at(self, x: int) -> _Key | None:
        for a, b, k in self._spans:
            if a <= x < b:
                return k
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        k = self._key_at(event.x)
        hover = k.key if k is not None else None
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        k = self._key_at(event.x)
        if k is None:
            return
        event.stop()
        if k.enabled:
            self.app.simulate_key(k.key)
        else:
            self.app.bell()
