"""Every kind of bad input gives one ReadError with a readable reason, and the rest is still read."""
from __future__ import annotations

import dataclasses
import gzip
import os

import pytest
from ingest_helpers import docs_of, errors_of, html_page, read_all, warc_bytes

from bilat.model import ReadError

# What the hand-written fixture folder yields when nothing is added to it.
GOOD_DOC_IDS = {"broken", "page", "headline", "no_title", "rec-1"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(200)


def read_corpus_with(corpus, name: str, content: bytes, settings):
    """Add one file to the fixture folder, read the folder; return (errors for that file, all items)."""
    (corpus / name).write_bytes(content)
    items = read_all([corpus], settings)
    assert GOOD_DOC_IDS <= {d.doc_id for d in docs_of(items)}, "the other files must still be read"
    mine = [e for e in errors_of(items) if os.path.basename(e.origin.split("#")[0]) == name]
    return mine, items


def test_empty_file(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "empty.txt", b"", settings)
    assert err.reason == "empty file"


def test_whitespace_only_file(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "blank.html", b"  \n\n\t \n", settings)
    assert err.reason == "empty file (only whitespace)"


def test_png_renamed_txt(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "photo.txt", PNG, settings)
    assert err.reason == "binary file (PNG image), not text"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("doc.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF document), not text"),
    ("dump.jsonl", b"\x00\x01\x02\x03{}\n" * 10, "binary file (contains NUL bytes), not text"),
    ("packed.txt", gzip.compress(b"hello there"), "binary file (gzip-compressed data), not text"),
    ("noise.txt", bytes(range(1, 32)) * 20, "binary file (control characters), not text"),
])
def test_other_binary_files(corpus, settings, name, content, reason):
    (err,), _ = read_corpus_with(corpus, name, content, settings)
    assert err.reason == reason


def test_file_too_large(corpus, settings):
    small = dataclasses.replace(settings, max_file_bytes=20 * 1024 * 1024)
    big = corpus / "huge.txt"
    with open(big, "wb") as fh:  # sparse: 52.4 MB on paper, nothing written
        fh.truncate(int(52.4 * 1024 * 1024))
    items = read_all([corpus], small)
    (err,) = [e for e in errors_of(items) if e.origin.endswith("huge.txt")]
    assert err.reason == "file too large: 52.4 MB > limit 20.0 MB (max_file_bytes)"
    assert GOOD_DOC_IDS <= {d.doc_id for d in docs_of(items)}


def test_html_without_any_text(corpus, settings):
    markup = b"<html><head><script>var x = 1;</script><style>p{}</style></head><body><div></div><!-- c --></body>"
    (err,), _ = read_corpus_with(corpus, "shell.html", markup, settings)
    assert err.reason == "no text in HTML (only markup)"


def test_jsonl_broken_line_keeps_the_others(corpus, settings):
    lines = b'{"id": "ok-1", "text": "One."}\n{"id": "bad", "text": \n{"id": "ok-3", "text": "Three."}\n'
    (err,), items = read_corpus_with(corpus, "more.jsonl", lines, settings)
    assert err.origin.endswith("more.jsonl#line-2")
    assert err.reason.startswith("invalid JSON on line 2, column ")
    assert {"ok-1", "ok-3"} <= {d.doc_id for d in docs_of(items)}


def test_jsonl_line_over_the_limit(tmp_path, settings):
    small = dataclasses.replace(settings, max_file_bytes=1000)
    path = tmp_path / "long.jsonl"
    path.write_text('{"id": "a", "text": "short"}\n{"text": "' + "x" * 5000 + '"}\n{"id": "c", "text": "after"}\n')
    a, err, c = read_all([path], small)
    assert (a.doc_id, c.doc_id) == ("a", "c")
    assert err.reason == "line 2 too large: over 0.0 MB (max_file_bytes)" and err.origin.endswith("#line-2")


def test_truncated_warc_gz(corpus, settings):
    pages = [(f"https://news.example.org/{i}", "text/html", html_page(f"T{i}", f"Story {i}. " + "word " * 400))
             for i in range(6)]
    data = warc_bytes(pages, gzip=True, extra_records=False)
    cut = data[: int(len(data) * 0.6)]
    (err,), items = read_corpus_with(corpus, "cut.warc.gz", cut, settings)
    read_before = [d for d in docs_of(items) if d.fmt == "warc"]
    assert 2 <= len(read_before) < 6
    assert [d.url for d in read_before] == [f"https://news.example.org/{i}" for i in range(len(read_before))]
    assert err.reason.startswith("truncated WARC")
    # the error comes after the records read
    assert items.index(err) > items.index(read_before[-1])


