"""SVG snapshots of the scenes in ``tests/scenes.py`` (the README screenshots come from the same scenes).

Update baselines only after looking at them: ``pytest tests/ui --snapshot-update``.
"""

from __future__ import annotations

import pytest
from scenes import SCENES, Scene


@pytest.mark.snapshot
@pytest.mark.parametrize("scene", SCENES, ids=lambda s: s.name)
def test_scene(snap_compare, scene: Scene) -> None:
    assert snap_compare(scene.make_app(), run_before=scene.play, terminal_size=scene.size)
