"""``tpm task import issues.json``: what ``gh issue list --json …`` prints becomes tpm tasks, once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tests.conftest import cli, disk_state, imported_from
from tpm_tui.domain import TaskStatus
from tpm_tui.storage import Store

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "gh_issue_list.json"


def by_key(db: Path) -> dict[str, Any]:
    return imported_from(db, "gh:")


def test_issues_become_tasks_with_whose_they_are_milestones_labels_and_links(demo_db: Path) -> None:
    result = cli("task", "import", str(EXPORT), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"{EXPORT}: 3 added (1 done), 1 new project (PAYMENTSAPI), 0 already here, "
                             "1 cancelled left out  (tpm undo takes it back)\n")  # closed as not planned
    assert "assignees tpm does not know, left unassigned: octo-dev (1)" in result.stderr
    t = by_key(demo_db)
    retry, keys, docs = t["acme/payments-api#412"], t["acme/payments-api#409"], t["acme/payments-api#398"]
    assert "acme/payments-api#377" not in t
    assert (retry.project, retry.status, retry.priority, retry.assignee) == (  # type: ignore[attr-defined]
        "PAYMENTSAPI", TaskStatus.DOING, "high", "priya")  # "in progress" label; "priority: high"; login
    assert (retry.due, retry.estimate_hours, retry.tags) == (date(2026, 12, 11), 12.0, ("backend",))  # type: ignore[attr-defined]
    assert retry.depends_on == (keys.id,)  # type: ignore[attr-defined]  # blockedBy #409
    assert [n.text for n in retry.notes] == ["Failed webhook deliveries are retried once.\nUse 1s, 2s, 4s … up to 1h."]  # type: ignore[attr-defined]
    assert retry.created_at == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)  # type: ignore[attr-defined]
    # the project board says In Progress; P1; an assignee tpm does not know; no milestone, no due date
    assert (keys.status, keys.priority, keys.assignee, keys.due) == (TaskStatus.DOING, "high", None, None)  # type: ignore[attr-defined]
    assert (docs.status, docs.due, docs.assignee, docs.tags) == (TaskStatus.DONE, date(2026, 11, 27), "lena", ("docs",))  # type: ignore[attr-defined]
    assert Store.open(demo_db).project("PAYMENTSAPI").name == "acme/payments-api"  # type: ignore[union-attr]
    # the issue's key finds it, as the / filter does
    assert cli("task", "list", "payments-api#412", "--db", str(demo_db)).stdout.split()[0] == retry.id  # type: ignore[attr-defined]
    before = disk_state(demo_db)
    again = cli("task", "import", str(EXPORT), "--db", str(demo_db))
    assert again.stdout == f"{EXPORT}: 0 added, 3 already here, 1 cancelled left out\n"
    assert disk_state(demo_db) == before
    assert cli("undo", "--db", str(demo_db)).stdout.startswith(f"Undone: import of 3 tasks from {EXPORT}")
    assert by_key(demo_db) == {}


def test_an_issue_changed_on_github_is_updated_and_a_sub_issue_holds_its_parent(demo_db: Path, tmp_path: Path) -> None:
    issues = json.loads(EXPORT.read_text())
    assert cli("task", "import", str(EXPORT), "--db", str(demo_db)).exit_code == 0
    issues[0].update(title="Retry webhooks (backoff, jitter)", updatedAt="2026-11-30T07:00:00Z",
                     milestone={"title": "v2.2", "dueOn": "2026-12-18T08:00:00Z"})
    issues.append({"number": 420, "title": "Jitter for retries", "url": "https://github.com/acme/payments-api/issues/420",
                   "state": "OPEN", "parent": {"number": 412, "url": "https://github.com/acme/payments-api/issues/412"},
                   "createdAt": "2026-11-30T07:00:00Z", "updatedAt": "2026-11-30T07:00:00Z"})
    newer = tmp_path / "issues.json"
    newer.write_text(json.dumps(issues))
    result = cli("task", "import", str(newer), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{newer}: 1 added, 1 updated, 2 already here, 1 cancelled left out")
    t = by_key(demo_db)
    retry = t["acme/payments-api#412"]
    assert (retry.title, retry.due) == ("Retry webhooks (backoff, jitter)", date(2026, 12, 18))  # type: ignore[attr-defined]
    assert t["acme/payments-api#420"].id in retry.depends_on  # type: ignore[attr-defined]


def test_one_issue_from_gh_issue_view_imports_too(demo_db: Path, tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"number": 7, "title": "Lone issue", "state": "OPEN"}))  # no URL: key #7
    result = cli("task", "import", str(one), "--project", "OPS", "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    (task,) = by_key(demo_db).values()
    assert (task.title, task.project, task.source) == ("Lone issue", "OPS", "gh:#7")  # type: ignore[attr-defined]


def test_issue_numbers_of_several_repositories_name_the_right_issue(demo_db: Path, tmp_path: Path) -> None:
    def issue(repo: str, number: int, **more: object) -> dict[str, object]:
        return {"number": number, "title": f"{repo} {number}", "url": f"https://github.com/acme/{repo}/issues/{number}",
                "state": "OPEN", "createdAt": "2026-11-30T07:00:00Z", "updatedAt": "2026-11-30T07:00:00Z", **more}

    both = tmp_path / "both.json"  # issue 7 exists in both repositories
    both.write_text(json.dumps([
        issue("web", 7),
        issue("api", 7),
        issue("api", 8, blockedBy=[{"number": 7}]),  # its own repository's 7
        issue("api", 9, blockedBy=[{"number": 7, "url": "https://github.com/acme/web/issues/7"}]),  # web's, by URL
        issue("web", 10, blockedBy=[{"number": 7, "repository": {"nameWithOwner": "acme/api"}}]),  # api's, by name
        issue("web", 11, blockedBy=[7]),  # a bare number: of its own repository
    ]))
    result = cli("task", "import", str(both), "--db", str(demo_db))
    assert result.exit_code == 0, result.stderr
    t = by_key(demo_db)
    ids = {key: task.id for key, task in t.items()}  # type: ignore[attr-defined]
    assert t["acme/api#8"].depends_on == (ids["acme/api#7"],)  # type: ignore[attr-defined]
    assert t["acme/api#9"].depends_on == (ids["acme/web#7"],)  # type: ignore[attr-defined]
    assert t["acme/web#10"].depends_on == (ids["acme/api#7"],)  # type: ignore[attr-defined]
    assert t["acme/web#11"].depends_on == (ids["acme/web#7"],)  # type: ignore[attr-defined]
    assert ids["acme/api#7"] != ids["acme/web#7"]
