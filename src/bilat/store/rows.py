"""The row codec: a :class:`~bilat.model.Document` as rows of the store's tables, and back.

One document becomes a row of ``documents`` and rows of ``removed``, ``sentences``, ``mentions``,
``events`` and ``quantities``, each keyed by ``(doc_id, idx)`` with ``idx`` its place in the
document's list; spans are ``start_char``/``end_char``. Both writers (DuckDB and PostgreSQL) store
these rows, and the Dask engine ships them from its workers as Parquet and rebuilds the documents
on the client with :func:`documents_from_rows`.

What the store does not keep is not in the rows and does not come back: ``Document.limits`` and
``Document.stage_errors`` (the ingest log says them) and ``Quantity.extra``. ``n_words`` is derived from the text; the writer
adds ``run_id``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..model import DatedValue, Document, Event, Mention, Quantity, RemovedParagraph, Sentence

# The tables one document fills, the document's own row first.
TABLES = ("documents", "removed", "sentences", "mentions", "events", "quantities")

Rows = dict[str, list[dict[str, Any]]]

# The columns of each part that hold one field of the same name (spans and keys apart).
_DOCUMENT = ("doc_id", "origin", "fmt", "title", "outlet", "url")
_MENTION = ("sentence", "text", "name", "country", "sector", "role", "kb_id", "kind", "learned", "via")
_EVENT = ("event_id", "type", "mode", "source", "target", "source_actor", "target_actor", "cameo", "intensity",
          "negated", "planned", "hypothetical", "attribution", "date", "date_precision", "date_method",
          "location", "lat", "lon", "sentence", "evidence", "trigger", "rule", "model", "confidence")
_QUANTITY = ("sentence", "text", "value", "unit", "value_usd", "bound", "metric", "period", "is_claim", "evidence")


def document_rows(doc: Document) -> Rows:
    """The rows of every table (:data:`TABLES`) that ``doc`` fills."""
    pub = doc.published
    key = doc.doc_id
    return {
        "documents": [{
            **{c: getattr(doc, c) for c in _DOCUMENT},
            "published": pub.value if pub else None,
            "published_precision": pub.precision if pub else None,
            "published_method": pub.method if pub else None,
            "published_evidence": pub.evidence if pub else None,
            "cited_sources": list(doc.cited_sources), "text": doc.text,
            "content_hash": doc.content_hash, "duplicate_of": doc.duplicate_of, "lang": doc.lang,
            "n_words": len(doc.text.split()),
        }],
        "removed": [{"doc_id": key, "idx": i, "reason": r.reason, "text": r.text} for i, r in enumerate(doc.removed)],
        "sentences": [{"doc_id": key, "idx": i, "start_char": s.start, "end_char": s.end, "text": s.text}
                      for i, s in enumerate(doc.sentences)],
        "mentions": [_spanned(key, i, m, _MENTION) for i, m in enumerate(doc.mentions)],
        "events": [_spanned(key, i, e, _EVENT) for i, e in enumerate(doc.events)],
        "quantities": [_spanned(key, i, q, _QUANTITY) | {"countries": list(q.countries)}
                       for i, q in enumerate(doc.quantities)],
    }


def rows_of(docs: Iterable[Document]) -> Rows:
    """The rows of several documents, table by table, in the documents' order (a table none fills is absent)."""
    tables: Rows = {}
    for doc in docs:
        for name, rows in document_rows(doc).items():
            tables.setdefault(name, []).extend(rows)
    return tables


def documents_from_rows(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[Document]:
    """The documents whose rows :func:`document_rows` made, in the order of the ``documents`` rows.

    Rows may come in any order and carry more columns (``run_id``, ``n_words``, ``ingested_at``)."""
    children: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for name in TABLES[1:]:
        for row in tables.get(name, ()):
            children[row["doc_id"]][name].append(row)
    docs = []
    for d in tables.get("documents", ()):
        kids = children[d["doc_id"]]
        pub = None if d["published"] is None else DatedValue(
            d["published"], d["published_precision"], d["published_method"], d["published_evidence"])
        doc = Document(**{c: d[c] for c in _DOCUMENT}, text=d["text"], published=pub,
                       cited_sources=list(d["cited_sources"] or []), content_hash=d["content_hash"],
                       duplicate_of=d["duplicate_of"], lang=d.get("lang") or "en",
                       removed=[RemovedParagraph(r["text"], r["reason"]) for r in _ordered(kids["removed"])])
        doc.sentences = [Sentence(r["start_char"], r["end_char"], r["text"]) for r in _ordered(kids["sentences"])]
        doc.mentions = [Mention(**_fields(r, _MENTION)) for r in _ordered(kids["mentions"])]
        doc.events = [Event(**_fields(r, _EVENT)) for r in _ordered(kids["events"])]
        doc.quantities = [Quantity(**_fields(r, _QUANTITY), countries=list(r["countries"] or []))
                          for r in _ordered(kids["quantities"])]
        docs.append(doc)
    return docs


def _spanned(doc_id: str, idx: int, part: Mention | Event | Quantity, columns: tuple[str, ...]) -> dict[str, Any]:
    return {"doc_id": doc_id, "idx": idx, **{c: getattr(part, c) for c in columns},
            "start_char": part.span[0], "end_char": part.span[1]}


def _fields(row: Mapping[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    return {**{c: row[c] for c in columns}, "span": (row["start_char"], row["end_char"])}


def _ordered(rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(rows, key=lambda r: r["idx"])
