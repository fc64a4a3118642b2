"""The Progress screen: weekly pain against days stretched, measurements over time, one sentence.

It draws from a :class:`~tui.core.progress_view.ProgressData` (plain data). Given a
``loader`` (the app passes :meth:`HistoryService.progress_data`), it reads that in
a worker thread when it opens and whenever the history changes, so reading the
check-ins never holds up a frame. The charts (and plotext) are imported only
here, and this module only when the screen first opens.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ..core.checkins import KINDS
from ..core.progress import progress_sentence, weekly_progress
from ..core.progress_view import WEEK_SPANS, ProgressData, next_span
from ..core.service import NotReady
from ..messages import HistoryChanged, ScreenShown
from ..widgets import text
from ..widgets.charts import MeasureChart, WeeklyChart
from ..widgets.key_bar import KeyBar
from ..widgets.title_bar import TitleBar
from .mode_screen import ModeScreen

HOW_TO_START = (
    "How to start: press s for a session (c shows the stretches); when it is done, "
    "rate your back pain from 0 to 10 (t is 10). To track flexibility, run "
    "`hamstring measure sit-and-reach CM` or `hamstring measure slr DEGREES --side left|right`. "
    "Your weeks and measurements appear here."
)
NO_MEASUREMENTS = (
    "No measurements yet: run `hamstring measure sit-and-reach CM` or "
    "`hamstring measure slr DEGREES --side left|right`."
)


class ProgressScreen(ModeScreen):
    """Weekly pain and days stretched over 4, 12 or 52 weeks, and the measurements."""

    CSS_PATH = "progress.tcss"
    # The stylesheet hides the charts under 20 rows (the app's breakpoints, set here too
    # so the screen behaves the same in any app).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [Binding("w", "weeks", "4/12/52 weeks")]

    def __init__(
        self,
        data: ProgressData | None = None,
        loader: Callable[[], ProgressData] | None = None,
        weeks: int = WEEK_SPANS[1],
    ) -> None:
        super().__init__()
        self.data = data
        self.loader = loader
        self.weeks = weeks if weeks in WEEK_SPANS else WEEK_SPANS[1]

    def compose(self) -> ComposeResult:
        yield TitleBar(text.GLYPHS.icon)
        with Vertical(id="progress-body"):
            yield Static(id="sentence", markup=False)
            yield Static(HOW_TO_START, id="how-to-start", markup=False)
            yield WeeklyChart(id="weekly")
            with Horizontal(id="measures"):
                for kind in KINDS:
                    yield MeasureChart(kind, id=kind)
            yield Static(NO_MEASUREMENTS, id="no-measures", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"hamstring{text.GLYPHS.sep}Progress"
        if self.data is not None:
            self.show_data(self.data)
        else:
            self._loading()
        self.load()
        self.post_message(ScreenShown("progress"))

    @on(HistoryChanged)
    def _history_changed(self) -> None:
        self.load()

    # -- data ------------------------------------------------------------------------
    def load(self) -> None:
        """Read the progress data again, in a worker thread (when the screen has a loader)."""
        if self.loader is not None:
            self.run_worker(self._read, thread=True, group="progress", exclusive=True, exit_on_error=False)

    def _read(self) -> None:
        from ..core.store import StoreError

        assert self.loader is not None
        try:
            data = self.loader()
        except NotReady:
            return  # the history is still loading: HistoryChanged comes when it is ready
        except (StoreError, OSError, ValueError) as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self.show_data, data)

    def _loading(self) -> None:
        self.set_class(True, "-loading")
        self.query_one("#sentence", Static).update(f"Loading your history{text.GLYPHS.ellipsis}")

    def _failed(self, error: str) -> None:
        self.notify(text.inert(error), title="Progress", severity="error", markup=False)

    def show_data(self, data: ProgressData) -> None:
        """Draw ``data``: the sentence, the weekly chart and the measurement charts."""
        self.data = data
        self.set_class(False, "-loading")
        self.set_class(data.empty, "-empty")
        sentence = progress_sentence(data.checkins, data.done_days, data.today)  # EMPTY_SENTENCE when none
        self.query_one("#sentence", Static).update(text.inert(sentence))
        self._draw_weeks()
        kinds = {m.kind for m in data.measurements}
        for kind in KINDS:
            chart = self.query_one(f"#{kind}", MeasureChart)
            chart.display = kind in kinds
            chart.show(data.measurements)
        self.set_class(not kinds, "-no-measures")

    def _draw_weeks(self) -> None:
        data = self.data
        if data is None:
            return
        weeks = weekly_progress(
            data.checkins, data.done_days, today=data.today, weeks=self.weeks, week_start=data.week_start
        )
        self.query_one(WeeklyChart).show(weeks)

    # -- keys ------------------------------------------------------------------------
    def action_weeks(self) -> None:
        """Show the next span: 4, 12 or 52 weeks."""
        self.weeks = next_span(self.weeks)
        self._draw_weeks()
