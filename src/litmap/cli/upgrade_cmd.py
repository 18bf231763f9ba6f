"""The upgrade command: find the published version of preprints, show the diff, apply it with --yes."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from litmap.cli import state
from litmap.cli.app import app
from litmap.cli.complete import complete_categories, complete_keys

if TYPE_CHECKING:
    from litmap.services.upgrade import Finding


def _show(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def render_finding(finding: "Finding") -> list[str]:
    """The lines ``upgrade`` prints for one paper: verdict, evidence, field changes, failures."""
    key = finding.paper.key
    chosen = finding.chosen
    lines: list[str] = []
    if chosen is None:
        rejected = [v for v in finding.verdicts if not v.accepted]
        why = f"; {len(rejected)} candidate(s) rejected" if rejected else ""
        lines.append(f"{key}: no published version found{why}")
    else:
        c = chosen.candidate
        lines.append(
            f"{key}: published as {c.paper.venue} ({_show(c.paper.year)}) — {c.source}, {c.how}; "
            f"score {chosen.score:.2f}: {', '.join(chosen.reasons)}"
        )
        width = max(len(name) for name in finding.changes) if finding.changes else 0
        for name, (old, new, source) in finding.changes.items():
            lines.append(f"    {name:<{width}}  {_show(old)} -> {_show(new)}   [{source}]")
    for verdict in finding.verdicts:
        if not verdict.accepted:
            p = verdict.candidate.paper
            lines.append(
                f"    rejected {verdict.candidate.source}: {p.title!r} ({_show(p.venue)}, {_show(p.year)}): "
                f"{verdict.rejection}"
            )
    lines += [f"    failed {error}" for error in finding.errors]
    return lines


@app.command(
    epilog="[bold]Examples[/]\n\n"
    "  litmap upgrade --all --dry-run\n\n"
    "  litmap upgrade power2022grokking --yes\n\n"
    "  litmap upgrade --category superposition --json\n\n"
    "Asks arXiv (the DOI or journal reference on the preprint), Crossref, DBLP and Semantic Scholar in "
    "turn; answers are cached under .litmap/, so asking again is instant. Without --yes nothing is written.",
)
def upgrade(
    keys: Annotated[
        list[str] | None,
        typer.Argument(metavar="KEY...", help="Papers to upgrade (- reads stdin).", autocompletion=complete_keys),
    ] = None,
    all_papers: Annotated[bool, typer.Option("--all", help="Every preprint in the library.")] = False,
    category: Annotated[
        str | None,
        typer.Option(
            "--category", "-c", metavar="ID", help="The preprints of this category.", autocompletion=complete_categories
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Apply the changes found.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The findings as JSON.")] = False,
) -> None:
    """Find the published version of preprints and make each record describe it."""
    from litmap.cli.curation_cmds import keys_with_stdin
    from litmap.cli.render import console, emit_json, err_console
    from litmap.errors import InvalidValue
    from litmap.selection import select
    from litmap.services.published_sources import PublishedSources
    from litmap.services.upgrade import apply_upgrades, find_published, is_preprint_only

    if not keys and not all_papers and not category:
        raise InvalidValue("name the papers to upgrade: KEY..., --all or --category ID")
    library = state.library()
    if keys:
        papers = library.resolve_keys(keys_with_stdin(keys))
    else:
        taxonomy = library.taxonomy()
        if category:
            taxonomy.get(category)
        papers = select(library.papers(), taxonomy, category=category)
    preprints = [p for p in papers if is_preprint_only(p)]
    skipped = [p.key for p in papers if not is_preprint_only(p)]
    if keys and skipped and not as_json:
        console.print(f"Not preprints (already published or no arXiv id): {', '.join(skipped)}", markup=False)
    if yes and not dry_run:
        library.ensure_writable()
    sources = PublishedSources.for_library(library)
    findings = []
    try:
        sources.prefetch_arxiv([p.arxiv for p in preprints if p.arxiv])
        for number, paper in enumerate(preprints, start=1):
            if not as_json and len(preprints) > 1:
                err_console.print(f"[dim]{number}/{len(preprints)} {paper.key}…[/]", end="\r")
            finding = find_published(paper, sources.finders())
            findings.append(finding)
            if not as_json:
                for line in render_finding(finding):
                    console.print(line, markup=False, soft_wrap=True)
    finally:
        sources.close()
    applied = apply_upgrades(library, findings) if yes and not dry_run else []
    if as_json:
        emit_json({"findings": [f.to_json() for f in findings], "applied": [p.key for p in applied]})
        return
    found = [f for f in findings if f.chosen is not None and f.changes]
    plural = "s" if len(preprints) != 1 else ""
    summary = f"Published version found for {len(found)} of {len(preprints)} preprint{plural}"
    if applied:
        console.print(f"{summary}; updated {', '.join(p.key for p in applied)}.", markup=False)
    elif found:
        console.print(f"{summary}; nothing written (litmap upgrade … --yes applies them).", markup=False)
    else:
        console.print(f"{summary}.", markup=False)
