"""Outlets as one name each (bilat.store.outlets) and reports that count once, in a store written here.

Every text below is made up for these tests."""
import pytest

from bilat.errors import NotFound
from bilat.model import DatedValue, Document, Event, RemovedParagraph, Sentence
from bilat.store.outlets import (
    OutletTable,
    Source,
    confirmation,
    credit,
    default_table,
    host_of,
    name_key,
    resolve,
)

# --- the normaliser ------------------------------------------------------------------------------------------


def test_name_key_ignores_case_punctuation_accents_and_the():
    assert name_key("The Asia-Plus") == name_key("asia plus") == name_key("ASIA PLUS.") == "asiaplus"
    assert name_key("Café Kabul") == "cafekabul"
    assert name_key("The") == "the"  # a name that is only "The" keeps it


def test_host_of_urls_and_bare_hosts():
    assert host_of("https://www.centralasianwire.example/politics/1") == "centralasianwire.example"
    assert host_of("www.centralasianwire.example") == host_of("centralasianwire.example")
    assert host_of("m.steppemonitor.example.net") == "steppemonitor.example.net"
    assert host_of("Central Asian Wire") is None and host_of("") is None and host_of(None) is None


def test_aliases_short_names_and_hosts_with_and_without_www():
    names = resolve([("CAW", 5), ("Central Asian Wire", 2), ("www.centralasianwire.example", 1),
                     ("centralasianwire.example", 1), ("C.A.W.", 1)])
    assert len(names) == 1
    assert {names.canonical(n) for n in ("CAW", "caw", "Central Asian Wire", "the central asian wire",
                                         "https://centralasianwire.example/x")} == {"Central Asian Wire"}
    (row,) = names.outlets()
    assert row["outlet"] == "Central Asian Wire" and row["documents"] == 10
    assert set(row["names"]) == {"CAW", "Central Asian Wire", "www.centralasianwire.example",
                                 "centralasianwire.example", "C.A.W."}


def test_host_label_joins_the_name_it_spells_without_an_alias():
    # neither is in the alias table: the host's label is the name's words run together
    names = resolve([("Valley Courier", 3), ("valleycourier.example.org", 2), ("www.valleycourier.example.org", 1)])
    assert len(names) == 1 and names.canonical("valleycourier.example.org") == "Valley Courier"
    assert names.members("Valley Courier") == ["Valley Courier", "valleycourier.example.org",
                                               "www.valleycourier.example.org"]
    # a host seen alone keeps its host as its name; generic labels name nobody
    alone = resolve([("news.lakeside.example.com", 1), ("News", 1)])
    assert len(alone) == 2 and alone.canonical("news.lakeside.example.com") == "news.lakeside.example.com"


def test_a_shared_word_never_merges_two_outlets():
    names = resolve([("The Times", 1), ("The New York Times", 1), ("Financial Times", 1), ("nytimes.com", 1),
                     ("Times of Central Asia", 1), ("times.example", 1), ("Oxus Daily", 1), ("Oxus Weekly", 1)])
    # "The Times" and the host "times.example" are one (the label is its name); every other stays apart
    assert len(names) == 7
    assert names.canonical("times.example") == "The Times"
    assert len({names.canonical(n) for n in ("The New York Times", "Financial Times", "nytimes.com",
                                             "Times of Central Asia", "The Times")}) == 5


def test_names_equal_once_squashed_are_one_and_the_most_used_spelling_names_them():
    names = resolve([("Lowland Times", 1), ("The Lowland Times", 4), ("lowlandtimes.example.com", 2)])
    assert len(names) == 1 and names.canonical("lowlandtimes.example.com") == "The Lowland Times"


