"""The row and detail builders of the panes, on small hand-made results (no terminal)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import plain
from rich.console import Console

from tpm_tui.domain import Attendee, Meeting, Person, RiskLevel, Task
from tpm_tui.logic.results import Plan, PlanBlock, PersonLoad, RiskItem, Shortfall
from tpm_tui.ui.text import lit, load_bar, load_row, plan_detail, repeats_text, risk_row

BERLIN = ZoneInfo("Europe/Berlin")
PRIYA = Person("priya", "Priya Raman", "priya@example.com", "Asia/Kolkata")


def test_lit_never_interprets_markup_or_escapes() -> None:
    text = lit("[bold red]boom[/] \x1b[31mred\u202e")
    assert text.plain == "[bold red]boom[/] ␛[31mred\ufffd"
    assert not text.spans


def test_risk_row_says_the_level_in_words_and_symbol() -> None:
    task = Task(id="API-7", project="API", title="Settlement", assignee="priya", due=date(2026, 12, 3))
    for level, mark in ((RiskLevel.LATE, "✖ late"), (RiskLevel.AT_RISK, "▲ at risk"), (RiskLevel.WATCH, "● watch")):
        row = plain(risk_row(RiskItem(task, 5.0, level, ("needs 14h", "no update")), names={"priya": "Priya Raman"}))
        assert mark in row and "API-7" in row and "Priya" in row and "needs 14h" in row and "(+1 more)" in row


def test_load_bar_uses_different_cells_for_meetings_tasks_and_free() -> None:
    bar = load_bar(PersonLoad(PRIYA, capacity_hours=40, task_hours=10, meeting_hours=10), width=20).plain
    assert bar == "▓" * 5 + "█" * 5 + "░" * 10
    over = load_bar(PersonLoad(PRIYA, capacity_hours=20, task_hours=20, meeting_hours=5), width=20).plain
    assert "┃" in over and "░" not in over  # over capacity: a mark where capacity ends, no free cells
    row = plain(load_row(PersonLoad(PRIYA, capacity_hours=20, task_hours=20, meeting_hours=5)))
    assert "125%" in row and "OVERLOADED" in row
    assert "OVERLOADED" not in plain(load_row(PersonLoad(PRIYA, capacity_hours=40, task_hours=10, meeting_hours=10)))


def test_person_detail_says_free_time_or_how_far_over() -> None:
    from tpm_tui.ui.text import person_detail

    def free_line(load: PersonLoad) -> str:
        text = person_detail(load, now=None, risks=()).plain
        return next(line for line in text.splitlines() if line.strip().startswith("Free"))

    assert free_line(PersonLoad(PRIYA, capacity_hours=40, task_hours=10, meeting_hours=10)).split() == ["Free", "░", "20.0h"]
    over = free_line(PersonLoad(PRIYA, capacity_hours=20, task_hours=20, meeting_hours=5))
    assert over.split() == ["Free", "░", "none", "—", "5.0h", "over"] and "-" not in over


def test_plan_flags_odd_hours_blocks_and_lists_shortfalls() -> None:
    start = datetime(2026, 11, 30, 7, 0, tzinfo=BERLIN)
    plan = Plan(
        person="sam",
        blocks=(
            PlanBlock("API-6", start, start + timedelta(hours=1), odd_hours=True),
            PlanBlock("API-7", start + timedelta(hours=3), start + timedelta(hours=5), odd_hours=False),
            PlanBlock("API-8", start + timedelta(hours=6), start + timedelta(hours=7, minutes=15), odd_hours=False),
        ),
        shortfalls=(Shortfall("API-9", 5.0, date(2026, 12, 4)),),
    )
    text = plain(plan_detail(plan, tz="Europe/Berlin", titles={"API-6": "PCI [b]scope[/b]"}, names={"sam": "Sam Okafor"}))
    lines = text.splitlines()
    odd = next(line for line in lines if "API-6" in line)
    normal = next(line for line in lines if "API-7" in line)
    assert odd.lstrip().startswith("☾") and "07:00–08:00" in odd and "odd hours" in odd and "PCI [b]scope[/b]" in odd
    assert "☾" not in normal and "10:00–12:00" in normal
    # lengths in hours and minutes: 1h15 was "1.2h" (a float rounded half to even)
    lengths = {w[i + 1]: w[i] for w in (line.split() for line in lines) for i in range(len(w) - 1) if w[i + 1] in ("API-6", "API-7", "API-8")}
    assert lengths == {"API-6": "1h", "API-7": "2h", "API-8": "1h15"}
    assert "API-9: 5h short before Fri 04 Dec" in text


def test_a_long_plan_title_wraps_under_its_own_column() -> None:
    start = datetime(2026, 11, 30, 7, 0, tzinfo=BERLIN)
    plan = Plan(person="sam", blocks=(PlanBlock("DATA-6", start, start + timedelta(hours=1), odd_hours=True),))
    title = "Cloud cost report for the steering committee of the quarter"
    drawn = plain(plan_detail(plan, tz="Europe/Berlin", titles={"DATA-6": title}, names={}), width=78)
    rows = [line.rstrip() for line in drawn.splitlines() if line.strip()][1:]
    column = rows[0].index("Cloud")
    assert len(rows) == 2 and rows[0].startswith("☾ Mon 30 Nov 07:00–08:00") and "DATA-6" in rows[0]
    # the rest of the title and the odd-hours mark continue under the title, not under the times
    assert rows[1][:column].strip() == "" and rows[1][column] != " "
    assert (rows[0][column:] + " " + rows[1][column:]).split() == [*title.split(), "odd", "hours"]
    # too narrow for a column: the block's times on one line, its title indented under them
    narrow = [line.rstrip() for line in plain(plan_detail(plan, tz="Europe/Berlin", titles={"DATA-6": title},
                                                          names={}), width=50).splitlines() if line.strip()][2:]
    assert narrow[0].split() == ["☾", "Mon", "30", "Nov", "07:00–08:00", "1h", "DATA-6"]
    assert narrow[1].startswith("    Cloud cost report") and all(line.startswith("    ") for line in narrow[1:])
    # at 56 columns (a 120-column terminal's pane): what ☾ means wraps under itself, "odd hours" stays whole
    lines = [line.rstrip() for line in plain(plan_detail(plan, tz="Europe/Berlin", titles={"DATA-6": title},
                                                         names={}), width=56).splitlines()]
    assert lines[:2] == ["Focus blocks for sam  (times in Europe/Berlin;", " " * 22 + "☾ outside working hours)"]
    assert any(line.endswith("odd hours") for line in lines) and not any(line.endswith(" odd") for line in lines)


def test_a_row_is_measured_as_many_lines_as_it_draws() -> None:
    """The panes count a row's lines from its words (``Hanging.height``) and draw it only
    when scrolled into view: the count must be what drawing gives, at every width."""
    import io

    from rich.console import Console
    from rich.text import Text

    from tpm_tui.ui.text import Hanging

    console = Console(file=io.StringIO(), width=200, legacy_windows=False)
    bodies = [
        "",
        "short",
        "a title long enough to wrap at narrow widths, with a few more words after it",
        "Supercalifragilisticexpialidocious-and-then-some-without-any-space-to-break-at",
        "line one\n\nline three after a blank line\n",
        "wide ＣＪＫ 文字 がある タイトル、折り返し 位置 の テスト です",
        "tab\tseparated\tcells that wrap",
        "trailing spaces     \n   leading spaces",
        "☾ Tom 16:00–16:15 Mon, Priya\u00a020:30–20:45\u00a0Mon, Marcus\u00a007:00–07:15\u00a0Mon",
        "needs 9h, Sam has 0h free before Tue 10:00 (their time) (+2\u00a0more)",
        "glued\u00a0phrase\u00a0longer\u00a0than\u00a0a\u00a0narrow\u00a0line\u00a0so\u00a0it\u00a0folds",
    ]
    cells_sets = [
        [(Text("▲ at risk", end=""), 10), (Text("API-7", end=""), 9)],
        [(Text("marker", end=""), 7), (Text("08:30–09:00", end=""), 12)],
        [(Text("two\nlines", end=""), 6)],  # a cell with a line break (drawn, then counted)
    ]
    for cells in cells_sets:
        for body in bodies:
            for width in (1, 10, 19, 27, 40, 80, 150):
                row = Hanging(cells, Text(body, end=""))
                drawn = sum(s.text.count("\n") for s in console.render(row, console.options.update_width(width)))
                assert row.height(console, width) == drawn, (body, width)


def test_a_wrap_never_parts_a_name_from_its_local_time() -> None:
    """Today's odd-hours line and At risk's ``(+N more)`` wrap between entries, never
    inside one; the screen shows plain spaces (no no-break space reaches the terminal)."""
    from tpm_tui.logic.results import LocalTime, MeetingView
    from tpm_tui.domain import Occurrence
    from tpm_tui.ui.text import meeting_row

    start = datetime(2026, 11, 30, 16, 0, tzinfo=BERLIN)
    meeting = Meeting(uid="su", summary="Daily stand-up", start=start, end=start + timedelta(minutes=15))
    zones = {"tom": "Europe/Berlin", "priya": "Asia/Kolkata", "marcus": "America/Los_Angeles"}
    end = start + timedelta(minutes=15)
    local = tuple(LocalTime(h, start.astimezone(ZoneInfo(z)), end.astimezone(ZoneInfo(z)), True) for h, z in zones.items())
    mv = MeetingView(Occurrence(meeting, start, end), start, end, odd_hours_for=tuple(zones), local_times=local)
    names = {"tom": "Tom Becker", "priya": "Priya Raman", "marcus": "Marcus Chen"}
    entries = ["Tom 16:00–16:15 Mon", "Priya 20:30–20:45 Mon", "Marcus 07:00–07:15 Mon"]
    for width in range(45, 90):
        text = plain(meeting_row(mv, names=names, summaries={}), width=width)
        assert "\u00a0" not in text
        flat = " ".join(line.strip() for line in text.splitlines())
        for entry in entries:
            assert entry in flat, (width, text)
            # the entry is whole on one of the drawn lines
            assert any(entry in line for line in text.splitlines()), (width, text)

    task = Task(id="API-7", project="API", title="Settlement", assignee="priya", due=date(2026, 12, 3))
    item = RiskItem(task, 5.0, RiskLevel.AT_RISK, ("needs 9h, Priya has 0h free before Thu 17:00 (their time)", "b", "c"))
    for width in range(40, 100):
        text = plain(risk_row(item, names=names), width=width)
        assert any("(+2 more)" in line for line in text.splitlines()), (width, text)


def test_a_row_built_later_is_built_once_when_first_needed() -> None:
    from tpm_tui.ui.text import Hanging

    task = Task(id="API-7", project="API", title="Settlement", assignee="priya", due=date(2026, 12, 3))
    calls = []

    def make() -> Hanging:
        calls.append(1)
        return risk_row(RiskItem(task, 5.0, RiskLevel.LATE, ("needs 14h",)), names={})

    row = Hanging.later(make)
    assert calls == []
    assert plain(row) == plain(make())
    assert "API-7" in row.plain
    assert len(calls) == 2  # one for the row above (built once), one for the comparison


_START = datetime(2026, 11, 25, 12, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # a Wednesday


def _series(**kw: object) -> Meeting:
    base: dict[str, object] = dict(uid="s@x", summary="Stand-up", start=_START, end=_START + timedelta(minutes=15))
    base.update(kw)
    return Meeting(**base)  # type: ignore[arg-type]


def test_the_detail_pane_words_the_rule_and_counts_listed_dates() -> None:
    assert repeats_text(_series(rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")) == "every weekday"
    skipped = (_START + timedelta(days=7), _START + timedelta(days=14))
    assert repeats_text(_series(rrule="FREQ=WEEKLY", exdate=skipped)) == "weekly on Wed; 2 dates skipped"
    assert repeats_text(_series(rrule="FREQ=WEEKLY", rdate=skipped[:1])) == "weekly on Wed; plus 1 date"
    assert repeats_text(_series(rdate=skipped)) == "on 2 dates"
    # a rule it cannot word is shown as the invite wrote it
    assert repeats_text(_series(rrule="FREQ=WEEKLY;BYHOUR=9,15")) == "FREQ=WEEKLY;BYHOUR=9,15"


def test_getting_started_lists_the_steps_left_and_its_commands_work(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On a fresh database the Detail pane lists what is left to set up; each command it
    shows runs as shown (so the hint cannot rot), and a finished set-up shows just the hint."""
    import shlex

    from click.testing import CliRunner

    from tpm_tui.cli import main
    from tpm_tui.ui.text import SELECT_HINT, getting_started

    fresh = plain(getting_started(people=0, me=None, open_tasks=0), width=200)
    assert fresh.count("  • ") == 4 and "✓" not in fresh
    commands = [line.strip().removeprefix("press N, or: ") for line in fresh.splitlines()
                if line.strip().startswith(("tpm ", "press N, or: tpm "))]
    assert [c.split()[1] for c in commands] == ["person", "set", "task"]
    db = str(tmp_path / "new.json")
    for command in commands:
        result = CliRunner().invoke(main, [*shlex.split(command)[1:], "--db", db])
        assert result.exit_code == 0, (command, result.output)

    partly = plain(getting_started(people=1, me="priya", open_tasks=0), width=200)
    assert partly.count("  ✓ ") == 2 and "tpm set me" not in partly and "tpm task add" in partly
    done = plain(getting_started(people=3, me="priya", open_tasks=5), width=200)
    assert done.strip() == SELECT_HINT


