"""Make a news-like corpus of any size by recombining the team's own demo articles.

Each generated document takes the title and opening paragraph of one demo article and
further paragraphs from others until it reaches about ``words`` words, so documents
look like articles (datelines, actors, figures) without repeating one text.

With ``distinct=True`` (``--distinct``) the further text is drawn sentence by sentence, in
paragraphs of three to six, so that hardly any two documents are near-copies: the near-duplicate
index then holds every document, as it would on a real crawl (what a memory run must show).
"""
from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def demo_articles(corpus: Path = CORPUS) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every plain-text demo article."""
    articles = []
    for path in sorted(corpus.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").strip().split("\n")
        paragraphs = [p.strip() for p in "\n".join(lines[1:]).split("\n\n") if len(p.split()) >= 12]
        if paragraphs:
            articles.append((lines[0].strip(), paragraphs))
    if not articles:
        raise SystemExit(f"no demo articles found in {corpus}")
    return articles


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _sentence_paragraphs(rng: random.Random, sentences: list[str]) -> Iterator[str]:
    while True:
        yield " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))


def generate(n: int, words: int = 500, seed: int = 0, corpus: Path = CORPUS,
             distinct: bool = False) -> Iterator[dict]:
    rng = random.Random(seed)
    articles = demo_articles(corpus)
    pool = [p for _, paragraphs in articles for p in paragraphs]
    sentences = [s for p in pool for s in _SENTENCE_END.split(p) if len(s.split()) >= 6]
    mixed = _sentence_paragraphs(rng, sentences)
    for i in range(n):
        title, paragraphs = articles[i % len(articles)]
        body = [paragraphs[0]]
        count = len(paragraphs[0].split())
        while True:  # stop at the paragraph that would overshoot ``words`` by more than half its length
            extra = next(mixed) if distinct else rng.choice(pool)
            size = len(extra.split())
            if count + size / 2 > words:
                break
            body.append(extra)
            count += size
        year = 1995 + (i % 30)
        yield {"id": f"gen-{i:07d}", "title": f"{title} ({i})", "text": "\n\n".join(body),
               "published": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", "source": f"Outlet {i % 7}",
               "url": f"https://outlet{i % 7}.example/{year}/{i}"}


def write_jsonl(path: Path, n: int, words: int = 500, seed: int = 0, distinct: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for record in generate(n, words, seed, distinct=distinct):
            f.write(json.dumps(record) + "\n")
    return path


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--out", type=Path, default=Path("generated.jsonl"))
    parser.add_argument("--distinct", action="store_true", help="mix sentences, not paragraphs: no near-copies")
    args = parser.parse_args()
    print(write_jsonl(args.out, args.docs, args.words, distinct=args.distinct))
