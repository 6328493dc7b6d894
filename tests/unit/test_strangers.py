"""``tpm person unknown``: who the imported invites name but tpm does not know — odd hours,
free time and conflicts are judged only for people, so these are where they silently fail."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tpm_tui.domain import Attendee, Meeting, Person
from tpm_tui.services.calendars import strangers
from tpm_tui.storage import Store
from tests.conftest import cli as run, disk_state

KOLKATA = ZoneInfo("Asia/Kolkata")


def meeting(uid: str, organizer: str, *attendees: Attendee, tzid: str | None = "Asia/Kolkata",
            status: str = "CONFIRMED") -> Meeting:
    start = datetime(2026, 12, 2, 10, 0, tzinfo=KOLKATA)
    return Meeting(uid=uid, start=start, end=start.replace(hour=11), organizer=organizer, attendees=attendees,
                   tzid=tzid, status=status)


def test_strangers_are_counted_named_and_placed_in_the_zone_they_organise_in(store: Store) -> None:
    store.put_person(Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata"))
    store.put_person(Person("ravi", "Ravi (ours)", "ravi.k@example.com", "Asia/Kolkata"))
    store.put_meetings([
        meeting("a", "ravi.menon@vendor.example", Attendee("priya@example.com", "Priya"),
                Attendee("RAVI.MENON@vendor.example", "Ravi Menon"), Attendee("room-4@example.com", "Room 4",
                                                                               role="NON-PARTICIPANT")),
        meeting("b", "ravi.menon@vendor.example", Attendee("jo@partner.example", "jo@partner.example"),
                tzid="Asia/Kolkata"),
        meeting("c", "jo@partner.example", Attendee("ravi.menon@vendor.example"), tzid="Europe/London"),
        meeting("d", "gone@example.com", status="CANCELLED"),
        meeting("e", "priya@example.com", Attendee("not-an-address", "Nobody")),
    ])
    found = strangers(store)
    assert [(s.email, s.name, s.meetings, s.zone, s.handle) for s in found] == [
        ("ravi.menon@vendor.example", "Ravi Menon", 3, "Asia/Kolkata", "ravi.menon"),  # "ravi" is taken
        ("jo@partner.example", "", 2, "Europe/London", "jo"),  # a CN that is an address names nobody
    ]  # not the room (a non-participant), not the cancelled meeting's, not a malformed address
    assert found[0].add_command() == ("tpm person add ravi.menon --name 'Ravi Menon' "
                                      "--email ravi.menon@vendor.example --tz Asia/Kolkata")
    assert found[1].add_command() == "tpm person add jo --name Jo --email jo@partner.example --tz Europe/London"


def test_cli_lists_them_with_the_line_to_add_each_and_that_line_works(demo_db: Path) -> None:
    before = disk_state(demo_db)
    out = run("person", "unknown", "--db", str(demo_db))
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == ("3 people in your imported meetings tpm does not know (their odd hours and free time are "
                        "not judged until added):")
    assert lines[1] == ("  Card processor account team <account.manager@cardprocessor.example>: 1 meeting; "
                        "organises in Europe/Berlin")
    assert disk_state(demo_db) == before  # only read
    listed = json.loads(run("person", "unknown", "--format", "json", "--db", str(demo_db)).stdout)
    assert [s["email"] for s in listed] == ["account.manager@cardprocessor.example", "cto@example.com",
                                            "training@example.com"]
    import shlex

    add = shlex.split(listed[1]["add"])[1:]
    assert add[:2] == ["person", "add"]
    assert run(*add, "--db", str(demo_db)).exit_code == 0
    after = json.loads(run("person", "unknown", "--format", "json", "--db", str(demo_db)).stdout)
    assert [s["email"] for s in after] == ["account.manager@cardprocessor.example", "training@example.com"]
    assert run("person", "unknown", "--db", str(Path(demo_db).parent / "empty.json")).stdout == \
        "Everyone your imported meetings name is a person here.\n"
