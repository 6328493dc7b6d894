"""AnswerInvite (``A`` on a meeting): accept, maybe or decline it, and where the reply goes.

Outlook's Accept / Tentative / Decline: the answer is stored at once (a declined meeting
stops taking your time) and, unless the file line is emptied, the reply to send to the
organizer is written there (``METHOD:REPLY``; tpm sends no mail). Enter on an answer, or in
the file line, answers; esc cancels. Text from the invite is shown literally.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tpm_tui.logic.render import ANSWERS
from tpm_tui.ui.text import lit

CHOICES = (("ACCEPTED", "Accept"), ("TENTATIVE", "Tentative (maybe)"), ("DECLINED", "Decline"))


class AnswerInvite(ModalScreen[tuple[str, str, bool] | None]):
    """Dismissed with (PARTSTAT, reply file or "", this occurrence only) or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, summary: str, when: str, organizer: str, current: str, reply_path: str,
                 occurrence: str | None = None) -> None:
        """``occurrence`` (a series: ``Thu 03 Dec``): the answers for that day alone are offered too."""
        super().__init__(classes="dialog")
        self.summary, self.when, self.organizer = summary, when, organizer
        self.current = current
        self.reply_path = reply_path
        self.choices: list[tuple[str, str, bool]] = [(code, label + (" (the series)" if occurrence else ""), False)
                                                     for code, label in CHOICES]
        if occurrence:
            self.choices += [(code, f"{label} — {occurrence} only", True) for code, label in CHOICES]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="answer-box") as box:
            box.border_title = "Answer the invitation"
            yield Static(lit(self.summary or "(no title)", style="bold"), classes="dialog-task")
            said = Text.assemble((self.when, ""), " · organiser ", lit(self.organizer or "unknown"))
            now = ANSWERS.get(self.current, "you accepted" if self.current == "ACCEPTED" else "")
            if now:
                said.append(f" · {now}", style="dim")
            yield Static(said)
            yield OptionList(*(Option(label, id=f"{code}-{only}") for code, label, only in self.choices),
                             id="answer-choices")
            yield Static(Text("The reply to send to the organizer (empty: none):", style="dim"))
            yield Input(self.reply_path, id="answer-reply", placeholder="no reply file")
            yield Static(Text("enter answers · tab: the reply file · esc cancels", style="dim"), classes="dialog-hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.highlighted = next((i for i, (code, _label, _only) in enumerate(self.choices) if code == self.current), 0)
        choices.focus()

    def _answer(self, index: int | None) -> None:
        if index is None:
            return
        code, _label, only = self.choices[index]
        self.dismiss((code, self.query_one("#answer-reply", Input).value.strip(), only))

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._answer(event.option_index)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer(self.query_one(OptionList).highlighted)

    def action_cancel(self) -> None:
        self.dismiss(None)
