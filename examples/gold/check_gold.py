"""Check demo.gold.jsonl against the demo corpus it annotates.

    .venv/bin/python examples/gold/check_gold.py

Reads every article in examples/corpus/ the way the doc_id convention names it (.txt/.html: file
stem; .jsonl: the record's "id"; .warc.gz records and feed items: sha1(url)[:16]) and verifies
that each gold row has an article, and that every evidence sentence, boilerplate and spam snippet
occurs verbatim in that article's raw text. Exits non-zero on the first kind of failure found.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path

import feedparser
from warcio.archiveiterator import ArchiveIterator

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus"
GOLD = HERE / "demo.gold.jsonl"


def url_id(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:16]


def raw_articles(corpus: Path) -> dict[str, str]:
    """doc_id -> raw text (file contents, record text/html, WARC payload, feed content)."""
    out: dict[str, str] = {}
    for path in sorted(corpus.rglob("*")):
        name = path.name
        if name.endswith((".txt", ".html")):
            out[path.stem] = path.read_text(encoding="utf-8")
        elif name.endswith(".jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    out[str(rec["id"])] = rec.get("text") or rec.get("html") or ""
        elif name.endswith(".warc.gz"):
            with path.open("rb") as fh:
                for rec in ArchiveIterator(fh):
                    if rec.rec_type == "response":
                        uri = rec.rec_headers.get_header("WARC-Target-URI")
                        out[url_id(uri)] = rec.content_stream().read().decode("utf-8")
        elif name.endswith(".xml"):
            feed = feedparser.parse(str(path))
            for entry in feed.entries:
                body = entry.content[0].value if entry.get("content") else entry.get("summary", "")
                out[url_id(entry.link)] = body
    return out


def problems(gold_rows: list[dict], articles: dict[str, str]) -> list[str]:
    found: list[str] = []
    for row in gold_rows:
        text = articles.get(row["id"])
        if text is None:
            found.append(f"{row['id']}: no article with this doc_id")
            continue
        for snippet in row.get("boilerplate", []) + row.get("spam", []):
            if snippet not in text:
                found.append(f"{row['id']}: snippet not in text: {snippet!r}")
        for item in row.get("events", []) + row.get("quantities", []):
            if item["evidence"] not in text:
                found.append(f"{row['id']}: evidence not in text: {item['evidence'][:80]!r}")
    return found


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = raw_articles(CORPUS)
    missing_gold = sorted(set(articles) - {r["id"] for r in rows})
    found = problems(rows, articles)
    for p in found:
        logger.error(p)
    if missing_gold:
        logger.warning("articles without gold rows: %s", missing_gold)
    logger.info("%d gold rows, %d articles, %d problems", len(rows), len(articles), len(found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
