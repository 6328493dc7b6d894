"""Turning results into Rich ``Text`` rows for the panes — outside text stays literal.

Everything that came from outside (summaries, names, notes, locations, reasons) goes
through :func:`lit`: control, escape and bidi characters are neutralised and the
result is a ``Text`` object, never a markup string, so ``[bold red]boom[/]`` shows
those very characters and ``\\x1b[31m`` colours nothing.

Pure functions of their arguments (no Textual widgets, no store): easy to test.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from rich._wrap import divide_line
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from tpm_tui.domain import Meeting, MeetingNotes, Names, Note, Person, RiskLevel, Task, recurrence_value, short_names
from tpm_tui.logic.results import LocalTime, MeetingView, PersonLoad, Plan, RiskItem

from tpm_tui.logic.agenda import join_link, related_projects
from tpm_tui.logic.forecast import Forecast, forecast_text
from tpm_tui.logic.projects import ProjectRow
from tpm_tui.logic.freetime import off_runs, person_zone
from tpm_tui.logic.render import (
    ANSWERS, SHOWN_FREE, hours_text, minutes_text, project_status, safe_text, slot_also, slot_verdict, week_off_text,
)
from tpm_tui.logic.risk import Fit, fmt_hours, room_key
from tpm_tui.logic.search import task_matches, words_of
from tpm_tui.logic.rrule_text import describe as describe_rule
from tpm_tui.logic.slots import Slot

__all__ = ["filter_tokens", "safe_text", "task_matches"]  # filter_tokens, task_matches: from logic.search

MAX_ROWS = 200
"""Panes hold at most this many rows (first paint stays fast with 10k tasks)."""

LEVEL_MARK: dict[RiskLevel, tuple[str, str, str]] = {
    # symbol, word, style: never colour alone
    RiskLevel.LATE: ("✖", "late", "bold red"),
    RiskLevel.AT_RISK: ("▲", "at risk", "bold yellow"),
    RiskLevel.WATCH: ("●", "watch", "cyan"),
}

BAR_WIDTH = 20
MEETING_CELL, TASK_CELL, FREE_CELL = "▓", "█", "░"


def lit(value: object, style: str = "") -> Text:
    """Outside text as a literal, neutralised, single-line ``Text``."""
    return Text(safe_text(value), style=style, end="")


def short_of(names: Mapping[str, str]) -> Mapping[str, str]:
    """Short names for ``{handle: full name}``: kept by a :class:`Names`, else worked out."""
    return names.short if isinstance(names, Names) else short_names(names)


def first_name(handle: str | None, names: Mapping[str, str]) -> str:
    """What a short line calls ``handle``: the first name, told apart from a namesake's
    (:func:`tpm_tui.domain.short_names`)."""
    if not handle:
        return "unassigned"
    return short_of(names).get(handle) or handle


def fmt_day(d: date) -> str:
    return d.strftime("%a %d %b %Y")


def fmt_when(value: datetime | date | None, tz: ZoneInfo | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if tz is not None and value.tzinfo is not None:
            value = value.astimezone(tz)
        return value.strftime("%a %d %b %H:%M")
    return value.strftime("%a %d %b")


def hours(h: float | None) -> str:
    return "—" if h is None else f"{h:g}h"


# ---------------------------------------------------------------- Today


def meeting_span(mv: MeetingView) -> str:
    if isinstance(mv.start, datetime) and isinstance(mv.end, datetime):
        end = mv.end.strftime("%H:%M")
        if mv.end.date() != mv.start.date():
            end = "24:00" if mv.end.time().hour == 0 and mv.end.time().minute == 0 else end + "+1"
        return f"{mv.start:%H:%M}–{end}"
    return "all day"


def odd_hours_line(mv: MeetingView, names: Mapping[str, str]) -> str:
    """``Priya 20:30–20:45 Mon, Marcus 07:00–07:15 Mon`` for those at odd hours (each
    entry glued, see :func:`glue`, so a wrap never parts a name from its time)."""
    parts = []
    odd = set(mv.odd_hours_for)
    for lt in mv.local_times:
        if lt.handle in odd:
            parts.append(glue(lt.label(first_name(lt.handle, names))))
    for handle in mv.odd_hours_for:  # odd without a local time: still name them
        if not any(lt.handle == handle for lt in mv.local_times):
            parts.append(glue(first_name(handle, names)))
    return ", ".join(parts)


def meeting_state(mv: MeetingView, now: datetime | None) -> str:
    """``past`` / ``now`` / ``future`` relative to ``now`` (``future`` without a now)."""
    if now is None or not isinstance(mv.start, datetime) or not isinstance(mv.end, datetime):
        return "future" if now is None or isinstance(mv.start, datetime) else "allday"
    if mv.end <= now:
        return "past"
    if mv.start <= now:
        return "now"
    return "future"


GLUE = "\u00a0"
"""A space a row never breaks at (its lines show a plain space): keeps ``Diego 02:00–02:30
Mon`` or ``(+2 more)`` on one line when the body wraps."""


def glue(phrase: str) -> str:
    """``phrase`` with its spaces made unbreakable (see :data:`GLUE`)."""
    return phrase.replace(" ", GLUE)


def _hold_char(plain: str) -> str:
    """A one-cell, non-space character absent from ``plain``: stands in for :data:`GLUE`
    while a body is wrapped (Rich breaks at every Unicode space, the no-break one too)."""
    for code in range(0xE000, 0xF8FF):
        if chr(code) not in plain:
            return chr(code)
    return "x"  # unreachable in practice: every private-use character in one row


def wrap_glued(text: Text, console: Console, width: int) -> list[Text]:
    """``text.wrap`` that never breaks at a :data:`GLUE`; the lines show plain spaces there."""
    plain = text.plain
    if GLUE not in plain:
        return list(text.wrap(console, width, overflow="fold"))
    hold = _hold_char(plain)
    held = text.copy()
    held.plain = plain.replace(GLUE, hold)  # the same length: every span stays where it was
    lines = list(held.wrap(console, width, overflow="fold"))
    for line in lines:
        line.plain = line.plain.replace(hold, " ")
    return lines


class Hanging:
    """Fixed-width cells, then a body wrapped with a hanging indent.

    What a ``Table.grid`` would draw, at a fraction of its cost: the panes hold up to
    ``MAX_ROWS`` of these, and draw those scrolled into view.
    """

    __slots__ = ("_cells", "_body", "_make", "_segments", "_heights")

    def __init__(self, cells: Sequence[tuple[Text, int]], body: Text) -> None:
        self._cells = tuple(cells)
        self._body = body
        self._make: Callable[[], Hanging] | None = None
        self._segments: dict[int, list[Segment]] = {}  # per width: drawn once
        self._heights: dict[int, int] = {}  # per width: measured once

    @classmethod
    def later(cls, make: Callable[[], Hanging]) -> Hanging:
        """The row ``make()`` returns, built when it is first measured or drawn (not before)."""
        row = cls.__new__(cls)
        row._make = make
        row._segments = {}
        row._heights = {}
        return row

    def _build(self) -> None:
        make, self._make = self._make, None
        if make is not None:
            made = make()
            self._cells, self._body = made.cells, made.body

    @property
    def cells(self) -> tuple[tuple[Text, int], ...]:
        if self._make is not None:
            self._build()
        return self._cells

    @property
    def body(self) -> Text:
        if self._make is not None:
            self._build()
        return self._body

    @property
    def plain(self) -> str:
        return ("".join(c.plain for c, _ in self.cells) + " " + self.body.plain).replace(GLUE, " ")

    def height(self, console: Console, width: int) -> int:
        """How many lines :meth:`__rich_console__` draws at ``width``, without drawing them.

        An ``OptionList`` measures every option when options are added; this counts the
        line breaks ``Text.wrap`` would make (the same ``divide_line`` on the same plain
        text), so only the rows scrolled into view are ever rendered.
        """
        height = self._heights.get(width)
        if height is None:
            plain = self.body.plain.replace(GLUE, "x")  # wrapped as one word, as lines() does
            if "\t" in plain or any("\n" in c.plain for c, _ in self.cells):  # rare: count what is drawn
                drawn = self.__rich_console__(console, console.options.update_width(width))
                height = sum(segment.text.count("\n") for segment in drawn)
            else:
                body_width = max(8, width - sum(w for _, w in self.cells))
                height = sum(len(divide_line(line, body_width, fold=True)) + 1 for line in plain.split("\n"))
            if len(self._heights) > 4:
                self._heights.clear()
            self._heights[width] = height
        return height

    def head(self) -> Text:
        """The cells, each cut or padded to its width."""
        head = Text(end="")
        for cell, w in self.cells:
            piece = cell.copy()
            piece.truncate(w, overflow="ellipsis", pad=True)
            head.append_text(piece)
        return head

    def lines(self, console: Console, width: int) -> Text:
        indent = sum(w for _, w in self.cells)
        head = self.head()
        out = Text(end="")
        body_width = max(8, width - indent)
        for i, line in enumerate(wrap_glued(self.body, console, body_width)):
            if i:
                out.append("\n" + " " * indent)
            else:
                out.append_text(head)
            out.append_text(line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        segments = self._segments.get(width)
        if segments is None:
            text = self.lines(console, width)
            text.no_wrap = True
            text.overflow = "crop"
            text.end = "\n"  # Textual counts newlines to measure a renderable's height
            segments = list(console.render(text, options))
            if len(self._segments) > 4:
                self._segments.clear()
            self._segments[width] = segments
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(sum(w for _, w in self.cells) + 8, options.max_width)


def _hanging(cells: Sequence[tuple[Text, int]], body: Text) -> Hanging:
    return Hanging(cells, body)


def meeting_body(
    mv: MeetingView, *, names: Mapping[str, str], summaries: Mapping[str, str], past: bool = False,
    noted: bool = False,
) -> Text:
    """The summary (``✎``: I have notes on it), then one line per fact: category, location,
    overlaps, odd hours."""
    dim = "dim" if past else ""
    body = Text(end="")
    body.append_text(lit(mv.summary or "(no title)", style="dim" if past else "bold"))
    if noted:
        body.append("  ✎", style="cyan")
    m = mv.occurrence.meeting
    if m.status == "TENTATIVE":
        body.append("  (tentative)", style="italic")
    if m.transparent:
        body.append(f"  ({SHOWN_FREE})", style="italic dim")
    answer = ANSWERS.get(mv.my_answer)
    if answer:
        body.append(f"  ({answer})", style="italic yellow" if mv.my_answer == "NEEDS-ACTION" else "italic dim")
    if m.categories:
        body.append("\n◆ ", style="magenta")
        body.append_text(lit(", ".join(c.lower() for c in m.categories), style=f"magenta {dim}".strip()))
    if m.location:
        body.append("\n@ ", style=dim)
        body.append_text(lit(m.location, style=dim or "italic"))
    if mv.conflicts_with:
        others = [summaries.get(uid, uid) for uid in mv.conflicts_with]
        body.append("\n⚠ overlaps ", style="bold yellow")
        body.append_text(lit(", ".join(others), style="yellow"))
    if mv.odd_hours:
        body.append("\n☾ ", style="bold magenta")
        body.append_text(lit(odd_hours_line(mv, names), style="magenta"))
    return body


def meeting_row(
    mv: MeetingView,
    *,
    names: Mapping[str, str],
    summaries: Mapping[str, str],
    marker: str = "",
    past: bool = False,
    noted: bool = False,
) -> Hanging:
    """A meeting in the Today pane: marker, time span, then the wrapped facts."""
    mark = Text(marker, style="bold reverse" if marker == "▶ next" else "bold", end="")
    span = Text(meeting_span(mv), style="dim" if past else "bold", end="")
    return _hanging([(mark, 7), (span, 12)],
                    meeting_body(mv, names=names, summaries=summaries, past=past, noted=noted))


def now_line(now: datetime, width: int = 40) -> Text:
    label = f"── now {now:%H:%M} "
    return Text(label + "─" * max(4, width - len(label)), style="bold red", end="")


# ---------------------------------------------------------------- At risk


def risk_row(item: RiskItem, *, names: Mapping[str, str]) -> Hanging:
    """Level word and symbol, id, title; then assignee, due and the first reason."""
    symbol, word, style = LEVEL_MARK.get(item.level, ("?", str(item.level), ""))
    task = item.task
    head = Text(end="")
    head.append_text(lit(task.title, style="bold"))
    head.append("\n")
    head.append_text(lit(first_name(task.assignee, names), style="italic" if task.assignee else "italic yellow"))
    head.append(f" · due {fmt_when(task.due)}", style="dim")
    if item.reasons:
        head.append(" · ", style="dim")
        head.append_text(lit(item.reasons[0]))
        if len(item.reasons) > 1:
            head.append(" " + glue(f"(+{len(item.reasons) - 1} more)"), style="dim")
    level = Text(f"{symbol} {word}", style=style, end="")
    return _hanging([(level, 10), (Text(task.id, style="bold", end=""), 9)], head)


def calm_row(task: Task, *, names: Mapping[str, str], today: date) -> Hanging:
    """An open task no risk rule flags (found with the filter), or one snoozed: as a risk
    row, with ``○ open`` / ``◌ snoozed`` for the level and no reason."""
    snoozed = task.snoozed_until is not None and task.snoozed_until > today
    head = Text(end="")
    head.append_text(lit(task.title, style="bold"))
    head.append("\n")
    head.append_text(lit(first_name(task.assignee, names), style="italic" if task.assignee else "italic yellow"))
    head.append(f" · due {fmt_when(task.due)}" if task.due is not None else " · no due date", style="dim")
    head.append(f" · snoozed to {fmt_when(task.snoozed_until)}" if snoozed else " · not at risk", style="dim")
    level = Text("◌ snoozed" if snoozed else "○ open", style="dim", end="")
    return _hanging([(level, 10), (Text(task.id, style="bold", end=""), 9)], head)


# ---------------------------------------------------------------- Workload


def load_bar(load: PersonLoad, width: int = BAR_WIDTH) -> Text:
    """Meetings ``▓``, tasks ``█``, free ``░``; past capacity a ``┃`` marks where it ends."""
    cap = max(load.capacity_hours, 0.0)
    meet, task = max(load.meeting_hours, 0.0), max(load.task_hours, 0.0)
    demand = meet + task
    scale = max(cap, demand) or 1.0
    m_cells = round(width * meet / scale)
    t_cells = min(width - m_cells, round(width * task / scale))
    cells = [MEETING_CELL] * m_cells + [TASK_CELL] * t_cells
    cells += [FREE_CELL] * (width - len(cells))
    bar = Text(end="")
    cap_at = round(width * cap / scale) if demand > cap else None
    for i, ch in enumerate(cells):
        if cap_at is not None and i == cap_at:
            bar.append("┃", style="bold red")
        style = {"▓": "blue", "█": "red" if cap_at is not None and i >= cap_at else "green", "░": "dim"}[ch]
        bar.append(ch, style=style)
    if cap_at is not None and cap_at >= width:
        bar.append("┃", style="bold red")
    return bar


def load_row(load: PersonLoad, *, name_width: int = 16, week_start: date | None = None) -> Hanging:
    """Name, then the bar with load % (and OVERLOADED), then the hours that make it (and
    the days off in the week shown)."""
    p = load.person
    body = load_bar(load)
    body.append(f" {load.load_pct:>4.0f}%", style="bold red" if load.overloaded else "")
    if load.overloaded:
        body.append(" OVERLOADED", style="bold red reverse")
    body.append("\n")
    body.append(
        f"meetings {load.meeting_hours:.1f}h · tasks {load.task_hours:.1f}h · capacity {load.capacity_hours:.1f}h",
        style="dim",
    )
    off = week_off_text(p, week_start) if week_start is not None and p.days_off else ""
    if off:
        body.append(" · ", style="dim")
        body.append(glue(off), style="bold yellow")
    name = lit(p.name or p.handle, style="bold")
    name.truncate(name_width, overflow="ellipsis")
    return _hanging([(name, name_width + 1)], body)


# ---------------------------------------------------------------- Detail


class Doc:
    """A Detail text written top to bottom: plain text (``append``), and rows that wrap under
    their own column at whatever width the pane has (``rows``; a field is one: its value
    wraps under the value, never under its label)."""

    __slots__ = ("parts", "text")

    def __init__(self) -> None:
        self.parts: list[Text | Hanging] = []
        self.text = Text(end="")

    def append(self, text: str, style: str | None = None) -> None:
        self.text.append(text, style=style)

    def append_text(self, text: Text) -> None:
        self.text.append_text(text)

    def rows(self, rows: Iterable[Text | Hanging]) -> None:
        """``rows`` under what was written so far (which ends its own line)."""
        t = self.text
        if t.plain:
            if t.plain.endswith("\n"):
                t.right_crop(1)
            t.end = "\n"
            self.parts.append(t)
            self.text = Text(end="")
        self.parts.extend(rows)

    def build(self) -> Text | Lines:
        if not self.parts:
            return self.text
        return Lines([*self.parts, self.text] if self.text.plain else self.parts)


FIELD_WIDTH = 13
"""A field's label column in Detail: ``Due          Wed 02 Dec``."""


