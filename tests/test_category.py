"""Reshaping the category tree: `litmap category add/rename/move/remove/show` and the Taxonomy rules."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from litmap.errors import InvalidValue, UnknownCategory
from litmap.models import Category
from litmap.services import curation
from litmap.services.check import check_library
from litmap.store import Library
from litmap.store import files as store_files
from litmap.taxonomy import Taxonomy


def stored_categories(root: Path) -> list[dict[str, str]]:
    """taxonomy.toml's tables in file order, read straight from disk."""
    return tomllib.loads((root / "taxonomy.toml").read_text(encoding="utf-8")).get("category", [])


def papers_in(root: Path, category: str) -> list[str]:
    """Keys of the paper files that list ``category`` directly."""
    out = []
    for path in sorted((root / "papers").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if category in data.get("categories", []):
            out.append(data["key"])
    return out


def small_tree() -> Taxonomy:
    """a > (b > d, c); e at the top level."""
    return Taxonomy(
        [
            Category(id="a", title="A"),
            Category(id="b", title="B", parent="a", order=0),
            Category(id="d", title="D", parent="b"),
            Category(id="c", title="C", parent="a", order=1),
            Category(id="e", title="E", order=1),
        ]
    )


# -- the Taxonomy rules ------------------------------------------------------------------------


def test_move_refuses_cycles() -> None:
    tree = small_tree()
    with pytest.raises(InvalidValue, match="under itself"):
        tree.with_moved("a", "a")
    with pytest.raises(InvalidValue, match="its own subcategory 'd'"):
        tree.with_moved("a", "d")
    assert tree.problems() == []


def test_move_carries_the_subtree_and_makes_it_the_last_child() -> None:
    moved = small_tree().with_moved("b", "e")
    assert [c.id for c in moved.children("e")] == ["b"]
    assert [c.id for c in moved.children("a")] == ["c"]
    assert [c.id for c in moved.path("d")] == ["e", "b", "d"]
    assert moved.ids == ["a", "c", "e", "b", "d"]
    assert moved.problems() == []
    top = small_tree().with_moved("d", None)
    assert [c.id for c in top.roots()] == ["a", "e", "d"]


def test_add_puts_a_new_category_after_its_parents_subtree() -> None:
    grown = small_tree().with_added(Category(id="f", title="F", parent="a"))
    assert [c.id for c in grown.children("a")] == ["b", "c", "f"]
    assert [c.id for c in grown.in_file_order()] == ["a", "b", "d", "c", "f", "e"]
    with pytest.raises(InvalidValue, match="already exists"):
        grown.with_added(Category(id="f", title="F again"))
    with pytest.raises(UnknownCategory):
        grown.with_added(Category(id="g", title="G", parent="nope"))


def test_rename_takes_the_children_along() -> None:
    renamed = small_tree().with_renamed("b", "bee", title="Bee")
    assert "b" not in renamed
    assert renamed.get("bee").title == "Bee"
    assert renamed.get("d").parent == "bee"
    with pytest.raises(InvalidValue, match="already exists"):
        small_tree().with_renamed("b", "c")
    with pytest.raises(InvalidValue, match="invalid category id"):
        small_tree().with_renamed("b", "Not A Slug")


def test_without_needs_a_home_for_subcategories() -> None:
    with pytest.raises(InvalidValue, match="has subcategories"):
        small_tree().without("b")
    with pytest.raises(InvalidValue, match="one of its subcategories"):
        small_tree().without("a", reassign_to="d")
    pruned = small_tree().without("b", reassign_to="c")
    assert pruned.get("d").parent == "c"
    assert "b" not in pruned
    assert small_tree().without("e").ids == ["a", "b", "d", "c"]


# -- category add / show -------------------------------------------------------------------------


def test_add_category(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        "category", "add", "sparse-autoencoders", "--title", "Sparse Autoencoders", "--parent", "superposition",
        "--description", "Dictionary learning on activations.",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    tables = stored_categories(bundled_copy)
    added = next(t for t in tables if t["id"] == "sparse-autoencoders")
    assert added == {
        "id": "sparse-autoencoders",
        "title": "Sparse Autoencoders",
        "parent": "superposition",
        "description": "Dictionary learning on activations.\n",
    }
    shown = json.loads(invoke("category", "show", "superposition", "--json").stdout)
    assert [c["id"] for c in shown["children"]] == ["sparse-autoencoders"]
    assert check_library(Library(bundled_copy)) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad_Id", "--title", "X"], "invalid category id 'Bad_Id'"),
        (["attribution", "--title", "X"], "category 'attribution' already exists"),
        (["new-one", "--title", "X", "--parent", "superpositon"], "did you mean 'superposition'?"),
        (["new-one", "--title", "  "], "a category needs a title"),
    ],
)
def test_add_category_errors_change_nothing(invoke, bundled_copy: Path, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    before = (bundled_copy / "taxonomy.toml").read_bytes()
    result = invoke("category", "add", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert (bundled_copy / "taxonomy.toml").read_bytes() == before


def test_show_category(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(invoke("category", "show", "challenges-and-criticisms", "--json").stdout)
    tables = stored_categories(bundled_copy)
    children = [t["id"] for t in tables if t.get("parent") == "challenges-and-criticisms"]
    assert [c["id"] for c in data["children"]] == children
    assert data["path"] == ["interpretability", "challenges-and-criticisms"]
    in_subtree = sorted({k for c in ["challenges-and-criticisms", *children] for k in papers_in(bundled_copy, c)})
    assert data["papers_in_subtree"] == in_subtree
    assert data["papers"] == papers_in(bundled_copy, "challenges-and-criticisms")
    text = invoke("category", "show", "superposition")
    assert text.exit_code == 0
    assert "Challenges and Criticisms › Superposition" in text.stdout
    assert "elhage2022toy" in text.stdout
    unknown = invoke("category", "show", "superpositon")
    assert unknown.exit_code == 1
    assert "did you mean 'superposition'?" in unknown.stderr


# -- category rename -------------------------------------------------------------------------------


def test_rename_updates_every_paper_in_one_atomic_change(
    invoke, bundled_copy: Path, commits: list[store_files.Changes]
) -> None:  # type: ignore[no-untyped-def]
    old = "mapping-and-editing-learned-representations"
    users = papers_in(bundled_copy, old)
    assert len(users) > 1
    others = {p.name: p.read_bytes() for p in (bundled_copy / "papers").glob("*.toml") if p.stem not in users}
    result = invoke("category", "rename", old, "representations", "--title", "Representations")
    assert result.exit_code == 0, result.stderr
    assert f"{len(users)} papers refiled" in result.stdout
    assert len(commits) == 1
    assert sorted(p.name for p in commits[0].writes) == sorted([*(f"{k}.toml" for k in users), "taxonomy.toml"])
    assert papers_in(bundled_copy, old) == []
    assert papers_in(bundled_copy, "representations") == users
    assert {p.name: p.read_bytes() for p in (bundled_copy / "papers").glob("*.toml") if p.stem not in users} == others
    renamed = next(t for t in stored_categories(bundled_copy) if t["id"] == "representations")
    assert renamed["title"] == "Representations"
    assert check_library(Library(bundled_copy)) == []


def test_rename_a_parent_keeps_its_children(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    children = [t["id"] for t in stored_categories(bundled_copy) if t.get("parent") == "challenges-and-criticisms"]
    assert invoke("category", "rename", "challenges-and-criticisms", "challenges").exit_code == 0
    tables = stored_categories(bundled_copy)
    assert [t["id"] for t in tables if t.get("parent") == "challenges"] == children
    assert check_library(Library(bundled_copy)) == []


def test_rename_to_a_taken_id_changes_nothing(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = {p: p.read_bytes() for p in bundled_copy.rglob("*.toml")}
    result = invoke("category", "rename", "attribution", "visualization")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert {p: p.read_bytes() for p in bundled_copy.rglob("*.toml")} == before


def test_interrupted_rename_leaves_a_valid_library(bundled_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = "mapping-and-editing-learned-representations"
    users = papers_in(bundled_copy, old)
    real_replace = os.replace
    renames: list[str] = []

    def crash_after_first_rename(src: str, dst: str) -> None:
        if not str(dst).endswith(store_files.JOURNAL):
            if renames:
                raise KeyboardInterrupt  # the process dies mid roll-forward
            renames.append(str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_after_first_rename)
    with pytest.raises(KeyboardInterrupt):
        curation.rename_category(Library(bundled_copy), old, "representations")
    monkeypatch.undo()
    assert store_files.pending_journal(bundled_copy)
    assert len(renames) == 1
    assert papers_in(bundled_copy, old)  # half done: most papers still carry the old id

    reopened = Library(bundled_copy)  # the next litmap process rolls the change forward
    assert not store_files.pending_journal(bundled_copy)
    assert papers_in(bundled_copy, old) == []
    assert papers_in(bundled_copy, "representations") == users
    assert "representations" in reopened.taxonomy()
    assert check_library(reopened) == []
    assert not list(bundled_copy.rglob(f"*{store_files.TMP_SUFFIX}"))


# -- category move ---------------------------------------------------------------------------------


def test_move_category(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("category", "move", "superposition", "--parent", "techniques-to-analyze-neural-networks")
    assert result.exit_code == 0, result.stderr
    tree = json.loads(invoke("tree", "--json").stdout)
    (root,) = tree["categories"]
    techniques = next(c for c in root["children"] if c["id"] == "techniques-to-analyze-neural-networks")
    assert techniques["children"][-1]["id"] == "superposition"
    assert techniques["children"][-1]["papers"] == len(papers_in(bundled_copy, "superposition"))
    assert check_library(Library(bundled_copy)) == []


def test_move_refuses_a_cycle_and_changes_nothing(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = (bundled_copy / "taxonomy.toml").read_bytes()
    result = invoke("category", "move", "techniques-to-analyze-neural-networks", "--parent", "attribution")
    assert result.exit_code == 1
    assert "would make a cycle" in result.stderr
    assert (bundled_copy / "taxonomy.toml").read_bytes() == before
    assert invoke("category", "move", "attribution").exit_code == 2  # neither --parent nor --top


def test_move_to_the_top_level(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert invoke("category", "move", "scalability", "--top").exit_code == 0
    roots = [c["id"] for c in json.loads(invoke("tree", "--json").stdout)["categories"]]
    assert roots[-1] == "scalability"


# -- category remove -------------------------------------------------------------------------------


def test_remove_refuses_while_papers_use_it(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    users = papers_in(bundled_copy, "scalability")
    assert users
    before = (bundled_copy / "taxonomy.toml").read_bytes()
    result = invoke("category", "remove", "scalability")
    assert result.exit_code == 1
    assert f"used by {len(users)} paper" in result.stderr
    assert "--reassign" in result.stderr
    assert (bundled_copy / "taxonomy.toml").read_bytes() == before


def test_remove_refuses_while_subcategories_use_it(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = invoke("category", "remove", "challenges-and-criticisms")
    assert result.exit_code == 1
    assert "subcategor" in result.stderr


def test_remove_with_reassign(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    users = papers_in(bundled_copy, "scalability")
    target_before = papers_in(bundled_copy, "superposition")
    result = invoke("category", "remove", "scalability", "--reassign", "superposition")
    assert result.exit_code == 0, result.stderr
    assert papers_in(bundled_copy, "scalability") == []
    assert papers_in(bundled_copy, "superposition") == sorted(set(users) | set(target_before))
    assert "scalability" not in [t["id"] for t in stored_categories(bundled_copy)]
    assert check_library(Library(bundled_copy)) == []


def test_remove_a_parent_with_reassign_moves_its_subcategories(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    children = [t["id"] for t in stored_categories(bundled_copy) if t.get("parent") == "challenges-and-criticisms"]
    result = invoke("category", "remove", "challenges-and-criticisms", "--reassign", "making-interpretable-models")
    assert result.exit_code == 0, result.stderr
    tables = stored_categories(bundled_copy)
    assert all(t["parent"] == "making-interpretable-models" for t in tables if t["id"] in children)
    assert check_library(Library(bundled_copy)) == []


def test_remove_an_unused_category(invoke, bundled_copy: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("category", "add", "spare", "--title", "Spare")
    result = invoke("category", "remove", "spare")
    assert result.exit_code == 0, result.stderr
    assert "spare" not in [t["id"] for t in stored_categories(bundled_copy)]
    unknown = invoke("category", "remove", "spaer")
    assert unknown.exit_code == 1
    assert "no category 'spaer'" in unknown.stderr


def test_category_commands_refuse_the_bundled_library(invoke) -> None:  # type: ignore[no-untyped-def]
    result = invoke("category", "add", "x", "--title", "X")
    assert result.exit_code == 1
    assert "read-only" in result.stderr
