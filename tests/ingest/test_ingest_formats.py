"""Each reader on well-formed input: fields, ids, origins."""
from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

from ingest_helpers import DATA, docs_of, errors_of, html_page, read_all, warc_bytes

from bilat.ingest import detect_format
from bilat.ingest.text import split_title
from bilat.model import RawDocument, ReadError


def sha16(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()[:16]


def test_txt_splits_headline_from_body(settings):
    (doc,) = read_all([DATA / "headline.txt"], settings)
    assert isinstance(doc, RawDocument)
    assert doc.fmt == "txt" and doc.doc_id == "headline" and doc.origin.endswith("headline.txt")
    assert doc.title == "Dushanbe and Moscow agree to expand labour migration talks"
    assert doc.text.startswith("Officials from both capitals")
    assert "labour migration talks" not in doc.text


def test_txt_without_headline_keeps_everything(settings):
    (doc,) = read_all([DATA / "no_title.txt"], settings)
    assert doc.title is None
    assert doc.text.startswith("The two governments met") and doc.text.endswith("end of the year.")


def test_split_title_rules():
    assert split_title("A short headline\nNext sentence starts here.") == ("A short headline", "Next sentence starts here.")
    assert split_title("# Markdown heading here\n\nBody text.") == ("Markdown heading here", "Body text.")
    assert split_title("An underlined heading\n=====================\nBody.") == ("An underlined heading", "Body.")
    # site furniture of one or two words is left in the text for the cleaning stage
    assert split_title("MAIN MENU\n\nTalks were held.") == (None, "MAIN MENU\n\nTalks were held.")
    # a sentence, a wrapped line, a lone line and a numeric line are not titles
    assert split_title("This is a sentence.\n\nMore.")[0] is None
    assert split_title("Officials said on Monday that the\nborder would reopen.")[0] is None
    assert split_title("Only one line here") == (None, "Only one line here")
    assert split_title("2024-05-01\n\nBody.")[0] is None
    assert split_title(("word " * 40).strip() + "\n\nBody.")[0] is None


def test_txt_crlf_is_normalised(tmp_path, settings):
    path = tmp_path / "win.txt"
    path.write_bytes(b"A title line\r\n\r\nFirst paragraph.\r\nSecond line.\r\n")
    (doc,) = read_all([path], settings)
    assert doc.title == "A title line" and doc.text == "First paragraph.\nSecond line."


def test_html_is_passed_through(settings):
    (doc,) = read_all([DATA / "page.html"], settings)
    assert doc.fmt == "html" and doc.doc_id == "page" and doc.text is None
    assert "<article>" in doc.html and "demarcation of their shared border" in doc.html


def test_malformed_html_is_still_read(settings):
    (doc,) = read_all([DATA / "broken.html"], settings)
    assert isinstance(doc, RawDocument) and "memorandum on energy supplies" in doc.html


def test_jsonl_records_ids_and_fields(settings):
    items = read_all([DATA / "records.jsonl"], settings)
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "ReadError", "RawDocument"]
    first, second, broken, fourth = items
    assert first.doc_id == "rec-1" and first.origin.endswith("records.jsonl#line-1")
    assert (first.url, first.title, first.published, first.outlet) == (
        "https://news.example.org/2024/05/01/talks", "Talks held", "2024-05-01", "Example Wire")
    assert first.text == "The foreign ministers held talks in Dushanbe." and first.fmt == "jsonl"
    assert second.doc_id == sha16("https://news.example.org/2024/05/02/loan")
    assert second.html == "<p>A loan agreement was approved.</p>" and second.text is None
    assert broken.origin.endswith("#line-3") and broken.reason.startswith("invalid JSON on line 3, column")
    assert fourth.doc_id == sha16("A record with no id and no url gets a content hash.")


def test_jsonl_numeric_id_and_records_without_text(tmp_path, settings):
    path = tmp_path / "x.ndjson"
    path.write_text('{"id": 7, "text": "Seven."}\n\n[1, 2]\n{"id": "t", "title": "no body"}\n', encoding="utf-8")
    items = read_all([path], settings)
    assert items[0].doc_id == "7"
    assert items[1].reason == "line 3: expected a JSON object, got list"
    assert items[2].reason == "line 4: record has no 'text' or 'html'" and items[2].origin.endswith("#line-4")
    assert len(items) == 3  # the blank line 2 is skipped silently


def test_warc_reads_html_responses_only(tmp_path, settings):
    pages = [
        ("https://news.example.org/a", "text/html; charset=utf-8", html_page("A", "First story text.")),
        ("https://news.example.org/b", "application/xhtml+xml", html_page("B", "Second story text.")),
        ("https://news.example.org/data.json", "application/json", b'{"not": "html"}'),
    ]
    for name, gz in (("crawl.warc.gz", True), ("crawl.warc", False)):
        path = tmp_path / name
        path.write_bytes(warc_bytes(pages, gzip=gz))
        items = read_all([path], settings)
        assert all(isinstance(i, RawDocument) for i in items), items
        assert [d.url for d in items] == ["https://news.example.org/a", "https://news.example.org/b"]
        assert items[0].doc_id == sha16("https://news.example.org/a")
        assert items[0].fmt == "warc" and "First story text." in items[0].html
        # request records are counted: response of page 1 is record 2
        assert items[0].origin == f"{path}#record-2"


