"""Issue #14 on the Session screen: spoken cues, distinct bells, the quit dialog, pauses for dialogs, Resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import FIXED_TODAY
from tests.test_session_screen import WALL, FakeClock, wait_until
from tui.app import HamstringApp
from tui.core import resume
from tui.core.store import HistoryStore
from tui.screens.confirm import ConfirmScreen
from tui.screens.session import SessionRequest, SessionScreen
from tui.screens.session_quit import QuitSessionScreen

LOGGING_ENGINE = '#!/bin/sh\nprintf "%s\\n" "$*" >> "$FAKE_ENGINE_LOG"\n'


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


@pytest.fixture
def engine_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake ``espeak-ng``, alone on PATH, that logs the text it is given, one line per call."""
    folder = tmp_path / "bin"
    folder.mkdir()
    engine = folder / "espeak-ng"
    engine.write_text(LOGGING_ENGINE, encoding="utf-8")
    engine.chmod(0o755)
    log = tmp_path / "spoken.log"
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("FAKE_ENGINE_LOG", str(log))
    return log


def make_app(data_dir: Path, request: SessionRequest, clock: FakeClock, store: HistoryStore) -> HamstringApp:
    return HamstringApp(
        data_dir=data_dir,
        store=store,
        start_mode="session",
        session_request=request,
        today=lambda: FIXED_TODAY,
        wall_clock=lambda: WALL,
        tz_name="Europe/Berlin",
        monotonic=clock,
    )