def _field(text: Doc, label: str, value: object, *, literal: bool = True) -> None:
    shown = value if isinstance(value, Text) else lit(value) if literal else Text(str(value))
    text.rows([Row([(Text(label, style="bold"), FIELD_WIDTH)], shown)])


def task_detail(
    task: Task,
    item: RiskItem | None,
    *,
    names: Mapping[str, str],
    lookup: Mapping[str, Task],
    tz: ZoneInfo | None = None,
    room: Mapping[str, Fit] | None = None,
    loads: Mapping[str, float] | None = None,
) -> Text | Lines:
    """A task in full. ``room`` (:func:`tpm_tui.logic.risk.fits_for`): when the assignee is
    short of time, or nobody has the task, a "Room before it is due" section names the
    people it would fit (ordered as the reassign picker orders them, ``loads`` by handle)."""
    t = Doc()
    t.append(f"{task.id}  ", style="bold")
    t.append_text(lit(task.title, style="bold"))
    t.append("\n\n")
    if item is not None:
        symbol, word, style = LEVEL_MARK.get(item.level, ("?", str(item.level), ""))
        _field(t, "Risk", Text(f"{symbol} {word} (score {item.score:.0f})", style=style))
    _field(t, "Project", task.project)
    _field(t, "Status", task.status.value)
    _field(t, "Priority", task.priority)
    assignee = f"{names.get(task.assignee, task.assignee)} ({task.assignee})" if task.assignee else "unassigned"
    _field(t, "Assignee", assignee)
    _field(t, "Due", fmt_when(task.due))
    _field(t, "Estimate", hours(task.estimate_hours))
    _field(t, "Remaining", hours(task.remaining_hours))
    if task.time_sensitive:
        _field(t, "Time-sens.", "yes")
    if task.tags:
        _field(t, "Tags", ", ".join(task.tags))
    if task.repeat:
        _field(t, "Repeats", f"↻ {task.repeat}" + (" (done makes the next one)" if task.is_open else ""))
    if task.blocked_by:
        _field(t, "Blocked by", task.blocked_by)
    if task.snoozed_until:
        _field(t, "Snoozed", fmt_when(task.snoozed_until))
    if task.updated_at:
        _field(t, "Updated", fmt_when(task.updated_at, tz))
    if task.source:  # jira PAY-101, taskwarrior <uuid>, ics <uid>: where to look it up
        _field(t, "Imported", task.source.replace(":", " ", 1))
    if item is not None and item.reasons:  # each reason wraps under itself, never under the bullet
        t.append("\nWhy\n", style="bold underline")
        t.rows(Row([(Text("  • "), 4)], lit(reason)) for reason in item.reasons)
    if room and wants_room(task, room):
        _room_section(t, room, names=names, loads=loads or {})
    if task.depends_on:
        t.append("\nDepends on\n", style="bold underline")
        width = max(8, *(len(d) for d in task.depends_on)) + 3  # as wide as ever, wider for a long id
        rows = []
        for dep_id in task.depends_on:
            dep = lookup.get(dep_id)
            if dep is None:
                body = Text("(unknown task)", style="italic")
            else:
                body = lit(dep.title)
                body.append(f"  [{dep.status.value}, due {fmt_when(dep.due)}]", style="dim")
            rows.append(Row([(Text.assemble("  ", lit(dep_id, style="bold")), width)], body))
        t.rows(rows)
    if task.notes:
        t.append_text(Text.assemble(("\nNotes", "bold underline"), ("  n adds one or fixes one", "dim")))
        t.rows(note_rows(task.notes, tz))
    return t.build()


