"""Resource limits of the readers: file size, decompressed size (zip bombs), line size.

Each limit is a setting (bilat.config.Settings), each hit is a ReadError naming the setting, and a
bomb is refused after reading about ``max_decompressed_bytes``, not after inflating all of it.
The limits of later stages (max_doc_chars, max_sentence_tokens, a time limit per document) are
tested in test_reliability_stage_limits.py. See docs/limits.md.
"""
from __future__ import annotations

import dataclasses
import gzip
import io
import json
import resource
import time
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bilat.config import Settings
from bilat.ingest import iter_inputs
from bilat.model import RawDocument, ReadError

MB = 1024 * 1024
PAGE = ("<html><head><title>Talks in Dushanbe</title></head><body><p>The foreign ministers of Russia and "
        "Tajikistan met on Tuesday and agreed on the registration of labour migrants.</p></body></html>")


def bomb(inflated_mb: int, head: bytes = b"") -> bytes:
    """A multi-member gzip that inflates to ``inflated_mb`` MB of spaces (about 1 KB per MB on disk)."""
    member = gzip.compress(b" " * MB, compresslevel=9)
    return gzip.compress(head) + member * inflated_mb


def read(path: Path, settings: Settings) -> list[RawDocument | ReadError]:
    return list(iter_inputs([str(path)], settings))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name,head", [("page.html.gz", PAGE.encode()), ("story.txt.gz", b"Title\n\nText. "),
                                       ("records.jsonl.gz", b'{"id": "a", "text": "')])
def test_gzip_bomb_is_refused_early(tmp_path, name, head):
    settings = dataclasses.replace(Settings(), max_decompressed_bytes=4 * MB)
    path = tmp_path / name
    path.write_bytes(bomb(500, head))  # 500 MB inflated from about 0.5 MB on disk
    assert path.stat().st_size < MB
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    items = read(path, settings)
    assert time.perf_counter() - started < 5
    assert peak_rss_mb() - rss_before < 100  # did not inflate the 500 MB
    errors = [i for i in items if isinstance(i, ReadError)]
    assert errors and "max_decompressed_bytes" in errors[-1].reason
    assert not [i for i in items if isinstance(i, RawDocument)]


def test_default_decompressed_limit_stops_a_bomb(tmp_path):
    """With the packaged settings (200 MB), a 1 GB bomb is refused."""
    path = tmp_path / "page.html.gz"
    path.write_bytes(bomb(1024, PAGE.encode()))
    items = read(path, Settings())
    assert [type(i) for i in items] == [ReadError] and "max_decompressed_bytes" in items[0].reason


def _warc(records: list[tuple[str, list[tuple[str, str]], bytes]], gzip_records: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_records)
    for url, headers, body in records:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    return buf.getvalue()


@pytest.mark.parametrize("gzip_records", [False, True])
def test_warc_record_bomb_spoils_only_that_record(tmp_path, gzip_records):
    """A record whose gzip Content-Encoding inflates past the limit is refused; the next one is read."""
    settings = dataclasses.replace(Settings(), max_decompressed_bytes=2 * MB)
    inflating = gzip.compress(PAGE.encode() + b" " * (40 * MB), compresslevel=9)
    path = tmp_path / "crawl.warc.gz" if gzip_records else tmp_path / "crawl.warc"
    path.write_bytes(_warc([
        ("https://a.example/bomb", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], inflating),
        ("https://a.example/fine", [("Content-Type", "text/html")], PAGE.encode()),
    ], gzip_records))
    items = read(path, settings)
    assert isinstance(items[0], ReadError) and "max_decompressed_bytes" in items[0].reason
    assert items[0].origin.endswith("#record-1")
    assert [i.url for i in items if isinstance(i, RawDocument)] == ["https://a.example/fine"]


def test_warc_plain_record_over_limit(tmp_path):
    settings = dataclasses.replace(Settings(), max_decompressed_bytes=1 * MB)
    big = PAGE.replace("</p>", " and more" * 300_000 + "</p>").encode()
    path = tmp_path / "big.warc"
    path.write_bytes(_warc([("https://a.example/big", [("Content-Type", "text/html")], big),
                            ("https://a.example/ok", [("Content-Type", "text/html")], PAGE.encode())], False))
    items = read(path, settings)
    assert "max_decompressed_bytes" in items[0].reason
    assert [i.url for i in items if isinstance(i, RawDocument)] == ["https://a.example/ok"]


@pytest.mark.parametrize("name", ["big.txt", "big.html", "big.xml", "big.warc", "big.jsonl"])
def test_max_file_bytes(tmp_path, name):
    settings = dataclasses.replace(Settings(), max_file_bytes=64 * 1024)
    path = tmp_path / name
    path.write_bytes(b"x" * (65 * 1024))
    items = read(path, settings)
    if name.endswith(".jsonl"):  # read as a stream, line by line: the one long line is refused
        assert "line 1 too large" in items[0].reason and "max_file_bytes" in items[0].reason
    elif name.endswith(".warc"):  # streamed record by record; not a WARC at all here
        assert isinstance(items[0], ReadError)
    else:
        assert [type(i) for i in items] == [ReadError] and "max_file_bytes" in items[0].reason


def test_jsonl_long_line_is_skipped_and_the_rest_read(tmp_path):
    settings = dataclasses.replace(Settings(), max_file_bytes=64 * 1024)
    lines = [json.dumps({"id": "a", "text": "Short news text about talks."}),
             json.dumps({"id": "b", "text": "word " * 40_000}),
             json.dumps({"id": "c", "text": "Another short text about a visit."})]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path, settings)
    assert [i.doc_id for i in items if isinstance(i, RawDocument)] == ["a", "c"]
    assert [i.origin.rsplit("#", 1)[-1] for i in items if isinstance(i, ReadError)] == ["line-2"]


def test_limits_are_settings_and_documented():
    """The four limits exist as Settings fields, and every limit field (max_*, *timeout*) is in docs/limits.md."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert {"max_file_bytes", "max_decompressed_bytes", "max_doc_chars", "max_sentence_tokens"} <= fields
    for name in fields:
        if name.startswith("max_") or "timeout" in name:
            assert f"`{name}`" in doc, f"{name} is not documented in docs/limits.md"
