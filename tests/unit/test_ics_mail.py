"""An invitation saved as a whole e-mail (``.eml``, or an invite mail saved with ``.ics``):
its calendar is read from the message; a message without one is refused in one line."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from tpm_tui.domain import ImportFailed
from tpm_tui.ics.parse import parse_calendar

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261130T080000Z\r\nDTSTART:20261201T090000Z\r\n"
    "DTEND:20261201T093000Z\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def mail(*, inline: str | None = None, attached: str | None = None, attach_type: str = "application/ics",
         cte: str = "base64") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ava <ava@example.com>"
    msg["To"] = "me@example.com"
    msg["Subject"] = "Invitation: Review"
    msg.set_content("You are invited.")
    if inline is not None:
        msg.add_alternative(inline, subtype="calendar", params={"method": "REQUEST"}, cte="quoted-printable")
    if attached is not None:
        maintype, subtype = attach_type.split("/")
        msg.add_attachment(attached.encode(), maintype=maintype, subtype=subtype, filename="invite.ics", cte=cte)
    return msg.as_bytes()


def test_the_inline_calendar_part_is_read_and_the_user_told() -> None:
    data = mail(inline=ICS.format(uid="u-1", summary="Review — naïve café"),
                attached=ICS.format(uid="u-2", summary="the attached copy"))
    result = parse_calendar(data, source="invite.eml")
    assert [(m.uid, m.summary) for m in result.meetings] == [("u-1", "Review — naïve café")]
    assert result.warnings == ["invite.eml: an e-mail message; its invitation (the text/calendar part) was read"]


@pytest.mark.parametrize("attach_type", ["application/ics", "application/octet-stream"])
def test_an_attached_ics_file_is_read_when_there_is_no_inline_part(attach_type: str) -> None:
    data = mail(attached=ICS.format(uid="u-3", summary="Planning"), attach_type=attach_type)
    result = parse_calendar(data, source="fwd.eml")
    assert [(m.uid, m.summary) for m in result.meetings] == [("u-3", "Planning")]


def test_a_single_part_calendar_mail_is_read() -> None:
    msg = EmailMessage()
    msg["From"] = "ava@example.com"
    msg.set_content(ICS.format(uid="u-4", summary="Stand-up"), subtype="calendar")
    result = parse_calendar(msg.as_bytes(), source="one.eml")
    assert [m.uid for m in result.meetings] == ["u-4"]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (mail(), "an e-mail message without an invitation in it (no text/calendar part)"),
        (mail(attached="not a calendar at all", attach_type="application/ics"),
         "not an iCalendar file (starts with 'not a calendar at all'"),
        (b"From: a@example.com\r\nSubject: x\r\nContent-Type: text/calendar\r\n\r\n"
         b"From: b@example.com\r\nSubject: inner\r\n\r\nhello\r\n", "an e-mail inside an e-mail"),
    ],
)
def test_a_mail_without_a_usable_invitation_is_refused_in_one_line(data: bytes, needle: str) -> None:
    with pytest.raises(ImportFailed) as err:
        parse_calendar(data, source="x.eml")
    message = str(err.value)
    assert message.startswith("x.eml: ") and needle in message and "\n" not in message
