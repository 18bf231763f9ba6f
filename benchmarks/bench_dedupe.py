"""Dedupe quality and speed: precision, recall and whole-process time of `litmap dedupe --json`.

A synthetic library of N papers gets about 5% injected duplicates of each kind the matcher must
find, with the ground truth written beside it (``truth.json``):

  arxiv-version       the same arXiv id written as another version / URL (title slightly revised)
  datacite-doi        arXiv's DataCite DOI 10.48550/arXiv.<id> instead of the arxiv field
  doi-case            the same DOI in other case or as a doi.org URL
  preprint-published  an arXiv preprint of a published paper: a year earlier, no DOI, the venue
                      "arXiv", one title word edited, given names as initials
  case                the title in other case (sentence case, Title Case, lower case)
  typo                one typing slip in a title word
  latex               title and authors LaTeX-encoded: {\\"o}, \\'{e}, {BERT} braces

It also plants look-alikes that must NOT match: generic titles ("Introduction", "Attention") by
different authors, "Part I"/"Part II" series by the same authors, and sibling papers of the same
authors whose titles differ in one word (each with its own DOI).

Times are whole-process medians, twice: with every paper file parsed (no search index), and with the
papers read through the search index that `litmap search` keeps (built once, untimed).

Usage: python benchmarks/bench_dedupe.py [--sizes 10000 100000] [--runs 3] [--seed 1]
Libraries are cached in benchmarks/work/ (git-ignored); --fresh rebuilds them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import ADJECTIVES, FAMILY_NAMES, GIVEN_NAMES, NOUNS, TASKS, TOPICS
from timing import litmap_cmd, median_seconds

WORK = Path(__file__).resolve().parent / "work"
KINDS = ["arxiv-version", "datacite-doi", "doi-case", "preprint-published", "case", "typo", "latex"]
DUPLICATE_SHARE = 0.05
LOOKALIKE_SHARE = 0.01

METHODS = (
    "distillation pruning attribution patching probing steering ablation clustering retrieval tokenization"
    " regularization augmentation normalization initialization quantization sparsification factorization"
    " interpolation calibration alignment finetuning pretraining prompting decoding sampling search"
    " planning rewards curricula ensembles kernels transport diffusion flows autoencoders dictionaries"
    " transcoders lenses"
).split()
QUALIFIERS = (
    "gradient-free label-efficient data-driven training-free zero-shot few-shot unsupervised semi-supervised"
    " weakly-supervised layer-wise token-level neuron-level causal counterfactual geometric spectral"
    " information-theoretic energy-based kernelized attention-based memory-efficient certified differentiable"
    " privacy-preserving federated decentralized online offline multilingual cross-lingual long-context"
    " open-vocabulary"
).split()
SPECIAL = ["Gödel", "Fréchet", "Rényi", "Lévy", "Hölder", "Schrödinger", "Pólya", "Erdős", "naïve", "Kähler"]
ACRONYMS = ["BERT", "GPT", "LSTM", "CNN", "ViT", "CLIP", "VAE", "GAN", "RNN", "MLP", "PCA", "SVD", "ReLU"]
TEMPLATES = [
    "{Adj} {qual} {method} for {topic}",
    "{Adj} {noun} via {qual} {method}",
    "On the {noun} of {qual} {topic} in {task}",
    "Towards {qual} {method} of {noun} in {topic}",
    "{Topic} with {qual} {method}: {adj} {noun} for {task}",
    "When does {qual} {method} help {topic}?",
    "{Acronym} {noun} under {qual} {method}",
    "{Special} {method} for {adj} {topic}",
    "Revisiting {qual} {method} for {topic} and {task}",
    "{Adj} {topic} meets {qual} {method}",
]
GENERIC_TITLES = ["Introduction", "Attention", "Preface", "Editorial", "Overview", "Discussion", "Foreword"]
PREPRINT_VENUE = "arXiv preprint"
PUBLISHED_VENUES = ["NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "JMLR", "TMLR", "AAAI", "Nature"]
WORD_SWAPS = {
    "for": "in",
    "via": "through",
    "with": "using",
    "of": "in",
    "towards": "toward",
    "on": "about",
    "and": "&",
}
SYNONYMS = {
    "efficient": "fast",
    "scalable": "large-scale",
    "robust": "reliable",
    "understanding": "explaining",
    "revisiting": "rethinking",
    "features": "concepts",
    "representations": "embeddings",
    "benchmarks": "evaluations",
    "dynamics": "behaviour",
    "adaptive": "dynamic",
    "deep": "neural",
    "universal": "general",
}
LATEX_ACCENTS = {"ö": '{\\"o}', "é": "{\\'e}", "ő": "{\\H{o}}", "ï": '{\\"\\i}', "ä": '{\\"a}', "ó": "{\\'o}"}


# -- generating ----------------------------------------------------------------------------------


class Generator:
    """Deterministic papers, duplicates and look-alikes for one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        syllables = (
            "ka ro mi ta shi no ve lu ber gan dor fel hal jor kes lin mar nor pel quin ras sol tov ul wen yar zek"
        )
        parts = syllables.split()
        made = {(a + b + c).capitalize() for a in parts for b in parts for c in parts}
        self.families = sorted(set(FAMILY_NAMES)) + sorted(made)[:6000]
        self.weights = [1.0 / (rank + 10) for rank in range(len(self.families))]
        self.serial = 0
        self.arxiv_ids: set[str] = set()

    def new_arxiv(self, year: int) -> str:
        """An arXiv id not used before in this library."""
        while True:
            candidate = f"{year % 100:02d}{self.rng.randint(1, 12):02d}.{self.rng.randint(1, 99999):05d}"
            if candidate not in self.arxiv_ids:
                self.arxiv_ids.add(candidate)
                return candidate

    def _authors(self) -> list[list[str]]:
        count = self.rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8])
        families = self.rng.choices(self.families, weights=self.weights, k=count)
        return [[family, self.rng.choice(GIVEN_NAMES)] for family in families]

    def title(self) -> str:
        rng = self.rng
        topic = rng.choice(TOPICS)
        adj = rng.choice(ADJECTIVES)
        values = {
            "Adj": adj,
            "adj": adj.lower(),
            "qual": rng.choice(QUALIFIERS),
            "method": rng.choice(METHODS),
            "noun": rng.choice(NOUNS),
            "topic": topic,
            "Topic": topic[0].upper() + topic[1:],
            "task": rng.choice(TASKS),
            "Acronym": rng.choice(ACRONYMS),
            "Special": rng.choice(SPECIAL),
        }
        return rng.choice(TEMPLATES).format_map(values)

    def paper(self, title: str | None = None, authors: list[list[str]] | None = None) -> dict[str, Any]:
        """A base record (no key): published with a DOI, on arXiv, or both."""
        rng = self.rng
        self.serial += 1
        year = min(2024, int(rng.triangular(1995, 2025, 2022)))
        record: dict[str, Any] = {
            "type": rng.choice(["article", "inproceedings", "misc"]),
            "title": title or self.title(),
            "authors": authors or self._authors(),
            "year": year,
            "venue": rng.choice(PUBLISHED_VENUES),
            "added": dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1500)),
        }
        kind = rng.random()
        if kind < 0.6:
            record["doi"] = f"10.{rng.randint(1000, 99999)}/j.{self.serial:07d}.{rng.randint(10, 99)}"
        if kind > 0.4:
            record["arxiv"] = self.new_arxiv(year)
        if rng.random() < 0.3:
            record["tags"] = rng.sample(["to-read", "classic", "survey", "theory"], rng.randint(1, 2))
        return record

    # -- duplicates -------------------------------------------------------------------------------

    def duplicate(self, original: dict[str, Any], kind: str) -> dict[str, Any] | None:
        """A second record of ``original``'s paper, of ``kind``; None if the original does not allow it."""
        rng = self.rng
        dup = {k: v for k, v in original.items() if k not in ("arxiv", "doi", "tags")}
        dup["added"] = original["added"] + dt.timedelta(days=rng.randint(1, 300))
        if kind == "arxiv-version":
            if "arxiv" not in original:
                return None
            form = rng.choice(["{}v2", "arXiv:{}v3", "https://arxiv.org/abs/{}v2", "{}"])
            dup["arxiv"] = form.format(original["arxiv"])
            dup["title"] = self.edit_word(original["title"]) if rng.random() < 0.5 else original["title"]
        elif kind == "datacite-doi":
            if "arxiv" not in original:
                return None
            dup["doi"] = f"10.48550/arXiv.{original['arxiv']}"
            dup["title"] = self.recase(original["title"])
        elif kind == "doi-case":
            if "doi" not in original:
                return None
            doi = original["doi"].upper()
            dup["doi"] = rng.choice([doi, f"https://doi.org/{doi}", f"doi:{original['doi']}"])
        elif kind == "preprint-published":
            if "doi" not in original or "arxiv" in original:
                return None
            dup["venue"] = PREPRINT_VENUE
            dup["type"] = "misc"
            dup["year"] = original["year"] - rng.choice([0, 1, 1, 1, 2])
            dup["arxiv"] = self.new_arxiv(dup["year"])
            dup["title"] = self.edit_word(original["title"])
            dup["authors"] = [[family, given[0] + "."] for family, given in original["authors"]]
        elif kind == "case":
            dup["title"] = self.recase(original["title"])
        elif kind == "typo":
            dup["title"] = self.typo(original["title"])
        elif kind == "latex":
            dup["title"] = self.latex(original["title"])
            dup["authors"] = [[self.latex(f, braces=False), g] for f, g in original["authors"]]
        return dup

    def recase(self, title: str) -> str:
        style = self.rng.choice(["lower", "sentence", "title", "upper"])
        if style == "lower":
            return title.lower()
        if style == "sentence":
            return title[0].upper() + title[1:].lower()
        if style == "upper":
            return title.upper()
        return " ".join(w[0].upper() + w[1:] for w in title.split())

    def typo(self, title: str) -> str:
        words = title.split()
        choices = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if not choices:
            return title + "s"
        i = self.rng.choice(choices)
        word, at = words[i], self.rng.randint(1, len(words[i]) - 2)
        slip = self.rng.choice(["swap", "drop", "double", "replace"])
        if slip == "swap":
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        elif slip == "drop":
            word = word[:at] + word[at + 1 :]
        elif slip == "double":
            word = word[:at] + word[at] + word[at:]
        else:
            word = word[:at] + self.rng.choice("aeioutnrs") + word[at + 1 :]
        words[i] = word
        return " ".join(words)

    def edit_word(self, title: str) -> str:
        """A small editorial change: a function word swapped, a plural, a leading word dropped, a
        content word replaced by a near-synonym; one time in five, two of these."""
        for _ in range(2 if self.rng.random() < 0.2 else 1):
            title = self._edit_once(title)
        return title

    def _edit_once(self, title: str) -> str:
        words = title.split()
        swappable = [i for i, w in enumerate(words) if w.lower() in WORD_SWAPS]
        content = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        synonyms = [i for i, w in enumerate(words) if w.lower() in SYNONYMS]
        choice = self.rng.random()
        if swappable and choice < 0.3:
            i = self.rng.choice(swappable)
            words[i] = WORD_SWAPS[words[i].lower()]
        elif synonyms and choice < 0.55:
            i = self.rng.choice(synonyms)
            words[i] = SYNONYMS[words[i].lower()]
        elif content and choice < 0.85:
            i = self.rng.choice(content)
            words[i] = words[i][:-1] if words[i].endswith("s") else words[i] + "s"
        elif len(words) > 4:
            words = words[1:]
            words[0] = words[0][0].upper() + words[0][1:]
        return " ".join(words)

    def latex(self, text: str, braces: bool = True) -> str:
        out = "".join(LATEX_ACCENTS.get(ch, ch) for ch in text)
        if braces:
            out = " ".join(f"{{{w}}}" if any(c.isupper() for c in w[1:]) or w in ACRONYMS else w for w in out.split())
            if out == text:
                words = out.split()
                words[0] = f"{{{words[0]}}}"
                out = " ".join(words)
        return out

    # -- look-alikes ------------------------------------------------------------------------------

    def lookalikes(self) -> list[dict[str, Any]]:
        """Different papers that look alike: generic titles, a series, siblings (2-3 records)."""
        rng = self.rng
        kind = rng.choice(["generic", "series", "sibling"])
        if kind == "generic":
            title = rng.choice(GENERIC_TITLES)
            return [self.paper(title=title) for _ in range(rng.randint(2, 3))]
        authors = self._authors()
        base = self.title()
        if kind == "series":
            first, second = self.paper(base + ", Part I", authors), self.paper(base + ", Part II", authors)
        else:
            words = base.split()
            i = max(range(len(words)), key=lambda j: len(words[j]))
            other = words.copy()
            other[i] = rng.choice([m for m in METHODS if m != words[i]])
            first, second = self.paper(base, authors), self.paper(" ".join(other), authors)
            for record in (first, second):
                record.pop("arxiv", None)
                record["doi"] = f"10.{rng.randint(1000, 99999)}/s.{self.serial:07d}.{rng.randint(100, 999)}"
                self.serial += 1
        second["year"] = first["year"] + rng.randint(0, 2)
        return [first, second]


