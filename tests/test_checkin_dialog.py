"""The check-in dialog through Pilot: pain in one key, stiffness, the note, enter and escape; and saving it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, Static

from tests.conftest import FIXED_TODAY
from tui import messages
from tui.app import HamstringApp
from tui.core.checkins import NOTE_MAX, CheckIn
from tui.core.progress_view import CheckInAnswer
from tui.core.store import HistoryStore
from tui.screens.checkin import CheckInDialog, score_row

NOT_ANSWERED = object()


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


class Host(App[None]):
    """Pushes the dialog and keeps what it answered."""

    def __init__(self) -> None:
        super().__init__()
        self.answer: Any = NOT_ANSWERED

    def on_mount(self) -> None:
        self.push_screen(CheckInDialog(), self._answered)

    def _answered(self, answer: CheckInAnswer | None) -> None:
        self.answer = answer


def line(app: App[None], selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.mark.parametrize(("key", "pain"), [("0", 0), ("4", 4), ("9", 9), ("t", 10)])
async def test_one_key_then_enter(key: str, pain: int) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        assert line(app, "#pain-line") == f"Back pain  {pain}"
        assert app.answer is NOT_ANSWERED
        await pilot.press("enter")
        assert app.answer == CheckInAnswer(pain, None, None)


async def test_a_later_key_changes_the_pain() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7", "3", "enter")
        assert app.answer == CheckInAnswer(3)


async def test_stiffness_is_s_then_a_number() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "s")
        assert "choose 0 to 10" in line(app, "#stiffness-line")
        await pilot.press("t")
        assert line(app, "#stiffness-line") == "Stiffness  10"
        assert line(app, "#pain-line") == "Back pain  5"  # the number went to stiffness only
        await pilot.press("enter")
        assert app.answer == CheckInAnswer(5, 10, None)


async def test_backspace_clears_the_stiffness() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "s", "6", "s", "backspace", "enter")
        assert app.answer == CheckInAnswer(2, None, None)


async def test_the_note_is_typed_after_tab_and_enter_saves_it() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "tab", *"left 5 tight", "enter")
        assert app.answer == CheckInAnswer(3, None, "left 5 tight")  # digits in the note stay in the note


async def test_escape_skips() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6", "escape")
        assert app.answer is None


async def test_escape_in_the_note_leaves_it_first() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", *"calm", "escape")
        assert app.answer is NOT_ANSWERED and app.screen.focused is None
        await pilot.press("1", "enter")
        assert app.answer == CheckInAnswer(1, None, "calm")


async def test_enter_without_a_pain_asks_for_one() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert app.answer is NOT_ANSWERED
        assert line(app, "#error") == "Choose the back pain first: 0 to 9, or t for 10."
        assert app.screen.query_one("#error").display
        await pilot.press("8")
        assert not app.screen.has_class("-error")


async def test_a_note_with_a_control_character_is_refused() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        app.screen.query_one(Input).value = "ok\u202eevil"
        await pilot.pause()
        await pilot.press("enter")
        assert app.answer is NOT_ANSWERED
        assert "control characters" in line(app, "#error")


async def test_a_note_over_500_characters_is_said_and_refused_not_cut() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "tab", *"xxx")
        note = app.screen.query_one(Input)
        note.insert_text_at_cursor("y" * (NOTE_MAX - 2))  # as a paste would
        await pilot.pause()
        assert note.value == "xxx" + "y" * (NOTE_MAX - 2)
        assert line(app, "#error") == f"note must be at most {NOTE_MAX} characters, not {NOTE_MAX + 1}"
        await pilot.press("enter")
        assert app.answer is NOT_ANSWERED
        await pilot.press("backspace", "enter")
        assert app.answer == CheckInAnswer(4, None, "xxx" + "y" * (NOTE_MAX - 3))


async def test_fits_at_40x12() -> None:
    app = Host()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("Vertical")
        assert box.region.right <= 40 and box.region.bottom <= 12
        assert app.screen.query_one("#scores").region.width >= 33  # all eleven numbers


def test_score_row_marks_the_chosen_number() -> None:
    row = score_row(10, True)
    assert row.plain == "".join(f"{n:>2} " for n in range(11))
    marked = [span for span in row.spans if "reverse" in str(span.style)]
    assert [row.plain[span.start : span.end] for span in marked] == ["10 "]


def test_answers_are_checked() -> None:
    with pytest.raises(ValueError, match="pain must be from 0 to 10"):
        CheckInAnswer(11)
    with pytest.raises(ValueError, match="stiffness"):
        CheckInAnswer(1, -1)
    with pytest.raises(ValueError, match="pain"):
        CheckInAnswer(True)
    assert CheckInAnswer(1, None, "  ").note is None


# -- saving it through the app ---------------------------------------------------------------
class StoreTakingCheckins(HistoryStore):
    """A store with the schema-3 writer, recording what it was given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.added: list[CheckIn] = []

    def add_checkin(self, checkin: CheckIn) -> None:
        self.added.append(checkin)


async def test_the_app_saves_a_check_in_given(data_dir: Path) -> None:
    store = StoreTakingCheckins.open(data_dir)
    moment = datetime(2025, 6, 18, 21, 30, tzinfo=UTC)
    app = HamstringApp(data_dir=data_dir, store=store, today=lambda: FIXED_TODAY, wall_clock=lambda: moment)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(messages.CheckInGiven(FIXED_TODAY, CheckInAnswer(3, 2, "fine")))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [(c.date, c.pain, c.stiffness, c.note, c.recorded_at) for c in store.added] == [
            (FIXED_TODAY, 3, 2, "fine", moment)
        ]
        app.post_message(messages.CheckInGiven(date(2025, 6, 19), CheckInAnswer(3)))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(store.added) == 1  # a day ahead is refused, in a notice
        assert any("must not be in the future" in str(n.message) for n in app._notifications)
