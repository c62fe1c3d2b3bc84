"""Every dashboard page in headless Chromium on the demo corpus; screenshots to docs/screenshots."""
import re

import pytest

pytestmark = pytest.mark.browser


def _charts_drawn(page) -> None:
    """Every chart on the page was drawn by plotly with at least one trace holding points."""
    charts = page.locator(".chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.locator(".main-svg").first.wait_for(timeout=15_000)
        points = chart.evaluate("el => (el.data || []).reduce((n, t) => n + (t.x || []).length, 0)")
        assert points > 0, chart.get_attribute("id")


def test_overview(page, shot):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Corpus overview"
    assert int(page.locator(".card .num").first.inner_text()) > 0
    _charts_drawn(page)
    assert page.locator("#by-type tbody tr").count() >= 1
    shot(page, "overview")
    assert page.errors == []


def test_dyad_to_event_to_document(page, shot):
    page.goto("/")
    page.locator("#dyads tbody a").first.click()
    page.wait_for_url(re.compile(r"/dyads/"))
    _charts_drawn(page)
    assert page.locator("#timeline-chart .point").count() >= 1
    shot(page, "dyad")
    page.locator("a.event-link").first.click()
    page.wait_for_url(re.compile(r"/events/"))
    evidence = page.locator("blockquote.evidence").first.inner_text()
    assert page.locator("article.report").count() >= 1 and evidence
    shot(page, "event")
    page.locator("a.doc-link").first.click()
    page.wait_for_url(re.compile(r"/documents/.+hl="))
    hl = page.locator(".doctext .hl")
    assert hl.count() >= 1 and hl.first.is_visible()
    highlighted = " ".join(hl.nth(i).inner_text() for i in range(hl.count()))
    assert evidence.split()[0] in highlighted and evidence.split()[-1].rstrip(".") in highlighted
    assert page.locator(".doctext .actor").count() >= 1
    shot(page, "document")
    assert page.errors == []


def test_removed_boilerplate_collapsed(page, shot):
    page.goto("/documents")
    links = page.locator("#documents tbody a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for href in hrefs:
        page.goto(href)
        details = page.locator("details.removed")
        if details.count():
            assert not page.locator("details.removed table").is_visible()
            details.locator("summary").click()
            assert page.locator("details.removed table").is_visible()
            assert page.locator("details.removed .tag").count() >= 1
            return
    pytest.fail("no demo document has removed boilerplate")


def test_filter_in_url(page, shot):
    page.goto("/events")
    first_type = page.locator("table.data tbody .tag").first.inner_text()
    page.select_option("form.filters select[name=type]", first_type)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(rf"type={first_type}"))
    tags = page.locator("table.data tbody td:nth-child(2) .tag")
    assert tags.count() >= 1
    assert {tags.nth(i).inner_text() for i in range(tags.count())} == {first_type}
    shot(page, "events-filtered")
    # the filtered view is shareable: the same URL in a new page shows the same rows
    url = page.url
    page.goto(url)
    assert page.locator("table.data tbody td:nth-child(2) .tag").count() == tags.count()


def test_search(page, shot):
    page.goto("/events")
    word = max(re.findall(r"[A-Za-z]{6,}", page.locator("td.evidence").first.inner_text()), key=len)
    page.fill("header form.search input", word)
    page.press("header form.search input", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("#event-results li mark").count() >= 1
    marked = page.locator("#event-results li mark").first.inner_text().lower()
    assert marked.startswith(word.lower()[:4])
    shot(page, "search")
    assert page.errors == []


@pytest.mark.parametrize("path,name", [("/network", "network"), ("/claims", "claims"), ("/actors", "actors"),
                                       ("/documents", "documents")])
def test_list_pages(page, path, name, shot):
    page.goto(path)
    assert page.locator("h1").count() == 1
    _charts_drawn(page)
    shot(page, name)
    assert page.errors == []


def test_actor_page(page, shot):
    page.goto("/actors")
    page.locator("#actors tbody a").first.click()
    page.wait_for_url(re.compile(r"/actors/.+"))
    assert "Events as source" in page.content()
    _charts_drawn(page)
    shot(page, "actor")
    assert page.errors == []


def test_download_links(page, server):
    page.goto("/events")
    href = page.locator(".downloads a", has_text="CSV").first.get_attribute("href")
    response = page.request.get(server + href)
    assert response.status == 200 and response.text().startswith("event_key,")


def test_api_docs_load_from_the_server_under_its_csp(page):
    """Swagger UI comes from the installed swagger-ui-bundle package, not a CDN, and runs under the CSP."""
    page.goto("/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() >= 10  # the endpoints, read from /openapi.json
    assert page.errors == []  # a CSP violation or a failed request shows up here
