"""Whatever bytes a file holds, iter_inputs yields records and never raises."""
from __future__ import annotations

import dataclasses
import gzip

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import html_page, read_all, warc_bytes

from bilat.config import Settings
from bilat.model import RawDocument, ReadError

SUFFIXES = [".txt", ".html", ".jsonl", ".warc.gz", ".xml", ".txt.gz", ".warc"]
SMALL = dataclasses.replace(Settings(), max_file_bytes=64 * 1024, max_decompressed_bytes=64 * 1024)

# Bytes that are more likely than uniform noise to reach deep into a parser.
_FRAGMENTS = [b"<rss>", b"<item>", b"</item>", b"<?xml ", b"WARC/1.0\r\n", b"Content-Length: 10\r\n",
              b'{"text": "', b'"}\n', b"\n", b"\x1f\x8b", b"<html>", b"<p>", b"\xd0\xbf", b"\xef\xbb\xbf", b"\x00"]
noisy_bytes = st.one_of(
    st.binary(max_size=2048),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.binary(max_size=16)), max_size=60).map(b"".join),
)


def _check(items) -> None:
    for item in items:
        assert isinstance(item, RawDocument | ReadError)
        if isinstance(item, ReadError):
            assert item.reason and "\n" not in item.reason
            assert not item.reason.startswith("unexpected error"), item.reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=noisy_bytes, suffix=st.sampled_from(SUFFIXES), gzip_it=st.booleans())
def test_random_bytes_never_raise(tmp_path, data, suffix, gzip_it):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(gzip.compress(data) if gzip_it else data)
    _check(read_all([path], SMALL))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_damaged_warc_never_raises(tmp_path, cut, flip):
    pages = [(f"https://d.example/{i}", "text/html", html_page(str(i), "words " * 50)) for i in range(4)]
    data = bytearray(warc_bytes(pages))
    if data:
        data[flip % len(data)] ^= 0xFF
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(data[: max(1, len(data) - cut)]))
    _check(read_all([path], SMALL))
