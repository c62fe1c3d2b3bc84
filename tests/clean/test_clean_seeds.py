"""The five seed articles against their gold annotations (read from ../shared at test time)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilat.clean import clean_document
from bilat.config import Settings
from bilat.model import Document, RawDocument

SHARED = Path(__file__).resolve().parents[3] / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared seeds not present")


@pytest.fixture(scope="module")
def seeds() -> list[tuple[dict, Document]]:
    gold = [json.loads(line) for line in (SHARED / "eval" / "seeds.gold.jsonl").read_text().splitlines() if line]
    out = []
    for g in gold:
        path = SHARED / "seeds" / f"{g['id']}.txt"
        raw = RawDocument(g["id"], str(path), "txt", text=path.read_text(encoding="utf-8"))
        out.append((g, clean_document(raw, Settings())))
    return out


def test_every_boilerplate_and_spam_snippet_removed(seeds):
    checked, leaked = 0, []
    for g, d in seeds:
        for snippet in g.get("boilerplate", []) + (g.get("spam") or []):
            checked += 1
            if snippet in d.text:
                leaked.append((g["id"], snippet))
    assert checked >= 11
    assert leaked == []


def test_every_gold_evidence_sentence_kept(seeds):
    evidence = [(d, e["evidence"]) for g, d in seeds for e in g["events"] + g.get("quantities", []) if e.get("evidence")]
    assert len(evidence) >= 20
    lost = [e for d, e in evidence if e not in d.text]
    assert lost == []


def test_publication_year_and_date(seeds):
    with_year = [(g, d) for g, d in seeds if g.get("published_year") or g.get("published")]
    with_date = [(g, d) for g, d in seeds if g.get("published")]
    assert len(with_year) == 4 and len(with_date) == 2
    for g, d in with_year:
        year = str(g.get("published_year") or g["published"][:4])
        assert d.published is not None and d.published.value[:4] == year, (g["id"], d.published)
    for g, d in with_date:
        assert d.published.value == g["published"] and d.published.precision == "day", (g["id"], d.published)


def test_removed_paragraphs_account_for_the_input(seeds):
    for g, d in seeds:
        original = " ".join((SHARED / "seeds" / f"{g['id']}.txt").read_text(encoding="utf-8").split())
        rebuilt = " ".join(d.text.split()) + " " + " ".join(" ".join(r.text.split()) for r in d.removed)
        assert len(rebuilt) >= len(original) * 0.95, g["id"]
        assert d.content_hash and len(d.content_hash) == 40
