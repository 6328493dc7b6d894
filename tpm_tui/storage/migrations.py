"""Schema versions of the database file and the steps between them.

``migrate(data, from_version)`` upgrades the raw tables in memory; the store has
already copied the file to ``<db>.v<N>.bak`` before it calls this, and writes the
result atomically. Add a step by appending to ``STEPS``: ``STEPS[n]`` turns
schema ``n`` into ``n + 1``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, dict[str, Any]]

SCHEMA_VERSION = 2


def _v1_to_v2(data: Data) -> Data:
    """Schema 2 adds the ``notes`` table (my notes on meetings), empty. Nothing else changes;
    the version moves so that a tpm that knows no notes refuses the file instead of
    dropping what it cannot replay."""
    data.setdefault("notes", {})
    return data


STEPS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2}


def migrate(data: Data, from_version: int) -> Data:
    version = from_version
    while version < SCHEMA_VERSION:
        data = STEPS[version](data)
        version += 1
    data["meta"] = {"1": {"schema_version": version}}
    return data