ROOM_ROWS = 3
"""The Detail pane names at most this many people a task would fit (``a`` lists everyone)."""


def may_want_room(item: RiskItem) -> bool:
    """Cheap test before :func:`wants_room` (which needs the fits computed): nobody has the
    task, or its capacity reason fired (``needs 20h, Priya has …``)."""
    return not item.task.assignee or any(r.startswith("needs ") for r in item.reasons)


def wants_room(task: Task, room: Mapping[str, Fit]) -> bool:
    """Whether to say who has room: the assignee is short of time for it, or nobody has it."""
    if not task.assignee:
        return True
    mine = room.get(task.assignee)
    return mine is not None and not mine.fits


def _room_section(t: Doc, room: Mapping[str, Fit], *, names: Mapping[str, str], loads: Mapping[str, float]) -> None:
    ranked = sorted(room.values(), key=lambda f: room_key(f, loads.get(f.handle, 0.0), f.handle))
    fitting = [f for f in ranked if f.fits]
    need = ranked[0].need
    t.append("\nRoom before it is due\n", style="bold underline")
    if not fitting:
        most = max(ranked, key=lambda f: (f.free, f.handle))
        t.append(f"  nobody has {fmt_hours(need)} free by then; the most: ", style="italic")
        t.append_text(lit(names.get(most.handle) or most.handle))
        t.append(f" {fmt_hours(most.free)} by {most.before}\n")
        return
    for f in fitting[:ROOM_ROWS]:
        t.append("  ✓ ", style="bold green")
        t.append_text(lit(f"{(names.get(f.handle) or f.handle)[:20]:<20}"))
        t.append(f" {fmt_hours(f.free)} free by {f.before}\n")
    more = len(fitting) - ROOM_ROWS
    t.append(f"  {f'+{more} more · ' if more > 0 else ''}a reassigns\n", style="dim")


