"""Search: the query language, typo tolerance and relevance ranking over the index.

A query is words (AND-ed), ``"quoted phrases"``, ``word*`` prefixes, ``-excluded`` terms, and field
filters: ``author:`` ``title:`` ``abstract:`` ``venue:`` (text in that field), ``tag:`` (exact tag),
``cat:ID`` (a category and its subcategories), ``year:2022`` / ``year:2020..2023``, ``type:article``,
``fulltext:`` (the text of attached PDFs only) and ``note:`` (the reader's notes only). Papers whose
attached PDFs or notes hold every plain word, but whose records do not, follow the record matches.
Hits are ranked by BM25 with field weights (title and citekey above authors, tags and categories,
above venue, abstract and note), plus a boost for matches in the title or citekey. A word found
nowhere in the library is replaced by the indexed words closest to it (one edit for short words,
two for longer ones), so ``superpositon`` still finds "Toy Models of Superposition".

Plain functions over an open :class:`~litmap.store.index.Index`; they never print.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from litmap.errors import InvalidValue, UnknownCategory

if TYPE_CHECKING:
    from litmap.store.index import BrokenFile, Index

#: Query field -> full-text column it searches.
TEXT_FIELDS = {"author": "authors", "title": "title", "abstract": "abstract", "venue": "venue"}
#: Query fields that filter on exact values rather than text.
FILTER_FIELDS = ("tag", "cat", "year", "type")
#: Query fields that search the text of attached documents: field -> document kind.
DOC_FIELDS = {"fulltext": "pdf", "note": "note"}
FIELD_ALIASES = {"authors": "author", "category": "cat", "tags": "tag"}
#: BM25 weight of each full-text column (in the index's column order).
WEIGHTS = {
    "key": 10.0,
    "title": 10.0,
    "authors": 4.0,
    "tags": 4.0,
    "categories": 4.0,
    "venue": 2.0,
    "abstract": 1.0,
    "note": 1.0,
}
#: How much more a match in the title or citekey counts (see ``_SCORE``).
TITLE_BOOST = 2.0
#: Papers fetched per query when reading hits' details (well under SQLite's limit on parameters).
_CHUNK = 500
#: Marks around matched words in titles and snippets (turned into spans before they leave this module).
_OPEN, _CLOSE = "\x02", "\x03"
Spans = list[tuple[int, int]]


class QueryError(InvalidValue):
    """A query that cannot be understood (the message says where)."""


class Term(NamedTuple):
    """One element of a query: a word, phrase or prefix, or a field filter; possibly negated."""

    value: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    negated: bool = False

    @property
    def is_text(self) -> bool:
        """Whether this term is matched against the full text (rather than an exact field value)."""
        return self.field is None or self.field in TEXT_FIELDS


class Query(NamedTuple):
    """A parsed query."""

    terms: tuple[Term, ...]
    text: str = ""


class Hit(NamedTuple):
    """One paper found, with what the result table shows."""

    key: str
    score: float | None
    record: dict[str, Any]
    year: int | None
    first_author: str
    title: str
    title_spans: Spans
    categories: list[str]
    snippet: str | None
    snippet_spans: Spans
    #: Where the match is when it is not in the record: "pdf" (an attached PDF) or "note".
    matched_in: str | None = None


class Results(NamedTuple):
    """Ranked hits (at most ``limit``) and their keys, how many matched in all, what was corrected,
    and which paper files had to be left out."""

    hits: list[Hit]
    total: int
    corrections: dict[str, list[str]]
    broken: list[BrokenFile]
    keys: list[str]
    #: When no paper holds every word: (the most words any paper holds, how many words were asked).
    partial: tuple[int, int] | None = None


# -- parsing -------------------------------------------------------------------------------------


def query_from_args(args: Sequence[str]) -> str:
    """The query text from command-line arguments: the arguments joined by spaces.

    Words in one quoted argument are words (``litmap search 'superposition features'``), as they are
    when given apart; a phrase needs its own double quotes (``litmap search '"induction heads"'``).
    """
    return " ".join(arg.strip() for arg in args if arg.strip())


def parse_query(text: str) -> Query:
    """Parse query text; QueryError names the part that is wrong."""
    from litmap.selection import parse_year_range

    terms: list[Term] = []
    for raw, negated, name, value, phrase in _tokens(text):
        if name is not None:
            name = FIELD_ALIASES.get(name, name)
            if name not in TEXT_FIELDS and name not in FILTER_FIELDS and name not in DOC_FIELDS:
                raise QueryError(f"unknown field {name + ':'!r} in {raw!r}" + _field_hint(name))
            if not value.strip():
                raise QueryError(f"{name + ':'!r} needs a value, e.g. {_EXAMPLES[name]}")
        prefix = False
        if name == "year":
            parse_year_range(value)
        elif name is None or name in TEXT_FIELDS or name in DOC_FIELDS:
            prefix = not phrase and value.endswith("*")
            value = value.rstrip("*") if prefix else value
            if not _has_word(value):
                if name is not None:
                    raise QueryError(f"{raw!r}: no words to search for")
                continue
            phrase = phrase or len(_words(value)) > 1
        terms.append(Term(value.strip(), name, phrase, prefix, negated))
    if not terms:
        raise QueryError("empty query: give words to search for, e.g. litmap search superposition")
    return Query(tuple(terms), text)


_EXAMPLES = {
    "author": "author:olah",
    "title": "title:grokking",
    "abstract": 'abstract:"phase change"',
    "venue": "venue:neurips",
    "tag": "tag:to-read",
    "cat": "cat:attribution",
    "year": "year:2022 or year:2020..2023",
    "type": "type:article",
    "fulltext": "fulltext:sparsity",
    "note": "note:replicate",
}


def _field_hint(name: str) -> str:
    from litmap.errors import did_you_mean
    from litmap.fuzzy import closest

    fields = [*TEXT_FIELDS, *FILTER_FIELDS]
    suggestions = [f"{s}:" for s in closest(name, fields, limit=1, cutoff=50)]
    return did_you_mean(suggestions) or f"; fields are {', '.join(f + ':' for f in fields)}"


def _tokens(text: str) -> list[tuple[str, bool, str | None, str, bool]]:
    """Split query text into (raw, negated, field, value, quoted) tuples."""
    import re

    field_re = re.compile(r"([A-Za-z]+):")
    word_re = re.compile(r'[^\s"]*')
    out = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        if negated:
            i += 1
        name = None
        match = field_re.match(text, i)
        if match:
            name = match.group(1).lower()
            i = match.end()
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError(f'unterminated quote in {text[start:]!r}: close the phrase with a second "')
            value, quoted, i = text[i + 1 : end], True, end + 1
        else:
            match = word_re.match(text, i)
            assert match is not None
            value, quoted, i = match.group(), False, max(match.end(), i + 1)
        out.append((text[start:i], negated, name, value, quoted))
    return out


def _words(text: str) -> list[str]:
    from litmap.store.entries import words_of

    return words_of(text)


def _has_word(text: str) -> bool:
    return bool(_words(text))


# -- searching -----------------------------------------------------------------------------------


def search(
    index: Index,
    query: Query,
    limit: int | None = None,
    snippets: bool = False,
    details: bool = True,
    marks: bool = True,
) -> Results:
    """Papers matching ``query``, best first (at most ``limit``; None or 0: all), with matched words marked.

    Papers holding the plain words as a phrase rank first. When no paper holds every word, the papers
    holding most of them are returned, and ``Results.partial`` says how many of how many words.
    ``snippets``: also the best-matching part of each abstract. ``marks=False`` skips marking matches;
    ``details=False`` fills only ``Results.keys`` (no record is read).
    """
    import json

    from litmap.store.documents import matching_documents, refresh_documents

    refresh_documents(index)
    corrections: dict[str, list[str]] = {}
    positive: list[str] = []
    conditions: list[str] = [_READABLE]
    params: list[Any] = []
    for term in query.terms:
        if term.field in DOC_FIELDS:
            keys = list(matching_documents(index, _phrase(term.value, term.prefix), DOC_FIELDS[term.field]))
            conditions.append(f"p.key {'NOT ' if term.negated else ''}IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(keys))
            continue
        if term.is_text:
            expression = _text_expression(index, term, corrections)
            if term.negated:
                conditions.append("p.id NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
                params.append(expression)
            else:
                positive.append(expression)
            continue
        condition, values = filter_condition(index, term)
        conditions.append(f"NOT ({condition})" if term.negated else f"({condition})")
        params.extend(values)
    where = " AND ".join(conditions)
    words = [t.value for t in query.terms if t.field is None and not (t.negated or t.phrase or t.prefix)]
    rows, match, partial = _ranked(index, positive, words, where, params, limit)
    total = rows[0][3] if rows else 0
    ranked = [(pid, score) for pid, _key, score, _total in rows]
    keys = [key for _pid, key, _score, _total in rows]
    plain = [_phrase(t.value, t.prefix) for t in query.terms if t.field is None and not t.negated]
    in_documents: dict[int, str] = {}
    if positive and plain and partial is None and (not limit or len(rows) < limit):
        # Papers whose PDFs or notes hold every plain word come after those whose records match
        # (``rows`` holds every record match here: there are fewer than ``limit``).
        found = matching_documents(index, " AND ".join(plain))
        extra = [key for key in found if key not in set(keys)]
        if extra:
            sql = f"SELECT p.id, p.key FROM papers p WHERE p.key IN (SELECT value FROM json_each(?)) AND {where}"
            allowed = {key: pid for pid, key in index.db.execute(sql, [json.dumps(extra), *params])}
            more = [(allowed[key], key) for key in extra if key in allowed]
            room = (limit - len(rows)) if limit else len(more)
            total += len(more)
            for pid, key in more[:room]:
                ranked.append((pid, None))
                keys.append(key)
                in_documents[pid] = found[key]
    hits = _hits(index, ranked, match, snippets, marks) if details else []
    for number, (hit, (pid, _score)) in enumerate(zip(hits, ranked, strict=False)):
        if pid in in_documents:
            hit = hit._replace(matched_in=in_documents[pid])
            if snippets:
                from litmap.store.documents import document_snippet

                text = document_snippet(index, hit.key, " AND ".join(plain), _OPEN, _CLOSE)
                snippet, spans = unmark(text) if text else (None, [])
                hit = hit._replace(snippet=snippet, snippet_spans=spans)
            hits[number] = hit
    return Results(hits, total, corrections, index.broken_files(), keys, partial)


_HOLDS = "(p.id IN (SELECT rowid FROM fts WHERE fts MATCH ?))"
#: The condition every search starts with: the paper file could be read.
_READABLE = "p.record IS NOT NULL"


def _ranked(
    index: Index, positive: list[str], words: list[str], where: str, params: list[Any], limit: int | None
) -> tuple[list[tuple[int, str, float | None, int]], str | None, tuple[int, int] | None]:
    """(id, key, score, total) rows best first, the match expression used, and the partial-match count."""
    tail = f" LIMIT {int(limit)}" if limit else ""
    if not positive:
        sql = f"SELECT p.id, p.key, NULL, count(*) OVER () FROM papers p WHERE {where} ORDER BY p.year DESC, p.key"
        return index.db.execute(sql + tail, params).fetchall(), None, None
    match = " AND ".join(positive)
    near = _phrase(" ".join(words)) if len(words) > 1 else None
    if limit and where == _READABLE:
        rows = _best(index, match, near, limit)
    else:
        scored = (
            f"SELECT p.id, p.key, p.year, {_SCORE} AS score, {_HOLDS if near else '0'} AS near"
            f" FROM fts JOIN papers p ON p.id = fts.rowid WHERE fts MATCH ? AND {where}"
        )
        sql = f"SELECT id, key, score, count(*) OVER () FROM ({scored}) ORDER BY near DESC, score DESC, year DESC, key"
        rows = index.db.execute(sql + tail, [*([near] if near else []), match, *params]).fetchall()
    if rows or len(positive) < 2:
        return rows, match, None
    # No paper holds every word: the papers holding most of them, ranked.
    held = " + ".join([_HOLDS] * len(positive))
    any_word = " OR ".join(f"({e})" for e in positive)
    scored = (
        f"SELECT p.id, p.key, p.year, {_SCORE} AS score, ({held}) AS held"
        f" FROM fts JOIN papers p ON p.id = fts.rowid WHERE fts MATCH ? AND {where}"
    )
    sql = (
        f"SELECT id, key, score, count(*) OVER (), held FROM ({scored}) ORDER BY held DESC, score DESC, year DESC, key"
    )
    found = index.db.execute(sql + tail, [*positive, any_word, *params]).fetchall()
    if not found:
        return [], any_word, None
    return [row[:4] for row in found], any_word, (int(found[0][4]), len(positive))


def _best(index: Index, match: str, near: str | None, limit: int) -> list[tuple[int, str, float | None, int]]:
    """The ``limit`` best rows of ``_ranked`` for a query without filters, in the same order, with less work.

    Every paper in the full-text table is readable, so the matches are ranked in that table alone,
    and only the rows that can be among the best (those ranked at least as high as the ``limit``-th,
    ties included) are joined with ``papers`` for the year and key that break ties.
    """
    holds = "(rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?))" if near else "0"
    sql = (
        f"WITH s AS MATERIALIZED (SELECT rowid AS id, {_SCORE} AS score, {holds} AS near FROM fts WHERE fts MATCH ?),"
        f" edge AS (SELECT near, score FROM s ORDER BY near DESC, score DESC LIMIT 1 OFFSET {int(limit) - 1})"
        " SELECT s.id, p.key, s.score, (SELECT count(*) FROM s) FROM s JOIN papers p ON p.id = s.id"
        " WHERE NOT EXISTS (SELECT 1 FROM edge) OR s.near > (SELECT near FROM edge)"
        " OR (s.near = (SELECT near FROM edge) AND s.score >= (SELECT score FROM edge))"
        f" ORDER BY s.near DESC, s.score DESC, p.year DESC, p.key LIMIT {int(limit)}"
    )
    return index.db.execute(sql, [*([near] if near else []), match]).fetchall()


def _weights(columns: set[str] | None = None) -> str:
    return ", ".join(str(w if columns is None or c in columns else 0.0) for c, w in WEIGHTS.items())


#: Relevance: BM25 over all columns, plus BM25 again over title and citekey alone (doubled). FTS5's
#: BM25 normalises by the length of the whole record and saturates quickly, so on its own a word in
#: the title would count little more than the same word in a long abstract.
_SCORE = f"-(bm25(fts, {_weights()}) + {TITLE_BOOST} * bm25(fts, {_weights({'key', 'title'})}))"


def _phrase(text: str, prefix: bool = False) -> str:
    return '"' + text.replace('"', '""') + '"' + (" *" if prefix else "")


def _text_expression(index: Index, term: Term, corrections: dict[str, list[str]]) -> str:
    """The FTS5 expression for a text term (typo-corrected when its word is found nowhere)."""
    expression = _phrase(term.value, term.prefix)
    if not term.phrase and not term.prefix:
        word = _words(term.value)[0]
        joined = _joined_forms(word) if term.field is None and len(_words(term.value)) == 1 else None
        if joined is not None and _matches_anything(index, joined):
            return f"({expression} OR {joined})"
        if not index.known_word(word) and not _matches_anything(index, expression):
            alternatives = correct_word(index, word)
            if alternatives:
                corrections[term.value] = alternatives
                expression = "(" + " OR ".join(_phrase(w) for w in [word, *alternatives]) + ")"
    if term.field is not None:
        expression = f"{TEXT_FIELDS[term.field]} : {expression}"
    return expression


def _joined_forms(word: str) -> str | None:
    """Other spellings of a word with digits, which the index splits or joins: ``gpt2`` as ``GPT-2``
    (the phrase ``gpt 2``), and the start of a citekey (``hanna2023`` finds ``hanna2023gpt2``)."""
    import re

    if not any(c.isdigit() for c in word):
        return None
    pieces = re.findall(r"[^\W\d_]+|\d+", word)
    forms = [f"key : {_phrase(word, prefix=True)}"]
    if len(pieces) > 1:
        forms.insert(0, _phrase(" ".join(pieces)))
    return " OR ".join(forms)


def _matches_anything(index: Index, expression: str) -> bool:
    return index.db.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (expression,)).fetchone() is not None


def correct_word(index: Index, word: str, limit: int = 3) -> list[str]:
    """Indexed words closest to a word found nowhere: one edit away (two for words of 6+ letters).

    The closest ones win; among equally close words, the more frequent first.
    """
    if len(word) < 4 or word.isdigit():
        return []
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    allowed = 1 if len(word) < 6 else 2
    candidates = index.words_near(len(word), allowed)
    words = [candidate for candidate, _docs in candidates]
    close = process.extract(word, words, scorer=DamerauLevenshtein.distance, score_cutoff=allowed, limit=None)
    scored = [(distance, -candidates[i][1], candidate) for candidate, distance, i in close]
    if not scored:
        return []
    best = min(distance for distance, _docs, _word in scored)
    return [w for d, _docs, w in sorted(scored) if d == best][:limit]


def filter_condition(index: Index, term: Term) -> tuple[str, list[Any]]:
    """SQL condition (over papers ``p``) and parameters for a tag, cat, year or type filter."""
    if term.field == "tag":  # case-insensitive: every spelling in use of the tag
        wanted = term.value.casefold()
        same = [t for t in index.tags_in_use() if t.casefold() == wanted] or [term.value]
        marks = ", ".join("?" * len(same))
        return f"p.id IN (SELECT paper FROM labels WHERE kind = 't' AND value IN ({marks}))", same
    if term.field == "type":
        return "p.type = ?", [term.value.lower()]
    if term.field == "year":
        from litmap.selection import parse_year_range

        low, high = parse_year_range(term.value)
        return "p.year IS NOT NULL AND p.year BETWEEN ? AND ?", [low or 0, high or 9999]
    taxonomy = index.taxonomy()
    if term.value not in taxonomy.descendants:
        from litmap.fuzzy import closest

        raise UnknownCategory(term.value, closest(term.value, list(taxonomy.descendants)))
    ids = taxonomy.descendants[term.value]
    marks = ", ".join("?" * len(ids))
    return f"p.id IN (SELECT paper FROM labels WHERE kind = 'c' AND value IN ({marks}))", list(ids)


def _hits(
    index: Index, ranked: list[tuple[int, float | None]], match: str | None, snippets: bool, marks: bool
) -> list[Hit]:
    """The details of ranked papers: records, and the title (and abstract snippet) with matches marked."""
    import json

    rows: dict[int, tuple[str, int | None, str, str]] = {}
    marked: dict[int, tuple[str, str | None]] = {}
    abstract_column, title_column = list(WEIGHTS).index("abstract"), list(WEIGHTS).index("title")
    snippet_sql = f"snippet(fts, {abstract_column}, '{_OPEN}', '{_CLOSE}', '…', 32)" if snippets else "NULL"
    ids = [pid for pid, _score in ranked]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        places = ", ".join("?" * len(chunk))
        sql = f"SELECT id, key, year, first_author, record FROM papers WHERE id IN ({places})"
        for pid, key, year, first_author, record in index.db.execute(sql, chunk):
            rows[pid] = (key, year, first_author, record)
        if match is not None and marks:
            for pid, title, snippet in index.db.execute(
                f"SELECT rowid, highlight(fts, {title_column}, '{_OPEN}', '{_CLOSE}'), {snippet_sql}"
                f" FROM fts WHERE fts MATCH ? AND rowid IN ({places})",
                [match, *chunk],
            ):
                marked[pid] = (title, snippet)
    titles = index.taxonomy().titles
    hits = []
    for pid, score in ranked:
        key, year, first_author, text = rows[pid]
        record = json.loads(text)
        title, snippet = marked.get(pid, (record["title"], None))
        if snippets and snippet is None:
            snippet = record.get("abstract")
        title_plain, title_spans = unmark(title)
        snippet_plain, snippet_spans = unmark(snippet) if snippet else (None, [])
        hits.append(
            Hit(
                key=key,
                score=float(f"{score:.4g}") if score is not None else None,
                record=record,
                year=year,
                first_author=first_author,
                title=title_plain,
                title_spans=title_spans,
                categories=[titles.get(c, c) for c in record.get("categories", [])],
                snippet=snippet_plain,
                snippet_spans=snippet_spans,
            )
        )
    return hits


def unmark(text: str) -> tuple[str, Spans]:
    """Text without the match marks, and the (start, end) spans they enclosed."""
    spans: Spans = []
    out: list[str] = []
    length = 0
    for piece in text.split(_OPEN):
        if _CLOSE in piece:
            inner, _, rest = piece.partition(_CLOSE)
            spans.append((length, length + len(inner)))
            out.extend((inner, rest))
            length += len(inner) + len(rest)
        else:
            out.append(piece)
            length += len(piece)
    return "".join(out), spans
