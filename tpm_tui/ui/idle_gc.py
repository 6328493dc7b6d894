"""Cyclic garbage collection moved to the moments nobody waits for the screen.

CPython's automatic collector runs whenever enough container objects were allocated,
wherever that happens: in the middle of a triage key's redraw. After start-up the heap
holds the session's database and caches (frozen by the app, so never rescanned), plus
what each recompute makes (its risk items and texts, some 100k objects at 10k tasks).
Measured over 50 triage keys at 10k tasks (``benchmarks.bench_triage``): ~1,000 young,
~100 middle and ~10 full collections landed inside the keys' redraws, ~22 ms a key on
average, the full ones ~45 ms each — the slowest keys were the ones a full collection
hit.

:class:`IdleCollector` switches the automatic collector off and collects instead when
the user has paused (no input for :attr:`quiet` seconds) and nothing is being saved or
recomputed; after :attr:`max_wait` seconds of sustained activity it collects anyway, so
memory stays bounded however long a burst of keys lasts. Reference cycles are rare in
what the app makes (most garbage is freed by reference counting the moment it is
dropped), so waiting costs little memory.

No Textual here: the app calls :meth:`touch` on input and :meth:`tick` from a timer.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


class IdleCollector:
    """Run the cyclic GC when the user is idle instead of when allocations say so."""

    def __init__(
        self,
        *,
        quiet: float = 1.0,
        max_wait: float = 30.0,
        min_pending: int = 2_000,
        clock: Callable[[], float] = time.monotonic,
        collector: Any = gc,
    ) -> None:
        self.quiet = quiet
        """Seconds without input before a collection may run."""
        self.max_wait = max_wait
        """Seconds after which pending garbage is collected even while the user is busy."""
        self.min_pending = min_pending
        """Fewer new container objects than this since the last collection: nothing to do."""
        self._clock = clock
        self._gc = collector
        self.active = False
        self.collections = 0
        self._was_enabled = False
        self._last_input = 0.0
        self._last_collect = 0.0

    def start(self) -> None:
        """Take over from the automatic collector (remembering whether it was on)."""
        if self.active:
            return
        self._was_enabled = self._gc.isenabled()
        self._gc.disable()
        self.active = True
        self._last_input = self._last_collect = self._clock()

    def stop(self) -> None:
        """Hand collection back to CPython as it was before :meth:`start`."""
        if not self.active:
            return
        self.active = False
        if self._was_enabled:
            self._gc.enable()

    def touch(self) -> None:
        """The user did something: the next collection waits for a pause."""
        self._last_input = self._clock()

    def tick(self, busy: bool = False) -> bool:
        """Collect if there is garbage to look at and now is a good moment; True if it ran.

        ``busy``: a write or a recompute is on its way (its redraw is coming)."""
        if not self.active or self._gc.get_count()[0] < self.min_pending:
            return False
        now = self._clock()
        idle = not busy and now - self._last_input >= self.quiet
        if not idle and now - self._last_collect < self.max_wait:
            return False
        self._gc.collect()
        self._last_collect = self._clock()
        self.collections += 1
        return True


__all__ = ["IdleCollector"]