def test_alias_table_from_data_refuses_an_alias_of_two_outlets():
    table = OutletTable.from_dict({"outlets": [{"name": "Valley Courier", "aliases": ["VC"],
                                                "hosts": ["courier.example"]}]})
    assert resolve([("VC", 1), ("courier.example", 1)], table).outlets()[0]["outlet"] == "Valley Courier"
    with pytest.raises(ValueError, match="names both"):
        OutletTable.from_dict({"outlets": [{"name": "A One", "aliases": ["AO"]}, {"name": "Another", "aliases": ["A.O."]}]})
    assert default_table().version.startswith("outlets.")


def test_credits_wire_datelines_and_source_notes():
    assert credit("Headline\n\nKHUJAND, May 3 (CAW) - Officials met.") == "CAW"
    assert credit("ALMATY, June 9. /Kazinform/. The ministers met.") == "Kazinform"
    names = resolve([("Central Asian Wire", 1)])
    assert credit("Officials met.", ["Originally published by Central Asian Wire"], known=names.known) == \
        "Central Asian Wire"
    # a data source or a sentence that starts with "Sources" is no credit
    assert credit("Growth slowed.\nSource: Ministry of Statistics", known=names.known) is None
    assert credit("Sources said the talks went well.", known=names.known) is None
    assert credit("Russian Aluminium (RusAl) said - on Monday - it would leave.") is None


def test_confirmation_counts_copies_for_the_outlet_they_copy():
    names = resolve([("CAW", 1), ("Valley Courier", 2), ("Lowland Times", 1)])
    sources = {"w1": Source("w1", "CAW"), "h1": Source("h1", "Valley Courier", credit="CAW"),
               "h2": Source("h2", "Valley Courier", duplicate_of="w1"), "t1": Source("t1", "Lowland Times")}
    got = confirmation([{"doc_id": d, "idx": 0} for d in ("w1", "h1", "h2", "t1")], sources, names)
    assert got["confirmed_by"] == 2 and got["independent_outlets"] == ["Central Asian Wire", "Lowland Times"]
    assert got["independent_reports"] == 2 and got["reports"] == 4
    assert got["outlets"] == ["Central Asian Wire", "Lowland Times", "Valley Courier"]
    copies = {c["doc_id"]: c for c in got["copies"]}
    assert copies["h1"]["copy_of"] == "Central Asian Wire" and copies["h1"]["duplicate_of"] is None
    assert copies["h2"]["copy_of"] == "Central Asian Wire" and copies["h2"]["duplicate_of"] == "w1"
    assert copies["w1"]["copy_of"] is None
    # a copy whose original is not among the reports still confirms the outlet it copies, once
    only = confirmation([{"doc_id": "h1", "idx": 0}, {"doc_id": "h2", "idx": 0}], sources, names)
    assert only["confirmed_by"] == 1 and only["independent_reports"] == 1


# --- a store written here ------------------------------------------------------------------------------------

# doc, outlet, url, text, event_id, duplicate_of, removed
DOCS = [
    ("w1", "CAW", None, "KHUJAND, May 3 (CAW) - Officials of Kazakhstan and Kyrgyzstan agreed a water timetable "
     "at a meeting in a border town.", "e1", None, ()),
    ("w2", "Central Asian Wire", None, "OSH, May 9 (CAW) - Kyrgyz and Kazakh border guards held a joint patrol "
     "along the frontier river.", "e2", None, ()),
    ("h1", "Valley Courier", None, "KHUJAND, May 3 (CAW) - Kazakh and Kyrgyz officials settled a timetable for "
     "sharing the river's water.", "e1", None, ()),
    ("h2", "valleycourier.example.org", "https://www.valleycourier.example.org/water", "KHUJAND, May 3 (CAW) - "
     "Officials of Kazakhstan and Kyrgyzstan agreed a water timetable at a meeting in a border town.", "e1", "w1", ()),
    ("t1", "The Lowland Times", None, "Kazakhstan and Kyrgyzstan agreed when each may draw water, our reporter in "
     "the border town learned.", "e1", None, ()),
    ("t2", "Highland Times", None, "A joint patrol of Kazakh and Kyrgyz guards walked the river bank, the "
     "Highland Times saw.", "e2", None, ()),
    ("t3", "lowlandtimes.example.com", None, "The two governments discussed the patrol schedule by phone.", "e3",
     None, ()),
    ("s1", "Lowland Times", None, "The water deal follows a dry summer, figures show.", "e4", None,
     ("Source: Ministry of Statistics",)),
]