def test_days_off_show_as_runs_from_today_on() -> None:
    from tpm_tui.ui.text import off_runs

    d = date
    sun_thu = Person("amir", "Amir", "amir@example.com", "Asia/Dubai", work_days=("sun", "mon", "tue", "wed", "thu"))
    amir = sun_thu._replace(days_off=(d(2026, 11, 2), d(2026, 12, 3), d(2026, 12, 6), d(2026, 12, 7), d(2026, 12, 9)))
    # Thu 3 Dec and Sun 6 Dec are one run for a Sun-Thu week (Fri, Sat are not working days);
    # Wed 9 Dec stands alone (Tue 8 is a working day between); 2 Nov is past
    assert off_runs(amir, d(2026, 11, 30)) == [(d(2026, 12, 3), d(2026, 12, 7)), (d(2026, 12, 9), d(2026, 12, 9))]
    mon_fri = amir._replace(work_days=("mon", "tue", "wed", "thu", "fri"))
    assert off_runs(mon_fri, d(2026, 11, 30)) == [(d(2026, 12, 3), d(2026, 12, 3)), (d(2026, 12, 6), d(2026, 12, 7)),
                                                   (d(2026, 12, 9), d(2026, 12, 9))]
    assert off_runs(amir, None)[0] == (d(2026, 11, 2), d(2026, 11, 2))


