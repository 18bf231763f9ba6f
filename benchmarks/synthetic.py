"""Synthetic litmap libraries for benchmarks: n papers with realistic ML titles, authors and abstracts.

Deterministic for a given ``(n, seed)``. Files are rendered with the library's own codec
(``paper_to_toml``) and written plainly: this is a benchmark fixture, not the library API.

Usage: python benchmarks/synthetic.py DIR N [--seed S]

As a module: ``from synthetic import make_library`` (with ``benchmarks/`` on ``sys.path``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Each paper has a theme of two topics that most of its sentences are about; other topics appear
# in passing. About one paper in ten matches "superposition" (text or category), one in seventy in its title.
TOPICS = [
    "superposition",
    "polysemanticity",
    "induction heads",
    "sparse autoencoders",
    "feature visualization",
    "attribution",
    "saliency maps",
    "circuit discovery",
    "activation patching",
    "probing classifiers",
    "grokking",
    "scaling laws",
    "in-context learning",
    "attention",
    "transformers",
    "diffusion models",
    "contrastive learning",
    "reinforcement learning",
    "graph neural networks",
    "adversarial robustness",
    "knowledge distillation",
    "language models",
    "representation learning",
    "meta-learning",
    "optimization",
    "generalization",
    "pruning",
    "quantization",
    "federated learning",
    "variational inference",
    "normalizing flows",
    "mixture of experts",
    "tokenization",
    "retrieval augmentation",
    "reward modeling",
    "model editing",
    "causal abstraction",
    "linear probes",
    "neural collapse",
    "double descent",
    "lottery tickets",
    "batch normalization",
    "dropout",
    "curriculum learning",
    "self-supervised learning",
    "vision transformers",
    "convolutional networks",
    "recurrent networks",
    "speech recognition",
    "machine translation",
    "question answering",
    "image segmentation",
    "object detection",
    "protein folding",
    "time series forecasting",
    "anomaly detection",
    "active learning",
    "continual learning",
    "uncertainty estimation",
    "calibration",
    "fairness",
    "differential privacy",
]
TOPIC_WEIGHTS = [3 if topic in ("attention", "transformers", "language models") else 1 for topic in TOPICS]
#: How often a sentence strays from its paper's theme.
OFF_THEME = 0.1

ADJECTIVES = [
    "Efficient",
    "Scalable",
    "Robust",
    "Sparse",
    "Deep",
    "Mechanistic",
    "Interpretable",
    "Provable",
    "Emergent",
    "Hierarchical",
    "Causal",
    "Linear",
    "Nonlinear",
    "Toy",
    "Universal",
    "Adaptive",
    "Implicit",
    "Stochastic",
    "Bayesian",
    "Contrastive",
    "Self-supervised",
    "Multimodal",
    "Compositional",
    "Distributed",
    "Low-rank",
]
NOUNS = [
    "features",
    "representations",
    "circuits",
    "neurons",
    "embeddings",
    "gradients",
    "attention heads",
    "activations",
    "weights",
    "residual streams",
    "subspaces",
    "dictionaries",
    "priors",
    "objectives",
    "benchmarks",
    "datasets",
    "architectures",
    "dynamics",
    "phase transitions",
    "memorization",
]
TASKS = [
    "image classification",
    "language modeling",
    "arithmetic",
    "modular addition",
    "code generation",
    "sentiment analysis",
    "reasoning",
    "summarization",
    "retrieval",
    "planning",
    "control",
    "vision",
    "few-shot learning",
    "instruction following",
]
TITLE_TEMPLATES = [
    "{Adj} {noun} for {topic}",
    "On the {noun} of {topic}",
    "Understanding {topic} in {task}",
    "{Topic}: a {adj} perspective",
    "Towards {adj} {topic}",
    "{Adj} {topic} with {topic2}",
    "What do {noun} learn about {task}?",
    "Revisiting {topic} for {task}",
    "{Topic} and {topic2} in {adj} {noun}",
    "A survey of {topic}",
    "Toy models of {topic}",
    "Measuring {topic} in {adj} {noun}",
    "{Topic} is all you need",
    "Scaling {topic} to {task}",
]
SENTENCES = [
    "We study {topic} in {adj} {noun} trained on {task}.",
    "{Topic} has emerged as a central question for {task}.",
    "Prior work on {topic2} leaves open how {noun} behave under {topic}.",
    "We propose a {adj} method that combines {topic} with {topic2}.",
    "Our analysis reveals that {noun} exhibit {topic} early in training.",
    "Experiments on {task} show that the approach outperforms strong baselines.",
    "We find that {topic} explains a surprising fraction of the variance in {noun}.",
    "Theoretical results characterise when {topic2} improves {task}.",
    "We release code and {noun} to support further research on {topic}.",
    "These findings suggest that {adj} {noun} are key to {topic}.",
    "We introduce a benchmark for {topic} on {task} and evaluate {n} models.",
    "Ablations confirm that {topic2} is necessary for the gains we observe.",
]
FAMILY_NAMES = (
    "Smith Chen Wang Li Zhang Liu Nguyen Kim Park Garcia Martinez Rodriguez Müller Schmidt Schneider Fischer"
    " Weber Meyer Wagner Becker Dubois Martin Bernard Petit Rossi Russo Ferrari Esposito Bianchi Romano"
    " Tanaka Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Sato Kato Singh Kumar Sharma Patel"
    " Gupta Shah Khan Ali Ahmed Hassan Ivanov Petrov Sidorov Kowalski Nowak Novak Horvat Jensen Hansen"
    " Nielsen Andersson Johansson Karlsson Larsen Olsen Berg Lindqvist Virtanen Korhonen Silva Santos"
    " Oliveira Pereira Costa Almeida Cohen Levy Friedman Goldberg Brown Johnson Williams Jones Miller"
    " Davis Wilson Anderson Taylor Thomas Moore Jackson White Harris Clark Lewis Robinson Walker Young"
    " Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips"
    " Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Murphy Bailey"
    " Cooper Richardson Cox Howard Ward Torres Peterson Gray Ramirez James Watson Brooks Kelly Sanders"
    " Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Flores"
    " Washington Butler Simmons Foster Gonzales Bryant Alexander Russell Griffin Diaz Hayes Olah Elhage"
    " Nanda Olsson Bricken Templeton Conmy Geva Meng Bau Belinkov Hewitt Manning Bengio Hinton LeCun"
    " Sutskever Goodfellow Vaswani Radford Kaplan McCandlish Amodei Christiano Leike Steinhardt"
).split()
GIVEN_NAMES = (
    "Alice Bob Carol David Eve Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy Rupert Sybil Trent"
    " Victor Walter Xin Yuki Zoe Amir Bea Chloé Dmitri Elena Farah Gustavo Hana Ines Jonas Kenji Lara"
    " Marta Noor Oscar Priya Quentin Rosa Sven Tariq Ulla Vera Wei Ximena Yusuf Zainab Chris Neel Nelson"
    " Catherine Trenton Arthur Mor Kevin David Yonatan John Chris Yoshua Geoffrey Yann Ilya Ian Ashish"
    " Alec Jared Sam Dario Paul Jan Jacob"
).split()
VENUES = [
    "NeurIPS",
    "ICML",
    "ICLR",
    "ACL",
    "EMNLP",
    "NAACL",
    "CVPR",
    "ICCV",
    "ECCV",
    "AAAI",
    "IJCAI",
    "AISTATS",
    "UAI",
    "COLT",
    "TMLR",
    "JMLR",
    "Transformer Circuits Thread",
    "Distill",
    "arXiv preprint",
    "Nature Machine Intelligence",
]
TAGS = ["to-read", "classic", "survey", "reproduced", "important", "theory", "empirical", "code", "slides", "reread"]
TYPES = ["article"] * 6 + ["inproceedings"] * 5 + ["misc"] * 2 + ["techreport"]

#: (id, title, parent): a few nested categories, like a real reading list's.
CATEGORIES = [
    ("machine-learning", "Machine Learning", None),
    ("interpretability", "Interpretability", "machine-learning"),
    ("circuit-analysis", "Circuit Analysis", "interpretability"),
    ("attribution", "Attribution", "interpretability"),
    ("superposition", "Superposition", "interpretability"),
    ("feature-visualization", "Feature Visualization", "interpretability"),
    ("language-models", "Language Models", "machine-learning"),
    ("scaling", "Scaling", "language-models"),
    ("in-context-learning", "In-context Learning", "language-models"),
    ("vision", "Computer Vision", "machine-learning"),
    ("optimization", "Optimization", "machine-learning"),
    ("generalization", "Generalization", "optimization"),
    ("reinforcement-learning", "Reinforcement Learning", None),
    ("theory", "Theory", None),
]
TOPIC_CATEGORY = {
    "superposition": "superposition",
    "polysemanticity": "superposition",
    "sparse autoencoders": "superposition",
    "induction heads": "circuit-analysis",
    "circuit discovery": "circuit-analysis",
    "activation patching": "circuit-analysis",
    "attribution": "attribution",
    "saliency maps": "attribution",
    "feature visualization": "feature-visualization",
    "scaling laws": "scaling",
    "in-context learning": "in-context-learning",
    "language models": "language-models",
    "vision transformers": "vision",
    "image segmentation": "vision",
    "object detection": "vision",
    "optimization": "optimization",
    "grokking": "generalization",
    "double descent": "generalization",
    "generalization": "generalization",
    "reinforcement learning": "reinforcement-learning",
    "reward modeling": "reinforcement-learning",
}

CONFIG_TEXT = """\
# A synthetic litmap library made by benchmarks/synthetic.py (seed {seed}, {n} papers).
name = "Synthetic library ({n} papers)"
citekey_pattern = "{{author}}{{year}}{{word}}"
"""


def _taxonomy_text() -> str:
    from litmap.models import Category
    from litmap.store.codec import categories_to_toml

    return categories_to_toml([Category(id=cid, title=title, parent=parent) for cid, title, parent in CATEGORIES])


def _topic(theme: list[str], rng: random.Random) -> str:
    if rng.random() < OFF_THEME:
        return rng.choices(TOPICS, weights=TOPIC_WEIGHTS)[0]
    return rng.choice(theme)


def _fill(template: str, theme: list[str], rng: random.Random) -> str:
    topic, topic2 = _topic(theme, rng), _topic(theme, rng)
    adj = rng.choice(ADJECTIVES)
    values = {
        "topic": topic,
        "Topic": topic[0].upper() + topic[1:],
        "topic2": topic2,
        "adj": adj.lower(),
        "Adj": adj,
        "noun": rng.choice(NOUNS),
        "task": rng.choice(TASKS),
        "n": str(rng.randint(3, 40)),
    }
    return template.format_map(values)


def _paper_records(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """Yield ``n`` paper records (without keys), deterministic in ``seed``."""
    rng = random.Random(seed)
    start = dt.date(2018, 1, 1)
    for _ in range(n):
        theme = rng.choices(TOPICS, weights=TOPIC_WEIGHTS, k=2)
        title = _fill(rng.choice(TITLE_TEMPLATES), theme, rng)
        abstract = " ".join(_fill(rng.choice(SENTENCES), theme, rng) for _ in range(rng.randint(4, 8)))
        authors = [f"{rng.choice(FAMILY_NAMES)}, {rng.choice(GIVEN_NAMES)}" for _ in range(rng.randint(1, 8))]
        year = min(2024, int(rng.triangular(1990, 2025, 2023)))
        categories = sorted({TOPIC_CATEGORY[topic] for topic in theme if topic in TOPIC_CATEGORY})
        if not categories and rng.random() < 0.5:
            categories = [rng.choice(CATEGORIES)[0]]
        record: dict[str, Any] = {
            "type": rng.choice(TYPES),
            "title": title[0].upper() + title[1:],
            "authors": authors,
            "year": year,
            "venue": rng.choice(VENUES),
            "categories": categories,
            "tags": sorted(set(rng.sample(TAGS, rng.randint(0, 2)))),
            "added": start + dt.timedelta(days=rng.randint(0, 2400)),
            "abstract": abstract,
        }
        if rng.random() < 0.4:
            record["arxiv"] = f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(1, 29999):05d}"
        if rng.random() < 0.1:
            record["note"] = _fill("Read for the {topic} reading group; compare with {topic2}.", theme, rng)
        yield record


def _render(items: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    from litmap.models import Paper
    from litmap.store.codec import paper_to_toml

    return [(key, paper_to_toml(Paper.from_record({"key": key, **record}))) for key, record in items]


def _keyed(n: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    from litmap.keys import make_key
    from litmap.models import Paper

    taken: set[str] = set()
    out = []
    for record in _paper_records(n, seed):
        probe = Paper(key="probe", title=record["title"], authors=record["authors"][:1], year=record["year"])
        key = make_key(probe, taken)
        taken.add(key)
        out.append((key, record))
    return out


def make_library(root: Path, n: int, seed: int = 0) -> Path:
    """Write a valid synthetic library of ``n`` papers at ``root`` (created; must not hold one); return ``root``.

    Rendering uses both cores for large ``n`` (tomlkit is the slow part); the result does not depend on it.
    """
    root = Path(root)
    papers_dir = root / "papers"
    papers_dir.mkdir(parents=True, exist_ok=True)
    (root / "litmap.toml").write_text(CONFIG_TEXT.format(seed=seed, n=n), encoding="utf-8")
    (root / "taxonomy.toml").write_text(_taxonomy_text(), encoding="utf-8")
    (root / ".gitignore").write_text(".litmap/\n", encoding="utf-8")
    items = _keyed(n, seed)
    chunk = 2000
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    workers = min(len(chunks), os.cpu_count() or 1)
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            rendered = pool.map(_render, chunks)
            for part in rendered:
                _write(papers_dir, part)
    else:
        for part in chunks:
            _write(papers_dir, _render(part))
    return root


def _write(papers_dir: Path, rendered: list[tuple[str, str]]) -> None:
    for key, text in rendered:
        with open(papers_dir / f"{key}.toml", "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


def main(argv: list[str] | None = None) -> None:
    """``python benchmarks/synthetic.py DIR N [--seed S]``."""
    parser = argparse.ArgumentParser(description="Write a synthetic litmap library of N papers into DIR.")
    parser.add_argument("dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if (args.dir / "litmap.toml").exists():
        parser.error(f"{args.dir} already holds a library")
    start = time.perf_counter()
    make_library(args.dir, args.n, args.seed)
    print(f"wrote {args.n} papers to {args.dir} in {time.perf_counter() - start:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
