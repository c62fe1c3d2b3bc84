"""The map and comparison views in headless Chromium on the demo corpus; screenshots to docs/screenshots."""
import re
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def _traces(page, chart_id: str) -> list[dict]:
    """The traces plotly drew in one chart (waits for the drawing)."""
    chart = page.locator(f"#{chart_id}")
    chart.locator(".main-svg").first.wait_for(timeout=15_000)
    return chart.evaluate("el => el.data.map(t => ({type: t.type, name: t.name, x: t.x, y: t.y, lat: t.lat}))")


def test_map_draws_markers_offline(context, shot):
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/")
    page.locator("header.top nav a", has_text="Map").click()
    page.wait_for_url(re.compile(r"/map$"))
    traces = _traces(page, "map-chart")
    assert {t["name"] for t in traces} == {"cooperation events", "conflict events"}
    assert all(t["type"] == "scattergeo" for t in traces)
    # the world outline came from bilat itself and was drawn: countries and land under the markers
    page.locator("#map-chart .geo .countries path").first.wait_for(state="attached", timeout=15_000)
    assert page.locator("#map-chart .geo .land path").count() >= 1
    assert page.locator("#map-chart .scattergeo path.point").count() == sum(len(t["lat"]) for t in traces) >= 3
    assert any(urlparse(u).path == "/static/world_110m.json" for u in requests)
    assert all(urlparse(u).hostname == "127.0.0.1" for u in requests if not u.startswith(("data:", "blob:"))), \
        [u for u in requests if urlparse(u).hostname != "127.0.0.1"]
    shot(page, "map")
    # a click on a marker lists the place's events with their evidence and links to each event
    box = page.locator("#map-chart .scattergeo path.point").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#map-chart .hoverlayer .hovertext").first.wait_for(timeout=5_000)
    assert "click for the evidence" in page.locator("#map-chart .hoverlayer .hovertext").first.text_content()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"place=[-0-9.]+,[-0-9.]+"))
    events = page.locator("#place article.place-event")
    assert events.count() >= 1
    assert events.first.locator("blockquote.evidence").inner_text().strip()
    assert page.locator("#places tr.selected").count() == 1
    # the places table opens the same panel: the busiest place for the screenshot
    busiest = page.locator("#places tbody a").first
    name = busiest.inner_text()
    busiest.click()
    page.wait_for_url(re.compile(r"place=.*#place"))
    assert page.locator("#place h2").inner_text().startswith(name)
    assert page.locator("#place article.place-event").count() >= 2
    shot(page, "map-place")
    events.first.locator("a.event-link").click()
    page.wait_for_url(re.compile(r"/events/"))
    assert errors == []
    page.close()


def test_map_filters(page):
    page.goto("/map?dyad=RUS-AFG")
    assert page.locator("#map-form input[name=dyad]").input_value() == "RUS-AFG"
    assert 1 <= page.locator("#places tbody tr").count() < 8
    page.goto("/map?type=ASSAULT&since=1900&until=1901")
    assert page.locator("#map-chart").count() == 0 and "No events with a place" in page.locator("main").inner_text()
    assert page.errors == []


def test_compare_two_dyads_side_by_side(page, shot):
    page.goto("/")
    page.locator("header.top nav a", has_text="Compare").click()
    page.wait_for_url(re.compile(r"/compare$"))
    page.locator("#compare-form input[name=series]").fill("RUS-TJK, RUS-AFG")
    page.select_option("#compare-form select[name=bin]", "year")
    page.click("#compare-form button[type=submit]")
    page.wait_for_url(re.compile(r"series=RUS-TJK"))
    lines = [t for t in _traces(page, "compare-chart") if "spike" not in t["name"]]
    assert [t["name"] for t in lines] == ["RUS-TJK", "RUS-AFG"]
    assert lines[0]["x"] == lines[1]["x"]  # the same periods
    apart = [_traces(page, f"compare-{k}")[0] for k in ("RUS-TJK", "RUS-AFG")]
    assert apart[0]["x"] == apart[1]["x"] == lines[0]["x"]
    ranges = page.evaluate("['compare-RUS-TJK', 'compare-RUS-AFG'].map("
                           "id => document.getElementById(id)._fullLayout.yaxis.range)")
    assert ranges[0] == ranges[1]  # one axis for the charts drawn apart
    rows = page.locator("#compare-table tbody tr")
    assert rows.count() == 2 and rows.first.locator("td").first.inner_text() == "RUS-TJK"
    page.evaluate("window.scrollTo(0, document.querySelector('#compare-table').getBoundingClientRect().top"
                  " + window.scrollY - 60)")
    shot(page, "compare")
    rows.first.locator("td").nth(9).locator("a").click()  # the busiest period opens its "why" panel
    page.wait_for_url(re.compile(r"/trends\?.*why=RUS-TJK.*#why"))
    assert page.locator("#why article.why-event").count() >= 1
    assert page.errors == []


def test_compare_country_against_partners(page):
    page.goto("/compare")
    page.locator("#compare-suggestions a", has_text="against its partners").first.click()
    page.wait_for_url(re.compile(r"/compare\?series="))
    names = [t["name"] for t in _traces(page, "compare-chart") if "spike" not in t["name"]]
    assert len(names) >= 2 and all(n.startswith(names[0]) for n in names[1:])
    assert page.locator("#compare-table tbody tr").count() == len(names)
    assert page.errors == []
