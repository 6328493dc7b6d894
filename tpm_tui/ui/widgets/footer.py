"""The key footer, rebuilt only when the keys it shows changed."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's ``Footer``, drawn the same, but it recomposes (mounts a widget per key, and
    styles each) only when what it shows changed, and styles each key once.

    Textual asks the footer to recompose on every focus change, screen resume and
    ``bindings=True`` reactive (three times before the dashboard's first frame alone, and
    again on each cursor move that does not change which keys are enabled); with the
    dashboard's dozen keys each recompose costs tens of milliseconds.
    """

    def __init__(self) -> None:
        super().__init__()
        self._queued = False
        self._shown: Hashable = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # A binding's key starts compact (``FooterKey.compact`` defaults to True) and
                # is then bound to the footer's (False): its styles were computed three times
                # over. Starting it at the footer's value leaves one; it looks the same. (The
                # palette key is not bound to the footer: it stays compact, as Textual has it.)
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._queued:
            self._queued = True  # one recompose for any number of changes before the next frame
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._queued = False
        shown = self._signature()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _signature(self) -> Hashable:
        """Everything ``Footer.compose`` reads."""
        app = self.app
        return (
            tuple(
                (binding, enabled, tooltip, app.get_key_display(binding))
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            ),
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            app.COMMAND_PALETTE_BINDING,
        )