def test_the_workload_row_names_days_off_in_the_week_shown() -> None:
    from tpm_tui.ui.text import load_row, week_off_text

    d = date
    monday = d(2026, 11, 30)
    p = PRIYA._replace(days_off=(d(2026, 11, 27), d(2026, 12, 2), d(2026, 12, 3), d(2026, 12, 4), d(2026, 12, 7)))
    # Fri 27 Nov is last week, Mon 7 Dec next week: this week's are Wed-Fri
    assert week_off_text(p, monday) == "off Wed–Fri"
    assert week_off_text(p._replace(days_off=(d(2026, 11, 30), d(2026, 12, 3))), monday) == "off Mon, Thu"
    assert week_off_text(p, d(2026, 12, 14)) == ""
    row = plain(load_row(PersonLoad(p._replace(days_off=(d(2026, 12, 2),)), 32.0, 10.0, 2.0), week_start=monday),
                width=100)
    assert "capacity 32.0h · off Wed" in row
    assert "off" not in plain(load_row(PersonLoad(PRIYA, 40.0, 10.0, 2.0), week_start=monday), width=100)


def test_task_detail_says_who_has_room_when_the_assignee_is_short_or_nobody_has_it() -> None:
    from tpm_tui.logic.risk import Fit
    from tpm_tui.ui.text import task_detail

    names = {"priya": "Priya Raman", "tom": "Tom [b]Becker[/b]", "ana": "Ana Lima", "lee": "Lee Park", "kim": "Kim Ito"}
    task = Task(id="API-1", project="API", title="Tokenise", assignee="priya", due=date(2026, 12, 2),
                remaining_hours=20)
    item = RiskItem(task, 250.0, RiskLevel.AT_RISK, ("needs 20h, Priya has 12h free before Wed 18:30 (their time)",))
    room = {
        "priya": Fit("priya", 20.0, 12.0, "Wed 18:30"),
        "tom": Fit("tom", 20.0, 25.5, "Wed 17:00"),
        "ana": Fit("ana", 20.0, 30.0, "Wed 17:00"),
        "lee": Fit("lee", 20.0, 21.0, "Wed 16:30"),
        "kim": Fit("kim", 20.0, 22.0, "Wed 16:30"),
    }
    loads = {"priya": 140.0, "tom": 40.0, "ana": 90.0, "lee": 60.0, "kim": 60.0}
    lines = plain(task_detail(task, item, names=names, lookup={}, room=room, loads=loads)).splitlines()
    at = lines.index("Room before it is due")
    # those it fits, least loaded first (as the picker orders them), three of them, then how many more
    assert lines[at + 1:at + 5] == [
        "  ✓ Tom [b]Becker[/b]    25.5h free by Wed 17:00",  # literal: never markup
        "  ✓ Kim Ito              22h free by Wed 16:30",
        "  ✓ Lee Park             21h free by Wed 16:30",
        "  +1 more · a reassigns",
    ]
    # the assignee has the time: nothing to say
    fine = {**room, "priya": Fit("priya", 20.0, 24.0, "Wed 18:30")}
    assert "Room before" not in plain(task_detail(task, item, names=names, lookup={}, room=fine, loads=loads))
    # nobody has it: who has the most
    tight = {h: f._replace(free=min(f.free, 15.0 if h == "ana" else 9.0)) for h, f in room.items()}
    text = plain(task_detail(task, item, names=names, lookup={}, room=tight, loads=loads))
    assert "Room before it is due\n  nobody has 20h free by then; the most: Ana Lima 15h by Wed 17:00" in text
    # an unassigned task: who could take it
    nobody = task._replace(assignee=None)
    text = plain(task_detail(nobody, item._replace(task=nobody), names=names, lookup={}, room=room, loads=loads))
    assert "Room before it is due\n  ✓ Tom [b]Becker[/b]" in text


