"""The brief as the SPEC's JSON, as terminal text and as a markdown update."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tpm_tui.domain import Attendee, Meeting, Occurrence, Person, Project, RiskLevel, Task
from tpm_tui.logic.render import brief_to_json, hours_text, md_text, render_markdown, render_text, safe_text, task_lines
from tpm_tui.logic.results import Brief, LocalTime, MeetingView, PersonLoad, Plan, PlanBlock, RiskItem, Shortfall

BER = ZoneInfo("Europe/Berlin")
IST = ZoneInfo("Asia/Kolkata")
DAY = date(2026, 11, 26)  # a Thursday
PEOPLE = [
    Person("sam", "Sam Okafor", "sam@example.com", "Europe/Berlin"),
    Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata"),
]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("a\x00b\x07c", "a␀b␇c"),
        ("tab\tstays", "tab\tstays"),
        ("line\nbreak\r", "line␊break␍"),
        ("del\x7f", "del␡"),
        ("csi\x9b2J", "csi\ufffd2J"),
        ("\u202eevil\u202c", "\ufffdevil\ufffd"),
        ("\u2066iso\u2069", "\ufffdiso\ufffd"),
        ("Zoë 会議 – ok", "Zoë 会議 – ok"),
        ("[bold]markup[/]", "[bold]markup[/]"),
        (None, ""),
    ],
)
def test_safe_text(raw, safe):
    assert safe_text(raw) == safe


def test_safe_text_fast_path_skips_only_printable_text():
    """``safe_text`` returns printable text untouched without translating it: sound only
    while every character it replaces is one Python calls unprintable."""
    from tpm_tui.logic.render import _SAFE_TABLE

    assert [hex(c) for c in _SAFE_TABLE if chr(c).isprintable()] == []
    for c in _SAFE_TABLE:
        assert safe_text(f"a{chr(c)}b") == f"a{_SAFE_TABLE[c]}b"


def test_md_text_escapes_styling_punctuation():
    assert md_text("*hot* _fix_ [link](x) <b>|") == "\\*hot\\* \\_fix\\_ \\[link\\](x) \\<b\\>\\|"
    assert md_text("a\tb\x1b") == "a b␛"


def make_brief() -> Brief:
    review_m = Meeting(
        uid="rev-1",
        start=datetime(2026, 11, 26, 18, 0, tzinfo=BER),
        end=datetime(2026, 11, 26, 18, 30, tzinfo=BER),
        summary="Review \x1b[2J now",
        location="Room 1",
        organizer="sam@example.com",
        attendees=(Attendee("priya@example.com", "Priya Raman", "ACCEPTED"),),
    )
    review = MeetingView(
        occurrence=Occurrence(review_m, review_m.start, review_m.end),
        start=review_m.start,
        end=review_m.end,
        odd_hours_for=("sam", "priya"),
        local_times=(
            LocalTime("sam", review_m.start, review_m.end, True),
            LocalTime("priya", datetime(2026, 11, 26, 22, 30, tzinfo=IST), datetime(2026, 11, 26, 23, 0, tzinfo=IST), True),
        ),
        conflicts_with=("sync",),
    )
    sync_m = Meeting(uid="sync", start=datetime(2026, 11, 26, 18, 15, tzinfo=BER), end=datetime(2026, 11, 26, 19, 0, tzinfo=BER), summary="Sync")
    sync = MeetingView(Occurrence(sync_m, sync_m.start, sync_m.end), sync_m.start, sync_m.end, conflicts_with=("rev-1",))
    hol_m = Meeting(uid="hol", start=DAY, end=date(2026, 11, 27), all_day=True, summary="Thanksgiving", recurrence_id=None)
    hol = MeetingView(Occurrence(hol_m, DAY, date(2026, 11, 27), recurrence_id="20261126"), DAY, date(2026, 11, 27))
    late = Task("API-3", "API", "Webhook *retry*", assignee="priya", due=date(2026, 11, 24))
    risky = Task("MOB-1", "MOB", "Offline mode", assignee="sam", due=datetime(2026, 11, 28, 17, 0, tzinfo=BER))
    watch = Task("DATA-2", "DATA", "Schema registry", due=date(2026, 11, 28))
    return Brief(
        day=DAY,
        tz="Europe/Berlin",
        now=datetime(2026, 11, 26, 8, 30, tzinfo=BER),
        meetings=(hol, review, sync),
        at_risk=(
            RiskItem(late, 322.0, RiskLevel.LATE, ("overdue by 2 days",)),
            RiskItem(risky, 230.5, RiskLevel.AT_RISK, ("needs 14h, Sam has 6h free before Sat 17:00 (their time)", "due in 2 days")),
            RiskItem(watch, 113.3, RiskLevel.WATCH, ("unassigned, due in 2 days",)),
        ),
        workload=(
            PersonLoad(PEOPLE[1], 40.0, 44.0, 4.0),
            PersonLoad(PEOPLE[0], 42.5, 10.25, 2.0),
        ),
        plan=Plan(
            person="sam",
            blocks=(
                PlanBlock("MOB-1", datetime(2026, 11, 26, 9, 0, tzinfo=BER), datetime(2026, 11, 26, 12, 0, tzinfo=BER), False),
                PlanBlock("MOB-1", datetime(2026, 11, 26, 19, 0, tzinfo=UTC), datetime(2026, 11, 26, 20, 0, tzinfo=UTC), True),
            ),
            shortfalls=(Shortfall("MOB-1", 5.0, date(2026, 11, 28)),),
        ),
    )


def test_brief_json_has_exactly_the_spec_keys_and_iso_values():
    doc = brief_to_json(make_brief(), PEOPLE)
    assert list(doc) == ["date", "tz", "meetings", "at_risk", "workload", "plan"]
    assert doc["date"] == "2026-11-26" and doc["tz"] == "Europe/Berlin"
    hol, review, sync = doc["meetings"]
    assert set(review) == {
        "uid", "recurrence_id", "summary", "start", "end", "all_day", "location",
        "organizer", "attendees", "odd_hours", "odd_hours_for", "conflicts_with",
    }  # fmt: skip
    assert review["start"] == "2026-11-26T18:00:00+01:00"
    assert review["end"] == "2026-11-26T18:30:00+01:00"
    assert review["summary"] == "Review \x1b[2J now"  # JSON carries the data; consumers escape
    assert review["attendees"] == [{"email": "priya@example.com", "name": "Priya Raman", "partstat": "ACCEPTED"}]
    assert (review["odd_hours"], review["odd_hours_for"], review["conflicts_with"]) == (True, ["sam", "priya"], ["sync"])
    assert (hol["start"], hol["end"], hol["all_day"], hol["recurrence_id"]) == ("2026-11-26", "2026-11-27", True, "20261126")
    assert sync["odd_hours"] is False and sync["odd_hours_for"] == []
    assert doc["at_risk"][0] == {
        "id": "API-3", "title": "Webhook *retry*", "project": "API", "assignee": "priya",
        "due": "2026-11-24", "score": 322.0, "level": "late", "reasons": ["overdue by 2 days"],
    }  # fmt: skip
    assert doc["at_risk"][1]["due"] == "2026-11-28T17:00:00+01:00"
    assert doc["at_risk"][2]["assignee"] is None
    assert doc["workload"] == [
        {"person": "priya", "capacity_hours": 40.0, "task_hours": 44.0, "meeting_hours": 4.0, "load_pct": 120.0, "overloaded": True},
        {"person": "sam", "capacity_hours": 42.5, "task_hours": 10.2, "meeting_hours": 2.0, "load_pct": 28.8, "overloaded": False},
    ]
    assert doc["plan"] == [
        {"task_id": "MOB-1", "start": "2026-11-26T09:00:00+01:00", "end": "2026-11-26T12:00:00+01:00", "odd_hours": False},
        {"task_id": "MOB-1", "start": "2026-11-26T20:00:00+01:00", "end": "2026-11-26T21:00:00+01:00", "odd_hours": True},
    ]


def test_render_text_golden():
    text = render_text(make_brief(), PEOPLE)
    assert text == (
        "Brief for Thu 26 Nov 2026 (Europe/Berlin)\n"
        "\n"
        "Meetings (3)\n"
        "  all day        Thanksgiving\n"
        " !18:00–18:30    Review ␛[2J now\n"
        "    odd hours: Sam 18:00–18:30 Thu, Priya 22:30–23:00 Thu\n"
        "    conflicts with: Sync\n"
        "  18:15–19:00    Sync\n"
        "    conflicts with: Review ␛[2J now\n"
        "\n"
        "At risk (3)\n"
        "  API-3    late     Webhook *retry* @priya\n"
        "           - overdue by 2 days\n"
        "  MOB-1    at_risk  Offline mode @sam\n"
        "           - needs 14h, Sam has 6h free before Sat 17:00 (their time)\n"
        "           - due in 2 days\n"
        "  DATA-2   watch    Schema registry\n"
        "           - unassigned, due in 2 days\n"
        "\n"
        "Workload (week of Mon 23 Nov; = meetings, # tasks, . free)\n"
        "  priya [==##################]   120%  44.0h tasks + 4.0h meetings / 40.0h  OVERLOADED\n"
        "  sam   [=#####..............]    29%  10.2h tasks + 2.0h meetings / 42.5h\n"
        "\n"
        "Plan for sam\n"
        "  Thu 26 Nov 09:00–12:00  MOB-1\n"
        "  Thu 26 Nov 20:00–21:00  MOB-1     ☾ odd hours\n"
        "  short: MOB-1: 5h short before Sat 28 Nov\n"
    )
    assert "\x1b" not in text


def test_render_text_empty_brief():
    text = render_text(Brief(day=DAY, tz="UTC", now=datetime(2026, 11, 26, tzinfo=UTC)), [])
    assert "  no meetings\n" in text
    assert "  nothing at risk\n" in text
    assert "  no plan (set yourself with `tpm set me HANDLE`)\n" in text


def test_render_markdown_stakeholder_update():
    projects = [
        Project("API", "Payments API", target_date=date(2026, 12, 16)),
        Project("MOB", "Mobile app"),
        Project("WEB", "Website"),
    ]
    md = render_markdown(make_brief(), PEOPLE, projects)
    assert md.startswith("# Status update — Thu 26 Nov 2026\n")
    assert "### API — Payments API: **off track** (target Wed 16 Dec)\n" in md
    assert "- **API-3** Webhook \\*retry\\* (Priya Raman) — late: overdue by 2 days\n" in md
    assert "### MOB — Mobile app: **at risk**\n" in md
    assert "- **MOB-1** Offline mode (Sam Okafor) — at risk: needs 14h, Sam has 6h free before Sat 17:00 (their time); due in 2 days\n" in md
    assert "### WEB — Website: **on track**\n\nNothing at risk.\n" in md
    assert "### DATA: **on track**\n\n- Watching: DATA-2\n" in md  # a project only seen in tasks
    # order: off track, at risk, on track
    assert md.index("### API") < md.index("### MOB") < md.index("### DATA") < md.index("### WEB")
    assert "- 18:00–18:30 Europe/Berlin: **Review ␛\\[2J now** — Sam 18:00–18:30 Thu (odd hours), Priya 22:30–23:00 Thu (odd hours)\n" in md
    assert "Sync" not in md.split("## Cross-zone meetings today")[1].split("##")[0]
    assert "- Priya Raman: 120% (48.0h of 40.0h; 4.0h in meetings)\n" in md
    assert "Sam Okafor: " not in md.split("## Overloaded this week")[1]


def test_markdown_says_which_tasks_fall_after_a_projects_target_date():
    """A project whose open tasks are due after its target is at risk, with those tasks
    named (latest first); one whose target passed with work open is off track."""
    from tpm_tui.domain import TaskStatus

    day = make_brief().day  # Thu 26 Nov 2026
    projects = [
        Project("WEB", "Website", target_date=date(2026, 12, 4)),
        Project("OPS", "Ops", target_date=date(2026, 11, 20)),
        Project("DOC", "Docs", target_date=date(2026, 12, 31)),
    ]
    tasks = [
        Task(id="WEB-1", project="WEB", title="a", due=date(2026, 12, 3)),
        Task(id="WEB-2", project="WEB", title="b", due=datetime(2026, 12, 9, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))),
        Task(id="WEB-3", project="WEB", title="c", due=date(2026, 12, 7)),
        Task(id="WEB-4", project="WEB", title="d", due=date(2026, 12, 20), status=TaskStatus.DONE),
        Task(id="OPS-1", project="OPS", title="e", due=date(2026, 11, 19)),
        Task(id="DOC-1", project="DOC", title="f", due=date(2026, 12, 30)),
    ]
    brief = make_brief()._replace(at_risk=(), day=day)
    md = render_markdown(brief, PEOPLE, projects, tasks)
    web = md.split("### WEB — Website: ")[1].split("###")[0]
    assert web.startswith("**at risk** (target Fri 04 Dec)\n")
    assert "- 2 open tasks due after the target: WEB-2 (Wed 09 Dec), WEB-3 (Mon 07 Dec)\n" in web  # not the done one
    ops = md.split("### OPS — Ops: ")[1].split("###")[0]
    assert ops.startswith("**off track** (target Fri 20 Nov)\n")
    assert "- Target date Fri 20 Nov passed with 1 open task\n" in ops
    assert "### DOC — Docs: **on track** (target Thu 31 Dec)\n\nNothing at risk.\n" in md
    # without the tasks (as before) nothing is claimed about targets
    assert "due after the target" not in render_markdown(brief, PEOPLE, projects)


def test_markdown_leaves_out_finished_projects():
    """Years of finished projects would bury the live ones: a project with no open task and no
    target ahead is left out of the whole update (its own --project update still has it)."""
    from tpm_tui.domain import TaskStatus

    brief = make_brief()._replace(at_risk=())  # Thu 26 Nov 2026
    projects = [
        Project("OLD", "Finished in spring", target_date=date(2026, 4, 30)),
        Project("ARC", "Archive, no target"),
        Project("NEW", "Starts next month", target_date=date(2027, 1, 29)),
        Project("WEB", "Website"),
    ]
    tasks = [
        Task(id="OLD-1", project="OLD", title="a", status=TaskStatus.DONE),
        Task(id="ARC-1", project="ARC", title="b", status=TaskStatus.DONE),
        Task(id="WEB-1", project="WEB", title="c", due=date(2026, 12, 3)),
    ]
    md = render_markdown(brief, PEOPLE, projects, tasks)
    assert "### WEB — Website: **on track**" in md and "### NEW — Starts next month: **on track**" in md
    assert "### OLD" not in md and "### ARC" not in md
    own = render_markdown(brief, PEOPLE, projects, tasks, only=projects[0])
    assert "### OLD — Finished in spring: **on track** (target Thu 30 Apr)" in own


def test_text_brief_names_days_off_in_the_week_of_its_workload():
    brief = make_brief()  # Thu 26 Nov 2026: the week of Mon 23 Nov
    [first, *rest] = brief.workload
    away = first._replace(person=first.person._replace(days_off=(date(2026, 11, 24), date(2026, 11, 25),
                                                                   date(2026, 11, 30))))
    text = render_text(brief._replace(workload=(away, *rest)), PEOPLE)
    line = next(line for line in text.splitlines() if line.startswith(f"  {first.person.handle} "))
    assert line.endswith("(off Tue–Wed)")  # Mon 30 Nov is next week's
    assert "(off" not in render_text(brief, PEOPLE)
    assert away.overloaded  # so the markdown update lists it, and says it beside the load
    md = render_markdown(brief._replace(workload=(away, *rest)), PEOPLE, [])
    assert "in meetings; off Tue–Wed)\n" in md
    name = next(p.name for p in PEOPLE if p.handle == first.person.handle)
    assert f"## Out the week of Mon 23 Nov\n\n- {name}: off Tue–Wed\n" in md
    assert "## Out the week" not in render_markdown(brief, PEOPLE, [])  # nobody off: no section


def test_the_days_a_proposed_time_repeats_on_are_said_as_spans() -> None:
    from datetime import timedelta

    from tpm_tui.logic.render import slot_also
    from tpm_tui.logic.slots import Slot

    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 11, 30, 15, 15, tzinfo=ZoneInfo("UTC"))  # Mon 16:15 in Berlin
    slot = Slot(start, start + timedelta(minutes=30), (), (), 0, 0, 0, ())
    days = lambda *ds: slot._replace(also=tuple(start + timedelta(days=d) for d in ds))  # noqa: E731
    assert slot_also(slot, berlin) == ""
    assert slot_also(days(1, 2, 3, 4), berlin) == " (also Tue 01–Fri 04)"
    assert slot_also(days(1, 2), berlin) == " (also Tue 01, Wed 02)"
    assert slot_also(days(2, 4, 7, 8, 9), berlin) == " (also Wed 02, Fri 04, Mon 07–Wed 09)"


def test_markdown_says_what_each_project_finished_and_a_project_done_this_week_is_news():
    """A status mail lists accomplishments: each project's tasks done in the last 7 days (up
    to 8, then how many more); a project whose last task was done then is listed as finished
    (after the live ones), not left out as years-old work is."""
    from tpm_tui.domain import TaskStatus
    from tpm_tui.logic.render import DONE_SHOWN, done_window

    brief = make_brief()._replace(at_risk=())  # Thu 26 Nov 2026
    projects = [Project("WEB", "Website"), Project("OPS", "Ops"), Project("OLD", "Spring")]
    at = datetime(2026, 11, 25, 16, 0, tzinfo=BER)
    done = [Task(id=f"OPS-{i}", project="OPS", title=f"runbook {i}", assignee=PEOPLE[0].handle,
                 status=TaskStatus.DONE, updated_at=at) for i in range(1, DONE_SHOWN + 3)]
    done.append(Task(id="WEB-1", project="WEB", title="Landing page", status=TaskStatus.DONE, updated_at=at))
    tasks = [Task(id="WEB-2", project="WEB", title="Pricing page", due=date(2026, 12, 3)),
             Task(id="OLD-1", project="OLD", title="x", status=TaskStatus.DONE)]
    md = render_markdown(brief, PEOPLE, projects, tasks, done=done)
    web = md.split("### WEB — Website: **on track**\n\n")[1].split("\n\n")[0]
    assert web == "Nothing at risk.\n- Done since Fri 20 Nov:\n  - **WEB-1** Landing page"
    ops = md.split("### OPS — Ops: **finished**\n\n")[1].split("\n\n")[0].splitlines()
    assert ops[0] == "- Done since Fri 20 Nov:"
    assert ops[1] == f"  - **OPS-1** runbook 1 ({PEOPLE[0].name})"
    assert len(ops) == 1 + DONE_SHOWN + 1 and ops[-1] == "  - and 2 more"
    assert md.index("### WEB") < md.index("### OPS")  # finished comes after the live projects
    assert "### OLD" not in md
    assert done_window(DAY, BER) == (datetime(2026, 11, 20, tzinfo=BER), datetime(2026, 11, 27, tzinfo=BER))


@pytest.mark.parametrize(
    ("remaining", "estimate", "said"),
    [(6.0, 20.0, "6h left of 20h"), (6.5, None, "6.5h left (no estimate)"), (None, 20.0, "20h estimated"),
     (None, None, "no estimate"), (0.0, 4.0, "0h left of 4h")],
)
def test_hours_are_said_without_dashes(remaining: float | None, estimate: float | None, said: str) -> None:
    assert hours_text(remaining, estimate) == said
    task = Task("API-9", "API", "x", remaining_hours=remaining, estimate_hours=estimate)
    assert f"  hours       {said}" in task_lines(task, None, UTC)
