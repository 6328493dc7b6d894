"""Seeded generators of large databases (the project's own schema) for benchmarks.

    python -m benchmarks generate --tasks 10000 --people 200 --meetings 5000 --db big.json
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tpm_tui.domain import PRIORITIES, Attendee, Meeting, Person, Project, Settings, Task, TaskStatus

ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Kolkata",
         "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo")
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 8, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def make_people(n: int, rng: random.Random) -> list[Person]:
    people = []
    for i in range(n):
        start = rng.choice(("08:00", "08:30", "09:00", "10:00"))
        end = {"08:00": "16:30", "08:30": "17:00", "09:00": "17:30", "10:00": "18:30"}[start]
        people.append(Person(handle=f"p{i:04d}", name=f"Person {i}", email=f"p{i:04d}@example.com",
                             timezone=ZONES[i % len(ZONES)], work_start=start, work_end=end))
    return people


def make_tasks(n: int, people: list[Person], projects: list[str], rng: random.Random) -> list[Task]:
    tasks = []
    counters: dict[str, int] = {}
    for _ in range(n):
        project = rng.choice(projects)
        counters[project] = counters.get(project, 0) + 1
        tid = f"{project}-{counters[project]}"
        est = float(rng.choice((2, 4, 6, 8, 12, 16, 24)))
        status = rng.choices(list(TaskStatus), weights=(50, 25, 5, 20))[0]
        due = TODAY + timedelta(days=rng.randint(-10, 60))
        deps: tuple[str, ...] = ()
        if counters[project] > 3 and rng.random() < 0.1:
            deps = (f"{project}-{rng.randint(1, counters[project] - 1)}",)
        tasks.append(Task(
            id=tid, project=project, title=f"Task {tid} about component {rng.randint(1, 500)}",
            assignee=rng.choice(people).handle if rng.random() < 0.95 else None,
            status=status, priority=rng.choice(PRIORITIES), due=due, estimate_hours=est,
            remaining_hours=0.0 if status is TaskStatus.DONE else round(est * rng.random(), 1),
            depends_on=deps, time_sensitive=rng.random() < 0.05,
            created_at=NOW - timedelta(days=rng.randint(5, 90)),
            updated_at=NOW - timedelta(days=rng.randint(0, 20)),
        ))
    return tasks


def make_meetings(n: int, people: list[Person], rng: random.Random) -> list[Meeting]:
    meetings = []
    monday = TODAY - timedelta(days=TODAY.weekday())
    for i in range(n):
        zone = rng.choice(ZONES)
        day = monday + timedelta(days=rng.randint(-14, 28))
        start = datetime.combine(day, time(rng.randint(6, 19), rng.choice((0, 30))), tzinfo=ZoneInfo(zone))
        length = timedelta(minutes=rng.choice((15, 30, 45, 60, 90)))
        who = rng.sample(people, k=min(len(people), rng.randint(2, 6)))
        recurring = rng.random() < 0.15
        meetings.append(Meeting(
            uid=f"gen-{i}@bench", start=start, end=start + length, tzid=zone,
            summary=f"Meeting {i}", organizer=who[0].email,
            attendees=tuple(Attendee(p.email, p.name, "ACCEPTED") for p in who),
            rrule="FREQ=WEEKLY;BYDAY=" + ("MO", "TU", "WE", "TH", "FR")[day.weekday() % 5] if recurring else None,
            dtstamp=datetime(2026, 11, 1, tzinfo=UTC),
        ))
    return meetings


def add_history(store: object, n: int, seed: int = 7) -> None:
    """``n`` past single meetings, 15 days to three years back, among the store's people:
    the history a manager accumulates by importing invites for years."""
    rng = random.Random(seed)
    folks = store.people()  # type: ignore[attr-defined]
    meetings = []
    for i in range(n):
        zone = rng.choice(ZONES)
        day = TODAY - timedelta(days=rng.randint(15, 1100))
        start = datetime.combine(day, time(rng.randint(6, 19), rng.choice((0, 30))), tzinfo=ZoneInfo(zone))
        who = rng.sample(folks, k=min(len(folks), rng.randint(2, 6)))
        meetings.append(Meeting(
            uid=f"past-{i}@bench", start=start, end=start + timedelta(minutes=rng.choice((15, 30, 60))), tzid=zone,
            summary=f"Past meeting {i}", organizer=who[0].email,
            attendees=tuple(Attendee(p.email, p.name, "ACCEPTED") for p in who),
            dtstamp=datetime(2024, 1, 1, tzinfo=UTC),
        ))
    store.put_meetings(meetings)  # type: ignore[attr-defined]


def add_done_history(store: object, n: int, seed: int = 3) -> None:
    """``n`` tasks done long ago (due 30 days to three years back), in projects of their own."""
    rng = random.Random(seed)
    folks = [p.handle for p in store.people()]  # type: ignore[attr-defined]
    store.put_tasks([  # type: ignore[attr-defined]
        Task(id=f"OLD{i // 1000}-{i % 1000 + 1}", project=f"OLD{i // 1000}", title=f"Done long ago {i}",
             assignee=rng.choice(folks), status=TaskStatus.DONE, due=TODAY - timedelta(days=rng.randint(30, 1100)),
             estimate_hours=4.0, remaining_hours=0.0, created_at=NOW - timedelta(days=1200),
             updated_at=NOW - timedelta(days=rng.randint(30, 1100)))
        for i in range(n)
    ])


def fill(store: object, *, tasks: int, people: int, meetings: int, seed: int = 42, tz: str = "Europe/Berlin") -> None:
    """Seeded people, projects, tasks and meetings into ``store`` (a Store), in one transaction."""
    rng = random.Random(seed)
    folks = make_people(people, rng)
    projects = [f"P{k}" for k in range(max(3, tasks // 500))]
    with store.transaction():  # type: ignore[attr-defined]
        for p in folks:
            store.put_person(p)  # type: ignore[attr-defined]
        for key in projects:
            store.put_project(Project(key=key, name=f"Project {key}", owner=folks[0].handle))  # type: ignore[attr-defined]
        store.put_tasks(make_tasks(tasks, folks, projects, rng))  # type: ignore[attr-defined]
        store.put_meetings(make_meetings(meetings, folks, rng))  # type: ignore[attr-defined]
        store.put_settings(Settings(me=folks[0].handle, timezone=tz))  # type: ignore[attr-defined]


def generate_db(path: Path, *, tasks: int, people: int, meetings: int, seed: int = 42) -> Path:
    """Write a database with that many tasks, people and meetings (replacing ``path``)."""
    from tpm_tui.storage import Store

    for stale in (path, Path(str(path) + ".wal")):
        if stale.exists():
            stale.unlink()
    fill(Store.open(path), tasks=tasks, people=people, meetings=meetings, seed=seed)
    return path
