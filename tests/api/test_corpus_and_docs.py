"""The Python API (bilat.open) and docs/dashboard.md against the code."""
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from bilat.corpus import Corpus
from bilat.corpus import open as open_corpus
from bilat.errors import NotFound, QueryError
from bilat.events.cluster import date_span

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dashboard.md"


@pytest.fixture(scope="module")
def corpus(sample_db):
    with open_corpus(sample_db) as c:
        yield c


def test_events_filters_and_conversions(corpus):
    ev = corpus.events(dyad="tjk-rus", type=["AGREE", "consult"], since="2019", until="2020-06")
    df = ev.to_pandas()
    assert len(df) == len(ev) == 4 and set(df["type"]) == {"AGREE", "CONSULT"}
    assert list(df["date"]) == sorted(df["date"]) and (df["date"] <= "2020-06-31").all()
    assert isinstance(ev.to_arrow(), pa.Table) and "evidence" in ev.columns
    assert all(r["source"] == "RUS" for r in ev)


def test_dates_as_ranges_pandas_can_read(corpus):
    df = corpus.events().to_pandas()
    start, end = pd.to_datetime(df["date_start"]), pd.to_datetime(df["date_end"])
    assert (start <= end).all() and df["date"].notna().equals(start.notna())
    assert (start.dt.strftime("%Y-%m-%d") == df["date"]).all()  # this store's events are dated to the day
    assert list(df.columns[df.columns.get_loc("date"):][:3]) == ["date", "date_start", "date_end"]


@pytest.mark.parametrize("value, start, end", [
    ("2019", date(2019, 1, 1), date(2019, 12, 31)), ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2004-10-05", date(2004, 10, 5), date(2004, 10, 5)), (None, None, None), ("2019-13", None, None)])
def test_date_range(value, start, end):
    assert (date_span(value) or (None, None)) == (start, end)


def test_documents_actors_claims(corpus):
    assert len(corpus.documents()) == 12 and len(corpus.documents(outlet="Oxus Daily")) == 3
    actors = corpus.actors().to_pandas().set_index("name")
    assert actors.loc["Russia", "events"] == 12 and actors.loc["Vladimir Putin", "kind"] == "person"
    claims = corpus.claims(dyad="RUS-TJK").to_pandas()
    assert set(claims["metric"]) == {"bilateral_trade"} and claims["disagreement"].any()
    monthly = corpus.monthly("RUS-TJK").to_pandas()
    assert monthly["events"].sum() == 8
    assert corpus.network(type="AGREE")["edges"][0]["types"] == ["AGREE"]


def test_event_and_document(corpus):
    key = corpus.events().records()[0]["event_key"]
    assert len(corpus.event(key)) >= 1
    doc = corpus.document("doc000")
    assert doc["events"][0]["evidence"] in doc["text"]
    with pytest.raises(NotFound):
        corpus.document("missing")
    with pytest.raises(QueryError):
        corpus.events(since="last year")


def test_corpus_is_read_only(corpus):
    assert isinstance(corpus, Corpus)
    with pytest.raises(Exception, match="read-only"):
        corpus.con.execute("DELETE FROM events")


def test_docs_name_every_endpoint_and_serve_option(client):
    text = DOCS.read_text(encoding="utf-8")
    for path in client.get("/openapi.json").json()["paths"]:
        assert f"`{path}`" in text or f"`{re.sub(r'{[a-z_]+}', '{pair}', path)}`" in text, path
    for option in ("--db", "--host", "--port", "--open/--no-open", "BILAT_TOKEN"):
        assert option in text
