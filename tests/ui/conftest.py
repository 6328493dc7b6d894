"""UI test helpers: the demo app on the frozen clock, and plain text of what is on screen."""

from __future__ import annotations

import html
import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from scenes import NOW, TODAY, TZ, demo_app, settle  # noqa: E402

from tpm_tui.storage import Store  # noqa: E402
from tpm_tui.ui.app import TpmApp  # noqa: E402

__all__ = ["NOW", "TODAY", "TZ", "settle", "screen_text", "pane_text"]


@pytest.fixture
def make_app(demo_store: Store) -> Callable[..., TpmApp]:
    """``make_app()`` → the demo dashboard; ``make_app(store)`` → the app on another store."""

    def make(store: Store | None = None) -> TpmApp:
        return demo_app(store if store is not None else demo_store)

    return make


_TEXT = re.compile(r'<text [^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', re.S)
CHAR_WIDTH = 12.2  # px per cell in Textual's SVG export


def screen_text(app: TpmApp) -> str:
    """What the terminal shows, as plain lines of cells (from the SVG export the snapshots use)."""
    svg = app.export_screenshot()
    rows: dict[float, dict[int, str]] = {}
    for x, y, content in _TEXT.findall(svg):
        text = html.unescape(re.sub(r"<[^>]+>", "", content)).replace("\xa0", " ")
        row = rows.setdefault(float(y), {})
        col = round(float(x) / CHAR_WIDTH)
        for i, ch in enumerate(text):
            row[col + i] = ch
    lines = []
    for _, cells in sorted(rows.items()):
        width = max(cells) + 1 if cells else 0
        lines.append("".join(cells.get(i, " ") for i in range(width)).rstrip())
    return "\n".join(lines)


def plain(renderable: object, width: int = 120) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def pane_text(app: TpmApp, pane_id: str) -> str:
    """All rows of a pane (scrolled out of view or not), as plain text."""
    from textual.widgets import OptionList, Static

    pane = app.screen.query_one(f"#{pane_id}")
    lists = list(pane.query(OptionList))
    if lists:
        return "".join(plain(option.prompt) for option in lists[0].options)
    return "".join(plain(static.content) for static in pane.query(Static))
