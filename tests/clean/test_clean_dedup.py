"""Near-duplicate index."""
from __future__ import annotations

from bilat.clean import NearDuplicateIndex
from bilat.model import Document

BASE = ("Russian and Tajik officials met in Dushanbe on Monday to discuss labour migration, border security and "
        "the construction of a new hydroelectric plant on the Vakhsh river, which both sides called a priority. "
        "The talks lasted four hours and ended with a joint statement on energy and transport cooperation.")


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, "t", "txt", text)


def test_exact_and_near_copies_point_to_the_first():
    index = NearDuplicateIndex()
    assert index.add(doc("a", BASE)) is None
    assert index.add(doc("b", BASE)) == "a"
    assert index.add(doc("c", BASE.replace("four hours", "five hours") + " Reuters")) == "a"
    assert "b" not in index and len(index) == 1


def test_different_article_is_new():
    index = NearDuplicateIndex()
    index.add(doc("a", BASE))
    other = ("Kyrgyzstan's parliament approved the budget for next year after a long debate about spending on "
             "schools, roads and hospitals in the southern regions, where protests were held last month.")
    assert index.add(doc("b", other)) is None
    assert len(index) == 2


def test_add_does_not_mark_the_document():
    index = NearDuplicateIndex()
    index.add(doc("a", BASE))
    d = doc("b", BASE)
    assert index.add(d) == "a" and d.duplicate_of is None


def test_warm_start_from_stored_texts():
    index = NearDuplicateIndex(threshold=0.8, num_perm=64)
    assert index.add_text("stored-1", BASE) is None
    assert index.add(doc("new", " ".join(BASE.split()).upper())) == "stored-1"


def test_short_and_empty_texts():
    index = NearDuplicateIndex()
    assert index.add(doc("a", "")) is None
    assert index.add(doc("b", "Talks held.")) is None
    assert index.add(doc("c", "Talks held.")) == "b"
