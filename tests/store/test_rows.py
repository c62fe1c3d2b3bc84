"""The row codec (store/rows.py): a document to table rows and back is the same document, through Parquet
(the Dask engine's way) and through the store (what the writers keep)."""
import dataclasses

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st
from test_store import make_doc

from bilat.model import DatedValue, Document, Event, Mention, Quantity, RemovedParagraph, Sentence
from bilat.store.rows import TABLES, document_rows, documents_from_rows, rows_of
from bilat.store.writer import LogEntry, StoreWriter

# What the store does not keep (rows.py says why); everything else must come back.
NOT_STORED = {Document: {"limits", "stage_errors"}, Quantity: {"extra"}}  # the ingest log says them


def through_parquet(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    out = {}
    for name, rows in tables.items():
        sink = pa.BufferOutputStream()
        pq.write_table(pa.Table.from_pylist(rows), sink)
        out[name] = pq.read_table(pa.BufferReader(sink.getvalue())).to_pylist()
    return out


def test_every_field_has_a_column():
    doc = make_doc()
    rows = document_rows(doc)
    assert tuple(rows) == TABLES
    for part, row in ((doc.mentions[0], rows["mentions"][0]), (doc.events[0], rows["events"][0]),
                      (doc.quantities[0], rows["quantities"][0])):
        fields = {f.name for f in dataclasses.fields(part)} - NOT_STORED.get(type(part), set()) - {"span"}
        assert fields <= set(row) and {"doc_id", "idx", "start_char", "end_char"} <= set(row)
    kept = {f.name for f in dataclasses.fields(Document)} - NOT_STORED[Document]
    # the parts have tables of their own
    assert kept - set(rows["documents"][0]) == {"removed", "sentences", "mentions", "events", "quantities"}


def test_round_trip_through_the_store(tmp_path):
    docs = [make_doc("d1"), make_doc("d2")]
    docs[1].published = None
    docs[1].duplicate_of = "d1"
    with StoreWriter(tmp_path / "s.duckdb") as w:
        w.write(docs, [LogEntry(d.origin, d.doc_id, "ingested") for d in docs])
        tables = {}
        for name in reversed(TABLES):  # any order of tables and rows
            cur = w.con.execute(f"SELECT * FROM {name} ORDER BY doc_id DESC, {'1' if name == 'documents' else 'idx DESC'}")
            columns = [c[0] for c in cur.description]
            tables[name] = [dict(zip(columns, r, strict=True)) for r in cur.fetchall()]
    assert all("run_id" in row for row in tables["documents"])  # extra columns are passed over
    assert sorted(documents_from_rows(tables), key=lambda d: d.doc_id) == docs


text = st.text(max_size=30)
maybe = st.none() | text
real = st.floats(allow_nan=False, allow_infinity=False)
span = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))
mentions = st.builds(Mention, text=text, span=span, sentence=st.integers(0, 50), name=text, country=maybe,
                     sector=maybe, role=maybe, kb_id=maybe, kind=text, learned=st.booleans(), via=text)
events = st.builds(Event, type=text, mode=maybe, source=maybe, target=maybe, span=span, evidence=text,
                   sentence=st.integers(0, 50), trigger=text, source_actor=maybe, target_actor=maybe, cameo=maybe,
                   intensity=st.none() | real, negated=st.booleans(), planned=st.booleans(),
                   hypothetical=st.booleans(), attribution=maybe, date=maybe, date_precision=maybe,
                   date_method=maybe, location=maybe, lat=st.none() | real, lon=st.none() | real, rule=text,
                   model=maybe, confidence=st.none() | real, event_id=maybe)
quantities = st.builds(Quantity, text=text, span=span, sentence=st.integers(0, 50), value=real, unit=text,
                       evidence=text, value_usd=st.none() | real, bound=text, metric=maybe,
                       countries=st.lists(text, max_size=3), period=maybe, is_claim=st.booleans())
documents = st.builds(
    Document, doc_id=st.text(min_size=1, max_size=12), origin=text, fmt=text, text=text, title=maybe, outlet=maybe,
    url=maybe, published=st.none() | st.builds(DatedValue, text, text, text, text),
    cited_sources=st.lists(text, max_size=3), removed=st.lists(st.builds(RemovedParagraph, text, text), max_size=3),
    content_hash=text, duplicate_of=maybe, lang=st.sampled_from(["en", "ru"]),
    sentences=st.lists(st.builds(Sentence, st.integers(0, 10_000), st.integers(0, 10_000), text), max_size=3),
    mentions=st.lists(mentions, max_size=3), events=st.lists(events, max_size=3),
    quantities=st.lists(quantities, max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.lists(documents, max_size=4, unique_by=lambda d: d.doc_id))
def test_documents_to_rows_and_back_are_equal(docs):
    tables = rows_of(docs)
    assert documents_from_rows(tables) == docs
    assert documents_from_rows(through_parquet(tables)) == docs
    assert rows_of(documents_from_rows(tables)) == tables
