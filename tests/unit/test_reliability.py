"""Fast versions of the long reliability runs (benchmarks/reliability.py)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.reliability import concurrent_run, crash_run


def test_sigkill_at_random_moments_loses_no_acknowledged_action(tmp_path: Path) -> None:
    report = crash_run(kills=20, folder=tmp_path, seed=3, max_delay=0.15)
    assert report.kills == 20
    assert report.acknowledged >= 20
    assert report.load_failures == 0
    assert report.lost == 0


def test_two_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    report = concurrent_run(procs=2, updates=90, folder=tmp_path)
    assert report.lost == 0


def test_four_concurrent_writers_on_the_same_task_lose_nothing(tmp_path: Path) -> None:
    report = concurrent_run(procs=4, updates=45, folder=tmp_path)
    assert report.lost == 0
