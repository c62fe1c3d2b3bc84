"""Quality gate on the demo corpus (examples/corpus, examples/gold): plain-text and HTML articles."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bilat.clean import clean_document
from bilat.config import Settings
from bilat.model import RawDocument

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
GOLD = ROOT / "examples" / "gold" / "demo.gold.jsonl"
pytestmark = pytest.mark.skipif(not GOLD.is_file(), reason="demo gold not present")


@pytest.fixture(scope="module")
def pairs():
    gold = {json.loads(line)["id"]: json.loads(line) for line in GOLD.read_text().splitlines() if line.strip()}
    out = []
    for path in sorted(CORPUS.glob("*")):
        if path.suffix not in (".txt", ".html") or path.stem not in gold:
            continue
        kind = {"text": path.read_text(encoding="utf-8")} if path.suffix == ".txt" else {"html": path.read_text(encoding="utf-8")}
        out.append((gold[path.stem], clean_document(RawDocument(path.stem, str(path), path.suffix[1:], **kind), Settings())))
    if len(out) < 10:
        pytest.skip("demo corpus incomplete")
    return out


def test_boilerplate_removed_and_evidence_kept(pairs):
    checked, leaked, lost = 0, [], []
    for g, d in pairs:
        for snippet in g.get("boilerplate", []) + g.get("spam", []):
            checked += 1
            if snippet in d.text:
                leaked.append(snippet)
        lost += [e["evidence"] for e in g["events"] + g.get("quantities", []) if e["evidence"] not in d.text]
    assert checked >= 40
    assert 1 - len(leaked) / checked >= 0.95, leaked
    assert lost == []


def test_publication_dates(pairs):
    dated = [(g, d) for g, d in pairs if g.get("published")]
    exact = sum(bool(d.published) and d.published.value[:10] == g["published"] for g, d in dated)
    yearly = [(g, d) for g, d in pairs if g.get("published_year")]
    years = sum(bool(d.published) and d.published.value[:4] == str(g["published_year"]) for g, d in yearly)
    assert exact / len(dated) >= 0.9
    assert years / len(yearly) >= 0.9
