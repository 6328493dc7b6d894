"""Tab completion (``eval "$(_TPM_COMPLETE=bash_source tpm)"``): commands, and task ids, handles,
project keys and zones from the database the command line names — through the real entry
point, which must hand the shell's request to click instead of opening the dashboard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import disk_state


def complete(line: str, *, env: dict[str, str] | None = None) -> list[str]:
    """What bash is offered for the last word of ``line`` (a trailing space: a new word)."""
    words = line.split(" ")
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("TPM_")}
    run_env.update({"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1), "_TPM_COMPLETE": "bash_complete",
                    **(env or {})})
    result = subprocess.run([sys.executable, "-c", "from tpm_tui.launch import main; main()"], env=run_env,
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [row.split(",", 1)[1] for row in result.stdout.splitlines() if row]


def test_commands_complete_without_opening_the_dashboard() -> None:
    assert complete("tpm ta") == ["task"]
    assert complete("tpm task sh") == ["show"]
    assert "hours" in complete("tpm task ")


def test_task_ids_handles_projects_and_zones_come_from_the_named_database(demo_db: Path) -> None:
    before, files = disk_state(demo_db), sorted(os.listdir(demo_db.parent))
    db = str(demo_db)
    done = complete(f"tpm --db {db} task done mob-1")  # any case: the ids as they are
    assert done == ["MOB-1", "MOB-10", "MOB-11", "MOB-13"]  # open ones only (MOB-12 is done)
    shown = complete(f"tpm task show --db {db} MOB-1")
    assert shown == ["MOB-1", "MOB-10", "MOB-11", "MOB-13", "MOB-12"]  # finished work last
    assert complete(f"tpm --db {db} person show p") == ["priya"]
    assert complete(f"tpm --db {db} person off lena,t") == ["lena,tom"]
    assert complete(f"tpm --db {db} task add X --project ") == ["API", "DATA", "MOB"]
    assert complete(f"tpm --db {db} task edit API-1 --assignee d") == ["diego"]
    assert complete("tpm set timezone Asia/Kolk") == ["Asia/Kolkata"]
    assert disk_state(demo_db) == before and sorted(os.listdir(demo_db.parent)) == files  # nothing written


@pytest.mark.parametrize("db", ["missing/nowhere.json", "garbage.json"])
def test_a_database_that_cannot_be_read_completes_nothing_quietly(tmp_path: Path, db: str) -> None:
    (tmp_path / "garbage.json").write_bytes(b"{not json")
    assert complete(f"tpm --db {tmp_path / db} task show ") == []
    assert not (tmp_path / "missing").exists()
    assert (tmp_path / "garbage.json").read_bytes() == b"{not json"
