"""`status` on every shell prompt: the quick path reads its words as the parser does,
finds the same folders as platformdirs, and its values behave as dataclasses did."""

from __future__ import annotations

import contextlib
import copy
import io
import os
import pickle
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli.main import quick_status
from tui.cli.parser import build_parser
from tui.core import paths
from tui.core.streaks import CurrentStreak, Streak

WORDS = st.sampled_from(
    ["status", "--short", "--json", "--data-dir", "--data-dir=/x", "/some/dir", "", "-d", "--", "log", "--help", "st"]
)


def parsed(words: list[str]) -> dict[str, object] | None:
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return vars(build_parser(full_help=False).parse_args(words))
    except SystemExit:
        return None


@given(st.lists(WORDS, max_size=6))
def test_the_quick_path_reads_what_the_parser_reads(words: list[str]) -> None:
    quick = quick_status(words)
    if quick is not None:  # any other shape goes to the parser
        assert vars(quick) == parsed(words), words


@pytest.mark.parametrize(
    "words",
    [
        ["status"],
        ["status", "--short"],
        ["status", "--json", "--data-dir", "/d"],
        ["--data-dir", "/d", "status", "--short"],
        ["status", "--data-dir=/d", "--json"],
    ],
)
def test_the_prompt_shapes_take_the_quick_path(words: list[str]) -> None:
    quick = quick_status(words)
    assert quick is not None and vars(quick) == parsed(words)


@pytest.mark.parametrize(
    "words",
    [["status", "--short", "--json"], ["status", "--help"], ["status", "--data-dir"], ["status", "--sh"], ["log"]],
)
def test_other_shapes_go_to_the_parser(words: list[str]) -> None:
    assert quick_status(words) is None


@pytest.mark.parametrize("xdg", [None, "", "relative/dir", "/abs/xdg", "/abs/xdg/"])
@pytest.mark.parametrize("home", ["/home/someone", "/home/someone/", "/"])
def test_the_user_dirs_are_platformdirs_own(monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str) -> None:
    import platformdirs

    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(paths.CONFIG_DIR_ENV, raising=False)
    monkeypatch.setenv("HOME", home)
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert paths.data_dir() == Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    assert paths.config_dir() == Path(platformdirs.user_config_dir(paths.APP_NAME, appauthor=False))
    assert paths.history_file() == str(paths.history_path())


def test_the_history_file_follows_the_flag_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, "~/elsewhere")
    assert paths.history_file() == str(paths.history_path()) == os.path.expanduser("~/elsewhere/history.json")
    assert paths.history_file("/flag/dir/") == str(paths.history_path("/flag/dir/")) == "/flag/dir/history.json"


def test_values_behave_as_frozen_dataclasses() -> None:
    run = Streak(date(2025, 1, 1), date(2025, 1, 3), 3)
    assert run == Streak(date(2025, 1, 1), date(2025, 1, 3), 3) != Streak(date(2025, 1, 1), date(2025, 1, 3), 2)
    assert run != CurrentStreak(3, False, date(2025, 1, 1))
    assert len({run, Streak(date(2025, 1, 1), date(2025, 1, 3), 3)}) == 1
    assert repr(run) == "Streak(end=datetime.date(2025, 1, 3), length=3, start=datetime.date(2025, 1, 1))"
    with pytest.raises(AttributeError):
        run.length = 4  # type: ignore[misc]  # the point: it refuses
    with pytest.raises(AttributeError):
        del run.length
    assert run.replace(length=5) == Streak(date(2025, 1, 1), date(2025, 1, 3), 5) and run.length == 3
    with pytest.raises(TypeError):
        run.replace(weeks=1)
    assert pickle.loads(pickle.dumps(run)) == run == copy.deepcopy(run)
