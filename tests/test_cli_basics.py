"""The hamstring command: version, help, the catalog table, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import builtin_catalog_dict, run_cli
from tui import __version__


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"hamstring {__version__}"


def test_help_names_the_data_paths(data_dir: Path) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert "--data-dir DIR" in result.stdout
    assert "HAMSTRING_DATA_DIR" in result.stdout
    assert str(data_dir / "history.json") in result.stdout.replace("\n", "")


def test_stretches_table_lists_all_seven() -> None:
    result = run_cli("stretches")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["ID", "NAME", "SIDES", "HOLD"]
    assert [line.split()[0] for line in lines[1:]] == [s["id"] for s in builtin_catalog_dict()["stretches"]]
    assert "2 yoga blocks" in result.stdout


def test_stretches_json_is_the_catalog_shape() -> None:
    result = run_cli("stretches", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == builtin_catalog_dict()


def test_stretches_json_merges_the_user_file(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    mine = dict(builtin_catalog_dict()["stretches"][4], name="My Own Dog", hold_s=75)
    (config_dir / "stretches.json").write_text(json.dumps({"version": 1, "stretches": [mine]}))
    merged = json.loads(run_cli("stretches", "--json").stdout)
    assert merged["stretches"][4]["name"] == "My Own Dog"
    assert merged["stretches"][4]["hold_s"] == 75
    assert len(merged["stretches"]) == 7


def test_broken_user_catalog_is_one_line_and_exit_2(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    path = config_dir / "stretches.json"
    path.write_text('{"version": 1, "stretches": [{"id": "x"}]}')
    result = run_cli("stretches")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert str(path) in result.stderr and "stretch 'x'" in result.stderr and "field 'name'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_flag_is_one_line_exit_2() -> None:
    result = run_cli("--frobnicate")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "hamstring: unrecognized arguments: --frobnicate (try 'hamstring --help')"
    ]


def test_data_dir_is_accepted_after_the_subcommand(tmp_path: Path) -> None:
    result = run_cli("stretches", "--data-dir", str(tmp_path / "elsewhere"))
    assert result.returncode == 0


def test_the_app_refuses_a_non_terminal_clearly() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "needs an interactive terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_app_ending_in_an_error_exits_1_not_0(monkeypatch, data_dir: Path) -> None:
    """An exception inside the app: Textual prints its traceback, stops the app and sets its return
    code to 1; `hamstring` went on to exit 0 (success) all the same."""
    import io
    from types import SimpleNamespace

    import tui.app
    from tui.cli import app as cli_app
    from tui.cli.errors import EXIT_ERROR, EXIT_OK

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    class EndedApp:
        """Stands for the app, ended as Textual ends it."""

        return_code: int | None = None

        def __init__(self, **_kwargs: object) -> None:
            pass

        def run(self) -> None:
            return None

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("sys.stdout", Terminal())
    monkeypatch.setattr(tui.app, "HamstringApp", EndedApp)
    for return_code, status in ((1, EXIT_ERROR), (0, EXIT_OK), (None, EXIT_OK)):
        EndedApp.return_code = return_code
        assert cli_app.run_app(SimpleNamespace(data_dir=str(data_dir))) == status, return_code