def toml_text(key: str, record: dict[str, Any]) -> str:
    """A paper file's text (written plainly for speed; litmap reads it like any other)."""
    lines = [f"key = {json.dumps(key)}"]
    for name, value in record.items():
        if name == "authors":
            names = ", ".join(json.dumps(f"{f}, {g}", ensure_ascii=False) for f, g in value)
            lines.append(f"authors = [{names}]")
        elif isinstance(value, (list, str)):
            lines.append(f"{name} = {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{name} = {value.isoformat() if isinstance(value, dt.date) else value}")
    return "\n".join(lines) + "\n"


def make_dedupe_library(root: Path, n: int, seed: int) -> dict[str, Any]:
    """Write a library of about ``n`` records with injected duplicates and look-alikes; return the truth."""
    gen = Generator(seed)
    rng = gen.rng
    n_dups = int(n * DUPLICATE_SHARE)
    n_look = int(n * LOOKALIKE_SHARE)
    records: list[dict[str, Any]] = []
    lookalike_sets: list[list[int]] = []
    while sum(len(s) for s in lookalike_sets) < n_look:
        members = gen.lookalikes()
        lookalike_sets.append(list(range(len(records), len(records) + len(members))))
        records += members
    base_count = n - n_dups - len(records)
    base_start = len(records)
    records += [gen.paper() for _ in range(base_count)]
    pairs: list[tuple[int, int, str]] = []
    originals = list(range(base_start, base_start + base_count))
    rng.shuffle(originals)
    cursor = 0
    for number in range(n_dups):
        kind = KINDS[number % len(KINDS)]
        while True:
            original = originals[cursor % len(originals)]
            cursor += 1
            dup = gen.duplicate(records[original], kind)
            if dup is not None:
                break
        pairs.append((original, len(records), kind))
        records.append(dup)
    order = list(range(len(records)))
    rng.shuffle(order)
    keys = {index: f"p{position:06d}" for position, index in enumerate(order)}
    papers = root / "papers"
    papers.mkdir(parents=True, exist_ok=True)
    (root / "litmap.toml").write_text(f'name = "dedupe benchmark ({n} papers, seed {seed})"\n', encoding="utf-8")
    (root / ".gitignore").write_text(".litmap/\n", encoding="utf-8")
    for index, record in enumerate(records):
        (papers / f"{keys[index]}.toml").write_text(toml_text(keys[index], record), encoding="utf-8")
    truth = {
        "pairs": [[keys[a], keys[b], kind] for a, b, kind in pairs],
        "lookalikes": [[keys[i] for i in members] for members in lookalike_sets],
    }
    (root.parent / f"{root.name}.truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return truth


# -- measuring -----------------------------------------------------------------------------------


def evaluate(groups: list[dict[str, Any]], truth: dict[str, Any]) -> dict[str, Any]:
    """Precision and recall of predicted groups against the injected pairs (and per kind)."""
    predicted = {frozenset(p) for g in groups for p in combinations(g["keys"], 2)}
    true = {frozenset(p[:2]): p[2] for p in truth["pairs"]}
    hits = predicted & set(true)
    per_kind = Counter(true.values())
    found = Counter(true[p] for p in hits)
    lookalike_pairs = {frozenset(p) for members in truth["lookalikes"] for p in combinations(members, 2)}
    return {
        "precision": len(hits) / len(predicted) if predicted else 1.0,
        "recall": len(hits) / len(true) if true else 1.0,
        "predicted_pairs": len(predicted),
        "true_pairs": len(true),
        "false_pairs": sorted(sorted(p) for p in predicted - set(true)),
        "missed": sorted([*sorted(p), true[p]] for p in set(true) - predicted),
        "lookalikes_flagged": len(predicted & lookalike_pairs),
        "lookalike_pairs": len(lookalike_pairs),
        "recall_by_kind": {kind: found[kind] / per_kind[kind] for kind in KINDS if per_kind[kind]},
    }


def library_for(n: int, seed: int, fresh: bool) -> tuple[Path, dict[str, Any]]:
    """The cached benchmark library of ``n`` papers (built if missing or ``fresh``) and its truth."""
    root = WORK / f"dedupe-{n}-{seed}"
    truth_path = WORK / f"{root.name}.truth.json"
    if fresh or not truth_path.exists():
        shutil.rmtree(root, ignore_errors=True)
        make_dedupe_library(root, n, seed)
    return root, json.loads(truth_path.read_text(encoding="utf-8"))


def _drop_index(root: Path) -> None:
    """Remove the library's search index, so papers are parsed from their files."""
    for path in (root / ".litmap").glob("index.sqlite3*"):
        path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=None, help="pass --threshold to litmap dedupe")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached libraries")
    parser.add_argument("--show", type=int, default=5, help="print this many false and missed pairs")
    args = parser.parse_args()
    for n in args.sizes:
        root, truth = library_for(n, args.seed, args.fresh)
        command = litmap_cmd("--library", str(root), "dedupe", "--json")
        if args.threshold is not None:
            command += ["--threshold", str(args.threshold)]
        _drop_index(root)
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = evaluate(json.loads(output), truth)
        parsed = median_seconds(command, runs=args.runs, before_each=lambda root=root: _drop_index(root))
        subprocess.run(litmap_cmd("--library", str(root), "search", "superposition"), check=True, capture_output=True)
        indexed = median_seconds(command, runs=args.runs)
        _drop_index(root)
        records = len(list((root / "papers").glob("*.toml")))
        sets = len(truth["lookalikes"])
        print(f"\n{records} records, {result['true_pairs']} injected duplicates, {sets} look-alike sets")
        print(f"  `litmap {' '.join(command[1:])}`, whole-process median of {args.runs}:")
        print(f"    {parsed:6.2f} s  every paper file parsed (no search index)")
        print(f"    {indexed:6.2f} s  papers read through the search index (`litmap search` built it)")
        print(
            f"  precision {result['precision']:.4f}  recall {result['recall']:.4f}  "
            f"({result['predicted_pairs']} pairs predicted; look-alike pairs flagged: "
            f"{result['lookalikes_flagged']} of {result['lookalike_pairs']})"
        )
        print("  recall by kind: " + ", ".join(f"{k} {v:.3f}" for k, v in result["recall_by_kind"].items()))
        for pair in result["false_pairs"][: args.show]:
            print("  false:", *pair)
        for pair in result["missed"][: args.show]:
            print("  missed:", *pair)


if __name__ == "__main__":
    main()
