"""Routines: the core rules, the editor and picker in the app, and `hamstring session`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from tests.conftest import FIXED_TODAY
from tests.helpers import make_read_only_history, run_cli
from tui.app import HamstringApp
from tui.core.catalog import builtin_catalog
from tui.core.routines import (
    DAILY,
    Routine,
    RoutineError,
    RoutineItem,
    check_name,
    resolve,
    routines_from_setting,
    routines_to_setting,
)
from tui.core.store import HistoryStore
from tui.screens.routines import NamePrompt, RoutineEditor, RoutinePicker
from tui.screens.session import SessionScreen

CATALOG = builtin_catalog()


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Unicode symbols, whatever the locale they run under."""
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


def test_daily_is_every_stretch_by_position_with_catalog_holds() -> None:
    """Issue #14: lying, seated, kneeling, all fours, standing (the catalog keeps the article's order)."""
    routines = routines_from_setting(None, CATALOG)
    assert list(routines) == [DAILY]
    resolved = resolve(routines[DAILY], CATALOG)
    assert [(s.id, hold) for s, hold in resolved] == [(s.id, s.hold_s) for s in (CATALOG.get(i) for i in DAILY_ORDER)]
    assert sorted(DAILY_ORDER) == sorted(CATALOG.ids) and CATALOG.ids != list(DAILY_ORDER)


DAILY_ORDER = (
    "reclined-strap-stretch",  # lying
    "active-leg-raise",  # lying
    "seated-forward-fold",  # seated
    "half-splits",  # kneeling
    "downward-dog",  # all fours
    "active-forward-fold",  # standing
    "pyramid-pose",  # standing
)


def test_hold_precedence_override_then_routine_then_setting_then_catalog() -> None:
    routine = Routine("mine", (RoutineItem("downward-dog", 90), RoutineItem("pyramid-pose")))
    assert [h for _, h in resolve(routine, CATALOG)] == [90, 30]
    assert [h for _, h in resolve(routine, CATALOG, default_hold=40)] == [90, 40]
    assert [h for _, h in resolve(routine, CATALOG, hold_override=7, default_hold=40)] == [7, 7]


def test_setting_round_trip_and_malformed_entries_are_left_out() -> None:
    routines = {
        DAILY: routines_from_setting(None, CATALOG)[DAILY],
        "short": Routine("short", (RoutineItem("downward-dog", 60), RoutineItem("gone-stretch"))),
    }
    stored = routines_to_setting(routines)
    assert stored == {"short": [{"stretch": "downward-dog", "hold_s": 60}, {"stretch": "gone-stretch", "hold_s": None}]}
    back = routines_from_setting(
        stored
        | {
            "bad name!": [],
            "daily": [],
            "x": "nope",
            "y": [{"stretch": 3}, {"stretch": "pyramid-pose", "hold_s": 9999}],
        },
        CATALOG,
    )
    assert list(back) == [DAILY, "short", "y"]
    assert back["y"].items == (RoutineItem("pyramid-pose", None),)
    assert [s.id for s, _ in resolve(back["short"], CATALOG)] == ["downward-dog"]  # unknown ids skipped


@pytest.mark.parametrize("name", ["", "   ", "x" * 41, "no/slashes", "-leading"])
def test_bad_routine_names(name: str) -> None:
    with pytest.raises(RoutineError):
        check_name(name)


