"""Long output on a terminal goes through a pager, as git does: ``$LITMAP_PAGER``, ``$PAGER``, else
``less -FRX`` (which quits at once when the output fits on one screen). Never when piped, and never
with ``--no-pager`` (or an empty ``LITMAP_PAGER``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

from litmap.cli.plain import is_terminal

DEFAULT_PAGER = "less -FRX"


def pager_command() -> str | None:
    """The pager to use, or None for none."""
    if "LITMAP_PAGER" in os.environ:
        return os.environ["LITMAP_PAGER"].strip() or None
    command = os.environ.get("PAGER", "").strip() or DEFAULT_PAGER
    if command == DEFAULT_PAGER and shutil.which("less") is None:
        return None
    return command


def page(renderable: Any, lines: int, enabled: bool = True) -> None:
    """Print ``renderable`` on stdout, through the pager when it is longer than the terminal."""
    from litmap.cli.render import console

    command = pager_command() if enabled and is_terminal() else None
    if command is None or lines < console.height - 1:
        console.print(renderable)
        return
    with console.capture() as capture:
        console.print(renderable)
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX"), "LV": os.environ.get("LV", "-c")}
    try:
        subprocess.run(command, shell=True, input=capture.get(), text=True, env=env, check=False)
    except OSError:
        sys.stdout.write(capture.get())
    except KeyboardInterrupt:  # quitting the pager with Ctrl-C is quitting the listing
        pass