def test_the_today_pane_says_my_answer_unless_accepted() -> None:
    from tpm_tui.domain import Attendee, Occurrence
    from tpm_tui.logic.results import MeetingView
    from tpm_tui.ui.text import meeting_body

    start = datetime(2026, 12, 2, 23, 0, tzinfo=BERLIN)
    m = Meeting(uid="go", start=start, end=start + timedelta(minutes=45), summary="Go/no-go",
                attendees=(Attendee("sam@example.com", partstat="NEEDS-ACTION"),))
    view = MeetingView(Occurrence(m, m.start, m.end), m.start, m.end)
    words = {"": "Go/no-go", "ACCEPTED": "Go/no-go", "NEEDS-ACTION": "Go/no-go  (not answered)",
             "DECLINED": "Go/no-go  (you declined)", "TENTATIVE": "Go/no-go  (you: maybe)"}
    for answer, first_line in words.items():
        body = meeting_body(view._replace(my_answer=answer), names={}, summaries={})
        assert body.plain.splitlines()[0] == first_line


def test_meeting_detail_gives_the_join_link_once_and_literally() -> None:
    from tpm_tui.domain import Occurrence
    from tpm_tui.logic.results import MeetingView
    from tpm_tui.ui.text import meeting_detail

    start = datetime(2026, 12, 1, 9, tzinfo=BERLIN)

    def detail(location: str, description: str) -> list[str]:
        m = Meeting(uid="u", start=start, end=start + timedelta(hours=1), summary="Sync", location=location,
                    description=description)
        mv = MeetingView(Occurrence(meeting=m, start=start, end=m.end), start, m.end)
        return [line for line in plain(meeting_detail(mv, tz="Europe/Berlin", names={}, summaries={})).splitlines()
                if line.startswith(("Location", "Join"))]

    teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_A%40thread.v2/0"
    assert detail("Microsoft Teams Meeting", f"Join: <{teams}>") == [
        "Location     Microsoft Teams Meeting", f"Join         {teams}  enter copies it"]
    assert detail("https://zoom.us/j/1", "") == ["Location     https://zoom.us/j/1  enter copies it"]
    assert detail("Room 4", "see https://wiki.example.com/x") == ["Location     Room 4"]
    # outside text stays inert: markup in an address is shown, not read
    assert detail("https://zoom.us/j/1?[bold]x[/bold]", "") == ["Location     https://zoom.us/j/1?[bold]x[/bold]  enter copies it"]