def _dates(n: int) -> str:
    return "1 date" if n == 1 else f"{n} dates"


def repeats_text(m: Meeting) -> str:
    """``every weekday; 2 dates skipped``: the rule in words (as written when it has none),
    then the extra and skipped dates the invite lists."""
    words = describe_rule(m.rrule, m.start) if m.rrule else None
    parts = [words or m.rrule or f"on {_dates(len(m.rdate))}"]
    if m.rrule and m.rdate:
        parts.append(f"plus {_dates(len(m.rdate))}")
    if m.exdate:
        parts.append(f"{_dates(len(m.exdate))} skipped")
    return "; ".join(parts)


def changed_day_text(m: Meeting, tz: str) -> str:
    """An override's line: ``one day of a series, changed on its own (moved from Tue 07:00)``."""
    was = recurrence_value(m.recurrence_id or "")
    said = "one day of a series, changed on its own"
    if isinstance(was, datetime) and isinstance(m.start, datetime) and was != m.start:
        if was.tzinfo is not None:
            was = was.astimezone(ZoneInfo(tz))
        same_day = was.date() == (m.start.astimezone(ZoneInfo(tz)) if m.start.tzinfo else m.start).date()
        said += f" (moved from {was:%H:%M})" if same_day else f" (moved from {was:%a %d %b %H:%M})"
    return said


