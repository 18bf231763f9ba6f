"""Exports meant for reading (Markdown, HTML, CSL-JSON) show abstracts as text, not as the LaTeX arXiv keeps."""

from __future__ import annotations

import html
import json
from pathlib import Path

from conftest import BUNDLED

#: An abstract as arXiv's API gives it: TeX as the authors typed it, and a link lost to "this https URL".
ABSTRACT = (
    r"Our method, the \emph{tuned lens}, refines the earlier ``logit lens'' technique~\cite{nostalgebraist2020}."
    r" The GELU is $x\Phi(x)$, with R&D gains of 50\%. Code: this https URL."
)
RAW = ("\\emph", "``", "''", "\\cite", "$", "\\%", "this https URL", "this http URL")


def test_an_arxiv_abstract_reads_as_text_in_markdown_html_and_csl(empty_library: Path, make_paper_file, invoke) -> None:  # type: ignore[no-untyped-def]
    make_paper_file(empty_library, "belrose2023eliciting", title="Eliciting Latent Predictions", abstract=ABSTRACT)
    pages = {name: invoke("export", name).stdout for name in ("markdown", "html")}
    shown = pages["html"].split('<div class="abstract-text" hidden>', 1)[1].split("</div>", 1)[0]
    pages["html"] = html.unescape(shown)
    (item,) = json.loads(invoke("export", "csl-json").stdout)
    pages["csl-json"] = item["abstract"]
    for name, text in pages.items():
        assert not [raw for raw in RAW if raw in text], name
        assert "tuned lens" in text and "“logit lens” technique." in text and "xΦ(x)" in text, name
        assert "the link on the paper's arXiv page" in text, name
    assert "R&D gains of 50%" in pages["html"]
    assert item["abstract"] == (
        "Our method, the tuned lens, refines the earlier “logit lens” technique. The GELU is xΦ(x), with R&D"
        " gains of 50%. Code: the link on the paper's arXiv page."
    )


def test_the_bundled_abstracts_have_their_links_back(invoke) -> None:  # type: ignore[no-untyped-def]
    # arXiv's listing pages show the links of these abstracts as "this http(s) URL"; the library has
    # the URLs of the arXiv abstracts.
    result = invoke("--library", str(BUNDLED), "export", "csl-json")
    assert "this http" not in result.stdout and "arXiv page" not in result.stdout
    abstracts = {i["id"]: i["abstract"] for i in json.loads(result.stdout)}
    assert abstracts["klambauer2017selfnormalizing"].endswith(
        "Implementations are available at: github.com/bioinf-jku/SNNs."
    )
    assert abstracts["dai2021knowledge"].endswith("https://github.com/Hunter-DDM/knowledge-neurons.")
    assert abstracts["belrose2023eliciting"].endswith("https://github.com/AlignmentResearch/tuned-lens.")
    assert "the tuned lens, is a refinement" in abstracts["belrose2023eliciting"]
