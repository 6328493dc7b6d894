"""Write ``screenshots/*.svg`` from the scenes in ``tests/scenes.py``.

Run from the repository root: ``python tests/make_screenshots.py``. Same demo data,
same frozen clock and same key presses as the snapshot tests.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scenes import SCENES, Scene  # noqa: E402

OUT = HERE.parent / "screenshots"


async def shoot(scene: Scene) -> Path:
    app = scene.make_app()
    async with app.run_test(size=scene.size) as pilot:
        await scene.play(pilot)
        name = f"{scene.name}.svg"
        app.save_screenshot(filename=name, path=str(OUT))
    return OUT / name


def main() -> None:
    OUT.mkdir(exist_ok=True)
    only = set(sys.argv[1:])
    for scene in SCENES:
        if only and scene.name not in only:
            continue
        path = asyncio.run(shoot(scene))
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
