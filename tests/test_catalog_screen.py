"""The Catalog's card: its figure, where it sits at each size, the cautions in view, the list's wording."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import FIXED_TODAY
from tests.helpers import builtin_catalog_dict
from tui.app import HamstringApp
from tui.core.catalog import builtin_catalog
from tui.core.figures import render_figure
from tui.core.store import HistoryStore
from tui.screens.help import HelpScreen
from tui.widgets.figure import FigureView
from tui.widgets.stretch_detail import StretchDetail
from tui.widgets.stretch_list import StretchList

CATALOG = builtin_catalog()


@pytest.fixture(autouse=True)
def unicode_symbols(monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.widgets import text

    monkeypatch.setattr(text, "GLYPHS", text.UNICODE)


def make_app(data_dir: Path) -> HamstringApp:
    return HamstringApp(data_dir=data_dir, store=HistoryStore.open(data_dir), today=lambda: FIXED_TODAY)


def list_lines(stretches: StretchList) -> list[str]:
    return ["".join(segment.text for segment in stretches.render_line(y)) for y in range(stretches.size.height)]


def write_user_catalog(config_dir: Path, *stretches: dict) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "stretches.json").write_text(json.dumps({"version": 1, "stretches": list(stretches)}))


async def test_the_list_says_each_leg_or_both_legs(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(100, 30)) as pilot:
        lines = list_lines(pilot.app.screen.query_one(StretchList))
        shown = "\n".join(lines)
        assert "sided" not in shown
        for stretch in CATALOG:
            wording = f"{'each leg' if stretch.sides == 'each' else 'both legs'} · {stretch.hold_s} s"
            assert any(line.strip().startswith(wording) for line in lines), wording
        assert "each leg · 30 s · strap or towel" in shown and "both legs · 45 s · 2 yoga blocks" in shown


async def test_the_card_says_each_leg_or_both_legs(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(100, 30)) as pilot:
        detail = pilot.app.screen.query_one(StretchDetail)
        assert "each leg · hold 30 s" in detail.plain
        await pilot.press("down")
        assert "both legs · hold 45 s" in detail.plain


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (160, 50)])
async def test_the_card_shows_the_figure_above_the_steps(data_dir: Path, size: tuple[int, int]) -> None:
    async with make_app(data_dir).run_test(size=size) as pilot:
        screen = pilot.app.screen
        stretches = screen.query_one(StretchList)
        for index, stretch in enumerate(CATALOG):
            stretches.highlighted = index
            await pilot.pause()
            view = screen.query_one("#detail-figure", FigureView)
            assert view.figure == stretch.figure and view.side == "left"
            assert view.display and view.size.height >= 6
            body = screen.query_one("#detail-body", Static)
            assert view.region.bottom <= body.region.y  # above the summary and the steps
            cols, rows = view.content_size
            drawn = render_figure(stretch.figure, "left", cols, rows)  # type: ignore[arg-type]
            assert ["".join(s.text for s in view.render_line(y)) for y in range(rows)] == list(drawn.lines)


async def test_the_figure_is_above_the_facts_on_80_columns_and_beside_them_on_160(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(80, 24)) as pilot:
        view, head = pilot.app.screen.query_one(FigureView), pilot.app.screen.query_one("#detail-head", Static)
        assert view.region.bottom <= head.region.y
    async with make_app(data_dir).run_test(size=(160, 50)) as pilot:
        view, head = pilot.app.screen.query_one(FigureView), pilot.app.screen.query_one("#detail-head", Static)
        assert view.region.right <= head.region.x and view.region.y == head.region.y
        assert view.size.height >= 12


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_cautions_show_without_scrolling(data_dir: Path, size: tuple[int, int]) -> None:
    """Issue 17.5: "Take care" was below the fold at 100x30 and 80x24."""
    async with make_app(data_dir).run_test(size=size) as pilot:
        screen = pilot.app.screen
        stretches = screen.query_one(StretchList)
        pane = screen.query_one("#detail-pane")
        for index, stretch in enumerate(CATALOG):
            stretches.highlighted = index
            await pilot.pause()
            head = screen.query_one("#detail-head", Static)
            text = str(head.render())
            assert "Take care" in text and text.rstrip().endswith(stretch.cautions[-1])
            assert pane.scroll_y == 0
            assert head.region.y >= pane.region.y and head.region.bottom <= pane.region.bottom, stretch.id


async def test_pagedown_and_pageup_scroll_the_card_and_help_lists_them(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(80, 24)) as pilot:
        pane = pilot.app.screen.query_one("#detail-pane")
        assert isinstance(pilot.app.focused, StretchList)
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_y > 0
        assert pilot.app.screen.query_one(StretchList).highlighted == 0  # the list stays where it was
        await pilot.press("pageup")
        await pilot.pause()
        assert pane.scroll_y == 0
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        help_text = str(pilot.app.screen.query_one("#help-text", Static).render())
        assert "Scroll the card down" in help_text and "Scroll the card up" in help_text


async def test_a_narrow_terminal_keeps_the_figure_small(data_dir: Path) -> None:
    """The card sits under the list at 60 columns: a tall figure there would push the cautions out of view."""
    async with make_app(data_dir).run_test(size=(60, 30)) as pilot:
        screen = pilot.app.screen
        view, head = screen.query_one(FigureView), screen.query_one("#detail-head", Static)
        assert view.display and view.size.height == 6
        assert head.region.bottom <= screen.query_one("#detail-pane").region.bottom


async def test_a_short_terminal_hides_the_figure(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(40, 12)) as pilot:
        view = pilot.app.screen.query_one(FigureView)
        assert view.figure is not None and not view.display
        assert "Reclined Strap Stretch" in pilot.app.screen.query_one(StretchDetail).plain


async def test_a_broken_figure_is_told_and_the_stretch_shows_without_it(config_dir: Path, data_dir: Path) -> None:
    mine = copy.deepcopy(builtin_catalog_dict()["stretches"][2])
    mine.update(id="my-splits", name="My Splits")
    mine["figure"]["joints"]["knee_w"] = [1.5, 0.2]
    write_user_catalog(config_dir, mine)
    app = make_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        told = [m for m in messages if "my-splits" in m]
        assert len(told) == 1
        assert str(config_dir / "stretches.json") in told[0] and "figure.joints.knee_w x" in told[0]
        stretches = pilot.app.screen.query_one(StretchList)
        assert stretches.ids[-1] == "my-splits"
        await pilot.press("end")
        await pilot.pause()
        view = pilot.app.screen.query_one(FigureView)
        assert view.figure is None and not view.display
        assert "My Splits" in pilot.app.screen.query_one(StretchDetail).plain
        await pilot.press("home")  # a built-in stretch after it shows its figure again
        await pilot.pause()
        assert view.figure == CATALOG.stretches[0].figure and view.display


async def test_a_user_stretch_without_a_figure_shows_no_empty_box(config_dir: Path, data_dir: Path) -> None:
    plain = dict(builtin_catalog_dict()["stretches"][0], id="no-figure", name="No Figure")
    del plain["figure"]
    write_user_catalog(config_dir, plain)
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not [n for n in app._notifications if "no-figure" in n.message]
        await pilot.press("end")
        await pilot.pause()
        view = pilot.app.screen.query_one(FigureView)
        assert view.figure is None and not view.display
        head = pilot.app.screen.query_one("#detail-head", Static)
        assert head.region.y == pilot.app.screen.query_one("#detail-pane").region.y


async def test_no_match_empties_the_card(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        detail = pilot.app.screen.query_one(StretchDetail)
        assert detail.plain == "No stretch selected."
        assert not pilot.app.screen.query_one(FigureView).display


def drawn_words(part: Static) -> list[str]:
    """The words of a part of the card as drawn in its region (a line cut off is missing here)."""
    return " ".join("".join(s.text for s in part.render_line(y)) for y in range(part.size.height)).split()


async def test_the_wide_card_has_the_figure_beside_the_head_and_the_how_to_under_both(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(160, 50)) as pilot:
        screen = pilot.app.screen
        stretches = screen.query_one(StretchList)
        view = screen.query_one(FigureView)
        head, body = screen.query_one("#detail-head", Static), screen.query_one("#detail-body", Static)
        for index, stretch in enumerate(CATALOG):
            stretches.highlighted = index
            await pilot.pause()
            assert view.display and view.region.y == head.region.y, stretch.id
            assert head.region.x >= view.region.right and head.region.x > view.region.x + 40, stretch.id
            assert body.region.y >= max(view.region.bottom, head.region.bottom), stretch.id
            assert body.region.x == view.region.x and body.region.right == head.region.right, stretch.id


async def test_a_short_wide_terminal_gives_the_head_the_whole_width(data_dir: Path) -> None:
    async with make_app(data_dir).run_test(size=(150, 16)) as pilot:
        screen = pilot.app.screen
        assert screen.has_class("-xwide", "-short")
        view, pane = screen.query_one(FigureView), screen.query_one("#detail-pane")
        head, body = screen.query_one("#detail-head", Static), screen.query_one("#detail-body", Static)
        assert view.figure is not None and not view.display
        assert head.region.y == pane.region.y and head.region.x == body.region.x
        assert head.region.width == body.region.width > 90
        assert drawn_words(head) == str(head.render()).split()


async def test_a_stretch_without_a_figure_gives_the_wide_head_the_whole_width(config_dir: Path, data_dir: Path) -> None:
    plain = dict(builtin_catalog_dict()["stretches"][0], id="no-figure", name="No Figure")
    del plain["figure"]
    write_user_catalog(config_dir, plain)
    async with make_app(data_dir).run_test(size=(160, 50)) as pilot:
        screen = pilot.app.screen
        view, pane = screen.query_one(FigureView), screen.query_one("#detail-pane")
        head, body = screen.query_one("#detail-head", Static), screen.query_one("#detail-body", Static)
        await pilot.press("end")
        await pilot.pause()
        assert "No Figure" in screen.query_one(StretchDetail).plain and not view.display
        assert head.region.y == pane.region.y and head.region.x == body.region.x
        assert head.region.width == body.region.width > 90
        await pilot.press("home")  # a stretch with a figure: beside the head again
        await pilot.pause()
        assert view.display and view.region.y == head.region.y and head.region.x >= view.region.right


@pytest.mark.parametrize("size", [(80, 24), (160, 50), (40, 12)])
async def test_the_filter_box_sits_under_the_title_and_escape_puts_it_away(
    data_dir: Path, size: tuple[int, int]
) -> None:
    from textual.geometry import Region
    from textual.widgets import Input

    from tui.widgets.title_bar import TitleBar

    width, height = size
    async with make_app(data_dir).run_test(size=size) as pilot:
        screen = pilot.app.screen
        stretches, pane = screen.query_one(StretchList), screen.query_one("#detail-pane")
        bar = screen.query_one(TitleBar)

        def tops() -> tuple[int, int]:
            return stretches.region.y, pane.region.y

        before = tops()
        assert stretches.region.y == 1
        await pilot.press("slash", *"blocks")
        await pilot.pause()
        box = screen.query_one("#filter", Input)
        assert pilot.app.focused is box
        assert box.region == Region(0, 1, width, 1)  # under the title, across the screen
        assert bar.region == Region(0, 0, width, 1) and "hamstring · Catalog" in "".join(
            s.text for s in bar.render_lines(Region(0, 0, width, 1))[0]
        )
        if width >= 70:  # the list and the card move down one row
            assert tops() == (before[0] + 1, before[1] + 1)
        else:  # the list moves down one row, the card under it keeps its place or moves down
            assert tops()[0] == before[0] + 1 and tops()[1] >= before[1]
        assert stretches.region.bottom <= height - 1 and pane.region.bottom <= height - 1  # above the key bar

        await pilot.press("tab")  # from the box to the list
        assert pilot.app.focused is stretches
        await pilot.press("shift+tab")
        assert pilot.app.focused is box

        await pilot.press("escape")
        await pilot.pause()
        assert not box.display and pilot.app.focused is stretches
        assert tops() == before and len(stretches.ids) == len(CATALOG)


@pytest.mark.parametrize("size", [(140, 30), (160, 50), (200, 60)])
async def test_the_wide_cards_head_and_how_to_show_their_last_line(data_dir: Path, size: tuple[int, int]) -> None:
    """The grid sized each part for a line one column wider than the part draws: a text that
    wrapped once more lost its last line (at 160x50 the first stretch's last caution ended "down the")."""
    async with make_app(data_dir).run_test(size=size) as pilot:
        screen = pilot.app.screen
        stretches = screen.query_one(StretchList)
        for index, stretch in enumerate(CATALOG):
            stretches.highlighted = index
            await pilot.pause()
            for part in screen.query_one(StretchDetail).query(Static).results(Static):
                assert drawn_words(part) == str(part.render()).split(), (stretch.id, part.id)


async def test_a_word_typed_at_once_with_the_slash_goes_to_the_filter_box(data_dir: Path) -> None:
    """Keys that come in one read ("/" and a word typed fast, pasted, sent by tmux) went to the
    list, which still had the focus: lost, or the word's "h" opened the Calendar."""
    from textual import events
    from textual.widgets import Input

    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        stretches = screen.query_one(StretchList)
        for word in ("hams", "strap"):  # the box mounted by the first "/", then there already
            for key, character in [("slash", "/"), *((c, c) for c in word)]:
                app.post_message(events.Key(key, character))
            await pilot.pause()
            await pilot.pause()
            assert app.screen is screen, word
            box = screen.query_one("#filter", Input)
            assert app.focused is box and box.value == word
            await pilot.press("escape")
            assert app.focused is stretches and box.value == ""
        await pilot.press("slash", "a", "slash", "b")  # in the box, "/" is typed
        assert screen.query_one("#filter", Input).value == "a/b"


@pytest.mark.parametrize(("size", "keys"), [((40, 12), ["end"]), ((150, 16), ["slash", "tab"])])
async def test_a_list_line_cut_by_the_scrollbar_ends_in_an_ellipsis(
    data_dir: Path, size: tuple[int, int], keys: list[str]
) -> None:
    """The lines were cut to the list's width with the scrollbar's columns, which then covered
    their end: "2 yoga blocks (optional)" and no sign of the "mat or cushion" after it."""
    from tui.widgets.stretch_list import facts_line

    async with make_app(data_dir).run_test(size=size) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        stretches = pilot.app.screen.query_one(StretchList)
        assert stretches.show_vertical_scrollbar
        room = stretches.scrollable_size.width
        full = [f" {text}" for stretch in stretches.stretches for text in (stretch.name, facts_line(stretch))]
        for y in range(stretches.size.height):
            line = "".join(s.text for s in stretches.render_line(y))
            shown = line[:room].rstrip()  # the scrollbar's columns are drawn over the rest
            whole = full[y + int(stretches.scroll_y)]
            assert shown == whole or (shown.endswith("…") and whole.startswith(shown[:-1])), (shown, whole)
        assert any(
            line.endswith("…")
            for line in (
                "".join(s.text for s in stretches.render_line(y))[:room].rstrip() for y in range(stretches.size.height)
            )
        )


async def test_the_key_bar_offers_escape_while_there_is_a_filter(data_dir: Path) -> None:
    """In the filter box the list's and screen's letter keys are typed, so the bar showed only
    the palette: it says how to get out, and keeps saying it while the typed filter holds."""
    from tui.widgets.key_bar import KeyBar

    async with make_app(data_dir).run_test(size=(100, 24)) as pilot:
        screen = pilot.app.screen
        bar = screen.query_one(KeyBar)
        assert "Clear filter" not in bar.plain
        await pilot.press("slash", *"hip")
        await pilot.pause()
        assert "esc Clear filter" in bar.plain
        await pilot.press("enter")  # back to the list, still filtered
        await pilot.pause()
        assert screen.focused is screen.query_one(StretchList)
        assert "esc Clear filter" in bar.plain
        await pilot.press("escape")
        await pilot.pause()
        assert "Clear filter" not in bar.plain
        assert len(screen.query_one(StretchList).stretches) == len(builtin_catalog())
