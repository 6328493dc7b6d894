"""``m``: when can we meet? — the dialog starts on the selected person, reads people and a
length, shows what ``tpm meet`` would, and says a bad word in one line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import NOW, TODAY, TZ, pane_text, settle
from textual.widgets import Input, OptionList, Static

from tpm_tui.domain import Person, TpmError
from tpm_tui.logic.render import slot_lines
from tpm_tui.services.brief import meeting_slots
from tpm_tui.storage import Store
from tpm_tui.ui.app import TpmApp
from tpm_tui.ui.screens.import_modal import ImportModal
from tpm_tui.ui.screens.meet_modal import MeetFinder, read_request

WIDE = (160, 48)


def expected(store: Store, handles: list[str], minutes: int) -> str:
    asked, slots, never = meeting_slots(store, handles, TODAY, 5, TZ, NOW, timedelta(minutes=minutes))
    return "\n".join(slot_lines(asked, slots, TZ, minutes, TODAY, TODAY + timedelta(days=4), me=store.settings().me,
                                never_free=never))


def shown(app: TpmApp) -> tuple[str, str]:
    """(the heading and every answer, as ``tpm meet`` prints them; the error line)."""
    result = app.screen.query_one("#meet-result", Static).content
    answers = app.screen.query_one("#meet-slots", OptionList)
    lines = [getattr(result, "plain", str(result))] if str(result) else []
    lines += [answers.get_option_at_index(i).prompt.plain for i in range(answers.option_count)]
    error = app.screen.query_one(".dialog-error", Static).content
    return "\n".join(lines), getattr(error, "plain", str(error))


async def test_m_starts_on_the_selected_person_and_looks_again_on_enter(demo_db: Path) -> None:
    app = TpmApp(Store.open(demo_db), TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3", "down", "m")  # Workload's second row: Tom
        await pilot.pause()
        assert isinstance(app.screen, MeetFinder)
        field = app.screen.query_one(Input)
        assert field.value == "tom 30m"
        assert shown(app) == (expected(app.store, ["tom"], 30), "")
        field.value = ""
        await pilot.press(*"Priya marcus 45m", "enter")  # a first name, any case
        await pilot.pause()
        result, error = shown(app)
        assert error == "" and result == expected(app.store, ["priya", "marcus"], 45)
        assert "Priya" in result.splitlines()[2] and "☾" in result
        field.value = ""
        await pilot.press(*"zed 1h", "enter")
        await pilot.pause()
        assert shown(app) == ("", "no person 'zed' (a handle or a first name), nor a length (45m, 1h)")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MeetFinder)


PEOPLE = [Person("asilva", "Ana Silva", "a@x", "UTC"), Person("aito", "Ana Ito", "b@x", "UTC"),
          Person("bo", "Bo Li", "c@x", "UTC")]


@pytest.mark.parametrize(("text", "handles", "length"), [
    ("bo", ["bo"], None),
    ("BO, asilva 1h30", ["bo", "asilva"], "1h30"),
    ("bo 45 AITO bo", ["bo", "aito"], "45"),
    ("li", None, None),  # a last name is not a way to name someone
])
def test_a_request_reads_handles_first_names_and_a_length(text: str, handles: list[str] | None,
                                                           length: str | None) -> None:
    if handles is None:
        with pytest.raises(TpmError, match="no person 'li'"):
            read_request(text, PEOPLE)
        return
    assert read_request(text, PEOPLE) == (handles, length)


def test_a_first_name_two_people_share_asks_for_a_handle() -> None:
    with pytest.raises(TpmError, match=r"'Ana' names 2 people: use a handle \(asilva, aito\)"):
        read_request("Ana 30m", PEOPLE)
    with pytest.raises(TpmError, match="name at least one person"):
        read_request("45m", PEOPLE)


def test_the_answer_is_styled_but_literal() -> None:
    from tpm_tui.ui.screens.meet_modal import styled

    lines = ["45m with [b]Ann[/b] (you), Mon 30 Nov (UTC)",
             "  1. Mon 30 Nov 09:00–09:45  inside everyone's working hours",
             "        Ann 09:00–09:45 Mon",
             "  2. Tue 01 Dec 22:00–22:45  ☾ night or weekend for [red]Bo[/red]"]
    t = styled(lines)
    assert t.plain == "\n".join(lines)  # nothing read as markup
    styles = {t.plain[s.start:s.end]: str(s.style) for s in t.spans}
    assert styles["Mon 30 Nov 09:00–09:45"] == "bold"
    assert styles["inside everyone's working hours"] == "green"
    assert styles["☾ night or weekend for [red]Bo[/red]"] == "magenta"
    assert styles["Ann 09:00–09:45 Mon"] == "dim"


async def test_enter_on_a_time_books_it_as_an_invitation_file(demo_db: Path, tmp_path: Path) -> None:
    import icalendar

    store = Store.open(demo_db)
    app = TpmApp(store, TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        version = store.version
        await pilot.press("3", "down", "m")  # Tom, 30 minutes
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetFinder)
        asked, slots, _never = meeting_slots(store, ["tom"], TODAY, 5, TZ, NOW, timedelta(minutes=30))
        booking = screen.query_one("#meet-book")
        assert not booking.display
        await pilot.press("down", "down", "enter")  # from the line to the answers; the second one
        await pilot.pause()
        assert booking.display and app.focused is screen.query_one("#meet-title", Input)
        assert not screen.query_one("#meet-slots").display  # the line above names the time picked
        assert "Book Mon 30 Nov 09:30–10:00 as an invitation" in str(screen.query_one("#meet-book-what", Static).content)
        offered = screen.query_one("#meet-file", Input).value
        assert offered.endswith("meeting-2026-11-30-0930.ics")
        # escape goes back to the times, not out of the dialog
        await pilot.press("escape")
        assert not booking.display and isinstance(app.screen, MeetFinder)
        assert app.focused is screen.query_one("#meet-slots", OptionList) and app.focused.display
        assert app.focused.highlighted == 1
        await pilot.press("enter")  # the same answer again
        screen.query_one("#meet-title", Input).value = ""
        await pilot.press(*"1:1 [b]Tom[/b]", "enter")
        assert app.focused is screen.query_one("#meet-file", Input)
        missing = tmp_path / "nope" / "x.ics"
        screen.query_one("#meet-file", Input).value = str(missing)
        await pilot.press("enter")
        await pilot.pause()
        error = screen.query_one(".dialog-error", Static).content
        assert str(error) == f"file: {missing}: folder {missing.parent} does not exist"
        assert isinstance(app.screen, MeetFinder) and not missing.parent.exists()
        target = tmp_path / "tom.ics"
        screen.query_one("#meet-file", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, MeetFinder)
        [ev] = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
        assert ev.decoded("dtstart") == slots[1].start and ev.decoded("dtend") == slots[1].end
        assert str(ev["summary"]) == "1:1 [b]Tom[/b]"
        assert {str(a).removeprefix("mailto:") for a in ev["attendee"]} == {p.email for p in asked}
        said = [n for n in app._notifications if n.title == "Invitation written"]  # noqa: SLF001
        assert len(said) == 1 and said[0].message.startswith(f"{target}: '1:1 [b]Tom[/b]' Mon 30 Nov 09:30–10:00")
        assert store.version == version  # the database is not touched until the file is imported
        # i offers that file; enter imports it, and the meeting is on today's timeline, literally
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportModal)
        assert app.screen.query_one(Input).value == str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert store.version != version
        assert "09:30–10:00 1:1 [b]Tom[/b]" in pane_text(app, "today")
        await pilot.press("i")  # offered once: the next import starts empty
        await pilot.pause()
        assert app.screen.query_one(Input).value == ""


async def test_keys_typed_ahead_in_the_booking_go_where_the_keys_before_them_lead(demo_db: Path, tmp_path: Path) -> None:
    """A title, ``⏎``, ``⏎`` typed faster than the screen answers: both ``⏎`` reach the title
    line before the first has moved on; the second follows where the first led (the file
    line) and writes, instead of submitting the title again and writing nothing."""
    from textual import events

    app = TpmApp(Store.open(demo_db), TZ, lambda: NOW)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3", "down", "m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetFinder)
        target = tmp_path / "ahead.ics"
        await pilot.press("down", "enter")
        await pilot.pause()
        screen.query_one("#meet-file", Input).value = str(target)
        screen.query_one("#meet-title", Input).value = ""
        for key, char in [*((c, c) for c in "sync"), ("enter", "\r"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # all at once, no pause in between
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, MeetFinder)
        assert b"SUMMARY:sync" in target.read_bytes()

