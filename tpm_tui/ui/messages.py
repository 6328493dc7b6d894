"""App-wide messages: facts posted by workers, handled by the dashboard screen."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from textual.message import Message

from tpm_tui.domain import MeetingNotes, Occurrence, Task
from tpm_tui.logic.forecast import Forecast
from tpm_tui.logic.results import Brief, LocalTime, MeetingView
from tpm_tui.logic.risk import Fit
from tpm_tui.logic.slots import Slot


@dataclass(frozen=True, eq=False)
class DashboardData:
    """Everything the four panes show for one day (identity-compared: cheap to bind)."""

    brief: Brief
    today: date  # the clock's day in the view zone (the now-line shows only on it)
    names: Mapping[str, str] = field(default_factory=dict)  # person handle -> full name
    projects: Mapping[str, str] = field(default_factory=dict)  # project key -> name (a meeting's related work)
    week: Sequence[tuple[date, Sequence[MeetingView]]] | None = None  # the shown day's week, Mon-Sun (w), else None
    tasks: Mapping[str, Task] = field(default_factory=dict)  # dependencies / plan tasks by id
    open_tasks: int = -1  # how many tasks are open (-1: not counted); says why At risk is empty
    room: Callable[[Task], Mapping[str, Fit]] | None = None  # who has room for a task (services.brief.room_finder)
    forecast: Callable[[str], Forecast | None] | None = None  # a project's forecast by key (services.brief.forecast_finder)
    room_elsewhere: Callable[[Forecast], Sequence[tuple[str, float]]] | None = None  # who else has room (services.brief)
    open_list: Sequence[Task] = ()  # every open task: the / filter finds those not at risk too
    changed: Mapping[str, Task] = field(default_factory=dict)  # tasks changed since (patch_task), by id
    odd_week: Callable[[str], Sequence[tuple[MeetingView, LocalTime]]] | None = None  # a person's odd-hours meetings
    meet: Callable[[str], Sequence[Slot]] | None = None  # times for a 1:1 with a person (logic.slots)
    emails: frozenset[str] | None = None  # every person's e-mail (lower case); None: not known
    my_email: str = ""  # "me"'s e-mail (lower case): a meeting I organise has no answer of mine to give
    meeting_notes: Callable[[Occurrence], tuple[MeetingNotes | None, MeetingNotes | None]] | None = None
    """My notes on an occurrence, and the last earlier occurrence's of its series (services.meeting_notes)."""
    noted: frozenset[str] = frozenset()  # the occurrences with notes of mine (MeetingNotes.key): Today marks them ✎

    @property
    def is_today(self) -> bool:
        return self.brief.day == self.today

    @property
    def now(self) -> datetime:
        return self.brief.now


@dataclass
class DashboardLoaded(Message):
    """A worker computed the dashboard for ``data.brief.day``."""

    data: DashboardData
    reason: str = ""  # "" | "day" | "write" | "fresh" | "disk" (another process wrote) | "import"
    version: int | None = None  # ``store.version`` the data was computed from


@dataclass
class ImportFinished(Message):
    """The import worker finished; ``reports`` are ``FileReport`` objects from the service."""

    reports: Sequence[object]
