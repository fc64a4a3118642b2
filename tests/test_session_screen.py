"""The Session screen through Pilot: a full run, abandon, resume after a kill, keys."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import FIXED_TODAY
from tests.helpers import make_read_only_history
from tui.app import HamstringApp
from tui.core import resume
from tui.core.catalog import builtin_catalog
from tui.core.store import HistoryStore
from tui.core.timer import SessionTimer, build_plan
from tui.screens.confirm import ConfirmScreen
from tui.screens.session import SessionRequest, SessionScreen
from tui.widgets.countdown import Countdown

WALL = datetime(2025, 6, 18, 7, 30, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the Unicode symbols, whatever the locale they run under."""
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def make_app(data_dir: Path, request: SessionRequest | None = None, monotonic=None, store=None) -> HamstringApp:
    kwargs = {"monotonic": monotonic} if monotonic is not None else {}
    return HamstringApp(
        data_dir=data_dir,
        store=store or HistoryStore.open(data_dir),
        start_mode="session",
        session_request=request,
        today=lambda: FIXED_TODAY,
        wall_clock=lambda: WALL,
        tz_name="Europe/Berlin",
        **kwargs,
    )


async def saved(pilot) -> None:
    """Wait for the app's writer thread to finish and the screens to show it."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition, seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached in time")


async def test_a_routine_with_1s_holds_runs_to_the_end_and_is_recorded(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    request = SessionRequest(
        stretch_ids=("reclined-strap-stretch", "downward-dog"), hold_override=1, transition_override=0, autostart=True
    )
    app = make_app(data_dir, request, store=store)
    bells = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        await wait_until(pilot, lambda: store.sessions() != [])
        await wait_until(pilot, lambda: "Session complete" in str(screen.query_one("#intro", Static).render()))
        (session,) = store.sessions()
        assert session.complete and session.source == "timer" and session.counts
        assert session.date == date(2025, 6, 18) and session.tz == "Europe/Berlin"
        assert [(s.stretch, s.side, s.held_s, s.skipped) for s in session.steps] == [
            ("reclined-strap-stretch", "left", 1, False),
            ("reclined-strap-stretch", "right", 1, False),
            ("downward-dog", "both", 1, False),
        ]
        assert session.duration_s == 3
        summary = str(screen.query_one("#intro", Static).render())
        assert "Held 0:03" in summary and "2 stretches" in summary and "Streak: 1 day" in summary
        assert "today: done" in pilot.app.sub_title
        assert len(bells) >= 4  # every phase change rang
        assert not resume.path_in(data_dir).exists()
        # A notification is a message to the app: it is in the list once the app has handled it.
        await wait_until(pilot, lambda: any("Session complete" in n.message for n in app._notifications))


async def test_abandon_asks_then_records_an_incomplete_session(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, SessionRequest(autostart=True), monotonic=clock, store=store)
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        clock.now += 10 + 10  # the first stretch gets the position lead-in (10 s), then 10 s of holding
        screen._tick()
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        assert screen.timer.running
        await pilot.press("escape", "y")
        await wait_until(pilot, lambda: store.sessions() != [])
        (session,) = store.sessions()
        assert not session.complete and not session.counts
        assert [(s.side, s.held_s, s.skipped) for s in session.steps] == [("left", 10, True)]
        assert "today: not yet" in pilot.app.sub_title


async def test_keys_pause_skip_back_and_adjust(data_dir: Path) -> None:
    clock = FakeClock()
    app = make_app(data_dir, SessionRequest(autostart=True, transition_override=5), monotonic=clock)
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        timer = screen.timer
        clock.now += 6
        screen._tick()
        assert (timer.index, timer.phase) == (0, "hold")
        await pilot.press("plus")
        assert timer.holds[0] == 35
        await pilot.press("minus", "minus")
        assert timer.holds[0] == 25
        await pilot.press("space")
        assert timer.paused and "PAUSED" in str(screen.query_one("#phase", Static).render())
        clock.now += 100
        await pilot.press("space")
        assert not timer.paused and timer.remaining() == 24
        await pilot.press("n")
        assert (timer.index, timer.phase) == (1, "switch")
        await pilot.press("b")
        assert (timer.index, timer.phase) == (0, "ready")
        assert screen.query_one(Countdown).value == "0:05"


async def test_mute_is_remembered_and_silences_cues(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, SessionRequest(autostart=True), monotonic=clock, store=store)
    bells = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await pilot.press("m")
        await saved(pilot)
        assert store.get_setting("bell") == "off"
        before = len(bells)
        clock.now += 5
        pilot.app.screen._tick()
        assert len(bells) == before
        await pilot.press("m")
        await saved(pilot)
        assert store.get_setting("bell") == "on"


def _interrupted_snapshot(data_dir: Path, finished: bool = False) -> str:
    catalog = builtin_catalog()
    clock = FakeClock()
    timer = SessionTimer(
        build_plan([(catalog.get("reclined-strap-stretch"), 30), (catalog.get("downward-dog"), 45)], 5, 5), clock
    )
    timer.start()
    clock.now += 5 + 30 + 5 + 10
    timer.update()
    if finished:
        clock.now += 1000
        timer.update()
    session_id = "0b6e8a34-77a3-4a5e-9a4f-3c1f6f3b9d11"
    resume.save(data_dir, session_id, "daily", WALL, "Europe/Berlin", date(2025, 6, 18), timer.snapshot())
    return session_id


async def test_after_a_kill_the_next_start_offers_to_resume_and_finishes_it(data_dir: Path) -> None:
    session_id = _interrupted_snapshot(data_dir)
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, monotonic=clock, store=store)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "step 2 of 3" in str(pilot.app.screen.query_one("#question", Static).render())
        await pilot.press("y")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen)
        timer = screen.timer
        assert (timer.index, timer.phase, timer.paused) == (1, "hold", True)
        assert timer.remaining() == 20
        await pilot.press("space")
        clock.now += 20 + 5 + 45
        screen._tick()
        await wait_until(pilot, lambda: store.sessions() != [])
        (session,) = store.sessions()
        assert session.id == session_id and session.complete
        assert [s.held_s for s in session.steps] == [30, 30, 45]
        assert session.started_at == WALL
        assert not resume.path_in(data_dir).exists()


async def test_discarding_an_interrupted_session_keeps_it_as_abandoned(data_dir: Path) -> None:
    session_id = _interrupted_snapshot(data_dir)
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, store=store)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        await saved(pilot)
        (session,) = store.sessions()
        assert session.id == session_id and not session.complete
        assert [(s.held_s, s.skipped) for s in session.steps] == [(30, False), (10, True)]
        assert not resume.path_in(data_dir).exists()


async def test_a_session_left_by_a_copy_that_stopped_meanwhile_is_offered_not_overwritten(data_dir: Path) -> None:
    """Two copies: this one starts while the other runs a session (nothing to offer then). The other
    one is killed after a hold; starting a session here overwrote the file it left, and its hold was
    lost for good (no record, nothing to offer at the next start). It is offered first, as at a start."""
    from tui.core.lock import FileLock

    store = HistoryStore.open(data_dir)
    other = FileLock(data_dir / "current-session.json.lock", timeout=1)  # the other copy's claim
    other.acquire()
    app = make_app(data_dir, store=store)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: app.resume_checked)
        await pilot.pause()
        assert isinstance(pilot.app.screen, SessionScreen)  # nothing offered: the other copy runs it
        session_id = _interrupted_snapshot(data_dir)  # its progress, saved as it went
        other.release()  # killed: the operating system lets its lock go
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "step 2 of 3" in str(pilot.app.screen.query_one("#question", Static).render())
        await pilot.press("n")
        await saved(pilot)
        (session,) = store.sessions()
        assert session.id == session_id and not session.complete
        assert [(s.held_s, s.skipped) for s in session.steps] == [(30, False), (10, True)]
        screen = pilot.app.screen
        assert isinstance(screen, SessionScreen) and screen.timer is None
        await pilot.press("enter")  # now a session of this copy's own
        await pilot.pause()
        assert screen.timer is not None and screen.timer.running
        own = lambda: (found := resume.load(data_dir)) is not None and found.session_id != session_id  # noqa: E731
        await wait_until(pilot, own)  # its progress is saved as it goes


def test_only_another_copys_session_counts_as_left_behind_and_only_once(data_dir: Path) -> None:
    """This copy's own session file (its end not written yet, say) is never offered as left behind;
    another copy's is, once: a file that could not be cleared is not offered at every start."""
    from tui.core.lock import FileLock
    from tui.core.service import HistoryService

    service = HistoryService(data_dir, builtin_catalog(), store=HistoryStore.open(data_dir))
    assert service.begin_session() and not service.left_behind()  # no file
    timer = SessionTimer(build_plan([(builtin_catalog().get("downward-dog"), 30)], 5, 5), FakeClock())
    timer.start()
    own = "1c7f9b45-88b4-4b6f-8b5a-4d2a7a4c0e22"
    assert service.save_progress(own, "daily", WALL, date(2025, 6, 18), timer.snapshot())
    assert resume.load(data_dir).session_id == own
    assert not service.left_behind() and service.claim.held  # this copy's own
    service.claim.release()
    other = FileLock(data_dir / "current-session.json.lock", timeout=1)
    other.acquire()
    assert not service.begin_session()  # the other copy runs one
    session_id = _interrupted_snapshot(data_dir)
    other.release()
    assert service.begin_session() and service.left_behind() and not service.claim.held  # let go for the offer
    assert resume.load(data_dir).session_id == session_id
    assert service.begin_session() and not service.left_behind()  # offered once