def test_meeting_detail_marks_attendees_who_are_not_people_here() -> None:
    """Their odd hours and free time are not judged: the detail says so, and where to look."""
    from tpm_tui.domain import Occurrence
    from tpm_tui.logic.results import MeetingView
    from tpm_tui.ui.text import meeting_detail

    start = datetime(2026, 12, 1, 9, tzinfo=BERLIN)
    m = Meeting(uid="u", start=start, end=start + timedelta(hours=1), summary="Vendor call", attendees=(
        Attendee("Sam@Example.com", "Sam", "ACCEPTED"), Attendee("ravi@vendor.example", "Ravi"),
        Attendee("room-4@example.com", "Room 4", role="NON-PARTICIPANT")))
    mv = MeetingView(Occurrence(meeting=m, start=start, end=m.end), start, m.end)
    lines = plain(meeting_detail(mv, tz="Europe/Berlin", names={}, summaries={},
                                 emails=frozenset({"sam@example.com"}))).splitlines()
    at = lines.index("Attendees")
    assert lines[at + 1:at + 5] == [
        "  Sam <Sam@Example.com>  accepted",
        "  Ravi <ravi@vendor.example>  needs-action  ? not a person here",
        "  Room 4 <room-4@example.com>  needs-action",  # a room has no working hours to judge
        "  ? their odd hours are not judged: tpm person unknown lists whom to add",
    ]
    everyone = plain(meeting_detail(mv, tz="Europe/Berlin", names={}, summaries={},
                                    emails=frozenset({"sam@example.com", "ravi@vendor.example"})))
    assert "not a person here" not in everyone and "tpm person unknown" not in everyone
    assert "not a person here" not in plain(meeting_detail(mv, tz="Europe/Berlin", names={}, summaries={}))