def test_truncated_plain_warc(tmp_path, settings):
    pages = [(f"https://p.example/{i}", "text/html", html_page("T", "text " * 300)) for i in range(3)]
    data = warc_bytes(pages, gzip=False, extra_records=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 500])
    items = read_all([path], settings)
    assert [type(i) for i in items][-1] is ReadError and items[-1].reason.startswith("truncated WARC")
    assert len(docs_of(items)) == 2


def test_not_a_warc(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "junk.warc", b"this is not a web archive\nat all\n", settings)
    assert err.reason.startswith("not a WARC file: ")


def test_warc_gz_that_is_not_gzip(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "fake.warc.gz", b"WARC/1.0\r\n", settings)
    assert err.reason == "not a gzip file, although the name ends in .gz"


def test_feed_that_is_not_xml(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "news.rss", b"Just some words in a file called news.rss\n", settings)
    assert err.reason.startswith("not an RSS/Atom feed: ")


def test_xml_that_is_not_a_feed(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "config.xml", b'<?xml version="1.0"?><settings><a>1</a></settings>',
                                 settings)
    assert err.reason.startswith("not an RSS/Atom feed")


def test_feed_without_items(corpus, settings):
    rss = b'<rss version="2.0"><channel><title>Quiet desk</title></channel></rss>'
    (err,), _ = read_corpus_with(corpus, "quiet.rss", rss, settings)
    assert err.reason == "feed has no items"


def test_gzip_bomb(corpus, settings):
    small = dataclasses.replace(settings, max_decompressed_bytes=1024 * 1024)
    bomb = gzip.compress(b"A" * (8 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 20_000
    for name in ("bomb.txt.gz", "bomb.jsonl.gz", "bomb.html.gz"):
        (corpus / name).write_bytes(bomb)
    items = read_all([corpus], small)
    errs = {os.path.basename(e.origin): e.reason for e in errors_of(items) if os.path.basename(e.origin).startswith("bomb")}
    assert errs == {name: "decompressed data too large: more than 1.0 MB (max_decompressed_bytes)"
                    for name in ("bomb.txt.gz", "bomb.jsonl.gz", "bomb.html.gz")}
    assert GOOD_DOC_IDS <= {d.doc_id for d in docs_of(items)}


def test_warc_record_over_the_limit(tmp_path, settings):
    small = dataclasses.replace(settings, max_decompressed_bytes=10_000)
    pages = [("https://big.example/1", "text/html", html_page("Big", "z" * 50_000)),
             ("https://big.example/2", "text/html", html_page("Small", "fine"))]
    path = tmp_path / "big.warc.gz"
    path.write_bytes(warc_bytes(pages, extra_records=False))
    err, doc = read_all([path], small)
    assert err.reason == "record too large: more than 0.0 MB (max_decompressed_bytes)"
    assert err.origin.endswith("#record-1") and doc.url == "https://big.example/2"


def test_truncated_gzip_text(corpus, settings):
    data = gzip.compress(("Some words. " * 2000).encode())
    (err,), _ = read_corpus_with(corpus, "cut.txt.gz", data[: len(data) // 2], settings)
    assert err.reason.startswith("truncated gzip data")


def test_unsupported_extension(corpus, settings):
    (err,), _ = read_corpus_with(corpus, "table.csv", b"a,b\n1,2\n", settings)
    assert err.reason.startswith("unsupported file type '.csv'")


def test_unreadable_file(corpus, settings):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    (corpus / "locked.txt").write_text("Secret\n\nText.")
    os.chmod(corpus / "locked.txt", 0)
    (err,) = [e for e in errors_of(read_all([corpus], settings)) if e.origin.endswith("locked.txt")]
    assert err.reason.startswith("cannot read file")


def test_missing_path_and_empty_glob(tmp_path, settings):
    items = read_all([tmp_path / "nothing.txt", str(tmp_path / "*.html")], settings)
    assert [e.reason for e in items] == ["no such file or directory", "no files match this pattern"]