async def saved(pilot) -> None:
    """Wait for the app's writer thread to finish and the screens to show it."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def make_app(data_dir: Path, store: HistoryStore) -> HamstringApp:
    return HamstringApp(data_dir=data_dir, store=store, start_mode="session", today=lambda: FIXED_TODAY)


async def test_editor_copies_edits_renames_and_deletes_routines(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    async with make_app(data_dir, store).run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        assert isinstance(pilot.app.screen, RoutineEditor)
        await pilot.press("x")  # the built-in routine refuses changes
        assert any("built in" in n.message for n in pilot.app._notifications)
        await pilot.press("c")
        assert isinstance(pilot.app.screen, NamePrompt)
        assert pilot.app.screen.query_one(Input).value == "daily copy"
        await pilot.press("enter")
        await saved(pilot)
        stored = store.get_setting("routines")
        assert list(stored) == ["daily copy"] and len(stored["daily copy"]) == 7

        editor = pilot.app.screen
        await pilot.press("tab")  # to the stretches of "daily copy"
        assert editor.query_one("#item-list", OptionList).has_focus
        await pilot.press("x")  # remove the first stretch
        await pilot.press("right_square_bracket")  # move the (new) first one down
        await pilot.press("plus", "plus")
        await saved(pilot)
        items = store.get_setting("routines")["daily copy"]
        # The daily routine goes by position (issue #14): lying, seated, kneeling, ...
        assert [i["stretch"] for i in items[:3]] == ["seated-forward-fold", "active-leg-raise", "half-splits"]
        assert items[1] == {"stretch": "active-leg-raise", "hold_s": 40}

        await pilot.press("a")
        await pilot.press("enter")  # add the first catalog stretch at the end
        await saved(pilot)
        assert store.get_setting("routines")["daily copy"][-1]["stretch"] == "reclined-strap-stretch"

        await pilot.press("shift+tab", "r")
        prompt = pilot.app.screen
        assert isinstance(prompt, NamePrompt)
        prompt.query_one(Input).value = "daily"
        await pilot.press("enter")
        assert "already a routine" in str(prompt.query_one("#name-error").render())
        prompt.query_one(Input).value = "morning"
        await pilot.press("enter")
        await saved(pilot)
        assert list(store.get_setting("routines")) == ["morning"]

        await pilot.press("d", "y")
        await saved(pilot)
        assert store.get_setting("routines") == {}
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SessionScreen)


async def test_picker_switches_the_routine_to_run(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.set_setting("routines", {"quick": [{"stretch": "downward-dog", "hold_s": 20}]})
    async with make_app(data_dir, store).run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        assert isinstance(pilot.app.screen, RoutinePicker)
        await pilot.press("down", "enter")
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.routine_name == "quick"
        assert [(s.stretch, s.hold_s) for s in screen.plan] == [("downward-dog", 20)]


def test_cli_session_refuses_an_unknown_routine_and_bad_numbers() -> None:
    result = run_cli("session", "--routine", "nope")
    assert result.returncode == 2
    assert result.stderr.strip() == "hamstring: no routine named 'nope' (known: daily)"
    for flag, value, message in (
        ("--hold", "0", "0 is not from 5 to 600"),
        ("--hold", "601", "601 is not from 5 to 600"),
        ("--transition", "61", "61 is not from 0 to 60"),
        ("--hold", "abc", "'abc' is not a whole number"),
    ):
        result = run_cli("session", flag, value)
        assert result.returncode == 2, (flag, value)
        assert message in result.stderr and result.stderr.count("\n") == 1


def test_cli_session_knows_the_users_routines(data_dir: Path) -> None:
    HistoryStore.open(data_dir).set_setting("routines", {"quick": [{"stretch": "downward-dog", "hold_s": 20}]})
    result = run_cli("session", "--routine", "quick")
    assert result.returncode == 2  # the routine is fine; what is missing is a terminal
    assert "needs an interactive terminal" in result.stderr


def test_a_logged_day_counts_the_daily_routines_holding_time() -> None:
    from tui.core.routines import daily_log_minutes

    assert daily_log_minutes({}, CATALOG) == 7  # 390 s of holds, rounded up
    assert daily_log_minutes({"hold": 60}, CATALOG) == 11  # 11 holds of a minute
    assert daily_log_minutes({"hold": "junk"}, CATALOG) == 7


# -- issue 11.4 and 11.5: two copies editing routines; a history that cannot be written ---------------
def test_two_copies_saving_routines_keep_each_others(data_dir: Path) -> None:
    from tui.core.service import HistoryService

    first = HistoryService(data_dir, CATALOG, store=HistoryStore.open(data_dir))
    second = HistoryService(data_dir, CATALOG, store=HistoryStore.open(data_dir))
    first.refresh()
    second.refresh()  # both opened before either saved
    second.save_routine(None, Routine("bee", (RoutineItem("downward-dog", 20),)))
    first.save_routine(None, Routine("aye", (RoutineItem("pyramid-pose"),)))
    first.save_routine("aye", Routine("aye2", (RoutineItem("pyramid-pose"),)))  # a rename keeps the other's
    stored = HistoryStore.open(data_dir).get_setting("routines")
    assert stored == {
        "bee": [{"stretch": "downward-dog", "hold_s": 20}],
        "aye2": [{"stretch": "pyramid-pose", "hold_s": None}],
    }


async def test_two_apps_editing_routines_keep_each_others(data_dir: Path) -> None:
    first = make_app(data_dir, HistoryStore.open(data_dir))
    second = make_app(data_dir, HistoryStore.open(data_dir))
    async with first.run_test(size=(100, 30)) as one, second.run_test(size=(100, 30)) as two:
        await one.press("e")
        await two.press("e")
        await two.press("n", *"bee", "enter")
        await saved(two)
        await one.press("n", *"aye", "enter")
        await saved(one)
        assert set(HistoryStore.open(data_dir).get_setting("routines")) == {"bee", "aye"}
        assert set(first.service.routines()) == {"daily", "bee", "aye"}  # the editor shows both too


async def test_editing_routines_in_a_read_only_history_gives_a_notice(data_dir: Path) -> None:
    store = make_read_only_history(data_dir)
    app = make_app(data_dir, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e", "c", "enter")
        await saved(pilot)
        assert app.is_running and isinstance(pilot.app.screen, RoutineEditor)
        assert any(n.title == "Routine not saved" for n in app._notifications)
        assert store.get_setting("routines") is None


async def test_the_editor_shows_the_holds_a_session_will_use(data_dir: Path) -> None:
    """With ``hamstring config hold 5`` the list said "45 s" while the session ran 5 s (a user
    pass); a routine's own hold (``*``) still wins, and the hint says what ``*`` means."""
    store = HistoryStore.open(data_dir)
    store.set_setting("hold", 5)
    store.set_setting(
        "routines",
        {
            "mine": [
                {"stretch": "active-forward-fold"},
                {"stretch": "half-splits", "hold_s": 40},
                {"stretch": "gone-stretch"},  # no longer in the catalog: a session leaves it out
            ]
        },
    )
    async with make_app(data_dir, store).run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        editor = pilot.app.screen
        assert isinstance(editor, RoutineEditor)
        routines = editor.query_one("#routine-list", OptionList)
        routines.highlighted = [routines.get_option_at_index(i).id for i in range(routines.option_count)].index("mine")
        await pilot.pause()
        items = editor.query_one("#item-list", OptionList)
        shown = [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        assert "Active Forward Fold" in shown[0] and "5 s" in shown[0] and "45 s" not in shown[0], shown
        assert "Half Splits" in shown[1] and "40 s" in shown[1] and "*" in shown[1], shown
        assert "not in the catalog" in shown[2] and "left out" in shown[2] and " s" not in shown[2], shown
        assert "own hold" in str(editor.query_one("#editor-hint").render())
