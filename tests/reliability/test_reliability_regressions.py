"""Regression tests for the crashes and faults found by bench/fuzz_readers.py (one test per finding)."""
from __future__ import annotations

import gzip
import io
import random
import re
import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bilat.config import Settings
from bilat.ingest import iter_inputs
from bilat.ingest.common import valid_codec
from bilat.ingest.feed import _plain
from bilat.ingest.html import strip_hidden
from bilat.model import RawDocument, ReadError

PAGE = (b"<html><head><title>Talks</title></head><body><p>The ministers of Russia and Tajikistan met in "
        b"Dushanbe on Tuesday and agreed on new rules for labour migrants.</p></body></html>")


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return buf.getvalue()


def test_nul_in_declared_charset_is_ignored_not_a_crash(tmp_path):
    """Fuzz finding (seed 0, input 9834): a NUL in "charset=" made codecs.lookup raise ValueError,
    which escaped the WARC reader and lost every later record of the file."""
    assert valid_codec("utf\x00-8") is None
    path = tmp_path / "nul.warc"
    path.write_bytes(_warc([("https://a.example/1", "text/html; charset=ut\x00f-8", PAGE),
                            ("https://a.example/2", "text/html; charset=utf-8", PAGE.replace(b"Tuesday", b"Monday"))]))
    items = list(iter_inputs([str(path)], Settings()))
    assert not [i for i in items if isinstance(i, ReadError)]
    assert [i.url for i in items if isinstance(i, RawDocument)] == ["https://a.example/1", "https://a.example/2"]


def test_wrong_content_length_does_not_write_to_stderr(tmp_path, capfd):
    """warcio printed its 'Record not followed by newline' warning, with the whole offending line
    (binary or megabytes of markup), straight to stderr; the reader now counts and logs it."""
    data = _warc([("https://a.example/1", "text/html", PAGE), ("https://a.example/2", "text/html", PAGE)])
    # One byte too few declared for the first record: its last byte spills into the separator.
    first_length = data.index(b"\r\n\r\nWARC/1.0", 10)
    header_end = data.index(b"\r\n\r\n") + 4
    declared = first_length - header_end
    data = data.replace(f"Content-Length: {declared}".encode(), f"Content-Length: {declared - 1}".encode(), 1)
    path = tmp_path / "length.warc"
    path.write_bytes(data)
    list(iter_inputs([str(path)], Settings()))
    assert "Record not followed by newline" not in capfd.readouterr().err


def test_body_compression_broken_part_way_is_refused_not_cut_short(tmp_path, capfd):
    """Fuzz finding: with "Content-Encoding: gzip" and a body corrupt after its first blocks, warcio
    wrote the zlib error to stderr and returned the part before it, so a cut-off page was ingested."""
    rnd = random.Random(3)
    filler = " ".join("".join(rnd.choice(string.ascii_lowercase) for _ in range(8)) for _ in range(12_000))
    body = bytearray(gzip.compress(PAGE.replace(b"</p>", f" {filler}</p>".encode())))
    for i in range(40_000, 40_050):
        body[i] ^= 0x55
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                               protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://a.example/z", "response", payload=io.BytesIO(bytes(body)),
                                                  http_headers=headers))
    path = tmp_path / "broken-body.warc"
    path.write_bytes(buf.getvalue())
    items = list(iter_inputs([str(path)], Settings()))
    assert [type(i).__name__ for i in items] == ["ReadError"]
    assert "cannot be decoded" in items[0].reason
    assert "decompressing" not in capfd.readouterr().err


