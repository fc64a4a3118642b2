"""The Session screen's cues: spoken through :class:`tui.core.speech.Speaker`, or distinct bells.

With the ``voice`` setting on (or a command) and an engine found, each cue is
spoken in a background thread, one line at a time (a new line replaces one
still speaking). No engine, or one that fails to start: one notice, then the
bells. The bells ring :func:`tui.core.speech.bell_pattern`'s pattern for the
cue. Muted (``m``, or the ``bell`` setting off): no cue at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..core.speech import VOICE_OFF, Speaker, bell_pattern, find_engine, parse_voice

if TYPE_CHECKING:
    from textual.screen import Screen

    from ..core.service import HistoryService

#: Timer event cues (``tui.core.timer_events``) to speech cues; the rest are spelt the same.
CUES = {"hold_ending": "countdown"}
#: When several cues come at once, the bells of the first of these are rung.
BELL_ORDER = ("done", "switch_sides", "get_ready", "hold_start", "contract", "relax", "countdown")
NO_ENGINE = "Voice on, but no speech engine found (espeak-ng, espeak, spd-say or say): the bell rings instead."


class SessionSound:
    """Speaks or rings the cues of one Session screen; :meth:`close` when it goes."""

    def __init__(self, screen: Screen[None], service: HistoryService) -> None:
        self.screen = screen
        self.service = service
        self.speaker: Speaker | None = None
        self._voice: str | None = None
        self._told = False
        self._pool: ThreadPoolExecutor | None = None

    # -- the voice ----------------------------------------------------------------------------
    def _current_speaker(self) -> Speaker | None:
        """The speaker for the ``voice`` setting as it is now (made again when it changed)."""
        voice = self.service.effective()["voice"]
        if voice != self._voice:
            self.close()
            self._voice = voice
            try:
                setting = parse_voice(voice)
            except ValueError:
                setting = VOICE_OFF
            command = find_engine(setting) if setting.enabled else None
            self.speaker = Speaker(command) if command else None
            if setting.enabled and command is None:
                self._tell(NO_ENGINE)
        speaker = self.speaker
        return speaker if speaker is not None and speaker.available else None

    @property
    def speaking(self) -> bool:
        """Will cues be spoken (voice on, an engine that works, not muted)?"""
        return self.service.bell_on and self._current_speaker() is not None

    def _tell(self, message: str) -> None:
        if not self._told:
            self._told = True
            self.screen.notify(message, title="Voice", severity="warning", markup=False, timeout=8)

    def _say(self, speaker: Speaker, line: str) -> None:
        """In the voice thread: speak, or tell once and ring instead when the engine fails."""
        if not speaker.say(line) and speaker.problem:
            self.screen.app.call_from_thread(self._tell, speaker.problem)

    # -- cues -----------------------------------------------------------------------------------
    def cue(self, cues: Sequence[tuple[str, str]]) -> None:
        """Give ``(cue, line)`` pairs that happened at once: one spoken line, or one bell pattern."""
        if not cues or not self.service.bell_on:
            return
        speaker = self._current_speaker()
        if speaker is not None:
            line = ". ".join(line.rstrip(". ") for _, line in cues if line)
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hamstring-voice")
            self._pool.submit(self._say, speaker, line)
            return
        names = [CUES.get(cue, cue) for cue, _ in cues]
        self.ring(next((name for name in BELL_ORDER if name in names), names[0]))

    def ring(self, cue: str) -> None:
        """Ring ``cue``'s bell pattern (unless muted)."""
        if not self.service.bell_on:
            return
        app = self.screen.app
        for offset in bell_pattern(CUES.get(cue, cue)):
            if offset <= 0:
                app.bell()
            else:
                self.screen.set_timer(offset, app.bell)

    def close(self) -> None:
        """Stop speaking (the screen or the app goes)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)  # a line being started is started, then stopped below
        if self.speaker is not None:
            self.speaker.close()
