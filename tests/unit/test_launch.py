"""``tpm brief`` without click (``tpm_tui.launch``): the plain command lines are read as
click reads them and print the same bytes; everything else goes to click untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tpm_tui.cli
from tpm_tui import launch
from tpm_tui.storage import Store
from tests.conftest import NOW, disk_state

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TPM_NOW", NOW.isoformat())


def outcome(entry, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:  # noqa: ANN001
    with pytest.raises(SystemExit) as exited:
        entry(argv)
    out, err = capsys.readouterr()
    code = exited.value.code
    return (0 if code is None else int(code)), out, err


def fast(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
         reader=launch.read_brief_args) -> tuple[int, str, str]:  # noqa: ANN001
    """``launch.main`` with click out of reach: it must not be needed (``reader``: the
    launcher's own reading of the line, brief or dashboard)."""
    assert reader(argv) is not None, argv

    def no_click(*_a: object, **_k: object) -> None:
        raise AssertionError("a plain line went to click")

    with monkeypatch.context() as m:
        m.setattr(tpm_tui.cli, "main", no_click)
        return outcome(launch.main, argv, capsys)


def by_click(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return outcome(tpm_tui.cli.main, argv, capsys)


def plain_lines(db: str) -> list[list[str]]:
    return [
        ["--db", db, "brief"],
        ["brief", "--db", db],
        [f"--db={db}", "brief", "--format=json"],
        ["--db", db, "brief", "--format", "markdown"],
        ["--db", db, "brief", "--format", "json", "--date", "2026-12-01"],
        ["--db", db, "brief", "--date", "tomorrow", "--tz", "Asia/Kolkata", "--format", "json"],
        ["--db", db, "brief", "--date", "-2d", "--format", "json"],  # a value that starts with '-'
        ["--tz", "America/New_York", "--db", db, "brief", "--format", "json"],  # the top level's zone
        ["--tz", "America/New_York", "--db", db, "brief", "--tz", "Asia/Tokyo"],  # the command's wins
        ["--db", "/nowhere/else.json", "brief", "--db", db],  # the last --db wins
        ["--debug", "--db", db, "brief", "--format", "text", "--format", "json"],  # so does the last --format
        ["--db", db, "brief", "--debug", "--date", "fri"],
        ["--db", db, "brief", "--project", "api", "--format", "markdown"],
        ["--db", db, "brief", "--project=MOB", "--format", "json"],
    ]


def test_plain_briefs_print_the_same_bytes_as_through_click(demo_db: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    for argv in plain_lines(str(demo_db)):
        got = fast(argv, capsys, monkeypatch)
        assert got[0] == 0 and got[1].strip(), (argv, got)
        assert got == by_click(argv, capsys), argv
    # the lines above are not all the same brief: the options took effect
    outputs = {fast(argv, capsys, monkeypatch)[1] for argv in plain_lines(str(demo_db))}
    assert len(outputs) >= 8


def test_the_top_level_zone_reaches_the_brief(demo_db: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    _, tokyo, _ = fast(["--tz", "Asia/Tokyo", "--db", str(demo_db), "brief", "--format", "json"], capsys, monkeypatch)
    _, berlin, _ = fast(["--tz", "Europe/Berlin", "--db", str(demo_db), "brief", "--format", "json"], capsys, monkeypatch)
    assert '"tz": "Asia/Tokyo"' in tokyo and '"tz": "Europe/Berlin"' in berlin


@pytest.mark.parametrize("argv", [
    ["--db", "{db}", "brief", "--date", "31-31-2026"],
    ["--db", "{db}", "brief", "--tz", "Mars/Olympus"],
    ["--db", "{db}", "brief", "--project", "NOPE"],
    ["--db", "{missing}", "brief"],
    ["--db", "{corrupt}", "brief", "--format", "json"],
    # the dashboard's lines
    ["--db", "{missing}"],
    ["--db", "{corrupt}"],
    ["--db", "{db}", "--tz", "Mars/Olympus"],
])
def test_bad_input_is_one_line_and_the_same_as_through_click(argv: list[str], tmp_path: Path, demo_db: Path,
                                                             capsys, monkeypatch) -> None:  # noqa: ANN001
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"people": {"1": ', encoding="utf-8")
    paths = {"db": str(demo_db), "missing": str(tmp_path / "no" / "such.json"), "corrupt": str(corrupt)}
    argv = [a.format(**paths) for a in argv]
    before = disk_state(demo_db), corrupt.read_bytes()
    reader = launch.read_brief_args if "brief" in argv else launch.read_tui_args
    code, out, err = fast(argv, capsys, monkeypatch, reader)
    assert code != 0 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tpm: ") and "Traceback" not in err, err
    assert (code, out, err) == by_click(argv, capsys)
    assert (disk_state(demo_db), corrupt.read_bytes()) == before
    assert not (tmp_path / "no").exists()


def test_debug_shows_the_traceback_instead(tmp_path: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    from tpm_tui.domain import TpmError

    with pytest.raises(TpmError):
        launch.main(["--debug", "--db", str(tmp_path / "no" / "such.json"), "brief"])
    with pytest.raises(TpmError):  # the dashboard's line too
        launch.main(["--tz", "UTC", "--debug", "--db", str(tmp_path / "no" / "such.json")])


@pytest.mark.parametrize("argv", [
    ["brief", "--help"],
    ["--help"],
    ["--version"],
    ["brief", "--format", "JSON"],  # click's Choice words the error
    ["brief", "--format"],  # a missing value
    ["brief", "today"],  # a stray positional
    ["brief", "--dat", "2026-12-01"],  # a typo
    ["--demo", "brief"],
    ["brief", "brief"],
    ["where"],
    ["--db", "x.json"],  # no command: the TUI
    ["brief", "--", "--date"],
    ["brief", "-h"],
])
def test_everything_else_goes_to_click(argv: list[str]) -> None:
    assert launch.read_brief_args(argv) is None


def test_help_and_errors_still_come_from_click(demo_db: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    code, out, _ = outcome(launch.main, ["brief", "--help"], capsys)
    assert code == 0 and "Usage: tpm brief" in out and "--format [text|markdown|json]" in out
    code, out, err = outcome(launch.main, ["--db", str(demo_db), "brief", "--format", "JSON"], capsys)
    assert code == 2 and out == "" and err.startswith("tpm: Invalid value for '--format'")


def run_listing_modules(argv: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """``launch.main(argv)`` in a fresh interpreter: what it printed, and the top-level
    packages it had loaded when it exited (listed on stderr by an exit handler)."""
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: print(' '.join(sorted(sys.modules)), file=sys.stderr))\n"
        "from tpm_tui.launch import main\n"
        f"main({argv!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "TPM_NOW": NOW.isoformat(), "PATH": "/usr/bin:/bin",
                                 **(env or {})})
    assert result.returncode == 0, result.stderr[-2000:]
    return result, {m.split(".")[0] for m in result.stderr.split()}


def test_a_plain_brief_loads_neither_click_nor_textual(tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    from tpm_tui import demo

    demo.seed(Store.open(db), NOW.date(), NOW)
    result, loaded = run_listing_modules(['--db', str(db), 'brief', '--format', 'json'])
    assert '"at_risk"' in result.stdout
    assert "tpm_tui" in loaded
    assert not loaded & {"click", "textual", "icalendar", "dateutil", "filelock"}, loaded & {"click", "textual"}


def test_the_console_script_and_python_m_use_the_launcher() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'tpm = "tpm_tui.launch:main"' in text
    assert "from tpm_tui.launch import main" in (ROOT / "tpm_tui" / "__main__.py").read_text(encoding="utf-8")


def test_an_error_quoting_outside_text_shows_its_escape_sequences_inert(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "\x1b[2Jno"
    code, out, err = outcome(launch.main, ["--db", str(folder / "x.json"), "brief"], capsys)
    assert code != 0 and out == ""
    assert "\x1b" not in err and err.startswith("tpm: ") and "does not exist" in err


# ---------------------------------------------------------------- the dashboard's lines


@pytest.mark.parametrize(("argv", "expected"), [
    ([], {}),
    (["--db", "x.json"], {"db": "x.json"}),
    (["--db=x.json", "--tz", "Asia/Tokyo"], {"db": "x.json", "tz": "Asia/Tokyo"}),
    (["--db", "a.json", "--db", "b.json"], {"db": "b.json"}),  # the last wins, as in click
    (["--db="], {}),  # empty: not given (the default database), as click's ``if db``
    (["--demo", "--tz", "Europe/Berlin"], {"demo": True, "tz": "Europe/Berlin"}),
    (["--debug", "--db", "-x.json"], {"debug": True, "db": "-x.json"}),  # a value may start with '-'
])
def test_plain_dashboard_lines_are_read_as_click_reads_them(argv: list[str], expected: dict[str, object]) -> None:
    assert launch.read_tui_args(argv) == {"db": None, "tz": None, "demo": False, "debug": False, **expected}


@pytest.mark.parametrize("argv", [
    ["--help"], ["-h"], ["--version"], ["--db"], ["--demo=yes"], ["--debug=1"], ["--dbb", "x"], ["x.json"],
    ["where"], ["--db", "x.json", "brief", "--format", "JSON"], ["--tz", "UTC", "plan"],
])
def test_other_lines_still_go_to_click(argv: list[str]) -> None:
    assert launch.read_tui_args(argv) is None


def test_a_bad_pinned_clock_is_refused_the_same_way(demo_db: Path, capsys, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("TPM_NOW", "yesterday-ish")
    got = fast(["--db", str(demo_db)], capsys, monkeypatch, launch.read_tui_args)
    assert got[0] != 0 and "$TPM_NOW" in got[2]
    assert got == by_click(["--db", str(demo_db)], capsys)


@pytest.mark.parametrize("demo_flag", [False, True])
def test_the_dashboard_paints_without_loading_click(demo_flag: bool, tmp_path: Path) -> None:
    db = tmp_path / "d.json"
    from tpm_tui import demo

    demo.seed(Store.open(db), NOW.date(), NOW)
    argv = ["--demo"] if demo_flag else ["--db", str(db)]
    result, loaded = run_listing_modules(argv, {"TMPDIR": str(tmp_path), "TPM_HEADLESS": "1",
                                                "TPM_EXIT_AFTER_FIRST_PAINT": "1"})
    assert {"tpm_tui", "textual"} <= loaded and "click" not in loaded
    if demo_flag:
        kept = [p for p in tmp_path.glob("tpm-demo-*/tpm.json")]
        assert len(kept) == 1 and f"The demo database is kept at {kept[0]}" in result.stdout


# ---------------------------------------------------------------- ending the process


def _run_code(code: str, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "TPM_NOW": NOW.isoformat(), "PATH": "/usr/bin:/bin", **(env or {})})


_AS_THE_COMMAND = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('TEARDOWN RAN', file=sys.stderr))\n"
    "from tpm_tui.launch import main\n"
    "main()\n"  # no argv: the command itself, as the console script calls it
)


def test_the_brief_command_ends_without_the_interpreter_teardown_and_loses_no_output(demo_db: Path) -> None:
    import json

    done = _run_code(_AS_THE_COMMAND, "--db", str(demo_db), "brief", "--format", "json")
    assert done.returncode == 0 and done.stderr == "", done.stderr[-2000:]  # the exit handler never ran
    assert json.loads(done.stdout)["at_risk"]  # every byte of the output arrived
    # in-process (tests: argv given) it exits as usual, with SystemExit
    called = _run_code(_AS_THE_COMMAND.replace("main()", f"main(['--db', {str(demo_db)!r}, 'brief'])"))
    assert called.returncode == 0 and "TEARDOWN RAN" in called.stderr


def test_an_error_still_exits_the_usual_way(tmp_path: Path) -> None:
    done = _run_code(_AS_THE_COMMAND, "--db", str(tmp_path / "no" / "x.json"), "brief")
    assert done.returncode == 1 and done.stderr.startswith("tpm: ") and done.stdout == ""


def test_the_dashboard_command_ends_the_same_way(demo_db: Path) -> None:
    done = _run_code(_AS_THE_COMMAND, "--db", str(demo_db),
                     env={"TPM_HEADLESS": "1", "TPM_EXIT_AFTER_FIRST_PAINT": "1"})
    assert done.returncode == 0 and "TEARDOWN RAN" not in done.stderr, done.stderr[-2000:]


def test_finish_waits_for_a_write_still_running_on_another_thread(tmp_path: Path) -> None:
    target = tmp_path / "written"
    code = (
        "import threading, time, sys\n"
        "from tpm_tui.launch import finish\n"
        "def write():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(target)!r}, 'w').write('done')\n"
        "threading.Thread(target=write).start()\n"
        "print('out', end='')\n"  # buffered: finish flushes it
        "finish(0)\n"
    )
    done = _run_code(code)
    assert done.returncode == 0 and done.stdout == "out"
    assert target.read_text() == "done"
