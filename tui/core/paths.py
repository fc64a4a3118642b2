"""Where hamstring keeps its files.

Data (the history) lives in the platform's user data directory, the user's
own catalog overrides in the user config directory. Both can be moved with
environment variables, and the data directory with ``--data-dir`` too.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's: `status` finds the history on every shell prompt
if TYPE_CHECKING:
    from pathlib import Path

APP_NAME = "hamstring"
DATA_DIR_ENV = "HAMSTRING_DATA_DIR"
CONFIG_DIR_ENV = "HAMSTRING_CONFIG_DIR"
HISTORY_FILENAME = "history.json"
CATALOG_FILENAME = "stretches.json"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory holding ``history.json``: flag, then environment, then platform default."""
    from pathlib import Path

    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(_user_dir("XDG_DATA_HOME", ".local/share"))


def config_dir() -> Path:
    """The directory holding the user's own ``stretches.json``."""
    from pathlib import Path

    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(_user_dir("XDG_CONFIG_HOME", ".config"))


def history_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / HISTORY_FILENAME


def history_file(override: str | os.PathLike[str] | None = None) -> str:
    """:func:`history_path` as text, found without loading pathlib (``status`` on every prompt).

    The same file for every usable override; one naming a home that cannot be
    found (``~nobody/x``) is taken as written, where :func:`history_path` fails.
    """
    if override:
        folder = os.path.expanduser(os.fspath(override))
    elif os.environ.get(DATA_DIR_ENV):
        folder = os.path.expanduser(os.environ[DATA_DIR_ENV])
    else:
        folder = _user_dir("XDG_DATA_HOME", ".local/share")
    return os.path.join(folder, HISTORY_FILENAME)


def _user_dir(xdg_variable: str, under_home: str) -> str:
    """platformdirs' user data (or config) dir for hamstring.

    On Linux with a usable $HOME it is read here from the XDG variable, as
    platformdirs does (a test checks they agree): importing platformdirs takes
    longer than all the rest of ``hamstring status``. Anywhere else, ask it.
    """
    xdg = os.environ.get(xdg_variable, "")
    home = os.environ.get("HOME", "")
    if sys.platform == "linux" and "ANDROID_DATA" not in os.environ and os.path.isabs(home):
        if os.path.isabs(xdg):
            return os.path.join(xdg, APP_NAME)
        return os.path.join(os.path.expanduser(f"~/{under_home}"), APP_NAME)
    import platformdirs

    if xdg_variable == "XDG_CONFIG_HOME":
        return platformdirs.user_config_dir(APP_NAME, appauthor=False)
    return platformdirs.user_data_dir(APP_NAME, appauthor=False)


def user_catalog_path() -> Path:
    return config_dir() / CATALOG_FILENAME


def builtin_catalog_path() -> Path:
    """The catalog shipped with the package.

    An installed wheel carries it as ``tui/stretches.json``; a source checkout
    keeps it at the repository root, one level above the package.
    """
    from pathlib import Path

    package_dir = Path(__file__).resolve().parent.parent
    shipped = package_dir / CATALOG_FILENAME
    if shipped.is_file():
        return shipped
    return package_dir.parent / CATALOG_FILENAME
