"""What the Calendar's day detail shows (see :meth:`tui.core.service.HistoryService.day_view`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .checkins import CheckIn
    from .records import SessionRecord


@dataclass(frozen=True, slots=True)
class DayView:
    """What the Calendar's day detail shows: the day's sessions, check-ins and rest mark."""

    day: date
    sessions: tuple[SessionRecord, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    rest: bool = False
