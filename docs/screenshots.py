"""Write the README's screenshots (SVG) of each screen, from the app on the shipped data.

python docs/screenshots.py
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from barnet_tui.config import load_config
from barnet_tui.tui.app import BarnetApp

HERE = Path(__file__).resolve().parent
SHOTS = {
    "summary": ({}, ()),
    "service": ({"service": "Family Services"}, ()),
    "indicator": ({"indicator": "FS/S11"}, ()),
    "filter": ({"period": "2017/18 Q4", "service": "Education and Skills"}, ("b",)),
    "finance": ({"period": "2016/17 Q1", "service": "Commissioning Group"}, ("3",)),
    "risks": ({"period": "2015/16 Q4", "service": "Family Services"}, ("4",)),
}


async def shoot(name: str, start: dict[str, str], keys: tuple[str, ...]) -> None:
    config = load_config()._replace(data_dir=HERE.parent / "data")
    app = BarnetApp(config, **start)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        # The window title names where the dataset came from: a path of this machine.
        svg = app.export_screenshot(title="barnet-tui")
        (HERE / "screenshots" / f"{name}.svg").write_text(svg, encoding="utf-8")


def main() -> None:
    (HERE / "screenshots").mkdir(exist_ok=True)
    for name, (start, keys) in SHOTS.items():
        asyncio.run(shoot(name, start, keys))
        print(f"docs/screenshots/{name}.svg")


if __name__ == "__main__":
    main()
