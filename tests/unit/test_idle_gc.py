"""The idle collector: cyclic GC when the user pauses, bounded while they do not."""

from __future__ import annotations

import gc

import pytest

from tests.fakes import Clock, FakeGC
from tpm_tui.ui.idle_gc import IdleCollector


def make(pending: int = 5_000, enabled: bool = True) -> tuple[IdleCollector, FakeGC, Clock]:
    fake, clock = FakeGC(enabled, pending), Clock()
    return IdleCollector(quiet=1.0, max_wait=30.0, min_pending=2_000, clock=clock, collector=fake), fake, clock


@pytest.mark.parametrize("was_enabled", [True, False])
def test_start_turns_the_automatic_collector_off_and_stop_restores_it(was_enabled: bool) -> None:
    idle, fake, _ = make(enabled=was_enabled)
    idle.start()
    assert idle.active and not fake.enabled
    idle.stop()
    assert not idle.active and fake.enabled is was_enabled
    idle.stop()  # twice is harmless
    assert fake.enabled is was_enabled


def test_nothing_runs_before_start_or_after_stop() -> None:
    idle, fake, clock = make()
    clock.t += 60
    assert idle.tick() is False
    idle.start()
    idle.stop()
    clock.t += 60
    assert idle.tick() is False and fake.collected == 0


def test_collects_once_the_user_paused_for_quiet_seconds() -> None:
    idle, fake, clock = make()
    idle.start()
    idle.touch()
    clock.t += 0.5
    assert idle.tick() is False  # a key half a second ago: the next may follow
    clock.t += 0.6
    assert idle.tick() is True and fake.collected == 1 and idle.collections == 1
    fake.pending = 10
    clock.t += 5
    assert idle.tick() is False  # nothing new to look at
    assert fake.collected == 1


def test_a_key_restarts_the_wait() -> None:
    idle, fake, clock = make()
    idle.start()
    for _ in range(10):  # a key every 0.9 s: never a full second of quiet
        clock.t += 0.9
        idle.touch()
        assert idle.tick() is False
    assert fake.collected == 0


def test_not_while_a_write_or_recompute_is_on_its_way() -> None:
    idle, fake, clock = make()
    idle.start()
    clock.t += 5
    assert idle.tick(busy=True) is False
    assert idle.tick(busy=False) is True
    assert fake.collected == 1


def test_sustained_activity_collects_after_max_wait() -> None:
    idle, fake, clock = make()
    idle.start()
    ran = []
    for _ in range(80):  # 40 s of keys every half second, the app always busy
        clock.t += 0.5
        idle.touch()
        fake.pending += 3_000
        ran.append(idle.tick(busy=True))
    assert ran.count(True) == 1 and ran.index(True) == 59  # at 30 s, then the clock restarts
    assert fake.collected == 1


def test_the_real_module_by_default() -> None:
    was = gc.isenabled()
    idle = IdleCollector()
    try:
        idle.start()
        assert not gc.isenabled()
    finally:
        idle.stop()
    assert gc.isenabled() is was
