"""What the Session screen writes: the plan's lines, the intro, the summary, the stage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.content import Content

from ..core.catalog import Catalog
from ..core.digest import Digest
from ..core.records import SessionRecord
from ..core.routines import RoutineSummary, Verdict
from ..core.streaks import stats_from_digest
from ..core.timer import PlanStep, SessionTimer
from ..widgets import text
from ..widgets.text import inert


def clock_text(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def step_line(number: int, step: PlanStep, hold: float | None = None) -> Content:
    """One line of the plan; ``hold`` is the hold as it stands (``+``/``-``), shown in the accent colour."""
    side = {"left": "L", "right": "R", "both": " "}[step.side]
    name = inert(step.name)
    name = name if len(name) <= 22 else name[:21] + text.GLYPHS.ellipsis[:1]
    seconds = step.hold_s if hold is None else round(hold)
    style = "$text-muted" if seconds == step.hold_s else "b $text-accent"
    return Content.from_markup(
        f"$n $name [$text-muted]$side[/] [{style}]$hold[/]",
        n=f"{number:<2}",
        name=f"{name:<22}",
        side=side,
        hold=f"{seconds:>3}s",
    )


def intro(routine_name: str, plan: Sequence[PlanStep], default: bool = False) -> Content:
    dot = text.GLYPHS.dot
    counts = RoutineSummary.of(tuple(plan)).describe(dot)
    return Content.from_markup(
        f"[b $text-accent]$name[/]$default\n$counts\n\n"
        f"Press [b]enter[/] to start.\n[$text-muted]r: choose a routine {dot} e: edit routines[/]",
        name=f"Routine: {inert(routine_name)}",
        default=" (default)" if default else "",
        counts=counts,
    )


def adjust_line(timer: SessionTimer) -> Content:
    """The hold as it stands and how to change it: shown in every phase, under the countdown."""
    hold = timer.planned_hold()
    planned = timer.step.hold_s
    change = round(hold - planned)
    changed = f" ({change:+d} s)" if change else ""
    what = "This hold" if timer.phase == "hold" else "Coming hold"
    return Content.from_markup(
        f"$what [b]$hold[/]$changed [$text-muted]{text.GLYPHS.dot} -/+ 5 s[/]",
        what=what,
        hold=clock_text(hold),
        changed=changed,
    )


def how_to(timer: SessionTimer, catalog: Catalog) -> Content:
    """The stretch's numbered steps, then its cues."""
    stretch = catalog.get(timer.step.stretch)
    if stretch is None:
        return Content("")
    lines = [
        Content.from_markup("$n. $step", n=number, step=inert(step)) for number, step in enumerate(stretch.steps, 1)
    ]
    if stretch.cues:
        cues = text.GLYPHS.sep.join(inert(cue) for cue in stretch.cues)
        lines.append(Content.from_markup("[$text-muted]$cues[/]", cues=cues))
    return Content("\n").join(lines)


def summary(
    record: SessionRecord,
    digest: Digest,
    today: date,
    others_count: bool,
    verdict: Verdict | None = None,
    reached_end: bool = False,
) -> Content:
    """The end of a session: what was held, the streak, a new record, and why it does not count."""
    dot = text.GLYPHS.dot
    held = clock_text(record.duration_s)
    done = len({s.stretch for s in record.steps if not s.skipped})
    if (record.complete or reached_end) and all(step.skipped for step in record.steps):
        title = "[b $text-warning]Session over: every hold was skipped[/]"
    elif record.complete:
        title = "[b $text-success]Session complete[/]"
    elif reached_end:
        title = "[b $text-warning]Session over: kept as partial[/]"
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
        reason = f" {verdict.reason}" if verdict is not None and verdict.reason else ""
        lines.append(Content.from_markup("[$text-muted]This session does not count for the day.$why[/]", why=reason))
    lines.append(Content.from_markup(f"[$text-muted]enter: go again {dot} c: catalog {dot} h: calendar[/]"))
    return Content("\n").join(lines)


def not_kept(verdict: Verdict) -> Content:
    """An abandoned session with almost nothing held: nothing is written."""
    return Content.from_markup(
        f"[b $text-warning]Session abandoned[/]\n$why\n[$text-muted]enter: go again {text.GLYPHS.dot} c: catalog[/]",
        why=verdict.reason or "",
    )


def not_saved(error: str, kept: bool = True) -> Content:
    """The session's save failed; ``kept``: its progress file is there for the next start."""
    if kept:
        then = "[$text-muted]Nothing is lost: trying again in 10 seconds, and at the next start.[/]"
    else:
        then = (
            "[$text-warning]It is not kept for later either (its progress could not be saved): "
            "trying again every 10 seconds while hamstring stays open.[/]"
        )
    return Content.from_markup(f"[b $text-error]Not saved yet[/]\n$error\n{then}", error=inert(error))


def stage_name(timer: SessionTimer) -> Content:
    step = timer.step
    return Content.from_markup(f"[b]$name[/] {text.GLYPHS.dot} $side", name=inert(step.name), side=step.side_label)


def stage_phase(timer: SessionTimer, paused: bool, bell_on: bool) -> Content:
    phase = timer.phase_label.upper()
    cycle = timer.cycle_state()
    if cycle is not None:
        phase += f" {text.GLYPHS.dot} {cycle.label.upper()} {cycle.rep} of {cycle.reps}"
    phase += f"  {text.GLYPHS.paused}" if paused else ""
    muted = "" if bell_on else f"  {text.GLYPHS.muted}"
    return Content.from_markup("[b]$phase[/][$text-muted]$muted[/]", phase=phase, muted=muted)


def next_up(timer: SessionTimer) -> Content:
    step, upcoming = timer.step, timer.next_step
    if upcoming is None:
        return Content("Next up: done!")
    if upcoming.stretch == step.stretch:
        return Content(f"Next up: {upcoming.side_label.lower()}")
    return Content(f"Next up: {inert(upcoming.name)}")
