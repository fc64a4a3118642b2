"""Issue 17's rough edges in the app: theme, keys, help, safety note, toasts."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.app import HamstringApp
from tui.core.store import HistoryStore

TZ = timezone(timedelta(hours=2))


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


def make_app(data_dir: Path, mode: str = "calendar") -> HamstringApp:
    return HamstringApp(
        data_dir=data_dir,
        store=HistoryStore.open(data_dir),
        start_mode=mode,
        wall_clock=lambda: datetime(2025, 6, 18, 9, 0, tzinfo=TZ),
        tz_name="Europe/Berlin",
    )


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_theme_picked_anywhere_is_saved_and_kept_after_a_restart(data_dir: Path) -> None:
    async with make_app(data_dir).run_test() as pilot:
        await settle(pilot)
        pilot.app.theme = "nord"  # what the palette's "Change theme" does
        await settle(pilot)
    assert json.loads((data_dir / "settings.json").read_text())["theme"] == "nord"
    async with make_app(data_dir).run_test() as pilot:
        await settle(pilot)
        assert pilot.app.theme == "nord"


async def test_the_saved_theme_is_the_first_frames_not_applied_once_the_history_opens(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.json").write_text(json.dumps({"theme": "textual-light"}))
    app = HamstringApp(data_dir=data_dir, start_mode="catalog")  # the history opens after the first frame
    assert app.service.store is None and app.theme == "textual-light"
    seen: list[tuple[str, bool]] = []
    original = app.screen_shown

    def shown(name: str) -> None:  # the first screen's first frame comes next
        seen.append((app.theme, app.current_theme.dark))
        original(name)

    app.screen_shown = shown  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await settle(pilot)
        assert seen[0] == ("textual-light", False)
        assert pilot.app.screen.has_class("-light-mode") or pilot.app.has_class("-light-mode")
    assert json.loads((data_dir / "settings.json").read_text()) == {"theme": "textual-light"}  # read, not rewritten


async def test_help_lists_every_key_of_the_calendar_and_the_safety_note(data_dir: Path) -> None:
    from textual.widgets import Static

    from tui.core.catalog import SAFETY_NOTE
    from tui.screens.help import HelpScreen

    async with make_app(data_dir).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        shown = str(pilot.app.screen.query_one("#help-text", Static).render())
        for key, what in (("⏎", "The day's sessions"), ("←", "Previous / next day"), ("↑", "Previous / next week")):
            assert key in shown and what in shown, (key, shown)
        for what in ("Previous month", "Next month", "Today", "Settings", "Rest day"):
            assert what in shown
        assert " ".join(SAFETY_NOTE.split()) in " ".join(shown.split())
        history, stretches = (line for line in shown.splitlines() if line.startswith(("History ", "Stretches ")))
        assert history.index("/") == stretches.index("/")  # the two paths line up


async def test_the_safety_note_shows_once_on_first_start(data_dir: Path) -> None:
    from tui.core.catalog import SAFETY_NOTE

    async with make_app(data_dir, "catalog").run_test() as pilot:
        await settle(pilot)
        assert [n.message for n in pilot.app._notifications] == [SAFETY_NOTE]
        assert not (data_dir / "settings.json").exists()  # nothing is written in the first moments
        pilot.app.remember_safety_note()  # what the app's timer does once the note has been up a while
        await settle(pilot)
    assert json.loads((data_dir / "settings.json").read_text())["safety-seen"] is True
    async with make_app(data_dir, "catalog").run_test() as pilot:
        await settle(pilot)
        assert SAFETY_NOTE not in [n.message for n in pilot.app._notifications]


async def test_a_settings_problem_is_told_under_settings_not_history(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.json").write_text(json.dumps({"theme": "no-such-theme"}))
    async with make_app(data_dir).run_test() as pilot:
        await settle(pilot)
        told = [(n.title, n.message) for n in pilot.app._notifications if "settings.json" in n.message]
        assert told and all(title == "Settings" for title, _ in told), told


@pytest.mark.parametrize("size", [(40, 12), (60, 20), (80, 24), (100, 30), (160, 50)])
async def test_a_notice_shows_every_word_at_any_size(data_dir: Path, size: tuple[int, int]) -> None:
    """A notice may use the whole width of a narrow terminal (at 44% of 40 columns the first
    start's safety note was 13 columns wide and ran off the screen), and it is drawn whole:
    the notices' rack kept a hidden scrollbar's columns, so a notice was measured wider than
    it was drawn and lost its last line ("...held: not" without "kept.")."""
    from tests.helpers import shown_text
    from tui.core.catalog import SAFETY_NOTE

    async with make_app(data_dir, "catalog").run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        pilot.app.notify("Abandoned with under 10 s held: not kept.", title="Session", timeout=30)
        await settle(pilot)
        lines = shown_text(pilot.app.export_screenshot())
        toasts = " ".join(line.split("\u258c", 1)[1] for line in lines if "\u258c" in line)  # after the toast's edge
        toasts = " ".join(re.sub("[\u2581-\u2588]", " ", toasts).split())  # the card's scrollbar shows at the side
        assert " ".join(SAFETY_NOTE.split()) in toasts, lines
        assert "Abandoned with under 10 s held: not kept." in toasts, lines
        assert "Filter" in lines[-1]  # the key bar is still there, below the notices


@pytest.mark.parametrize("mode", ["catalog", "session"])
async def test_a_damaged_builtin_figure_is_told_once_where_it_is_drawn(
    data_dir: Path, tmp_path: Path, mode: str
) -> None:
    """The built-in figures are parsed when first drawn: one that does not parse (a damaged
    install) gives one notice naming the file, the stretch and the field, and the stretch
    shows without its figure."""
    from tests.helpers import builtin_catalog_dict
    from tui.core.catalog import builtin_catalog
    from tui.widgets.figure import FigureView

    raw = builtin_catalog_dict()
    raw["stretches"][0]["figure"] = {"joints": "not a figure"}
    damaged = tmp_path / "stretches.json"
    damaged.write_text(json.dumps(raw))
    app = HamstringApp(
        data_dir=data_dir,
        store=HistoryStore.open(data_dir),
        start_mode=mode,
        catalog=builtin_catalog(damaged),
        wall_clock=lambda: datetime(2025, 6, 18, 9, 0, tzinfo=TZ),
        tz_name="Europe/Berlin",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        if mode == "session":
            await pilot.press("enter")  # the routine starts on the first stretch
            await settle(pilot)
        assert pilot.app.screen.query_one(FigureView).figure is None
        told = [n.message for n in pilot.app._notifications if n.title == "Stretches"]
        assert len(told) == 1, told
        assert "damaged" in told[0] and "reclined-strap-stretch" in told[0] and "figure" in told[0]
        if mode == "catalog":
            await pilot.press("down", "up")  # back to the broken one: not told again
            await settle(pilot)
            assert len([n for n in pilot.app._notifications if n.title == "Stretches"]) == 1
