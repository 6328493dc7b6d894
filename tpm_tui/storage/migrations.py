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

SCHEMA_VERSION = 1


# No step yet: schema 1 is the first. A step looks like
#   def _v1_to_v2(data): data["tasks"] = {...}; return data
STEPS: dict[int, Callable[[Data], Data]] = {}


def migrate(data: Data, from_version: int) -> Data:
    version = from_version
    while version < SCHEMA_VERSION:
        data = STEPS[version](data)
        version += 1
    data["meta"] = {"1": {"schema_version": version}}
    return data
