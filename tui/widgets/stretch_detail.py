"""A read-only card describing one stretch."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..core.catalog import Stretch
from . import text
from .text import inert


def stretch_content(stretch: Stretch) -> Content:
    """The stretch as styled text: name, facts, summary, steps, cues, cautions."""
    hold = f"{stretch.hold_s} s per leg" if stretch.one_sided else f"{stretch.hold_s} s"
    equipment = ", ".join(stretch.equipment) if stretch.equipment else "none"
    dot, bullet = text.GLYPHS.dot, text.GLYPHS.bullet
    parts = [
        Content.from_markup("[b $text-accent]$name[/]\n", name=inert(stretch.name)),
        Content.from_markup(
            f"[$text-muted]$sides {dot} hold $hold {dot} equipment: $equipment[/]\n",
            sides="one leg at a time" if stretch.one_sided else "both legs together",
            hold=hold,
            equipment=inert(equipment),
        ),
        Content.from_markup("[$text-muted]targets: $targets[/]\n\n", targets=inert(", ".join(stretch.targets))),
        Content.from_markup("$summary\n\n", summary=inert(stretch.summary)),
        Content.from_markup("[b]Steps[/]\n"),
    ]
    for number, step in enumerate(stretch.steps, start=1):
        parts.append(Content.from_markup("[$text-accent]$n.[/] $step\n", n=f"{number:>2}", step=inert(step)))
    if stretch.cues:
        parts.append(Content.from_markup("\n[b]Keep in mind[/]\n"))
        parts.extend(Content.from_markup(f"[$text-success] {bullet}[/] $cue\n", cue=inert(cue)) for cue in stretch.cues)
    if stretch.cautions:
        parts.append(Content.from_markup("\n[b]Take care[/]\n"))
        parts.extend(Content.from_markup("[$text-warning] ![/] $caution\n", caution=inert(c)) for c in stretch.cautions)
    return Content("").join(parts).rstrip()


class StretchDetail(Static):
    """Shows one stretch, or a hint when none is selected."""

    DEFAULT_CSS = """
    StretchDetail {
        width: 1fr;
        height: auto;
        padding: 0 1;
    }
    """

    def show(self, stretch: Stretch | None) -> None:
        if stretch is None:
            self.update(Content.from_markup("[$text-muted]No stretch selected.[/]"))
        else:
            self.update(stretch_content(stretch))
