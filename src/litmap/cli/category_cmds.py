"""``litmap category``: add, rename, move, remove and show the categories of the taxonomy."""

from typing import TYPE_CHECKING, Annotated

import typer

from litmap.cli import state
from litmap.cli.app import LitmapGroup, app
from litmap.cli.complete import complete_categories

if TYPE_CHECKING:
    from litmap.services.curation import CategoryReport
    from litmap.taxonomy import Taxonomy

category_app = typer.Typer(
    cls=LitmapGroup,
    name="category",
    help="Reshape the category tree: add, rename, move, remove and show categories.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    epilog="[bold]Examples[/]\n\n  litmap category show superposition\n\n"
    "  litmap category add sparse-autoencoders --title 'Sparse Autoencoders' --parent superposition",
)
app.add_typer(category_app)


def _say(message: str) -> None:
    from litmap.cli.render import console

    console.print(message, markup=False)


def _papers(count: int) -> str:
    return f"{count} paper{'s' if count != 1 else ''}"


@category_app.command(
    "add",
    epilog="[bold]Examples[/]\n\n"
    "  litmap category add sparse-autoencoders --title 'Sparse Autoencoders' --parent superposition\n\n"
    "  litmap category add evaluation --title Evaluation --description 'How to tell an explanation is right.'",
)
def add(
    category_id: Annotated[str, typer.Argument(metavar="ID", help="New id: lower-case letters, digits, hyphens.")],
    title: Annotated[str, typer.Option("--title", "-t", help="Title shown in the tree and exports.")],
    parent: Annotated[
        str | None,
        typer.Option(
            "--parent",
            "-p",
            metavar="ID",
            help="Parent category (default: top level).",
            autocompletion=complete_categories,
        ),
    ] = None,
    description: Annotated[str | None, typer.Option("--description", "-d", help="A paragraph about it.")] = None,
) -> None:
    """Add a category to the taxonomy (the last child of its parent)."""
    from litmap.services.curation import add_category

    category = add_category(state.library(), category_id, title, parent, description)
    where = f"under {category.parent}" if category.parent else "at the top level"
    _say(f"Added category {category.id} ({category.title}) {where}.")


@category_app.command(
    "rename",
    epilog="[bold]Examples[/]\n\n"
    "  litmap category rename attribution feature-attribution\n\n"
    "  litmap category rename attribution feature-attribution --title 'Feature Attribution'",
)
def rename(
    old: Annotated[str, typer.Argument(metavar="OLD", help="Current category id.", autocompletion=complete_categories)],
    new: Annotated[str, typer.Argument(metavar="NEW", help="New category id.")],
    title: Annotated[str | None, typer.Option("--title", "-t", help="A new title too.")] = None,
) -> None:
    """Rename a category; every paper and subcategory using it follows, in one atomic change."""
    from litmap.cli.reads import run_category_rename

    run_category_rename(old, new, title)


@category_app.command(
    "move",
    epilog="[bold]Examples[/]\n\n"
    "  litmap category move superposition --parent techniques-to-analyze-neural-networks\n\n"
    "  litmap category move scalability --top",
)
def move(
    category_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Category to move (its subtree comes along).", autocompletion=complete_categories
        ),
    ],
    parent: Annotated[
        str | None,
        typer.Option("--parent", "-p", metavar="P", help="The new parent.", autocompletion=complete_categories),
    ] = None,
    top: Annotated[bool, typer.Option("--top", help="Make it a top-level category.")] = False,
) -> None:
    """Move a category (with its subcategories) under another parent; refuses cycles."""
    from litmap.services.curation import move_category

    if (parent is None) == (not top):
        raise typer.BadParameter("give either --parent P or --top", param_hint="--parent")
    category = move_category(state.library(), category_id, parent)
    _say(f"Moved category {category.id} " + (f"under {category.parent}." if category.parent else "to the top level."))


@category_app.command(
    "remove",
    epilog="[bold]Examples[/]\n\n"
    "  litmap category remove sparse-autoencoders          (refused while papers or subcategories use it)\n\n"
    "  litmap category remove scalability --reassign challenges-and-criticisms",
)
def remove(
    category_id: Annotated[
        str, typer.Argument(metavar="ID", help="Category to remove.", autocompletion=complete_categories)
    ],
    reassign: Annotated[
        str | None,
        typer.Option("--reassign", metavar="OTHER", help="Hand its papers and subcategories to OTHER."),
    ] = None,
) -> None:
    """Remove a category; refused while papers or subcategories use it, unless --reassign OTHER."""
    from litmap.services.curation import remove_category

    outcome = remove_category(state.library(), category_id, reassign)
    moved = f"; {_papers(len(outcome.changed))} refiled under {reassign}" if reassign else ""
    _say(f"Removed category {category_id}{moved}.")


@category_app.command(
    "show",
    epilog="[bold]Examples[/]\n\n  litmap category show superposition\n\n  litmap category show attribution --json",
)
def show(
    category_id: Annotated[str, typer.Argument(metavar="ID", help="Category id.", autocompletion=complete_categories)],
    as_json: Annotated[
        bool, typer.Option("--json", help="The category, its subcategories and papers as JSON.")
    ] = False,
) -> None:
    """Show a category: its place in the tree, description, subcategories and papers."""
    from litmap.cli.render import emit_json
    from litmap.services.curation import category_report

    library = state.library()
    report = category_report(library, category_id)
    if as_json:
        emit_json(
            {
                "id": report.category.id,
                "title": report.category.title,
                "description": report.category.description,
                "parent": report.category.parent,
                "path": [c.id for c in report.path],
                "children": [{"id": c.id, "title": c.title, "papers_in_subtree": n} for c, n in report.children],
                "papers": [p.key for p in report.papers],
                "papers_in_subtree": [p.key for p in report.subtree_papers],
            }
        )
        return
    _render(report, library.taxonomy())


def _render(report: "CategoryReport", taxonomy: "Taxonomy") -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from litmap.cli.render import console, paper_table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Path", Text(" › ".join(c.title for c in report.path)))
    grid.add_row("Papers", f"{len(report.papers)} here, {len(report.subtree_papers)} with subcategories")
    if report.children:
        lines = [f"{escape(c.title)} [dim]{c.id}[/] [cyan]{_papers(n)}[/]" for c, n in report.children]
        grid.add_row("Subcategories", "\n".join(lines))
    if report.category.description:
        grid.add_row("Description", Text(report.category.description))
    console.print(
        Panel(
            grid,
            title=Text(report.category.title, style="bold"),
            subtitle=Text(report.category.id, style="cyan"),
            title_align="left",
            subtitle_align="right",
        )
    )
    if report.subtree_papers:
        console.print(paper_table(report.subtree_papers, taxonomy, caption=_papers(len(report.subtree_papers))))
