"""Outlets by canonical name and "confirmed by N independent outlets" through the REST API and the event
page, on a small store written here (every text made up for this test)."""
import pytest

from bilat.model import DatedValue, Document, Event, RemovedParagraph, Sentence
from bilat.store.queries import EVENT_COLUMNS

# doc, outlet, url, text, event_id, duplicate_of, removed paragraphs
DOCS = [
    ("a1", "Central Asian Wire", "https://www.centralasianwire.example/a1",
     "TERMEZ, Sept 2 (CAW) - Uzbekistan and Afghanistan opened a new rail freight link at the river crossing.",
     "rail", None, ()),
    ("a2", "centralasianwire.example", None,
     "Uzbek and Afghan officials inspected the customs post at the crossing on Friday.", "post", None, ()),
    ("b1", "Border Bulletin", None,
     "Uzbekistan and Afghanistan opened a rail freight link, the first trains carrying flour and fuel.",
     "rail", None, ("Originally published by Central Asian Wire",)),
    ("b2", "Border Bulletin", None,
     "TERMEZ, Sept 2 (CAW) - Uzbekistan and Afghanistan opened a new rail freight link at the river crossing.",
     "rail", "a1", ()),
    ("c1", "Amu Herald", None,
     "Freight trains began to run between Uzbekistan and Afghanistan, our correspondent at the bridge saw.",
     "rail", None, ()),
]


@pytest.fixture(scope="module")
def oc(tmp_path_factory, client_for):
    from bilat.server import create_app
    from bilat.store.writer import StoreWriter

    docs = []
    for doc_id, outlet, url, text, event_id, dup, removed in DOCS:
        doc = Document(doc_id=doc_id, origin=f"{doc_id}.txt", fmt="txt", text=text, title=f"Story {doc_id}",
                       outlet=outlet, url=url, published=DatedValue("2022-09-02", "day", "metadata", "2022-09-02"),
                       content_hash=doc_id, duplicate_of=dup,
                       removed=[RemovedParagraph(r, "extractor:other") for r in removed])
        doc.sentences = [Sentence(0, len(text), text)]
        doc.events = [Event(type="COOPERATE", mode=None, source="UZB", target="AFG", span=(0, len(text)),
                            evidence=text, sentence=0, trigger="opened", intensity=6.0, date="2022-09-02",
                            date_precision="day", event_id=event_id)]
        docs.append(doc)
    path = tmp_path_factory.mktemp("outlets") / "outlets.duckdb"
    with StoreWriter(path) as writer:
        writer.write(docs)
    with client_for(create_app(path, index_path=tmp_path_factory.mktemp("i") / "s.sqlite")) as c:
        yield c


def test_outlets_listed_once_each(oc):
    rows = oc.get("/api/outlets").json()
    assert [(r["outlet"], r["documents"]) for r in rows] == [
        ("Border Bulletin", 2), ("Central Asian Wire", 2), ("Amu Herald", 1)]  # busiest first, then by name
    assert rows[1]["names"] == ["Central Asian Wire", "centralasianwire.example"]
    assert oc.get("/api/summary").json()["outlets"] == 3


def test_event_says_how_many_independent_outlets_confirm_it(oc):
    answer = oc.get("/api/events/rail").json()
    # the existing fields are unchanged: the key and every report with its raw outlet
    assert answer["event_key"] == "rail" and len(answer["reports"]) == 4
    assert set(answer["reports"][0]) == {*EVENT_COLUMNS, "published", "url"}
    assert {r["outlet"] for r in answer["reports"]} == {"Central Asian Wire", "Border Bulletin", "Amu Herald"}
    # b1 credits the wire in a removed source note, b2 is a near-duplicate of a1: both count for the wire
    assert answer["confirmed_by"] == 2
    assert answer["independent_outlets"] == ["Amu Herald", "Central Asian Wire"]
    assert answer["independent_reports"] == 2
    assert answer["outlets"] == ["Amu Herald", "Border Bulletin", "Central Asian Wire"]
    copies = {c["doc_id"]: c for c in answer["copies"]}
    assert copies["b1"]["copy_of"] == "Central Asian Wire" and copies["b1"]["duplicate_of"] is None
    assert copies["b2"]["copy_of"] == "Central Asian Wire" and copies["b2"]["duplicate_of"] == "a1"
    assert copies["a1"]["copy_of"] is None and copies["c1"]["copy_of"] is None
    assert oc.get("/api/events/none-such").status_code == 404


def test_outlet_filter_takes_any_name_of_the_outlet(oc):
    for name in ("Central Asian Wire", "CAW", "centralasianwire.example"):
        got = oc.get("/api/events", params={"outlet": name}).json()
        assert {e["doc_id"] for e in got["items"]} == {"a1", "a2"}, name
    docs = oc.get("/api/documents", params={"outlet": "caw"}).json()
    assert docs["total"] == 2


def test_event_page_and_why_panel_count_independent_outlets(oc):
    html = oc.get("/events/rail").text
    assert "4 reports from 3 outlets (2 independent)" in html
    assert "2 independent outlets</strong>: Amu Herald, Central Asian Wire" in html
    assert "copy of Central Asian Wire" in html and "near-duplicate of" in html
    why = oc.get("/api/trend/why", params={"series": "UZB-AFG", "period": "2022-09"}).json()
    rail = next(i for i in why["items"] if i["event_key"] == "rail")
    assert rail["confirmed_by"] == 2 and rail["outlets"] == ["Amu Herald", "Border Bulletin", "Central Asian Wire"]
    post = next(i for i in why["items"] if i["event_key"] == "post")
    assert post["outlets"] == ["Central Asian Wire"] and post["confirmed_by"] == 1
    overview = oc.get("/").text
    assert "(also centralasianwire.example)" in overview
