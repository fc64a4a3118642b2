"""The Session screen: the guided timer.

The screen only renders :class:`tui.core.timer.SessionTimer` and forwards keys
to it. It wakes up when something shown changes (about once a second while
running, never while paused), rings the bell on phase changes and the last
three seconds of a hold, saves the running state at every phase change, and
records the session at the end.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
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
from ..core.settings import effective
from ..core.streaks import stats_from_digest
from ..core.timer import (
    Countdown,
    Event,
    Finished,
    PhaseChanged,
    PlanStep,
    SessionTimer,
    build_plan,
    plan_seconds,
)
from ..widgets.key_bar import KeyBar
from ._app import HamstringAppMixin

if TYPE_CHECKING:
    pass


def clock_text(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class StepList(OptionList, can_focus=False):
    """The plan, one line per hold, with the current step highlighted."""


class SessionScreen(HamstringAppMixin, Screen):
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

    def __init__(self) -> None:
        super().__init__()
        self.timer: SessionTimer | None = None
        self.request = SessionRequest()
        self.routine_name = DAILY
        self.plan: tuple[PlanStep, ...] = ()
        self.session_id = ""
        self.started_at: datetime | None = None
        self.session_day = None
        self.summary: Content | None = None
        self._tick_timer: Timer | None = None
        self._shown: tuple | None = None
        self._words_shown: tuple | None = None

    # -- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="session-body"):
            yield StepList(id="steps")
            with Vertical(id="stage"):
                yield Static(id="intro")
                yield Static(id="stretch-name")
                yield Static(id="phase")
                yield Digits("0:00", id="countdown")
                yield Static(id="cues")
                yield Static(id="next-up")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=1, show_eta=False, id="progress")
            yield Static(id="progress-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "hamstring · Session"
        self.happ.history_changed.subscribe(self, lambda _: self._settings_arrived())
        self.load_request(self.happ.session_request)
        self.happ.screen_shown("session")

    def _settings_arrived(self) -> None:
        """The history (and so the settings and routines) has loaded: prepare again."""
        if self.timer is None and self.summary is None:
            request = self.request
            if self.happ.resume_pending:  # the interrupted session comes first
                request = replace(request, autostart=False)
            self.load_request(request)

    # -- preparing ---------------------------------------------------------------------
    def load_request(self, request: SessionRequest) -> None:
        """Prepare (and maybe start) a routine; ignored while a session runs."""
        if self.timer is not None and self.timer.running:
            self.notify("A session is running: finish or abandon it first (escape).", severity="warning")
            return
        self.request = request
        self.timer = None
        self.summary = None
        settings = effective(self.happ.settings())
        catalog = self.happ.catalog
        if request.stretch_ids:
            routine = Routine("this stretch" if len(request.stretch_ids) == 1 else "custom", ())
            items = [(s, s.hold_s) for s in (catalog.get(i) for i in request.stretch_ids) if s is not None]
            if request.hold_override:
                items = [(s, request.hold_override) for s, _ in items]
            elif settings["hold"]:
                items = [(s, settings["hold"]) for s, _ in items]
        else:
            routine = self.happ.routines().get(request.routine) or self.happ.routines()[DAILY]
            items = resolve(routine, catalog, request.hold_override, settings["hold"])
        transition = request.transition_override if request.transition_override is not None else settings["transition"]
        self.routine_name = routine.name
        self.plan = build_plan(items, transition, transition)
        self._fill_steps()
        self._redraw()
        if request.autostart and self.happ.resume_checked:
            self.action_start()  # otherwise it starts once the history (settings, an interrupted session) is known

    def _fill_steps(self) -> None:
        steps = self.query_one(StepList)
        steps.clear_options()
        for number, step in enumerate(self.plan, start=1):
            side = {"left": "L", "right": "R", "both": " "}[step.side]
            name = step.name if len(step.name) <= 22 else step.name[:21] + "…"
            steps.add_option(
                Option(
                    Content.from_markup(
                        "$n $name [$text-muted]$side $hold[/]",
                        n=f"{number:<2}",
                        name=f"{name:<22}",
                        side=side,
                        hold=f"{step.hold_s:>3}s",
                    )
                )
            )
        steps.highlighted = 0 if self.plan else None

    # -- running ----------------------------------------------------------------------
    def action_start(self) -> None:
        if self.timer is not None and self.timer.running:
            return
        if not self.plan:
            self.notify("This routine has no stretches: press e to edit it.", severity="warning")
            return
        if self.summary is not None:  # start again after a finished session
            self.load_request(
                SessionRequest(
                    self.request.routine,
                    self.request.stretch_ids,
                    self.request.hold_override,
                    self.request.transition_override,
                )
            )
        self.timer = SessionTimer(self.plan, self.happ.monotonic)
        self.session_id = new_session_id()
        self.started_at = self.happ.wall_clock()
        self.session_day = self.happ.day_of(self.started_at)
        self._handle(self.timer.start())
        self._save_snapshot()
        self.refresh_bindings()
        self.happ.bench_mark("started:session")

    def resume_interrupted(self, interrupted: resume.Interrupted) -> None:
        """Continue a session that was running when hamstring stopped (paused)."""
        self.timer = SessionTimer.restore(interrupted.timer, self.happ.monotonic)
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
        if self.happ.bell_on:
            self.app.bell()

    def _save_snapshot(self) -> None:
        if self.timer is None or self.started_at is None or self.session_day is None:
            return
        try:
            resume.save(
                self.happ.data_dir,
                self.session_id,
                self.routine_name,
                self.started_at,
                self.happ.tz_name,
                self.session_day,
                self.timer.snapshot(),
            )
        except (OSError, resume.StorageWriteError) as error:
            self.notify(f"Could not save the session's progress: {error}", severity="warning")

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
        muted = self.happ.toggle_bell()
        self.notify("Cues muted." if muted else "Cues on.", timeout=2)
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

        self.app.push_screen(RoutinePicker(self.happ.routines(), self.routine_name), picked)

    def action_edit_routines(self) -> None:
        from .routines import RoutineEditor

        def closed(_: object) -> None:
            self.load_request(
                SessionRequest(routine=self.routine_name if self.routine_name in self.happ.routines() else DAILY)
            )

        self.app.push_screen(RoutineEditor(), closed)

    # -- the end ------------------------------------------------------------------------
    def _finished(self) -> None:
        assert self.timer is not None and self.started_at is not None and self.session_day is not None
        steps = self.timer.step_records()
        record = SessionRecord(
            id=self.session_id,
            date=self.session_day,
            started_at=self.started_at,
            ended_at=max(self.happ.wall_clock(), self.started_at),
            tz=self.happ.tz_name,
            duration_s=sum(step.held_s for step in steps),
            complete=self.timer.finished_complete,
            source="timer",
            steps=steps,
        )
        self._save_snapshot()  # the finished state, until the history has it
        self.refresh_bindings()
        self.summary = Content.from_markup("[b]Saving…[/]")
        self._record(record)

    @work(thread=True, exclusive=True, group="record-session")
    def _record(self, record: SessionRecord) -> None:
        app = self.happ
        message = app.save_session(record)
        self.app.call_from_thread(self._recorded, record, message)

    def _recorded(self, record: SessionRecord, error: str | None) -> None:
        if error is not None:
            self.summary = Content.from_markup(
                "[b $text-error]Not saved yet[/]\n$error\n[$text-muted]Nothing is lost: trying again in 10 seconds, and at the next start.[/]",
                error=error,
            )
            self.notify(error, title="Session not saved", severity="error", timeout=10)
            self._redraw()
            self.set_timer(10, lambda: self._record(record))
            return
        self.summary = self._summary_for(record)
        if record.complete:
            self.notify("Session complete. Well done!", title="hamstring")
        else:
            self.notify("Session abandoned; what you held is saved.", title="hamstring")
        self.happ.refresh_today()
        self._redraw()
        self.refresh_bindings()

    def _summary_for(self, record: SessionRecord) -> Content:
        store = self.happ.store
        held = clock_text(record.duration_s)
        done = len({s.stretch for s in record.steps if not s.skipped})
        if record.complete and not record.counts:
            title = "[b $text-warning]Session over: every hold was skipped[/]"
        elif record.complete:
            title = "[b $text-success]Session complete[/]"
        else:
            title = "[b $text-warning]Session abandoned[/]"
        lines = [
            Content.from_markup(title),
            Content.from_markup("Held $held · $done stretch$es", held=held, done=done, es="" if done == 1 else "es"),
        ]
        if store is not None:
            digest = self.happ.history_digest()
            today = self.happ.today()
            stats = stats_from_digest(digest, today)
            # Without this session, was the day done anyway? Then it set no new record.
            from ..core.store import StoreError

            try:
                others_count = any(s.counts for s in store.sessions_on(record.date) if s.id != record.id)
            except StoreError:
                others_count = False
            before = (
                stats
                if others_count
                else stats_from_digest(replace(digest, done=digest.done.without(record.date)), today)
            )
            lines.append(
                Content.from_markup(
                    "Streak: [b]$n[/] day$s", n=stats.current.length, s="" if stats.current.length == 1 else "s"
                )
            )
            previous_best = before.longest.length if before.longest else 0
            if record.counts and stats.current.length > previous_best and stats.current.length > 1:
                lines.append(Content.from_markup("[b $text-accent]New record![/] Your longest streak yet."))
            if not record.counts:
                lines.append(Content.from_markup("[$text-muted]This session does not count for the day.[/]"))
        lines.append(Content.from_markup("[$text-muted]enter: go again · c: catalog · h: calendar[/]"))
        return Content("\n").join(lines)

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
        shown = (
            timer.index if timer else None,
            timer.phase if timer else None,
            timer.shown_seconds() if timer else None,
            int(position),
            int(total),
            paused,
            self.summary,
            self.happ.bell_on,
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
            self.query_one("#intro", Static).update(self._intro())
        if running and timer is not None:
            self._redraw_running(timer, paused)

    def _intro(self) -> Content:
        stretches = len({step.stretch for step in self.plan})
        return Content.from_markup(
            "[b $text-accent]$name[/]\n$count stretch$es · $holds holds · about $total\n\n"
            "Press [b]enter[/] to start.\n[$text-muted]r: choose a routine · e: edit routines[/]",
            name=f"Routine: {self.routine_name}",
            count=stretches,
            es="" if stretches == 1 else "es",
            holds=len(self.plan),
            total=clock_text(plan_seconds(self.plan)),
        )

    def _redraw_running(self, timer: SessionTimer, paused: bool) -> None:
        """Update what changed: the digits every second, the words only on a new phase."""
        self.query_one(Digits).update(clock_text(timer.shown_seconds()))
        words = (timer.index, timer.phase, paused, self.happ.bell_on)
        if words == self._words_shown:
            return
        self._words_shown = words
        step = timer.step
        self.query_one("#stretch-name", Static).update(
            Content.from_markup("[b]$name[/] · $side", name=step.name, side=step.side_label)
        )
        phase = timer.phase_label.upper() + ("  ‖ PAUSED" if paused else "")
        muted = "" if self.happ.bell_on else "  🔇 muted"
        self.query_one("#phase", Static).update(
            Content.from_markup("[b]$phase[/][$text-muted]$muted[/]", phase=phase, muted=muted)
        )
        self.query_one("#phase", Static).set_class(timer.phase == "hold", "-hold")
        stretch = self.happ.catalog.get(step.stretch)
        cues = " · ".join(stretch.cues) if stretch is not None else ""
        self.query_one("#cues", Static).update(Content.from_markup("[$text-muted]$cues[/]", cues=cues))
        upcoming = timer.next_step
        if upcoming is None:
            next_text = "Next up: done!"
        elif upcoming.stretch == step.stretch:
            next_text = f"Next up: {upcoming.side_label.lower()}"
        else:
            next_text = f"Next up: {upcoming.name}"
        self.query_one("#next-up", Static).update(next_text)