def spoken(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


async def test_every_cue_is_spoken_in_order_with_a_fake_engine(data_dir: Path, engine_log: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.set_setting("voice", "on")
    clock = FakeClock()
    request = SessionRequest(stretch_ids=("half-splits",), hold_override=5, transition_override=2, autostart=True)
    app = make_app(data_dir, request, clock, store)
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        await wait_until(pilot, lambda: len(spoken(engine_log)) == 1)
        expected = ["Half Splits. Left leg", "Hold for 5 seconds", "3", "2", "1"]
        expected += ["Switch sides. Right leg", "Hold for 5 seconds", "3", "2", "1"]
        for number, line in enumerate(expected[1:], start=2):
            # one second at a time, each line heard before the next starts
            while len(spoken(engine_log)) < number:
                clock.now += 1
                screen._tick()
                await wait_until(pilot, lambda n=number: len(spoken(engine_log)) >= n - 1)
                await pilot.pause(0.05)
            assert spoken(engine_log)[number - 1] == line
        clock.now += 5
        screen._tick()
        await wait_until(pilot, lambda: store.sessions() != [])
        await wait_until(pilot, lambda: spoken(engine_log)[-1].startswith("Done."))
        assert spoken(engine_log)[: len(expected)] == expected
        assert spoken(engine_log)[-1] == "Done. 1 day streak"
        assert bells == []  # the voice replaces the bells


async def test_contract_and_relax_are_cued_and_shown(data_dir: Path, engine_log: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.set_setting("voice", "on")
    clock = FakeClock()
    request = SessionRequest(stretch_ids=("active-forward-fold",), transition_override=0, autostart=True)
    app = make_app(data_dir, request, clock, store)
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        await wait_until(pilot, lambda: len(spoken(engine_log)) == 1)
        assert spoken(engine_log) == ["Active Forward Fold with Blocks. Hold for 45 seconds. Contract"]
        assert "CONTRACT 1 of 3" in str(screen.query_one("#phase", Static).render())
        clock.now += 5
        screen._tick()
        await wait_until(pilot, lambda: len(spoken(engine_log)) == 2)
        assert spoken(engine_log)[1] == "Relax"
        assert "RELAX 1 of 3" in str(screen.query_one("#phase", Static).render())
        clock.now += 10
        screen._tick()
        await wait_until(pilot, lambda: len(spoken(engine_log)) == 3)
        assert spoken(engine_log)[2] == "Contract"
        assert "CONTRACT 2 of 3" in str(screen.query_one("#phase", Static).render())


async def test_no_engine_one_notice_then_distinct_bells(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no engine anywhere
    store = HistoryStore.open(data_dir)
    store.set_setting("voice", "on")
    clock = FakeClock()
    request = SessionRequest(stretch_ids=("half-splits",), hold_override=5, transition_override=2, autostart=True)
    app = make_app(data_dir, request, clock, store)
    rung: list[float] = []
    app.bell = lambda: rung.append(clock.now)  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        assert rung == [500.0]  # get ready: one bell
        clock.now += 2 + 5  # the hold ends: the switch rings twice (the second 0.4 s later)
        screen._tick()
        await wait_until(pilot, lambda: len(rung) == 3)
        notices = [n.message for n in app._notifications if "no speech engine" in n.message]
        assert len(notices) == 1
        clock.now += 2 + 5
        screen._tick()
        await wait_until(pilot, lambda: store.sessions() != [])
        await wait_until(pilot, lambda: len(rung) == 7)  # the hold starts (1), then done: three bells
        assert len([n for n in app._notifications if "no speech engine" in n.message]) == 1


async def test_q_asks_pauses_and_stay_resumes(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, SessionRequest(autostart=True), clock, store)
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        timer = screen.timer
        await pilot.press("q")
        assert isinstance(pilot.app.screen, QuitSessionScreen)
        assert timer.paused  # paused while the dialog is open
        clock.now += 100
        await pilot.press("s")
        await pilot.pause()
        assert pilot.app.screen is screen and not timer.paused and timer.running
        assert timer.elapsed() == 0  # the 100 s with the dialog open did not count

        await pilot.press("space")  # the user's own pause survives a dialog
        assert timer.paused
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert timer.paused


async def test_the_key_bar_says_resume_while_paused(data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, SessionRequest(autostart=True), clock, HistoryStore.open(data_dir))
    async with app.run_test() as pilot:
        screen = pilot.app.screen

        def shown() -> str:
            return screen.active_bindings["space"].binding.description

        assert shown() == "Pause"
        await pilot.press("space")
        assert screen.timer.paused and shown() == "Resume"
        await pilot.press("space")
        assert not screen.timer.paused and shown() == "Pause"


async def test_q_keep_for_later_exits_and_the_next_start_offers_it(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, SessionRequest(autostart=True), clock, store)
    async with app.run_test() as pilot:
        clock.now += 20
        pilot.app.screen._tick()
        await pilot.press("q", "k")
        await pilot.pause()
    assert app.return_code is not None or not app.is_running
    found = resume.load(data_dir)
    assert found is not None and not found.finished
    assert store.sessions() == []


async def test_q_abandon_saves_partial_then_exits(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, SessionRequest(autostart=True), clock, store)
    async with app.run_test() as pilot:
        clock.now += 10 + 20  # the lead-in, then 20 s held
        pilot.app.screen._tick()
        await pilot.press("q", "a")
        await wait_until(pilot, lambda: not app.is_running or store.sessions() != [])
        await pilot.pause()
    (session,) = store.sessions()
    assert not session.complete and session.duration_s == 20
    assert resume.load(data_dir) is None


async def test_an_abandoned_session_under_10_s_held_is_not_kept(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, SessionRequest(autostart=True), clock, store)
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        clock.now += 10 + 9
        screen._tick()
        await pilot.press("escape", "y")
        await wait_until(pilot, lambda: "not kept" in str(screen.query_one("#intro", Static).render()))
        await pilot.app.workers.wait_for_complete()
        assert store.sessions() == [] and resume.load(data_dir) is None
        assert "today: not yet" in pilot.app.sub_title and screen.sub_title is None


async def test_a_session_that_ends_with_under_half_held_is_partial_and_says_why(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    request = SessionRequest(stretch_ids=("downward-dog",), transition_override=0, autostart=True)
    app = make_app(data_dir, request, clock, store)
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        clock.now += 20
        await pilot.press("n")  # 20 of 45 s held, then the end
        await wait_until(pilot, lambda: store.sessions() != [])
        await wait_until(pilot, lambda: "half is needed" in str(screen.query_one("#intro", Static).render()))
        (session,) = store.sessions()
        assert not session.complete and session.duration_s == 20
        assert "today: not yet" in pilot.app.sub_title


async def test_a_session_that_ends_with_half_held_counts(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    request = SessionRequest(stretch_ids=("downward-dog", "seated-forward-fold"), transition_override=0, autostart=True)
    app = make_app(data_dir, request, clock, store)
    async with app.run_test() as pilot:
        clock.now += 45 + 8  # 53 of the 105 planned seconds: just over half
        pilot.app.screen._tick()
        await pilot.press("n")
        await wait_until(pilot, lambda: store.sessions() != [])
        await wait_until(pilot, lambda: "done" in pilot.app.sub_title)
        (session,) = store.sessions()
        assert session.complete and session.duration_s == 53


async def test_the_picker_makes_a_default_and_r_on_the_catalog_runs_it(data_dir: Path) -> None:
    from tui.core.routines import Routine, RoutineItem, routines_to_setting
    from tui.screens.routines import RoutinePicker

    store = HistoryStore.open(data_dir)
    store.set_setting("routines", routines_to_setting({"short": Routine("short", (RoutineItem("downward-dog"),))}))
    app = make_app(data_dir, SessionRequest(), FakeClock(), store)
    async with app.run_test() as pilot:
        await pilot.press("r")
        picker = pilot.app.screen
        assert isinstance(picker, RoutinePicker)
        labels = [str(picker.query_one("#routine-choices").get_option_at_index(i).prompt) for i in range(2)]
        assert "default" in labels[0] and "1 stretch · 1 hold · about 0:55" in labels[1]
        await pilot.press("down", "d")
        await pilot.app.workers.wait_for_complete()
        assert store.get_setting("routine") == "short"
        await pilot.press("escape", "c", "r")  # r on the Catalog: run the default routine
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SessionScreen) and pilot.app.screen.running)
        screen = pilot.app.screen
        assert screen.routine_name == "short" and "short (default)" in screen.title


async def test_the_figure_hides_under_60x20(data_dir: Path) -> None:
    from tui.widgets.figure import FigureView

    app = make_app(data_dir, SessionRequest(autostart=True), FakeClock(), HistoryStore.open(data_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        figure = pilot.app.screen.query_one(FigureView)
        assert figure.display and figure.figure is not None and figure.side == "left"
        await pilot.resize_terminal(59, 24)
        await pilot.pause()
        assert not figure.display
        await pilot.resize_terminal(80, 19)
        await pilot.pause()
        assert not figure.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert figure.display
        await pilot.press("n")  # the right leg: mirrored
        assert figure.side == "right"


async def test_after_a_session_that_counts_a_check_in_is_asked_and_saved(data_dir: Path) -> None:
    from tui.screens.checkin import CheckInDialog

    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    request = SessionRequest(stretch_ids=("downward-dog",), transition_override=0, autostart=True)
    app = make_app(data_dir, request, clock, store)
    async with app.run_test() as pilot:
        clock.now += 45
        pilot.app.screen._tick()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CheckInDialog))
        await pilot.press("3", "enter")
        await wait_until(pilot, lambda: store.checkins() != [])
        (checkin,) = store.checkins()
        assert checkin.pain == 3 and checkin.date == store.sessions()[0].date
        assert isinstance(pilot.app.screen, SessionScreen)


async def test_after_a_partial_session_no_check_in_is_asked(data_dir: Path) -> None:
    from tui.screens.checkin import CheckInDialog

    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    request = SessionRequest(stretch_ids=("downward-dog",), transition_override=0, autostart=True)
    app = make_app(data_dir, request, clock, store)
    async with app.run_test() as pilot:
        clock.now += 20
        await pilot.press("n")
        await wait_until(pilot, lambda: store.sessions() != [])
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(pilot.app.screen, CheckInDialog) and store.checkins() == []


async def test_q_keep_for_later_never_quits_when_the_session_cannot_be_kept(data_dir: Path) -> None:
    """Another copy holds the running-session claim: nothing could be kept, so nothing is lost by quitting."""
    from tui.core.lock import FileLock

    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    claim = FileLock(data_dir / "current-session.json.lock", timeout=1)
    claim.acquire()
    try:
        app = make_app(data_dir, SessionRequest(autostart=True), clock, store)
        async with app.run_test() as pilot:
            clock.now += 20
            pilot.app.screen._tick()
            await pilot.press("q", "k")
            await wait_until(pilot, lambda: any(n.title == "Not kept" for n in app._notifications))
            assert app.is_running and isinstance(pilot.app.screen, SessionScreen)
            assert resume.load(data_dir) is None
    finally:
        claim.release()
