"""Regenerate the demo corpus's WARC archive and RSS feed from examples/corpus_src/.

    .venv/bin/python examples/make_corpus.py

Writes examples/corpus/frontier_review_crawl.warc.gz (three HTML response records) and
examples/corpus/srbd_feed.xml (RSS 2.0, three items with content:encoded). Output is deterministic:
dates are fixed, so rerunning only changes the files when the sources change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SRC = HERE / "corpus_src"
OUT = HERE / "corpus"


@dataclass(frozen=True)
class CrawledPage:
    """One page of the crawl: its source file, the URL it was fetched from and when."""

    file: str
    url: str
    fetched: str  # WARC-Date, ISO 8601 UTC


# Crawl dates are deliberately later than publication: a WARC-Date is not a publication date.
CRAWL: tuple[CrawledPage, ...] = (
    CrawledPage("allied_treaty.html", "https://frontier-review.example.com/1999/04/16/allied-treaty-signed/",
                "2019-03-02T10:15:00Z"),
    CrawledPage("cis_moscow_2024.html", "https://frontier-review.example.com/central-asia/putin-rahmon-kremlin-talks",
                "2024-10-11T04:20:31Z"),
    CrawledPage("russian_schools.html", "https://frontier-review.example.com/central-asia/russian-schools-open",
                "2023-01-15T22:05:09Z"),
)


def doc_id(url: str) -> str:
    """The corpus doc_id of a WARC record or feed item."""
    return hashlib.sha1(url.encode()).hexdigest()[:16]


def write_warc(pages: tuple[CrawledPage, ...], target: Path) -> None:
    with target.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for page in pages:
            body = (SRC / "warc" / page.file).read_bytes()
            http_headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                page.url, "response", payload=BytesIO(body), http_headers=http_headers,
                # A record id derived from the URL keeps reruns byte-identical.
                warc_headers_dict={"WARC-Date": page.fetched,
                                   "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, page.url)}>"},
            )
            writer.write_record(record)
            logger.info("warc record %s -> %s", page.url, doc_id(page.url))


def write_feed(items_file: Path, target: Path) -> None:
    items = json.loads(items_file.read_text(encoding="utf-8"))
    newest = max(parsedate_to_datetime(i["pubDate"]) for i in items)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        "<title>Silk Road Business Daily - Trade and Markets</title>",
        "<link>https://srbd.example.com/</link>",
        "<description>Business news from Central Asia and the Caspian</description>",
        "<language>en</language>",
        f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate>",
    ]
    for item in items:
        content = (items_file.parent / item["file"]).read_text(encoding="utf-8").strip()
        # The first paragraph doubles as the plain-text description, as many CMS feeds do.
        lead = content.split("</p>", 1)[0].removeprefix("<p>")
        parts += [
            "<item>",
            f"<title>{escape(item['title'])}</title>",
            f"<link>{escape(item['link'])}</link>",
            f'<guid isPermaLink="true">{escape(item["link"])}</guid>',
            f"<pubDate>{item['pubDate']}</pubDate>",
            "<dc:creator>SRBD trade desk</dc:creator>",
            f"<description>{escape(lead)}</description>",
            f"<content:encoded><![CDATA[{content}]]></content:encoded>",
            "</item>",
        ]
        logger.info("feed item %s -> %s", item["link"], doc_id(item["link"]))
    parts += ["</channel>", "</rss>", ""]
    target.write_text("\n".join(parts), encoding="utf-8")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_warc(CRAWL, OUT / "frontier_review_crawl.warc.gz")
    write_feed(SRC / "feed" / "items.json", OUT / "srbd_feed.xml")


if __name__ == "__main__":
    main()
