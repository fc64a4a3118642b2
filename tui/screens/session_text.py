"""What the Session screen writes: the plan's lines, the intro, the summary, the stage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.content import Content

from ..core.catalog import Catalog
from ..core.digest import Digest
from ..core.records import SessionRecord
from ..core.streaks import stats_from_digest
from ..core.timer import PlanStep, SessionTimer, plan_seconds
from ..widgets import text
from ..widgets.text import inert


def clock_text(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def step_line(number: int, step: PlanStep) -> Content:
    side = {"left": "L", "right": "R", "both": " "}[step.side]
    name = inert(step.name)
    name = name if len(name) <= 22 else name[:21] + text.GLYPHS.ellipsis[:1]
    return Content.from_markup(
        "$n $name [$text-muted]$side $hold[/]",
        n=f"{number:<2}",
        name=f"{name:<22}",
        side=side,
        hold=f"{step.hold_s:>3}s",
    )


def intro(routine_name: str, plan: Sequence[PlanStep]) -> Content:
    stretches = len({step.stretch for step in plan})
    dot = text.GLYPHS.dot
    return Content.from_markup(
        f"[b $text-accent]$name[/]\n$count stretch$es {dot} $holds holds {dot} about $total\n\n"
        f"Press [b]enter[/] to start.\n[$text-muted]r: choose a routine {dot} e: edit routines[/]",
        name=f"Routine: {inert(routine_name)}",
        count=stretches,
        es="" if stretches == 1 else "es",
        holds=len(plan),
        total=clock_text(plan_seconds(plan)),
    )


def summary(record: SessionRecord, digest: Digest, today: date, others_count: bool) -> Content:
    """The end of a session: what was held, the streak, a new record."""
    dot = text.GLYPHS.dot
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
        Content.from_markup(f"Held $held {dot} $done stretch$es", held=held, done=done, es="" if done == 1 else "es"),
    ]
    stats = stats_from_digest(digest, today)
    # Without this session, was the day done anyway? Then it set no new record.
    before = stats if others_count else stats_from_digest(digest.replace(done=digest.done.without(record.date)), today)
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
    lines.append(Content.from_markup(f"[$text-muted]enter: go again {dot} c: catalog {dot} h: calendar[/]"))
    return Content("\n").join(lines)


def not_saved(error: str) -> Content:
    return Content.from_markup(
        "[b $text-error]Not saved yet[/]\n$error\n[$text-muted]Nothing is lost: trying again in 10 seconds, and at the next start.[/]",
        error=inert(error),
    )


def stage_name(timer: SessionTimer) -> Content:
    step = timer.step
    return Content.from_markup(f"[b]$name[/] {text.GLYPHS.dot} $side", name=inert(step.name), side=step.side_label)


def stage_phase(timer: SessionTimer, paused: bool, bell_on: bool) -> Content:
    phase = timer.phase_label.upper() + (f"  {text.GLYPHS.paused}" if paused else "")
    muted = "" if bell_on else f"  {text.GLYPHS.muted}"
    return Content.from_markup("[b]$phase[/][$text-muted]$muted[/]", phase=phase, muted=muted)


def stage_cues(timer: SessionTimer, catalog: Catalog) -> Content:
    stretch = catalog.get(timer.step.stretch)
    cues = text.GLYPHS.sep.join(inert(cue) for cue in stretch.cues) if stretch is not None else ""
    return Content.from_markup("[$text-muted]$cues[/]", cues=cues)


def next_up(timer: SessionTimer) -> Content:
    step, upcoming = timer.step, timer.next_step
    if upcoming is None:
        return Content("Next up: done!")
    if upcoming.stretch == step.stretch:
        return Content(f"Next up: {upcoming.side_label.lower()}")
    return Content(f"Next up: {inert(upcoming.name)}")
