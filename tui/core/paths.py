"""Where hamstring keeps its files.

Data (the history) lives in the platform's user data directory, the user's
own catalog overrides in the user config directory. Both can be moved with
environment variables, and the data directory with ``--data-dir`` too.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "hamstring"
DATA_DIR_ENV = "HAMSTRING_DATA_DIR"
CONFIG_DIR_ENV = "HAMSTRING_CONFIG_DIR"
HISTORY_FILENAME = "history.json"
CATALOG_FILENAME = "stretches.json"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding ``history.json``: flag, then environment, then platform default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The directory holding the user's own ``stretches.json``."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def history_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / HISTORY_FILENAME


def user_catalog_path() -> Path:
    return config_dir() / CATALOG_FILENAME


def builtin_catalog_path() -> Path:
    """The catalog shipped with the package.

    An installed wheel carries it as ``tui/stretches.json``; a source checkout
    keeps it at the repository root, one level above the package.
    """
    package_dir = Path(__file__).resolve().parent.parent
    shipped = package_dir / CATALOG_FILENAME
    if shipped.is_file():
        return shipped
    return package_dir.parent / CATALOG_FILENAME
