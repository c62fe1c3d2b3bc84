"""Pre-checks before parsing HTML (``bilat.clean.extract``): deep nesting is flattened, not dropped; a
page of too many elements is read in linear time without trafilatura; both are noted for the ingest
log; normal pages pass untouched; the checks themselves are linear on hostile markup."""
from __future__ import annotations

import dataclasses
import io
import time
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bilat.clean import clean_document
from bilat.clean.extract import extract_html, flatten, linear_extract
from bilat.config import Settings
from bilat.engines.local import ingest
from bilat.ingest import iter_inputs
from bilat.model import RawDocument, ReadError
from bilat_paths import DEMO

ROOT = Path(__file__).resolve().parents[2]
LEAD = ("The foreign ministers of Lithuania and Poland met in Vilnius on Friday and agreed to hold a joint "
        "air defence exercise in the spring, the ministry said.")
MORE = "The two ministers also discussed the protection of the corridor between their countries."
ARTICLE = f"<h1>Lithuania and Poland plan an exercise</h1><p>{LEAD}</p><p>{MORE}</p>"


def nested(depth: int, opener: str = "<div>", closer: str = "</div>") -> str:
    return f"<html><body>{opener * depth}{ARTICLE}{closer * depth}</body></html>"


def clean(html: str, settings: Settings | None = None):
    return clean_document(RawDocument("p", "p.html", "html", html=html), settings or Settings())


@pytest.mark.parametrize("opener,closer", [("<div>", "</div>"), ("<span><b>", "</b></span>"),
                                           ("<ul><li>", "</li></ul>"), ("<table><tr><td>", "</td></tr></table>")])
def test_deep_nesting_is_flattened_and_its_text_kept(opener, closer):
    doc = clean(nested(300, opener, closer))
    assert LEAD in doc.text and MORE in doc.text
    assert len(doc.limits) == 1 and doc.limits[0].startswith("limit:max_html_depth (nested ")


def test_unclosed_tags_of_implied_end_are_siblings_not_depth():
    """<p> and <li> left open close at the next one, as the parser builds them: not deep at all."""
    page = "<html><body><ul>" + "<li>item" * 2000 + "</ul>" + "<p>line" * 2000 + f"{ARTICLE}</body></html>"
    shape = flatten(page, 200)
    assert shape.depth < 10 and shape.markup is page


def test_unclosed_inline_tags_nest_and_are_flattened():
    shape = flatten("<html><body>" + "<b>bold " * 400 + "end</body></html>", 200)
    assert shape.depth > 400 and shape.markup.count("<b>") == 198  # html and body take two levels


def test_flattened_page_keeps_blocks_apart():
    page = "<html><body>" + "<div>" * 250 + "<div>first block</div><div>second block</div>" + "</div>" * 250
    ex = extract_html(page + "</body></html>")
    assert "first block" in ex.text and "second block" in ex.text
    assert "first blocksecond" not in ex.text


def test_deep_page_is_stored_with_a_note(tmp_path, pipeline):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "deep.html").write_text(nested(300), encoding="utf-8")
    db = tmp_path / "x.duckdb"
    report = ingest([str(tmp_path / "in")], str(db), pipeline=pipeline)
    assert report.ingested == 1, report.failures
    con = duckdb.connect(str(db), read_only=True)
    try:
        (text,), = con.execute("SELECT text FROM documents").fetchall()
        (reason,), = con.execute("SELECT reason FROM ingest_log WHERE status = 'ingested'").fetchall()
    finally:
        con.close()
    assert LEAD in text and "limit:max_html_depth (nested 303 levels deep: flattened to 200)" in reason


def test_page_of_too_many_elements_is_read_without_the_extractor():
    settings = dataclasses.replace(Settings(), max_html_elements=1_000)
    filler = "".join(f"<li><a href='/t/{i}'>topic {i}</a></li>" for i in range(1_500))
    page = (f"<html><head><title>Ministers meet</title><style>p {{color: red}}</style></head><body><ul>{filler}</ul>"
            f"<script>var hidden = '<p>not text</p>';</script><article>{ARTICLE.replace('Poland', 'Poland &amp; co')}"
            "</article></body></html>")
    doc = clean(page, settings)
    assert LEAD.replace("Poland", "Poland & co") in doc.text
    assert doc.title == "Ministers meet" and "not text" not in doc.text and "color" not in doc.text
    assert doc.limits == ["limit:max_html_elements (about 3,012 elements: text read without the extractor)"]


def test_linear_extract_splits_blocks_and_skips_invisible():
    ex = linear_extract("<html><head><title>T &amp; U</title></head><body><p>One <b>two</b></p>"
                        "<!-- <p>comment</p> --><noscript>enable js</noscript>a<br>b<div>c</div></body></html>")
    assert ex.text.split("\n\n") == ["One two", "a", "b", "c"] and ex.title == "T & U" and ex.fallback


def test_a_million_elements_take_linear_time():
    def seconds(n: int) -> float:
        page = "<html><body>" + "<p>item</p>\n" * n + "</body></html>"
        started = time.perf_counter()
        ex = extract_html(page)
        assert ex.limits and ex.text.count("item") == n
        return time.perf_counter() - started

    small, large = seconds(100_000), seconds(1_000_000)
    assert large < 30 and large < 20 * small  # trafilatura: about 20 s at 100,000 and hours at 1,000,000


@pytest.mark.parametrize("hostile", [
    "<a" * 200_000,                       # tags that never close
    "<!--" + "<p>x</p>" * 50_000,         # a comment that never ends
    "<script>" * 100_000 + "<p>text</p>",  # scripts that never end
    "</div>" * 200_000,                   # stray end tags
    "<div " + "x=1 " * 200_000,           # one tag of a million characters, unclosed
])
def test_prechecks_are_linear_on_hostile_markup(hostile):
    started = time.perf_counter()
    flatten(hostile, 200)
    linear_extract(hostile)
    assert time.perf_counter() - started < 5


def test_normal_pages_pass_untouched():
    """Real-looking pages are far from both limits, so their cleaning is what it was before the checks."""
    pages = sorted((ROOT / "bench" / "pages").glob("*.html")) + sorted(DEMO.glob("*.html"))
    assert pages
    settings = Settings()
    for path in pages:
        markup = path.read_text(encoding="utf-8", errors="replace")
        shape = flatten(markup, settings.max_html_depth)
        assert shape.markup is markup and shape.depth < 50 and shape.elements < settings.max_html_elements / 10
        assert extract_html(markup, settings=settings).limits == []


def test_warc_page_over_max_file_bytes_is_refused(tmp_path):
    """A record's page costs RAM like an HTML file (many times its size): it has an HTML file's limit."""
    big = "<html><body>" + "<p>A long page of the archive.</p>" * 40_000 + "</body></html>"  # about 1.3 MB
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for url, body in (("https://example.org/big", big), ("https://example.org/ok", nested(5))):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                                      http_headers=headers))
    (tmp_path / "c.warc").write_bytes(buf.getvalue())
    settings = dataclasses.replace(Settings(), max_file_bytes=1024 * 1024)
    items = list(iter_inputs([str(tmp_path / "c.warc")], settings))
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [e.reason for e in errors] == ["record too large: more than 1.0 MB (max_file_bytes)"]
    assert any(isinstance(i, RawDocument) and LEAD in (i.html or "") for i in items)