LOCAL_NAME_WIDTH = 18
"""A person's name under Local times (indent included; longer names end in …): their local time
starts after it, so that name, time and mark fit a 120-column terminal's Detail pane."""
RELATED_SHOWN = 3
"""A meeting's Detail names at most this many at-risk tasks of each project it is about."""


STATUS_STYLE = {"off track": "bold red", "at risk": "bold yellow", "on track": "green"}


def project_row(row: ProjectRow, names: Mapping[str, str], key_width: int = 0) -> Hanging:
    """A project in the Projects list: key, name, status and target; its tasks at risk by level,
    open and after the target; its forecast. Each line wraps under the name at whatever width
    the list has (never again at the box's edge, under the key). ``key_width``: the keys'
    column (the longest key of the list and two spaces, at least :data:`PROJECT_KEY_WIDTH`)."""
    p = row.project
    t = Text(end="")
    t.append_text(lit(p.name if p.name and p.name != p.key else ""))
    t.append(f"  {row.status}", style=STATUS_STYLE.get(row.status, ""))
    if p.target_date is not None:
        t.append(f"  target {p.target_date:%a %d %b}" + (" (passed)" if row.target_passed else ""),
                 style="bold red" if row.target_passed else "dim")
    else:  # without one there is nothing to forecast: say how to give one
        t.append("  no target date (tpm project edit KEY --target DATE)", style="dim")
    t.append("\n")
    for level, n in row.levels:
        symbol, word, style = LEVEL_MARK[level]
        t.append(f"{symbol} {n} {word}", style=style)
        t.append("  ")
    t.append(f"{row.open} open", style="dim")
    if row.after_target:
        t.append(f" · {row.after_target} due after the target", style="yellow")
    if row.forecast is not None:
        t.append("\n")
        t.append_text(lit(forecast_text(row.forecast, short_of(names)), style="dim" if row.forecast.fits else "yellow"))
    if row.room:  # short of time: who could take some of it
        said = ", ".join(f"{first_name(h, names)} {fmt_hours(spare)}" for h, spare in row.room[:4])
        more = f" and {len(row.room) - 4} more" if len(row.room) > 4 else ""
        t.append("\n")
        t.append_text(lit(f"room elsewhere before {row.forecast.target:%a %d %b}: {said}{more}",  # type: ignore[union-attr]
                          style="green"))
    return Hanging([(lit(p.key, style="bold"), max(key_width, len(p.key) + 2, PROJECT_KEY_WIDTH))], t)


PROJECT_KEY_WIDTH = 7
"""A project's key in the Projects list, and the indent of the lines under its name."""


def _related_work(keys: Sequence[str], projects: Mapping[str, str], at_risk: Sequence[RiskItem],
                  forecast: Callable[[str], Forecast | None] | None = None,
                  names: Mapping[str, str] | None = None) -> list[Text | Hanging]:
    """``Related work``: per project the meeting is about, how it stands (its forecast to the
    target date when it has one) and its most urgent at-risk tasks (``at_risk`` is highest
    score first). Rows that wrap under their own column at whatever width the pane has."""
    if not keys:
        return []
    rows: list[Text | Hanging] = [Text("\nRelated work", style="bold underline")]
    for key in keys[:3]:
        items = [i for i in at_risk if i.task.project == key]
        fc = forecast(key) if forecast is not None else None
        status = project_status(items, short=fc is not None and not fc.fits)
        body = Text(end="")
        if projects.get(key) and projects[key] != key:
            body.append_text(lit(projects[key]))
            body.append("  ")
        body.append(status, style=STATUS_STYLE.get(status, "green"))
        counts = [f"{sum(1 for i in items if i.level is lv)} {LEVEL_MARK[lv][1]}" for lv in LEVEL_MARK
                  if any(i.level is lv for i in items)]
        if counts:
            body.append(f" · {', '.join(counts)}", style="dim")
        if fc is not None:  # under the project's name
            body.append("\n")
            body.append_text(lit(forecast_text(fc, names or {}), style="dim" if fc.fits else "yellow"))
        rows.append(Row([(Text.assemble("  ", lit(key, style="bold")), len(key) + 3)], body))
        shown = items[:RELATED_SHOWN]
        ids = max((len(i.task.id) for i in shown), default=0) + 1
        for item in shown:
            symbol, _word, style = LEVEL_MARK.get(item.level, ("?", "", ""))
            body = lit(item.task.title)
            if item.reasons:  # the first reason, under the title (the rest: select the task)
                body.append("\n")
                body.append_text(lit(item.reasons[0], style="dim"))
            rows.append(Row([(Text(f"    {symbol} ", style=style), 6), (lit(item.task.id), max(9, ids))], body))
        if len(items) > RELATED_SHOWN:
            rows.append(Text(f"    … and {len(items) - RELATED_SHOWN} more (/ {key} filters them)", style="dim"))
    return rows


