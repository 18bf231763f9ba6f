"""Commands that take a reader to the paper: open, attach, note."""

from typing import Annotated

import typer

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.complete import complete_keys


def run_opener(target: str) -> None:
    """Open ``target`` (a file or a web address) with ``$LITMAP_OPENER`` or the platform's opener."""
    import os
    import shlex
    import subprocess
    import sys

    from litmap.errors import LitmapError

    opener = os.environ.get("LITMAP_OPENER")
    if opener:
        command = [*shlex.split(opener), target]
    elif sys.platform == "darwin":
        command = ["open", target]
    elif sys.platform == "win32":  # pragma: no cover - not tested on this platform
        os.startfile(target)  # type: ignore[attr-defined]
        return
    else:
        command = ["xdg-open", target]
    try:
        status = subprocess.run(command, check=False, stdin=subprocess.DEVNULL).returncode
    except OSError as exc:
        raise LitmapError(
            f"cannot run {command[0]!r} to open {target} ({exc.strerror}); set $LITMAP_OPENER or use --print"
        ) from None
    if status != 0:
        raise LitmapError(f"{command[0]!r} exited with status {status} opening {target}")


@app.command(
    name="open",
    epilog="[bold]Examples[/]\n\n"
    "  litmap open elhage2022toy\n\n"
    "  litmap open elhage2022toy --arxiv\n\n"
    "  litmap open elhage2022toy --doi --print\n\n"
    "Without a choice it opens the attached PDF, else the URL, the DOI, the arXiv page. "
    "$LITMAP_OPENER, when set, is the program that opens it.",
)
def open_paper(
    key: Annotated[str, typer.Argument(help="Citekey of the paper to open.", autocompletion=complete_keys)],
    pdf: Annotated[bool, typer.Option("--pdf", help="The attached PDF.")] = False,
    url: Annotated[bool, typer.Option("--url", help="The paper's URL.")] = False,
    doi: Annotated[bool, typer.Option("--doi", help="The DOI, through the doi.org resolver.")] = False,
    arxiv: Annotated[bool, typer.Option("--arxiv", help="The arXiv abstract page.")] = False,
    print_only: Annotated[bool, typer.Option("--print", help="Print the target instead of opening it.")] = False,
) -> None:
    """Open a paper: its PDF, URL, DOI or arXiv page."""
    from litmap.errors import InvalidValue
    from litmap.services.reading import open_target

    chosen = [kind for kind, wanted in (("pdf", pdf), ("url", url), ("doi", doi), ("arxiv", arxiv)) if wanted]
    if len(chosen) > 1:
        raise InvalidValue("choose one of --pdf, --url, --doi and --arxiv")
    library = state.library()
    target = open_target(library.get(key), library.root, chosen[0] if chosen else None)
    if print_only:
        typer.echo(target.location)
        return
    run_opener(target.location)


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap note elhage2022toy\n\n"
    "  litmap note elhage2022toy --print\n\n"
    "Notes live in notes/KEY.md in the library, as Markdown; `litmap search note:WORD` finds them.",
)
def note(
    key: Annotated[str, typer.Argument(help="Citekey of the paper.", autocompletion=complete_keys)],
    print_only: Annotated[bool, typer.Option("--print", help="Print the notes instead of editing them.")] = False,
) -> None:
    """Write your own notes on a paper, in $VISUAL or $EDITOR."""
    from litmap.cli.curation_cmds import run_editor
    from litmap.services.reading import ensure_note, read_note

    library = state.library()
    paper = library.get(key)
    if print_only:
        text = read_note(library, paper.key)
        typer.echo(text if text is not None else f"No notes on {paper.key} yet: litmap note {paper.key} starts them.")
        return
    run_editor(ensure_note(library, paper))


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap attach elhage2022toy ~/Downloads/2209.10652.pdf\n\n"
    "  litmap attach elhage2022toy paper.pdf --move\n\n"
    "  litmap attach elhage2022toy /shared/pdfs/toy.pdf --link\n\n"
    "The file is stored as files/KEY.pdf in the library ([files] folder in litmap.toml names another folder).",
)
def attach(
    key: Annotated[str, typer.Argument(help="Citekey of the paper.", autocompletion=complete_keys)],
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to attach (a PDF, usually).")],
    move: Annotated[bool, typer.Option("--move", help="Move the file into the library.")] = False,
    copy: Annotated[bool, typer.Option("--copy", help="Copy the file into the library (the default).")] = False,
    link: Annotated[bool, typer.Option("--link", help="Store a symbolic link to the file where it is.")] = False,
) -> None:
    """Attach a file (a PDF) to a paper; litmap open then opens it."""
    from pathlib import Path

    from litmap.cli.render import console
    from litmap.errors import InvalidValue
    from litmap.services.attachments import attach as attach_file

    modes = [mode for mode, wanted in (("move", move), ("copy", copy), ("link", link)) if wanted]
    if len(modes) > 1:
        raise InvalidValue("choose one of --move, --copy and --link")
    library = state.library()
    paper, stored = attach_file(library, key, Path(file), modes[0] if modes else "copy")  # type: ignore[arg-type]
    verb = {"move": "Moved", "link": "Linked"}.get(modes[0] if modes else "copy", "Copied")
    console.print(f"{verb} {file} to {stored.relative_to(library.root)}, attached to {paper.key}.", markup=False)
