"""The public API is small and stays importable (httpx's test_exported_members, in spirit)."""
import bilat


def test_exported_members():
    assert set(bilat.__all__) == {"open", "code", "SentenceCoding", "Corpus", "Table", "Settings", "BilatError", "DatedValue", "Document",
                                  "Event", "Mention", "Quantity", "RawDocument", "Sentence", "__version__"}
    for name in bilat.__all__:
        assert hasattr(bilat, name), name


def test_open_reads_the_demo_store(demo_db):
    with bilat.open(demo_db) as corpus:
        events = corpus.events(dyad="RUS-TJK", type="CONSULT")
        frame = events.to_pandas()
        assert len(frame) == len(events) > 0
        assert set(frame["type"]) == {"CONSULT"}
        assert corpus.documents().to_arrow().num_rows >= 30
        assert len(corpus.actors()) > 0
