"""tui.core and the shell companions must never pull in textual."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

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


QUICK_CLI_MODULES = [
    "tui.cli",
    "tui.cli.main",
    "tui.cli.parser",
    "tui.cli.output",
    "tui.cli.common",
    "tui.cli.catalog",
    "tui.cli.history",
    "tui.cli.config",
    "tui.cli.remind",
    "tui.cli.trackers",
    "tui.cli.transfer",
    "tui.cli.progress",
    "tui.cli.edit",
    "tui.cli.sync",
    "tui.cli.app",  # imports the app only when it runs
]


def test_the_cli_package_keeps_textual_out() -> None:
    loaded = _modules_after_importing(*QUICK_CLI_MODULES)
    assert set(QUICK_CLI_MODULES) <= loaded
    assert not {name for name in loaded if name == "textual" or name.startswith("textual.")}


def test_every_cli_module_is_checked() -> None:
    import tui.cli

    found = {f"tui.cli.{m.name}" for m in pkgutil.iter_modules(tui.cli.__path__)}
    assert found <= set(QUICK_CLI_MODULES) | {"tui.cli.errors"}


def test_the_app_module_does_import_textual() -> None:
    """The check above can fail: importing the app does load textual."""
    assert "textual" in _modules_after_importing("tui.app")


def test_starting_from_a_fresh_digest_needs_neither_tinydb_nor_the_records(tmp_path) -> None:
    """What keeps the app's memory low with a long history (see the README's Performance)."""
    from datetime import date

    from tui.core.factory import make_sessions
    from tui.core.store import HistoryStore

    store = HistoryStore.open(tmp_path)
    store.import_many(make_sessions(30, end=date(2025, 6, 18), seed=1))
    store.digest()
    code = (
        "import json, sys\n"
        "from tui.core.store import HistoryStore\n"
        "from tui.core import resume\n"
        f"store = HistoryStore({str(tmp_path)!r})\n"
        "assert store.quick_start()\n"
        "assert store.digest().counting_sessions > 0 and store.settings() == {}\n"
        "assert resume.load(store.data_dir) is None\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    loaded = set(json.loads(out.stdout))
    assert not {name for name in loaded if name == "tinydb" or name.startswith("tinydb.")}
    assert "tui.core.records" not in loaded and "tui.core.storage" not in loaded
    assert "tui.core.digest" in loaded


def test_the_command_line_holds_no_benchmark_hooks_and_no_long_files() -> None:
    files = [REPO / "tui" / "__main__.py", *sorted((REPO / "tui" / "cli").glob("*.py"))]
    assert len(files) > 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "HAMSTRING_BENCH" not in text and "bench" not in text.lower(), path
        assert "textual._" not in text, path
        assert text.count("\n") <= 400, path
    assert (REPO / "tui" / "__main__.py").read_text(encoding="utf-8").count("\n") <= 20


def _status_modules(data_dir: Path, *flags: str, env: dict[str, str] | None = None) -> set[str]:
    code = (
        "import contextlib, io, json, sys\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as shown:\n"
        f"    code = main(['status', *{list(flags)!r}, '--data-dir', {str(data_dir)!r}])\n"
        "assert code == 0 and shown.getvalue().strip(), shown.getvalue()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True, env=env or dict(os.environ)
    )
    return set(json.loads(out.stdout))


#: What `hamstring status` must not load: it runs on every shell prompt (see the README's Performance).
STATUS_NEVER_LOADS = {"argparse", "typing", "dataclasses", "inspect", "pathlib", "platformdirs", "tinydb"}


def test_the_status_path_loads_no_parser_typing_dataclasses_or_pathlib(tmp_path: Path) -> None:
    from datetime import date

    from tui.core.factory import make_sessions
    from tui.core.store import HistoryStore

    store = HistoryStore.open(tmp_path)
    store.import_many(make_sessions(40, end=date(2025, 6, 18), seed=3))
    store.set_setting("theme", "nord")
    store.digest()  # fresh, as after any write
    for flags in ((), ("--short",), ("--json",)):
        loaded = _status_modules(tmp_path, *flags)
        assert "tui.core.digest" in loaded and "tui.core.streaks" in loaded, flags
        assert not STATUS_NEVER_LOADS & loaded, (flags, STATUS_NEVER_LOADS & loaded)


def test_the_status_check_can_fail() -> None:
    """Another command, through the parser, does load what status must not."""
    loaded = _modules_after_importing("tui.cli.parser")
    assert {"argparse", "typing"} <= loaded


def test_no_python_file_in_tui_is_over_400_lines_or_reaches_into_textual_privately() -> None:
    files = sorted((REPO / "tui").rglob("*.py"))
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, path
        assert "textual._" not in text and "HAMSTRING_BENCH" not in text, path
