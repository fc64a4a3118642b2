"""The Session screen: the guided timer.

The screen only renders :class:`tui.core.timer.SessionTimer` and forwards keys
to it. It wakes up when something shown changes (about once a second while
running, never while paused), rings the bell on phase changes and the last
three seconds of a hold, saves the running state at every phase change, and
asks the app to record the session at the end (:class:`SessionFinished`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Header, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from ..core import resume
from ..core.records import SessionRecord, new_session_id
from ..core.routines import DAILY, Routine, SessionRequest, resolve
from ..core.service import HistoryService
from ..core.timer import Countdown, Event, Finished, PhaseChanged, PlanStep, SessionTimer, build_plan, plan_seconds
from ..messages import HistoryChanged, ScreenShown, SessionFinished, SessionStarted, SettingChanged
from ..widgets import text
from ..widgets.key_bar import KeyBar
from . import session_text as words
from .session_text import clock_text

__all__ = ["SessionRequest", "SessionScreen", "clock_text"]


class StepList(OptionList, can_focus=False):
    """The plan, one line per hold, with the current step highlighted."""


class SessionScreen(Screen[None]):
    """Run a routine: get ready, hold, switch sides, done."""

    CSS_PATH = "session.tcss"
    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("n", "skip", "Next"),
        Binding("b", "back", "Back"),
        Binding("plus,equals_sign", "adjust(5)", "+5s", key_display="+"),
        Binding("minus", "adjust(-5)", "-5s", key_display="-"),
        Binding("m", "mute", "Mute"),
        Binding("r", "choose_routine", "Routine"),
        Binding("e", "edit_routines", "Edit routines"),
        Binding("escape", "abandon", "Abandon"),
    ]

    def __init__(
        self,
        service: HistoryService,
        request: SessionRequest,
        resume_pending: Callable[[], bool] = lambda: False,
        resume_checked: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__()
        self.service = service
        self.request = request
        self._resume_pending = resume_pending
        self._resume_checked = resume_checked
        self.timer: SessionTimer | None = None
        self.routine_name = DAILY
        self.plan: tuple[PlanStep, ...] = ()
        self.session_id = ""
        self.started_at: datetime | None = None
        self.session_day: date | None = None
        self.summary: Content | None = None
        self._tick_timer: Timer | None = None
        self._shown: tuple[object, ...] | None = None
        self._words_shown: tuple[object, ...] | None = None
        self._progress_told = False

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon=text.GLYPHS.icon)
        with Horizontal(id="session-body"):
            yield StepList(id="steps")
            with Vertical(id="stage"):
                yield Static(id="intro")
                yield Static(id="stretch-name")
                yield Static(id="phase")
                if text.GLYPHS.unicode:
                    yield Digits("0:00", id="countdown")
                else:  # Digits draws with box characters the output cannot encode
                    yield Static("0:00", id="countdown", classes="-ascii")
                yield Static(id="cues")
                yield Static(id="next-up")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(id="progress-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"hamstring{text.GLYPHS.sep}Session"
        if not text.GLYPHS.unicode:
            self.query_one(ProgressBar).display = False
        self.load_request(self.request)
        self.post_message(ScreenShown("session"))

    @on(HistoryChanged)
    def _history_changed(self) -> None:
        """The history, settings or routines changed (or first loaded): prepare again when idle."""
        if self.timer is None and self.summary is None:
            request = self.request
            if self._resume_pending():  # the interrupted session comes first
                request = replace(request, autostart=False)
            self.load_request(request)
        else:
            self._redraw()

    # -- preparing ---------------------------------------------------------------------
    def load_request(self, request: SessionRequest) -> None:
        """Prepare (and maybe start) a routine; ignored while a session runs."""
        if self.timer is not None and self.timer.running:
            self.notify("A session is running: finish or abandon it first (escape).", severity="warning")
            return
        self.request = request
        self.timer = None
        self.summary = None
        settings = self.service.effective()
        catalog = self.service.catalog
        if request.stretch_ids:
            routine = Routine("this stretch" if len(request.stretch_ids) == 1 else "custom", ())
            items = [(s, s.hold_s) for s in (catalog.get(i) for i in request.stretch_ids) if s is not None]
            if request.hold_override:
                items = [(s, request.hold_override) for s, _ in items]
            elif settings["hold"]:
                items = [(s, settings["hold"]) for s, _ in items]
        else:
            routines = self.service.routines()
            routine = routines.get(request.routine) or routines[DAILY]
            items = resolve(routine, catalog, request.hold_override, settings["hold"])
        transition = request.transition_override if request.transition_override is not None else settings["transition"]
        self.routine_name = routine.name
        self.plan = build_plan(items, transition, transition)
        self._fill_steps()
        self._redraw()
        if request.autostart and self._resume_checked() and not self._resume_pending():
            self.action_start()  # otherwise it starts once the history (settings, an interrupted session) is known

    def _fill_steps(self) -> None:
        steps = self.query_one(StepList)
        steps.clear_options()
        for number, step in enumerate(self.plan, start=1):
            steps.add_option(Option(words.step_line(number, step)))
        steps.highlighted = 0 if self.plan else None

    # -- running ----------------------------------------------------------------------
    def action_start(self) -> None:
        if self.timer is not None and self.timer.running:
            return
        if not self.plan:
            self.notify("This routine has no stretches: press e to edit it.", severity="warning")
            return
        if self.summary is not None:  # start again after a finished session
            self.load_request(replace(self.request, autostart=False))
        if not self.service.begin_session():
            self.notify(
                "Another hamstring is running a session: this one is saved when it ends, not as it goes.",
                severity="warning",
                timeout=8,
            )
        self.timer = SessionTimer(self.plan, self.service.monotonic)
        self.session_id = new_session_id()
        self.started_at = self.service.wall_clock()
        self.session_day = self.service.day_of(self.started_at)
        self._handle(self.timer.start())
        self._save_snapshot()
        self.refresh_bindings()
        self.post_message(SessionStarted())

    def resume_interrupted(self, interrupted: resume.Interrupted) -> None:
        """Continue a session that was running when hamstring stopped (paused)."""
        self.timer = self.service.restore_timer(interrupted)
        self.plan = self.timer.plan
        self.routine_name = interrupted.routine
        self.session_id = interrupted.session_id
        self.started_at = interrupted.started_at
        self.session_day = interrupted.day
        self.summary = None
        self._fill_steps()
        self._redraw()
        self.refresh_bindings()
        self.notify("Resumed where you stopped: press space to continue.", title="Session")

    def _tick(self) -> None:
        self._tick_timer = None
        if self.timer is not None:
            self._handle(self.timer.update())

    def _handle(self, events: list[Event]) -> None:
        """React to what the timer did, redraw, and schedule the next wake-up."""
        for event in events:
            if isinstance(event, PhaseChanged):
                self._cue()
                if event.phase != "done":
                    self._save_snapshot()
            elif isinstance(event, Countdown):
                self._cue()
            elif isinstance(event, Finished):
                self._finished()
        self._redraw()
        self._schedule()

    def _schedule(self) -> None:
        if self._tick_timer is not None:
            self._tick_timer.stop()
            self._tick_timer = None
        if self.timer is None:
            return
        delay = self.timer.next_change_in()
        if delay is not None:
            self._tick_timer = self.set_timer(delay + 0.01, self._tick)

    def _cue(self) -> None:
        if self.service.bell_on:
            self.app.bell()

    def _save_snapshot(self) -> None:
        if self.timer is None or self.started_at is None or self.session_day is None:
            return
        try:
            self.service.save_progress(
                self.session_id, self.routine_name, self.started_at, self.session_day, self.timer.snapshot()
            )
        except (OSError, ValueError) as error:
            if not self._progress_told:  # once a session: it would repeat at every phase
                self._progress_told = True
                self.notify(
                    f"Could not save the session's progress: {text.inert(error)}", severity="warning", markup=False
                )

    # -- keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.timer is not None and self.timer.running
        if action in ("pause", "skip", "back", "adjust", "abandon"):
            return running
        if action in ("start", "choose_routine", "edit_routines"):
            return not running
        return True

    def action_pause(self) -> None:
        if self.timer is None:
            return
        paused = self.timer.toggle_pause()
        self._save_snapshot()
        self._handle([])
        self.sub_title = "paused" if paused else ""

    def action_skip(self) -> None:
        if self.timer is not None:
            self._handle(self.timer.skip())

    def action_back(self) -> None:
        if self.timer is not None:
            self._handle(self.timer.back())

    def action_adjust(self, delta: int) -> None:
        if self.timer is not None:
            self._handle(self.timer.adjust(delta))

    def action_mute(self) -> None:
        """Mute or unmute the cues: at once in memory (the next cue obeys it), then saved by the app."""
        value = "off" if self.service.bell_on else "on"
        self.service.note_setting("bell", value)
        self.post_message(SettingChanged("bell", value))
        self.notify("Cues muted." if value == "off" else "Cues on.", timeout=2)
        self._redraw()

    def action_abandon(self) -> None:
        if self.timer is None or not self.timer.running:
            return
        from .confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.timer is not None and self.timer.running:
                self._handle(self.timer.abandon())

        self.app.push_screen(
            ConfirmScreen(
                "Abandon this session? What you held so far is kept, but the day does not count.",
                "Abandon",
                "Keep going",
                "Abandon session",
            ),
            answered,
        )

    def action_choose_routine(self) -> None:
        from .routines import RoutinePicker

        def picked(name: str | None) -> None:
            if name:
                self.load_request(SessionRequest(routine=name))

        self.app.push_screen(RoutinePicker(self.service.routines(), self.routine_name, self.service.catalog), picked)

    def action_edit_routines(self) -> None:
        from .routines import RoutineEditor

        def closed(_: object) -> None:
            routines = self.service.routines()
            self.load_request(SessionRequest(routine=self.routine_name if self.routine_name in routines else DAILY))

        self.app.push_screen(RoutineEditor(self.service), closed)

    # -- the end ------------------------------------------------------------------------
    def _finished(self) -> None:
        assert self.timer is not None and self.started_at is not None and self.session_day is not None
        steps = self.timer.step_records()
        self._save_snapshot()  # the finished state, until the history has it
        self.refresh_bindings()
        record = self.service.timed_record(
            self.session_id, self.session_day, self.started_at, steps, self.timer.finished_complete
        )
        self.summary = Content.from_markup(f"[b]Saving{text.GLYPHS.ellipsis}[/]")
        self.post_message(SessionFinished(record))

    def session_saved(self, record: SessionRecord, others_count: bool) -> None:
        """The app saved the session: show the summary."""
        if record.id != self.session_id:
            return
        self.summary = words.summary(record, self.service.digest, self.service.today(), others_count)
        if record.complete:
            self.notify("Session complete. Well done!", title="hamstring")
        else:
            self.notify("Session abandoned; what you held is saved.", title="hamstring")
        self._redraw()
        self.refresh_bindings()

    def session_not_saved(self, record: SessionRecord, error: str) -> None:
        """The save failed (the app told why): keep the snapshot and try again in 10 s."""
        if record.id != self.session_id:
            return
        self.summary = words.not_saved(error)
        self._redraw()
        self.set_timer(10, lambda: self.post_message(SessionFinished(record)))

    # -- drawing --------------------------------------------------------------------------
    def _redraw(self) -> None:
        timer = self.timer
        running = timer is not None and timer.running
        self.set_class(timer is None and self.summary is None, "-idle")
        self.set_class(running, "-running")
        self.set_class(self.summary is not None, "-done")
        total = timer.total_seconds() if timer else float(plan_seconds(self.plan))
        position = timer.position() if timer else 0.0
        paused = bool(timer and timer.paused)
        bell_on = self.service.bell_on
        shown = (
            timer.index if timer else None,
            timer.phase if timer else None,
            timer.shown_seconds() if timer else None,
            int(position),
            int(total),
            paused,
            self.summary,
            bell_on,
        )
        if shown == self._shown:
            return
        self._shown = shown
        progress = self.query_one(ProgressBar)
        progress.update(total=max(total, 1), progress=position)
        # Fixed width in the stylesheet, so a new time needs a repaint but never a relayout.
        self.query_one("#progress-text", Static).update(f"{clock_text(position)} / {clock_text(total)}", layout=False)
        steps = self.query_one(StepList)
        if timer is not None and steps.option_count and steps.highlighted != timer.index:
            steps.highlighted = timer.index
        if self.summary is not None:
            self.query_one("#intro", Static).update(self.summary)
        elif timer is None:
            self.query_one("#intro", Static).update(words.intro(self.routine_name, self.plan))
        if running and timer is not None:
            self._redraw_running(timer, paused, bell_on)

    def _redraw_running(self, timer: SessionTimer, paused: bool, bell_on: bool) -> None:
        """Update what changed: the digits every second, the words only on a new phase."""
        countdown = self.query_one("#countdown")
        if isinstance(countdown, Digits | Static):
            countdown.update(clock_text(timer.shown_seconds()))
        phase_words = (timer.index, timer.phase, paused, bell_on)
        if phase_words == self._words_shown:
            return
        self._words_shown = phase_words
        self.query_one("#stretch-name", Static).update(words.stage_name(timer))
        phase = self.query_one("#phase", Static)
        phase.update(words.stage_phase(timer, paused, bell_on))
        phase.set_class(timer.phase == "hold", "-hold")
        self.query_one("#cues", Static).update(words.stage_cues(timer, self.service.catalog))
        self.query_one("#next-up", Static).update(words.next_up(timer))
