"""An ``Input`` whose → accepts the completion even before it is on screen.

Textual computes an input's suggestion in a worker after each key and → accepts only a
suggestion already computed: a fast typist's ``~/Down`` + → (or ``pri`` + → in the task
form) arrived first and accepted nothing. When → finds no suggestion yet, this input asks
the suggester itself, at once.
"""

from __future__ import annotations

from textual.suggester import Suggester
from textual.widgets import Input


class CompletingInput(Input):
    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and not self._suggestion and self.suggester is not None:
            completion = suggest_now(self.suggester, self.value)
            if completion is not None and len(completion) > len(self.value):
                self.value = completion
                self.cursor_position = len(completion)
                return
        super().action_cursor_right(select)


def suggest_now(suggester: Suggester, value: str) -> str | None:
    """The suggester's completion of ``value``, computed on the spot.

    A suggester may offer ``suggest_now(value)`` (the path completer does: its async form
    runs in a thread); otherwise its ``get_suggestion`` coroutine is run to its end here,
    which works for those that never wait (``SuggestFromList``) and gives up on others.
    """
    if not value:
        return None
    own = getattr(suggester, "suggest_now", None)
    if callable(own):
        return own(value)  # type: ignore[no-any-return]
    asked = value if suggester.case_sensitive else value.casefold()
    coroutine = suggester.get_suggestion(asked)
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    coroutine.close()  # it waits on something: not for now
    return None