async def test_a_finished_but_unsaved_session_is_saved_at_start(data_dir: Path) -> None:
    session_id = _interrupted_snapshot(data_dir, finished=True)
    store = HistoryStore.open(data_dir)
    app = make_app(data_dir, store=store)
    async with app.run_test() as pilot:
        await saved(pilot)
        assert not isinstance(pilot.app.screen, ConfirmScreen)
        (session,) = store.sessions()
        assert session.id == session_id and session.complete and session.counts
        assert "today: done" in pilot.app.sub_title


async def test_an_unreadable_resume_file_is_set_aside_with_a_notice(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    resume.path_in(data_dir).write_text("{nope")
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert (data_dir / "current-session.json.unreadable").read_text() == "{nope"
        assert any("current-session.json" in n.message for n in app._notifications)


async def test_the_idle_screen_shows_the_routine_and_total(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        intro = str(pilot.app.screen.query_one("#intro", Static).render())
        assert "Routine: daily" in intro and "7 stretches" in intro and "11 holds" in intro
        assert "about 7:50" in intro  # 6:30 of holds, 1:20 of lead-ins (10 s before a new position, issue #14)


async def test_skipping_every_hold_says_so_and_does_not_count(data_dir: Path) -> None:
    clock = FakeClock()
    store = HistoryStore.open(data_dir)
    app = make_app(
        data_dir, SessionRequest(stretch_ids=("downward-dog",), autostart=True), monotonic=clock, store=store
    )
    async with app.run_test() as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: store.sessions() != [])
        screen = pilot.app.screen
        await wait_until(pilot, lambda: "every hold was skipped" in str(screen.query_one("#intro", Static).render()))
        (session,) = store.sessions()
        assert not session.complete and not session.counts  # issue #14: under half the hold seconds held
        assert "does not count" in str(screen.query_one("#intro", Static).render())


# -- issue 11: writes that cannot happen, the running session's owner, damaged resume files ----------
def _read_only_store(data_dir: Path) -> HistoryStore:
    return make_read_only_history(data_dir)


async def test_m_with_a_read_only_history_gives_a_notice_and_the_session_goes_on(data_dir: Path) -> None:
    clock = FakeClock()
    store = _read_only_store(data_dir)
    app = make_app(data_dir, SessionRequest(autostart=True), monotonic=clock, store=store)
    bells = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        await pilot.press("m")
        await saved(pilot)
        assert app.is_running and screen.timer.running
        assert any("not saved" in n.title.lower() for n in app._notifications)
        assert store.get_setting("bell") == "on"  # nothing written
        before = len(bells)
        clock.now += 5
        screen._tick()
        assert len(bells) == before  # muted for this run all the same
        await pilot.press("m")
        await saved(pilot)
        told = [n.message for n in app._notifications if "newer hamstring" in n.message]
        assert len(told) <= 2  # the start-up notice and the first refused write say why; later ones are short


async def test_m_while_another_copy_holds_the_lock_never_freezes_the_screen(data_dir: Path) -> None:
    from tui.core.lock import FileLock

    clock = FakeClock()
    store = HistoryStore.open(data_dir, lock_timeout=1.0)
    app = make_app(data_dir, SessionRequest(autostart=True), monotonic=clock, store=store)
    # The bell is a setting: its save waits for the settings file's lock.
    lock = FileLock(data_dir / "settings.json.lock", timeout=1)
    lock.acquire()
    try:
        async with app.run_test() as pilot:
            screen = pilot.app.screen
            await pilot.press("m")
            await pilot.press("space")  # handled while the save still waits for the lock
            assert screen.timer.paused and app.service.writing
            await saved(pilot)
            assert app.is_running
            assert any("another hamstring" in n.message for n in app._notifications)
            assert not app.service.bell_on  # the mute held in memory
    finally:
        lock.release()


async def test_a_session_another_copy_is_running_is_not_offered(data_dir: Path) -> None:
    from tui.core.lock import FileLock

    _interrupted_snapshot(data_dir)
    before = resume.path_in(data_dir).read_bytes()
    other_copy = FileLock(data_dir / "current-session.json.lock", timeout=0)
    other_copy.acquire()
    try:
        store = HistoryStore.open(data_dir)
        async with make_app(data_dir, store=store).run_test() as pilot:
            await saved(pilot)
            assert not isinstance(pilot.app.screen, ConfirmScreen)
            assert resume.path_in(data_dir).read_bytes() == before
            assert store.sessions() == []
    finally:
        other_copy.release()


async def test_two_copies_the_second_never_offers_the_first_ones_running_session(data_dir: Path) -> None:
    first = make_app(data_dir, SessionRequest(autostart=True), monotonic=FakeClock())
    async with first.run_test() as pilot:
        await saved(pilot)  # the progress is saved by the app's writer thread
        assert first.screen.timer.running and resume.path_in(data_dir).exists()
        second = make_app(data_dir)
        async with second.run_test() as second_pilot:
            await saved(second_pilot)
            assert not isinstance(second.screen, ConfirmScreen)
        await saved(pilot)
        assert first.screen.timer.running


async def test_discard_never_overwrites_a_session_already_saved_complete(data_dir: Path) -> None:
    from dataclasses import replace as change

    session_id = _interrupted_snapshot(data_dir)
    store = HistoryStore.open(data_dir)
    interrupted = resume.load(data_dir)
    timer = SessionTimer.restore(interrupted.timer, FakeClock())
    done = resume.record_from(interrupted, timer.step_records(), WALL, complete=True)
    store.record_session(change(done, duration_s=85))
    async with make_app(data_dir, store=store).run_test() as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await saved(pilot)
        (session,) = store.sessions()
        assert session.id == session_id and session.complete and session.duration_s == 85
        assert not resume.path_in(data_dir).exists()


DAMAGED = {
    "index-abc": None,
    "not-a-uuid": None,
    "wrong-types": None,
    "bytes": b"\xff\xfe\x00garbage\x1b]0;PWNED\x07",
    "extra-field": None,
    "far-future": None,
}


def _damaged(data_dir: Path, kind: str) -> bytes:
    import json

    _interrupted_snapshot(data_dir)
    raw = json.loads(resume.path_in(data_dir).read_text())
    if kind == "index-abc":
        raw["timer"]["index"] = "abc"
    elif kind == "not-a-uuid":
        raw["session_id"] = "../../etc/passwd"
    elif kind == "wrong-types":
        raw["timer"]["results"] = [["1", 2, 3]] * len(raw["timer"]["plan"])
    elif kind == "extra-field":
        raw["timer"]["surprise"] = True
    elif kind == "far-future":  # a tampered file, or a clock far off when it was written
        raw["date"], raw["started_at"] = "9999-12-31", "9999-12-31T23:59:59+00:00"
    data = DAMAGED[kind] or json.dumps(raw).encode()
    resume.path_in(data_dir).write_bytes(data)
    return data


@pytest.mark.parametrize("kind", sorted(DAMAGED))
async def test_a_damaged_resume_file_is_set_aside_byte_for_byte_and_told_once(data_dir: Path, kind: str) -> None:
    data = _damaged(data_dir, kind)
    app = make_app(data_dir)
    async with app.run_test() as pilot:
        await saved(pilot)
        assert app.is_running and not isinstance(pilot.app.screen, ConfirmScreen)
        assert (data_dir / "current-session.json.unreadable").read_bytes() == data
        assert not resume.path_in(data_dir).exists()
        told = [n for n in app._notifications if "current-session.json" in n.message]
        assert len(told) == 1 and "\x1b" not in told[0].message


def test_any_bytes_as_a_resume_file_load_cleanly_or_give_a_one_line_error() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
    def check(data: bytes) -> None:
        try:
            found = resume.decode(data)
        except ValueError as error:
            assert "\n" not in str(error)
        else:
            assert isinstance(found, resume.Interrupted)

    check()


def test_a_snapshot_that_would_not_load_is_never_written(data_dir: Path) -> None:
    with pytest.raises(ValueError):
        resume.save(data_dir, "not-a-uuid", "daily", WALL, None, date(2025, 6, 18), {"index": "abc"})
    assert not resume.path_in(data_dir).exists()


@pytest.mark.parametrize("progress", ["saved", "refused", "refused once"])
async def test_a_session_not_saved_says_whether_it_is_kept_for_later(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, progress: str
) -> None:
    """A finished session the history refuses: "nothing is lost" only while its progress file
    is there for the next start; in a data folder that cannot be written at all, it says the
    session is not kept for later either (a user pass found the promise made regardless). A
    progress save that failed once and then worked counts as kept (the latest one decides)."""
    from tui.core.files import StorageWriteError

    real_save = resume.save
    calls: list[int] = []

    def flaky(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if progress == "refused" or len(calls) == 1:
            raise StorageWriteError("cannot write current-session.json: read-only file system")
        real_save(*args, **kwargs)  # type: ignore[arg-type]

    if progress != "saved":
        monkeypatch.setattr(resume, "save", flaky)
    store = _read_only_store(data_dir)
    request = SessionRequest(stretch_ids=("downward-dog",), hold_override=1, transition_override=0, autostart=True)
    app = make_app(data_dir, request, store=store)
    async with app.run_test() as pilot:
        screen = pilot.app.screen
        await wait_until(pilot, lambda: "Not saved yet" in str(screen.query_one("#intro", Static).render()))
        shown = str(screen.query_one("#intro", Static).render())
        kept = progress != "refused"
        assert ("Nothing is lost" in shown) == kept, shown
        assert ("not kept for later" in shown) == (not kept), shown
        if progress == "refused once":
            assert len(calls) >= 2  # refused, then saved at a later phase
        assert pilot.app.is_running
