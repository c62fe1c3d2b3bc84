"""Third-party text in charts: plotly reads a little HTML in trace names and texts, so an outlet named
with a link or a style must show as characters, never as a live link or styled markup."""
import pytest

from bilat.model import DatedValue, Document, Event, Mention, Quantity, Sentence
from bilat.web.charts import figure_points, network_graph, plain, timeline

pytestmark = pytest.mark.browser

OUTLET = '<a href="https://evil.example/">Evil Wire</a><span style="font-size:90px">BIG</span>'


def test_chart_specs_carry_third_party_text_as_entities():
    rows = [{"metric": "trade", "outlet": OUTLET, "value_usd": 1e9, "value": 1e9, "unit": "USD", "period": "2019",
             "published": "2019-05-01", "text": "<b>$1 billion</b>", "doc_id": "d/1"}]
    fig = figure_points(rows, "trade")
    trace = fig["data"][0]
    assert trace["name"] == plain(OUTLET) and "<a" not in trace["name"] and "&lt;a href" in trace["name"]
    assert "<b>" not in trace["text"][0] and "evil" not in trace["hovertemplate"]
    events = [{"type": "AGREE", "date": "2019-05-01", "event_key": "k", "source_actor": "<i>X</i>", "source": "RUS",
               "target_actor": None, "target": "TJK", "outlet": OUTLET}]
    assert "<" not in timeline(events, {"AGREE": "verbal cooperation"})["data"][0]["text"][0]
    net = network_graph({"nodes": [{"id": "<img src=x>", "events": 1}], "edges": []})
    assert net["data"][-1]["text"] == ["&lt;img src=x&gt;"]


def _store(path):
    from bilat.store.writer import StoreWriter

    text = "Russia and Tajikistan signed a trade treaty worth $1 billion on Monday."
    doc = Document(doc_id="hostile", origin="hostile.txt", fmt="txt", text=text, title="Treaty", outlet=OUTLET,
                   published=DatedValue("2019-04-23", "day", "metadata", "2019-04-23"), content_hash="h")
    doc.sentences = [Sentence(0, len(text), text)]
    doc.mentions = [Mention("Russia", (0, 6), 0, "Russia", "RUS"), Mention("Tajikistan", (11, 21), 0, "Tajikistan", "TJK")]
    doc.events = [Event(type="AGREE", mode="sign", source="RUS", target="TJK", span=(0, len(text)), evidence=text,
                        sentence=0, date="2019-04-22", date_precision="day")]
    k = text.index("$1 billion")
    doc.quantities = [Quantity("$1 billion", (k, k + 10), 0, 1e9, "USD", text, value_usd=1e9, metric="trade",
                               countries=["RUS", "TJK"], period="2019")]
    with StoreWriter(path) as w:
        w.write([doc])
    return path


def test_an_outlet_named_with_markup_shows_as_text_in_the_legend(browser, serve, tmp_path):
    from bilat.server import create_app

    with serve(create_app(_store(tmp_path / "h.duckdb"), index_path=tmp_path / "i.sqlite")) as url:
        page = browser.new_page()
        page.goto(f"{url}/dyads/RUS-TJK")
        legend = page.locator(".chart .legend", has_text="Evil Wire").first
        legend.wait_for(timeout=15_000)
        assert legend.locator("a").count() == 0  # no live link
        assert '<a href="https://evil.example/">' in legend.text_content()  # the characters, shown as written
        assert page.locator(".chart .legend [style*='font-size: 90px']").count() == 0
        page.close()
