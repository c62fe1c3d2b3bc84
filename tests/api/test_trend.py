"""/api/trend and /api/trend/why (and Corpus.trend / Corpus.why) on a small store of known events: zero-filled
bins, distinct events against reports, negated / hypothetical / planned reports, the index, errors."""
import pytest

from bilat.model import DatedValue, Document, Event, Sentence

# (doc, published, outlet, event_id, type, source, target, intensity, date, flags); the sentences are made up here
ROWS = [
    ("a1", "2019-01-10", "Oxus Daily", "e1", "AGREE", "RUS", "TJK", 8.0, "2019-01-10", {}),
    ("a2", "2019-01-11", "Steppe Monitor", "e1", "AGREE", "RUS", "TJK", 8.0, "2019-01-10", {}),
    ("a3", "2019-02-05", "Oxus Daily", "e2", "ACCUSE", "TJK", "RUS", -2.0, "2019-02-04", {}),
    ("a4", "2019-02-06", "Oxus Daily", "e3", "REJECT", "TJK", "RUS", -4.0, "2019-02-06", {"negated": True}),
    ("a5", "2019-06-01", "Steppe Monitor", "e4", "CONSULT", "RUS", "TJK", 1.0, "2019-06-20", {"planned": True}),
    ("a6", "2019-07-01", "Oxus Daily", "e5", "THREATEN", "RUS", "TJK", -7.0, "2019-07-01", {"hypothetical": True}),
    ("a7", "2020-11-03", "Oxus Daily", "e6", "ASSAULT", "RUS", "KAZ", -10.0, "2020-11-02", {}),
    ("a8", "2020-12-01", "Oxus Daily", "e7", "CONSULT", "RUS", "TJK", 1.0, "2020", {}),
]


@pytest.fixture(scope="module")
def trend_db(tmp_path_factory):
    from bilat.store.writer import StoreWriter

    docs = []
    for doc_id, published, outlet, event_id, etype, src, dst, intensity, day, flags in ROWS:
        text = f"Officials of {src} and {dst} dealt with each other on this day, a trend fixture says."
        doc = Document(doc_id=doc_id, origin=f"{doc_id}.txt", fmt="txt", text=text, title=doc_id, outlet=outlet,
                       published=DatedValue(published, "day", "metadata", published), content_hash=doc_id)
        doc.sentences = [Sentence(0, len(text), text)]
        doc.events = [Event(type=etype, mode=None, source=src, target=dst, span=(0, len(text)), evidence=text,
                            sentence=0, trigger="dealt", intensity=intensity, date=day,
                            date_precision="year" if len(day) == 4 else "day", event_id=event_id, **flags)]
        docs.append(doc)
    path = tmp_path_factory.mktemp("trend") / "trend.duckdb"
    with StoreWriter(path) as writer:
        writer.write(docs)
    return path


@pytest.fixture(scope="module")
def tc(trend_db, tmp_path_factory, client_for):
    from bilat.server import create_app

    with client_for(create_app(trend_db, index_path=tmp_path_factory.mktemp("i") / "s.sqlite")) as c:
        yield c


def _points(answer, key="RUS-TJK"):
    return {p["period"]: p for p in next(s for s in answer["series"] if s["key"] == key)["points"]}


def test_quarters_zero_filled_distinct_events(tc):
    answer = tc.get("/api/trend", params={"series": "RUS-TJK", "bin": "quarter"}).json()
    assert answer["bin"] == "quarter" and "Goldstein" in answer["index"]
    # only 2019-Q1: June's talks are planned, July's threat hypothetical, and the talks dated only to 2020
    # fit no quarter (counted as coarse)
    assert answer["periods"] == ["2019-Q1"]
    q1 = _points(answer)["2019-Q1"]
    assert (q1["events"], q1["reports"], q1["net"]) == (2, 3, 6.0)  # e1 (two reports) + e2; e3 negated
    assert q1["quads"]["verbal cooperation"] == 1 and q1["quads"]["verbal conflict"] == 1
    assert answer["series"][0]["coarse"] == 1


def test_months_between_events_count_zero(tc):
    answer = tc.get("/api/trend", params={"series": "RUS-TJK", "bin": "month", "planned": "true"}).json()
    points = _points(answer)
    assert answer["periods"] == ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05", "2019-06"]
    assert [points[p]["events"] for p in answer["periods"]] == [1, 1, 0, 0, 0, 1]  # June: the planned talks
    assert points["2019-03"]["net"] == 0


