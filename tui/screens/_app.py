"""The app as its own type, for the screens that call into it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.app import App

    from ..app import HamstringApp


class HamstringAppMixin:
    """Gives a screen ``happ``: ``self.app`` typed as :class:`HamstringApp`."""

    app: App[object]

    @property
    def happ(self) -> HamstringApp:
        return cast("HamstringApp", self.app)
