"""`tpm import` through click: summary lines on stdout, warnings on stderr, exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tpm_tui.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"


def test_import_twice_reports_unchanged(tmp_path: Path) -> None:
    db = str(tmp_path / "db.json")
    src = str(FIXTURES / "seq_1_invite.ics")
    first = CliRunner().invoke(main, ["import", src, "--db", db])
    assert first.exit_code == 0, first.output
    assert f"{src}: 1 added, 0 updated, 0 cancelled, 0 unchanged, 0 skipped" in first.stdout
    before = Path(db).read_bytes()
    again = CliRunner().invoke(main, ["import", src, "--db", db])
    assert again.exit_code == 0
    assert f"{src}: 0 added, 0 updated, 0 cancelled, 1 unchanged, 0 skipped" in again.stdout
    assert Path(db).read_bytes() == before


def test_bad_file_exits_1_with_one_line_and_others_import(tmp_path: Path) -> None:
    db = str(tmp_path / "db.json")
    bad = tmp_path / "contact.ics"
    bad.write_bytes(b"BEGIN:VCARD\r\nFN:Jane\r\nEND:VCARD\r\n")
    result = CliRunner().invoke(main, ["import", str(bad), str(FIXTURES / "kolkata_organiser.ics"), "--db", db])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    err = [line for line in result.stderr.splitlines() if "contact.ics" in line]
    assert len(err) == 1 and "vCard" in err[0]
    assert "1 added" in result.stdout


def test_stdin_and_dry_run(tmp_path: Path) -> None:
    db = str(tmp_path / "db.json")
    data = (FIXTURES / "kolkata_organiser.ics").read_bytes()
    result = CliRunner().invoke(main, ["import", "-", "--dry-run", "--db", db], input=data)
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout and "new: India sprint review" in result.stdout
    assert not Path(db).exists() or b"kolkata-1" not in Path(db).read_bytes()


def test_stdin_on_a_terminal_says_what_it_waits_for_and_a_pipe_does_not(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import tpm_tui.cli as cli

    db = str(tmp_path / "db.json")
    data = (FIXTURES / "kolkata_organiser.ics").read_bytes()
    hint = "reading an .ics from standard input: paste it, then ctrl+d (ctrl+c cancels)"
    piped = CliRunner().invoke(main, ["import", "-", "--db", db], input=data)
    assert piped.exit_code == 0 and hint not in piped.stderr
    monkeypatch.setattr(cli, "_is_terminal", lambda stream: stream is cli.sys.stdin)
    typed = CliRunner().invoke(main, ["import", "-", "--db", str(tmp_path / "other.json")], input=data)
    assert typed.exit_code == 0, typed.output
    assert typed.stderr.splitlines()[0] == hint and "1 added" in typed.stdout


def test_skipped_components_warn_on_stderr(tmp_path: Path) -> None:
    db = str(tmp_path / "db.json")
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "bad_component_skipped.ics"), "--db", db])
    assert result.exit_code == 0
    assert "1 added, 0 updated, 0 cancelled, 0 unchanged, 2 skipped" in result.stdout
    assert "bad-no-dtstart@example.org" in result.stderr


def test_each_file_is_reported_as_soon_as_it_is_done(tmp_path: Path) -> None:
    """A folder's first results are out before its next file is parsed (the CLI prints them then)."""
    from tpm_tui.services.imports import import_sources
    from tpm_tui.storage import Store

    folder = tmp_path / "invites"
    folder.mkdir()
    for name in ("a.ics", "b.ics"):
        (folder / name).write_bytes((FIXTURES / "kolkata_organiser.ics").read_bytes())
    (folder / "c.ics").write_bytes(b"not a calendar")
    events: list[str] = []
    reports = import_sources(Store.open(tmp_path / "db.json"), [str(folder)],
                             on_start=lambda name, size: events.append(f"start {Path(name).name} {size}"),
                             on_done=lambda r: events.append(f"done {Path(r.source).name} {r.added} {r.error}"))
    size = (FIXTURES / "kolkata_organiser.ics").stat().st_size
    assert events == [f"start a.ics {size}", "done a.ics 1 None", f"start b.ics {size}", "done b.ics 0 None",
                      "start c.ics 14", f"done c.ics 0 {reports[2].error}"]
    assert reports[2].error and "not an iCalendar file" in reports[2].error
    result = CliRunner().invoke(main, ["import", str(folder), "--db", str(tmp_path / "cli.json")])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{folder / 'a.ics'}: 1 added") and lines[1].startswith(f"{folder / 'b.ics'}: 0 added")
    assert lines[-1] == "3 files: 1 added, 1 unchanged · 1 refused"  # the sums come last
    one = CliRunner().invoke(main, ["import", str(folder / "a.ics"), "--db", str(tmp_path / "one.json")])
    assert len(one.stdout.splitlines()) == 1  # one file: its own line is the sum


def test_a_big_file_is_announced_on_a_terminal_only(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    import tpm_tui.cli as cli

    src = str(FIXTURES / "kolkata_organiser.ics")
    monkeypatch.setattr(cli, "BIG_CALENDAR_BYTES", 10)  # the fixture counts as big
    piped = CliRunner().invoke(main, ["import", src, "--db", str(tmp_path / "a.json")])
    assert piped.exit_code == 0 and "importing" not in piped.stderr
    monkeypatch.setattr(cli, "_is_terminal", lambda _stream: True)
    shown = CliRunner().invoke(main, ["import", src, "--db", str(tmp_path / "b.json")])
    assert shown.exit_code == 0
    size = Path(src).stat().st_size / 1e6
    assert shown.stderr.splitlines() == [f"importing {src} ({size:.1f} MB)…"]


def test_a_file_name_with_escape_sequences_is_printed_inert(tmp_path: Path) -> None:
    """File names come from outside too: an ESC in one must not reach the terminal."""
    evil = tmp_path / "\x1b[2J\x1b[31mred.ics"
    evil.write_bytes((FIXTURES / "kolkata_organiser.ics").read_bytes())
    # color=True: as on a terminal (click strips escape sequences only when not writing to one)
    result = CliRunner().invoke(main, ["import", str(evil), "--db", str(tmp_path / "db.json")], color=True)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout + result.stderr
    assert "red.ics: 1 added" in result.stdout
