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


def test_skipped_components_warn_on_stderr(tmp_path: Path) -> None:
    db = str(tmp_path / "db.json")
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "bad_component_skipped.ics"), "--db", db])
    assert result.exit_code == 0
    assert "1 added, 0 updated, 0 cancelled, 0 unchanged, 2 skipped" in result.stdout
    assert "bad-no-dtstart@example.org" in result.stderr
