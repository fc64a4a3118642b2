"""The shell companions under hostile conditions (issue #11: items 7, 8, 9, 10, 11, 15; #17.12).

Each runs the real command in a subprocess, as a user's shell would.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.helpers import REPO, builtin_catalog_dict, run_cli
from tui.core.transfer import parse_import, to_csv

ESC = "\x1b"


def run_to(stdout: int | object, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m tui ARGS`` with stdout sent to ``stdout`` (a file object or fd)."""
    full = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        stdout=stdout,  # type: ignore[arg-type]  # a file object or an fd, as subprocess takes
        stderr=subprocess.PIPE,
        text=True,
        env=full,
        cwd=REPO,
        timeout=60,
    )


def one_clean_line(stderr: str) -> None:
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr and ESC not in stderr


def log_today() -> None:
    assert run_cli("log").returncode == 0


# -- 7: export -o PATH ------------------------------------------------------------------------------
def test_export_to_a_fifo_writes_a_stream(tmp_path: Path, data_dir: Path) -> None:
    log_today()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("export", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["format"] == "hamstring-history"


def test_export_to_a_character_device_writes_a_stream(data_dir: Path) -> None:
    """A terminal (a pty's device) gets the export as a stream; the device is not replaced.
    (A pty, not /dev/null: a build with the fault would replace the machine's /dev/null as root.)"""
    log_today()
    master, slave = os.openpty()
    device = os.ttyname(slave)
    received = bytearray()

    def read() -> None:
        while b"hamstring-history" not in received:
            received.extend(os.read(master, 65536))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    before = os.stat(device)
    result = run_cli("export", "-o", device)
    reader.join(timeout=60)
    os.close(slave)
    os.close(master)
    assert result.returncode == 0, result.stderr
    after = os.stat(device) if os.path.exists(device) else before
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert b"hamstring-history" in received


def test_dev_null_is_a_stream_target() -> None:
    from tui.cli.transfer import export_target

    assert export_target("/dev/null") == (Path("/dev/null"), True)


def test_export_through_a_symlink_replaces_its_target(tmp_path: Path, data_dir: Path) -> None:
    log_today()
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / "export.json"
    target.write_text("old")
    link = tmp_path / "export.json"
    link.symlink_to(target)
    result = run_cli("export", "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["format"] == "hamstring-history"


@pytest.mark.parametrize("kind", ["dangling symlink", "socket", "directory", "missing directory"])
def test_export_refuses_what_is_not_a_file_or_a_new_path(kind: str, tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "out"
    held = None
    if kind == "dangling symlink":
        path.symlink_to(tmp_path / "nowhere")
    elif kind == "socket":
        held = socket.socket(socket.AF_UNIX)
        held.bind(str(path))
    elif kind == "directory":
        path.mkdir()
    else:
        path = tmp_path / "no" / "such" / "out.json"
    try:
        result = run_cli("export", "-o", str(path))
    finally:
        if held is not None:
            held.close()
    assert result.returncode == 2
    one_clean_line(result.stderr)
    assert str(path if kind != "missing directory" else path.parent) in result.stderr
    if kind == "dangling symlink":
        assert path.is_symlink() and not (tmp_path / "nowhere").exists()
    if kind == "socket":
        assert stat.S_ISSOCK(path.lstat().st_mode)


# -- 9: a full disk, a closed pipe -------------------------------------------------------------------
@pytest.mark.parametrize("command", [["export"], ["status"], ["status", "--json"], ["stretches"], ["config"]])
def test_a_full_disk_on_stdout_is_one_line(command: list[str], data_dir: Path) -> None:
    log_today()
    with open("/dev/full", "w") as full:
        result = run_to(full, *command)
    assert result.returncode in (1, 2)
    one_clean_line(result.stderr)
    assert "cannot write the output: the disk is full" in result.stderr


def test_a_closed_reader_stays_quiet(data_dir: Path) -> None:
    log_today()
    full = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run(
        f"{sys.executable} -m tui stretches | head -c 1 >/dev/null; {sys.executable} -m tui status >&-",
        shell=True,
        capture_output=True,
        text=True,
        env=full,
        cwd=REPO,
        timeout=60,
    )
    assert result.stderr == ""


# -- 10: an output that cannot encode the symbols ------------------------------------------------------
@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}],
    ids=["ascii", "C locale"],
)
def test_ascii_output_gets_plain_stand_ins(env: dict[str, str], config_dir: Path, data_dir: Path) -> None:
    log_today()
    short = run_cli("status", "--short", env=env)
    assert (short.returncode, short.stdout, short.stderr) == (0, "1+\n", "")
    long = run_cli("status", env=env)
    assert long.returncode == 0 and long.stderr == ""
    assert long.stdout.isascii() and " - longest 1 - " in long.stdout
    config_dir.mkdir(parents=True)
    mine = dict(builtin_catalog_dict()["stretches"][0], name="Étirement — ischio ✓")
    (config_dir / "stretches.json").write_text(json.dumps({"version": 1, "stretches": [mine]}), encoding="utf-8")
    for command in (["stretches"], ["stretches", "--json"], ["config"], ["--help"], ["status", "--help"]):
        result = run_cli(*command, env=env)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stderr == "" and result.stdout.isascii(), command
    assert "?tirement - ischio +" in run_cli("stretches", env=env).stdout


