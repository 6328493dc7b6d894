"""Deterministic demo data, generated relative to a given day so it always looks alive.

Used by ``tpm demo``, ``tpm --demo``, the tests and the screenshots. The team spans
five zones; the week has a recurring cross-zone stand-up (odd hours for Priya in
Kolkata and Marcus in Los Angeles), a training seminar, two overlapping meetings and
a late-evening call for Ava in Sydney. If ``today`` is a weekend, the dated meetings
and due dates are laid out from the next Monday, so moving to Monday shows a full day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tpm_tui.storage import Store
from tpm_tui.domain import Attendee, Meeting, MeetingNotes, Note, Person, Project, Settings, Task, TaskStatus, recurrence_key

ME = "sam"
MY_ZONE = "Europe/Berlin"

PEOPLE = (
    Person("sam", "Sam Okafor", "sam@example.com", "Europe/Berlin", "09:00", "17:30", role="Project manager"),
    Person("lena", "Lena Vogel", "lena@example.com", "Europe/Berlin", "08:30", "17:00", role="Frontend"),
    Person("tom", "Tom Becker", "tom@example.com", "Europe/Berlin", "09:00", "15:00", role="Design",
           weekly_capacity_hours=20.0),
    Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata", "10:00", "18:30", role="Backend"),
    Person("yuki", "Yuki Tanaka", "yuki@example.com", "Asia/Tokyo", "10:00", "18:00", role="Data"),
    Person("ava", "Ava Thompson", "ava@example.com", "Australia/Sydney", "09:00", "17:00", role="QA"),
    Person("marcus", "Marcus Chen", "marcus@example.com", "America/Los_Angeles", "08:00", "16:30", role="SRE"),
    Person("diego", "Diego Alvarez", "diego@example.com", "America/New_York", "09:00", "17:30", role="Mobile"),
)

PROJECTS = (
    ("API", "Payments API v2", "sam", 4),
    ("MOB", "Mobile app 3.0", "sam", 20),
    ("DATA", "Data platform migration", "sam", 30),
)

# (project, title, assignee, due in working days from the anchor day, estimate h, remaining h,
#  priority, status, extra)  -- extra: depends, stale days, time-sensitive, created days ago, tags
TASKS: tuple[tuple, ...] = (
    # Payments API
    ("API", "Tokenise stored card numbers", "priya", 2, 24, 20, "critical", "doing", {"ts": True, "created": 10}),
    ("API", "Idempotency keys for refunds", "priya", 4, 12, 10, "high", "todo", {"created": 8}),
    ("API", "Webhook retry with backoff", "marcus", -2, 8, 3, "high", "doing", {"created": 12}),
    ("API", "Rate limiting at the gateway", "marcus", 6, 10, 10, "normal", "todo", {}),
    ("API", "Publish OpenAPI spec v2", "lena", 1, 6, 5, "high", "todo", {"ts": True, "created": 6}),
    ("API", "PCI scope review with auditors", "sam", 3, 4, 4, "critical", "todo", {"ts": True}),
    ("API", "Migrate settlement batch job", "priya", 3, 16, 16, "normal", "todo", {"depends": ["API-9"]}),
    ("API", "Load test refunds endpoint", "marcus", 8, 6, 6, "normal", "todo", {}),
    ("API", "Settlement reconciliation report", "yuki", 7, 12, 12, "normal", "todo", {}),
    ("API", "Deprecate v1 auth tokens", None, 2, 5, 5, "high", "todo", {}),
    ("API", "Fix currency rounding in invoices", "priya", -4, 3, 0, "high", "done", {}),
    ("API", "Document error codes", "lena", 9, 4, 4, "low", "todo", {}),
    ("API", "Alerting for failed payouts", "marcus", 5, 6, 2, "high", "doing", {"stale": 9}),
    ("API", "Sandbox merchant onboarding", "diego", 10, 8, 8, "normal", "todo", {}),
    # Mobile app
    ("MOB", "Offline mode for order list", "diego", 3, 20, 18, "high", "doing", {"created": 15}),
    ("MOB", "Push notification opt-in screen", "lena", 5, 8, 8, "normal", "todo", {}),
    ("MOB", "Accessibility audit fixes", "tom", 4, 14, 12, "high", "todo", {"created": 9}),
    ("MOB", "App store screenshots", "tom", 8, 6, 6, "low", "todo", {}),
    ("MOB", "Crash on Android 12 camera", "diego", -1, 4, 2, "critical", "doing", {"ts": True, "created": 5}),
    ("MOB", "Dark mode colour tokens", "tom", 6, 6, 6, "normal", "blocked", {"blocked_by": "waiting for brand team"}),
    ("MOB", "Release 3.0 beta to testers", "ava", 4, 6, 6, "high", "todo", {"depends": ["MOB-1", "MOB-5"]}),
    ("MOB", "Regression suite on iOS 19", "ava", 4, 10, 9, "high", "doing", {"created": 7}),
    ("MOB", "Deep links for campaigns", "diego", 12, 8, 8, "normal", "todo", {}),
    ("MOB", "Localise checkout (de, ja, hi)", "yuki", 9, 10, 10, "normal", "todo", {}),
    ("MOB", "Beta feedback triage", "ava", 11, 4, 4, "low", "todo", {}),
    ("MOB", "Update onboarding copy", "lena", -3, 2, 0, "normal", "done", {}),
    ("MOB", "Biometric login", "diego", 15, 12, 12, "normal", "todo", {}),
    # Data platform
    ("DATA", "Backfill events into the lakehouse", "yuki", 2, 16, 14, "high", "doing", {"created": 20, "stale": 12}),
    ("DATA", "Schema registry for event topics", "yuki", 8, 10, 10, "normal", "todo", {"depends": ["DATA-9"]}),
    ("DATA", "Decommission old ETL cluster", "marcus", 14, 12, 12, "normal", "todo", {"depends": ["DATA-1"]}),
    ("DATA", "PII tagging of warehouse columns", "priya", 6, 8, 8, "high", "todo", {}),
    ("DATA", "Dashboards for finance team", "yuki", 12, 8, 8, "low", "todo", {}),
    ("DATA", "Cloud cost report for the steering committee", "sam", 1, 10, 9, "critical", "doing",
     {"ts": True, "at": "10:00", "created": 6, "repeat": "monthly"}),
    ("DATA", "Data retention policy draft", "sam", -1, 4, 2, "high", "doing", {"created": 14}),
    ("DATA", "Kafka consumer lag alerts", "marcus", 4, 4, 4, "normal", "todo", {}),
    ("DATA", "Migrate dbt models", "priya", 10, 14, 14, "normal", "todo", {"depends": ["DATA-2"]}),
    ("DATA", "Access review for analysts", "ava", 7, 3, 3, "normal", "todo", {"repeat": "every 3 months"}),
    ("DATA", "Archive 2019 raw events", "yuki", -6, 6, 0, "low", "done", {}),
    ("DATA", "Query performance baseline", "lena", 13, 6, 6, "low", "todo", {}),
    ("DATA", "Vendor contract renewal", None, 8, 2, 2, "normal", "todo", {}),
)

# Meetings: (uid, summary, day offset in working days or None for recurring, start, end, zone,
#            organiser, attendees, extra)
_STANDUP_TEAM = ("sam", "lena", "tom", "priya", "marcus", "diego")


def working_day(anchor: date, n: int) -> date:
    """``n`` working days (Mon–Fri) after ``anchor`` (before it when negative)."""
    day = anchor
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return day


def anchor_day(today: date) -> date:
    """Today on a working day; the next Monday at a weekend."""
    if today.weekday() >= 5:
        return today + timedelta(days=7 - today.weekday())
    return today


def _email(handle: str) -> str:
    return f"{handle}@example.com"


def _names() -> dict[str, str]:
    return {p.handle: p.name for p in PEOPLE}


def _attendees(handles: tuple[str, ...], extra: tuple[Attendee, ...] = (),
               answers: dict[str, str] | None = None) -> tuple[Attendee, ...]:
    """Attendees who accepted, but for ``answers`` (handle -> PARTSTAT)."""
    names = _names()
    answers = answers or {}
    return tuple(Attendee(_email(h), names[h], answers.get(h, "ACCEPTED"), "REQ-PARTICIPANT") for h in handles) + extra


def _due(day: date, at: str | None) -> date | datetime:
    """A date, or a date-time in the demo user's zone when the task is due at a given hour."""
    if at is None:
        return day
    hh, mm = (int(x) for x in at.split(":"))
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(MY_ZONE))


