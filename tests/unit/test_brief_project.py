"""``tpm brief --project KEY``: the update for one project's stakeholders."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import NOW, TODAY, TZ, cli, refused
from tpm_tui.logic.render import for_project, project_team, render_markdown
from tpm_tui.services.brief import daily_brief
from tpm_tui.storage import Store


def test_for_project_keeps_its_tasks_its_team_and_the_meetings_they_attend(demo_store: Store) -> None:
    brief = daily_brief(demo_store, TODAY, TZ, NOW)
    tasks = demo_store.open_tasks()
    api = demo_store.project("API")
    assert api is not None
    team = project_team(api, tasks)
    assert team == {t.assignee for t in tasks if t.project == "API" and t.assignee} | {api.owner}
    me = demo_store.settings().me
    only = for_project(brief, api, tasks, me=me)
    assert only.at_risk == tuple(i for i in brief.at_risk if i.task.project == "API")
    assert 0 < len(only.at_risk) < len(brief.at_risk)
    assert [w.person.handle for w in only.workload] == [w.person.handle for w in brief.workload
                                                         if w.person.handle in team]
    kept = {m.occurrence.uid for m in only.meetings}
    for m in brief.meetings:
        # a meeting is the project's when someone of its team other than the manager attends
        assert (m.occurrence.uid in kept) == any(lt.handle in team - {me} for lt in m.local_times)
    ours = {t.id for t in tasks if t.project == "API"}
    assert all(b.task_id in ours for b in only.plan.blocks)
    assert [b for b in brief.plan.blocks if b.task_id in ours] == list(only.plan.blocks)


def test_the_markdown_update_is_addressed_to_the_stakeholders_and_names_one_project(demo_store: Store) -> None:
    from tpm_tui.services.triage import edit_project

    edit_project(demo_store, "API", NOW, today=TODAY, stakeholders="cfo@example.com, Risk@Example.com")
    api = demo_store.project("API")
    tasks = demo_store.open_tasks()
    brief = for_project(daily_brief(demo_store, TODAY, TZ, NOW), api, tasks)  # type: ignore[arg-type]
    text = render_markdown(brief, demo_store.people(), demo_store.projects(), tasks, only=api)
    lines = text.splitlines()
    assert lines[0] == f"# API — {api.name}: status update — Mon 30 Nov 2026"  # type: ignore[union-attr]
    assert lines[2] == "To: cfo@example.com, risk@example.com"
    sections = [line for line in lines if line.startswith("### ")]
    assert len(sections) == 1 and sections[0].startswith("### API — ")


def test_cli_brief_project_in_every_format_and_an_unknown_key(demo_db: Path) -> None:
    db = str(demo_db)
    everything = json.loads(cli("brief", "--format", "json", "--db", db).output)
    mob = json.loads(cli("brief", "--project", "mob", "--format", "json", "--db", db).output)
    assert set(mob) == set(everything)  # the JSON contract keeps its keys
    assert {r["project"] for r in mob["at_risk"]} == {"MOB"}
    assert [r["id"] for r in mob["at_risk"]] == [r["id"] for r in everything["at_risk"] if r["project"] == "MOB"]
    assert len(mob["workload"]) < len(everything["workload"])
    text = cli("brief", "--project", "MOB", "--db", db).output
    assert "MOB-5" in text and "API-1" not in text
    assert refused(demo_db, "brief", "--project", "XYZ") == "tpm: --project: no project 'XYZ' (projects: API, DATA, MOB)"


def test_the_update_forecasts_each_project_and_a_short_one_is_at_risk(demo_db: Path) -> None:
    """A project with no task at risk, whose work its people have no time for before the
    target date, is ``at risk``, and the update says by how much and whose."""
    db = str(demo_db)
    assert cli("project", "add", "OPS", "--name", "Ops hardening", "--target", "2026-12-04", "--db", db).exit_code == 0
    # Tom works 20h a week (Mon-Fri, 4h a day): 30h of his before Friday cannot fit; no due dates, so
    # no task of it is at risk on its own
    for title, hours in (("Patch the fleet", "18h"), ("Rotate secrets", "12h")):
        assert cli("task", "add", title, "--project", "OPS", "--assignee", "tom", "--estimate", hours,
                   "--db", db).exit_code == 0
    text = cli("brief", "--format", "markdown", "--db", db).output
    lines = text.splitlines()
    at = lines.index("### OPS — Ops hardening: **at risk** (target Fri 04 Dec)")
    forecast = lines[at + 2]
    assert forecast.startswith("- Forecast: ") and " short before Fri 04 Dec: Tom needs 30h, has " in forecast
    hours_short = float(forecast.removeprefix("- Forecast: ").split("h short")[0])
    free = float(forecast.split(", has ")[1].split("h free")[0])
    assert hours_short == round(30 - free, 1) and 0 < free < 20
    # a forecast line for each of the demo's projects too: API (due Friday) is short of Priya's time,
    # and stays off track (its tasks say worse than "at risk")
    assert sum(1 for line in lines if line.startswith("- Forecast: ")) == 4
    api = lines.index("### API — Payments API v2: **off track** (target Fri 04 Dec)")
    assert " short before Fri 04 Dec: Priya needs 46h, has " in lines[api + 2]
    mob = lines.index(next(line for line in lines if line.startswith("### MOB — ")))
    assert " of open work fit before " in lines[mob + 2]
    # one project's update carries its forecast too
    ops = cli("brief", "--project", "OPS", "--format", "markdown", "--db", db).output
    assert forecast in ops.splitlines()
    assert "Nothing at risk." not in ops  # it is: the forecast says why
