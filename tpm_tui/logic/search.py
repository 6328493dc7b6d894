"""Finding tasks by words: the dashboard's ``/`` filter and ``tpm task list WORDS``.

Every word must be found (case-insensitive, anywhere in a word) in the task's id, project,
assignee (handle or full name), title, notes, tags or where it was imported from (a Jira key:
``jira:API-123``); ``+tag`` finds the tag only. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tpm_tui.domain import Task


def words_of(text: str) -> tuple[str, ...]:
    """Lower-case words of a filter; every one of them must match."""
    return tuple(t for t in text.lower().split() if t)


def task_matches(task: Task, tokens: Sequence[str], names: Mapping[str, str]) -> bool:
    """Each token is found in the task's id, project, assignee (handle or name), title, notes,
    source or tags (written ``+tag``: ``+q1`` finds the tag, ``q1`` the word anywhere)."""
    if not tokens:
        return True
    hay = " ".join(
        (task.id, task.project, task.assignee or "unassigned", names.get(task.assignee or "", ""), task.title,
         *(f"+{tag}" for tag in task.tags), *(n.text for n in task.notes), task.source or "")
    ).lower()
    return all(t in hay for t in tokens)


__all__ = ["task_matches", "words_of"]