# -- 8: the history or data dir unusable --------------------------------------------------------------
COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["log"],
    ["log", "--rest"],
    ["config"],
    ["config", "bell", "off"],
    ["export"],
]


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != ["config"]])
def test_a_history_that_is_a_directory_is_one_line_and_exit_2(command: list[str], data_dir: Path) -> None:
    (data_dir / "history.json").mkdir(parents=True)
    result = run_cli(*command)
    assert result.returncode == 2, result.stderr
    only_the_stores_lines(result.stderr, data_dir / "history.json")


def test_listing_settings_needs_no_history_and_says_once_what_is_wrong(data_dir: Path) -> None:
    """Settings live in settings.json: a broken history does not hide them, but it is told."""
    (data_dir / "history.json").mkdir(parents=True)
    result = run_cli("config")
    assert result.returncode == 0 and "day-start-hour" in result.stdout
    only_the_stores_lines(result.stderr, data_dir / "history.json")


def only_the_stores_lines(stderr: str, path: Path) -> None:
    """One fault, one line: the CLI adds no line of its own to what the store said, and the
    store says a fault found at start-up the same way when a later read meets it again."""
    assert "Traceback" not in stderr and ESC not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    assert all(line.startswith("hamstring: ") and str(path) in line for line in lines)


@pytest.mark.parametrize("command", [["log"], ["log", "--rest"], ["config", "bell", "off"]])
def test_a_read_only_history_refuses_a_change_in_one_line(command: list[str], data_dir: Path) -> None:
    log_today()
    history = data_dir / "history.json"
    document = json.loads(history.read_text())
    document["_meta"] = {"1": {"schema_version": 999}}  # written by a newer hamstring: read-only
    history.write_text(json.dumps(document))
    before = history.read_bytes()
    result = run_cli(*command)
    assert result.returncode == 2
    one_clean_line(result.stderr)
    assert "newer hamstring" in result.stderr
    assert history.read_bytes() == before


def test_a_too_long_data_dir_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for command in (["status"], ["log"], ["export"]):
        where = tmp_path / ("x" * 300) / "y"
        result = run_cli(*command, "--data-dir", str(where))
        assert result.returncode == 2, (command, result.stderr)
        only_the_stores_lines(result.stderr, where)


# -- 11: an unusable TZ is read as UTC, said once ------------------------------------------------------
@pytest.mark.parametrize("tz", ["UTC+25", "UTC+24:59:59"])
def test_an_unusable_tz_is_read_as_utc_with_one_notice(tz: str, data_dir: Path) -> None:
    """days.local_now()'s UTC fallback and days.tz_problem(), end to end through every command."""
    for command in (["log"], ["status"], ["status", "--json"], ["config"], ["export"]):
        result = run_cli(*command, env={"TZ": tz})
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, (command, result.stderr)
        assert "TZ" in result.stderr


# -- 15: hostile text ------------------------------------------------------------------------------------
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped() -> None:
    exported = {
        "sessions": [
            {
                "id": "=1+1",
                "date": "@SUM(A1)",
                "started_at": "+2",
                "ended_at": "-3",
                "tz": "\tx",
                "duration_s": -5,
                "complete": True,
                "source": "\rhi",
                "steps": [{"stretch": '=HYPERLINK("http://x")'}, {"stretch": "=cmd|' /C calc'!A0"}],
            }
        ]
    }
    _header, cells = csv.reader(io.StringIO(to_csv(exported), newline=""))
    assert cells[:6] == ["'=1+1", "'@SUM(A1)", "'+2", "'-3", "'\tx", "'-5"]
    assert cells[7] == "'\rhi"
    assert cells[8].startswith("'=HYPERLINK")
    assert all(not cell or cell[0] not in "=+-@\t\r" for cell in cells)


def test_an_escaped_csv_export_imports_back_the_same(data_dir: Path) -> None:
    from tests.test_cli_companions import days_back
    from tui.core.store import HistoryStore

    store = HistoryStore.open(data_dir)
    store.import_many(days_back(3, 2, 1))
    exported = store.export_all()
    for raw in exported["sessions"]:
        raw["tz"] = "-05"  # a cell that gets the quote prefix
    batch = parse_import(to_csv(exported).encode(), "export.csv")
    assert sorted(s.tz or "" for s in batch.sessions) == ["-05"] * 3


def test_control_characters_from_files_never_reach_the_terminal(config_dir: Path, tmp_path: Path) -> None:
    config_dir.mkdir(parents=True)
    mine = dict(builtin_catalog_dict()["stretches"][0], name="Evil \x1b]0;PWNED\x07 \x9b31m\u202e")
    (config_dir / "stretches.json").write_text(json.dumps({"version": 1, "stretches": [mine]}))
    for command in (["stretches"], ["stretches", "--json"]):
        result = run_cli(*command)
        shown = result.stdout + result.stderr
        assert ESC not in shown and "\x07" not in shown and "\x9b" not in shown and "\u202e" not in shown, command
    table = run_cli("stretches")
    if table.returncode == 0:  # shown, escaped (a catalog that refuses it at the edge is as good)
        assert "Evil \\x1b]0;PWNED\\x07" in table.stdout
    hostile_dir = tmp_path / "data\x1b[31mred"
    (hostile_dir / "history.json").mkdir(parents=True)
    result = run_cli("status", "--data-dir", str(hostile_dir))
    assert result.returncode == 2 and ESC not in result.stderr and "data\\x1b[31mred" in result.stderr


