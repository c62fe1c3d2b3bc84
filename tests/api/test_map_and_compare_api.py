"""/api/map and /api/compare (and Corpus.places / Corpus.compare, store.geography / store.comparison) on a small
store of known events with coordinates: places, distinct events, negated / hypothetical / planned reports, the
comparison's shared periods and summaries, errors."""
import pytest

from bilat.model import DatedValue, Document, Event, Sentence

DUSHANBE, MOSCOW, BISHKEK, ASTANA = (38.536, 68.780), (55.752, 37.618), (42.870, 74.590), (51.180, 71.446)
# (doc, outlet, event_id, type, source, target, intensity, date, location, coordinates, flags); sentences made up here
ROWS = [
    ("m1", "Oxus Daily", "e1", "AGREE", "RUS", "TJK", 8.0, "2019-01-10", "Dushanbe", DUSHANBE, {}),
    ("m2", "Steppe Monitor", "e1", "AGREE", "RUS", "TJK", 8.0, "2019-01-10", "Dushanbe", (38.5358, 68.7791), {}),
    ("m3", "Oxus Daily", "e2", "ACCUSE", "TJK", "RUS", -2.0, "2019-02-04", "Moscow", MOSCOW, {}),
    ("m4", "Oxus Daily", "e3", "REJECT", "TJK", "RUS", -4.0, "2019-02-06", "Moscow", MOSCOW, {"negated": True}),
    ("m5", "Steppe Monitor", "e4", "CONSULT", "RUS", "KGZ", 1.0, "2019-06-20", "Bishkek", BISHKEK, {"planned": True}),
    ("m6", "Oxus Daily", "e5", "THREATEN", "RUS", "TJK", -7.0, "2019-07-01", "Moscow", MOSCOW, {"hypothetical": True}),
    ("m7", "Oxus Daily", "e6", "ASSAULT", "RUS", "KAZ", -10.0, "2020-11-02", "Astana", ASTANA, {}),
    ("m8", "Oxus Daily", "e7", "CONSULT", "RUS", "TJK", 1.0, "2020-12-01", None, None, {}),
    ("m9", "Steppe Monitor", "e8", "SANCTION", "RUS", "TJK", -5.0, "2020-03-05", "Tajikistan", (38.5357, 68.779), {}),
]


@pytest.fixture(scope="module")
def map_db(tmp_path_factory):
    from bilat.store.writer import StoreWriter

    docs = []
    for doc_id, outlet, event_id, etype, src, dst, intensity, day, location, at, flags in ROWS:
        text = f"Officials of {src} and {dst} met in a made-up map fixture on {day}."
        doc = Document(doc_id=doc_id, origin=f"{doc_id}.txt", fmt="txt", text=text, title=doc_id, outlet=outlet,
                       published=DatedValue(day, "day", "metadata", day), content_hash=doc_id)
        doc.sentences = [Sentence(0, len(text), text)]
        doc.events = [Event(type=etype, mode=None, source=src, target=dst, span=(0, len(text)), evidence=text,
                            sentence=0, trigger="met", intensity=intensity, date=day, date_precision="day",
                            event_id=event_id, location=location, lat=at[0] if at else None,
                            lon=at[1] if at else None, **flags)]
        docs.append(doc)
    path = tmp_path_factory.mktemp("map") / "map.duckdb"
    with StoreWriter(path) as writer:
        writer.write(docs)
    return path


@pytest.fixture(scope="module")
def mc(map_db, tmp_path_factory, client_for):
    from bilat.server import create_app

    with client_for(create_app(map_db, index_path=tmp_path_factory.mktemp("i") / "s.sqlite")) as c:
        yield c


def _by_name(answer):
    return {p["name"]: p for p in answer["places"]}


def test_places_count_distinct_events_once_per_place(mc):
    answer = mc.get("/api/map").json()
    places = _by_name(answer)
    assert set(places) == {"Dushanbe", "Moscow", "Astana"}  # Bishkek's talks are only planned
    dushanbe = places["Dushanbe"]
    # e1 (two reports, coordinates a few metres apart) and e8 (stored as "Tajikistan", at its capital)
    assert (dushanbe["events"], dushanbe["reports"]) == (2, 3)
    assert dushanbe["names"] == ["Dushanbe", "Tajikistan"]
    assert (dushanbe["cooperation"], dushanbe["conflict"], dushanbe["net"]) == (1, 1, 3.0)
    assert [e["event_key"] for e in dushanbe["items"]] == ["e8", "e1"]  # most recent first
    e1 = dushanbe["items"][1]
    assert e1["evidence"].startswith("Officials of RUS and TJK") and e1["reports"] == 2
    assert e1["outlets"] == ["Oxus Daily", "Steppe Monitor"] and e1["side"] == "cooperation"
    # the negated rejection and the hypothetical threat in Moscow do not count
    assert (places["Moscow"]["events"], places["Moscow"]["conflict"], places["Moscow"]["net"]) == (1, 1, -2.0)
    assert answer["unplaced"] == 1 and answer["events"] == 4  # e7 has no place
    assert [p["name"] for p in answer["places"]][0] == "Dushanbe"  # busiest first


