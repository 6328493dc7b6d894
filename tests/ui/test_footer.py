"""The one-line key footer: what it shows, where, and that a click presses the key."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW, TZ, screen_text, settle

from tpm_tui.storage import Store
from tpm_tui.ui.app import TpmApp
from tpm_tui.ui.screens.dashboard import DashboardScreen
from tpm_tui.ui.screens.guided_triage import GuidedTriage
from tpm_tui.ui.screens.help_modal import HelpModal
from tpm_tui.ui.widgets.footer import KeyFooter


def app_on(path: Path) -> TpmApp:
    return TpmApp(Store.open(path), TZ, lambda: NOW)


def shown_bindings(screen) -> list[str]:  # noqa: ANN001
    """The keys Textual's own footer would show: one per action, ``show=True``, palette aside."""
    out, actions = [], set()
    for key, (_node, binding, _enabled, _tip) in screen.active_bindings.items():
        if key == "ctrl+p" or not binding.show or binding.action in actions:
            continue
        actions.add(binding.action)
        out.append(binding.key)
    return out


async def test_footer_shows_every_shown_binding_in_order_and_the_palette_at_the_right(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(KeyFooter)
        assert list(footer.keys_shown) == shown_bindings(app.screen)
        assert footer.palette_key == "ctrl+p"
        line = screen_text(app).splitlines()[-1]
        assert line.startswith(" d Done  s Snooze  u Undo ")
        assert line.rstrip().endswith("▏ ^p palette")
        assert line.index("? Help") < line.index("v Plan") < line.index("q Quit")


async def test_footer_at_80_columns_keeps_the_first_keys_and_the_palette(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        assert len(line) <= 80
        assert line.startswith(" d Done  s Snooze  u Undo  t Triage")
        assert line.rstrip().endswith("^p palette")
        assert "q Quit" not in line  # cut, not wrapped onto the panes
        # only whole keys: what is left of the separator ends with a key's description
        keys = line.split("▏")[0].rstrip()
        assert keys.endswith(" 1-4 Panes"), keys


async def test_footer_follows_the_screen_and_its_bindings(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        dash_keys = app.screen.query_one(KeyFooter).keys_shown
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, GuidedTriage)
        triage_keys = app.screen.query_one(KeyFooter).keys_shown
        assert list(triage_keys) == shown_bindings(app.screen)
        assert "escape" in triage_keys and "t" not in triage_keys
        assert triage_keys != dash_keys
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one(KeyFooter).keys_shown == dash_keys


async def test_a_click_on_a_key_presses_it(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        x = line.index("? Help") + 2
        assert await pilot.click(KeyFooter, offset=(x, 0))
        await settle(pilot)
        assert isinstance(app.screen, HelpModal)


async def test_a_click_between_keys_does_nothing(demo_db: Path) -> None:
    app = app_on(demo_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        line = screen_text(app).splitlines()[-1]
        gap = line.index("q Quit") + len("q Quit") + 10  # the blank run before the palette key
        assert line[gap] == " "
        await pilot.click(KeyFooter, offset=(gap, 0))
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
