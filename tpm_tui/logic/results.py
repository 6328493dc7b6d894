"""What the logic layer computes, as immutable named tuples.

These are the contract between the pure logic (risk, workload, odd hours, plan,
agenda), the services, the CLI (``tpm brief`` JSON) and the TUI panes. Standard
library and ``tpm_tui.domain`` only.

Named tuples, not frozen dataclasses: as immutable, compared and hashed by value, changed
with ``._replace``; but a frozen dataclass is generated at import with
half a dozen ``exec`` calls (~1.2 ms each class here), and ``tpm brief`` imports these on
every run (8 classes: ~8 ms of a ~0.29 s command).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import NamedTuple

from tpm_tui.domain import Occurrence, Person, RiskLevel, Task


class LocalTime(NamedTuple):
    """One person's wall-clock view of a meeting: ``Priya 22:30–23:00 Thu``."""

    handle: str
    start: datetime  # aware, in the person's zone
    end: datetime
    odd: bool  # any part outside their working hours/days
    by_choice: bool = False  # outside them, but my own appointment: my choice of hour, not odd hours for me

    def label(self, name: str | None = None) -> str:
        s, e = self.start, self.end  # what strftime's "%H:%M … %a" gives (the C locale), without it
        return f"{name or self.handle} {s.hour:02d}:{s.minute:02d}–{e.hour:02d}:{e.minute:02d} {_WEEKDAYS[s.weekday()]}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class MeetingView(NamedTuple):
    """An occurrence as shown on a day: with odd-hours and conflict facts."""

    occurrence: Occurrence
    start: datetime | date  # aware in the view zone, or a date for all-day
    end: datetime | date
    odd_hours_for: tuple[str, ...] = ()  # person handles
    local_times: tuple[LocalTime, ...] = ()  # every known attendee (and me)
    conflicts_with: tuple[str, ...] = ()  # uids of overlapping meetings of "me"
    my_answer: str = ""  # "me"'s PARTSTAT when invited (ACCEPTED, DECLINED, TENTATIVE, NEEDS-ACTION…)

    @property
    def odd_hours(self) -> bool:
        return bool(self.odd_hours_for)

    @property
    def summary(self) -> str:
        return self.occurrence.meeting.summary


class RiskItem(NamedTuple):
    task: Task
    score: float  # higher = more urgent; for ordering
    level: RiskLevel
    reasons: tuple[str, ...]  # plain words with numbers, never empty


class PersonLoad(NamedTuple):
    person: Person
    capacity_hours: float
    task_hours: float
    meeting_hours: float

    @property
    def load_pct(self) -> float:
        demand = self.task_hours + self.meeting_hours
        if self.capacity_hours <= 0:
            return 0.0 if demand == 0 else 999.0
        return round(100.0 * demand / self.capacity_hours, 1)

    @property
    def overloaded(self) -> bool:
        return self.load_pct > 100.0


class PlanBlock(NamedTuple):
    task_id: str
    start: datetime  # aware
    end: datetime
    odd_hours: bool  # outside the person's working hours


class Shortfall(NamedTuple):
    task_id: str
    hours_short: float
    due: datetime | date
    waits_for: str = ""  # the dependency it could not start before (see the planner's rules)
    waits_until: datetime | date | None = None  # ... when that one is due

    def label(self, tz: tzinfo | None = None) -> str:
        """``API-9: 5h short before Fri 04 Dec``; a due time is shown too, in ``tz`` when
        given (else as stored): ``before Tue 01 Dec 10:00``; ``(waits for API-7, due Thu 03 Dec
        18:00)`` when it could not start before another task is due."""
        said = f"{self.task_id}: {self.hours_short:g}h short before {_when(self.due, tz)}"
        if self.waits_for and self.waits_until is not None:
            said += f" (waits for {self.waits_for}, due {_when(self.waits_until, tz)})"
        return said


def _when(value: datetime | date, tz: tzinfo | None) -> str:
    if isinstance(value, datetime):
        if tz is not None and value.tzinfo is not None:
            value = value.astimezone(tz)
        return value.strftime("%a %d %b %H:%M")
    return value.strftime("%a %d %b")


class Plan(NamedTuple):
    person: str | None
    blocks: tuple[PlanBlock, ...] = ()
    shortfalls: tuple[Shortfall, ...] = ()


class Brief(NamedTuple):
    """Everything for one local day: ``tpm brief``, the dashboard and the markdown update."""

    day: date
    tz: str
    now: datetime
    meetings: tuple[MeetingView, ...] = ()
    at_risk: tuple[RiskItem, ...] = ()
    workload: tuple[PersonLoad, ...] = ()
    plan: Plan = Plan(person=None)
