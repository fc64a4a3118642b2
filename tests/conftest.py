"""Shared fixtures: every test gets its own data and config directories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXED_TODAY = date(2025, 6, 18)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """Point hamstring's data and config dirs at fresh temporary folders."""
    data = tmp_path / "data"
    config = tmp_path / "config"
    monkeypatch.setenv("HAMSTRING_DATA_DIR", str(data))
    monkeypatch.setenv("HAMSTRING_CONFIG_DIR", str(config))
    yield data, config


@pytest.fixture
def data_dir(isolated_dirs: tuple[Path, Path]) -> Path:
    return isolated_dirs[0]


@pytest.fixture
def config_dir(isolated_dirs: tuple[Path, Path]) -> Path:
    return isolated_dirs[1]