def test_a_meeting_s_related_work_gives_the_project_s_forecast_and_a_short_one_is_at_risk() -> None:
    from tpm_tui.domain import Occurrence
    from tpm_tui.logic.forecast import Forecast, PersonNeed
    from tpm_tui.logic.results import MeetingView
    from tpm_tui.ui.text import meeting_detail

    start = datetime(2026, 12, 1, 9, tzinfo=BERLIN)
    m = Meeting(uid="u", start=start, end=start + timedelta(hours=1), summary="OPS weekly")
    mv = MeetingView(Occurrence(meeting=m, start=start, end=m.end), start, m.end)
    short = Forecast("OPS", date(2026, 12, 4), 42.0, (PersonNeed("tom", 30.0, 14.0, 0.0),
                                                      PersonNeed("lena", 12.0, 30.0, 6.0)), 0.0, 12.0, 2)
    asked: list[str] = []

    def forecast(key: str) -> Forecast | None:
        asked.append(key)
        return short if key == "OPS" else None

    lines = plain(meeting_detail(mv, tz="Europe/Berlin", names={"tom": "Tom Becker", "lena": "Lena Vogel"},
                                 summaries={}, projects={"OPS": "Ops hardening"}, forecast=forecast),
                  width=80).splitlines()
    at = lines.index("Related work")
    # no task at risk, but Tom has 14h for 30h: the project is at risk, and why is under its name
    assert lines[at + 1].split() == ["OPS", "Ops", "hardening", "at", "risk"]
    said = lines[at + 2:at + 4]
    assert all(line.startswith(" " * 6) and len(line.rstrip()) <= 80 for line in said), said  # under the name
    assert " ".join(line.strip() for line in said) == (
        "16h short before Fri 04 Dec: Tom needs 30h, has 14h free (2 open tasks without an estimate not counted)")
    assert asked == ["OPS"]
    fits = short._replace(people=(PersonNeed("tom", 10.0, 14.0, 0.0),))
    calm = plain(meeting_detail(mv, tz="Europe/Berlin", names={}, summaries={}, projects={"OPS": "Ops hardening"},
                                forecast=lambda key: fits), width=80)
    assert "OPS Ops hardening  on track" in calm and "42h of open work fit before Fri 04 Dec; tightest: tom" in calm


def test_person_detail_says_a_zone_this_machine_does_not_know_and_still_draws() -> None:
    from tpm_tui.ui.text import person_detail

    lost = PRIYA._replace(timezone="Asia/Atlantis")
    now = datetime(2026, 11, 30, 8, 30, tzinfo=BERLIN)
    text = plain(person_detail(PersonLoad(lost, capacity_hours=40, task_hours=10, meeting_hours=2), now=now, risks=()))
    assert "Zone         Asia/Atlantis (unknown here: read as UTC)" in text
    assert "Local time   Mon 30 Nov 07:30" in text  # UTC, as every rule reads it
    known = plain(person_detail(PersonLoad(PRIYA, capacity_hours=40, task_hours=10, meeting_hours=2), now=now, risks=()))
    assert "Zone         Asia/Kolkata\n" in known


def test_task_detail_says_where_a_task_was_imported_from() -> None:
    from tpm_tui.ui.text import task_detail

    jira = Task("PAY-1", "PAY", "Tokenise", source="jira:PAY-101")
    assert "Imported     jira PAY-101" in plain(task_detail(jira, None, names={}, lookup={}))
    assert "Imported" not in plain(task_detail(jira._replace(source=None), None, names={}, lookup={}))


def test_meeting_detail_gives_my_answer_and_the_key_unless_i_organise_it() -> None:
    from tpm_tui.domain import Occurrence
    from tpm_tui.logic.results import MeetingView
    from tpm_tui.ui.text import meeting_detail

    start = datetime(2026, 12, 1, 9, tzinfo=BERLIN)
    m = Meeting(uid="u", start=start, end=start + timedelta(hours=1), summary="Review", organizer="mailto:boss@x.org",
                attendees=(Attendee("sam@example.com", "Sam", "NEEDS-ACTION"),))
    mv = MeetingView(Occurrence(meeting=m, start=start, end=m.end), start, m.end, my_answer="NEEDS-ACTION")

    def answer_line(view: MeetingView, meeting: Meeting) -> list[str]:
        shown = plain(meeting_detail(view._replace(occurrence=Occurrence(meeting=meeting, start=start, end=m.end)),
                                     tz="Europe/Berlin", names={}, summaries={}, my_email="sam@example.com"))
        return [line for line in shown.splitlines() if line.startswith("Your answer")]

    assert answer_line(mv, m) == ["Your answer  not answered yet  A answers it"]
    assert answer_line(mv._replace(my_answer="DECLINED"), m) == ["Your answer  declined  A answers it"]
    # my own meeting: nothing to answer
    assert answer_line(mv._replace(my_answer="ACCEPTED"), m._replace(organizer="sam@example.com")) == []