def test_places_filters_and_planned(mc):
    assert set(_by_name(mc.get("/api/map", params={"planned": "true"}).json())) == {"Dushanbe", "Moscow", "Astana",
                                                                                    "Bishkek"}
    assert set(_by_name(mc.get("/api/map", params={"dyad": "KAZ-RUS"}).json())) == {"Astana"}
    assert set(_by_name(mc.get("/api/map", params={"type": "ACCUSE,ASSAULT", "until": "2019"}).json())) == {"Moscow"}
    one = mc.get("/api/map", params={"per_place": 1}).json()
    assert len(_by_name(one)["Dushanbe"]["items"]) == 1 and _by_name(one)["Dushanbe"]["events"] == 2
    busiest = mc.get("/api/map", params={"max_places": 1}).json()
    assert [p["name"] for p in busiest["places"]] == ["Dushanbe"] and busiest["places_total"] == 3
    assert mc.get("/api/map", params={"since": "2019-13"}).status_code in (400, 422)
    assert mc.get("/api/map", params={"type": "FOO"}).status_code == 422


def test_compare_shares_the_trend_periods(mc):
    params = {"series": "RUS-TJK,RUS-KAZ", "bin": "year"}
    answer = mc.get("/api/compare", params=params).json()
    trend = mc.get("/api/trend", params=params).json()
    assert answer["periods"] == trend["periods"] == ["2019", "2020"]
    assert [s["points"] for s in answer["series"]] == [s["points"] for s in trend["series"]]
    tjk, kaz = answer["summaries"]
    assert (tjk["key"], tjk["events"], tjk["cooperation"], tjk["conflict"]) == ("RUS-TJK", 4, 2, 2)
    assert tjk["net"] == pytest.approx(8.0 - 2.0 + 1.0 - 5.0)
    assert tjk["highest"] == {"period": "2019", "net": 6.0, "events": 2}
    assert tjk["lowest"]["period"] == "2020" and tjk["conflict_share"] == 0.5
    assert {t["type"] for t in tjk["top_types"]} <= {"AGREE", "ACCUSE", "CONSULT", "SANCTION"}
    assert (kaz["events"], kaz["conflict"], kaz["net"], kaz["highest"]["period"]) == (1, 1, -10.0, "2020")
    assert answer["scale"] == 10.0


def test_compare_a_country_against_its_partners(mc):
    answer = mc.get("/api/compare", params={"series": "RUS", "partners": 2, "bin": "year"}).json()
    assert [s["key"] for s in answer["summaries"]] == ["RUS", "RUS-TJK", "RUS-KAZ"]
    assert mc.get("/api/compare").status_code == 400  # no series
    assert mc.get("/api/compare", params={"series": "RUS-TJK", "bin": "week"}).status_code == 422


def test_python_api_gives_the_same_answers(map_db, mc):
    import bilat

    with bilat.open(map_db) as corpus:
        assert corpus.places(dyad="RUS-TJK") == mc.get("/api/map", params={"dyad": "RUS-TJK"}).json()
        assert corpus.compare("RUS-TJK,RUS-KAZ", bin="year") == mc.get(
            "/api/compare", params={"series": "RUS-TJK,RUS-KAZ", "bin": "year"}).json()


def test_side_of_a_quad_class():
    from bilat.store.geography import side

    assert [side(q) for q in ("verbal cooperation", "material conflict", None)] == ["cooperation", "conflict", None]


def test_query_functions_alone(map_db):
    """The query layer without the server: matching_ranks, event_places and compare."""
    from bilat.events.quads import load_quads
    from bilat.store.comparison import compare
    from bilat.store.geography import event_places
    from bilat.store.queries import EventIndex, Filters, TrendSpec, matching_ranks
    from bilat.store.writer import connect

    con = connect(map_db, read_only=True)
    try:
        ix, quads = EventIndex(con), load_quads()
        ranks = matching_ranks(ix, Filters(dyad="RUS-TJK"))
        assert list(ranks) == sorted(ranks) and len(ranks) == 7  # every report of the dyad, flags included
        assert len(matching_ranks(ix, Filters(types=("ASSAULT",)))) == 1
        places = event_places(con, ix, Filters(until="2019"), quads, planned=True, per_place=1)
        assert {p["name"]: (p["events"], len(p["items"])) for p in places["places"]} == {
            "Dushanbe": (1, 1), "Moscow": (1, 1), "Bishkek": (1, 1)}
        assert event_places(con, ix, Filters(dyad="RUS-TJK"), quads) is event_places(con, ix, Filters(dyad="RUS-TJK"),
                                                                                     quads)  # kept: read-only store
        answer = compare(ix, Filters(), TrendSpec(("RUS-TJK", "RUS-KAZ"), "year"), quads)
        assert [s["key"] for s in answer["summaries"]] == ["RUS-TJK", "RUS-KAZ"] and answer["scale"] == 10.0
        assert answer["summaries"][1]["top_types"] == [{"type": "ASSAULT", "events": 1}]
    finally:
        con.close()
