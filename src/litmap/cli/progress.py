"""What a long command waits for, on a terminal's stderr: a spinner naming the server, or a bar per phase.

:class:`Activity` is the services' progress hook (:class:`~litmap.services.progress.Step`) and the HTTP
client's request notice at once: while a request is out it shows ``⠋ Asking export.arxiv.org for
2209.10652…``; during an import ``Reading refs.bib``, ``Checking for duplicates`` and ``Writing``, each
with its own bar and count (no time estimate: the phases go at very different speeds). A line appears
only once the same wait has lasted :data:`SHOW_AFTER` seconds, is redrawn in place, and is erased when
the wait ends; nothing is drawn when stderr is not a terminal.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from litmap.services.progress import Step

#: A wait shorter than this shows nothing.
SHOW_AFTER = 0.5
FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
BAR_WIDTH = 24
_PHASES = {
    "reading": ("Reading {about}", "entries"),
    "checking": ("Checking for duplicates", "entries"),
    "writing": ("Writing", "papers"),
    "attaching": ("Reading PDFs", "files"),
}


class Activity:
    """One command's waits, drawn as one transient line on ``stream`` (stderr) when it is a terminal."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._lock = threading.Lock()
        self._step: Step | None = None
        self._host: str | None = None
        self._text = ""
        self._since = 0.0
        self._drawn = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Activity:
        if self.enabled:
            from litmap.sources.http import set_request_notice

            set_request_notice(self.asking)
            _current.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.enabled:
            return
        from litmap.sources.http import set_request_notice

        set_request_notice(None)
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.clear()
        if self in _current:
            _current.remove(self)

    # -- what the services and the HTTP client say ----------------------------------------------

    def __call__(self, step: Step) -> None:
        """The progress hook: a use case moved on."""
        with self._lock:
            self._step = step
            self._update()

    def asking(self, host: str | None) -> None:
        """The request notice: a request to ``host`` went out (None: its answer came)."""
        with self._lock:
            self._host = host
            self._update()

    def _update(self) -> None:
        text = self._describe()
        if not self._text or (not self._drawn and text.split("  ")[0] != self._text.split("  ")[0]):
            self._since = time.monotonic()  # a new wait: it shows once it has lasted SHOW_AFTER
        self._text = text
        if text and self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="litmap-activity", daemon=True)
            self._thread.start()

    def _describe(self) -> str:
        step = self._step
        if self._host is not None:
            about = f" for {step.about}" if step is not None and step.phase == "fetching" and step.about else ""
            return f"Asking {self._host}{about}…"
        if step is None or step.phase not in _PHASES:
            return ""
        label, unit = _PHASES[step.phase]
        label = label.format(about=step.about).rstrip()
        if step.total is None:
            return f"{label}  {step.done:,} {unit}"
        total = max(step.total, 1)
        filled = min(BAR_WIDTH, BAR_WIDTH * step.done // total)
        bar = "━" * filled + "─" * (BAR_WIDTH - filled)
        return f"{label}  {bar}  {step.done:,} of {step.total:,} {unit}"

    # -- drawing ---------------------------------------------------------------------------------

    def _run(self) -> None:
        frame = 0
        while not self._stop.wait(0.1):
            with self._lock:
                text, since = self._text, self._since
                if not text or time.monotonic() - since < SHOW_AFTER:
                    self._erase()
                    continue
                frame = (frame + 1) % len(FRAMES)
                self._draw(f"{FRAMES[frame]} {text}")

    def _draw(self, line: str) -> None:
        width = _columns(self.stream) - 1
        if len(line) > width:
            line = line[: width - 1] + "…"
        self.stream.write(f"\r\x1b[2K{line}")
        self.stream.flush()
        self._drawn = True

    def _erase(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._drawn = False

    def clear(self) -> None:
        """Erase the line (before something else is printed on stderr)."""
        with self._lock:
            self._erase()


#: The activity being drawn, if any (so that a message printed meanwhile erases its line first).
_current: list[Activity] = []


def clear_activity_line() -> None:
    """Erase the activity line, if one is drawn, before printing a line of one's own on stderr."""
    for activity in _current:
        activity.clear()


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(callable(isatty) and isatty())
    except ValueError:  # a closed stream
        return False


def _columns(stream: Any) -> int:
    import os

    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 80
