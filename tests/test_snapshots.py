"""SVG snapshots of each screen at 80x24.

Review a failure's diff report (snapshot_report.html) before accepting it with
``python -m pytest tests/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXED_TODAY
from tui.app import HamstringApp
from tui.core.store import HistoryStore

SIZE = (80, 24)
#: Paths shown on screen must not depend on the test's temporary directory.
SHOWN_DATA_DIR = "/home/you/.local/share/hamstring"
SHOWN_CONFIG_DIR = "/home/you/.config/hamstring"


@pytest.fixture(autouse=True)
def stable_config_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAMSTRING_CONFIG_DIR", SHOWN_CONFIG_DIR)


def make_app(data_dir: Path) -> HamstringApp:
    """An app with a fixed today; it shows a stable path but stores in ``data_dir``."""
    return HamstringApp(data_dir=SHOWN_DATA_DIR, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY)


def test_catalog_screen(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["down"])


def test_catalog_screen_filtered(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["slash", *"hip"])


def test_session_screen(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["s"])


def test_calendar_screen(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["h"])


def test_help_dialog(snap_compare, data_dir: Path) -> None:
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, press=["question_mark"])