# -- 17.12: help and status --------------------------------------------------------------------------
def test_help_no_longer_says_import_takes_csv() -> None:
    main_help = run_cli("--help").stdout
    (line,) = [line for line in main_help.splitlines() if line.strip().startswith("import ")]
    assert "CSV" not in line and "JSON" in line
    assert "CSV" not in run_cli("import", "--help").stdout


def test_status_json_names_complete_sessions_and_keeps_the_old_key(data_dir: Path) -> None:
    log_today()
    result = json.loads(run_cli("status", "--json").stdout)
    assert result["complete_sessions"] == result["total_sessions"] == 1


# -- 11.3: dates a file can hold but nobody can have stretched on are refused at import -------------------
@pytest.mark.parametrize(
    ("sessions", "rest_days", "checkins"),
    [
        (["9999-12-31"], [], []),
        (["1969-12-31"], [], []),
        ([], ["9999-12-31"], []),
        ([], [], ["9999-12-31"]),
    ],
)
def test_an_import_dated_out_of_range_is_refused_whole(
    sessions: list[str], rest_days: list[str], checkins: list[str], data_dir: Path, tmp_path: Path
) -> None:
    import uuid

    def session(day: str) -> dict[str, object]:
        return {
            "id": str(uuid.uuid4()),
            "date": day,
            "started_at": f"{day}T08:00:00+00:00",
            "ended_at": f"{day}T08:10:00+00:00",
            "tz": None,
            "duration_s": 600,
            "complete": True,
            "source": "manual",
            "steps": [],
        }

    def checkin(day: str) -> dict[str, object]:
        return {"id": str(uuid.uuid4()), "date": day, "pain": 3, "stiffness": None, "note": None,
                "recorded_at": "2025-01-01T08:00:00+00:00"}  # fmt: skip

    good = session("2025-01-02")
    document = {
        "format": "hamstring-history",
        "version": 1,
        "exported_at": "2025-01-02T08:00:00+00:00",
        "sessions": [good, *(session(day) for day in sessions)],
        "rest_days": rest_days,
        "checkins": [checkin(day) for day in checkins],
    }
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(document))
    result = run_cli("import", str(path))
    assert result.returncode == 2, result.stderr
    assert "nothing imported" in result.stderr and "Traceback" not in result.stderr
    assert not (data_dir / "history.json").exists()  # nothing written, not even the good session
    assert run_cli("status").returncode == 0


@pytest.mark.parametrize("command", [["status"], ["status", "--short"], ["export"], ["log"], ["config"]])
def test_a_data_dir_that_is_a_file_is_one_line_and_exit_2(command: list[str], tmp_path: Path) -> None:
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("")
    result = run_cli(*command, "--data-dir", str(not_a_folder))
    assert result.returncode == 2 and "is not a directory" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not_a_folder.read_text() == ""


def test_an_import_with_a_number_too_long_to_convert_is_one_line(tmp_path: Path, data_dir: Path) -> None:
    source = tmp_path / "huge.json"
    source.write_text('{"format": "hamstring-export", "version": 2, "sessions": [' + "9" * 5000 + "]}")
    done = subprocess.run(
        [sys.executable, "-m", "tui", "import", str(source)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "not valid JSON" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("wrapped", [False, True])
def test_ctrl_c_while_a_command_loads_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], wrapped: bool
) -> None:
    """A ctrl+c can land while a module is imported; inside a class's ``__set_name__`` Python
    hands it on as a RuntimeError caused by the KeyboardInterrupt. Either way: 130, quietly."""
    import importlib

    cli_main = importlib.import_module("tui.cli.main")  # the module (the package exports its main function)

    def interrupted(args: object) -> int:
        if not wrapped:
            raise KeyboardInterrupt
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as error:
            raise RuntimeError("Error calling __set_name__ on '_Reactive' instance") from error

    monkeypatch.setattr(cli_main, "_handler", lambda args: interrupted)
    assert cli_main.main(["stretches"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_export_into_a_folder_that_does_not_exist_says_so(tmp_path: Path, data_dir: Path) -> None:
    """'does not exist', not 'is not a directory' (a user pass took the folder for a file)."""
    missing = tmp_path / "nonexist" / "x.json"
    result = run_cli("export", "-o", str(missing), "--data-dir", str(data_dir))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"{missing.parent} does not exist" in result.stderr and not missing.parent.exists()
    a_file = tmp_path / "afile"
    a_file.write_text("")
    result = run_cli("export", "-o", str(a_file / "x.json"), "--data-dir", str(data_dir))
    assert result.returncode == 2 and "not a directory" in result.stderr.lower()
