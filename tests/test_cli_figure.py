"""``hamstring stretches --figure ID [--side left|right] [--size COLSxROWS]``, run as a user's shell would."""

from __future__ import annotations

import copy
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, builtin_catalog_dict, run_cli
from tui.core.catalog import builtin_catalog
from tui.core.figures import RESET_SGR, WORKING_SGR, render_figure_text

CATALOG = builtin_catalog()


def run_in_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``python -m tui ARGS`` with stdout on a pseudo-terminal; return its status and what it printed."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO), TERM="xterm-256color")
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", *args], stdout=follower, stderr=subprocess.PIPE, env=full_env, cwd=REPO
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        status = process.wait(timeout=60)
        assert process.stderr is not None
        process.stderr.close()
    finally:
        os.close(leader)
    return status, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("stretch", [s.id for s in CATALOG])
def test_prints_only_the_figure_without_colour_when_not_a_terminal(stretch: str) -> None:
    result = run_cli("stretches", "--figure", stretch, "--size", "30x12")
    assert result.returncode == 0 and result.stderr == ""
    figure = CATALOG.get(stretch).figure  # type: ignore[union-attr]
    assert figure is not None
    assert result.stdout == render_figure_text(figure, "left", 30, 12, color=False) + "\n"
    lines = result.stdout.splitlines()
    assert len(lines) == 12 and all(len(line) <= 30 for line in lines)
    assert set(result.stdout) <= {chr(c) for c in range(0x2800, 0x2900)} | {" ", "\n"}
    assert any(line.strip() for line in lines)


def test_the_default_size_is_40x16_and_the_right_side_is_the_mirror() -> None:
    left = run_cli("stretches", "--figure", "half-splits")
    right = run_cli("stretches", "--figure", "half-splits", "--side", "right")
    assert left.returncode == right.returncode == 0
    figure = CATALOG.get("half-splits").figure  # type: ignore[union-attr]
    assert figure is not None
    assert left.stdout == render_figure_text(figure, "left", 40, 16, color=False) + "\n"
    assert right.stdout == render_figure_text(figure, "right", 40, 16, color=False) + "\n"
    assert left.stdout != right.stdout


def test_colour_on_a_terminal_and_none_with_no_color_or_a_dumb_terminal() -> None:
    figure = CATALOG.get("pyramid-pose").figure  # type: ignore[union-attr]
    assert figure is not None
    status, shown = run_in_terminal("stretches", "--figure", "pyramid-pose", "--size", "30x12")
    assert status == 0
    assert WORKING_SGR in shown and RESET_SGR in shown
    assert shown == render_figure_text(figure, "left", 30, 12, color=True) + "\n"
    for env in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        status, shown = run_in_terminal("stretches", "--figure", "pyramid-pose", "--size", "30x12", env=env)
        assert status == 0 and "\x1b" not in shown, env
        assert shown == render_figure_text(figure, "left", 30, 12, color=False) + "\n"


@pytest.mark.parametrize("size", ["3x", "x5", "abc", "9x5", "10x4", "301x10", "10x101", "1e3x5", "-10x5", "40x16x2"])
def test_a_bad_size_is_one_line_and_exit_2(size: str) -> None:
    result = run_cli("stretches", "--figure", "half-splits", "--size", size)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "size" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_id_lists_the_ids() -> None:
    result = run_cli("stretches", "--figure", "no-such\x1b[31mstretch")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "\x1b" not in result.stderr
    assert all(stretch_id in result.stderr for stretch_id in CATALOG.ids)


def test_side_and_size_need_figure_and_json_excludes_it() -> None:
    for args in (("--side", "right"), ("--size", "30x12"), ("--figure", "half-splits", "--json")):
        result = run_cli("stretches", *args)
        assert result.returncode == 2 and result.stdout == "" and len(result.stderr.splitlines()) == 1, args
    bad_side = run_cli("stretches", "--figure", "half-splits", "--side", "both")
    assert bad_side.returncode == 2 and bad_side.stdout == ""


def test_an_output_that_cannot_show_braille_is_told() -> None:
    result = run_cli("stretches", "--figure", "half-splits", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 2 and result.stdout == ""
    assert "braille" in result.stderr and len(result.stderr.splitlines()) == 1


def _write_user_catalog(config_dir: Path, *stretches: dict) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "stretches.json"
    path.write_text(json.dumps({"version": 1, "stretches": list(stretches)}))
    return path


def test_a_user_stretch_without_a_figure_says_so(config_dir: Path) -> None:
    plain = dict(builtin_catalog_dict()["stretches"][0], id="my-stretch", name="Mine")
    del plain["figure"]
    _write_user_catalog(config_dir, plain)
    result = run_cli("stretches", "--figure", "my-stretch")
    assert result.returncode == 2 and result.stdout == ""
    assert "my-stretch" in result.stderr and "no figure" in result.stderr and len(result.stderr.splitlines()) == 1
    assert run_cli("stretches", "--figure", "half-splits").returncode == 0  # the others still draw


def test_a_broken_figure_in_the_users_file_names_file_stretch_and_point(config_dir: Path) -> None:
    mine = copy.deepcopy(builtin_catalog_dict()["stretches"][2])
    mine.update(id="my-splits", name="My Splits")
    mine["figure"]["joints"]["knee_w"] = [1.5, 0.2]
    path = _write_user_catalog(config_dir, mine)
    for args in (("--figure", "half-splits"), ()):
        result = run_cli("stretches", *args)
        assert result.returncode == 2 and result.stdout == "", args
        line = result.stderr.strip()
        assert len(result.stderr.splitlines()) == 1
        assert str(path) in line and "my-splits" in line and "figure.joints.knee_w x" in line


@pytest.mark.parametrize("command", [("stretches", "--figure", "reclined-strap-stretch"), ("stretches", "--json")])
def test_a_damaged_builtin_figure_is_one_line_and_exit_2_not_a_missing_figure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    """The built-in figures are parsed when first wanted; one that does not parse (a damaged
    install) must still be told where it is wanted, not shown as "no figure" (nor left out of
    the JSON with exit 0, where a user copying it to their stretches.json would lose it)."""
    from tests.cli_fixtures import cli
    from tui.core import paths

    raw = builtin_catalog_dict()
    raw["stretches"][0]["figure"] = {"joints": "not a figure"}
    damaged = tmp_path / "stretches.json"
    damaged.write_text(json.dumps(raw))
    monkeypatch.setattr(paths, "builtin_catalog_path", lambda: damaged)
    code, out, err = cli(capsys, *command)
    assert code == 2 and out == "", (code, out)
    assert err.count("\n") == 1 and "damaged" in err and "reclined-strap-stretch" in err and "figure" in err, err
    assert "your stretches.json" not in err and "Traceback" not in err
    # The table needs no figure: it still lists the stretches.
    code, out, _ = cli(capsys, "stretches")
    assert code == 0 and "reclined-strap-stretch" in out
