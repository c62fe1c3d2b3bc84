"""The extractor on the five seed articles, scored with score.py's quantity rule (value within 1%)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bilat.model import DatedValue, Document, Quantity, Sentence
from bilat.nlp.pipeline import EnglishPipeline
from bilat.quantities import QuantityExtractor
from bilat.quantities.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
GOLD = SHARED / "eval" / "seeds.gold.jsonl"
SEEDS = SHARED / "seeds"


def _gold() -> list[dict]:
    if not GOLD.is_file():
        pytest.skip("../shared/eval is not beside the checkout")
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _published(g: dict) -> DatedValue | None:
    # stands in for the metadata stage, whose own accuracy is scored separately
    if g.get("published"):
        return DatedValue(g["published"], "day", "gold")
    if g.get("published_year"):
        return DatedValue(str(g["published_year"]), "year", "gold")
    return None


def _cleaned(text: str, g: dict) -> str:
    """The text without the paragraphs the cleaning stage is expected to drop (gold snippets)."""
    snippets = g.get("boilerplate", []) + g.get("spam", [])
    return "\n".join(line for line in text.split("\n") if not any(s in line for s in snippets))


def _f1(pairs: list[tuple[list[dict], list[Quantity]]]) -> tuple[float, int, int, int]:
    """score.py's rule: greedy one-to-one matching of values within 1% of the gold value."""
    tp = n_pred = n_gold = 0
    for gold, pred in pairs:
        n_pred += len(pred)
        n_gold += len(gold)
        free = list(pred)
        for gq in gold:
            hit = next((q for q in free if abs(q.value - gq["value"]) <= 0.01 * abs(gq["value"])), None)
            if hit is not None:
                free.remove(hit)
                tp += 1
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), tp, n_pred, n_gold


@pytest.fixture(scope="module")
def extractor() -> QuantityExtractor:
    return QuantityExtractor()


def _run(extractor: QuantityExtractor, cleaned: bool) -> list[tuple[dict, list[Quantity]]]:
    out = []
    for g in _gold():
        text = (SEEDS / f"{g['id']}.txt").read_text(encoding="utf-8")
        if cleaned:
            text = _cleaned(text, g)
        doc = Document(g["id"], "seed", "txt", text, published=_published(g), sentences=split_sentences(text))
        out.append((g, extractor.extract(doc)))
    return out


def test_seed_f1_after_cleaning(extractor: QuantityExtractor) -> None:
    results = _run(extractor, cleaned=True)
    f1, tp, n_pred, n_gold = _f1([(g.get("quantities", []), pred) for g, pred in results])
    assert f1 >= 0.9, (f1, tp, n_pred, n_gold)


def test_seed_f1_with_spacy_sentences(extractor: QuantityExtractor) -> None:
    """The same score when the sentences come from the real NLP stage."""
    nlp = EnglishPipeline()
    pairs = []
    for g in _gold():
        text = _cleaned((SEEDS / f"{g['id']}.txt").read_text(encoding="utf-8"), g)
        sents = [Sentence(s.start_char, s.end_char, s.text) for s in nlp(text).sents]
        doc = Document(g["id"], "seed", "txt", text, published=_published(g), sentences=sents)
        pairs.append((g.get("quantities", []), extractor.extract(doc)))
    f1, tp, n_pred, n_gold = _f1(pairs)
    assert f1 >= 0.9, (f1, tp, n_pred, n_gold)


def test_seed_f1_raw_text(extractor: QuantityExtractor) -> None:
    """On uncleaned text the subscription prices and spam count against precision, but recall is full."""
    results = _run(extractor, cleaned=False)
    f1, tp, n_pred, n_gold = _f1([(g.get("quantities", []), pred) for g, pred in results])
    assert tp == n_gold
    assert f1 >= 0.8, (f1, tp, n_pred, n_gold)
    # what the cleaner would remove is still marked as no claim about the relationship
    not_claims = {q.text for _, pred in results for q in pred if not q.is_claim}
    assert any(t.startswith("UAH 196") for t in not_claims)
    assert any(t.startswith("USD 5") for t in not_claims)


def test_seed_periods_and_units(extractor: QuantityExtractor) -> None:
    """Matched figures carry the gold period (where the gold gives a calendar one) and unit family."""
    checked = 0
    for g, pred in _run(extractor, cleaned=True):
        for gq in g.get("quantities", []):
            hit = next(q for q in pred if abs(q.value - gq["value"]) <= 0.01 * abs(gq["value"]))
            assert hit.evidence.strip() in (SEEDS / f"{g['id']}.txt").read_text(encoding="utf-8")
            if gq["unit"] in ("USD", "percent", "km", "years"):
                assert hit.unit == gq["unit"]
            if gq["period"] is None or re.fullmatch(r"\d{4}(?:-\d\d)?(?:/\d{4}-\d\d)?", gq["period"]):
                assert hit.period == gq["period"], (gq["text"], hit.period)
                checked += 1
    assert checked >= 9


def test_seed_metrics(extractor: QuantityExtractor) -> None:
    by_value = {q.value: q for _, pred in _run(extractor, cleaned=True) for q in pred}
    assert by_value[810.4e6].metric == "bilateral_trade"
    assert by_value[720.4e6].metric == "exports"
    assert by_value[49].metric == "base_lease_term"
    assert by_value[500].metric == "weapon_range" and not by_value[500].is_claim
    assert by_value[50].metric == "trade_growth"
    assert set(by_value[810.4e6].countries[:2]) == {"RUS", "TJK"}