def demo_tasks(today: date, now: datetime) -> list[Task]:
    anchor = anchor_day(today)
    counters: dict[str, int] = {}
    tasks: list[Task] = []
    for project, title, assignee, due_in, est, rem, prio, status, extra in TASKS:
        counters[project] = counters.get(project, 0) + 1
        tid = f"{project}-{counters[project]}"
        created = now - timedelta(days=extra.get("created", 14))
        stale = extra.get("stale")
        updated = now - timedelta(days=stale) if stale else now - timedelta(days=1, hours=3)
        notes: tuple[Note, ...] = ()
        if stale:
            notes = (Note(at=updated, text="Waiting on infra for a test environment."),)
        tasks.append(
            Task(
                id=tid,
                project=project,
                title=title,
                assignee=assignee,
                status=TaskStatus(status),
                priority=prio,
                due=_due(working_day(anchor, due_in), extra.get("at")),
                estimate_hours=float(est),
                remaining_hours=float(rem),
                depends_on=tuple(extra.get("depends", ())),
                time_sensitive=bool(extra.get("ts", False)),
                notes=notes,
                blocked_by=extra.get("blocked_by"),
                created_at=created,
                updated_at=updated,
                repeat=extra.get("repeat"),
            )
        )
    # API-7 (settlement batch job) depends on API-9 (reconciliation report), which is
    # due four working days later: a dependency that will block it. DATA-2 and DATA-9
    # depend on each other (a planning mistake the risk engine reports as a cycle).
    # DATA-6 needs 9 h before 10:00 tomorrow: more than Sam's free working hours, so the
    # plan proposes an evening block (odd hours).
    return tasks


