"""Commands about the library as a whole: init, check, tree."""

from pathlib import Path
from typing import Annotated

import typer

from litmap.cli import state
from litmap.cli.app import app
from litmap.errors import LitmapError


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap init ~/papers                 an empty library\n\n"
    "  litmap init ~/interp --from-bundled   a copy of the bundled reading list to edit"
)
def init(
    path: Annotated[Path, typer.Argument(help="Folder for the new library (created if missing).")] = Path("."),
    name: Annotated[str | None, typer.Option(help="Library name (default: the folder's name).")] = None,
    from_bundled: Annotated[
        bool,
        typer.Option("--from-bundled", help="Start from a copy of the bundled interpretability library."),
    ] = False,
) -> None:
    """Create a new library: litmap.toml, taxonomy.toml and a papers/ folder."""
    from litmap.cli.render import console
    from litmap.services.admin import init_library

    library = init_library(path, name=name, from_bundled=from_bundled)
    count = len(library.keys())
    what = f" with {count} papers from the bundled library" if from_bundled else ""
    console.print(f"Created a litmap library in [bold]{library.root}[/]{what}.", soft_wrap=True)
    console.print(f"Use it from that folder, or with [cyan]--library {library.root}[/].", soft_wrap=True)


@app.command(epilog="[bold]Examples[/]\n\n  litmap check\n\n  litmap --library ~/papers check --json")
def check(
    as_json: Annotated[bool, typer.Option("--json", help="Problems as a JSON list.")] = False,
) -> None:
    """Validate the whole library; print every problem and exit 1 if there is any."""
    from litmap.cli.render import console, emit_json, err_console
    from litmap.services.check import check_library

    library = state.library()
    found = check_library(library)
    problems = [p for p in found if not p.warning]
    if as_json:
        emit_json([{"path": p.path, "line": p.line, "message": p.message, "warning": p.warning} for p in found])
    else:
        for problem in found:
            err_console.print(str(problem), markup=False, soft_wrap=True)
        if not problems:
            count = len(library.paper_files())
            warned = len(found)
            also = f", {warned} warning{'s' if warned > 1 else ''}" if warned else ""
            console.print(
                f"[green]OK[/]: {library.root} ({count} papers, {len(library.taxonomy())} categories{also})",
                soft_wrap=True,
            )
        else:
            err_console.print(f"{len(problems)} problem(s) in {library.root}", markup=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


@app.command(epilog="[bold]Examples[/]\n\n  litmap tree\n\n  litmap tree --json")
def tree(
    as_json: Annotated[bool, typer.Option("--json", help="The tree as JSON, with paper counts.")] = False,
) -> None:
    """Show the taxonomy as a tree with the number of papers in each category."""
    from rich.markup import escape
    from rich.tree import Tree

    from litmap.cli.render import console, emit_json
    from litmap.services.stats import category_counts

    library = state.library()
    taxonomy = library.taxonomy()
    broken = taxonomy.problems()
    if broken:
        raise LitmapError(f"{library.taxonomy_path}: {broken[0]}; `litmap check` lists every problem")
    papers = library.papers()
    counts = category_counts(papers, taxonomy)
    uncategorised = sum(1 for p in papers if not p.categories)

    if as_json:

        def node(category_id: str) -> dict[str, object]:
            category = taxonomy.get(category_id)
            return {
                "id": category.id,
                "title": category.title,
                "papers": counts[category.id].direct,
                "papers_in_subtree": counts[category.id].subtree,
                "children": [node(c.id) for c in taxonomy.children(category.id)],
            }

        emit_json({"categories": [node(r.id) for r in taxonomy.roots()], "uncategorised": uncategorised})
        return

    root = Tree(f"[bold]{escape(library.config.name)}[/] [dim]({len(papers)} papers)[/]")

    def add(branch: Tree, category_id: str) -> None:
        category = taxonomy.get(category_id)
        count = counts[category_id]
        children = taxonomy.children(category_id)
        number = f"{count.subtree} papers" if children else f"{count.direct} papers"
        label = f"[bold]{escape(category.title)}[/] [dim]{category.id}[/] [cyan]{number}[/]"
        sub = branch.add(label)
        for child in children:
            add(sub, child.id)

    for top in taxonomy.roots():
        add(root, top.id)
    if uncategorised:
        root.add(f"[italic]uncategorised[/] [cyan]{uncategorised} papers[/]")
    console.print(root)
