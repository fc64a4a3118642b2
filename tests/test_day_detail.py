"""The Calendar's day detail through Pilot (#16): delete a session (asks first), remove
the rest mark, and the day's check-ins and session notes shown as inert text."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from tests.helpers import make_read_only_history
from tui.app import HamstringApp
from tui.core.checkins import new_checkin
from tui.core.records import SessionRecord, StepRecord
from tui.core.store import HistoryStore
from tui.screens.calendar import CalendarScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.day_detail import DayDetail
from tui.widgets.calendar_grid import MonthGrid

TZ = timezone(timedelta(hours=2))
NOW = datetime(2025, 6, 18, 9, 0, tzinfo=TZ)
DAY = date(2025, 6, 17)
FIRST = "0b6e8a34-77a3-4a5e-9a4f-3c1f6f3b9d12"
SECOND = "1c7f9b45-88b4-4b6f-8b5a-4d2a7a4c0e23"


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


def session(session_id: str, hour: int, note: str | None = None) -> SessionRecord:
    start = datetime(2025, 6, 17, hour, 0, tzinfo=TZ)
    steps = (StepRecord("half-splits", "left", 30, False),)
    return SessionRecord(
        session_id, DAY, start, start + timedelta(seconds=40), "Europe/Berlin", 30, True, "timer", steps, note=note
    )


def make_app(data_dir: Path, store: HistoryStore) -> HamstringApp:
    return HamstringApp(data_dir=data_dir, store=store, start_mode="calendar", wall_clock=lambda: NOW)


async def settled(pilot) -> None:
    """Wait for the writes and the detail's reads to finish and the screens to show them."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_detail(pilot, day: date = DAY) -> DayDetail:
    pilot.app.screen.query_one(MonthGrid).selected = day
    await pilot.pause()
    await pilot.press("enter")
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DayDetail)
    return screen


async def test_d_deletes_the_highlighted_session_after_asking_and_leaves_a_tombstone(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.record_session(session(FIRST, 8))
    store.record_session(session(SECOND, 18))
    async with make_app(data_dir, store).run_test(size=(100, 40)) as pilot:
        detail = await open_detail(pilot)
        assert "08:00" in str(detail.body) and "18:00" in str(detail.body)
        await pilot.press("down", "d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        question = str(pilot.app.screen.query_one("#question", Static).render())
        assert "18:00 timer session (30 s · complete)" in question  # a held half-minute is not "0 min"
        await pilot.press("y")
        await settled(pilot)
        assert [s.id for s in store.sessions()] == [FIRST]
        assert SECOND in store.tombstones()
        assert pilot.app.screen is detail
        assert "18:00" not in str(detail.body) and "08:00" in str(detail.body)
        assert detail.query_one(OptionList).option_count == 1
        assert any(n.message == "Deleted 1 session" for n in pilot.app._notifications)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, CalendarScreen)
        assert "1 session" in str(pilot.app.screen.query_one("#day-line", Static).render())


async def test_answering_no_keeps_the_session(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.record_session(session(FIRST, 8))
    async with make_app(data_dir, store).run_test(size=(100, 40)) as pilot:
        await open_detail(pilot)
        await pilot.press("d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")
        await settled(pilot)
        assert isinstance(pilot.app.screen, DayDetail)
        assert [s.id for s in store.sessions()] == [FIRST] and store.tombstones() == {}


async def test_r_removes_the_rest_mark_from_the_detail(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.set_rest_day(DAY, True)
    async with make_app(data_dir, store).run_test(size=(100, 40)) as pilot:
        detail = await open_detail(pilot)
        assert "A planned rest day" in str(detail.body)
        await pilot.press("d")  # nothing to delete: said so, nothing asked
        assert pilot.app.screen is detail
        await pilot.press("r")
        await settled(pilot)
        assert store.rest_days() == set()
        assert store.tombstones()  # the mark's removal travels to the other computers
        assert "rest day" not in str(detail.body)
        await pilot.press("r")
        await settled(pilot)
        assert any("not a rest day" in n.message for n in pilot.app._notifications)


async def test_a_read_only_history_gives_a_notice_and_keeps_the_session(data_dir: Path) -> None:
    writable = HistoryStore.open(data_dir)
    writable.record_session(session(FIRST, 8))
    store = make_read_only_history(data_dir)
    app = make_app(data_dir, store)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_detail(pilot)
        await pilot.press("d", "y")
        await settled(pilot)
        assert app.is_running and isinstance(pilot.app.screen, DayDetail)
        assert [s.id for s in store.sessions()] == [FIRST]
        assert "Delete not saved" in [n.title for n in app._notifications]
        assert "08:00" in str(pilot.app.screen.body)


async def test_the_days_check_ins_and_session_notes_are_shown_as_inert_text(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir)
    store.record_session(session(FIRST, 8, note="[red]calves tight[/]"))
    store.add_checkin(new_checkin(DAY, 4, 6, "[b]sore[/] after the run", NOW, today=NOW.date()))
    async with make_app(data_dir, store).run_test(size=(100, 40)) as pilot:
        detail = await open_detail(pilot)
        body = str(detail.body)
        assert "[red]calves tight[/]" in body
        assert "pain 4/10" in body and "stiffness 6/10" in body and "[b]sore[/] after the run" in body
        notes = str(detail.query_one("#day-notes", Static).render())
        assert "[b]sore[/] after the run" in notes


async def test_c_gives_the_day_a_check_in_and_n_writes_a_session_note(data_dir: Path) -> None:
    from tui.screens.checkin import CheckInDialog
    from tui.screens.note import NoteDialog

    store = HistoryStore.open(data_dir)
    store.record_session(session(FIRST, 8))
    app = make_app(data_dir, store)
    async with app.run_test(size=(100, 40)) as pilot:
        detail = await open_detail(pilot)
        await pilot.press("c")
        assert isinstance(pilot.app.screen, CheckInDialog)
        await pilot.press("6", "enter")
        await settled(pilot)
        (checkin,) = store.checkins()
        assert checkin.date == DAY and checkin.pain == 6
        assert pilot.app.screen is detail and "pain 6/10" in str(detail.body)
        await pilot.press("n")
        assert isinstance(pilot.app.screen, NoteDialog)
        await pilot.press(*"[b]hips[/b] tight", "enter")
        await settled(pilot)
        (saved,) = store.sessions()
        assert saved.note == "[b]hips[/b] tight"
        assert "[b]hips[/b] tight" in str(detail.body)  # shown as the text it is
        await pilot.press("n")
        await pilot.press("escape")  # cancel: the note stays
        await settled(pilot)
        assert store.sessions()[0].note == "[b]hips[/b] tight"