def demo_meetings(today: date) -> list[Meeting]:
    anchor = anchor_day(today)
    monday = anchor - timedelta(days=anchor.weekday())
    stamp = datetime.combine(monday - timedelta(days=3), time(8, 0), tzinfo=UTC)

    def at(day: date, hh: int, mm: int, zone: str = "Europe/Berlin") -> datetime:
        return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(zone))

    external = (Attendee("account.manager@cardprocessor.example", "Card processor account team", "NEEDS-ACTION"),)
    meetings = [
        Meeting(
            uid="demo-standup@tpm",
            summary="Daily stand-up",
            start=at(monday - timedelta(days=7), 16, 0),
            end=at(monday - timedelta(days=7), 16, 15),
            tzid="Europe/Berlin",
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            organizer=_email("sam"),
            attendees=_attendees(_STANDUP_TEAM),
            location="https://meet.example.com/standup",
            description="Yesterday, today, blockers. Keep it to 15 minutes.",
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-planning@tpm",
            summary="Sprint planning — Payments API",
            start=at(anchor, 10, 0),
            end=at(anchor, 11, 0),
            tzid="Europe/Berlin",
            organizer=_email("sam"),
            attendees=_attendees(("sam", "lena", "priya", "marcus")),
            location="Room Spree / video",
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-vendor@tpm",
            summary="Vendor call: card processor",
            start=at(anchor, 10, 30),
            end=at(anchor, 11, 15),
            tzid="Europe/Berlin",
            organizer="account.manager@cardprocessor.example",
            attendees=_attendees(("sam", "priya"), external),
            location="Teams",
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-training@tpm",
            summary="Secure coding training (seminar)",
            start=at(anchor, 13, 30),
            end=at(anchor, 15, 0),
            tzid="Europe/Berlin",
            organizer="training@example.com",
            attendees=_attendees(("sam", "lena", "tom")),
            location="Auditorium B",
            categories=("TRAINING",),
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-qa-sync@tpm",
            summary="QA sync with Sydney",
            start=at(anchor, 18, 0, "Australia/Sydney"),
            end=at(anchor, 18, 30, "Australia/Sydney"),
            tzid="Australia/Sydney",
            organizer=_email("ava"),
            attendees=_attendees(("ava", "sam", "diego")),
            location="https://meet.example.com/qa",
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-1on1-priya@tpm",
            summary="1:1 Sam / Priya",
            start=at(working_day(anchor, 1), 11, 30),
            end=at(working_day(anchor, 1), 12, 0),
            tzid="Europe/Berlin",
            organizer=_email("sam"),
            attendees=_attendees(("sam", "priya")),
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-data-review@tpm",
            summary="Data migration review",
            start=at(working_day(anchor, 1), 17, 0, "Asia/Tokyo"),
            end=at(working_day(anchor, 1), 18, 0, "Asia/Tokyo"),
            tzid="Asia/Tokyo",
            organizer=_email("yuki"),
            attendees=_attendees(("yuki", "sam", "priya", "marcus")),
            location="https://meet.example.com/data",
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-go-no-go@tpm",
            summary="Release 3.0 beta go/no-go",
            start=at(working_day(anchor, 2), 17, 0, "America/New_York"),
            end=at(working_day(anchor, 2), 17, 45, "America/New_York"),
            tzid="America/New_York",
            organizer=_email("diego"),
            # an invitation the demo user has not answered yet (23:00 in Berlin)
            attendees=_attendees(("diego", "sam", "ava", "lena"), answers={"sam": "NEEDS-ACTION"}),
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-steering@tpm",
            summary="Steering committee",
            start=at(working_day(anchor, 3), 14, 0),
            end=at(working_day(anchor, 3), 15, 0),
            tzid="Europe/Berlin",
            organizer="cto@example.com",
            attendees=_attendees(("sam",), (Attendee("cto@example.com", "Chief Technology Officer", "ACCEPTED"),)),
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-retro@tpm",
            summary="Sprint retrospective",
            start=at(working_day(anchor, 4), 15, 0),
            end=at(working_day(anchor, 4), 16, 0),
            tzid="Europe/Berlin",
            organizer=_email("sam"),
            attendees=_attendees(_STANDUP_TEAM),
            calendar="demo",
            dtstamp=stamp,
        ),
        Meeting(
            uid="demo-offsite@tpm",
            summary="Team offsite planning day",
            start=working_day(anchor, 5),
            end=working_day(anchor, 5) + timedelta(days=1),
            all_day=True,
            organizer=_email("sam"),
            attendees=_attendees(("sam", "lena", "tom")),
            calendar="demo",
            dtstamp=stamp,
        ),
    ]
    return meetings