def test_warc_whole_file_gzip_is_accepted(tmp_path, settings):
    plain = warc_bytes([("https://x.example/1", "text/html", html_page("One", "Body one."))], gzip=False)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain))
    (doc,) = read_all([path], settings)
    assert doc.url == "https://x.example/1"


def test_feed_rss_prefers_full_content(settings):
    items = read_all([DATA / "feed.rss"], settings)
    first, summary_only, empty = items
    assert first.fmt == "feed" and first.origin.endswith("feed.rss#item-1")
    assert first.doc_id == sha16("https://desk.example.com/news/railway")
    assert "<b>railway</b>" in first.html and "teaser" not in first.html.lower()
    assert first.title == "Railway project discussed" and first.outlet == "Example Regional Desk"
    assert first.published == "Mon, 06 May 2024 09:30:00 +0000"
    assert "plain summary" in (summary_only.html or summary_only.text)
    assert isinstance(empty, ReadError) and empty.reason == "item 3 has no content or summary"


def test_feed_atom_content(settings):
    (doc,) = read_all([DATA / "feed.atom"], settings)
    assert doc.html == "<p>Engineers from both sides inspected the dam site.</p>"
    assert doc.url == "https://atom.example.net/hydro" and doc.outlet == "Example Atom Desk"


def test_feed_plain_text_content_goes_to_text(tmp_path, settings):
    path = tmp_path / "plain.atom"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>E</title>'
        '<content type="text">Plain words only.</content></entry></feed>', encoding="utf-8")
    (doc,) = read_all([path], settings)
    assert doc.text == "Plain words only." and doc.html is None
    assert doc.doc_id == sha16("Plain words only.")  # no link: hash of the content


def test_gzipped_text_html_jsonl_feed(tmp_path, settings):
    for name in ("headline.txt", "page.html", "records.jsonl", "feed.rss"):
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress((DATA / name).read_bytes()))
    items = read_all([tmp_path], settings)
    docs = docs_of(items)
    assert {d.fmt for d in docs} == {"txt", "html", "jsonl", "feed"}
    assert [d.doc_id for d in docs if d.fmt in ("txt", "html")] == ["headline", "page"]
    assert len(errors_of(items)) == 2  # the broken JSON line and the empty feed item, as unzipped


def test_detect_format_table():
    assert detect_format("a/b/Story.HTM").fmt == "html"
    assert detect_format("x.warc.gz") == detect_format("y.warc.gz")
    assert detect_format("x.warc.gz").compressed and detect_format("x.warc.gz").fmt == "warc"
    assert detect_format("notes.md").fmt == "txt" and detect_format("f.atom").fmt == "feed"
    assert detect_format("archive.gz") is None and detect_format("data.csv") is None


def test_stdin_text_stream(settings):
    stdin = io.StringIO('{"id": "s1", "text": "From a pipe."}\nnot json\n')
    items = read_all(["-"], settings, stdin=stdin)
    assert items[0].doc_id == "s1" and items[0].origin == "<stdin>#line-1"
    assert items[1].origin == "<stdin>#line-2" and items[1].reason.startswith("invalid JSON on line 2")


def test_stdin_binary_stream(settings):
    stdin = io.BytesIO('{"text": "Байты из канала."}\n'.encode())
    (doc,) = read_all(["-"], settings, stdin=stdin)
    assert doc.text == "Байты из канала."


def test_paths_as_path_objects_are_strings(settings):
    assert isinstance(read_all([Path(DATA / "page.html")], settings)[0], RawDocument)


def test_warc_skips_errors_and_flags_empty_pages(tmp_path, settings):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "mixed.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, status, body in (("https://s.example/gone", "404 Not Found", b"<p>Page not found</p>"),
                                  ("https://s.example/moved", "301 Moved", b""),
                                  ("https://s.example/shell", "200 OK", b"<html><script>x()</script></html>"),
                                  ("https://s.example/ok", "200 OK", b"<p>Real words.</p>")):
            headers = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    shell, ok = read_all([path], settings)
    assert shell.reason == "no text in HTML (only markup)" and shell.origin.endswith("#record-3")
    assert ok.url == "https://s.example/ok" and ok.origin.endswith("#record-4")


def test_public_names():
    import bilat.ingest as ingest

    assert set(ingest.__all__) == {"FORMATS", "InputFormat", "ReadContext", "detect_format", "expand_paths", "iter_inputs",
                                   "read_file"}
    assert all(hasattr(ingest, name) for name in ingest.__all__)
