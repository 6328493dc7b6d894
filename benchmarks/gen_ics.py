"""A seeded generator of large, realistic .ics calendars (for the import benchmark).

80% single events, 15% weekly series with EXDATEs, 5% overrides of those series;
several zones (with VTIMEZONE blocks, as Outlook and Google write them), attendees,
folded long lines, CRLF.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "America/Los_Angeles", "UTC")

VTIMEZONES = {
    "Europe/Berlin": (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
        "TZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    ),
    "America/New_York": (
        "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n"
        "TZNAME:EDT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nDTSTART:19701101T020000\r\n"
        "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    ),
    "Asia/Kolkata": (
        "BEGIN:VTIMEZONE\r\nTZID:Asia/Kolkata\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n"
        "TZNAME:IST\r\nDTSTART:19700101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    ),
}

WORDS = ("Sync", "Review", "Planning", "Standup", "Retro", "Demo", "1:1", "Budget", "Roadmap", "Hiring", "Design")


def _fold(line: str) -> str:
    out, first = [], True
    while len(line.encode()) > 75:
        cut = 75 if first else 74
        out.append(line[:cut])
        line = line[cut:]
        first = False
    out.append(line)
    return "\r\n ".join(out)


def _dt(value: datetime, zone: str) -> str:
    if zone == "UTC":
        return f":{value:%Y%m%dT%H%M%S}Z"
    return f";TZID={zone}:{value:%Y%m%dT%H%M%S}"


def generate(events: int = 10_000, seed: int = 42, around: date = date(2026, 11, 30)) -> bytes:
    """One calendar with ``events`` VEVENTs, deterministic for a given seed."""
    rng = random.Random(seed)
    n_single = int(events * 0.80)
    n_weekly = int(events * 0.15)
    n_override = events - n_single - n_weekly
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tpm benchmarks//gen_ics//EN", "METHOD:PUBLISH"]
    text = ["\r\n".join(lines) + "\r\n", *VTIMEZONES.values()]
    people = [f"person{i:03d}@example.com" for i in range(200)]
    weekly: list[tuple[str, datetime, str]] = []

    def event(uid: str, start: datetime, minutes: int, zone: str, extra: list[str], summary: str) -> str:
        attendees = rng.sample(people, rng.randint(1, 6))
        body = [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20261101T080000Z",
            f"DTSTART{_dt(start, zone)}",
            f"DTEND{_dt(start + timedelta(minutes=minutes), zone)}",
            f"SUMMARY:{summary}",
            f"ORGANIZER;CN=Organizer {uid[-3:]}:mailto:{rng.choice(people)}",
            *[
                f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN={a.split('@')[0].title()}:mailto:{a}"
                for a in attendees
            ],
            f"DESCRIPTION:Agenda for {summary.lower()}\\, see the shared document for details and notes.",
            f"LOCATION:Room {rng.randint(1, 40)}",
            "SEQUENCE:0",
            "STATUS:CONFIRMED",
            *extra,
            "END:VEVENT",
        ]
        return "\r\n".join(_fold(b) for b in body) + "\r\n"

    base = datetime(around.year, around.month, around.day)
    for i in range(n_single):
        zone = rng.choice(ZONES)
        start = base + timedelta(days=rng.randint(-180, 180), hours=rng.randint(7, 18), minutes=rng.choice((0, 30)))
        text.append(event(f"single-{i:06d}@bench", start, rng.choice((15, 30, 60, 90)), zone, [], f"{rng.choice(WORDS)} {i}"))
    for i in range(n_weekly):
        zone = rng.choice(ZONES)
        start = base + timedelta(days=rng.randint(-400, 30), hours=rng.randint(7, 18), minutes=rng.choice((0, 30)))
        uid = f"weekly-{i:06d}@bench"
        exdates = [start + timedelta(weeks=rng.randint(1, 50)) for _ in range(rng.randint(1, 3))]
        extra = ["RRULE:FREQ=WEEKLY" + rng.choice(("", ";UNTIL=20271231T235959Z", ";COUNT=80"))]
        extra += [f"EXDATE{_dt(x, zone)}" for x in sorted(set(exdates))]
        text.append(event(uid, start, 30, zone, extra, f"Weekly {rng.choice(WORDS)} {i}"))
        weekly.append((uid, start, zone))
    for i in range(n_override):
        uid, start, zone = weekly[i % len(weekly)]
        original = start + timedelta(weeks=1 + i // len(weekly) + rng.randint(0, 30))
        moved = original + timedelta(hours=rng.choice((-2, -1, 1, 2, 24)))
        extra = [f"RECURRENCE-ID{_dt(original, zone)}"]
        text.append(event(uid, moved, 30, zone, extra, f"Moved {i}"))
    text.append("END:VCALENDAR\r\n")
    return "".join(text).encode("utf-8")
