"""Today: the day's meetings in the user's zone, with now-line, next-up, conflicts and odd hours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive

from tpm_tui.logic.results import MeetingView
from tpm_tui.ui.messages import DashboardData
from tpm_tui.services.meeting_notes import notes_key
from tpm_tui.ui.text import MAX_ROWS, meeting_row, meeting_state, now_line
from tpm_tui.ui.widgets.list_pane import ListPane, PaneList, Row


def meeting_key(mv: MeetingView) -> tuple[str, str]:
    return (mv.occurrence.uid, str(mv.start))


JOIN_TIP = "Copy the join link of the selected meeting (Teams, Zoom, Meet…) and show it"


class TodayList(PaneList):
    """Today's list: ``enter`` on a meeting copies its join link (the screen's ``join``)."""

    BINDINGS = [Binding("enter", "screen.join", "Join", show=False, tooltip=JOIN_TIP)]


class TodayPane(ListPane):
    """Timeline of the shown day; the now-line and next-up only when the day is today."""

    TITLE = "1 Today"
    LIST = TodayList
    EMPTY_HINT = "No meetings on this day — press i to import an .ics invite"

    now: reactive[datetime | None] = reactive(None)
    """The current time (minute resolution), moved by the screen's tick."""

    def __init__(self, *, id: str) -> None:  # noqa: A002
        super().__init__(id=id)
        self._next_index: int | None = None

    def watch_now(self, old: datetime | None, new: datetime | None) -> None:
        if old is not None and new is not None and self.data is not None and self.data.is_today:
            self.rebuild()

    def content_signature(self, data: DashboardData) -> object:
        # the day's views are computed once per meetings-table version: the same objects
        # after a task action (tuples compare them by identity first)
        if data.week is not None:
            in_week = any(day == data.today for day, _ in data.week)
            return ("week", tuple(tuple(v) for _, v in data.week), (self.now or data.now) if in_week else None,
                    data.names, data.noted)
        now = (self.now or data.now) if data.is_today else None
        return (data.brief.meetings, data.is_today, now, data.names, data.noted)

    def watch_data(self, data: DashboardData | None) -> None:
        if data is not None:
            week = data.week is not None
            self.border_title = f"1 Week of {data.week[0][0]:%a %d %b}" if week else self.TITLE  # type: ignore[index]
            views = [v for _, day in data.week for v in day] if week else data.brief.meetings  # type: ignore[union-attr]
            waiting = len({v.occurrence.uid for v in views if v.my_answer == "NEEDS-ACTION"})
            answer = f"{waiting} to answer: A" if waiting else ""  # invitations waiting for my answer
            self.border_subtitle = " · ".join(x for x in (answer, "w: day" if week else "") if x)
        super().watch_data(data)

    def build(self, data: DashboardData) -> Sequence[Row | Text]:
        self._next_index = None
        if data.week is None:
            return self._day_rows(data, data.brief.meetings, (self.now or data.now) if data.is_today else None)
        rows: list[Row | Text] = []
        for day, views in data.week:
            is_today = day == data.today
            rows.append(Text(f"{day:%a %d %b}" + ("  · today" if is_today else ""),
                             style="bold reverse" if is_today else "bold underline"))
            day_rows = self._day_rows(data, views, (self.now or data.now) if is_today else None,
                                      offset=len(rows), past_day=day < data.today)
            rows.extend(day_rows or [Text("  no meetings", style="dim italic")])
            if len(rows) >= MAX_ROWS:
                break
        return rows[:MAX_ROWS]

    def _day_rows(self, data: DashboardData, day_views: Sequence[MeetingView], now: datetime | None, *,
                  offset: int = 0, past_day: bool = False) -> list[Row | Text]:
        """One day's rows: all-day events first, the now-line and next-up on today."""
        views = list(day_views)
        all_day = [v for v in views if not isinstance(v.start, datetime)]
        timed = [v for v in views if isinstance(v.start, datetime)]
        views = (all_day + timed)[:MAX_ROWS]
        summaries = {v.occurrence.uid: v.summary for v in views}
        rows: list[Row | Text] = []
        now_shown = now is None
        for mv in views:
            state = meeting_state(mv, now)
            if not now_shown and state == "future":
                rows.append(now_line(now))  # type: ignore[arg-type]
                now_shown = True
            marker = ""
            if state == "now":
                marker = "◉ now"
            elif state == "future" and now is not None and self._next_index is None:
                marker = "▶ next"
            if marker and self._next_index is None:
                self._next_index = offset + len(rows)
            past = state == "past" or past_day
            noted = notes_key(mv.occurrence) in data.noted
            signature = (mv, marker, past, tuple(summaries.get(u) for u in mv.conflicts_with),
                         tuple(data.names.get(h) for h in mv.odd_hours_for), noted)
            prompt = self.prompt(
                meeting_key(mv), signature,
                lambda mv=mv, marker=marker, past=past, noted=noted: meeting_row(
                    mv, names=data.names, summaries=summaries, marker=marker, past=past, noted=noted),
            )
            rows.append(Row(prompt, mv, meeting_key(mv)))
        if not now_shown and now is not None:
            rows.append(now_line(now))
        return rows

    def default_index(self, rows: Sequence[Row | None]) -> int | None:
        if self._next_index is not None:
            return self._next_index
        return super().default_index(rows)
