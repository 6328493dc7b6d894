"""Keys typed fast into a text field act in the order they were typed.

Textual's ``Input`` inserts a printable key in its own handler, but runs a bound key
(backspace, ctrl+u, arrows, enter, …) only once the key has bubbled back up to the app.
Typed faster than the app answers — a burst from a fast typist, or keys queued while the
dashboard recomputes — a later character is inserted before the earlier backspace runs:
``2026-12-3 ⌫ 1`` gave ``2026-12-3`` instead of ``2026-12-1``, and ``tab tab ctrl+u
9999-12-31 ⏎`` in the edit form cleared the due date it had just typed and saved none.
That is Textual issue #6605 (fix proposed upstream in pull request #6631, open).

Until Textual does it, :func:`keep_key_order` makes every ``Input`` run its *own*
non-priority binding for a key inline, when the key reaches it: the same binding the app
would have run first (the focused widget leads the binding chain; priority bindings were
checked before the key reached the field), now in key order. A binding the field declines
(``check_action``) lets the key bubble on as before.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input

_PATCHED = "_tpm_key_order"


def keep_key_order() -> None:
    """Patch ``Input`` once (idempotent)."""
    if getattr(Input, _PATCHED, False):
        return
    original = Input._on_key

    async def _on_key(self: Input, event: events.Key) -> Any:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return None
        return await original(self, event)

    Input._on_key = _on_key  # type: ignore[method-assign]
    setattr(Input, _PATCHED, True)


__all__ = ["keep_key_order"]