def test_a_project_row_short_of_time_says_by_how_much_and_who_else_has_room() -> None:
    from tpm_tui.domain import Project
    from tpm_tui.logic.forecast import Forecast, PersonNeed
    from tpm_tui.logic.projects import ProjectRow
    from tpm_tui.ui.text import project_row

    fc = Forecast("OPS", date(2026, 12, 10), 30.0, (PersonNeed("tom", 30.0, 10.0, 0.0),), 0.0, 0.0, 0)
    row = ProjectRow(Project("OPS", "Ops [b]hardening[/b]", target_date=date(2026, 12, 10)), "at risk",
                     ((RiskLevel.WATCH, 2),), 3, 1, False, fc, (("ava", 12.0), ("lena", 4.5)))
    names = {"tom": "Tom Becker", "ava": "Ava Thompson", "lena": "Lena Vogel"}
    drawn = project_row(row, names).lines(Console(width=200), 100).plain.splitlines()
    assert drawn == [
        "OPS    Ops [b]hardening[/b]  at risk  target Thu 10 Dec",  # the name literally
        "       ● 2 watch  3 open · 1 due after the target",
        "       20h short before Thu 10 Dec: Tom needs 30h, has 10h free",
        "       room elsewhere before Thu 10 Dec: Ava 12h, Lena 4.5h",
    ]
    # narrow: every line wraps under the name, the key keeps its column; a longer key widens it
    narrow = project_row(row, names).lines(Console(width=200), 40).plain.splitlines()
    assert narrow[:3] == ["OPS    Ops [b]hardening[/b]  at risk  ", "       target Thu 10 Dec",
                          "       ● 2 watch  3 open · 1 due after "]
    assert all(line.startswith(" " * 7) for line in narrow[1:]) and max(map(len, narrow)) <= 40
    wide_key = project_row(row._replace(project=row.project._replace(key="PLATFORM2027")), names)
    assert wide_key.lines(Console(width=200), 100).plain.splitlines()[1].startswith(" " * 14 + "●")


def test_a_project_row_without_a_target_says_how_to_give_one() -> None:
    from tpm_tui.domain import Project
    from tpm_tui.logic.projects import ProjectRow
    from tpm_tui.ui.text import project_row

    row = ProjectRow(Project("WEB", "Website"), "on track", (), 2, 0, False, None)
    first = project_row(row, {}).lines(Console(width=200), 120).plain.splitlines()[0]
    assert first.split("  ")[-1] == "no target date (tpm project edit KEY --target DATE)"


def test_local_times_wrap_under_the_time_on_a_narrow_detail_pane() -> None:
    from tpm_tui.domain import Occurrence
    from tpm_tui.logic.results import LocalTime, MeetingView
    from tpm_tui.ui.text import meeting_detail

    start = datetime(2026, 11, 30, 10, tzinfo=BERLIN)
    m = Meeting(uid="u", start=start, end=start + timedelta(hours=1), summary="Sprint planning")
    la = ZoneInfo("America/Los_Angeles")
    local = (LocalTime("sam", start, m.end, False), LocalTime("marcus", start.astimezone(la), m.end.astimezone(la), True))
    mv = MeetingView(Occurrence(meeting=m, start=start, end=m.end), start, m.end, local_times=local)
    names = {"sam": "Sam Okafor", "marcus": "Marcus Chen"}

    def rows(width: int) -> list[str]:
        lines = plain(meeting_detail(mv, tz="Europe/Berlin", names=names, summaries={}), width=width).splitlines()
        at = lines.index("Local times")
        return [line.rstrip() for line in lines[at + 1:at + 5]]

    sam, marcus = f"  {'Sam Okafor':<16}", f"  {'Marcus Chen':<16}"  # the time starts in column 19
    # 55 columns (a 120-column terminal's Detail pane): one line each
    assert rows(55)[:2] == [sam + "Mon 10:00–11:00 CET     working hours", marcus + "Mon 01:00–02:00 PST   ☾ odd hours"]
    # narrower: the mark goes under the time, whole
    assert rows(44) == [sam + "Mon 10:00–11:00 CET", " " * 18 + "  working hours",
                        marcus + "Mon 01:00–02:00 PST", " " * 18 + "☾ odd hours"]
    # a long name ends in … and keeps a space before the time
    names["sam"] = "Samantha Okafor-Whitfield"
    assert rows(55)[0] == "  Samantha Okafo… Mon 10:00–11:00 CET     working hours"


