"""Make a news-like corpus of any size by recombining the team's own demo articles.

Each generated document takes the title and opening paragraph of one demo article and
further paragraphs from others until it reaches about ``words`` words, so documents
look like articles (datelines, actors, figures) without repeating one text.

With ``distinct=True`` (``--distinct``) the further text is drawn sentence by sentence, in
paragraphs of three to six, so that hardly any two documents are near-copies: the near-duplicate
index then holds every document, as it would on a real crawl (what a memory run must show).

With ``russian=share`` (``--russian 0.5``) that share of the documents, spread evenly, is made the same
way from the team's Russian demo articles (``examples/ru/corpus``), for a mixed-language run.
"""
from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
RUSSIAN_CORPUS = Path(__file__).resolve().parent.parent / "examples" / "ru" / "corpus"


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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ\"“«])")


def _sentence_paragraphs(rng: random.Random, sentences: list[str]) -> Iterator[str]:
    while True:
        yield " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 6)))


def generate(n: int, words: int = 500, seed: int = 0, corpus: Path = CORPUS,
             distinct: bool = False, russian: float = 0.0) -> Iterator[dict]:
    """``n`` documents; ``russian``: the share (0 to 1) made from the Russian demo articles."""
    if not 0.0 <= russian <= 1.0:
        raise ValueError(f"russian must be a share from 0 to 1, not {russian}")
    english = _generate(corpus, words, seed, distinct, "gen")
    others = _generate(RUSSIAN_CORPUS, words, seed, distinct, "gen-ru") if russian else english
    made = 0.0
    for _ in range(n):
        made += russian
        if made >= 1.0 - 1e-9:  # spread the Russian documents evenly: 0.5 is every second one
            made -= 1.0
            yield next(others)
        else:
            yield next(english)


def _generate(corpus: Path, words: int, seed: int, distinct: bool, prefix: str) -> Iterator[dict]:
    rng = random.Random(seed)
    articles = demo_articles(corpus)
    pool = [p for _, paragraphs in articles for p in paragraphs]
    sentences = [s for p in pool for s in _SENTENCE_END.split(p) if len(s.split()) >= 6]
    mixed = _sentence_paragraphs(rng, sentences)
    for i in itertools.count():
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
        yield {"id": f"{prefix}-{i:07d}", "title": f"{title} ({i})", "text": "\n\n".join(body),
               "published": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", "source": f"Outlet {i % 7}",
               "url": f"https://outlet{i % 7}.example/{year}/{i}"}


def write_jsonl(path: Path, n: int, words: int = 500, seed: int = 0, distinct: bool = False,
                russian: float = 0.0) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for record in generate(n, words, seed, distinct=distinct, russian=russian):
            f.write(json.dumps(record) + "\n")
    return path


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--out", type=Path, default=Path("generated.jsonl"))
    parser.add_argument("--distinct", action="store_true", help="mix sentences, not paragraphs: no near-copies")
    parser.add_argument("--russian", type=float, default=0.0, help="share of Russian documents, 0 to 1")
    args = parser.parse_args()
    print(write_jsonl(args.out, args.docs, args.words, distinct=args.distinct, russian=args.russian))