@pytest.fixture(scope="module")
def outlet_store(tmp_path_factory):
    from bilat.store.writer import StoreWriter

    docs = []
    for doc_id, outlet, url, text, event_id, dup, removed in DOCS:
        doc = Document(doc_id=doc_id, origin=f"{doc_id}.txt", fmt="txt", text=text, title=doc_id, outlet=outlet,
                       url=url, published=DatedValue("2021-05-10", "day", "metadata", "2021-05-10"),
                       content_hash=doc_id, duplicate_of=dup,
                       removed=[RemovedParagraph(r, "extractor:other") for r in removed])
        doc.sentences = [Sentence(0, len(text), text)]
        doc.events = [Event(type="AGREE", mode=None, source="KAZ", target="KGZ", span=(0, len(text)), evidence=text,
                            sentence=0, trigger="agreed", intensity=4.0, date="2021-05-03", date_precision="day",
                            event_id=event_id)]
        docs.append(doc)
    path = tmp_path_factory.mktemp("outlets") / "outlets.duckdb"
    with StoreWriter(path) as writer:
        writer.write(docs)
    return path


@pytest.fixture
def corpus(outlet_store):
    import bilat

    with bilat.open(outlet_store) as c:
        yield c


def test_store_outlets_are_counted_by_canonical_name(corpus):
    rows = {r["outlet"]: r for r in corpus.outlets()}
    assert set(rows) == {"Central Asian Wire", "Valley Courier", "Lowland Times", "Highland Times"}
    assert rows["Lowland Times"]["documents"] == 3  # "Lowland Times", "The Lowland Times" and the host
    assert rows["Valley Courier"]["names"] == ["Valley Courier", "valleycourier.example.org"]
    assert corpus.summary()["outlets"] == 4
    # the raw outlet stays stored
    raw = {r["doc_id"]: r["outlet"] for r in corpus.documents().records()}
    assert raw["w1"] == "CAW" and raw["t3"] == "lowlandtimes.example.com"


def test_an_outlet_filter_finds_every_name_of_the_outlet(corpus):
    assert {r["doc_id"] for r in corpus.documents(outlet="Central Asian Wire").records()} == {"w1", "w2"}
    assert {r["doc_id"] for r in corpus.documents(outlet="CAW").records()} == {"w1", "w2"}
    assert {r["doc_id"] for r in corpus.events(outlet="Lowland Times").records()} == {"t1", "t3", "s1"}
    assert {r["doc_id"] for r in corpus.events(outlet="Highland Times").records()} == {"t2"}
    assert len(corpus.events(outlet="Nobody's Gazette")) == 0


def test_event_confirmed_by_independent_outlets(corpus):
    e1 = corpus.confirmation("e1")
    assert e1["reports"] == 4 and e1["outlets"] == ["Central Asian Wire", "Lowland Times", "Valley Courier"]
    assert e1["confirmed_by"] == 2 and e1["independent_outlets"] == ["Central Asian Wire", "Lowland Times"]
    assert e1["independent_reports"] == 2
    copies = {c["doc_id"]: c for c in e1["copies"]}
    assert copies["h1"]["copy_of"] == "Central Asian Wire" and copies["h2"]["duplicate_of"] == "w1"
    e2 = corpus.confirmation("e2")  # one wire story and one outlet's own: two
    assert e2["confirmed_by"] == 2 and e2["independent_reports"] == 2
    assert corpus.confirmation("e4")["copies"][0]["copy_of"] is None  # a data source note is no credit
    with pytest.raises(NotFound):
        corpus.confirmation("nope")
