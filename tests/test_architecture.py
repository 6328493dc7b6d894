"""Layering rules, checked on the installed package in fresh interpreters."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tpm_tui"


def _loaded_after(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "statement",
    [
        "import tpm_tui.cli",
        "import tpm_tui.services.entry",
        "from tpm_tui.cli import main",
    ],
)
def test_cli_and_services_do_not_import_textual(statement: str) -> None:
    modules = _loaded_after(statement)
    assert "textual" not in modules
    assert not any(m.startswith("tpm_tui.ui") for m in modules)


def test_tpm_help_does_not_import_textual() -> None:
    code = (
        "import sys\nfrom tpm_tui.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN', file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().endswith("CLEAN")


def _imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


# (package folder, third-party or internal modules it must never import)
RULES = [
    ("domain", {"textual", "tinydb", "icalendar", "recurring_ical_events", "click", "tpm_tui.storage",
                "tpm_tui.ics", "tpm_tui.services", "tpm_tui.ui", "tpm_tui.logic"}),
    ("logic", {"textual", "tinydb", "icalendar", "recurring_ical_events", "x_wr_timezone", "click",
               "tpm_tui.storage", "tpm_tui.ics", "tpm_tui.services", "tpm_tui.ui"}),
    ("storage", {"textual", "icalendar", "recurring_ical_events", "click", "tpm_tui.ui", "tpm_tui.services"}),
    ("ics", {"textual", "tinydb", "click", "tpm_tui.ui", "tpm_tui.storage", "tpm_tui.services"}),
    ("services", {"textual", "tinydb", "icalendar", "recurring_ical_events", "x_wr_timezone", "tpm_tui.ui"}),
    ("ui", {"tinydb", "icalendar", "recurring_ical_events", "x_wr_timezone"}),
]


@pytest.mark.parametrize(("folder", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_layer_imports(folder: str, forbidden: set[str]) -> None:
    files = sorted((PACKAGE / folder).rglob("*.py"))
    assert files, f"no modules in tpm_tui/{folder}"
    offenders = []
    for path in files:
        names = _imports_of(path)
        bad = {n for n in names for f in forbidden if n == f or n.startswith(f + ".")}
        bad |= {n for n in _top(names) if n in forbidden}
        if bad:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(bad)}")
    assert offenders == []


def test_only_storage_imports_tinydb_and_only_ics_imports_icalendar() -> None:
    for path in PACKAGE.rglob("*.py"):
        top = _top(_imports_of(path))
        rel = path.relative_to(PACKAGE).parts
        if "tinydb" in top:
            assert rel[0] == "storage", path
        if top & {"icalendar", "recurring_ical_events", "x_wr_timezone"}:
            assert rel[0] == "ics", path
        if "textual" in top:
            assert rel[0] == "ui", path