def test_a_tasks_reasons_and_dependencies_wrap_under_themselves_on_a_narrow_pane() -> None:
    from tpm_tui.ui.text import task_detail, triage_card

    task = Task(id="API-1", project="API", title="Tokenise", assignee="priya", due=date(2026, 12, 2),
                remaining_hours=20, depends_on=("API-10",))
    dep = Task(id="API-10", project="API", title="Card vault schema agreed with the security team", due=date(2026, 12, 4))
    reasons = ("needs 20h, Priya has 12h free before Wed 18:30 (their time)", "blocked by API-10 (due 2 days after this)")
    item = RiskItem(task, 250.0, RiskLevel.AT_RISK, reasons)
    for drawn in (task_detail(task, item, names={}, lookup={"API-10": dep}), triage_card(item, names={})):
        lines = [line.rstrip() for line in plain(drawn, width=40).splitlines()]
        why = lines.index("Why")
        assert lines[why + 1:why + 5] == ["  • needs 20h, Priya has 12h free before",
                                          "    Wed 18:30 (their time)",
                                          "  • blocked by API-10 (due 2 days after",
                                          "    this)"]
    blocked = task._replace(blocked_by="legal has not signed the data processing agreement yet")
    lines = [line.rstrip() for line in plain(task_detail(blocked, item, names={}, lookup={}), width=40).splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("Blocked by"))
    assert lines[at:at + 3] == ["Blocked by   legal has not signed the",  # a field wraps under its value
                                "             data processing agreement", "             yet"]
    lines = plain(task_detail(task, item, names={}, lookup={"API-10": dep}), width=40).splitlines()
    at = lines.index("Depends on")
    assert [line.rstrip() for line in lines[at + 1:at + 4]] == ["  API-10   Card vault schema agreed with",
                                                                "           the security team  [todo, due",
                                                                "           Fri 04 Dec]"]


def test_a_persons_1_1_times_odd_hours_and_tasks_wrap_under_themselves_on_a_narrow_pane() -> None:
    from tpm_tui.domain import Occurrence
    from tpm_tui.logic.results import LocalTime, MeetingView
    from tpm_tui.logic.slots import Slot
    from tpm_tui.ui.text import person_detail

    now = datetime(2026, 11, 30, 8, 30, tzinfo=BERLIN)
    start = datetime(2026, 11, 30, 9, tzinfo=BERLIN)
    end = start + timedelta(minutes=30)
    theirs = LocalTime("priya", start.astimezone(ZoneInfo(PRIYA.timezone)), end.astimezone(ZoneInfo(PRIYA.timezone)), False)
    slot = Slot(start, end, (), (), 0, 0, 0, (theirs,), also=(start + timedelta(days=2), start + timedelta(days=3),
                                                               start + timedelta(days=4)))
    late = datetime(2026, 12, 1, 17, 30, tzinfo=BERLIN)
    m = Meeting(uid="u", start=late, end=late + timedelta(minutes=30), summary="Quarterly architecture steering review")
    odd = [(MeetingView(Occurrence(m, m.start, m.end), m.start, m.end),
            LocalTime("priya", late.astimezone(ZoneInfo(PRIYA.timezone)), m.end.astimezone(ZoneInfo(PRIYA.timezone)), True))]
    task = Task(id="API-1", project="API", title="Tokenise stored card numbers end to end", assignee="priya")
    risks = [RiskItem(task, 250.0, RiskLevel.AT_RISK, ("needs 20h",))]
    load = PersonLoad(PRIYA, capacity_hours=40, task_hours=10, meeting_hours=2)
    drawn = [line.rstrip() for line in plain(person_detail(load, now=now, risks=risks, odd=odd, slots=[slot], tz=BERLIN,
                                                           names={"priya": "Priya Raman"}, me="sam"), width=52).splitlines()]
    at = next(i for i, line in enumerate(drawn) if line.startswith("A 30-minute 1:1"))
    # my time (Berlin), then theirs (Kolkata)
    assert drawn[at + 1:at + 4] == ["  Mon 30 Nov 09:00–09:30 · Mon 13:30–14:00",
                                    " " * 25 + "(also Wed 02–Fri 04)",
                                    " " * 25 + "inside everyone's working"]
    at = next(i for i, line in enumerate(drawn) if line.startswith("Odd hours this week"))
    assert drawn[at + 1:at + 3] == ["  ☾ Tue 22:00–22:30  Quarterly architecture steering", " " * 21 + "review"]
    at = drawn.index("Their tasks at risk")
    assert drawn[at + 1:at + 3] == ["  ▲ at risk API-1    Tokenise stored card numbers", " " * 21 + "end to end"]
