"""The lookup version of the attribute_ruler gives exactly what spaCy's own ruler gives."""
import pytest
import spacy
from spacy.tokens import Doc

from bilat.nlp.attributes import AttributeTable, LemmaTable
from bilat.nlp.pipeline import DEFAULT_ENGLISH_MODEL, EnglishPipeline

TEXTS = [
    "The foreign ministers of Russia and Tajikistan met in Moscow on Tuesday and agreed to simplify the "
    "registration of labour migrants, officials said.",
    "I ain't gonna sign it, y'all: she's doin' nothin' 'cause ol' Bob can't wait.",
    "Gon na wan na see it? Lem me go. The   spaces\n\nand line breaks stay whitespace tokens.",
    "Trade reached $1.4 billion in 2023, up 12 per cent, the ministry's statement said on 3 March.",
    "",
]


def attributes(doc: Doc) -> list[tuple]:
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(DEFAULT_ENGLISH_MODEL, exclude=["lemmatizer", "ner"])


@pytest.mark.parametrize("text", TEXTS)
def test_table_equals_the_ruler(nlp, text):
    ruler = nlp.get_pipe("attribute_ruler")
    with nlp.select_pipes(disable=["attribute_ruler"]):
        parsed = nlp(text)
    by_ruler = ruler(Doc(nlp.vocab).from_bytes(parsed.to_bytes()))
    table = AttributeTable(ruler)
    by_table = table(Doc(nlp.vocab).from_bytes(parsed.to_bytes()))
    assert attributes(by_table) == attributes(by_ruler)
    again = table(Doc(nlp.vocab).from_bytes(parsed.to_bytes()))  # second pass: from the cache
    assert attributes(again) == attributes(by_ruler)


def test_contractions_get_the_ruler_lemmas(nlp):
    table = AttributeTable(nlp.get_pipe("attribute_ruler"))
    with nlp.select_pipes(disable=["attribute_ruler"]):
        doc = table(nlp("We are gon na win."))
    assert [t.lemma_ for t in doc if t.lower_ in ("gon", "na")] == ["go", "to"]


def test_english_pipeline_uses_the_table_with_the_same_output():
    ours = EnglishPipeline()
    assert "bilat_attribute_table" in ours.nlp.pipe_names and "attribute_ruler" not in ours.nlp.pipe_names
    assert "bilat_lemma_table" in ours.nlp.pipe_names and "lemmatizer" not in ours.nlp.pipe_names
    reference = spacy.load(DEFAULT_ENGLISH_MODEL)
    for a, b in zip(ours.nlp.pipe(TEXTS), reference.pipe(TEXTS), strict=True):
        assert attributes(a) == attributes(b)
        assert [(e.text, e.label_) for e in a.ents] == [(e.text, e.label_) for e in b.ents]



@pytest.mark.parametrize("text", TEXTS)
def test_lemma_table_equals_the_lemmatizer(text):
    full = spacy.load(DEFAULT_ENGLISH_MODEL, exclude=["ner"])
    lemmatizer = full.get_pipe("lemmatizer")
    with full.select_pipes(disable=["lemmatizer"]):
        tagged = full(text)
    by_spacy = lemmatizer(Doc(full.vocab).from_bytes(tagged.to_bytes()))
    table = LemmaTable(lemmatizer)
    for _ in range(2):  # the second pass answers from the table
        by_table = table(Doc(full.vocab).from_bytes(tagged.to_bytes()))
        assert [t.lemma_ for t in by_table] == [t.lemma_ for t in by_spacy]
    if text:
        assert any(t.lemma_ != t.text for t in by_table)  # lemmas were really set
