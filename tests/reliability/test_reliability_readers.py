"""Property tests for every reader with structured (not only random) inputs.

The generators are those of ``bench/fuzz_readers.py``, driven here by Hypothesis through
``st.randoms()`` so that a failure shrinks to a small choice sequence. Whatever the input, a reader
yields RawDocument or ReadError records; a reader bug would show as a ReadError whose reason starts
with "unexpected error" (``iter_inputs`` turns any stray exception into that), which must not occur.
"""
from __future__ import annotations

import dataclasses
import gzip
import json
import random
from pathlib import Path

from fuzz_readers import Generator, check_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilat.config import Settings
from bilat.ingest import iter_inputs
from bilat.model import RawDocument, ReadError

SMALL = dataclasses.replace(Settings(), max_file_bytes=512 * 1024, max_decompressed_bytes=512 * 1024)
GEN = Generator()
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read(path: Path, settings_: Settings = SMALL) -> list[RawDocument | ReadError]:
    items = list(iter_inputs([str(path)], settings_))
    # A WARC without HTML responses (only requests, metadata, images) is logged, not an error.
    assert items or ".warc" in path.name, "a reader yields a document or an error for each file"
    for item in items:
        assert isinstance(item, RawDocument | ReadError)
        if isinstance(item, ReadError):
            assert item.reason and "\n" not in item.reason
            assert not item.reason.startswith("unexpected error"), item.reason
            assert item.origin.startswith(str(path))
        else:
            assert item.origin.startswith(str(path))
            body = item.text if item.text is not None else item.html
            assert body and body.strip()
            body.encode("utf-8")  # storable: no lone surrogates
    return items


@FAST
@given(rnd=st.randoms(use_true_random=False), gz=st.booleans())
def test_html_reader_structured(tmp_path, rnd: random.Random, gz: bool):
    data = GEN.mutate(rnd, GEN.html_page(rnd))
    path = tmp_path / ("page.html.gz" if gz else "page.html")
    path.write_bytes(gzip.compress(data) if gz else data)
    items = read(path)
    assert check_records([i for i in items if isinstance(i, RawDocument)], "html") is None


@FAST
@given(rnd=st.randoms(use_true_random=False))
def test_warc_reader_structured(tmp_path, rnd: random.Random):
    data, suffix = GEN.warc_file(rnd)
    path = tmp_path / f"crawl{suffix}"
    path.write_bytes(GEN.mutate(rnd, data))
    items = read(path)
    assert check_records([i for i in items if isinstance(i, RawDocument)], "warc") is None


def test_undamaged_warc_yields_every_html_response(tmp_path):
    """Without damage or odd headers, every 2xx HTML response record becomes a document."""
    rnd = random.Random(7)
    records = [GEN.warc_record(rnd, i, odd=0.0) for i in range(30)]
    path = tmp_path / "clean.warc"
    path.write_bytes(b"".join(records))
    expected = sum(b"WARC-Type: response" in r and b"HTTP/1." in r for r in records)
    docs = [i for i in read(path, Settings()) if isinstance(i, RawDocument)]
    assert expected >= 10 and len(docs) == expected


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
_VALUE = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _TEXT,
                   st.lists(_TEXT, max_size=2), st.dictionaries(_TEXT, _TEXT, max_size=2))
_RECORD = st.dictionaries(st.sampled_from(["id", "url", "title", "text", "html", "published", "date", "source",
                                           "outlet", "extra"]), _VALUE, max_size=8)


@FAST
@given(records=st.lists(st.one_of(_RECORD.map(json.dumps), _TEXT), min_size=1, max_size=6),
       rnd=st.randoms(use_true_random=False))
def test_jsonl_reader_structured(tmp_path, records: list[str], rnd: random.Random):
    data = GEN.mutate(rnd, "\n".join(records).encode("utf-8", "surrogatepass"))
    path = tmp_path / "records.jsonl"
    path.write_bytes(data or b"\n")
    items = read(path)
    for item in items:
        if isinstance(item, RawDocument):
            assert item.fmt == "jsonl" and item.doc_id


def _feed(rnd: random.Random, atom: bool) -> str:
    items = []
    for i in range(rnd.randint(0, 4)):
        body = GEN.paragraph(rnd)
        if atom:
            items.append(f"<entry><title>{GEN.sentence(rnd)}</title><link href='https://f.example/{i}'/>"
                         f"<updated>2024-03-0{i + 1}T10:00:00Z</updated>"
                         f"<content type='{rnd.choice(['html', 'text', 'xhtml'])}'>{body}</content></entry>")
        else:
            content = f"<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded>" if rnd.random() < 0.6 else ""
            items.append(f"<item><title>{GEN.sentence(rnd)}</title><link>https://f.example/{i}</link>"
                         f"<pubDate>Mon, 0{i + 1} Apr 2024 09:00:00 +0000</pubDate>"
                         f"<description>{GEN.sentence(rnd)}</description>{content}</item>")
    if atom:
        return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
                f"<title>Desk</title>{''.join(items)}</feed>")
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
            "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel><title>Desk</title>"
            f"{''.join(items)}</channel></rss>")


@FAST
@given(rnd=st.randoms(use_true_random=False), atom=st.booleans(),
       encoding=st.sampled_from(["utf-8", "cp1251", "latin-1", "utf-16"]))
def test_feed_reader_structured(tmp_path, rnd: random.Random, atom: bool, encoding: str):
    data = _feed(rnd, atom).encode(encoding, errors="xmlcharrefreplace")
    path = tmp_path / ("feed.atom" if atom else "feed.rss")
    path.write_bytes(GEN.mutate(rnd, data))
    read(path)


@FAST
@given(rnd=st.randoms(use_true_random=False), encoding=st.sampled_from(["utf-8", "cp1251", "koi8-r", "latin-1",
                                                                        "utf-16", "utf-8-sig"]))
def test_text_reader_structured(tmp_path, rnd: random.Random, encoding: str):
    text = GEN.sentence(rnd) + "\n\n" + "\n".join(GEN.paragraph(rnd) for _ in range(rnd.randint(0, 5)))
    path = tmp_path / "article.txt"
    path.write_bytes(GEN.mutate(rnd, text.encode(encoding, errors="replace")))
    for item in read(path):
        if isinstance(item, RawDocument):
            assert item.fmt == "txt" and item.text is not None and "\r" not in item.text
