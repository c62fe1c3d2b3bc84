"""HTML input: trafilatura's main text, with what it dropped kept as removed paragraphs."""
from __future__ import annotations

from bilat.clean import clean_document
from bilat.clean.extract import visible_blocks
from bilat.config import Settings
from bilat.model import RawDocument

P1 = ("The foreign minister of Tajikistan met his Russian counterpart in Moscow on Tuesday to discuss the "
      "growing trade between the two countries, officials said.")
P2 = "Both sides agreed to expand cooperation in energy, and the ministers signed three agreements on transport."
PAGE = f"""<html><head><title>Ministers discuss trade</title>
<meta property="og:site_name" content="Steppe Herald">
<meta property="article:published_time" content="2021-03-04T09:00:00+05:00"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/p">Politics</a></li></ul></nav>
<article><h1>Ministers discuss trade</h1><p>By Anna Petrova</p><p>{P1}</p><p>{P2}</p>
<p>Subscribe to our newsletter</p></article>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<script>var x = "never visible";</script>
<footer><p>© 2021 Steppe Herald. All rights reserved.</p></footer></body></html>"""


def run(html: str, url: str | None = None):
    return clean_document(RawDocument("h", "page.html", "html", html=html, url=url), Settings())


def test_main_text_and_metadata():
    doc = run(PAGE, "https://www.steppeherald.kz/news/trade")
    assert doc.text.split("\n\n")[-2:] == [P1, P2]
    assert doc.title == "Ministers discuss trade"
    assert doc.outlet == "Steppe Herald"
    assert doc.published.value == "2021-03-04" and doc.published.method == "metadata"


def test_dropped_blocks_are_kept_in_page_order():
    doc = run(PAGE)
    reasons = [(r.text, r.reason) for r in doc.removed]
    assert reasons[:3] == [("Home", "extractor:navigation"), ("World", "extractor:navigation"),
                           ("Politics", "extractor:navigation")]
    assert ("By Anna Petrova", "byline") in reasons
    assert ("We use cookies to improve your experience.", "extractor:cookie") in reasons
    assert reasons[-1] == ("© 2021 Steppe Herald. All rights reserved.", "extractor:footer")
    assert not any("never visible" in r.text for r in doc.removed)


def test_fallback_to_visible_text_when_extractor_finds_nothing():
    html = "<html><body><div>Home</div><div>Tajik and Russian envoys met.</div></body></html>"
    doc = run(html)
    assert "Tajik and Russian envoys met." in doc.text
    assert "Home" not in doc.text.split("\n\n")


def test_visible_blocks_skip_scripts_and_split_blocks():
    blocks = visible_blocks("<body><p>One <b>two</b></p><script>x()</script><ul><li>a</li><li>b</li></ul></body>")
    assert [b for b, _ in blocks] == ["One two", "a", "b"]


def test_markup_without_date_does_not_take_the_copyright_year():
    html = PAGE.replace('<meta property="article:published_time" content="2021-03-04T09:00:00+05:00">', "")
    doc = run(html)
    assert doc.published is None or doc.published.method != "metadata"


def test_page_with_xml_declaration_and_non_ascii_text():
    html = '<?xml version="1.0" encoding="windows-1251"?>\n' + PAGE.replace("Anna Petrova", "Анна Петрова")
    doc = run(html)
    assert P1 in doc.text
    assert ("By Анна Петрова", "byline") in [(r.text, r.reason) for r in doc.removed]
    assert any(r.reason == "extractor:navigation" for r in doc.removed)


def test_table_rows_are_kept():
    para = ("<p>Trade between Tajikistan and Russia has grown steadily over the past three years, according to "
            "figures released by the customs service in Dushanbe on Monday.</p>")
    html = (f"<html><body><article>{para}<table><tr><th>Year</th><th>Trade</th></tr>"
            f"<tr><td>2021</td><td>$1.0 billion</td></tr><tr><td>2022</td><td>$1.2 billion</td></tr></table>"
            f"{para.replace('Monday', 'Tuesday')}</article></body></html>")
    doc = run(html)
    assert "| 2022 | $1.2 billion |" in doc.text
    assert all(r.reason == "formatting" for r in doc.removed)
