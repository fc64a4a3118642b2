"""A read-only card describing one stretch: its figure, facts and cautions, then how to do it.

The card has three parts: the figure (:class:`FigureView`, the left-side pose), the head (name,
facts and "Take care") and the body (summary, steps, cues). The cautions sit in the head so they
show without scrolling on a small terminal; the screen's stylesheet places the figure above the
head, or beside it when there is room.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..core.catalog import Stretch
from . import text
from .figure import FigureView
from .text import inert


def facts_content(stretch: Stretch) -> Content:
    """Name, sides, hold, equipment, targets and the cautions ("Take care")."""
    # Content.assemble, not Content.from_markup: the same spans without parsing markup (a card
    # is built at each move of the list's cursor).
    equipment = ", ".join(stretch.equipment) if stretch.equipment else "none"
    dot = text.GLYPHS.dot
    parts = [
        Content.assemble((inert(stretch.name), "b $text-accent"), "\n"),
        Content.assemble(
            (f"{stretch.sides_label} {dot} hold {stretch.hold_s} s {dot} equipment: {inert(equipment)}", "$text-muted"),
            "\n",
        ),
        Content.assemble((f"targets: {inert(', '.join(stretch.targets))}", "$text-muted"), "\n"),
    ]
    if stretch.cautions:
        parts.append(Content.assemble("\n", ("Take care", "b"), "\n"))
        parts.extend(Content.assemble((" !", "$text-warning"), f" {inert(c)}\n") for c in stretch.cautions)
    return Content("").join(parts).rstrip()


def howto_content(stretch: Stretch) -> Content:
    """Summary, numbered steps and the cues ("Keep in mind")."""
    bullet = text.GLYPHS.bullet
    parts = [
        Content(f"{inert(stretch.summary)}\n\n"),
        Content.assemble(("Steps", "b"), "\n"),
    ]
    for number, step in enumerate(stretch.steps, start=1):
        parts.append(Content.assemble((f"{number:>2}.", "$text-accent"), f" {inert(step)}\n"))
    if stretch.cues:
        parts.append(Content.assemble("\n", ("Keep in mind", "b"), "\n"))
        parts.extend(Content.assemble((f" {bullet}", "$text-success"), f" {inert(cue)}\n") for cue in stretch.cues)
    return Content("").join(parts).rstrip()


class StretchDetail(VerticalScroll):
    """Shows one stretch (figure, facts, how-to), or a hint when none is selected; scrolls itself
    (one widget, not a card inside a scrolling pane: a frame draws every line of each)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.stretch: Stretch | None = None

    def compose(self) -> ComposeResult:
        # No container around the figure and the head (the screen's stylesheet sets them side
        # by side on a wide terminal). Without "-none": the screen shows a stretch before its
        # first frame, and taking the class off then would restyle the figure (and draw it) again.
        yield FigureView(id="detail-figure")
        yield Static(id="detail-head")
        yield Static(id="detail-body")

    def show(self, stretch: Stretch | None) -> None:
        self.stretch = stretch
        figure = self.query_one(FigureView)
        head, body = self.query_one("#detail-head", Static), self.query_one("#detail-body", Static)
        if stretch is None:
            figure.figure = None
            figure.add_class("-none")
            self.add_class("-figureless")
            head.update(Content.from_markup("[$text-muted]No stretch selected.[/]"))
            body.update("")
            body.display = False
            return
        figure.show_stretch(stretch)
        figure.set_class(stretch.figure is None, "-none")
        self.set_class(stretch.figure is None, "-figureless")
        head.update(facts_content(stretch))
        body.update(howto_content(stretch))
        body.display = True

    @property
    def plain(self) -> str:
        """The card's text as shown (without the figure)."""
        head, body = self.query_one("#detail-head", Static), self.query_one("#detail-body", Static)
        shown = [str(head.render())]
        if body.display:
            shown.append(str(body.render()))
        return "\n\n".join(shown)
