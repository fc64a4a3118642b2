"""Drawing the Session screen: the plan on the left, the stage (figure, countdown, steps) on the right.

:func:`redraw` updates only what changed since the last call: the countdown and
the progress every second, the words and the figure at a new phase or step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from ..core.timer import SessionTimer, plan_seconds
from ..widgets.countdown import Countdown
from ..widgets.figure import FigureView
from . import session_text as words
from .session_text import clock_text

if TYPE_CHECKING:
    from .session import SessionScreen

#: Under this terminal size the figure is hidden rather than squeezed (issue #13).
FIGURE_MIN_SIZE = (60, 20)


class StepList(OptionList, can_focus=False):
    """The plan, one line per hold, with the current step highlighted."""


def fill_steps(screen: SessionScreen) -> None:
    steps = screen.query_one(StepList)
    steps.clear_options()
    timer = screen.timer
    for number, step in enumerate(screen.plan, start=1):
        hold = timer.planned_hold(number - 1) if timer is not None and timer.plan == screen.plan else None
        steps.add_option(Option(words.step_line(number, step, hold)))
    steps.highlighted = 0 if screen.plan else None
    screen._holds_shown = tuple(timer.holds) if timer is not None else ()


def fit(screen: SessionScreen) -> None:
    """Hide the figure on a small terminal (called on every resize)."""
    width, height = screen.app.size
    screen.set_class(width < FIGURE_MIN_SIZE[0] or height < FIGURE_MIN_SIZE[1], "-no-figure")


def redraw(screen: SessionScreen) -> None:
    timer = screen.timer
    running = timer is not None and timer.running
    screen.set_class(timer is None and screen.summary is None, "-idle")
    screen.set_class(running, "-running")
    screen.set_class(screen.summary is not None, "-done")
    total = timer.total_seconds() if timer else float(plan_seconds(screen.plan))
    position = timer.position() if timer else 0.0
    paused = bool(timer and timer.paused)
    bell_on = screen.service.bell_on
    cycle = timer.cycle_state() if timer else None
    shown = (
        timer.index if timer else None,
        timer.phase if timer else None,
        timer.shown_seconds() if timer else None,
        tuple(timer.holds) if timer else None,
        (cycle.phase, cycle.rep) if cycle else None,
        int(position),
        int(total),
        paused,
        screen.summary,
        bell_on,
    )
    if shown == screen._shown:
        return
    screen._shown = shown
    screen.query_one(ProgressBar).update(total=max(total, 1), progress=position)
    # Fixed width in the stylesheet, so a new time needs a repaint but never a relayout.
    screen.query_one("#progress-text", Static).update(f"{clock_text(position)} / {clock_text(total)}", layout=False)
    steps = screen.query_one(StepList)
    if timer is not None and steps.option_count and steps.highlighted != timer.index:
        steps.highlighted = timer.index
    if timer is not None and tuple(timer.holds) != screen._holds_shown and steps.option_count == len(timer.holds):
        for index, (old, new) in enumerate(zip(screen._holds_shown or timer.holds, timer.holds, strict=False)):
            if old != new or not screen._holds_shown:
                steps.replace_option_prompt_at_index(index, words.step_line(index + 1, timer.plan[index], new))
        screen._holds_shown = tuple(timer.holds)
    intro = screen.query_one("#intro", Static)
    if screen.summary is not None:
        intro.update(screen.summary)
    elif timer is None:
        intro.update(words.intro(screen.routine_name, screen.plan, screen.routine_name == screen.default_routine))
    if running and timer is not None:
        _redraw_running(screen, timer, paused, bell_on)


def _redraw_running(screen: SessionScreen, timer: SessionTimer, paused: bool, bell_on: bool) -> None:
    """Update what changed: the digits every second, the words only on a new phase, hold or cycle."""
    screen.query_one(Countdown).update(clock_text(timer.shown_seconds()))
    cycle = timer.cycle_state()
    phase_words = (timer.index, timer.phase, paused, bell_on, timer.planned_hold(), cycle and (cycle.phase, cycle.rep))
    if phase_words == screen._words_shown:
        return
    new_step = screen._words_shown is None or screen._words_shown[0] != timer.index
    screen._words_shown = phase_words
    screen.query_one("#stretch-name", Static).update(words.stage_name(timer))
    phase = screen.query_one("#phase", Static)
    phase.update(words.stage_phase(timer, paused, bell_on))
    phase.set_class(timer.phase == "hold", "-hold")
    screen.query_one("#adjust", Static).update(words.adjust_line(timer))
    screen.query_one("#next-up", Static).update(words.next_up(timer))
    if new_step:
        screen.query_one("#how", Static).update(words.how_to(timer, screen.service.catalog))
        stretch = screen.service.catalog.get(timer.step.stretch)
        figure = screen.query_one(FigureView)
        figure.show_stretch(stretch)
        figure.side = "right" if timer.step.side == "right" else "left"
