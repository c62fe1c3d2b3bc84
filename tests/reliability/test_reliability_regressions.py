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
    started = time.perf_counter()
    items = list(iter_inputs([str(path)], Settings()))
    assert time.perf_counter() - started < 5
    assert isinstance(items[0], RawDocument)


def test_feed_title_of_many_angle_brackets_is_fast():
    started = time.perf_counter()
    assert _plain("&" + "<" * 100_000 + "b>Title") is not None
    assert time.perf_counter() - started < 2
    assert _plain("<b>Talks</b> in <i>Dushanbe</i>") == "Talks in Dushanbe"