def meeting_detail(mv: MeetingView, *, tz: str, names: Mapping[str, str], summaries: Mapping[str, str],
                   emails: Collection[str] | None = None, projects: Mapping[str, str] | None = None,
                   at_risk: Sequence[RiskItem] = (), forecast: Callable[[str], Forecast | None] | None = None,
                   my_email: str = "", notes: tuple[MeetingNotes | None, MeetingNotes | None] = (None, None)
                   ) -> Text | Lines:
    """A meeting in full. ``emails`` (every person's, lower case): attendees who are not
    people here are marked, since their odd hours and free time are not judged. ``projects``
    (key -> name) and ``at_risk``: the work of the projects the meeting is about, to prepare it.
    ``notes``: my notes on this occurrence, and the last time's of its series."""
    m: Meeting = mv.occurrence.meeting
    t = Doc()
    t.append_text(lit(m.summary or "(no title)", style="bold"))
    t.append("\n\n")
    if isinstance(mv.start, datetime):
        _field(t, "When", Text(f"{fmt_when(mv.start)}–{mv.end:%H:%M} ({tz})", end=""))
    else:
        _field(t, "When", Text(f"all day {fmt_when(mv.start)}", end=""))
    if m.status != "CONFIRMED":
        _field(t, "Status", m.status.lower())
    if m.transparent:
        _field(t, "Shown as", Text.assemble("free", ("  takes nobody's time: no overlap, not in workload", "dim")))
    if m.categories:
        _field(t, "Categories", ", ".join(c.lower() for c in m.categories))
    if m.is_recurring:
        _field(t, "Repeats", repeats_text(m))
    elif m.recurrence_id is not None:
        _field(t, "Repeats", changed_day_text(m, tz))
    _field(t, "Organiser", m.organizer or "—")
    mine = bool(my_email) and m.organizer.lower().removeprefix("mailto:") == my_email
    if mv.my_answer and not mine:  # invited (not organising it): my answer, and the key that changes it
        said = {"ACCEPTED": "accepted", "TENTATIVE": "maybe", "DECLINED": "declined",
                "NEEDS-ACTION": "not answered yet"}.get(mv.my_answer, mv.my_answer.lower())
        _field(t, "Your answer", Text.assemble((said, "bold yellow" if mv.my_answer == "NEEDS-ACTION" else ""),
                                               ("  A answers it", "dim")))
    link = join_link(m)
    copies = ("  enter copies it", "dim")
    if link and link == m.location.strip():  # the place is the call: said once
        _field(t, "Location", Text.assemble(lit(link), copies))
    else:
        _field(t, "Location", m.location or "—")
        if link:
            _field(t, "Join", Text.assemble(lit(link), copies))
    if m.calendar:
        from tpm_tui.services.events import is_mine

        yours = ("  an appointment of yours: E changes it, x removes it", "dim") if is_mine(m) else ""
        _field(t, "Calendar", Text.assemble(lit(m.calendar), yours))
    if mv.conflicts_with:
        others = ", ".join(summaries.get(u, u) for u in mv.conflicts_with)
        _field(t, "Overlaps", Text.assemble(("⚠ ", "bold yellow"), lit(others)))
    t.rows(_meeting_notes(t, notes, tz))
    if mv.local_times:  # each person a row: the mark wraps under the time, not under the pane's edge
        t.append("\nLocal times\n", style="bold underline")
        rows = []
        for lt in mv.local_times:
            mark = "☾ odd hours" if lt.odd else "  outside your hours, your choice" if lt.by_choice else "  working hours"
            when = f"{lt.start:%a %H:%M}–{lt.end:%H:%M} {lt.start.tzname() or ''}".strip()
            body = Text(glue(when.ljust(21)) + " ", end="")
            body.append(glue(mark), style="bold magenta" if lt.odd else "dim")
            name = lit(names.get(lt.handle, lt.handle))
            name.truncate(LOCAL_NAME_WIDTH - 3, overflow="ellipsis")  # a space before the time, always
            rows.append(Row([(Text.assemble("  ", name), LOCAL_NAME_WIDTH)], body))
        t.rows(rows)
    if projects:
        t.rows(_related_work(related_projects(m.summary, m.categories, projects), projects, at_risk, forecast,
                             short_of(names)))
    if m.attendees:
        t.append("\nAttendees\n", style="bold underline")
        strangers = 0
        for a in m.attendees:
            t.append("  ")
            t.append_text(lit(a.name or a.email))
            if a.name:
                t.append(" <", style="dim")
                t.append_text(lit(a.email, style="dim"))
                t.append(">", style="dim")
            t.append(f"  {a.partstat.lower()}", style="italic dim")
            if emails is not None and a.email.lower() not in emails and a.role != "NON-PARTICIPANT":
                t.append("  ? not a person here", style="yellow")
                strangers += 1
            t.append("\n")
        if strangers:
            t.append("  ? their odd hours are not judged: ", style="dim")
            t.append("tpm person unknown", style="bold")
            t.append(" lists whom to add\n", style="dim")
    if m.description:
        t.append("\nDescription\n", style="bold underline")
        for line in str(m.description).splitlines() or [""]:
            t.append("  ")
            t.append_text(lit(line))
            t.append("\n")
    return t.build()


def _meeting_notes(t: Doc, notes: tuple[MeetingNotes | None, MeetingNotes | None], tz: str) -> list[Text | Hanging]:
    """My notes on this occurrence (``n`` adds one), then the last time's of its series: the
    headings go on ``t``; returned, each note as a row that wraps under its own column."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    mine, last = notes
    rows: list[Text | Hanging] = []
    if mine is None or not mine.notes:
        _field(t, "Notes", Text("none yet: n adds one", style="dim"))
    else:
        t.append("\nNotes", style="bold underline")
        t.append("  n adds one or fixes one · c copies them as minutes", style="dim")
        rows.extend(note_rows(mine.notes, zone))
    if last is not None and last.notes:
        start = last.start
        start = start.astimezone(zone) if isinstance(start, datetime) and start.tzinfo else start
        heading = Text("\nLast time", style="bold underline")
        heading.append(f"  {start:%a %d %b}", style="bold")
        if not rows:  # the heading goes under the fields (no rows between)
            t.append_text(heading)
        else:
            rows.append(heading)
        rows.extend(note_rows(last.notes, zone))
    return rows


NOTE_STAMP = 20
"""Columns of a note's time (``  Mon 30 Nov 16:20  ``): its text wraps under its own first letter."""


def note_rows(notes: Sequence[Note], zone: tzinfo | None) -> list[Text | Hanging]:
    """Each note as a row: when it was written, then its text (literally), wrapping under itself."""
    return [Row([(Text(f"  {fmt_when(note.at, zone)}  ", style="dim"), NOTE_STAMP)], lit(note.text.rstrip() or " "))
            for note in notes]


SELECT_HINT = "Select a meeting, a task or a person to see it here."


