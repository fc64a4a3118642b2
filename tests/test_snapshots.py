"""SVG snapshots of each screen at 80x24.

Review a failure's diff report (snapshot_report.html) before accepting it with
``python -m pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tui.app import HamstringApp
from tui.core.store import HistoryStore

SIZE = (80, 24)
#: Paths shown on screen must not depend on a random temporary directory, so the
#: snapshots use one fixed, emptied folder.
STABLE_ROOT = Path(tempfile.gettempdir()) / "hamstring-snapshot-tests"


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Unicode symbols, whatever the locale they run under."""
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    shutil.rmtree(STABLE_ROOT, ignore_errors=True)
    monkeypatch.setenv("HAMSTRING_CONFIG_DIR", str(STABLE_ROOT / "config"))
    monkeypatch.setenv("HAMSTRING_DATA_DIR", str(STABLE_ROOT / "data"))
    # Not a first start: the one-time safety note would cover every screen.
    (STABLE_ROOT / "data").mkdir(parents=True)
    (STABLE_ROOT / "data" / "settings.json").write_text('{"safety-seen": true}')
    yield STABLE_ROOT / "data"
    shutil.rmtree(STABLE_ROOT, ignore_errors=True)


def make_app(data_dir: Path) -> HamstringApp:
    return HamstringApp(data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY)


def test_catalog_screen(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["down"])


def test_catalog_screen_filtered(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["slash", *"hip"])


def test_session_screen(snap_compare, data_dir: Path) -> None:
    """Before starting: the routine and its total time."""
    app = HamstringApp(
        data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY, start_mode="session"
    )
    assert snap_compare(app, terminal_size=SIZE)


def _with_history(data_dir: Path) -> HamstringApp:
    from datetime import timedelta

    from tui.core.factory import make_sessions

    store = HistoryStore.open(data_dir)
    store.import_many(
        make_sessions(120, end=FIXED_TODAY - timedelta(days=1), seed=8), [FIXED_TODAY - timedelta(days=9)]
    )
    return HamstringApp(data_dir=data_dir, store=store, today=lambda: FIXED_TODAY)


def test_calendar_screen(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_with_history(data_dir), terminal_size=SIZE, press=["h"])


def test_calendar_year_heatmap(snap_compare, data_dir: Path) -> None:
    assert snap_compare(_with_history(data_dir), terminal_size=SIZE, press=["h", "y"])


def test_help_dialog(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["question_mark"])


def test_session_screen_mid_hold(snap_compare, data_dir: Path) -> None:
    """Mid-hold on a fake clock, so the countdown and progress are stable."""
    from datetime import datetime, timedelta, timezone

    from tui.screens.session import SessionRequest

    class Clock:
        now = 100.0

        def __call__(self) -> float:
            return self.now

    clock = Clock()
    app = HamstringApp(
        data_dir=data_dir,
        store=HistoryStore.open(data_dir),
        start_mode="session",
        session_request=SessionRequest(autostart=True),
        today=lambda: FIXED_TODAY,
        monotonic=clock,
        wall_clock=lambda: datetime(2025, 6, 18, 7, 0, tzinfo=timezone(timedelta(hours=2))),
        tz_name="Europe/Berlin",
    )

    async def run_before(pilot) -> None:
        await pilot.pause()
        clock.now += 5 + 30 + 5 + 30 + 5 + 17.5  # 92.5 s into the daily routine (issue #14 reordered it)
        pilot.app.screen._tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


# -- issue 15: the Progress screen and the check-in dialog (helper P7) ---------------------------
def _progress_app(data_dir: Path, data: object) -> tuple[HamstringApp, object]:
    from tui.screens.progress import ProgressScreen

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(ProgressScreen(data))  # the data passed in: no history read
        await pilot.pause()

    return make_app(data_dir), run_before


def test_progress_screen_empty(snap_compare, data_dir: Path) -> None:
    from tui.core.progress_view import ProgressData

    app, run_before = _progress_app(data_dir, ProgressData(FIXED_TODAY))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_progress_screen_12_weeks(snap_compare, data_dir: Path) -> None:
    from tui.core.progress_view import sample_progress_data

    app, run_before = _progress_app(data_dir, sample_progress_data(FIXED_TODAY))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_checkin_dialog(snap_compare, data_dir: Path) -> None:
    """Pain 4 chosen, stiffness being chosen (2), a note typed."""
    from tui.screens.checkin import CheckInDialog

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(CheckInDialog())
        await pilot.press("4", "s", "2", "tab", *"left side tight")
        await pilot.pause()

    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=run_before)


# -- The Catalog with figures (issue 13): above the facts at 120x40, beside them at 160x50 --------------------


def test_catalog_screen_120x40(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=(120, 40), press=["down", "down"])


def test_catalog_screen_160x50(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=(160, 50), press=["end"])


# -- P1 (issue #14): the Session screen as followed from the floor --------------------------------
def _session_app(data_dir: Path, request, clock) -> HamstringApp:
    from datetime import datetime, timedelta, timezone

    return HamstringApp(
        data_dir=data_dir,
        store=HistoryStore.open(data_dir),
        start_mode="session",
        session_request=request,
        today=lambda: FIXED_TODAY,
        monotonic=clock,
        wall_clock=lambda: datetime(2025, 6, 18, 7, 0, tzinfo=timezone(timedelta(hours=2))),
        tz_name="Europe/Berlin",
    )


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_session_contract_relax_at_160x50(snap_compare, data_dir: Path) -> None:
    """The forward fold's hold, in its second relax: big countdown, figure, steps, cycle phase."""
    from tui.screens.session import SessionRequest

    clock = _Clock()
    request = SessionRequest(stretch_ids=("active-forward-fold",), autostart=True)
    app = _session_app(data_dir, request, clock)

    async def run_before(pilot) -> None:
        await pilot.pause()
        clock.now += 10 + 5 + 10 + 5 + 2  # the lead-in, a cycle, then 2 s into the second relax
        pilot.app.screen._tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 50), run_before=run_before)


def test_session_get_ready_with_a_longer_hold_at_80x24(snap_compare, data_dir: Path) -> None:
    """Get ready for the right leg, the coming hold made 5 s longer with +: list and stage both show it."""
    from tui.screens.session import SessionRequest

    clock = _Clock()
    request = SessionRequest(stretch_ids=("half-splits",), autostart=True)
    app = _session_app(data_dir, request, clock)

    async def run_before(pilot) -> None:
        await pilot.pause()
        clock.now += 10 + 30 + 2  # 2 s into "Switch sides"
        pilot.app.screen._tick()
        await pilot.press("plus")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_session_right_leg_hold_at_120x40(snap_compare, data_dir: Path) -> None:
    """Half Splits on the right leg at 120x40: the figure is the mirror of the left one, beside the countdown."""
    from tui.screens.session import SessionRequest

    clock = _Clock()
    request = SessionRequest(stretch_ids=("half-splits",), transition_override=5, autostart=True)
    app = _session_app(data_dir, request, clock)

    async def run_before(pilot) -> None:
        await pilot.pause()
        clock.now += 10 + 30 + 5 + 3  # the lead-in, the left leg, switch sides, 3 s into the right leg
        pilot.app.screen._tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
