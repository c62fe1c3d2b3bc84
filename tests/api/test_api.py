"""The REST API in-process: shapes, filters, pagination, downloads, errors."""
import csv
import io
import json

import pytest

from bilat.store.queries import MAX_LIMIT


def test_openapi_lists_every_endpoint(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    for p in ("/api/summary", "/api/events", "/api/events/{event_key}", "/api/documents/{doc_id}",
              "/api/dyads/{pair}/timeline", "/api/dyads/{pair}/monthly", "/api/actors", "/api/claims",
              "/api/network", "/api/search", "/api/download/{table}.{fmt}"):
        assert p in paths, p
    assert not any(p.startswith(("/dyads", "/documents", "/static")) for p in paths)  # pages stay out


def test_summary_matches_store(client):
    s = client.get("/api/summary").json()
    assert s["documents"] == 12 and s["events"] == 12 and s["outlets"] == 5
    assert s["first_published"] == "2019-01-01"


def test_events_filters_and_pagination(client):
    all_ = client.get("/api/events", params={"limit": 5}).json()
    assert all_["total"] == 12 and len(all_["items"]) == 5
    page2 = client.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert {e["event_key"] + str(e["idx"]) + e["doc_id"] for e in all_["items"]}.isdisjoint(
        {e["event_key"] + str(e["idx"]) + e["doc_id"] for e in page2["items"]})
    rus_uzb = client.get("/api/events", params={"dyad": "UZB-RUS"}).json()
    assert rus_uzb["total"] == 4 and all({e["source"], e["target"]} == {"RUS", "UZB"} for e in rus_uzb["items"])
    agree = client.get("/api/events", params={"type": "agree,consult"}).json()
    assert agree["total"] == 6 and {e["type"] for e in agree["items"]} == {"AGREE", "CONSULT"}
    year = client.get("/api/events", params={"since": "2020", "until": "2020-12"}).json()
    assert year["total"] == 4 and all(e["date"].startswith("2020") for e in year["items"])
    outlet = client.get("/api/events", params={"outlet": "Oxus Daily"}).json()
    assert outlet["total"] > 0 and all(e["outlet"] == "Oxus Daily" for e in outlet["items"])
    # documents stored before languages were recorded count as English
    assert client.get("/api/events", params={"lang": "en"}).json()["total"] == 12
    assert client.get("/api/events", params={"lang": "ru"}).json()["total"] == 0
    assert client.get("/api/documents", params={"lang": "ru"}).json()["total"] == 0
    assert client.get("/api/events", params={"lang": "fr"}).status_code == 422


def test_page_size_is_limited(client):
    assert client.get("/api/events", params={"limit": MAX_LIMIT + 1}).status_code == 422
    assert client.get("/api/events", params={"offset": -1}).status_code == 422


def test_event_reports_share_an_id(client):
    reports = client.get("/api/events/ev000").json()["reports"]
    assert len(reports) == 2 and {r["doc_id"] for r in reports} == {"doc000", "doc001"}
    assert all(r["outlet"] and r["evidence"] for r in reports)
    assert client.get("/api/events/nope").status_code == 404


def test_document_has_spans_and_removed(client):
    doc = client.get("/api/documents/doc001").json()
    text = doc["text"]
    for m in doc["mentions"]:
        assert text[m["start_char"]:m["end_char"]] == m["text"]
    e = doc["events"][0]
    assert text[e["start_char"]:e["end_char"]] == e["evidence"]
    assert [r["reason"] for r in doc["removed"]] == ["subscription", "related"]


def test_dyad_views(client):
    monthly = client.get("/api/dyads/RUS-TJK/monthly").json()
    assert sum(r["events"] for r in monthly) == 8
    assert {r["quad"] for r in monthly} <= {"verbal cooperation", "material cooperation", "verbal conflict",
                                            "material conflict"}
    timeline = client.get("/api/dyads/rus-tjk/timeline").json()["items"]
    assert [e["date"] for e in timeline] == sorted(e["date"] for e in timeline)
    figures = client.get("/api/dyads/RUS-TJK/figures").json()["items"]
    assert figures and all(set(f["countries"]) == {"RUS", "TJK"} for f in figures)
    actors = client.get("/api/dyads/RUS-TJK/actors").json()
    assert actors[0]["name"] == "Russia" and actors[0]["as_source"] == 8


def test_claims_flag_disagreement(client):
    claims = client.get("/api/claims", params={"disagreement": True}).json()["items"]
    assert claims and all(c["disagreement"] and len(c["values"]) > 1 for c in claims)


def test_actor_and_network(client):
    putin = client.get("/api/actors/Vladimir Putin").json()
    assert putin["roles"][0]["role"] == "president" and putin["roles"][0]["first_seen"] <= putin["roles"][0]["last_seen"]
    net = client.get("/api/network", params={"type": "ACCUSE"}).json()
    assert net["edges"] and all(e["types"] == ["ACCUSE"] for e in net["edges"])


def test_search_finds_words_and_ignores_operators(client):
    res = client.get("/api/search", params={"q": "treaty border"}).json()
    assert res["documents"] and res["events"] and all(e["type"] == "AGREE" for e in res["events"])
    # FTS5 syntax in user text is quoted, not interpreted
    for q in ['treaty" OR "x', "NEAR(treaty", "*", "text:treaty", '"']:
        assert client.get("/api/search", params={"q": q}).status_code == 200


@pytest.mark.parametrize("table", ["documents", "events", "actors", "figures", "claims"])
def test_downloads(client, table):
    r = client.get(f"/api/download/{table}.csv", params={"outlet": "Oxus Daily"} if table == "events" else {})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows
    j = client.get(f"/api/download/{table}.json").json()
    assert isinstance(j, list) and len(j) >= len(rows)


def test_security_headers_and_no_stack_traces(client):
    r = client.get("/api/events", params={"since": "2019-13-99x"})
    assert r.status_code == 422 and "Traceback" not in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    page = client.get("/documents/doc001")
    assert page.headers["x-frame-options"] == "DENY" and "<script>" not in page.text.replace(
        '<script src="/static/plotly.min.js" defer></script>', "")


def test_csv_downloads_never_write_a_formula():
    from bilat.api.routes import to_csv

    rows = list(csv.DictReader(io.StringIO(to_csv([
        {"outlet": "=cmd|' /C calc'!A0", "title": "+1 and -2", "count": -3, "countries": ["RUS", "TJK"]},
        {"outlet": "Oxus Daily", "title": "\tTab", "count": 4, "countries": []}]))))
    assert [r["outlet"] for r in rows] == ["'=cmd|' /C calc'!A0", "Oxus Daily"]
    assert [r["title"] for r in rows] == ["'+1 and -2", "'\tTab"]
    assert [r["count"] for r in rows] == ["-3", "4"]  # numbers are numbers, not text
    assert json.loads(rows[0]["countries"]) == ["RUS", "TJK"]


def test_a_document_whose_id_holds_slashes_opens(tmp_path, client_for):
    """JSONL ids may be paths or URLs; the pages link them quoted ("%2F") and both routes open them."""
    from urllib.parse import quote

    from bilat.model import Document, Sentence
    from bilat.server import create_app
    from bilat.store.writer import StoreWriter

    text = "Peru and Chile signed a treaty."
    doc_id = "https://example.org/news/2024/peru-chile/index.html"
    doc = Document(doc_id=doc_id, origin="x.jsonl", fmt="jsonl", text=text, sentences=[Sentence(0, len(text), text)])
    db = tmp_path / "slash.duckdb"
    with StoreWriter(db) as w:
        w.write([doc])
    with client_for(create_app(db, index_path=tmp_path / "i.sqlite")) as c:
        for path in (f"/api/documents/{quote(doc_id, safe='')}", f"/api/documents/{doc_id}"):
            r = c.get(path)
            assert r.status_code == 200 and r.json()["doc_id"] == doc_id, path
        page = c.get(f"/documents/{quote(doc_id, safe='')}")
        assert page.status_code == 200 and "Peru and Chile signed" in page.text
        assert c.get("/api/documents/no/such/id").status_code == 404


def test_errors_answer_with_the_status_of_their_class(client, client_for, sample_db, tmp_path):
    """errors.py gives each error its status; the server maps them once, JSON for the API, a page elsewhere."""
    from bilat import errors
    from bilat.server import create_app

    for name in ("InputError", "EmptyInput", "QueryError"):
        assert getattr(errors, name).status == 400, name
    assert errors.NotFound.status == 404
    assert errors.BilatError.status == errors.StoreError.status == errors.ConfigError.status == 500

    missing = client.get("/api/events/nope")
    assert missing.status_code == 404 and missing.json() == {"detail": "no event 'nope'"}
    page = client.get("/events/nope")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "no event" in page.text
    bad = client.get("/api/events", params={"since": "2019-13-01"})  # the form of a date, and none
    assert bad.status_code == 400 and bad.json() == {"detail": "since must be YYYY, YYYY-MM or YYYY-MM-DD, "
                                                                "not '2019-13-01'"}
    assert client.get("/api/events", params={"since": "May"}).status_code == 422  # refused by the schema first

    app = create_app(sample_db, index_path=tmp_path / "search.sqlite")

    @app.get("/api/broken-store")
    def broken_store() -> None:
        raise errors.StoreError("/srv/secret/path.duckdb: a damaged bilat database")

    with client_for(app) as c:
        r = c.get("/api/broken-store")
    assert r.status_code == 500 and r.json() == {"detail": "server error"}  # the server's own trouble, no details
