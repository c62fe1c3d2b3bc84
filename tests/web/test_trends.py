"""The trend view and its "why" panel in headless Chromium on the demo corpus; screenshots to docs/screenshots."""
import re

import pytest

pytestmark = pytest.mark.browser


def _drawn(page, chart_id: str) -> list[dict]:
    """The traces plotly drew in one chart (waits for the drawing)."""
    chart = page.locator(f"#{chart_id}")
    chart.locator(".main-svg").first.wait_for(timeout=15_000)
    return chart.evaluate("el => el.data.map(t => ({type: t.type, name: t.name, x: t.x, y: t.y}))")


def test_trend_by_quarter_zero_filled_with_its_definition(page, shot):
    page.goto("/trends?series=RUS-TJK&bin=quarter")
    assert page.locator("h1").inner_text() == "Trend: RUS-TJK"
    definition = page.locator("#index-definition").inner_text()
    assert "sum of the Goldstein intensities" in definition and "distinct events" in definition
    traces = _drawn(page, "trend-chart")
    bars = traces[0]
    assert bars["type"] == "bar"
    quarters = bars["x"]
    assert all(re.fullmatch(r"\d{4}-Q[1-4]", q) for q in quarters)
    # every quarter from the first to the last is there, empty ones at 0: no line across the gaps
    years = [int(q[:4]) * 4 + int(q[-1]) for q in quarters]
    assert years == list(range(years[0], years[-1] + 1))
    assert 0 in bars["y"] and any(v > 0 for v in bars["y"])
    assert page.locator("#trend-table tbody tr").count() >= 3
    assert page.locator("[id^=quad-chart-] .main-svg").count() >= 1
    shot(page, "trend")
    assert page.errors == []


def test_click_on_a_bar_opens_the_why_panel(page, shot):
    page.goto("/trends?series=RUS-TJK&bin=quarter")
    bars = _drawn(page, "trend-chart")[0]
    # the quarter with the lowest index: the one a reader would ask about
    low = min(range(len(bars["y"])), key=lambda i: bars["y"][i])
    box = page.locator("#trend-chart .trace.bars .point").nth(low).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(rf"period={bars['x'][low]}"))
    why = page.locator("#why")
    assert why.locator("h2").inner_text() == f"Why RUS-TJK in {bars['x'][low]}"
    assert float(page.locator("#why-net").inner_text()) == pytest.approx(bars["y"][low])
    assert page.locator("#trend-chart .shapelayer path, #trend-chart .layer-below .shapelayer path").count() >= 1
    events = why.locator("article.why-event")
    assert events.count() >= 1
    for i in range(events.count()):
        assert events.nth(i).locator("blockquote.evidence").inner_text().strip()
        assert events.nth(i).locator(".outlets").inner_text().strip()
    # most moving first: contributions in falling absolute size
    sizes = [abs(float(events.nth(i).locator(".net").inner_text())) for i in range(events.count())]
    assert sizes == sorted(sizes, reverse=True)
    # the chart with its shaded period on top, the panel below it
    page.evaluate("window.scrollTo(0, document.querySelector('#trend-chart').getBoundingClientRect().top"
                  " + window.scrollY - 40)")
    shot(page, "trend-why")
    events.first.locator("a.event-link").click()
    page.wait_for_url(re.compile(r"/events/"))
    assert page.locator("article.report").count() >= 1
    assert page.errors == []


def test_partners_side_by_side(page, shot):
    page.goto("/trends?series=RUS&partners=3&bin=year")
    traces = [t for t in _drawn(page, "trend-chart") if t["type"] == "scatter" and "spike" not in t["name"]]
    names = [t["name"] for t in traces]
    assert names[0] == "RUS" and len(names) >= 3 and all(n.startswith("RUS-") for n in names[1:])
    assert len({len(t["x"]) for t in traces}) == 1  # one set of periods for all
    assert page.locator("div.chart[id^=quad-chart-]").count() == len(names)
    shot(page, "trend-compare")
    assert page.errors == []


def test_planned_toggle_and_reports(page):
    page.goto("/trends?series=RUS-TJK&bin=year")
    before = sum(_drawn(page, "quad-chart-1")[0]["y"])
    page.check("#trend-form input[name=planned]")
    page.click("#trend-form button[type=submit]")
    page.wait_for_url(re.compile(r"planned=true"))
    after = sum(_drawn(page, "quad-chart-1")[0]["y"])
    assert after > before  # the demo corpus has planned visits and talks
    page.select_option("#trend-form select[name=unit]", "reports")
    page.click("#trend-form button[type=submit]")
    page.wait_for_url(re.compile(r"unit=reports"))
    assert "every report" in page.locator("main").inner_text()
    assert page.errors == []


def test_dyad_page_links_to_its_trend(page):
    page.goto("/dyads/RUS-TJK")
    page.locator("#trend-link").click()
    page.wait_for_url(re.compile(r"/trends\?series=RUS-TJK"))
    assert _drawn(page, "trend-chart")
    assert page.errors == []
