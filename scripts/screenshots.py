"""Regenerate the SVG screenshots in screenshots/ (run: python scripts/screenshots.py [NAME ...]).

With names (catalog, session, calendar), only those are regenerated.

Each screen is driven headless through ``App.run_test()`` at 100x30 with a
throw-away data directory holding a realistic history, so the pictures show
what a user sees without touching anyone's real history.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from textual.pilot import Pilot  # noqa: E402 - imported after the sys.path line above

from tui.app import HamstringApp  # noqa: E402 - imported after the sys.path line above
from tui.core.factory import make_sessions  # noqa: E402 - imported after the sys.path line above
from tui.core.store import HistoryStore  # noqa: E402 - imported after the sys.path line above
from tui.screens.session import SessionRequest  # noqa: E402 - imported after the sys.path line above
from tui.widgets import text  # noqa: E402 - imported after the sys.path line above

OUT = REPO / "screenshots"
SIZE = (100, 30)
TODAY = date(2026, 11, 24)


class ShotClock:
    """A monotonic clock the script moves by hand, so a hold can be caught mid-way."""

    now = 1000.0

    def __call__(self) -> float:
        return self.now


CLOCK = ShotClock()


async def shoot(name: str, template: Path, drive: Callable[[Pilot], Awaitable[None]], **app_args: object) -> Path:
    """One screenshot, on its own copy of the prepared data directory."""
    data_dir = template.with_name(f"data-{name}")
    shutil.copytree(template, data_dir)
    app = HamstringApp(
        data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: TODAY, monotonic=CLOCK, **app_args
    )
    async with app.run_test(size=SIZE) as pilot:
        await drive(pilot)
        await pilot.pause()
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))
    print(f"wrote {path.relative_to(REPO)}")
    return path


async def main(only: set[str]) -> None:
    text.use(text.UNICODE)  # the pictures show the symbols whatever this shell's locale
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HAMSTRING_CONFIG_DIR"] = str(Path(tmp) / "config")
        data_dir = Path(tmp) / "data"
        history = HistoryStore.open(data_dir)
        # About a year of realistic practice, with a streak running into today.
        history.import_many(make_sessions(330, end=TODAY - timedelta(days=1), seed=21), [TODAY - timedelta(days=12)])

        async def catalog(pilot: Pilot) -> None:
            await pilot.press("down")

        async def session(pilot: Pilot) -> None:
            await pilot.pause()
            CLOCK.now += 5 + 30 + 5 + 30 + 5 + 12.4  # in the forward fold's hold
            pilot.app.screen._tick()

        async def calendar(pilot: Pilot) -> None:
            await pilot.press("h")

        if not only or "catalog" in only:
            await shoot("catalog", data_dir, catalog)
        if not only or "session" in only:
            await shoot(
                "session", data_dir, session, start_mode="session", session_request=SessionRequest(autostart=True)
            )
        if not only or "calendar" in only:
            await shoot("calendar", data_dir, calendar)

        async def progress(pilot: Pilot) -> None:
            # Twelve weeks of made-up check-ins and measurements, passed in (not read from the history).
            from tui.core.progress_view import sample_progress_data
            from tui.screens.progress import ProgressScreen

            await pilot.app.push_screen(ProgressScreen(sample_progress_data(TODAY)))

        await shoot("progress", data_dir, progress)


if __name__ == "__main__":
    asyncio.run(main(set(sys.argv[1:])))
