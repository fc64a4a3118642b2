"""The app as the benchmarks run it: measured from outside, with no hooks in ``tui/``.

usage: python bench/app_child.py MODE [OUT]

A subclass of ``HamstringApp`` wraps its two public moments,
``screen_shown(name)`` (a top-level screen mounted; its first frame is next)
and ``session_started()`` (the timer started a session), and runs the app
headless at 100x30. MODE is one of:

- ``first-frame:NAME``: start on screen NAME, exit once its first frame is drawn;
- ``tour``: Catalog, then Session, then Calendar, then exit;
- ``loaded:calendar``: start on the Calendar, exit once it shows the history;
- ``timer:SECONDS``: start a session, let it run SECONDS, write the CPU it used
  (``{"cpu_s": ..., "wall_s": ...}``) to OUT.

The data dir comes from ``$HAMSTRING_DATA_DIR`` as for the installed app.
"""

from __future__ import annotations

import gc
import inspect
import json
import resource
import sys
import time
from pathlib import Path, PurePath

# As the `hamstring` script does (tui/cli/main.py and app.py): no cyclic collection
# while the modules load; what they built is frozen, and the app turns collection
# back on once its first frame is on screen.
gc.disable()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.app import HamstringApp  # noqa: E402  (after the path and gc set-up above)
from tui.core.routines import SessionRequest  # noqa: E402


def _app_css_paths() -> list[str | PurePath]:
    found = HamstringApp.CSS_PATH
    here = Path(inspect.getfile(HamstringApp)).parent
    listed = [found] if isinstance(found, str | PurePath) else list(found or [])
    return [path if Path(path).is_absolute() else here / path for path in listed]


class MeasuredApp(HamstringApp):
    # Textual reads a relative CSS_PATH beside the subclass's own file: point it back at the app's.
    CSS_PATH = _app_css_paths()

    def __init__(self, mode: str, out: Path | None) -> None:
        self.mode = mode
        self.out = out
        start_mode = "catalog"
        request = None
        if mode.startswith("timer:"):
            start_mode, request = "session", SessionRequest(autostart=True)
        elif mode.split(":")[-1] in ("session", "calendar", "progress"):
            start_mode = mode.split(":")[-1]
        super().__init__(start_mode=start_mode, session_request=request)
        self._timing = False

    def screen_shown(self, name: str) -> None:
        super().screen_shown(name)
        mode = self.mode
        if mode == f"first-frame:{name}":
            self.call_after_refresh(self.exit)
        elif mode == "tour":
            following = {"catalog": "session", "session": "calendar"}.get(name)
            if following:
                self.call_after_refresh(self.switch_mode, following)
            elif name == "calendar":
                self.call_after_refresh(self.exit)
        elif mode == "loaded:calendar" and name == "calendar":
            self.call_after_refresh(self._exit_when_loaded)
        elif mode.startswith("timer:") and name == "session" and not hasattr(HamstringApp, "session_started"):
            # An app from before ``session_started`` existed: its session starts as the screen mounts.
            self.call_after_refresh(self._start_timing)

    def session_started(self) -> None:
        parent = getattr(super(), "session_started", None)
        if parent is not None:
            parent()
        if self.mode.startswith("timer:"):
            self._start_timing()

    def _exit_when_loaded(self) -> None:
        """The history loads after the first frame, at once or in a worker: exit once it is shown."""
        if any(not worker.is_finished for worker in self.workers):
            self.set_timer(0.01, self._exit_when_loaded)
        else:
            self.call_after_refresh(self.exit)

    def _start_timing(self) -> None:
        if self._timing:
            return
        self._timing = True
        seconds = float(self.mode.split(":", 1)[1])
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()

        def done() -> None:
            after = resource.getrusage(resource.RUSAGE_SELF)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if self.out is not None:
                self.out.write_text(json.dumps({"cpu_s": cpu, "wall_s": time.monotonic() - started}))
            self.exit()

        self.set_timer(seconds, done)


def main() -> int:
    mode = sys.argv[1]
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    app = MeasuredApp(mode, out)
    gc.freeze()  # and the app turns collection on after its first frame, as for `hamstring`
    app.run(headless=True, size=(100, 30))
    # A crash must not pass for a fast start: Textual's return code says how it ended.
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