def getting_started(*, people: int, me: str | None, open_tasks: int) -> Text | Lines:
    """What the Detail pane says with nothing selected; on a database still being set up,
    the steps that are left (a step done is ticked), each command wrapping under itself."""
    hint = Text(SELECT_HINT, style="italic dim")
    if people and me and open_tasks:
        return hint
    steps = (
        (people > 0, "Add your team (after an import, tpm person unknown lists whom your invites name)",
         'tpm person add priya --name "Priya Raman" --email priya@example.com --tz Asia/Kolkata --hours 09:30-18:00'),
        (me is not None, "Say which person you are", "tpm set me priya"),
        (open_tasks > 0, "Add work",
         'press N, or: tpm task add "Rotate API keys" --project API --assignee priya --due fri --estimate 6'),
        (False, "Import invites", "press i: an .ics file, an invite e-mail, or a folder of .ics files"),
    )
    parts: list[Text | Hanging] = [hint, Text("\nGetting started", style="bold")]
    for done, what, how in steps:
        body = Text(what, style="dim" if done else "bold", end="")
        if not done:
            body.append("\n" + how)
        mark = Text("  ✓ " if done else "  • ", style="green" if done else "bold", end="")
        parts.append(Row([(mark, 4)], body))
    parts.append(Text("\nOr look around on demo data first: tpm --demo", style="dim"))
    return Lines(parts)


ODD_ROWS = 8
"""The person detail lists at most this many of their odd-hours meetings of the week."""


def person_detail(load: PersonLoad, *, now: datetime | None, risks: Iterable[RiskItem],
                  odd: Sequence[tuple[MeetingView, LocalTime]] | None = None, slots: Sequence[Slot] | None = None,
                  tz: ZoneInfo | None = None, names: Mapping[str, str] | None = None, me: str | None = None
                  ) -> Text | Lines:
    """A person in full; ``odd``: the week's meetings at their odd hours, with their local time;
    ``slots``: times for a 30-minute 1:1 with "me" (:func:`tpm_tui.logic.slots.find_slots`),
    shown in ``tz`` with their local time."""
    p: Person = load.person
    t = Doc()
    t.append_text(lit(p.name or p.handle, style="bold"))
    t.append(f"  ({p.handle})", style="dim")
    t.append("\n\n")
    if p.role:
        _field(t, "Role", p.role)
    _field(t, "E-mail", p.email)
    theirs = person_zone(p)  # UTC for a name this machine does not know (said beside it)
    _field(t, "Zone", p.timezone if theirs.key == p.timezone else f"{p.timezone} (unknown here: read as UTC)")
    if now is not None:
        _field(t, "Local time", fmt_when(now.astimezone(theirs)))
    _field(t, "Hours", f"{p.work_start}–{p.work_end} {','.join(p.work_days)}")
    ahead = off_runs(p, now.astimezone(theirs).date() if now is not None else None)
    if ahead:
        _field(t, "Days off", ", ".join(fmt_when(a) if a == b else f"{fmt_when(a)}–{fmt_when(b)}" for a, b in ahead))
    t.append("\nThis week\n", style="bold underline")
    _field(t, "  Capacity", f"{load.capacity_hours:.1f}h")
    _field(t, "  Meetings", Text.assemble((MEETING_CELL + " ", "blue"), f"{load.meeting_hours:.1f}h"))
    _field(t, "  Tasks", Text.assemble((TASK_CELL + " ", "green"), f"{load.task_hours:.1f}h"))
    free = load.capacity_hours - load.meeting_hours - load.task_hours
    if free >= 0:
        _field(t, "  Free", Text.assemble((FREE_CELL + " ", "dim"), f"{free:.1f}h"))
    else:  # "Free -20.6h" read as a typo; say what it means
        _field(t, "  Free", Text.assemble((FREE_CELL + " ", "dim"), "none — ", (f"{-free:.1f}h over", "bold red")))
    load_text = Text(f"{load.load_pct:.0f}%", end="")
    if load.overloaded:
        load_text.append(" OVERLOADED", style="bold red reverse")
    _field(t, "  Load", load_text)
    t.append("  ")
    t.append_text(load_bar(load, width=30))
    t.append("\n")
    if odd:
        hours = sum((lt.end - lt.start).total_seconds() for _v, lt in odd) / 3600
        t.append(f"\nOdd hours this week (their time): {len(odd)}, {fmt_hours(hours)}\n", style="bold underline")
        t.rows(Row([(Text(f"  ☾ {lt.start:%a %H:%M}–{lt.end:%H:%M}  ", style="magenta"), 21)], lit(v.summary or "(no title)"))
               for v, lt in odd[:ODD_ROWS])
        if len(odd) > ODD_ROWS:
            t.append(f"  … and {len(odd) - ODD_ROWS} more\n", style="dim")
    if slots is not None and tz is not None and p.handle != me:
        _one_on_one(t, p, slots, tz, names or {}, me)
    mine = [r for r in risks if r.task.assignee == p.handle]
    if mine:
        t.append("\nTheir tasks at risk\n", style="bold underline")
        ids = max(8, *(len(r.task.id) for r in mine[:20])) + 1
        rows = []
        for r in mine[:20]:
            symbol, word, style = LEVEL_MARK.get(r.level, ("?", str(r.level), ""))
            rows.append(Row([(Text(f"  {symbol} {word:<8}", style=style), 12), (lit(r.task.id, style="bold"), ids)],
                            lit(r.task.title)))
        t.rows(rows)
    return t.build()


def _one_on_one(t: Doc, p: Person, slots: Sequence[Slot], tz: ZoneInfo, names: Mapping[str, str],
                me: str | None) -> None:
    t.append("\nA 30-minute 1:1, next 5 days (your time · theirs)\n", style="bold underline")
    if not slots:
        t.append("  no free half hour: meetings or days off fill them\n", style="dim")
        return
    first = dict(short_of(names))
    if me:
        first[me] = "you"
    rows = []
    for s in slots:  # each a row: what follows the time wraps under itself
        a, b = s.start.astimezone(tz), s.end.astimezone(tz)
        theirs = next((lt for lt in s.local_times if lt.handle == p.handle), None)
        when = Text(f"  {a:%a %d %b %H:%M}–{b:%H:%M}", style="bold")
        body = Text(end="")
        if theirs is not None:
            body.append(glue(f"· {theirs.start:%a %H:%M}–{theirs.end:%H:%M}") + " ")
        also = slot_also(s, tz).strip()
        if also:
            body.append(glue(also) + " ", style="dim")
        body.append(" " if body.plain else "")
        body.append_text(lit(slot_verdict(s, first), style="magenta" if s.odd_for else "green"))
        rows.append(Row([(when, len(when) + 1)], body))
    t.rows(rows)


