"""Small stand-ins shared by unit and UI tests."""

from __future__ import annotations


class FakeGC:
    """Stands in for the ``gc`` module: an on/off switch, a pending count, collections."""

    def __init__(self, enabled: bool = True, pending: int = 0) -> None:
        self.enabled = enabled
        self.pending = pending
        self.collected = 0

    def isenabled(self) -> bool:
        return self.enabled

    def enable(self) -> None:
        self.enabled = True

    def disable(self) -> None:
        self.enabled = False

    def get_count(self) -> tuple[int, int, int]:
        return (self.pending, 0, 0)

    def collect(self) -> int:
        self.collected += 1
        self.pending = 0
        return 0


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t
