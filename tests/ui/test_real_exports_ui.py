"""An Outlook invite imported into the demo database shows in the Today pane at Berlin time."""

from __future__ import annotations

from pathlib import Path

from conftest import pane_text, settle
from scenes import demo_app

from tpm_tui.services.imports import import_sources
from tpm_tui.storage import Store

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


async def test_imported_outlook_invite_is_on_the_timeline_at_local_time(demo_db: Path) -> None:
    store = Store.open(demo_db)
    [report] = import_sources(store, [str(EXPORTS / "outlook_teams_invite_pacific.ics")])
    assert report.added == 1
    app = demo_app(store)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        today = pane_text(app, "today")
        assert "18:00–19:00 Incident review: payout outage" in today
        assert "Priya 22:30–23:30 Mon" in today  # whose odd hours, in their own time
        await pilot.press("]")
        await settle(pilot)
        assert "Incident review" not in pane_text(app, "today")
