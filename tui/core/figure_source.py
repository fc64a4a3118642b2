"""A stretch's figure as the catalog file gives it, parsed when first wanted (see :class:`FigureSource`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalog import CatalogError
    from .figures import Figure


class FigureSource:
    """A stretch's figure as its file gives it, made a :class:`~tui.core.figures.Figure` when
    first wanted. A user's file is checked as it loads (a broken figure is told then); the
    built-in figures, which the tests check, wait until one is drawn, so a screen or command
    that draws none never loads the figure code or holds the parsed figures."""

    __slots__ = ("_figure", "_key", "_parsed", "_problem", "_raw", "_where")

    def __init__(self, raw: Any, figure: Figure | None = None, where: tuple[str, str] = ("", "")) -> None:
        self._raw = raw
        self._key = json.dumps(raw, sort_keys=True)  # equal figures as written: equal sources
        self._figure = figure
        self._parsed = figure is not None
        self._problem: CatalogError | None = None
        self._where = where  # the file and the stretch, to name them if it does not parse

    @property
    def figure(self) -> Figure | None:
        """The figure, or None if it does not parse (only a damaged install: see above)."""
        if not self._parsed:
            from .catalog import CatalogError
            from .figures import FigureError, parse_figure

            try:
                self._figure = parse_figure(self._raw)
            except FigureError as error:
                self._figure = None
                field = f"figure.{error.field}" if error.field else "figure"
                self._problem = CatalogError(self._where[0], error.problem, self._where[1], field)
            self._parsed = True
        return self._figure

    @property
    def problem(self) -> CatalogError | None:
        """Why the figure does not parse (one line, naming file, stretch and field), or None."""
        return self._problem if self.figure is None else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FigureSource) and other._key == self._key

    def __hash__(self) -> int:
        return hash(self._key)