def test_reports_and_years(tc):
    answer = tc.get("/api/trend", params={"dyad": "RUS-TJK", "bin": "year", "unit": "reports"}).json()
    points = _points(answer)
    assert answer["periods"] == ["2019", "2020"]
    assert points["2019"]["events"] == 3 and points["2019"]["net"] == 14.0  # 8 + 8 - 2
    assert points["2020"]["events"] == 1 and answer["series"][0]["coarse"] == 0


def test_country_with_partners_and_since(tc):
    answer = tc.get("/api/trend", params={"series": "RUS", "bin": "year", "partners": 2}).json()
    assert [s["key"] for s in answer["series"]] == ["RUS", "RUS-TJK", "RUS-KAZ"]
    assert _points(answer, "RUS")["2020"]["net"] == -9.0  # the assault and the talks
    assert _points(answer, "RUS-KAZ")["2019"]["events"] == 0
    answer = tc.get("/api/trend", params={"series": "RUS-TJK,RUS-KAZ", "since": "2020-01", "until": "2020-12",
                                          "bin": "auto"}).json()
    assert answer["bin"] == "month" and len(answer["periods"]) == 12


def test_why_lists_events_by_what_they_moved(tc):
    why = tc.get("/api/trend/why", params={"series": "RUS-TJK", "period": "2019-Q1"}).json()
    assert why["net"] == 6.0 and why["previous"] == {"period": "2018-Q4", "net": 0.0, "events": 0}
    assert why["change"] == 6.0 and why["total"] == 2
    first, second = why["items"]
    assert (first["event_key"], first["contribution"], first["reports"]) == ("e1", 8.0, 2)
    assert first["outlets"] == ["Oxus Daily", "Steppe Monitor"] and "trend fixture" in first["evidence"]
    assert (second["event_key"], second["contribution"], second["quad"]) == ("e2", -2.0, "verbal conflict")
    hypothetical = tc.get("/api/trend/why", params={"series": "RUS-TJK", "period": "2019-07"}).json()
    assert hypothetical["items"] == [] and hypothetical["net"] == 0


@pytest.mark.parametrize("params,status", [
    ({}, 400), ({"series": "RUS-TJK-KAZ"}, 400), ({"series": "RUS-TJK", "bin": "week"}, 422),
    ({"series": "RUS-TJK", "unit": "words"}, 422), ({"series": "RUS-TJK", "partners": 9}, 422),
    ({"series": ",".join(f"RUS-A{i:02d}" for i in range(9))}, 400),
    ({"series": "RUS-TJK", "bin": "month", "since": "1800"}, 400),
    ({"series": "RUS-TJK'; DROP TABLE events; --"}, 422)])
def test_trend_errors(tc, params, status):
    assert tc.get("/api/trend", params=params).status_code == status


@pytest.mark.parametrize("params", [{"series": "RUS-TJK"}, {"series": "RUS-TJK", "period": "2019-Q5"},
                                    {"series": "RUS-TJK", "period": "2019-13"}, {"period": "2019"},
                                    {"series": "R", "period": "2019"}])
def test_why_errors(tc, params):
    assert tc.get("/api/trend/why", params=params).status_code == 422


def test_python_api_gives_the_same(trend_db, tc):
    import bilat

    with bilat.open(trend_db) as corpus:
        table = corpus.trend("RUS-TJK", bin="quarter")
        assert table.extra["bin"] == "quarter" and table.extra["coarse"] == {"RUS-TJK": 1}
        first = table.records()[0]
        assert (first["series"], first["period"], first["events"], first["net"]) == ("RUS-TJK", "2019-Q1", 2, 6.0)
        why = corpus.why("rus-tjk", "2019-Q1")
    assert why == tc.get("/api/trend/why", params={"series": "RUS-TJK", "period": "2019-Q1"}).json()


def test_trends_page(tc):
    page = tc.get("/trends", params={"series": "RUS-TJK", "bin": "quarter", "why": "RUS-TJK", "period": "2019-Q1"})
    assert page.status_code == 200
    assert "Why RUS-TJK in 2019-Q1" in page.text and page.text.count('class="report why-event') == 2
    assert "sum of the Goldstein intensities" in page.text
    assert tc.get("/trends").status_code == 200
    assert tc.get("/trends", params={"series": "RUS-TJK", "bin": "week"}).status_code == 422