_OLD_HIDDEN = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_PIECES = ["<script>", "</script>", "</SCRIPT >", "<style>", "</style>", "<!--", "-->", "a", "<b>", " ", "<noscript>",
           "</noscript>", "<template x>", "</template>", "<scripts>", "</script", "İ", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_strip_hidden_equals_the_old_regex(markup):
    assert strip_hidden(markup) == _OLD_HIDDEN.sub(" ", markup)


@pytest.mark.parametrize("opener", ["<script>", "<!--", "<style type=x>"])
def test_unclosed_openers_take_linear_time(tmp_path, opener):
    """Review finding: has_visible_text's regex was quadratic in unclosed "<script>"/"<!--" openers
    (128 KB took 80 s), so one hostile page or WARC record could stall the whole ingest."""
    markup = "<html><body><p>Talks in Dushanbe.</p>" + opener * 60_000 + "</body></html>"
    path = tmp_path / "hostile.html"
    path.write_text(markup, encoding="utf-8")
    started = time.process_time()  # CPU time, so a loaded machine does not fail the test
    items = list(iter_inputs([str(path)], Settings()))
    assert time.process_time() - started < 5
    assert isinstance(items[0], RawDocument)


def test_feed_title_of_many_angle_brackets_is_fast():
    started = time.process_time()
    assert _plain("&" + "<" * 100_000 + "b>Title") is not None
    assert time.process_time() - started < 2
    assert _plain("<b>Talks</b> in <i>Dushanbe</i>") == "Talks in Dushanbe"


# Super-linear paths in later stages, found by probing with repeated fragments (docs/limits.md).
def test_blank_lines_do_not_make_cleaning_quadratic():
    from bilat.clean import clean_document
    from bilat.model import RawDocument

    # 6,000 blank lines took 5 s CPU when the patterns could run across them; 60,000 would take minutes.
    # The cue patterns now start with '[^\w\n]*', which stops at a line break.
    raw = RawDocument("blank", "test", "txt", text="Talks in Dushanbe\n\n" + "\n" * 60_000 + "The sides met.")
    doc = clean_document(raw, Settings())
    assert doc.text == "Talks in Dushanbe\n\nThe sides met."


def test_many_figures_in_one_sentence_are_not_quadratic():
    from bilat.model import Document
    from bilat.quantities import QuantityExtractor

    # 400 figures took 1.2 s when each figure searched the sentence for every metric's cues; these
    # 4,000 would take about two minutes. Cues are now found once per sentence (SentenceCues).
    out = QuantityExtractor().extract(Document("q", "test", "txt", text="$1 " * 4_000))
    assert len(out) == 4_000 and all(q.text == "$1" for q in out)


def test_feed_character_reference_out_of_range(tmp_path):
    """Property-test finding (test_feed_reader_structured): feedparser calls chr() on "&#99999999;"
    and raised ValueError, which lost the whole feed."""
    path = tmp_path / "feed.atom"
    path.write_text("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                    "<title>Desk</title><entry><title>Talks &#99999999; &#x110000;</title>"
                    "<link href='https://f.example/1'/><content type='html'>Ministers met &#99999999; "
                    "in Dushanbe &#233;</content></entry></feed>", encoding="utf-8")
    items = list(iter_inputs([str(path)], Settings()))
    assert [type(i) for i in items] == [RawDocument]
    assert "Dushanbe é" in items[0].html and "\ufffd" in items[0].title


_NEWS = "Ministers of Russia and Tajikistan met in Dushanbe on Tuesday to discuss labour migration."


@pytest.mark.parametrize("run", ["!" * 40_000, " ;" * 20_000, "- " * 20_000])
def test_long_punctuation_run_in_a_paragraph_is_cleaned_in_linear_time(run):
    """Fuzz finding (seed 1, input 32860, a 19 KB page: 45-87 s CPU): the combined sentence-cue
    prefilter dropped the '^' of '^\\W*subscribe' but kept the '\\W*', so it rescanned a long run of
    punctuation from each of its characters. On these 40,000-character runs the old prefilter needed
    several minutes; the fixed one is linear (a fraction of a second)."""
    from bilat.clean import clean_document

    appeal = "Subscribe to our newsletter for daily updates."
    text = f"{_NEWS}\n\n{_NEWS} {run} {appeal}\n\nThe talks will continue in Moscow next month."
    doc = clean_document(RawDocument("adv", "test", "txt", text=text), Settings())
    assert doc.text.startswith(_NEWS) and doc.text.endswith("continue in Moscow next month.")
    assert appeal not in doc.text
    assert any(r.reason == "subscription" and appeal in r.text for r in doc.removed)
    # Nothing is lost: the run is either kept or recorded as removed.
    assert run.strip()[:100] in doc.text + "".join(r.text for r in doc.removed)


def test_combined_cue_prefilter_matches_wherever_a_cue_does():
    from bilat.clean.boilerplate import BoilerplateRules

    rules = BoilerplateRules.load()
    prefilter = rules.any_sentence_cue
    samples = ["!!! Subscribe now and get the digest.", "(c) 2024 Oxus Daily. All rights reserved.",
               "Use of the materials is permitted only with a hyperlink.", "Only 5 dollars per month supports us.",
               "Supporters pay 3 dollars a month.", "-- Updated at 10:20 with new figures", "Read also: more news",
               "Please donate!", "Follow us on Telegram"]
    for sent in samples:
        hits = [c for c in rules.cues if c.scope == "sentence" and c.search(sent)]
        assert hits, sent
        assert prefilter.search(sent), sent
    assert not prefilter.search(_NEWS)


@pytest.mark.parametrize("text", ["support " * 10_000, "use of the content " * 5_000, "per month " * 5_000])
def test_two_part_cues_do_not_rescan_after_every_first_part(text):
    """'A.*B' cues were quadratic in the number of A's in one sentence; they are now A then B."""
    from bilat.clean.boilerplate import BoilerplateRules

    two_part = [c for c in BoilerplateRules.load().cues if c.then is not None]
    assert len(two_part) == 5
    for cue in two_part:
        cue.search(text)
    assert any(c.search("Pay 5 dollars per month to support us.") for c in two_part)
    assert not any(c.search("Pay 5 dollars per month.\nWe support the talks.") for c in two_part)  # B on another line
    assert any(c.search("Reproduction of the materials is allowed only with a link.") for c in two_part)


def _gzip_stream(*parts: bytes) -> bytes:
    """One gzip member written piece by piece (a 50 MB run compresses to about 50 KB)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6) as gz:
        for part in parts:
            gz.write(part)
    return out.getvalue()


@pytest.mark.parametrize("where", ["between records", "in a header"])
def test_endless_line_in_a_warc_is_refused_after_the_records_before_it(tmp_path, where):
    """Fuzz finding (seed 1, input 46179, a 1 MB .warc.gz): after a record whose Content-Length was too
    short came a 52 MB line without a newline; warcio's readline appends it block by block (quadratic),
    so the file took minutes. Lines between records and header lines are now read up to 64 KB and a
    longer one ends the file with a MalformedInput, reported as a ReadError after the records before it."""
    good = _warc([("https://a.example/1", "text/html", PAGE)])
    run = b"Aef." * 12_500_000  # 50 MB, no newline: the old reader needed minutes for it
    if where == "between records":
        data = _gzip_stream(good, run)
    else:
        data = _gzip_stream(good, b"WARC/1.0\r\nWARC-Type: response\r\nX-Note: ", run)
    path = tmp_path / "endless.warc.gz"
    path.write_bytes(data)
    items = list(iter_inputs([str(path)], Settings()))
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadError"]
    assert items[0].url == "https://a.example/1"
    assert "longer than 65,536 bytes" in items[1].reason and "after 1 records" in items[1].reason


def test_bounded_reader_reads_ordinary_lines_whole():
    from bilat.ingest.warc import BoundedLineReader, LineTooLong

    line = b"X-Long: " + b"v" * 60_000 + b"\r\n"
    reader = BoundedLineReader(io.BytesIO(line + b"next\r\n" + b"z" * 70_000), block_size=4096)
    assert reader.readline() == line
    assert reader.readline(3) == b"nex"
    assert reader.readline() == b"t\r\n"
    with pytest.raises(LineTooLong):
        reader.readline()


# Fuzz finding (seed 2, input 33560): a control character beside a <script> made lxml raise.
@pytest.mark.parametrize("control", ["\x01", "&#1;", "\x0b", "&#x1f;", "&#127;"])
def test_control_character_beside_a_script_is_cleaned_not_a_crash(control):
    from bilat.clean.extract import visible_blocks

    html = f"<html><body><p>Talks <b>in</b> Dushanbe{control}<script>x()</script> went on.</p></body></html>"
    blocks = visible_blocks(html)
    assert "Dushanbe" in " ".join(text for text, _ in blocks)



def _list_page(items: int, inside: bool) -> str:
    """An article and a list of short unclosed items (a nested list every 50): inside the article
    after its lead, or after the article."""
    names = ["Iran", "Belarus Minsk", "China", "Kyrgyzstan Bishkek", "Armenia"]
    rows = []
    for i in range(items):
        rows.append(f"<li>{names[i % 5]}")
        if i % 50 == 49:
            rows.append("<ol>" + "".join(f"<li>{name}</li>" for name in names) + "</ol>")
    listing = "<ol>" + "\n".join(rows) + "</ol>"
    lead = "<p>" + "The ministers of Russia and Tajikistan met in Dushanbe on Tuesday and agreed on rules. " * 5 + "</p>"
    article = f"<article><h1>Talks</h1>{lead}{listing if inside else ''}</article>"
    return f"<html><head><title>Talks</title></head><body>{article}{'' if inside else listing}</body></html>"


def _clean_seconds(html: str):
    from bilat.clean import clean_document

    started = time.process_time()
    doc = clean_document(RawDocument(doc_id="list", origin="list.html", fmt="html", html=html), Settings())
    return doc, time.process_time() - started


def test_long_list_after_the_article_does_not_make_extraction_quadratic():
    """Fuzz finding (bench/fuzz_readers.py --mode pages, seed 7, input 210): a list of 10,272 short
    items after the article took 35 s to clean, in justext's neighbour search (trafilatura's
    fallback), which walks the whole run of short paragraphs from each of them (this page: 19 s).
    Pages over FALLBACK_MAX_ELEMENTS are extracted without the fallbacks (this page: 1 s)."""
    from bilat.clean.extract import FALLBACK_MAX_ELEMENTS

    doc, seconds = _clean_seconds(_list_page(10_000, inside=False))
    assert seconds < 8
    assert "Dushanbe" in doc.text and "Bishkek" not in doc.text
    assert any(limit.startswith("limit:fallback_max_elements") for limit in doc.limits)
    assert FALLBACK_MAX_ELEMENTS > 2_352  # the largest of bench/pages keeps trafilatura's fallbacks
    assert _clean_seconds(_list_page(100, inside=False))[0].limits == []


def test_long_list_removed_by_the_paragraph_rules_is_put_in_page_order_in_linear_time():
    """Found with the same run: trafilatura keeps a list inside the article as "- item" lines, the
    paragraph rules remove them, and page_order compared each with every block of the page, finding
    none (10,000 items: 11 s)."""
    doc, seconds = _clean_seconds(_list_page(10_000, inside=True))
    assert seconds < 8
    assert "Dushanbe" in doc.text
    items = [r.text for r in doc.removed if r.text.startswith("- ")]
    # Each item placed at the first block of its text, as before: the repeated names stand together.
    assert len(items) == 11_000 and items[0] == "- Iran" and items[-1] == "- Armenia"
