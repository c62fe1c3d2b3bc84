"""Figures that mean the same thing, in headless Chromium on the demo corpus: the claims page charts one metric
and one period length at a time, with targets and forecasts drawn apart; a screenshot to docs/screenshots."""
import re

import pytest

pytestmark = pytest.mark.browser


def _traces(page, chart_id: str) -> list[dict]:
    chart = page.locator(f"#{chart_id}")
    chart.locator(".main-svg").first.wait_for(timeout=15_000)
    return chart.evaluate("el => el.data.map(t => ({name: t.name, x: t.x, text: t.text,"
                          " symbol: t.marker && t.marker.symbol}))")


def test_claims_chart_one_period_length_at_a_time(page, shot):
    page.goto("/claims")
    page.select_option("#claims-form select[name=metric]", "bilateral_trade")
    page.click("#claims-form button[type=submit]")
    page.wait_for_url(re.compile(r"metric=bilateral_trade"))
    assert page.locator("#claims-chart").count() == 1
    heading = page.locator("section h2").first.inner_text()
    length = heading.rsplit(" by ", 1)[1]
    points = [t for t in _traces(page, "claims-chart") if t["x"] != [None]]
    texts = [x for t in points for x in t["text"]]
    assert texts and all(f", {length}" in x for x in texts)  # every point of the chart has that length
    # the demo corpus has a yearly target and a yearly forecast of the trade: drawn as open symbols, named
    symbols = {s for t in points for s in t["symbol"]}
    if length == "year":
        assert {"circle", "diamond-open", "triangle-up-open"} <= symbols
        legend = [t["name"] for t in _traces(page, "claims-chart") if t["x"] == [None]]
        assert legend == ["target (open diamond)", "forecast (open triangle)"]
    kinds = page.locator("#claims tbody tr td:nth-child(5)").all_inner_texts()
    assert "target" in kinds and "reported" in kinds
    shot(page, "claims-figures")
    # another length of the same metric: a link, and the chart holds only that one
    other = page.locator("section p.hint a").first
    other_length = other.inner_text()
    other.click()
    page.wait_for_url(re.compile(r"length="))
    texts = [x for t in _traces(page, "claims-chart") if t["x"] != [None] for x in t["text"]]
    assert texts and all(f", {other_length}" in x for x in texts)
    assert all(c == other_length for c in page.locator("#claims tbody tr td:nth-child(4)").all_inner_texts())
    assert page.errors == []


def test_dyad_figures_choose_a_period_length(page):
    page.goto("/dyads/RUS-TJK?metric=bilateral_trade")
    lengths = page.locator("#figure-form select[name=length] option").all_inner_texts()
    assert len(lengths) >= 2
    page.select_option("#figure-form select[name=length]", lengths[1])
    page.click("#figure-form button[type=submit]")
    page.wait_for_url(re.compile(r"length="))
    assert set(page.locator("#figures tbody td:nth-child(2)").all_inner_texts()) == {lengths[1]}
    title = page.locator("#figure-chart").evaluate("el => el._fullLayout.xaxis.title.text")
    assert title == f"period: {lengths[1]}"
    assert page.errors == []