class Row(Hanging):
    """A :class:`Hanging` row that, where its cells leave the body fewer than ``MIN_BODY``
    columns, draws the cells on a line of their own and the body under them, indented by 4
    (for the Detail pane, which measures by drawing; the lists keep :class:`Hanging`)."""

    __slots__ = ()
    MIN_BODY = 24

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width - sum(w for _, w in self.cells) >= self.MIN_BODY:
            yield from super().__rich_console__(console, options)
            return
        out = self.head()
        out.rstrip()
        for line in wrap_glued(self.body, console, max(8, options.max_width - 4)):  # never apart at a GLUE
            out.append("\n    ")
            out.append_text(line)
        out.no_wrap, out.overflow, out.end = True, "crop", "\n"
        yield out


class Lines:
    """Renderables drawn one under the other (text, and :class:`Hanging` rows that wrap under
    their own column), compared by what they show (:meth:`key`): the Detail pane redraws only
    when that changed."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Text | Hanging]) -> None:
        self.parts = tuple(parts)

    @property
    def plain(self) -> str:
        return "\n".join(p.plain for p in self.parts)

    def key(self) -> tuple[object, ...]:
        out: list[object] = []
        for p in self.parts:
            texts = [p] if isinstance(p, Text) else [c for c, _ in p.cells] + [p.body]
            out.extend((t.plain, tuple(t.spans), t.style) for t in texts)
        return tuple(out)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.parts


def plan_detail(plan: Plan, *, tz: str, titles: Mapping[str, str], names: Mapping[str, str]) -> Lines:
    """The focus blocks, one row each: a long title wraps under the title column, never under
    the times (``☾`` marks a block outside working hours)."""
    who = lit(f"Focus blocks for {first_name(plan.person, names) if plan.person else 'me'}", style="bold")
    said = Text(f"(times in {tz}; {glue('☾ outside working hours')})", style="dim")
    parts: list[Text | Hanging] = [Row([(who, len(who) + 2)], said), Text("")]  # what ☾ means wraps under itself
    zone = ZoneInfo(tz)
    if not plan.blocks:
        parts.append(Text("No focus blocks proposed.", style="italic"))
    for b in plan.blocks:
        start = b.start.astimezone(zone)
        end = b.end.astimezone(zone)
        mins = int((b.end - b.start) / timedelta(minutes=1))
        body = lit(titles.get(b.task_id, ""))
        if b.odd_hours:
            body.append("  " + glue("odd hours"), style="magenta")
        parts.append(Row([
            (Text("☾ " if b.odd_hours else "  ", style="bold magenta"), 2),
            (Text(f"{start:%a %d %b} {start:%H:%M}–{end:%H:%M}", style="bold"), 24),
            (Text(f"{minutes_text(mins):>5}", style="dim"), 7),
            (Text(b.task_id, style="bold"), 9),
        ], body))
    if plan.shortfalls:
        parts.append(Text("\nShort of time", style="bold underline"))
        for s in plan.shortfalls:
            body = lit(s.label(zone))
            title = titles.get(s.task_id)
            if title:
                body.append("  ")
                body.append_text(lit(title, style="dim"))
            parts.append(Row([(Text("  ✖ ", style="bold red"), 4)], body))
    return Lines(parts)


# ---------------------------------------------------------------- Filter


filter_tokens = words_of  # the / filter's words (logic.search)


def person_matches(person: Person, tokens: Sequence[str]) -> bool:
    if not tokens:
        return True
    hay = f"{person.handle} {person.name}".lower()
    return all(t in hay for t in tokens)


# ---------------------------------------------------------------- Guided triage


def triage_card(item: RiskItem, *, names: Mapping[str, str], tz: ZoneInfo | None = None,
                decided: Sequence[str] = (), room: Mapping[str, Fit] | None = None,
                loads: Mapping[str, float] | None = None) -> Text | Lines:
    """One at-risk task in full for the guided walk: level, title, every reason, who has room
    for it (as in :func:`task_detail`), the fields."""
    task = item.task
    symbol, word, style = LEVEL_MARK.get(item.level, ("?", str(item.level), ""))
    t = Doc()
    t.append(f"{symbol} {word}", style=style)
    t.append(f"  score {item.score:.0f}\n\n", style="dim")
    t.append(f"{task.id}  ", style="bold")
    t.append_text(lit(task.title, style="bold"))
    t.append("\n\n")
    t.append("Why\n", style="bold underline")
    t.rows(Row([(Text("  • "), 4)], lit(reason)) for reason in item.reasons)  # each under itself, not the bullet
    if room and wants_room(task, room):
        _room_section(t, room, names=names, loads=loads or {})
    t.append("\n")
    assignee = f"{names.get(task.assignee, task.assignee)} ({task.assignee})" if task.assignee else "unassigned"
    _field(t, "Assignee", assignee)
    _field(t, "Due", fmt_when(task.due, tz))
    _field(t, "Priority", task.priority)
    _field(t, "Status", task.status.value)
    _field(t, "Hours", hours_text(task.remaining_hours, task.estimate_hours)
           + (" (h sets one)" if task.remaining_hours is None and task.estimate_hours is None else ""))
    _field(t, "Project", task.project)
    if task.depends_on:
        _field(t, "Depends on", ", ".join(task.depends_on))
    if task.repeat:
        _field(t, "Repeats", f"↻ {task.repeat}")
    if task.blocked_by:
        _field(t, "Blocked by", task.blocked_by)
    if task.snoozed_until:
        _field(t, "Snoozed", fmt_when(task.snoozed_until))
    if task.notes:
        note = task.notes[-1]
        _field(t, "Last note", str(note.text).splitlines()[0] if str(note.text) else "")
    if decided:
        t.append("\n✔ ", style="bold green")
        t.append_text(lit("; ".join(decided), style="green"))
        t.append("\n")
    return t.build()
