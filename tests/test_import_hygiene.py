"""tui.core and the shell companions must never pull in textual."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import tui.core
from tests.helpers import REPO

CORE_MODULES = sorted(f"tui.core.{m.name}" for m in pkgutil.iter_modules(tui.core.__path__))


def _modules_after_importing(*modules: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    return set(json.loads(out.stdout))


def test_core_modules_were_found() -> None:
    assert {"tui.core.catalog", "tui.core.paths", "tui.core.records", "tui.core.storage", "tui.core.store"} <= set(
        CORE_MODULES
    )


def test_importing_all_of_core_keeps_textual_out() -> None:
    loaded = _modules_after_importing(*CORE_MODULES)
    assert set(CORE_MODULES) <= loaded
    assert not {name for name in loaded if name == "textual" or name.startswith("textual.")}


def test_the_cli_module_keeps_textual_out() -> None:
    loaded = _modules_after_importing("tui.__main__")
    assert "tui.__main__" in loaded
    assert "textual" not in loaded


def test_the_app_module_does_import_textual() -> None:
    """The check above can fail: importing the app does load textual."""
    assert "textual" in _modules_after_importing("tui.app")