def seed(store: Store, today: date, now: datetime | None = None) -> None:
    """Write the whole demo dataset into ``store`` (a Store) in one transaction."""
    if now is None:
        now = datetime.combine(today, time(8, 30), tzinfo=ZoneInfo(MY_ZONE))
    anchor = anchor_day(today)
    people = list(PEOPLE)
    # Lena is off on the anchor's next working day: capacity and planning see it.
    people[1] = Person(**{**_person_kwargs(people[1]), "days_off": (working_day(anchor, 1),)})
    with store.transaction():
        for p in people:
            store.put_person(p)
        for key, name, owner, weeks_days in PROJECTS:
            store.put_project(
                Project(
                    key=key,
                    name=name,
                    owner=owner,
                    target_date=working_day(anchor, weeks_days),
                    stakeholders=("cto@example.com",),
                )
            )
        store.put_tasks(demo_tasks(today, now))
        store.put_meetings(demo_meetings(today))
        store.put_meeting_notes(_standup_notes(anchor, now))
        store.put_settings(Settings(me=ME, timezone=MY_ZONE))


def _standup_notes(anchor: date, now: datetime) -> MeetingNotes:
    """My notes on the last working day's stand-up: today's shows them as "Last time"."""
    day = working_day(anchor, -1)
    start = datetime.combine(day, time(16, 0), tzinfo=ZoneInfo("Europe/Berlin"))
    written = start + timedelta(minutes=20)
    return MeetingNotes(uid="demo-standup@tpm", occurrence=recurrence_key(start), start=start,
                        summary="Daily stand-up", notes=(
                            Note(at=written, text="Staging DB credentials expire Wednesday: Marcus renews them"),
                            Note(at=written, text="Diego blocked on the Android 12 camera crash; pair him with Ava")))


def _person_kwargs(p: Person) -> dict[str, object]:
    return p._asdict()
