"""The Session screen: the guided timer.

The screen only renders :class:`tui.core.timer.SessionTimer` and forwards keys
to it. It wakes up when something shown changes (about once a second while
running, never while paused), gives each cue (spoken or rung, see
:mod:`.session_sound`), saves the running state at every phase change, pauses
while a dialog is open, and asks the app to record the session at the end
(:class:`SessionFinished`) when :func:`tui.core.routines.judge` keeps it.
Drawing is in :mod:`.session_stage`, the words in :mod:`.session_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from ..core import resume
from ..core.records import new_session_id
from ..core.routines import DAILY, KEEP_MIN_HELD_S, Routine, SessionRequest, Verdict, resolve, routine_plan
from ..core.service import HistoryService
from ..core.speech import cue_text
from ..core.timer import Countdown, CycleChanged, Event, Finished, PhaseChanged, PlanStep, SessionTimer
from ..messages import HistoryChanged, ScreenShown, SessionLeftBehind, SessionProgress, SessionStarted, SettingChanged
from ..widgets import text
from ..widgets.countdown import Countdown as BigCountdown
from ..widgets.figure import FigureView
from ..widgets.key_bar import KeyBar
from ..widgets.title_bar import TitleBar
from . import session_stage as stage
from .session_end import SessionEnd
from .session_sound import SessionSound
from .session_stage import StepList
from .session_text import clock_text

__all__ = ["SessionRequest", "SessionScreen", "StepList", "clock_text"]


class SessionScreen(SessionEnd):
    """Run a routine: get ready, hold, switch sides, done."""

    CSS_PATH = "session.tcss"
    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),
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
        self._holds_shown: tuple[float, ...] = ()
        self._dialog_paused = False
        self._quit_after_save = False
        self.verdict: Verdict | None = None
        self.sound = SessionSound(self, service)

    @property
    def default_routine(self) -> str:
        return self.service.default_routine()

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TitleBar(text.GLYPHS.icon)
        with Horizontal(id="session-body"):
            yield StepList(id="steps")
            with Vertical(id="stage"):
                yield Static(id="intro")
                yield Static(id="stretch-name")
                yield Static(id="phase")
                with Horizontal(id="big"):
                    yield FigureView(id="figure")
                    yield BigCountdown("0:00", id="countdown")
                yield Static(id="adjust")
                yield Static(id="how")
                yield Static(id="next-up")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(id="progress-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = f"hamstring{text.GLYPHS.sep}Session"
        if not text.GLYPHS.unicode:
            self.query_one(ProgressBar).display = False
        stage.fit(self)
        self.load_request(self.request)
        self.post_message(ScreenShown("session"))

    def on_resize(self, event: events.Resize) -> None:
        stage.fit(self)

    def on_unmount(self) -> None:
        self.sound.close()

    def on_screen_suspend(self) -> None:
        """A dialog over a running session pauses it (a switch to another screen does not)."""
        timer = self.timer
        if timer is not None and timer.running and not timer.paused and isinstance(self.app.screen, ModalScreen):
            self._dialog_paused = True
            self._set_paused(True)

    def on_screen_resume(self) -> None:
        if self._dialog_paused:
            self._dialog_paused = False
            if self.timer is not None and self.timer.running and self.timer.paused:
                self._set_paused(False)

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
        self.verdict = None
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
            routine = routines.get(request.routine or self.default_routine) or routines[DAILY]
            items = resolve(routine, catalog, request.hold_override, settings["hold"])
        self.routine_name = routine.name
        default = " (default)" if not request.stretch_ids and routine.name == self.default_routine else ""
        self.title = f"hamstring{text.GLYPHS.sep}{text.inert(routine.name)}{default}"  # says which routine runs
        self.plan = routine_plan(items, settings, request.transition_override)
        stage.fill_steps(self)
        self._redraw()
        if request.autostart and self._resume_checked() and not self._resume_pending():
            self.action_start()  # otherwise it starts once the history (settings, an interrupted session) is known

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
            warning = "Another hamstring is running a session: this one is saved when it ends, not as it goes."
            self.notify(warning, severity="warning", timeout=8)
        elif self.service.left_behind():
            self.post_message(SessionLeftBehind())  # offered first: starting would overwrite it
            return
        self.timer = SessionTimer(self.plan, self.service.monotonic)
        self.verdict = None
        self._quit_after_save = False
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
        self.title = f"hamstring{text.GLYPHS.sep}{text.inert(interrupted.routine)}"
        self.session_id = interrupted.session_id
        self.started_at = interrupted.started_at
        self.session_day = interrupted.day
        self.summary = None
        stage.fill_steps(self)
        self._redraw()
        self.refresh_bindings()
        self.notify("Resumed where you stopped: press space to continue.", title="Session")

    def _tick(self) -> None:
        self._tick_timer = None
        if self.timer is not None:
            self._handle(self.timer.update())

    def _handle(self, events: list[Event]) -> None:
        """React to what the timer did (cues, snapshot, the end), redraw, and schedule the next wake-up."""
        cues: list[tuple[str, str]] = []
        for event in events:
            if isinstance(event, PhaseChanged | Countdown | CycleChanged) and event.cue is not None:
                cues.append((event.cue, self._line(event)))
            if isinstance(event, PhaseChanged) and event.phase != "done":
                self._save_snapshot()
            elif isinstance(event, Finished):
                self._finished()
        self.sound.cue([(cue, line) for cue, line in cues if cue != "done"])
        finished = self.timer is not None and self.timer.finished_complete
        if finished and any(cue == "done" for cue, _ in cues) and not self.sound.speaking:
            self.sound.ring("done")  # spoken, it waits for the streak: see session_saved
        self._redraw()
        self._schedule()

    def _line(self, event: PhaseChanged | Countdown | CycleChanged) -> str:
        """The words spoken for ``event``."""
        timer = self.timer
        if timer is None:
            return ""
        if isinstance(event, Countdown):
            return cue_text("countdown", seconds=event.seconds_left)
        if isinstance(event, CycleChanged):
            return cue_text(event.phase)
        step = timer.plan[event.index]
        if event.phase == "ready":
            return cue_text("get_ready", name=step.name, side=step.side)
        if event.phase == "switch":
            return cue_text("switch_sides", side=step.side)
        if event.phase == "hold":
            hold = cue_text("hold_start", seconds=round(timer.planned_hold(event.index)))
            if step.lead_s > 0:
                return hold
            # No lead-in (transition 0): the hold starts at once, so it says what to do first.
            first = event.index == 0 or timer.plan[event.index - 1].stretch != step.stretch
            lead = (
                cue_text("get_ready", name=step.name, side=step.side)
                if first
                else cue_text("switch_sides", side=step.side)
            )
            return f"{lead} {hold}"
        return ""

    def _schedule(self) -> None:
        if self._tick_timer is not None:
            self._tick_timer.stop()
            self._tick_timer = None
        if self.timer is None:
            return
        delay = self.timer.next_change_in()
        if delay is not None:
            self._tick_timer = self.set_timer(delay + 0.01, self._tick)

    def _save_snapshot(self, keep: bool = False) -> None:
        """Save the session's progress (``current-session.json``) through the app's one write
        path; with ``keep``, the app quits once it is saved."""
        if self.timer is None or self.started_at is None or self.session_day is None:
            return
        self.post_message(
            SessionProgress(
                self.session_id, self.routine_name, self.started_at, self.session_day, self.timer.snapshot(), keep
            )
        )

    def progress_not_saved(self, error: str) -> None:
        """The app could not save the progress: said once a session (it would repeat at every phase)."""
        self._progress_failing = True
        if not self._progress_told:
            self._progress_told = True
            self.notify(f"Could not save the session's progress: {error}", severity="warning", markup=False)

    # -- keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.timer is not None and self.timer.running
        if action in ("pause", "resume"):
            return running and (self.timer is not None and self.timer.paused) == (action == "resume")
        if action in ("skip", "back", "adjust", "abandon"):
            return running
        if action in ("start", "choose_routine", "edit_routines"):
            return not running
        return True

    def action_pause(self) -> None:
        if self.timer is not None:
            self._dialog_paused = False  # the user's own pause: a dialog closing keeps it
            self._set_paused(not self.timer.paused)

    def action_resume(self) -> None:
        self.action_pause()

    def _set_paused(self, paused: bool) -> None:
        if self.timer is None or self.timer.paused == paused:
            return
        self.timer.toggle_pause()
        self._save_snapshot()
        self._handle([])
        self.sub_title = "paused" if self.timer.paused else None  # None: the app's (today's state)
        self.refresh_bindings()

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
                f"Abandon this session? What you held so far is kept if it is {KEEP_MIN_HELD_S} s or more, but the day does not count.",
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

        service = self.service
        picker = RoutinePicker(
            service.routines(), self.routine_name, service.catalog, service.effective(), service.default_routine()
        )
        self.app.push_screen(picker, picked)

    def action_edit_routines(self) -> None:
        from .routines import RoutineEditor

        def closed(_: object) -> None:
            routines = self.service.routines()
            self.load_request(SessionRequest(routine=self.routine_name if self.routine_name in routines else DAILY))

        self.app.push_screen(RoutineEditor(self.service), closed)

    def _redraw(self) -> None:
        stage.redraw(self)
